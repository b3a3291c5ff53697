// The newsletter's figures the back office may change at run time (platform
// settings: every instance reads the same value).
import { booleanSetting, integerSetting } from '../../platform/settings.js';

export const NEWSLETTER_SETTINGS = {
  /** Opens (a pixel) and clicks (signed redirecting links), counted per send; off by default. */
  tracking: booleanSetting('newsletter.tracking', false),
  /** Days an address has to answer «оставаться подписанным?» before its lists are paused. */
  recheckDays: integerSetting('newsletter.recheckDays', 14, { min: 1, max: 365 }),
} as const;

/** An address with no activity for this many days is asked whether it wants to stay. */
export const INACTIVE_DAYS = 180;
