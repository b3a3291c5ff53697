// The first start's demo portal is loaded by a child process (`gorod seed`), not by
// the process that then serves readers. Drawing and encoding the images (libvips,
// two at a time), writing the articles and building their search index leave
// memory behind that a process does not give back — freed malloc arenas stay
// resident, and PGlite's WebAssembly memory only ever grows — so a portal that had
// seeded itself held 650 MB on PGlite where a restarted one holds far less
// (docs/capacity.md, «Memory»). The child exits when the demo is in; the server
// then starts as if restarted, and prints the demo admin account once it listens.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Config } from '../config.js';
import type { Database } from '../db/connection.js';
import type { DemoAdmin } from '../../demo/seed.js';

/** True when the database has no articles yet (or no tables at all). */
export async function needsDemo(config: Config, open: () => Promise<Database>): Promise<boolean> {
  // A new embedded database is not even opened here: opening one makes its memory.
  if (!config.databaseUrl && !fs.existsSync(path.join(config.dataDir, 'pglite', 'PG_VERSION'))) return true;
  const database = await open();
  // Imported here, not above: a first start's server then waits for its child without
  // Kysely's 20 MB (the peak is the two processes together).
  const { sql } = await import('kysely');
  try {
    // Two statements: one naming a table that is not there yet fails as a whole.
    const { rows: tables } = await sql<{ name: string | null }>`select to_regclass('articles')::text as name`.execute(database.db);
    if (!tables[0]?.name) return true;
    const { rows } = await sql<{ any: boolean }>`select exists (select 1 from articles) as any`.execute(database.db);
    return rows[0]?.any !== true;
  } finally {
    await database.close();
  }
}

/** Runs `gorod seed` in a child process (its progress on this terminal); the admin account it made, or null. */
export function seedInChild(): Promise<DemoAdmin | null> {
  return new Promise((resolve, reject) => {
    let admin: DemoAdmin | null = null;
    // Two malloc arenas instead of up to eight per core: the image threads then share
    // their freed memory instead of each keeping its own (glibc reads this at start,
    // which is why the server itself cannot set it; docs/capacity.md).
    const env = { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' };
    // --expose-gc: the child collects a new database's leftovers before it draws
    // (below). --liftoff-only: V8 runs PGlite's WebAssembly with its baseline compiler
    // alone, without optimising the hot functions again on the side — for a process
    // this short that recompiling costs more than it saves (measured: a new
    // database's opening peaks 90 MB lower, and is quicker).
    const execArgv = [...process.execArgv, '--expose-gc', '--liftoff-only'];
    const child = fork(process.argv[1]!, ['seed'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv, env });
    child.on('message', (message: { demoAdmin?: DemoAdmin }) => {
      if (message.demoAdmin) admin = message.demoAdmin;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve(admin) : reject(new Error(`loading the demo portal failed (gorod seed exited with ${code ?? signal})`))));
  });
}

/**
 * Gives back what opening a new PGlite database left behind. PGlite runs initdb in a
 * temporary second instance; once closed, its WebAssembly memory (128 MB or more,
 * every page touched) stays resident until V8 happens to collect it — during the
 * demo's images, on top of their own memory. Two collections a turn apart free it:
 * the first finds the instance unreachable, the second its memory (measured). Does
 * nothing unless node runs with --expose-gc, as seedInChild starts it.
 */
export async function collectOpeningLeftovers(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  gc();
  await nextTurn();
  gc();
}
