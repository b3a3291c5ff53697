// The WordPress import: a newsroom's WordPress export (WXR) → sections, authors,
// tags, articles with their blocks and comments, media, and a 301 from every old
// address (README.md). Its surface for the rest of the portal is `app.wordpressImport`
// (the `gorod import` commands use it) and its answer to the platform's
// `http.movedAddress` extension point.
export type { WordpressImport } from './routes.js';
export type { ImportOptions, ImportReport, Progress, ReportLine, SectionMap } from './runner.js';
export { ImportRefused } from './runner.js';
export { countLines, lineText, reportCsv, reportCsvChunks } from './report.js';
export { oldAddresses, verify } from './verify.js';

/** The tables the import owns; no other module queries them. */
export const tables = ['wp_import_sites', 'wp_import_items', 'wp_import_redirects', 'wp_import_runs'] as const;
