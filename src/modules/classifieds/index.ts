// What other modules may use of the classifieds: the service's type
// (`app.classifieds`), the addresses of ads and storefronts, and the plugin.
export type { Classifieds } from './service.js';
export type { AdInput, AdRow } from './ads.js';
export type { Filters } from './finding.js';
export { filterQuery } from './finding.js';
export type { Catalogue } from './catalogue.js';
export { adPath, categoryPath, shopPath } from './paths.js';
export { innValid } from './storefronts.js';
export { CLASSIFIEDS_SETTINGS } from './settings.js';
export { default } from './routes.js';

/** The tables the classifieds own; no other module queries them. */
export const tables = ['ad_categories', 'ad_fields', 'ad_districts', 'ad_storefronts', 'ad_invites', 'ads', 'ad_photos', 'ad_uploads', 'ad_favourites', 'ad_saved_searches', 'ad_reveals', 'ad_viewers', 'ad_stats', 'ad_responses', 'ad_shop_days', 'ad_feeds'] as const;
