// `npm run bench`: the portal's pages against a bare Node server in the same run.
//
//   npm run bench                       every scenario in bench/scenarios.ts
//   npm run bench -- --only article     scenarios whose name contains "article"
//   npm run bench -- --list             list the scenarios
//   npm run bench -- --check            exit 1 if a scenario misses its goal (ratio to the bare server)
//   BENCH_DURATION=10 BENCH_CONNECTIONS=50 BENCH_WARMUP=2 BENCH_THREADS=2 (the defaults)
//   BENCH_ROUNDS=3                      repeat everything, report medians (noisy machines)
//   BENCH_REF=HEAD                      measure a commit's code, not the working tree
//   BENCH_DATA_DIR=.tmp/bench           keep the portal's data between runs (demo loaded once)
//   DATABASE_URL=postgres://…           measure on PostgreSQL instead of PGlite
//
// The portal (`node bin/gorod.js serve`), the bare server and wrk are separate
// processes. Each scenario: one request to warm it (and fill the page cache), a
// warm-up run, then the measured run. The table shows req/s, p50 and p99 latency,
// req/s as a share of the bare server's with a body of the same size, and responses
// with status ≥ 400. Results are also written to bench/results/<timestamp>.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { baselines, scenarios, type BenchContext, type Scenario } from './scenarios.js';
import { runWrk, wrkVersion, type LoadResult } from './wrk.js';
import { startBareServer } from './bare-server.js';
import { findArticlePath, startPortal, type RunningPortal } from './portal.js';
import { stopAll, type Child } from './process.js';

const here = path.dirname(fileURLToPath(import.meta.url));

interface Row {
  name: string;
  kind: 'portal' | 'bare';
  url: string;
  bodyBytes: number;
  result: LoadResult;
  /** For portal rows: the bare row it is compared with, and req/s ÷ that row's req/s. */
  baseline?: string;
  ratio?: number;
  goal?: { minRatio: number; source: string; met: boolean };
}

function envInt(name: string, fallback: number, min: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) {
    process.stderr.write(`bench: ${name} must be a number ≥ ${min}, got "${raw}"\n`);
    process.exit(2);
  }
  return n;
}

const globalAbort = new AbortController();
const abortedBySignal = () => globalAbort.signal.aborted;
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

async function main() {
  const { values } = parseArgs({
    options: { only: { type: 'string', multiple: true }, list: { type: 'boolean' }, check: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n') + '\n');
    return;
  }
  if (values.list) {
    for (const s of scenarios) process.stdout.write(`${s.name.padEnd(22)} ${s.about}\n`);
    return;
  }
  const filters = (values.only ?? []).flatMap((f) => f.split(',')).map((f) => f.trim().toLowerCase()).filter(Boolean);
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
  const opts = {
    durationSec: envInt('BENCH_DURATION', 10, 1),
    warmupSec: envInt('BENCH_WARMUP', 2, 0),
    connections: envInt('BENCH_CONNECTIONS', 50, 1),
    threads: envInt('BENCH_THREADS', 2, 1),
    rounds: envInt('BENCH_ROUNDS', 1, 1),
  };
  if (opts.threads > opts.connections) opts.threads = opts.connections;

  const abort = globalAbort;
  const onSignal = (signal: NodeJS.Signals) => {
    if (abort.signal.aborted) process.exit(130);
    log(`${signal}: stopping the portal and the bare server…`);
    abort.abort();
    void stopAll().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let portal: RunningPortal | undefined;
  let bare: { url: string; child: Child } | undefined;
  const started = new Date();
  const loadBefore = os.loadavg();
  try {
    const [p, b] = await Promise.allSettled([startPortal(log), startBareServer()]);
    if (p.status === 'fulfilled') portal = p.value;
    if (b.status === 'fulfilled') bare = b.value;
    if (p.status === 'rejected') throw p.reason;
    if (b.status === 'rejected') throw b.reason;
    if (!portal || !bare) throw new Error('unreachable');
    const portalUrl = portal.url;
    const ctx: BenchContext = {
      url: portalUrl,
      articlePath: await findArticlePath(portalUrl),
      fetch: (p, init) => fetch(new URL(p, portalUrl), init),
    };
    log(`portal at ${portalUrl}, article ${ctx.articlePath}; bare server at ${bare.url}`);
    log(`${opts.durationSec} s per scenario after ${opts.warmupSec} s of warm-up, ${opts.connections} connections, ${opts.threads} wrk threads`);

    // When wrk stops, the portal still works through the requests it had accepted (a
    // slow scenario leaves seconds of them): wait until it answers /readyz (a database
    // round trip) quickly again, so no run starts behind the previous one's backlog.
    const settle = async () => {
      const until = Date.now() + 30_000;
      while (Date.now() < until) {
        const t0 = performance.now();
        await fetch(`${portalUrl}/readyz`, { signal: AbortSignal.timeout(30_000) }).then((r) => r.arrayBuffer()).catch(() => {});
        if (performance.now() - t0 < 100) return;
        await new Promise((r) => setTimeout(r, 200));
      }
      log('warning: the portal is still busy 30 s after the run');
    };
    const measure = async (name: string, url: string, req: Omit<Parameters<typeof runWrk>[0], 'url'>, portalRun: boolean) => {
      if (opts.warmupSec > 0) await runWrk({ ...req, url }, { ...opts, durationSec: opts.warmupSec, signal: abort.signal });
      if (portalRun) await settle();
      const result = await runWrk({ ...req, url }, { ...opts, signal: abort.signal });
      if (portalRun) await settle();
      log(`${name}: ${Math.round(result.rps)} req/s, p99 ${result.latency.p99.toFixed(1)} ms`);
      if (result.requests === 0) log(`warning: no request to "${name}" completed in ${opts.durationSec} s — each takes longer than that with ${opts.connections} connections; raise BENCH_DURATION`);
      return result;
    };

    const runs: (Row & { round: number })[] = [];
    for (let round = 1; round <= opts.rounds; round++) {
      if (opts.rounds > 1) log(`round ${round} of ${opts.rounds}`);
      const bareRows = new Map<string, Row>();
      for (const s of selected) {
        const baseline = baselines[s.baseline];
        if (!baseline) throw new Error(`scenario "${s.name}": no baseline "${s.baseline}" in bench/scenarios.ts`);
        if (!bareRows.has(s.baseline)) {
          const body = await baseline.body(ctx);
          const url = `${bare.url}/bytes/${body.bytes}${body.json ? '?type=json' : ''}`;
          const name = `bare (${baseline.label})`;
          const row: Row = { name, kind: 'bare', url, bodyBytes: body.bytes, result: await measure(name, url, {}, false) };
          bareRows.set(s.baseline, row);
          runs.push({ ...row, round });
        }
        const base = bareRows.get(s.baseline)!;
        const { path: p, ...req } = await s.target(ctx);
        const url = new URL(p, portalUrl).toString();
        const bodyBytes = await warm(ctx, s, p, req);
        const result = await measure(s.name, url, req, true);
        const ratio = result.rps / base.result.rps;
        const goal = s.goal && { ...s.goal, met: ratio >= s.goal.minRatio };
        runs.push({ name: s.name, kind: 'portal', url, bodyBytes, result, baseline: base.name, ratio, ...(goal ? { goal } : {}), round });
      }
    }
    const rows = opts.rounds === 1 ? runs.map(({ round: _, ...row }) => row) : medians(runs);

    const report = {
      date: started.toISOString(),
      machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model.trim(), memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.type()} ${os.release()}`, loadavgBefore: loadBefore.map((l) => +l.toFixed(2)), loadavgAfter: os.loadavg().map((l) => +l.toFixed(2)) },
      database: portal.database,
      redis: portal.redis,
      loadGenerator: wrk,
      ...opts,
      articlePath: ctx.articlePath,
      rows,
      ...(opts.rounds > 1 ? { runs } : {}),
    };
    process.stdout.write(formatReport(report));
    const resultsDir = path.join(here, 'results');
    fs.mkdirSync(resultsDir, { recursive: true });
    const file = path.join(resultsDir, `${started.toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
    log(`results written to ${path.relative(process.cwd(), file)}`);
    if (values.check && rows.some((r) => r.goal && !r.goal.met)) process.exitCode = 1;
  } finally {
    if (!abort.signal.aborted) {
      await Promise.all([portal?.stop(), bare?.child.stop()]);
    }
  }
}

/** One request first: it must succeed, fills the page cache, and gives the body size. */
async function warm(ctx: BenchContext, s: Scenario, p: string, req: { method?: string; headers?: Record<string, string>; body?: string; uniqueQuery?: boolean }): Promise<number> {
  const probe = req.uniqueQuery ? `${p}${p.includes('?') ? '&' : '?'}b=probe-${Date.now()}` : p;
  const init: RequestInit = { method: req.method ?? 'GET', headers: req.headers, body: req.body, redirect: 'manual' };
  const first = await ctx.fetch(probe, init);
  const bytes = (await first.arrayBuffer()).byteLength;
  if (first.status >= 300) throw new Error(`scenario "${s.name}": ${init.method} ${probe} answered ${first.status}, not 2xx`);
  if (s.expectCacheHit) {
    const again = await ctx.fetch(probe, init);
    await again.arrayBuffer();
    if (again.headers.get('x-cache') !== 'hit') log(`warning: "${s.name}" is not served from the page cache (no x-cache: hit on the second request)`);
  }
  return bytes;
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
    return {
      ...rs[0]!,
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
      goal: rs[0]!.goal && { ...rs[0]!.goal, met: ratios.length > 0 && median(ratios) >= rs[0]!.goal.minRatio },
    };
  }).map(({ round: _, ...row }) => row as Row);
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtPct = (r: number) => `${(r * 100).toFixed(r < 0.1 ? 1 : 0)} %`;
const fmtMs = (n: number) => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));

function formatReport(r: {
  date: string;
  machine: { cores: number; cpu?: string; node: string; loadavgBefore: number[] };
  database: string;
  redis: boolean;
  loadGenerator: string;
  durationSec: number;
  connections: number;
  threads: number;
  rounds: number;
  rows: Row[];
}): string {
  const header = ['scenario', 'body B', 'req/s', 'p50 ms', 'p99 ms', 'vs bare', 'non-2xx/3xx', 'socket errors'];
  const table = r.rows.map((row) => {
    const e = row.result.errors;
    return [
      row.name,
      fmtInt(row.bodyBytes),
      fmtInt(row.result.rps),
      row.result.requests ? fmtMs(row.result.latency.p50) : '—',
      row.result.requests ? fmtMs(row.result.latency.p99) : '—',
      row.ratio === undefined ? '' : fmtPct(row.ratio),
      String(row.result.non2xx3xx),
      String(e.connect + e.read + e.write + e.timeout),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [
    '',
    `Gorod bench — ${r.date}`,
    `machine: ${r.machine.cores} cores (${r.machine.cpu ?? 'unknown CPU'}), Node ${r.machine.node}, load average before ${r.machine.loadavgBefore.join(' ')}`,
    `database: ${r.database}${r.redis ? ' + Redis' : ''}; load: ${r.loadGenerator}, ${r.durationSec} s, ${r.connections} connections, ${r.threads} threads${r.rounds > 1 ? `; medians of ${r.rounds} rounds` : ''}`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...table.map(line),
    '',
    '"vs bare" is req/s divided by the bare node:http server\'s req/s with a body of the same size, in this run.',
  ];
  for (const row of r.rows) {
    if (!row.goal || row.ratio === undefined) continue;
    out.push(`target (${row.goal.source}): ${row.name} ≥ ${fmtPct(row.goal.minRatio)} of the bare server — ${row.goal.met ? 'met' : 'NOT met'} (${fmtPct(row.ratio)})`);
  }
  return out.join('\n') + '\n';
}

main().catch(async (err: Error) => {
  if (abortedBySignal()) return; // the signal handler stops everything and exits
  log(err.stack ?? err.message);
  await stopAll();
  process.exit(1);
});
