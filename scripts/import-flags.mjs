// Node's options for `gorod import` (bin/gorod.js runs the command again with them
// when started without): a small young generation and an old generation capped at
// 256 MB hold a 20,000-post import at 341 MB of RSS on PostgreSQL, 220 s
// (docs/benchmarks.md, «WordPress import»). The server's own options are the start
// script's (scripts/start-flags.ts); `--optimize-for-size` is not here: it held the
// import at 300 MB but cost it a third more time (362 s).
export const IMPORT_NODE_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=256'];
