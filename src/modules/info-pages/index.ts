// What other modules may use of info-pages: its service's type (`app.infoPages`:
// the footer's pages and the imprint). Nothing else reads its tables.
export type { InfoPages } from './service.js';

/** The tables info-pages owns; no other module queries them. */
export const tables = ['info_pages', 'info_imprint'] as const;
