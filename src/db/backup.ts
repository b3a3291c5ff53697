// `gorod backup FILE` and `gorod restore FILE`: one portable archive for both
// database kinds, so a portal also moves from the embedded database to PostgreSQL
// (or back) this way.
//
// The archive is a .tar.gz of
//   manifest.json          format version, the migrations the data was written under,
//                          each table's columns and row count, the uploads' count
//   tables/<table>.jsonl   one row per line, `to_jsonb(row)`, in primary key order
//   uploads/…              DATA_DIR/uploads as it is
// Rows are read in one repeatable-read transaction (a consistent snapshot while the
// portal keeps serving, on PostgreSQL) through a cursor, a batch at a time, and staged
// in temporary files next to FILE, so memory stays flat however big the portal is.
//
// Restore reads the archive as a stream and writes every row in one transaction:
// foreign keys are dropped first and added back (and so checked) at the end, as
// pg_dump does, because users and images refer to each other; identity sequences are
// moved past the restored ids. Rows go in through `jsonb_populate_recordset`, which
// turns the JSON back into each column's type (timestamps, tsvector, bytea, arrays).
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { sql, type Kysely, type Transaction } from 'kysely';
import tar from 'tar-stream';
import type { Database } from './connection.js';
import type { DB } from './schema.js';
import { migrate, migrationFiles } from './migrator.js';

export const BACKUP_FORMAT = 'gorod-backup';
export const BACKUP_VERSION = 1;
const BATCH_ROWS = 500;
const BATCH_BYTES = 4 * 1024 * 1024;
/** Tables that are not data: the migrator's own bookkeeping. */
const SKIPPED = new Set(['schema_migrations']);

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  database: 'pglite' | 'postgres';
  migrations: string[];
  tables: { name: string; columns: string[]; rows: number }[];
  uploads: { files: number; bytes: number };
}

/** What the command line shows while it works (cli/progress.ts). */
export interface Progress {
  start(total: number): void;
  advance(by: number, step: string): void;
  stop(): void;
}
export const silentProgress: Progress = { start() {}, advance() {}, stop() {} };

/** An operator's mistake or a bad archive: one line, no stack trace. */
export class BackupError extends Error {
  override name = 'BackupError';
}

type Db = Kysely<DB> | Transaction<DB>;
const ident = (name: string) => sql.id(name);

async function tablesOf(db: Db): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema() order by tablename`.execute(db);
  return rows.map((r) => r.name).filter((n) => !SKIPPED.has(n));
}

/** Columns a row can be written to (generated ones are computed by the database). */
async function writableColumns(db: Db, table: string): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select attname as name from pg_attribute
    where attrelid = ${table}::regclass and attnum > 0 and not attisdropped and attgenerated = ''
    order by attnum`.execute(db);
  return rows.map((r) => r.name);
}

async function primaryKey(db: Db, table: string): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select a.attname as name from pg_index i
    join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
    where i.indrelid = ${table}::regclass and i.indisprimary
    order by array_position(i.indkey, a.attnum)`.execute(db);
  return rows.map((r) => r.name);
}

async function listFiles(dir: string): Promise<{ rel: string; size: number }[]> {
  if (!fs.existsSync(dir)) return [];
  const entries = await fs.promises.readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
  return Promise.all(files.sort().map(async (rel) => ({ rel: rel.split(path.sep).join('/'), size: (await fs.promises.stat(path.join(dir, rel))).size })));
}

/** Writes `line`s to a file, waiting for the disk when its buffer is full. */
async function writeLines(out: fs.WriteStream, lines: string[]): Promise<void> {
  if (!out.write(lines.join('\n') + '\n')) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
}

function addEntry(pack: tar.Pack, name: string, size: number, from: fs.ReadStream | string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (typeof from === 'string') return void pack.entry({ name, size }, from, (err) => (err ? reject(err) : resolve()));
    const entry = pack.entry({ name, size }, (err) => (err ? reject(err) : resolve()));
    from.on('error', reject).pipe(entry);
  });
}

export async function backup(database: Database, uploadsDir: string, file: string, progress: Progress = silentProgress): Promise<Manifest> {
  const target = path.resolve(file);
  if (!fs.existsSync(path.dirname(target))) throw new BackupError(`no such folder: ${path.dirname(target)}`);
  const staging = await fs.promises.mkdtemp(path.join(path.dirname(target), '.gorod-backup-'));
  const partial = path.join(staging, 'archive.tar.gz');
  try {
    const uploads = await listFiles(uploadsDir);
    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: new Date().toISOString(),
      database: database.kind,
      migrations: [],
      tables: [],
      uploads: { files: uploads.length, bytes: uploads.reduce((sum, f) => sum + f.size, 0) },
    };
    await database.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        manifest.migrations = (await trx.selectFrom('schema_migrations').select('name').orderBy('name').execute()).map((r) => r.name);
        const tables = await tablesOf(trx);
        const counts = await Promise.all(tables.map(async (t) => Number((await sql<{ n: number }>`select count(*)::int as n from ${ident(t)}`.execute(trx)).rows[0]!.n)));
        progress.start(counts.reduce((a, b) => a + b, 0) + uploads.length);
        for (const [i, table] of tables.entries()) {
          const order = await primaryKey(trx, table);
          const out = fs.createWriteStream(path.join(staging, `${table}.jsonl`));
          const done = new Promise<void>((resolve, reject) => out.on('finish', () => resolve()).on('error', reject));
          await sql`declare gorod_backup no scroll cursor for select to_jsonb(t)::text as j from ${ident(table)} as t ${order.length ? sql`order by ${sql.join(order.map((c) => sql.ref(`t.${c}`)))}` : sql``}`.execute(trx);
          let rows = 0;
          for (;;) {
            const batch = (await sql<{ j: string }>`fetch forward ${sql.raw(String(BATCH_ROWS))} from gorod_backup`.execute(trx)).rows;
            if (!batch.length) break;
            await writeLines(out, batch.map((r) => r.j));
            rows += batch.length;
            progress.advance(batch.length, table);
          }
          await sql`close gorod_backup`.execute(trx);
          out.end();
          await done;
          if (rows !== counts[i]) throw new Error(`table ${table} changed while it was read`);
          manifest.tables.push({ name: table, columns: await writableColumns(trx, table), rows });
        }
      });

    const pack = tar.pack();
    const written = pipeline(pack, zlib.createGzip(), fs.createWriteStream(partial));
    const json = JSON.stringify(manifest, null, 2);
    await addEntry(pack, 'manifest.json', Buffer.byteLength(json), json);
    for (const t of manifest.tables) {
      const from = path.join(staging, `${t.name}.jsonl`);
      await addEntry(pack, `tables/${t.name}.jsonl`, (await fs.promises.stat(from)).size, fs.createReadStream(from));
    }
    for (const f of uploads) {
      await addEntry(pack, `uploads/${f.rel}`, f.size, fs.createReadStream(path.join(uploadsDir, f.rel)));
      progress.advance(1, 'uploads');
    }
    pack.finalize();
    await written;
    // Only a complete archive ever carries the name the operator gave.
    await fs.promises.rename(partial, target);
    return manifest;
  } finally {
    progress.stop();
    await fs.promises.rm(staging, { recursive: true, force: true });
  }
}

function checkManifest(value: unknown): Manifest {
  const m = value as Partial<Manifest> | null;
  if (!m || m.format !== BACKUP_FORMAT || !Array.isArray(m.tables) || !Array.isArray(m.migrations) || !m.uploads) throw new BackupError('not a Gorod backup: its manifest.json is not ours');
  if (typeof m.version !== 'number' || m.version > BACKUP_VERSION) throw new BackupError(`the backup is format ${String(m.version)}; this version of Gorod reads format ${BACKUP_VERSION} and older: upgrade Gorod first`);
  const known = new Set(migrationFiles());
  const newer = m.migrations.filter((name) => !known.has(name));
  if (newer.length) throw new BackupError(`the backup is from a newer version of Gorod (migrations ${newer.join(', ')} are unknown here): upgrade Gorod first`);
  return m as Manifest;
}

/**
 * Tables whose rows a started, empty portal already has: the signing secret in
 * settings, and what migrations put in (the footer's four info pages and the
 * imprint's one row). They do not make a database "not empty", and a restore
 * replaces their rows with the backup's.
 */
export const FILLED_FROM_THE_START = ['settings', 'info_pages', 'info_imprint'];

/** Tables that hold rows beyond what a started, empty portal has. */
async function occupiedTables(trx: Db): Promise<string[]> {
  const occupied: string[] = [];
  for (const t of await tablesOf(trx)) {
    if (FILLED_FROM_THE_START.includes(t)) continue;
    const { rows } = await sql<{ any: boolean }>`select exists (select from ${ident(t)}) as any`.execute(trx);
    if (rows[0]!.any) occupied.push(t);
  }
  return occupied;
}

async function insertBatch(trx: Db, table: string, columns: string[], lines: string[]): Promise<void> {
  const cols = sql.join(columns.map((c) => ident(c)));
  await sql`insert into ${ident(table)} (${cols}) overriding system value
    select ${cols} from jsonb_populate_recordset(null::${ident(table)}, ${`[${lines.join(',')}]`}::jsonb)`.execute(trx);
}

/** Moves every sequence owned by a column (identity or serial) past the column's largest value. */
async function fixSequences(trx: Db): Promise<void> {
  const { rows } = await sql<{ tbl: string; col: string; seq: string }>`
    select c.relname as tbl, a.attname as col, s.oid::regclass::text as seq
    from pg_class s
    join pg_depend d on d.objid = s.oid and d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass
    join pg_class c on c.oid = d.refobjid
    join pg_attribute a on a.attrelid = c.oid and a.attnum = d.refobjsubid
    where s.relkind = 'S' and c.relnamespace = current_schema()::regnamespace`.execute(trx);
  for (const r of rows) {
    await sql`select setval(${r.seq}::regclass, coalesce((select max(${ident(r.col)}) from ${ident(r.tbl)}), 0) + 1, false)`.execute(trx);
  }
}

async function dropForeignKeys(trx: Db): Promise<{ tbl: string; name: string; def: string }[]> {
  const { rows } = await sql<{ tbl: string; name: string; def: string }>`
    select conrelid::regclass::text as tbl, conname as name, pg_get_constraintdef(oid) as def
    from pg_constraint where contype = 'f' and connamespace = current_schema()::regnamespace order by conname`.execute(trx);
  for (const fk of rows) await sql`alter table ${sql.raw(fk.tbl)} drop constraint ${ident(fk.name)}`.execute(trx);
  return rows;
}

/** A path inside the archive's uploads/ that stays inside the uploads folder. */
function safeUploadPath(root: string, name: string): string {
  const rel = name.slice('uploads/'.length);
  const full = path.resolve(root, rel);
  if (!rel || path.isAbsolute(rel) || !full.startsWith(root + path.sep)) throw new BackupError(`not a Gorod backup: it holds a file outside uploads (${name})`);
  return full;
}

export interface RestoreOptions {
  /** Replace what the database and the uploads folder hold. */
  force?: boolean;
  progress?: Progress;
}

export async function restore(database: Database, uploadsDir: string, file: string, options: RestoreOptions = {}): Promise<Manifest> {
  const progress = options.progress ?? silentProgress;
  const source = path.resolve(file);
  if (!fs.existsSync(source) || !fs.statSync(source).isFile()) throw new BackupError(`no such backup file: ${file}`);
  await migrate(database);
  const uploadsRoot = path.resolve(uploadsDir);
  const staging = `${uploadsRoot}.restoring`;
  await fs.promises.rm(staging, { recursive: true, force: true });

  const extract = tar.extract();
  // Listen before a byte flows: tar-stream drops an entry nobody is iterating for yet
  // (and then waits for it forever), and the transaction below starts a moment later.
  const entries = extract[Symbol.asyncIterator]();
  const compressed = fs.createReadStream(source);
  const gunzip = zlib.createGunzip();
  // The first error of the reading itself (a cut gzip, a broken tar): the loop below
  // may only see its echo, an entry destroyed under it, and reports this instead. A
  // premature close is only ever an echo: of that error, or of the loop stopping.
  let broken: NodeJS.ErrnoException | undefined;
  const onError = (err: NodeJS.ErrnoException) => {
    if (err.code !== 'ERR_STREAM_PREMATURE_CLOSE') broken ??= err;
  };
  compressed.on('error', onError);
  gunzip.on('error', onError);
  extract.on('error', onError);
  // The loop below reports the error; this keeps it from surfacing twice.
  pipeline(compressed, gunzip, extract).catch(() => {});
  let manifest: Manifest | undefined;
  try {
    await database.db.transaction().execute(async (trx) => {
      const seen = new Set<string>();
      const existing = new Set(await tablesOf(trx));
      let foreignKeys: Awaited<ReturnType<typeof dropForeignKeys>> = [];
      for await (const entry of { [Symbol.asyncIterator]: () => entries }) {
        const name = entry.header.name;
        if (!manifest) {
          if (name !== 'manifest.json') throw new BackupError('not a Gorod backup: manifest.json is not its first file');
          const chunks: Buffer[] = [];
          for await (const chunk of entry) chunks.push(chunk as Buffer);
          let parsed: unknown;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            throw new BackupError('not a Gorod backup: its manifest.json is not JSON');
          }
          manifest = checkManifest(parsed);
          await prepareTarget(trx, manifest, uploadsRoot, options.force ?? false);
          progress.start(manifest.tables.reduce((sum, t) => sum + t.rows, 0) + manifest.uploads.files);
          foreignKeys = await dropForeignKeys(trx);
          continue;
        }
        const table = /^tables\/(.+)\.jsonl$/.exec(name)?.[1];
        if (table) {
          const meta = manifest.tables.find((t) => t.name === table);
          if (!meta) throw new BackupError(`not a Gorod backup: ${name} is not in its manifest`);
          if (!existing.has(table)) throw new BackupError(`the backup has a table this version of Gorod does not: ${table}`);
          const target = new Set(await writableColumns(trx, table));
          // An older archive lacks newer columns: they take their defaults.
          const columns = meta.columns.filter((c) => target.has(c));
          let rows = 0;
          let batch: string[] = [];
          let bytes = 0;
          const flush = async () => {
            if (!batch.length) return;
            await insertBatch(trx, table, columns, batch);
            rows += batch.length;
            progress.advance(batch.length, table);
            batch = [];
            bytes = 0;
          };
          for await (const line of readline.createInterface({ input: bodyOf(entry), crlfDelay: Infinity })) {
            if (!line) continue;
            batch.push(line);
            bytes += line.length;
            if (batch.length >= BATCH_ROWS || bytes >= BATCH_BYTES) await flush();
          }
          await flush();
          if (rows !== meta.rows) throw new BackupError(`the backup is damaged: ${table} has ${rows} rows, its manifest says ${meta.rows}`);
          seen.add(table);
        } else if (name.startsWith('uploads/') && entry.header.type === 'file') {
          const to = safeUploadPath(staging, name);
          await fs.promises.mkdir(path.dirname(to), { recursive: true });
          await pipeline(bodyOf(entry), fs.createWriteStream(to));
          progress.advance(1, 'uploads');
        } else {
          entry.resume();
        }
      }
      if (!manifest) throw new BackupError('not a Gorod backup: the file is empty');
      const missing = manifest.tables.filter((t) => !seen.has(t.name)).map((t) => t.name);
      if (missing.length) throw new BackupError(`the backup is damaged: no rows file for ${missing.join(', ')}`);
      for (const fk of foreignKeys) await sql`alter table ${sql.raw(fk.tbl)} add constraint ${ident(fk.name)} ${sql.raw(fk.def)}`.execute(trx);
      await fixSequences(trx);
    });
  } catch (err) {
    await fs.promises.rm(staging, { recursive: true, force: true });
    extract.destroy();
    throw readError(broken ?? err);
  } finally {
    progress.stop();
  }
  // The database is committed; the files follow it.
  await fs.promises.rm(uploadsRoot, { recursive: true, force: true });
  if (fs.existsSync(staging)) await fs.promises.rename(staging, uploadsRoot);
  return manifest!;
}

/**
 * An entry's bytes as a Node stream, read through the entry's own iterator. A tar
 * entry is a streamx stream: when a damaged archive destroys it during an await
 * before we start reading it, Node's pipeline and readline wait for events it has
 * already sent, forever; its iterator sees that it is destroyed and throws.
 */
export function bodyOf(entry: AsyncIterable<unknown>): Readable {
  return Readable.from(entry, { objectMode: false });
}

async function prepareTarget(trx: Db, manifest: Manifest, uploadsRoot: string, force: boolean): Promise<void> {
  const tables = await tablesOf(trx);
  if (force) {
    await sql`truncate table ${sql.join(tables.map((t) => ident(t)))} restart identity cascade`.execute(trx);
    return;
  }
  const occupied = await occupiedTables(trx);
  if (occupied.length) throw new BackupError(`the database is not empty (${occupied.slice(0, 5).join(', ')}${occupied.length > 5 ? ', …' : ''}): restore into an empty one, or add --force to replace everything in it`);
  if ((await listFiles(uploadsRoot)).length) throw new BackupError(`${uploadsRoot} is not empty: add --force to replace it`);
  // A portal started once on the empty database made its signing secret, and its
  // migrations the default info pages; the backup's rows replace them.
  for (const table of FILLED_FROM_THE_START) if (manifest.tables.some((t) => t.name === table)) await sql`delete from ${ident(table)}`.execute(trx);
}

/** Errors of a broken archive (gzip, tar, JSON) in words an operator can act on. */
function readError(err: unknown): Error {
  if (err instanceof BackupError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'Z_DATA_ERROR' || e.code === 'Z_BUF_ERROR' || e.code === 'ERR_STREAM_PREMATURE_CLOSE' || /gzip|header|tar|unexpected end/i.test(e.message ?? '')) {
    return new BackupError(`the backup is damaged or not a Gorod backup (${e.message})`);
  }
  if (e.code === '22P02' || e.code === '23503' || e.code === '23505' || e.code === '22007' || /json/i.test(e.message ?? '')) {
    return new BackupError(`the backup is damaged: ${e.message}`);
  }
  return e instanceof Error ? e : new Error(String(err));
}
