// Node's options for `gorod import` (bin/gorod.js runs the command again with them
// when started without): a small young generation and an old generation capped at
// 256 MB hold a 20,000-post import at 341 MB of RSS on PostgreSQL, 220 s
// (docs/benchmarks.md, «WordPress import»); the old generation grown by 15 % of what
// is live after a collection (V8 chose some 35 % here) keeps it near what the run
// holds — 20 MB less on PGlite for some 10 % more CPU in the collector. The server's
// own options are the start script's (scripts/start-flags.ts); `--optimize-for-size`
// is not here: it held the import at 300 MB but cost it a third more time (362 s).
export const IMPORT_NODE_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=256', '--heap-growing-percent=15'];

// …and its environment, read by the C library when the process starts (so also set
// by starting the command again): one malloc arena. glibc gives each thread that
// allocates an arena of its own, up to eight a core, and keeps what it freed there;
// the import's threads — libvips making pictures, V8's compilers and collector, the
// file reads — held some 90 MB in them, which one arena does not (PGlite, 20,000
// posts: 556 → 481 MB at the same speed; docs/benchmarks.md). A block of 64 KB or
// more is mapped on its own and given back when freed (glibc otherwise raises that
// threshold as blocks are freed, and libvips's pixel buffers then stay in the heap
// among others): the heap 90 → 60 MB. An operator's own values win.
export const IMPORT_ENV = { MALLOC_ARENA_MAX: '1', MALLOC_MMAP_THRESHOLD_: '65536', MALLOC_TRIM_THRESHOLD_: '262144' };
