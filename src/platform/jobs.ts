// Periodic jobs (publish scheduled articles, flush views, …). Each run takes a
// transaction-scoped Postgres advisory lock first, so with several instances a job
// runs in one of them at a time; the others skip that tick. An instance started with
// JOBS=off runs none: a `gorod worker` beside it does (src/cli/worker.ts), so a long
// job (a newsletter's send) never takes CPU from the instances that answer readers.
import { sql } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/connection.js';

interface Job {
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
}

function lockKey(name: string): number {
  let h = 0;
  for (const ch of `job:${name}`) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

export function createJobs(database: Database, log: FastifyBaseLogger, { enabled = true }: { enabled?: boolean } = {}) {
  const jobs = new Map<string, Job>();
  let stopped = false;

  async function runOnce(job: Job): Promise<boolean> {
    // PGlite is one process's own database: no other instance to exclude, and its
    // single connection must stay free for the job's own queries.
    if (database.kind === 'pglite') {
      await job.run();
      return true;
    }
    return database.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${lockKey(job.name)}) as locked`.execute(trx);
      if (!rows[0]?.locked) return false;
      await job.run();
      return true;
    });
  }

  return {
    /** Registers a job; it starts ticking on start(). */
    define(name: string, everyMs: number, run: () => Promise<unknown>): void {
      jobs.set(name, { name, everyMs, run });
    },
    /** Runs a job now (tests, CLI), under the same lock. */
    async run(name: string): Promise<boolean> {
      const job = jobs.get(name);
      if (!job) throw new Error(`unknown job ${name}`);
      return runOnce(job);
    },
    /**
     * Asks for a job's run now, after a write that gave it work (a send queued), where
     * this instance runs jobs; elsewhere the instance that runs them finds the work at
     * its next tick. Failures are logged, never thrown to the caller.
     */
    kick(name: string): void {
      if (!enabled) return;
      void this.run(name).catch((err: Error) => log.warn({ err, job: name }, 'job failed'));
    },
    start(): void {
      if (!enabled) return;
      for (const job of jobs.values()) {
        const tick = () => {
          if (stopped || job.running) return;
          job.running = runOnce(job)
            .then(() => undefined)
            .catch((err: Error) => log.warn({ err, job: job.name }, 'job failed'))
            .finally(() => (job.running = undefined));
        };
        job.timer = setInterval(tick, job.everyMs);
        job.timer.unref();
      }
    },
    async stop(): Promise<void> {
      stopped = true;
      for (const job of jobs.values()) clearInterval(job.timer);
      await Promise.all([...jobs.values()].map((j) => j.running));
    },
  };
}
export type Jobs = ReturnType<typeof createJobs>;
