// `gorod worker`: the periodic jobs (scheduled publishing, the newsletter's send,
// notification mails, alerts, imports, pruning) in a process that answers no reader.
// Beside instances started with JOBS=off, a long job — 100,000 digests — runs here at
// a lower CPU priority (WORKER_NICE, default 10), so on a shared machine the pages
// come first; the jobs' advisory locks still let several workers run side by side.
import os from 'node:os';
import type { Config } from '../config.js';
import type { Database } from '../db/connection.js';
import { buildApp } from '../server.js';
import { readyToRun } from '../serve.js';
import { lowerPriority } from '../platform/priority.js';
import type { App } from '../types.js';

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
