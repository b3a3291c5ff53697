// `npm run bench`: the full performance report of the portal — pages, writes, the
// comment list, view beacons and search — each next to a bare Node server in the
// same run, on PGlite and/or PostgreSQL (+ Redis). docs/benchmarks.md explains it.
//
//   npm run bench                       PGlite (data kept in BENCH_DATA_DIR, default .tmp/bench)
//   npm run bench -- --pg               PostgreSQL: DATABASE_URL, or postgres://postgres@127.0.0.1:5432/gorod_bench
//                                       (created when missing); with REDIS_URL also Redis
//   DATABASE_URL=… REDIS_URL=… npm run bench      the same as --pg
//   npm run bench -- --all              PGlite, then PostgreSQL (+ Redis when REDIS_URL is set), one report
//   npm run bench -- --only article     scenarios whose name contains "article" (search latency: --only search)
//   npm run bench -- --list             list the scenarios
//   npm run bench -- --only import      the WordPress import at scale (bench/import.ts; --pg on PostgreSQL)
//   npm run bench -- --only live        10,000 live-coverage streams, p99 delivery of an entry (bench/live.ts; --pg, + REDIS_URL: two instances)
//   npm run bench -- --only messages    2,000 message streams, p99 delivery of a message; the operator's inbox across 50 storefronts (bench/messages.ts; --pg, + REDIS_URL: two instances)
//   npm run bench -- --only newsletter  the digest to 100,000 subscribers into a local SMTP sink (bench/newsletter.ts; BENCH_NEWSLETTER_SUBSCRIBERS; --pg on PostgreSQL)
//   npm run bench -- --only classifieds 200,000 ads: a category page with filters, full text + filters, a storefront's 90-day statistics, p95 (bench/classifieds.ts; --pg)
//   npm run bench -- --only dating      100,000 dating profiles: compatible search p95, likes per second with exact matches (bench/dating.ts; --pg)
//   npm run bench -- --check            exit 1 if a goal is missed
//   BENCH_DURATION=10 BENCH_CONNECTIONS=50 BENCH_WARMUP=2 BENCH_THREADS=2 (the defaults)
//   BENCH_ROUNDS=3                      repeat the load runs, report medians (noisy machines)
//   BENCH_SEARCH_ROUNDS=10              passes over the search queries for the sequential latency
//   BENCH_EXACT_WRITES=2000             reaction writes of the bounded exact-count burst
//   BENCH_FORUM_EXACT_WRITES=500        forum replies of theirs (one reply costs what 20–60 reactions do)
//   BENCH_CORPUS=20000                  generated articles for search (made once per database)
//   BENCH_REF=HEAD                      measure a commit's code, not the working tree
//   BENCH_PROFILE=.tmp/prof             the portal writes a CPU profile (.cpuprofile) there
//
// The portal (`node bin/gorod.js serve`), the bare server, the fixtures maker and wrk
// are separate processes. Results: a table per database on stdout, and everything
// in bench/results/<timestamp>.json (not committed).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { forumReplyBodies, newReaders, scenarios, UNIQUE_MARK, type BenchContext, type Goal, type Scenario, type Target } from './scenarios.js';
import { runWrk, wrkVersion, type LoadOptions, type LoadResult } from './wrk.js';
import { startBareServer } from './bare-server.js';
import { findArticlePath, sourceTree, startPortal, type RunningPortal, type SourceTree } from './portal.js';
import { inChild, redact, type DatabaseTarget, type Fixtures } from './fixtures.js';
import { percentile, searchQueries, sequentialLatency, type SearchLatency } from './search.js';
import { formatMarkdown, formatReport, formatSummary, type DatabaseReport, type ForumCheck, type Row, type SequentialProbe, type WriteCheck } from './report.js';
import { LOAD_TOPICS, WRITERS_PER_TOPIC, type ForumIntegrity } from './forum-fixtures.js';
import { stopAll, type Child } from './process.js';
import { residentMemory } from './resident.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/gorod_bench';

function envInt(name: string, fallback: number, min: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    process.stderr.write(`bench: ${name} must be an integer ≥ ${min}, got "${raw}"\n`);
    process.exit(2);
  }
  return n;
}

const globalAbort = new AbortController();
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

interface Options extends LoadOptions {
  warmupSec: number;
  rounds: number;
  searchRounds: number;
  exactWrites: number;
  forumExactWrites: number;
  corpusSize: number;
}

async function main() {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', multiple: true },
      list: { type: 'boolean' },
      check: { type: 'boolean' },
      pg: { type: 'boolean' },
      all: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n') + '\n');
    return;
  }
  if (values.list) {
    for (const s of scenarios) process.stdout.write(`${s.name.padEnd(26)} ${s.about}\n`);
    return;
  }
  const filters = (values.only ?? []).flatMap((f) => f.split(',')).map((f) => f.trim().toLowerCase()).filter(Boolean);
  // The WordPress import is not a wrk scenario: it runs on its own (bench/import.ts).
  if (filters.length && filters.every((f) => f === 'import')) return (await import('./import.js')).benchImport({ pg: values.pg === true });
  // Live coverage's streams are not a wrk scenario either (bench/live.ts).
  if (filters.length && filters.every((f) => f === 'live')) return (await import('./live.js')).benchLive({ pg: values.pg === true || !!process.env.DATABASE_URL });
  // Messages' streams and the operator's inbox are not a wrk scenario either (bench/messages.ts).
  if (filters.length && filters.every((f) => f === 'messages')) return (await import('./messages.js')).benchMessages({ pg: values.pg === true || !!process.env.DATABASE_URL });
  // The newsletter's send to 100,000 subscribers is not a wrk scenario either (bench/newsletter.ts).
  if (filters.length && filters.every((f) => f === 'newsletter')) return (await import('./newsletter.js')).benchNewsletter({ pg: values.pg === true || !!process.env.DATABASE_URL });
  // The classifieds at 200,000 ads are not a wrk scenario either (bench/classifieds.ts).
  if (filters.length && filters.every((f) => f === 'classifieds')) return (await import('./classifieds.js')).benchClassifieds({ pg: values.pg === true || !!process.env.DATABASE_URL });
  // Dating's search and likes at 100,000 profiles are not a wrk scenario either (bench/dating.ts).
  if (filters.length && filters.every((f) => f === 'dating')) return (await import('./dating.js')).benchDating({ pg: values.pg === true || !!process.env.DATABASE_URL });
  const selected = scenarios.filter((s) => !filters.length || filters.some((f) => s.name.toLowerCase().includes(f)));
  if (!selected.length) {
    log(`no scenario matches --only ${filters.join(',')}; there are: ${scenarios.map((s) => s.name).join(', ')}`);
    process.exit(2);
  }

  const wrk = wrkVersion();
  if (!wrk) {
    // No autocannon fallback on purpose: on a 2-core machine it saturates a core at
    // about 4,500 req/s with 40 KB pages and would hide the difference we measure.
    log('wrk is required and was not found: apt-get install wrk (Debian/Ubuntu), brew install wrk (macOS)');
    process.exit(1);
  }
  const opts: Options = {
    durationSec: envInt('BENCH_DURATION', 10, 1),
    warmupSec: envInt('BENCH_WARMUP', 2, 0),
    connections: envInt('BENCH_CONNECTIONS', 50, 1),
    threads: envInt('BENCH_THREADS', 2, 1),
    rounds: envInt('BENCH_ROUNDS', 1, 1),
    searchRounds: envInt('BENCH_SEARCH_ROUNDS', 10, 1),
    exactWrites: envInt('BENCH_EXACT_WRITES', 2000, 1),
    forumExactWrites: envInt('BENCH_FORUM_EXACT_WRITES', 500, 1),
    corpusSize: envInt('BENCH_CORPUS', 20_000, 100),
    signal: globalAbort.signal,
  };
  if (opts.threads > opts.connections) opts.threads = opts.connections;

  // Which databases: PGlite by default; PostgreSQL with --pg or a DATABASE_URL; both with --all.
  const dataRoot = path.resolve(process.env.BENCH_DATA_DIR?.trim() || path.join(root, '.tmp/bench'));
  const pgUrl = process.env.DATABASE_URL?.trim() || DEFAULT_PG;
  const pglite: DatabaseTarget = { kind: 'PGlite', dataDir: path.join(dataRoot, 'pglite') };
  const postgres: DatabaseTarget = {
    kind: 'PostgreSQL',
    url: pgUrl,
    redisUrl: process.env.REDIS_URL?.trim() || undefined,
    // Uploaded images live on disk beside the database that refers to them.
    dataDir: path.join(dataRoot, `postgres-${decodeURIComponent(new URL(pgUrl).pathname.slice(1)) || 'postgres'}`),
  };
  const targets = values.all ? [pglite, postgres] : values.pg || process.env.DATABASE_URL?.trim() ? [postgres] : [pglite];

  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const started = new Date();
  const source = sourceTree(log);
  let bare: { url: string; child: Child } | undefined;
  try {
    bare = await startBareServer();
    const reports: DatabaseReport[] = [];
    for (const target of targets) {
      reports.push(await runDatabase(target, source, bare.url, selected, opts));
      process.stdout.write(formatReport(reports.at(-1)!, { wrk, ...opts }));
    }
    if (reports.length > 1) process.stdout.write(formatSummary(reports));

    const file = path.join(here, 'results', `${started.toISOString().replace(/[:.]/g, '-')}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const machine = { cores: os.cpus().length, cpu: os.cpus()[0]?.model.trim(), memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.type()} ${os.release()}` };
    const { signal: _, ...settings } = opts;
    fs.writeFileSync(file, JSON.stringify({ date: started.toISOString(), command: process.argv.slice(2), code: source.label, machine, loadGenerator: wrk, ...settings, databases: reports }, null, 2) + '\n');
    fs.writeFileSync(file.replace(/\.json$/, '.md'), formatMarkdown(reports));
    log(`results written to ${path.relative(process.cwd(), file)} (and .md: the tables for docs/benchmarks.md)`);
    if (values.check && reports.some((r) => r.rows.some((row) => row.goal?.met === false) || r.search?.goal?.met === false || r.forum?.exact === false)) process.exitCode = 1;
  } finally {
    if (!globalAbort.signal.aborted) await bare?.child.stop();
    source.remove();
  }
}

function onSignal(signal: NodeJS.Signals) {
  if (globalAbort.signal.aborted) process.exit(130);
  log(`${signal}: stopping the portal and the bare server…`);
  globalAbort.abort();
  void stopAll().finally(() => process.exit(130));
}

/** Everything for one database: fixtures, the portal, each scenario, the checks. */
async function runDatabase(target: DatabaseTarget, source: SourceTree, bareUrl: string, selected: Scenario[], opts: Options): Promise<DatabaseReport> {
  const startedAt = new Date();
  const loadBefore = os.loadavg();
  log(`${target.kind}${target.url ? ` (${redact(target.url)})` : ''}: making the fixtures…`);
  const fixtures = await inChild<Fixtures>(source.dir, { command: 'prepare', target, corpusSize: opts.corpusSize }, log);

  const portal: RunningPortal = await startPortal(target, source, log);
  const rssMb = () => residentMemory(portal.child.proc.pid!).rss / 2 ** 20;
  const startMb = rssMb();
  let memory: DatabaseReport['memory'];
  const rows: Row[] = [];
  const ledger = new Map<number, WriteCheck>();
  let search: DatabaseReport['search'];
  let burst: DatabaseReport['burst'];
  // Forum replies: answers seen per group of reply topics, the bounded burst, the sequential probes.
  const forumLedger = new Map<'load' | 'hot', { scenario: string; ok2xx: number; unanswered: number }>();
  let forumBurst: ForumCheck['burst'];
  const probes = new Map<string, SequentialProbe>();
  let articlePath = '';
  try {
    articlePath = await findArticlePath(portal.url);
    const ctx: BenchContext = { url: portal.url, articlePath, fixtures, csrf: await csrfOf(portal.url, fixtures.commentsArticleId), fetch: (p, init) => fetch(new URL(p, portal.url), init) };
    log(`portal at ${portal.url}, article ${articlePath}; ${opts.durationSec} s per run after ${opts.warmupSec} s of warm-up, ${opts.connections} connections, ${opts.threads} wrk threads`);

    // When wrk stops, the portal still works through the requests it had accepted (a
    // slow scenario leaves seconds of them): wait until it answers /readyz (a database
    // round trip) quickly again, so no run starts behind the previous one's backlog.
    const settle = async () => {
      const until = Date.now() + 60_000;
      while (Date.now() < until) {
        const t0 = performance.now();
        await fetch(`${portal.url}/readyz`, { signal: AbortSignal.timeout(30_000) }).then((r) => r.arrayBuffer()).catch(() => {});
        if (performance.now() - t0 < 100) return;
        await new Promise((r) => setTimeout(r, 200));
      }
      log('warning: the portal is still busy 60 s after the run');
    };
    // A portal that has gone (crashed, or killed from outside) says why in its last output.
    const load = (req: Parameters<typeof runWrk>[0], o: LoadOptions) =>
      runWrk(req, o).catch((err: Error) => {
        const proc = portal.child.proc;
        if (proc.exitCode === null && proc.signalCode === null) throw err;
        throw new Error(`${err.message}\nthe portal exited (${proc.exitCode ?? proc.signalCode}); its last output:\n${portal.child.tail()}`);
      });
    const measure = async (name: string, url: string, req: Omit<Target, 'path'>, portalRun: boolean) => {
      const warmup = opts.warmupSec > 0 ? await load({ ...req, url }, { ...opts, durationSec: opts.warmupSec }) : undefined;
      if (portalRun) await settle();
      const result = await load({ ...req, url }, opts);
      if (portalRun) await settle();
      log(`${name}: ${Math.round(result.rps)} req/s, p99 ${result.latency.p99.toFixed(1)} ms`);
      if (result.requests === 0) log(`warning: no request to "${name}" completed in ${opts.durationSec} s — each takes longer than that with ${opts.connections} connections; raise BENCH_DURATION`);
      return { warmup, result };
    };

    const runs: (Row & { round: number })[] = [];
    const bareRows = new Map<string, Row>();
    for (let round = 1; round <= opts.rounds; round++) {
      if (opts.rounds > 1) log(`round ${round} of ${opts.rounds}`);
      bareRows.clear();
      for (const s of selected) {
        const { path: p, ...req } = s.target(ctx);
        // Before the probe: the first pass must find no kept results.
        if (s.name === 'search' && round === 1) {
          log(`search: sequential latency, a first pass and ${opts.searchRounds} more over ${searchQueries(fixtures.search).length} queries…`);
          const latency = await sequentialLatency(portal.url, searchQueries(fixtures.search), opts.searchRounds, () => globalAbort.signal.aborted);
          search = { ...latency, goal: searchGoal(target, latency) };
          log(`search: p50 ${latency.p50.toFixed(1)} ms, p95 ${latency.p95.toFixed(1)} ms one at a time (first pass p50 ${latency.cold.p50.toFixed(1)} ms, max ${latency.cold.max.toFixed(1)} ms)`);
        }
        if (s.sequential && round === 1) {
          const latency = await sequentialProbe(ctx, s, p, req, s.sequential);
          probes.set(s.name, latency);
          log(`${s.name}: p50 ${latency.p50.toFixed(1)} ms, p95 ${latency.p95.toFixed(1)} ms one request at a time (${latency.requests} requests; the first ${latency.first.toFixed(1)} ms)`);
        }
        const probe = await warm(ctx, s, p, req);
        const writes = s.writesTo?.(ctx);
        if (writes !== undefined) addWrites(ledger, writes, probe.status < 300 ? 1 : 0, 0);
        const forumGroup = s.forumWrites;
        const forumCount = (ok2xx: number, unanswered: number) => {
          if (!forumGroup) return;
          const c = forumLedger.get(forumGroup) ?? { scenario: s.name, ok2xx: 0, unanswered: 0 };
          c.ok2xx += ok2xx;
          c.unanswered += unanswered;
          forumLedger.set(forumGroup, c);
        };
        // The probe sent one request per path, each answered 2xx (else it threw).
        forumCount(req.paths?.length || 1, 0);

        // The bare server answers as this group's first scenario does: same size, type,
        // status, method and body, through the same wrk script (paths aside).
        if (!bareRows.has(s.baseline)) {
          const query = [probe.json ? 'type=json' : '', probe.status === 204 ? 'status=204' : ''].filter(Boolean).join('&');
          const url = `${bareUrl}/bytes/${probe.bytes}${query ? `?${query}` : ''}`;
          const name = `bare (${s.baseline})`;
          const { paths: _, ...bareReq } = req;
          const row: Row = { name, kind: 'bare', url, bodyBytes: probe.bytes, result: (await measure(name, url, bareReq, false)).result };
          bareRows.set(s.baseline, row);
          runs.push({ ...row, round });
        }
        const base = bareRows.get(s.baseline)!;
        const url = new URL(p, portal.url).toString();
        const { warmup, result } = await measure(s.name, url, req, true);
        if (writes !== undefined) {
          for (const r of [warmup, result]) if (r) addWrites(ledger, writes, r.ok2xx ?? 0, (r.sent ?? 0) - r.requests);
        }
        for (const r of [warmup, result]) if (r) forumCount(r.ok2xx ?? 0, (r.sent ?? 0) - r.requests);
        runs.push({ name: s.name, kind: 'portal', url, bodyBytes: probe.bytes, result, baseline: base.name, ratio: result.rps / base.result.rps, round, rssMb: rssMb() });
        if (writes !== undefined && round === 1) burst = await exactBurst(ctx, fixtures.reactionArticleIds.exact, opts.exactWrites, opts.connections);
        if (forumGroup === 'load' && round === 1) forumBurst = await forumExactBurst(ctx, opts.forumExactWrites, opts.connections);
      }
    }
    rows.push(...(opts.rounds === 1 ? runs.map(({ round: _, ...row }) => row) : medians(runs)));
    // The counters as the API shows them, before the portal stops.
    for (const [articleId, check] of [...ledger.entries(), ...(burst ? [[burst.articleId, burst] as const] : [])]) check.countersLive = await liveCount(ctx, articleId);
    memory = { startMb, peakMb: residentMemory(portal.child.proc.pid!).peak / 2 ** 20 };
  } finally {
    await portal.stop();
  }

  // The stored truth, read after the portal has stopped (PGlite admits one process).
  if (ledger.size || burst) {
    const ids = [...ledger.keys(), ...(burst ? [burst.articleId] : [])];
    const stored = new Map(await inChild<[number, { rows: number; counters: number }][]>(source.dir, { command: 'counts', target, articleIds: ids }, log));
    for (const [id, check] of [...ledger.entries(), ...(burst ? [[burst.articleId, burst] as const] : [])]) {
      const s = stored.get(id)!;
      check.rows = s.rows;
      check.counters = s.counters;
      // Every answered write is stored, every stored one was sent, and the counters match the rows.
      check.exact = s.rows === s.counters && s.counters === check.countersLive && s.rows >= check.ok2xx && s.rows <= check.ok2xx + check.unanswered;
    }
    if (burst) burst.exact = burst.exact && burst.rows === burst.ok2xx && burst.ok2xx === burst.requests;
  }
  const writesExact = [...ledger.values()].every((c) => c.exact) && (burst?.exact ?? true);

  // The forum's posts, read after the portal has stopped.
  let forum: ForumCheck | undefined;
  if (forumLedger.size || forumBurst) {
    const { board, replyTopics, writerIds } = fixtures.forum;
    const integrity = await inChild<ForumIntegrity>(source.dir, { command: 'forumCounts', target, forum: { board, replyTopics, writerIds } }, log);
    forum = forumCheck(fixtures, forumLedger, forumBurst, integrity);
    if (!forum.exact) log(`FORUM REPLIES: COUNTS NOT EXACT on ${target.kind} — ${forum.problems.join('; ')}`);
  }
  for (const row of rows) {
    const s = selected.find((x) => x.name === row.name);
    if (row.kind === 'portal' && s?.goal) row.goal = judge(s.goal, target, row, s.forumWrites ? (forum?.exact ?? false) : writesExact, probes.get(s.name));
  }
  return {
    database: target.kind,
    redis: !!target.redisUrl,
    databaseUrl: target.url ? redact(target.url) : undefined,
    dataDir: path.relative(root, target.dataDir),
    startedAt: startedAt.toISOString(),
    seconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
    loadavgBefore: loadBefore.map((l) => +l.toFixed(2)),
    loadavgAfter: os.loadavg().map((l) => +l.toFixed(2)),
    memory,
    articlePath,
    corpus: fixtures.corpus,
    comments: fixtures.comments,
    rows,
    writes: [...ledger.values()],
    burst,
    search,
    forum,
    sequential: [...probes.values()],
  };
}

function judge(goal: Goal, target: DatabaseTarget, row: Row, writesExact: boolean, sequential?: SequentialProbe): NonNullable<Row['goal']> {
  const parts = [
    goal.minRatio !== undefined ? `≥ ${Math.round(goal.minRatio * 100)} % of bare` : '',
    goal.minRps !== undefined ? `≥ ${goal.minRps.toLocaleString('en-US')} req/s` : '',
    goal.exactCounts ? 'exact counts' : '',
    goal.maxP95Ms !== undefined ? `p95 < ${goal.maxP95Ms} ms one request at a time${sequential ? ` (${sequential.p95.toFixed(1)} ms)` : ''}` : '',
  ].filter(Boolean);
  const text = `${parts.join(', ')}${goal.only ? ` on ${goal.only}` : ''} (${goal.source})`;
  if (goal.only && goal.only !== target.kind) return { text, met: null };
  const met =
    (goal.minRatio === undefined || (row.ratio ?? 0) >= goal.minRatio) &&
    (goal.minRps === undefined || row.result.rps >= goal.minRps) &&
    (!goal.exactCounts || writesExact) &&
    (goal.maxP95Ms === undefined || (sequential !== undefined && sequential.p95 < goal.maxP95Ms));
  return { text, met };
}

function searchGoal(target: DatabaseTarget, latency: SearchLatency) {
  const text = 'p95 < 50 ms on PostgreSQL (issue 5)';
  return { text, met: target.kind === 'PostgreSQL' ? latency.p95 < 50 : null };
}

function addWrites(ledger: Map<number, WriteCheck>, articleId: number, ok2xx: number, unanswered: number) {
  const c = ledger.get(articleId) ?? { articleId, ok2xx: 0, unanswered: 0 };
  c.ok2xx += ok2xx;
  c.unanswered += unanswered;
  ledger.set(articleId, c);
}

/** The CSRF token the comments island gets from /api/articles/:id/comments/me, with its cookie. */
async function csrfOf(url: string, articleId: number): Promise<BenchContext['csrf']> {
  const res = await fetch(`${url}/api/articles/${articleId}/comments/me`);
  const json = (await res.json()) as { csrfToken?: string };
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('gorod_csrf='));
  if (!res.ok || !json.csrfToken || !cookie) throw new Error(`no CSRF token from /api/articles/${articleId}/comments/me (${res.status})`);
  return { token: json.csrfToken, cookie };
}

/** The reaction counts the API shows for an article, summed. */
async function liveCount(ctx: BenchContext, articleId: number): Promise<number> {
  const res = await ctx.fetch(`/api/articles/${articleId}/reaction`);
  const json = (await res.json()) as { counts: Record<string, number> };
  return Object.values(json.counts).reduce((a, b) => a + b, 0);
}

/**
 * `n` requests from the runner itself, `concurrency` at a time (`send(i)` makes the
 * i-th), each read to its end: how many were answered as `answered` says, the
 * statuses seen, the seconds taken.
 */
async function burst(n: number, concurrency: number, send: (i: number) => Promise<Response>, answered = (status: number) => status >= 200 && status < 300) {
  let next = 0;
  let ok2xx = 0;
  const statuses = new Map<number, number>();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      // No AbortSignal per request (fetch leaves a listener on it for each): Ctrl+C ends the process.
      for (let i = next++; i < n && !globalAbort.signal.aborted; i = next++) {
        const res = await send(i);
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (answered(res.status)) ok2xx++;
      }
    }),
  );
  return { ok2xx, statuses: Object.fromEntries(statuses), seconds: (performance.now() - t0) / 1000 };
}

/**
 * Exactly n reaction writes, `concurrency` at a time, each a new reader (a cookie
 * from an earlier page view) from another address: afterwards the stored rows and counters must equal the 2xx answers. (The
 * wrk run cannot show that alone: when wrk stops, the requests it has in flight
 * are processed by the portal but never counted as answered.)
 */
async function exactBurst(ctx: BenchContext, articleId: number, n: number, concurrency: number): Promise<NonNullable<DatabaseReport['burst']>> {
  const kinds = ['LIKE', 'HAPPY', 'SURPRISED', 'ANGRY', 'SAD'];
  const { ok2xx, statuses, seconds } = await burst(n, concurrency, (i) =>
    ctx.fetch(`/api/articles/${articleId}/reaction`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-csrf-token': ctx.csrf.token, cookie: newReaders(ctx, 1)[0]!, 'x-forwarded-for': `2001:db8:ffff:${i.toString(16)}::1` },
      body: JSON.stringify({ kind: kinds[i % kinds.length] }),
    }),
  );
  log(`exact-count burst: ${n} writes, ${ok2xx} answered 2xx, ${Math.round(n / seconds)} writes/s`);
  return { articleId, requests: n, concurrency, seconds, statuses, ok2xx, unanswered: 0 };
}

/**
 * `n` replies from the runner itself, `concurrency` at a time, into the burst topics
 * of the forum fixtures (each writer into their own topic, every text its own):
 * afterwards exactly as many posts must be stored as were answered 201, every one.
 */
async function forumExactBurst(ctx: BenchContext, n: number, concurrency: number): Promise<NonNullable<ForumCheck['burst']>> {
  const forum = ctx.fixtures.forum;
  const topics = forum.replyTopics.burst;
  const bodies = forumReplyBodies(ctx, topics, 4, 90);
  const run = `${Date.now().toString(36)}b`;
  const { ok2xx, statuses, seconds } = await burst(
    n,
    concurrency,
    (i) => {
      // Writer w is a regular of load topic w % 50; burst topic b has the regulars of load topic b.
      const t = i % topics.length;
      const writer = t + LOAD_TOPICS * (Math.floor(i / topics.length) % WRITERS_PER_TOPIC);
      return ctx.fetch(`/api/forum/topics/${topics[t]}/posts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': ctx.csrf.token, cookie: `${ctx.csrf.cookie}; ${forum.writerSessions[writer]}`, 'x-forwarded-for': `2001:db8:fffd:${i.toString(16)}::1` },
        body: bodies[(i % (bodies.length / topics.length)) * topics.length + t]!.replace(UNIQUE_MARK, `${run}-${i}`),
      });
    },
    (status) => status === 201,
  );
  log(`forum exact-count burst: ${n} replies, ${ok2xx} answered 201, ${Math.round(n / seconds)} replies/s`);
  return { requests: n, concurrency, seconds, statuses, ok2xx };
}

/** The forum's stored posts against the answers: rows added == 201s (under wrk: within the requests in flight at the stop), and the counts agree with the rows. */
function forumCheck(fixtures: Fixtures, ledger: Map<'load' | 'hot', { scenario: string; ok2xx: number; unanswered: number }>, burst: ForumCheck['burst'], integrity: ForumIntegrity): ForumCheck {
  const problems: string[] = [];
  const writes = [...ledger.entries()].map(([group, c]) => {
    const added = integrity.rows[group] - fixtures.forum.rowsBefore[group];
    const exact = added >= c.ok2xx && added <= c.ok2xx + c.unanswered;
    if (!exact) problems.push(`${c.scenario}: ${added} posts added, ${c.ok2xx} answered 2xx + ${c.unanswered} in flight`);
    return { ...c, group, added, exact };
  });
  let burstOut: ForumCheck['burst'];
  if (burst) {
    const added = integrity.rows.burst - fixtures.forum.rowsBefore.burst;
    const exact = added === burst.ok2xx && burst.ok2xx === burst.requests;
    if (!exact) problems.push(`bounded burst: ${burst.requests} sent, ${burst.ok2xx} answered 201, ${added} posts added`);
    burstOut = { ...burst, added, exact };
  }
  const i = integrity;
  if (i.badCount) problems.push(`${i.badCount} of ${i.topics} topics whose counts or numbers disagree with their posts, e.g. ${JSON.stringify(i.badTopics[0])}`);
  if (i.notPublished) problems.push(`${i.notPublished} posts not published (held)`);
  if (i.board.postCount !== i.board.sum || i.board.topicCount !== i.board.topics) problems.push(`the board counts ${i.board.postCount} posts in ${i.board.topicCount} topics, its topics ${i.board.sum} in ${i.board.topics}`);
  if (i.members.counted !== i.members.rows) problems.push(`the writers' post counts sum to ${i.members.counted}, their posts are ${i.members.rows}`);
  return { writes, burst: burstOut, integrity, problems, exact: problems.length === 0 };
}

/** The scenario's request `n` times one after another (after one that is not counted): what one reader waits. */
async function sequentialProbe(ctx: BenchContext, s: Scenario, p: string, req: Omit<Target, 'path'>, n: number): Promise<SequentialProbe> {
  const cookies = typeof req.cookies === 'function' ? req.cookies() : req.cookies;
  const one = async (i: number) => {
    if (globalAbort.signal.aborted) throw new Error('interrupted');
    const t0 = performance.now();
    const res = await ctx.fetch(p, { method: req.method ?? 'GET', headers: { ...req.headers, ...(cookies?.length ? { cookie: cookies[i % cookies.length]! } : {}) }, redirect: 'manual' });
    await res.arrayBuffer();
    if (res.status >= 300) throw new Error(`scenario "${s.name}": ${p} answered ${res.status} one at a time`);
    return performance.now() - t0;
  };
  const first = await one(0);
  const times: number[] = [];
  for (let i = 1; i <= n; i++) times.push(await one(i));
  times.sort((a, b) => a - b);
  return { name: s.name, requests: n, first, p50: percentile(times, 50), p95: percentile(times, 95), max: times.at(-1)! };
}

interface Probe {
  status: number;
  bytes: number;
  json: boolean;
}

/** One request first (per path, for a list of paths): it must succeed, fills the page cache, and gives the body size. */
async function warm(ctx: BenchContext, s: Scenario, p: string, req: Omit<Target, 'path'>): Promise<Probe> {
  const paths = req.paths?.length ? req.paths : [p];
  const probes: Probe[] = [];
  for (const [i, one] of paths.entries()) {
    const probe = req.uniqueQuery ? `${one}${one.includes('?') ? '&' : '?'}b=probe-${Date.now()}` : one;
    const cookies = typeof req.cookies === 'function' ? req.cookies() : req.cookies;
    const headers = { ...req.headers, ...(cookies?.length ? { cookie: cookies[i % cookies.length]! } : {}), ...(req.forwardedFor ? { 'x-forwarded-for': `2001:db8:fffe:${i.toString(16)}::1` } : {}) };
    const raw = req.bodies?.length ? req.bodies[i % req.bodies.length] : req.body;
    const body = req.uniqueBody && raw !== undefined ? raw.replaceAll(req.uniqueBody, `probe-${Date.now()}-${i}`) : raw;
    const init: RequestInit = { method: req.method ?? 'GET', headers, body, redirect: 'manual' };
    const first = await ctx.fetch(probe, init);
    const text = await first.arrayBuffer();
    if (first.status >= 300) throw new Error(`scenario "${s.name}": ${init.method} ${probe} answered ${first.status}, not 2xx: ${Buffer.from(text).toString('utf8').slice(0, 300)}`);
    probes.push({ status: first.status, bytes: text.byteLength, json: (first.headers.get('content-type') ?? '').includes('json') });
    // An "uncached" scenario must really render: a cache that ignored the unknown
    // parameter would answer the second probe from memory.
    if (req.uniqueQuery) {
      const again = await ctx.fetch(`${one}${one.includes('?') ? '&' : '?'}b=probe2-${Date.now()}`, init);
      await again.arrayBuffer();
      if (again.headers.get('x-cache') === 'hit') log(`warning: "${s.name}" is answered from the page cache (x-cache: hit) despite a unique query string: it does not measure rendering`);
    }
    if (s.expectCacheHit) {
      const again = await ctx.fetch(probe, init);
      await again.arrayBuffer();
      if (again.headers.get('x-cache') !== 'hit') log(`warning: "${s.name}" is not served from the page cache (no x-cache: hit on the second request)`);
    }
  }
  // A list of paths: the bare server answers their mean size.
  return { ...probes[0]!, bytes: Math.round(probes.reduce((a, x) => a + x.bytes, 0) / probes.length) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** BENCH_ROUNDS > 1: one row per scenario with the median of each figure over the rounds (errors summed). */
function medians(runs: (Row & { round: number })[]): Row[] {
  const names = [...new Set(runs.map((r) => r.name))];
  return names.map((name) => {
    const rs = runs.filter((r) => r.name === name);
    const res = rs.map((r) => r.result);
    const sum = (f: (r: LoadResult) => number) => res.reduce((a, r) => a + f(r), 0);
    const med = (f: (r: LoadResult) => number) => median(res.map(f));
    const ratios = rs.flatMap((r) => (r.ratio === undefined ? [] : [r.ratio]));
    const { round: _, ...first } = rs[0]!;
    return {
      ...first,
      result: {
        requests: sum((r) => r.requests),
        durationSec: sum((r) => r.durationSec),
        rps: med((r) => r.rps),
        bytesPerSec: med((r) => r.bytesPerSec),
        latency: { mean: med((r) => r.latency.mean), p50: med((r) => r.latency.p50), p90: med((r) => r.latency.p90), p99: med((r) => r.latency.p99), max: Math.max(...res.map((r) => r.latency.max)) },
        non2xx3xx: sum((r) => r.non2xx3xx),
        errors: { connect: sum((r) => r.errors.connect), read: sum((r) => r.errors.read), write: sum((r) => r.errors.write), timeout: sum((r) => r.errors.timeout) },
      },
      ratio: ratios.length ? median(ratios) : undefined,
      rssMb: rs.some((r) => r.rssMb !== undefined) ? median(rs.map((r) => r.rssMb ?? 0)) : undefined,
      rounds: rs.map((r) => ({ rps: Math.round(r.result.rps), ratio: r.ratio })),
    };
  });
}

main().catch(async (err: Error) => {
  if (globalAbort.signal.aborted) return; // the signal handler stops everything and exits
  log(err.stack ?? err.message);
  await stopAll();
  process.exit(1);
});
