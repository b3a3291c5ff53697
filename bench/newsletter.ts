// `npm run bench -- --only newsletter` (`--pg` or DATABASE_URL: on PostgreSQL): the
// newsletter's send at scale — a digest to BENCH_NEWSLETTER_SUBSCRIBERS (default
// 100,000) confirmed subscribers, BENCH_NEWSLETTER_PERSONAL (default 0.1) of them
// with a personal part (a saved search in the classifieds with new ads), queued in
// one statement and handed by the module's own sender through the pooled SMTP mailer
// to a local SMTP sink. The processes, as in production (bench/newsletter-server.ts,
// with `npm start`'s Node options): on PGlite one portal that holds the database,
// serves the pages and sends; on PostgreSQL a web instance with JOBS=off and a
// sender that is what `gorod worker` is (no listener, nice WORKER_NICE) —
// BENCH_NEWSLETTER_ONE_PROCESS=1 sends from the serving instance instead, as a
// single-instance install does. Beside them the SMTP sink (bench/newsletter-sink.ts)
// and this one (wrk's driver). wrk measures the cached article page of the serving
// instance (p99) idle and then during the send. Reports the mails per second, the
// sending process's own peak RSS during the send, and the page latencies, and prints
// one summary line per goal of issue 16.
// BENCH_NEWSLETTER_PROFILE=file.cpuprofile: a CPU profile of the send alone.
// BENCH_NEWSLETTER_SINK_NICE and BENCH_NEWSLETTER_DB_NICE (PostgreSQL, as root): the
// sink, and the database backends that serve the sender, in the idle scheduling
// class — standing for the relay and the database on machines of their own, as in
// production; 0 (the default) leaves them at the web instance's priority.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startNodeFlags, workerNodeFlags } from '../scripts/start-flags.js';
import { ensurePostgresDatabase, redact } from './fixtures.js';
import { runWrk, wrkVersion, type LoadResult } from './wrk.js';
import { findArticlePath } from './portal.js';
import { lowerPriority } from '../src/platform/priority.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const log = (line: string) => process.stderr.write(`bench newsletter: ${line}\n`);
const MB = 1024 * 1024;

/** A child over IPC: its first message, then answers to questions, in order. */
function start(file: string, execArgv: string[], env: NodeJS.ProcessEnv) {
  const child = fork(path.join(here, file), [], { execArgv: ['--import', 'tsx', ...execArgv], env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Record<string, unknown>));
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
  const ask = <T,>(message: object) =>
    new Promise<T>((resolve, reject) => {
      child.once('message', (m: Record<string, unknown>) => (m.error ? reject(new Error(String(m.error))) : resolve(m as T)));
      child.send(message);
    });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', () => (clearTimeout(timer), resolve()));
      child.send({ close: true });
    });
  return { child: child as ChildProcess, ready, ask, stop };
}

const SENDER_APP = 'gorod-bench-sender';

function withApplicationName(url: string, name: string): string {
  const u = new URL(url);
  u.searchParams.set('application_name', name);
  return u.toString();
}

/**
 * BENCH_NEWSLETTER_DB_NICE: the PostgreSQL backends that serve the sender, lowered
 * as the worker lowers itself (the nice value and the idle scheduling class; as root,
 * on Linux) — they stand for a database on a machine of its own, as the sink stands
 * for the relay. Checked twice a second, since the sender's pool opens sessions as it
 * needs them; the web instance's sessions and PostgreSQL's own processes keep their
 * priority.
 */
function lowerSenderBackends(databaseUrl: string, nice: number): { stop: () => Promise<void> } {
  const client = new pg.Client({ connectionString: databaseUrl });
  const done = new Set<number>();
  let stopped = false;
  const loop = (async () => {
    await client.connect();
    while (!stopped) {
      const { rows } = await client.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [SENDER_APP]);
      for (const { pid } of rows) {
        if (done.has(pid)) continue;
        done.add(pid);
        lowerPriority(nice, log, pid);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  })().catch((err: Error) => log(`lowering the sender's backends: ${err.message}`));
  return { stop: async () => { stopped = true; await loop; await client.end().catch(() => {}); log(`${done.size} backends of the sender in the idle class`); } };
}

export async function benchNewsletter({ pg: onPg }: { pg: boolean } = { pg: false }): Promise<void> {
  const count = Number(process.env.BENCH_NEWSLETTER_SUBSCRIBERS ?? 100_000);
  const wrkSeconds = Number(process.env.BENCH_NEWSLETTER_WRK_SECONDS ?? 10);
  const connections = process.env.SMTP_POOL_CONNECTIONS ?? '10';
  let databaseUrl = '';
  if (onPg) {
    const url = new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/gorod_bench');
    url.pathname = `/gorod_newsletter_bench_${crypto.randomBytes(4).toString('hex')}`;
    databaseUrl = url.toString();
    await ensurePostgresDatabase(databaseUrl);
    log(`PostgreSQL ${redact(databaseUrl)}`);
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-bench-newsletter-'));
  const sink = start('newsletter-sink.ts', [], process.env);
  let portal: ReturnType<typeof start> | undefined;
  let lowerBackends: { stop: () => Promise<void> } | undefined;
  let sender: ReturnType<typeof start> | undefined;
  try {
    const { url: smtpUrl } = (await sink.ready) as { url: string };
    const env = { ...process.env, DATABASE_URL: databaseUrl, SMTP_URL: smtpUrl, SMTP_POOL_CONNECTIONS: connections, BENCH_NEWSLETTER_SUBSCRIBERS: String(count), BENCH_NEWSLETTER_DIR: dataDir };
    // The database filled by a process of its own; the portal then starts on it.
    const filling = fork(path.join(here, 'newsletter-server.ts'), [], { execArgv: ['--import', 'tsx'], env: { ...env, BENCH_NEWSLETTER_FILL: '1' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const code = await new Promise<number | null>((resolve) => filling.once('exit', resolve));
    if (code !== 0) throw new Error(`filling the database failed (${code})`);
    const split = Boolean(databaseUrl) && process.env.BENCH_NEWSLETTER_ONE_PROCESS !== '1';
    const flags = startNodeFlags(path.resolve(here, '..'));
    const senderFlags = workerNodeFlags(path.resolve(here, '..'));
    portal = start('newsletter-server.ts', flags, { ...env, BENCH_NEWSLETTER_ROLE: split ? 'web' : 'portal' });
    const { port, personal, rss: webRss } = (await portal.ready) as { port: number; personal: number; rss: number };
    // The sender's database sessions are named, so that BENCH_NEWSLETTER_DB_NICE can find them.
    const senderUrl = databaseUrl ? withApplicationName(databaseUrl, SENDER_APP) : '';
    sender = split ? start('newsletter-server.ts', senderFlags, { ...env, DATABASE_URL: senderUrl, BENCH_NEWSLETTER_ROLE: 'sender' }) : portal;
    if (split) await sender.ready;
    const dbNice = split ? Number(process.env.BENCH_NEWSLETTER_DB_NICE ?? 0) : 0;
    if (dbNice > 0) lowerBackends = lowerSenderBackends(databaseUrl, dbNice);
    const base = `http://127.0.0.1:${port}`;
    const wrk = wrkVersion();
    if (!wrk) log('wrk is not installed: no page latencies');
    const article = wrk ? await findArticlePath(base) : null;
    // Two loads on the same page: wrk as fast as the portal answers (its p99 is then
    // the queue's length, which anything else on the 2 cores lengthens), and paced at
    // BENCH_NEWSLETTER_PAGE_RATE pages a second (default 500: a city portal's busy
    // hour on one instance), whose p99 is what a reader waits — the goal's figure.
    const pageRate = Number(process.env.BENCH_NEWSLETTER_PAGE_RATE ?? 500);
    const load = (sec: number, paced = false): Promise<LoadResult> | null =>
      wrk && article && sec > 0 ? runWrk({ url: base + article, ...(paced ? { pauseMs: (10 * 1000) / pageRate } : {}) }, { durationSec: sec, connections: 10, threads: 1 }) : null;
    if (article) for (let i = 0; i < 3; i++) await fetch(base + article); // into the page cache
    const idle = await load(wrkSeconds);
    const idlePaced = await load(wrkSeconds, true);
    const loadBefore = os.loadavg();
    const sending = sender.ask<{ result: { sent: number; queueMs: number; sendMs: number; rssBefore: number; peakRss: number; carried: number; database: string; commitsPerMail: number } }>({ send: true });
    // The same page while the sender works (it starts a second in, when the queue is being worked).
    let sendDone = false;
    void sending.then(() => (sendDone = true), () => (sendDone = true));
    const busy = await new Promise<Promise<LoadResult> | null>((resolve) => setTimeout(() => resolve(load(wrkSeconds)), 1000));
    const during = busy ? await busy : null;
    const busyPaced = sendDone ? null : load(wrkSeconds, true);
    const duringPaced = busyPaced ? await busyPaced : null;
    const coveredAll = !sendDone;
    const { result: r } = await sending;
    const loadAfter = os.loadavg();
    const deadline = Date.now() + 60_000;
    let got = await sink.ask<{ received: number; rss: number }>({ count: true });
    while (got.received < r.sent && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 200));
      got = await sink.ask<{ received: number; rss: number }>({ count: true });
    }
    const rate = r.sent / (r.sendMs / 1000);
    const ms = (x: LoadResult | null) => (x ? { p50_ms: +x.latency.p50.toFixed(1), p99_ms: +x.latency.p99.toFixed(1), rps: Math.round(x.rps), non2xx3xx: x.non2xx3xx } : null);
    const report = {
      database: r.database,
      subscribers: count,
      with_personal_part: personal,
      personal_parts_carried: r.carried,
      queued_ms: r.queueMs,
      commits_per_mail: Number.isNaN(r.commitsPerMail) ? null : r.commitsPerMail,
      sent: r.sent,
      received_by_sink: got.received,
      send_s: +(r.sendMs / 1000).toFixed(1),
      mails_per_s: Math.round(rate),
      processes: split ? 'web instance (JOBS=off) + sender (as gorod worker)' : 'one portal serves and sends',
      sender_rss_before_send_mb: Math.round(r.rssBefore / MB),
      sender_peak_rss_mb: Math.round(r.peakRss / MB),
      ...(split ? { web_rss_at_start_mb: Math.round(webRss / MB) } : {}),
      sink_rss_mb: Math.round(got.rss / MB),
      sink_nice: Number(process.env.BENCH_NEWSLETTER_SINK_NICE ?? 0),
      sender_db_backends_nice: dbNice,
      smtp_pool_connections: Number(connections),
      node_options: flags.join(' '),
      ...(split ? { sender_node_options: senderFlags.join(' ') } : {}),
      article,
      article_idle: ms(idle),
      article_during_send: ms(during),
      page_rate: pageRate,
      article_idle_paced: ms(idlePaced),
      article_during_send_paced: ms(duringPaced),
      wrk_within_send: coveredAll,
      load_average: { before_send: loadBefore.map((l) => +l.toFixed(2)), after_send: loadAfter.map((l) => +l.toFixed(2)) },
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
    const where = `${r.database}${split ? ', web + worker' : ', one process'}, ${count} subscribers, ${personal} with a personal part, load ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`;
    process.stdout.write(`newsletter goal rate:    ${report.mails_per_s} mails/s (${r.sent} in ${report.send_s} s, sink got ${got.received}) — goal ≥ 500: ${verdict(rate >= 500 && got.received >= r.sent)} [${where}]\n`);
    process.stdout.write(`newsletter goal memory:  sending process peak RSS ${report.sender_peak_rss_mb} MB (before the send ${report.sender_rss_before_send_mb} MB${r.database === 'pglite' ? ', PGlite inside' : ''}) — goal < 300 MB: ${verdict(r.peakRss < 300 * MB)} [${where}]\n`);
    const change = (a: LoadResult, b: LoadResult) => (b.latency.p99 / a.latency.p99 - 1) * 100;
    const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(0)} %`;
    if (idle && during) process.stdout.write(`newsletter page, unpaced:  cached article p99 idle ${idle.latency.p99.toFixed(1)} ms, during the send ${during.latency.p99.toFixed(1)} ms (${signed(change(idle, during))}); ${Math.round(idle.rps)} → ${Math.round(during.rps)} pages/s [${where}]\n`);
    if (idlePaced && duringPaced) {
      const c = change(idlePaced, duringPaced);
      process.stdout.write(`newsletter goal latency: cached article p99 at ${pageRate} pages/s idle ${idlePaced.latency.p99.toFixed(1)} ms, during the send ${duringPaced.latency.p99.toFixed(1)} ms (${signed(c)}) — goal within 20 %: ${verdict(c <= 20)} [${where}]\n`);
    } else if (idlePaced) process.stdout.write(`newsletter goal latency: the send ended before the paced load ran: send more (BENCH_NEWSLETTER_SUBSCRIBERS) [${where}]\n`);
  } finally {
    await lowerBackends?.stop();
    if (sender && sender !== portal) await sender.stop();
    await portal?.stop();
    await sink.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (databaseUrl) {
      const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
      const admin = new URL(databaseUrl);
      admin.pathname = '/postgres';
      const c = new pg.Client({ connectionString: admin.toString() });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    }
  }
}
