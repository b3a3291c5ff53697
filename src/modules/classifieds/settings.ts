// Classifieds' figures a site may change at run time (platform settings: every
// instance reads the same value).
import { integerSetting } from '../../platform/settings.js';

export const CLASSIFIEDS_SETTINGS = {
  /** A storefront's XML feed is fetched again after this many hours (the job looks every 15 minutes). */
  feedEveryHours: integerSetting('classifieds.feedEveryHours', 6, { min: 1, max: 24 * 7 }),
} as const;
