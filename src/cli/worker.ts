// `gorod worker`: the periodic jobs (scheduled publishing, the newsletter's send,
// notification mails, alerts, imports, pruning) in a process that answers no reader.
// Beside instances started with JOBS=off, a long job — 100,000 digests — runs here at
// a lower CPU priority (WORKER_NICE, default 10), so on a shared machine the pages
// come first; the jobs' advisory locks still let several workers run side by side.
import os from 'node:os';
import type { Config } from '../config.js';
import type { Database } from '../db/connection.js';
import { buildApp } from '../server.js';
import type { App } from '../types.js';

/** Lowers this process's CPU priority to `nice`; a failure (a container without the right) is logged, not fatal. */
export function lowerPriority(nice: number, log: (message: string) => void): void {
  try {
    if (os.getPriority() < nice) os.setPriority(nice);
  } catch (err) {
    log(`worker: could not lower the CPU priority to ${nice}: ${(err as Error).message}`);
  }
}

export async function runWorker(config: Config, database: Database): Promise<App> {
  // The jobs run here whatever JOBS says for the instances that serve pages.
  const app = await buildApp({ config: { ...config, jobs: true, seedDemo: false }, database });
  lowerPriority(config.workerNice, (line) => app.log.warn(line));
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'worker stopping');
    // A job in flight finishes (a send marks its chunk) within the same 15 s as serve.
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await app.close();
      await database.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // Ready starts the jobs (server.tsx's onReady); nothing listens.
  await app.ready();
  const esbuild = await import('esbuild');
  await esbuild.stop();
  app.log.info({ nice: os.getPriority() }, 'worker running the jobs');
  return app;
}
