// `gorod worker`: the periodic jobs (scheduled publishing, the newsletter's send,
// notification mails, alerts, imports, pruning) in a process that answers no reader.
// Beside instances started with JOBS=off, a long job — 100,000 digests — runs here at
// a lower CPU priority (WORKER_NICE, default 10), so on a shared machine the pages
// come first; the jobs' advisory locks still let several workers run side by side.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import type { Config } from '../config.js';
import type { Database } from '../db/connection.js';
import { buildApp } from '../server.js';
import { readyToRun } from '../serve.js';
import type { App } from '../types.js';

/**
 * Lowers a process's CPU priority (this one unless `pid` says another): the nice value, and on Linux the idle
 * scheduling class (SCHED_IDLE, set with util-linux's `chrt` for every thread). The
 * class is what keeps a page's wait short: Linux's scheduler (EEVDF) lets a merely
 * niced task finish its time slice before a woken instance runs — milliseconds
 * added to a page's p99 during a send — while a task of the idle class is preempted
 * at once. `nice` 0 leaves the process as it is. A failure (no `chrt`, a container
 * without the right) is logged, not fatal.
 */
export function lowerPriority(nice: number, log: (message: string) => void, pid = process.pid): void {
  if (nice <= 0) return;
  try {
    if (os.getPriority(pid) < nice) os.setPriority(pid, nice);
  } catch (err) {
    log(`worker: could not lower the CPU priority of ${pid} to ${nice}: ${(err as Error).message}`);
  }
  if (process.platform !== 'linux') return;
  const chrt = spawnSync('chrt', ['--all-tasks', '--idle', '--pid', '0', String(pid)], { encoding: 'utf8' });
  if (chrt.status !== 0) log(`worker: could not set the idle scheduling class of ${pid}: ${(chrt.error?.message ?? chrt.stderr).trim()}`);
}

export async function runWorker(config: Config, database: Database): Promise<App> {
  // The jobs run here whatever JOBS says for the instances that serve pages.
  const app = await buildApp({ config: { ...config, jobs: true, seedDemo: false }, database });
  lowerPriority(config.workerNice, (line) => app.log.warn(line));
  // Ready starts the jobs (server.tsx's onReady); nothing listens. A stop lets a job
  // in flight finish (a send marks its chunk) within serve's 15 s.
  await readyToRun(app, database);
  app.log.info({ nice: os.getPriority() }, 'worker running the jobs');
  return app;
}
