// Applies src/db/migrations/*.sql in name order. Everything runs in one transaction
// under a Postgres advisory lock, so instances starting together apply each file
// exactly once and a failed file leaves nothing half-applied.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './connection.js';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
// Any constant shared by all instances; "gorod" in ASCII.
const MIGRATION_LOCK_KEY = 0x676f726f64;

export function migrationFiles(): string[] {
  return fs.readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort();
}

/**
 * Applies what is pending. For tests of data migrations, which fill a database as
 * it was before a migration and then apply the rest: `upTo` stops after the files
 * named up to it (a file's name, inclusive, or a prefix such as '0349'); `except` leaves those files out (a database made before they were
 * written has every other one applied, whatever their numbers).
 */
export async function migrate(database: Database, { upTo, except = [] }: { upTo?: string; except?: string[] } = {}): Promise<string[]> {
  for (const name of except) if (!migrationFiles().includes(name)) throw new Error(`no migration named ${name}`);
  return database.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx);
    await sql`create table if not exists schema_migrations (
      name text primary key, applied_at timestamptz not null default now())`.execute(trx);
    const done = new Set((await trx.selectFrom('schema_migrations').select('name').execute()).map((r) => r.name));
    const applied: string[] = [];
    for (const file of migrationFiles()) {
      if (upTo !== undefined && file > upTo) break;
      if (done.has(file) || except.includes(file)) continue;
      const text = fs.readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8');
      await sql.raw(text).execute(trx);
      await trx.insertInto('schema_migrations').values({ name: file }).execute();
      applied.push(file);
    }
    return applied;
  });
}

/** Readiness: reachable and every migration file applied. */
export async function pendingMigrations(database: Database): Promise<string[]> {
  const rows = await database.db.selectFrom('schema_migrations').select('name').execute();
  const done = new Set(rows.map((r) => r.name));
  return migrationFiles().filter((f) => !done.has(f));
}
