// Instances with JOBS=off answer readers and run no job; `gorod worker` runs them at a
// lower CPU priority. On PostgreSQL: a web instance queues a newsletter's send, the
// worker process sends it; on PGlite the configuration refuses JOBS=off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createJobs } from '../platform/jobs.js';
import { ConfigError, loadConfig } from '../config.js';
import type { Database } from '../db/connection.js';
import { startPortal } from '../../test/support/portal.js';
import { startSmtpSink } from '../../test/support/smtp-sink.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const gorod = path.join(root, 'bin', 'gorod.js');
const quiet = { warn() {}, info() {}, error() {} } as unknown as Parameters<typeof createJobs>[1];
// The scheduler alone: on PGlite a run is the job itself, with no lock to take.
const embedded = { kind: 'pglite' } as Database;

test('JOBS=off needs a shared PostgreSQL; WORKER_NICE is 0 to 19', () => {
  assert.throws(() => loadConfig({ JOBS: 'off' }), (err: unknown) => err instanceof ConfigError && err.problems.some((p) => p.startsWith('JOBS: off needs DATABASE_URL')));
  const c = loadConfig({ JOBS: 'off', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x', WORKER_NICE: '15' });
  assert.equal(c.jobs, false);
  assert.equal(c.workerNice, 15);
  assert.equal(loadConfig({}).jobs, true);
  assert.throws(() => loadConfig({ WORKER_NICE: '20' }), /WORKER_NICE: expected an integer from 0 to 19/);
});

test('with the jobs off an instance neither ticks nor runs a kicked job', async () => {
  for (const enabled of [true, false]) {
    const jobs = createJobs(embedded, quiet, { enabled });
    let runs = 0;
    let ran!: () => void;
    const first = new Promise<void>((resolve) => (ran = resolve));
    jobs.define('count', 20, async () => {
      runs++;
      ran();
    });
    jobs.kick('count');
    jobs.start();
    // Enabled: the kick runs it at once. Off: neither the kick nor 20 ticks' time does.
    await Promise.race([first, new Promise((r) => setTimeout(r, enabled ? 5000 : 400))]);
    await jobs.stop();
    if (enabled) assert.ok(runs >= 1, 'the kicked job ran');
    else assert.equal(runs, 0, 'nothing ran with the jobs off');
  }
});

test('`gorod worker` refuses the embedded database with one clear line', () => {
  const env = { ...process.env, LOG_LEVEL: 'silent', DATA_DIR: path.join(root, '.tmp-worker-none') } as Record<string, string>;
  delete env.DATABASE_URL;
  const res = spawnSync(process.execPath, [gorod, 'worker'], { env, encoding: 'utf8' });
  assert.equal(res.status, 1);
  // The last line: a first run after an edit may print dist/'s rebuild before it.
  assert.match(res.stderr.trim().split('\n').at(-1)!, /^gorod: worker needs DATABASE_URL/);
});

test('a web instance with JOBS=off queues a send; `gorod worker` sends it at its own nice value, in the idle class', { skip: process.env.DATABASE_URL ? false : 'needs PostgreSQL (DATABASE_URL): JOBS=off shares the database with a worker process' }, async () => {
  const smtp = await startSmtpSink();
  const portal = await startPortal({ config: { jobs: false, smtpUrl: smtp.url } });
  let worker: ReturnType<typeof spawn> | undefined;
  try {
    const nl = portal.app.newsletter;
    const list = await nl.service.createList({ slug: 'worker-test', name: 'Проверка воркера', description: '', kind: 'daily', sendTime: '07:00', weekday: null, sectionIds: [], maxItems: 5, minNewItems: 0, active: true, position: 60 });
    const emails = ['worker-a@example.ru', 'worker-b@example.ru', 'worker-c@example.ru'];
    for (const email of emails) await nl.service.choose(await nl.service.ensureSubscriber(email), [list.id], 'test-ip', 'test');
    // Queued as the back office's «Отправить сейчас» does, which kicks the send job: here it must not run.
    const send = await nl.issues.sendDigest(list, null);
    assert.ok(send && !send.skipped);
    portal.app.jobs.kick('newsletter.send');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(smtp.messages.length, 0, 'the web instance sent nothing');

    const env: Record<string, string> = { ...(process.env as Record<string, string>), DATABASE_URL: portal.databaseUrl!, DATA_DIR: portal.dataDir, SMTP_URL: smtp.url, REDIS_PREFIX: portal.redisPrefix, PUBLIC_URL: portal.url, WORKER_NICE: '7', LOG_LEVEL: 'info', SEED_DEMO: 'false' };
    worker = spawn(process.execPath, [gorod, 'worker'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    worker.stdout!.on('data', (d: Buffer) => (out += d));
    worker.stderr!.on('data', (d: Buffer) => (out += d));
    // The send job ticks every 5 s.
    await smtp.until(() => emails.every((e) => smtp.to(e).length === 1), 60_000).catch(() => assert.fail(`the worker did not send: ${out}`));
    const stat = fs.readFileSync(`/proc/${worker.pid}/stat`, 'utf8');
    // Field 19 of /proc/PID/stat is the nice value, field 41 the scheduling policy (5: SCHED_IDLE); the name (field 2) has no spaces here.
    // Lowered only: started from a process niced further (a niced test run), it keeps that.
    assert.equal(Number(stat.split(' ')[18]), Math.max(7, os.getPriority()));
    assert.equal(Number(stat.split(' ')[40]), 5, 'the idle scheduling class');
    assert.match(out, /"msg":"worker running the jobs"/);
    const exited = new Promise<number | null>((resolve) => worker!.once('exit', resolve));
    worker.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.equal((await nl.sender.run()), 0, 'nothing was left to send');
  } finally {
    if (worker && worker.exitCode === null) worker.kill('SIGKILL');
    await portal.close();
    await smtp.close();
  }
});
