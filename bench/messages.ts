// Messages under load (the messages module's issue): N conversations whose
// receivers each have the event stream open — half on each of two instances sharing
// PostgreSQL and Redis — and messages sent through the first instance: the time from
// the send until the receiver's stream ticks (p50, p99, max, missed), per instance
// the stream is on; then the operator's inbox across 50 storefronts (the JSON route,
// p50/p95). Without --pg and REDIS_URL: one instance (PGlite or PostgreSQL).
//
//   npm run bench -- --only messages                 PGlite, one instance
//   npm run bench -- --only messages --pg            PostgreSQL (DATABASE_URL or the default), + Redis with REDIS_URL: two instances
//   MESSAGES_STREAMS=2000 MESSAGES_ROUNDS=5 MESSAGES_PER_ROUND=200   the defaults
//
// Goals: delivery p99 < 300 ms; the operator's inbox p95 < 50 ms.
import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pgLib from 'pg';
import { startNodeFlags } from '../scripts/start-flags.js';
import { ensurePostgresDatabase, redact } from './fixtures.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const log = (line: string) => process.stderr.write(`bench messages: ${line}\n`);
const int = (name: string, fallback: number) => Math.max(1, Number(process.env[name] ?? fallback) || fallback);

interface Instance {
  child: ChildProcess;
  port: number;
  fixtureFile: string;
  ask<T>(message: object, key: string): Promise<T>;
}

async function startInstance(env: Record<string, string>): Promise<Instance> {
  const child = fork(path.join(here, 'messages-server.ts'), [], { execArgv: ['--import', 'tsx', '--expose-gc', ...startNodeFlags(path.resolve(here, '..'))], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<{ port: number; fixtureFile: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { port: number; fixtureFile: string }));
    child.once('exit', (code) => reject(new Error(`messages-server exited with ${code}`)));
  });
  // One listener per key; answers come back in the order asked.
  const waiting = new Map<string, ((m: Record<string, unknown>) => void)[]>();
  child.on('message', (m: Record<string, unknown>) => {
    for (const key of Object.keys(m)) {
      const q = waiting.get(key);
      const next = q?.shift();
      if (next) return next(m);
    }
  });
  return {
    child,
    port: ready.port,
    fixtureFile: ready.fixtureFile,
    ask: <T,>(message: object, key: string) =>
      new Promise<T>((resolve) => {
        if (!waiting.has(key)) waiting.set(key, []);
        waiting.get(key)!.push(resolve as (m: Record<string, unknown>) => void);
        child.send(message);
      }),
  };
}

interface Stream {
  socket: net.Socket;
  instance: number;
  ticks: number[];
  open: boolean;
}

function openStream(port: number, cookie: string, instance: number): Promise<Stream> {
  return new Promise((resolve) => {
    const s: Stream = { socket: net.connect(port, '127.0.0.1'), instance, ticks: [], open: false };
    s.socket.setNoDelay(true);
    s.socket.on('connect', () => s.socket.write(`GET /me/messages/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nCookie: ${cookie}\r\n\r\n`));
    s.socket.on('error', () => resolve(s));
    s.socket.setEncoding('latin1');
    s.socket.on('data', (chunk: string) => {
      const now = performance.now();
      for (const _ of chunk.matchAll(/^data: /gm)) s.ticks.push(now);
      if (!s.open && s.ticks.length) {
        s.open = true;
        resolve(s);
      }
    });
    setTimeout(() => resolve(s), 30_000);
  });
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);

export async function benchMessages({ pg }: { pg: boolean }) {
  const total = int('MESSAGES_STREAMS', 2000);
  const rounds = int('MESSAGES_ROUNDS', 5);
  const perRound = int('MESSAGES_PER_ROUND', 200);
  let databaseUrl: string | undefined;
  if (pg) {
    const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/gorod_bench';
    const url = new URL(base);
    url.pathname = `/gorod_messages_bench_${crypto.randomBytes(4).toString('hex')}`;
    databaseUrl = url.toString();
    await ensurePostgresDatabase(databaseUrl);
    log(`PostgreSQL ${redact(databaseUrl)}`);
  }
  const redis = pg && process.env.REDIS_URL ? process.env.REDIS_URL : '';
  const env = { DATABASE_URL: databaseUrl ?? '', REDIS_URL: redis, REDIS_PREFIX: `gorod-messages-bench:${crypto.randomBytes(3).toString('hex')}:`, MESSAGES_STREAMS: String(total) };
  const filled = performance.now();
  const a = await startInstance(env);
  log(`filled in ${((performance.now() - filled) / 1000).toFixed(1)} s`);
  const instances = [a];
  if (redis) instances.push(await startInstance({ ...env, BENCH_MESSAGES_READY: a.fixtureFile }));
  const { cookies } = JSON.parse(fs.readFileSync(a.fixtureFile, 'utf8')) as { cookies: string[] };
  log(`${instances.length} instance(s)${redis ? ' sharing Redis' : ''}; opening ${total} streams`);

  // Receiver i's stream on instance i % instances.length.
  const streams: Stream[] = [];
  for (let k = 0; k < cookies.length; k += 200) {
    streams.push(...(await Promise.all(cookies.slice(k, k + 200).map((c, j) => openStream(instances[(k + j) % instances.length]!.port, c, (k + j) % instances.length)))));
  }
  const opened = streams.filter((s) => s.open).length;
  log(`${opened}/${total} streams open`);
  const memory = await Promise.all(instances.map((i) => i.ask<{ rss: number; streams: number }>({ memory: true }, 'rss')));

  const results = [];
  const all: Record<number, number[]> = {};
  for (let r = 0; r < rounds; r++) {
    await new Promise((res) => setTimeout(res, 300));
    const picks = Array.from({ length: perRound }, () => Math.floor(Math.random() * total));
    const uniq = [...new Set(picks)];
    const latencies: { instance: number; ms: number | null }[] = [];
    // Sent ten at a time, each timed from its own send.
    for (let k = 0; k < uniq.length; k += 10) {
      await Promise.all(
        uniq.slice(k, k + 10).map(async (i) => {
          const s = streams[i]!;
          const before = s.ticks.length;
          const t0 = performance.now();
          await a.ask({ send: i }, 'sent');
          const deadline = Date.now() + 5000;
          while (s.ticks.length <= before && Date.now() < deadline) await new Promise((res) => setTimeout(res, 2));
          latencies.push({ instance: s.instance, ms: s.ticks.length > before ? s.ticks[before]! - t0 : null });
        }),
      );
    }
    const delivered = latencies.filter((l) => l.ms !== null).map((l) => l.ms!).sort((x, y) => x - y);
    for (const l of latencies) if (l.ms !== null) (all[l.instance] ??= []).push(l.ms);
    const row = { round: r + 1, sent: latencies.length, delivered: delivered.length, missed: latencies.length - delivered.length, p50: pct(delivered, 50), p99: pct(delivered, 99), max: delivered.at(-1) ?? NaN };
    results.push(row);
    log(`round ${row.round}: ${row.delivered}/${row.sent} delivered, p50 ${row.p50.toFixed(1)} ms, p99 ${row.p99.toFixed(1)} ms, max ${row.max.toFixed(1)} ms${row.missed ? `, ${row.missed} MISSED` : ''}`);
  }
  const byInstance = Object.entries(all).map(([i, list]) => {
    const s = list.sort((x, y) => x - y);
    return { instance: Number(i) + 1, delivered: s.length, p50: pct(s, 50), p99: pct(s, 99), max: s.at(-1) };
  });

  const inbox = await a.ask<{ inboxMs: number[] }>({ inbox: 200 }, 'inboxMs');
  const inboxSorted = inbox.inboxMs.slice(20).sort((x, y) => x - y);
  log(`operator inbox across 50 storefronts: p50 ${pct(inboxSorted, 50).toFixed(1)} ms, p95 ${pct(inboxSorted, 95).toFixed(1)} ms`);

  const after = await Promise.all(instances.map((i) => i.ask<{ rss: number; streams: number; slow: number }>({ memory: true }, 'rss')));
  for (const s of streams) s.socket.destroy();
  await Promise.all(instances.map((i) => new Promise((res) => (i.child.once('exit', res), i.child.send({ stop: true })))));
  if (databaseUrl) {
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
    opened,
    rounds: results,
    byInstance,
    worstP99Ms: p99s.at(-1),
    inbox: { storefronts: 50, calls: inboxSorted.length, p50Ms: pct(inboxSorted, 50), p95Ms: pct(inboxSorted, 95), maxMs: inboxSorted.at(-1) },
    rssMb: after.map((m, i) => ({ instance: i + 1, streams: memory[i]!.streams, withStreams: Math.round(memory[i]!.rss / 1048576), slowClosed: m.slow })),
    goals: { deliveryP99Under300ms: (p99s.at(-1) ?? Infinity) < 300, inboxP95Under50ms: pct(inboxSorted, 95) < 50, nothingMissed: results.every((r) => r.missed === 0) },
  };
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  const dir = path.join(here, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `messages-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify(summary, null, 2));
  log(`written to ${path.relative(process.cwd(), file)}`);
}
