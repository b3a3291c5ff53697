// Live coverage under many open streams (issue 15): N server-sent event streams on
// one live article, an entry published, the time until every stream has the tick
// (p50, p99, max, missed), over several rounds; the instance's resident memory with
// the streams open. With --pg and REDIS_URL: two instances on one database and
// Redis, half the streams on each, the entry published through the first — the
// tick reaches the second through Redis.
//
//   npm run bench -- --only live                 PGlite, one instance
//   npm run bench -- --only live --pg            PostgreSQL (DATABASE_URL or the default), + Redis with REDIS_URL: two instances
//   LIVE_STREAMS=10000 LIVE_ROUNDS=5             the defaults
//   LIVE_RANGE_SEC=10 LIVE_RANGE_ROUNDS=2        the range row's wrk runs (0 rounds: no row)
//   BENCH_PROFILE=dir                            each instance writes a V8 CPU profile there when it stops
//   LIVE_EXTRA_FLAGS="--no-optimize-for-size"    Node options added after `npm start`'s (to compare V8 settings)
//
// Then, the streams closed, «the range URL under load as a cached page»: wrk on
// /live/:id/entries?after=0&upto=<head> (one instance; a page-cache hit served by
// the front door) and on the bare server (bench/bare-server.ts) answering the same
// size of JSON, in turns (portal, bare, portal, bare…), BENCH_CONNECTIONS (50) and
// BENCH_THREADS (2) as the other scenarios; goal ≥ 80 % of the bare server's req/s.
//
// The streams are this process's raw sockets (a client of our own: one request,
// then read the ticks; no EventSource library), on 127.0.0.1; the portals are child
// processes (bench/live-server.mjs), run with the Node options of `npm start`
// (scripts/start-flags.ts), as an operator's instance runs. Goals: p99 < 1 s, RSS <
// 400 MB per instance.
import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pgLib from 'pg';
import { startNodeFlags } from '../scripts/start-flags.js';
import { ensurePostgresDatabase, redact } from './fixtures.js';
import { startBareServer } from './bare-server.js';
import { runWrk, wrkVersion, type LoadResult } from './wrk.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const log = (line: string) => process.stderr.write(`bench live: ${line}\n`);
const int = (name: string, fallback: number) => Math.max(1, Number(process.env[name] ?? fallback) || fallback);
const count = (name: string, fallback: number) => Math.max(0, Number(process.env[name] ?? fallback));

/**
 * The range URL as a cached page against the bare server, in the same run: wrk in
 * turns on each (so a neighbour's load on the machine falls on both alike); the
 * ratio of the summed req/s.
 */
async function rangeVsBare(port: number, articleId: number, head: number) {
  const rounds = Number.isFinite(count('LIVE_RANGE_ROUNDS', 2)) ? count('LIVE_RANGE_ROUNDS', 2) : 2;
  if (!rounds) return null;
  if (!wrkVersion()) {
    log('wrk not found: no range row (apt-get install wrk)');
    return null;
  }
  const opts = { durationSec: int('LIVE_RANGE_SEC', 10), connections: int('BENCH_CONNECTIONS', 50), threads: int('BENCH_THREADS', 2) };
  const url = `http://127.0.0.1:${port}/live/${articleId}/entries?after=0&upto=${head}`;
  // The first ask fills the page cache; the second must be its hit.
  await fetch(url);
  const probe = await fetch(url);
  const body = Buffer.from(await probe.arrayBuffer());
  const cache = probe.headers.get('x-cache') ?? '';
  const bare = await startBareServer();
  const bareUrl = `${bare.url}/bytes/${body.length}?type=json`;
  const portalRuns: LoadResult[] = [];
  const bareRuns: LoadResult[] = [];
  try {
    // Warm-up of each, not counted.
    await runWrk({ url }, { ...opts, durationSec: 2 });
    await runWrk({ url: bareUrl }, { ...opts, durationSec: 2 });
    for (let r = 0; r < rounds; r++) {
      portalRuns.push(await runWrk({ url }, opts));
      bareRuns.push(await runWrk({ url: bareUrl }, opts));
      log(`range round ${r + 1}: portal ${Math.round(portalRuns.at(-1)!.rps)} req/s, bare ${Math.round(bareRuns.at(-1)!.rps)} req/s`);
    }
  } finally {
    await bare.child.stop();
  }
  const sum = (xs: LoadResult[], f: (x: LoadResult) => number) => xs.reduce((a, x) => a + f(x), 0);
  const rps = sum(portalRuns, (x) => x.rps) / rounds;
  const bareRps = sum(bareRuns, (x) => x.rps) / rounds;
  const row = {
    url: url.replace(/^http:\/\/127\.0\.0\.1:\d+/, ''),
    bodyBytes: body.length,
    status: probe.status,
    cacheHeader: cache,
    load: { ...opts, rounds },
    rps: Math.round(rps),
    bareRps: Math.round(bareRps),
    ratio: Math.round((rps / bareRps) * 1000) / 1000,
    p99Ms: Math.max(...portalRuns.map((x) => x.latency.p99)),
    bareP99Ms: Math.max(...bareRuns.map((x) => x.latency.p99)),
    errors: sum(portalRuns, (x) => x.non2xx3xx + x.errors.connect + x.errors.read + x.errors.write + x.errors.timeout),
  };
  log(`range as a cached page: ${row.rps} req/s, bare ${row.bareRps} req/s: ${(row.ratio * 100).toFixed(0)} % (goal ≥ 80 %)`);
  return row;
}

interface Instance {
  child: ChildProcess;
  port: number;
  articleId: number;
  ask<T>(message: object, key: string): Promise<T>;
}

async function startInstance(env: Record<string, string>): Promise<Instance> {
  // BENCH_PROFILE=dir: each instance writes a V8 CPU profile there when it stops (as bench/portal.ts).
  const profile = process.env.BENCH_PROFILE?.trim();
  const execArgv = ['--expose-gc', ...startNodeFlags(path.resolve(here, '..')), ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profile)}`] : []), ...(process.env.LIVE_EXTRA_FLAGS?.split(' ').filter(Boolean) ?? [])];
  const child = fork(path.join(here, 'live-server.mjs'), [], { execArgv, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<{ port: number; articleId: number }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { port: number; articleId: number }));
    child.once('exit', (code) => reject(new Error(`live-server exited with ${code}`)));
  });
  return {
    child,
    port: ready.port,
    articleId: ready.articleId,
    ask: <T,>(message: object, key: string) =>
      new Promise<T>((resolve) => {
        const on = (m: Record<string, unknown>) => {
          if (key in m) {
            child.off('message', on);
            resolve(m as T);
          }
        };
        child.on('message', on);
        child.send(message);
      }),
  };
}

interface Stream {
  socket: net.Socket;
  last: number;
  arrived: number;
}

function openStream(port: number, articleId: number, streams: Stream[], onFirst: () => void): Promise<void> {
  return new Promise((resolve) => {
    const s: Stream = { socket: net.connect(port, '127.0.0.1'), last: -1, arrived: 0 };
    s.socket.setNoDelay(true);
    s.socket.on('connect', () => {
      s.socket.write(`GET /live/${articleId}/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
      resolve();
    });
    s.socket.on('error', () => resolve());
    s.socket.setEncoding('latin1');
    s.socket.on('data', (chunk: string) => {
      const now = performance.now();
      for (const m of chunk.matchAll(/data: (\d+)/g)) {
        const n = Number(m[1]);
        if (n > s.last) {
          if (s.last < 0) onFirst();
          s.last = n;
          s.arrived = now;
        }
      }
    });
    streams.push(s);
  });
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);

export async function benchLive({ pg }: { pg: boolean }) {
  const total = int('LIVE_STREAMS', 10_000);
  const rounds = int('LIVE_ROUNDS', 5);
  let databaseUrl: string | undefined;
  if (pg) {
    const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/gorod_bench';
    const url = new URL(base);
    url.pathname = `/gorod_live_bench_${crypto.randomBytes(4).toString('hex')}`;
    databaseUrl = url.toString();
    await ensurePostgresDatabase(databaseUrl);
    log(`PostgreSQL ${redact(databaseUrl)}`);
  }
  const redis = pg && process.env.REDIS_URL ? process.env.REDIS_URL : '';
  const env = { DATABASE_URL: databaseUrl ?? '', REDIS_URL: redis, REDIS_PREFIX: `gorod-live-bench:${crypto.randomBytes(3).toString('hex')}:` };
  const a = await startInstance(env);
  const instances = [a];
  if (redis) instances.push(await startInstance({ ...env, BENCH_LIVE_ARTICLE: String(a.articleId) }));
  log(`${instances.length} instance(s)${redis ? ' sharing Redis' : ''}; opening ${total} streams`);
  const baseline = await Promise.all(instances.map((i) => i.ask<{ rss: number }>({ memory: true }, 'rss')));

  const streams: Stream[] = [];
  let connected = 0;
  const started = performance.now();
  const per = Math.ceil(total / instances.length);
  for (const [i, inst] of instances.entries()) {
    const count = Math.min(per, total - i * per);
    for (let k = 0; k < count; k += 250) {
      const batch = [];
      for (let j = k; j < Math.min(count, k + 250); j++) batch.push(openStream(inst.port, a.articleId, streams, () => connected++));
      await Promise.all(batch);
    }
  }
  const until = Date.now() + 60_000;
  while (connected < total && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  log(`${connected}/${total} streams have their first tick after ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const memory = await Promise.all(instances.map((i) => i.ask<{ rss: number; streams: number }>({ memory: true }, 'rss')));

  const results = [];
  for (let r = 0; r < rounds; r++) {
    await new Promise((res) => setTimeout(res, 500));
    const t0 = performance.now();
    const { seq } = await a.ask<{ seq: number }>({ publish: true }, 'seq');
    const deadline = Date.now() + 10_000;
    const open = streams.filter((s) => s.last >= 0);
    while (open.some((s) => s.last < seq) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 5));
    const delivered = open.filter((s) => s.last >= seq).map((s) => s.arrived - t0).sort((x, y) => x - y);
    const row = { round: r + 1, streams: open.length, delivered: delivered.length, missed: open.length - delivered.length, p50: pct(delivered, 50), p99: pct(delivered, 99), max: delivered.at(-1) ?? NaN };
    results.push(row);
    log(`round ${row.round}: ${row.delivered}/${row.streams} delivered, p50 ${row.p50.toFixed(0)} ms, p99 ${row.p99.toFixed(0)} ms, max ${row.max.toFixed(0)} ms${row.missed ? `, ${row.missed} MISSED` : ''}`);
  }
  const after = await Promise.all(instances.map((i) => i.ask<{ rss: number; heap: number; external: number; streams: number; slow: number }>({ memory: true }, 'rss')));
  for (const s of streams) s.socket.destroy();
  await new Promise((res) => setTimeout(res, 500));
  const head = Math.max(0, ...streams.map((s) => s.last));
  const range = head > 0 ? await rangeVsBare(a.port, a.articleId, head) : null;
  await Promise.all(instances.map((i) => new Promise((res) => (i.child.once('exit', res), i.child.send({ stop: true })))));
  if (databaseUrl) {
    // The run's own database goes with it.
    const admin = new URL(databaseUrl);
    const name = admin.pathname.slice(1);
    admin.pathname = '/postgres';
    const client = new pgLib.Client({ connectionString: admin.toString() });
    await client.connect();
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  }

  const p99s = results.map((r) => r.p99).sort((x, y) => x - y);
  const summary = {
    database: pg ? 'postgresql' : 'pglite',
    instances: instances.length,
    streams: total,
    connected,
    rounds: results,
    medianP99Ms: pct(p99s, 50),
    worstP99Ms: p99s.at(-1),
    // Resident memory after a full collection: before the streams, with them open, after the rounds.
    rssMb: after.map((m, i) => ({ instance: i + 1, streams: m.streams, beforeStreams: Math.round(baseline[i]!.rss / 1048576), withStreams: Math.round(memory[i]!.rss / 1048576), afterRounds: Math.round(m.rss / 1048576), perStreamKb: Math.round((memory[i]!.rss - baseline[i]!.rss) / 1024 / Math.max(1, m.streams)), v8HeapAfter: Math.round(m.heap / 1048576), externalAfter: Math.round(m.external / 1048576), slowClosed: m.slow })),
    // The range URL under wrk as a cached page, against the bare server in the same run (streams closed).
    range,
    goals: { p99Under1s: (p99s.at(-1) ?? Infinity) < 1000, rssUnder400Mb: after.every((m) => m.rss < 400 * 1048576), rangeAtLeast80PercentOfBare: range ? range.ratio >= 0.8 : null },
  };
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  const dir = path.join(here, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `live-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify(summary, null, 2));
  log(`written to ${path.relative(process.cwd(), file)}`);
}
