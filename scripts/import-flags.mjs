// Node's options for `gorod import` (bin/gorod.js runs the command again with them
// when started without): a small young generation and an old generation capped at
// 256 MB hold a 20,000-post import at 341 MB of RSS on PostgreSQL, 220 s
// (docs/benchmarks.md, «WordPress import»). The server's own options are the start
// script's (scripts/start-flags.ts); `--optimize-for-size` is not here: it held the
// import at 300 MB but cost it a third more time (362 s).
export const IMPORT_NODE_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=256'];

// …and its environment, read by the C library when the process starts (so also set
// by starting the command again): one malloc arena. glibc gives each thread that
// allocates an arena of its own, up to eight a core, and keeps what it freed there;
// the import's threads — libvips making pictures, V8's compilers and collector, the
// file reads — held some 90 MB in them, which one arena does not (PGlite, 20,000
// posts: 556 → 481 MB at the same speed; docs/benchmarks.md). An operator's own
// value wins.
export const IMPORT_ENV = { MALLOC_ARENA_MAX: '1' };
