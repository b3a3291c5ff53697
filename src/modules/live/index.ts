// What other modules may use of live coverage: the service's type (`app.live`),
// the entry addresses, and the module's plugin. It answers content's
// `article.liveNow` (the lists' «Онлайн» mark) and registers the `live_entry`
// subject (reactions on each entry).
export type { Live, LiveInfo, EntryVersion, EntryInput } from './service.js';
export { LIVE_SETTINGS } from './settings.js';
export { entryPath } from './views/feed.js';
/** The console's block editor bundle (its file name is in its public address). */
export { consoleBundle } from './assets.js';
export { default } from './routes.js';

/** The tables live coverage owns; no other module queries them. */
export const tables = ['live_articles', 'live_entries', 'live_entry_versions'] as const;
