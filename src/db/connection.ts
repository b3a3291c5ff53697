// One interface over both databases: embedded PGlite (Postgres compiled to WASM,
// stored on disk) and a PostgreSQL server through a `pg` pool. Kysely speaks to
// both through its Postgres dialect, so every query is the same SQL on each.
import crypto from 'node:crypto';
import { Kysely, PostgresDialect, type Compilable, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import type { DB } from './schema.js';

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Kysely<DB>;
  /** Runs SQL text that may hold several statements (migrations, restore). */
  exec(sql: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** The PGlite instance, for backup (dumpDataDir); undefined on a server. */
  readonly pglite?: PGlite;
}

export interface DatabaseOptions {
  /** postgres:// URL; when absent, PGlite is used. */
  url?: string;
  /** Folder for PGlite's files; undefined keeps it in memory (tests). */
  pgliteDir?: string;
  poolSize?: number;
  /** PGlite data to start from (a tarball made by dumpDataDir), used by tests and restore. */
  loadDataDir?: Blob;
}

// int8 (counts, sums) as numbers, as PGlite returns them; `date` as text so no time
// zone shifts sneak in.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1082, (v) => v);

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url ? openPostgres(options.url, options.poolSize ?? 10) : openPglite(options);
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5000 });
  // A pool emits 'error' when an idle client loses its server (a restart); without a
  // listener that would crash the process instead of letting the pool reconnect.
  pool.on('error', () => {});
  // A client in use (Kysely holds one per query or transaction) has no listener of
  // the pool's: when the server goes away under it, pg emits 'error' on the client,
  // which would crash the process. Its query fails anyway (a 503 for the request),
  // and the pool drops a broken client when it is released.
  pool.on('connect', (client) => client.on('error', () => {}));
  const client = await pool.connect().catch(async (err: Error) => {
    await pool.end().catch(() => {});
    throw new Error(`cannot connect to DATABASE_URL: ${err.message}`);
  });
  client.release();
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: new PreparingPool(pool) }) });
  return {
    kind: 'postgres',
    db,
    exec: async (sql) => {
      await pool.query(sql);
    },
    ping: async () => {
      await pool.query('select 1');
    },
    close: () => db.destroy(),
  };
}

/**
 * Marks a hot query: `sql\`${PREPARED} insert …\``. On PostgreSQL it runs as a named
 * prepared statement, planned once per connection instead of on every call — for
 * the reaction write that planning was most of the server's work (measured:
 * 1,650 → 4,550 statements/s under pgbench). Only for fixed SQL texts: each distinct
 * text stays prepared on every pooled connection. PGlite reads it as a comment.
 * Behind PgBouncer in transaction mode, use version 1.21+ with max_prepared_statements.
 */
export const PREPARED = '/* prepared */';

/** A query built with Kysely's builder, run as PREPARED (see above). */
export async function runPrepared<R>(db: Kysely<DB>, query: Compilable<R>): Promise<R[]> {
  const compiled = query.compile();
  return (await db.executeQuery<R>({ ...compiled, sql: `${PREPARED} ${compiled.sql}` })).rows;
}

/** How many statement texts are kept prepared on each connection, at most. */
const MAX_PREPARED = 1000;

/**
 * The pool Kysely sees: the server's pool, running PREPARED queries as named
 * statements — and every other query with parameters once its text comes a second
 * time. A portal runs a few hundred fixed texts (Kysely writes the same SQL for the
 * same builder call), and for the short ones planning is much of the server's work
 * (a forum reply runs twenty of them). Texts met once — an `in` list of a new
 * length — are not kept, and no more than MAX_PREPARED are. A query without
 * parameters goes as a simple query, which may hold several statements.
 */
class PreparingPool implements PostgresPool {
  private readonly names = new Map<string, string>();
  private readonly seenOnce = new Set<string>();

  constructor(private readonly pool: pg.Pool) {}

  private preparedName(text: string, values: unknown[] | undefined): string | null {
    if (text.startsWith(PREPARED)) return this.nameOf(text);
    if (!values?.length) return null;
    if (this.names.has(text)) return this.names.get(text)!;
    if (this.names.size >= MAX_PREPARED) return null;
    if (!this.seenOnce.has(text)) {
      if (this.seenOnce.size >= 10 * MAX_PREPARED) this.seenOnce.clear();
      this.seenOnce.add(text);
      return null;
    }
    this.seenOnce.delete(text);
    return this.nameOf(text);
  }

  private nameOf(text: string): string {
    let name = this.names.get(text);
    if (!name) {
      name = `gorod_${crypto.createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
      this.names.set(text, name);
    }
    return name;
  }

  async connect(): Promise<PostgresPoolClient> {
    const client = await this.pool.connect();
    return {
      query: (text: string, values: unknown[]) => {
        const name = this.preparedName(text, values);
        return name ? client.query({ name, text, values }) : client.query(text, values);
      },
      release: () => client.release(),
    } as unknown as PostgresPoolClient;
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}

/**
 * PGlite's database lives in WebAssembly memory, which grows and never shrinks: a
 * page Postgres touched once stays resident for the life of the process. So its
 * memory settings are its resident size. Postgres's defaults (128 MB of shared
 * buffers, 64 MB per index build) suit a server with its own memory; here the
 * files sit in the operating system's page cache anyway, which reads them back in
 * microseconds and gives the memory back when others need it. Measured in
 * docs/capacity.md («Memory»).
 */
const PGLITE_SETTINGS = ['shared_buffers=32MB', 'maintenance_work_mem=16MB', 'work_mem=4MB', 'temp_buffers=4MB'];

async function openPglite(options: DatabaseOptions): Promise<Database> {
  // Loaded only here: a server on PostgreSQL never holds PGlite's code (4.5 MB resident).
  const [{ PGlite }, { pg_trgm }, { PgliteDiskFs }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite/contrib/pg_trgm'), import('./pglite-fs.js')]);
  const pglite = await PGlite.create({
    fs: options.pgliteDir ? new PgliteDiskFs(options.pgliteDir) : undefined,
    extensions: { pg_trgm },
    loadDataDir: options.loadDataDir,
    startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS.flatMap((s) => ['-c', s])],
    // A new database's initdb runs Postgres too, in a temporary instance of its own:
    // with the same settings it grows that instance less (and postgresql.conf says
    // what the database runs with).
    initDbStartParams: PGLITE_SETTINGS.flatMap((s) => ['--set', s]),
  });
  const pool = new PgliteSingleConnection(pglite);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'pglite',
    db,
    pglite,
    exec: (sql) => pool.exclusive(() => pglite.exec(sql).then(() => undefined)),
    ping: () => pool.exclusive(() => pglite.query('select 1').then(() => undefined)),
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

/**
 * PGlite is a single Postgres backend: one connection. Kysely asks a pool for a
 * connection per query or transaction, so hand out the one connection to one
 * borrower at a time; a transaction keeps it until commit or rollback.
 */
class PgliteSingleConnection implements PostgresPool {
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly pglite: PGlite) {}

  async connect(): Promise<PostgresPoolClient> {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const previous = this.queue;
    this.queue = previous.then(() => turn);
    await previous;
    // PGlite runs each query synchronously on this thread, and what follows a query
    // (the next borrower, the same request's next query) runs in the same microtask
    // run: under load, requests' queries followed one another for a long while
    // without the event loop reading a socket, and the requests waiting there had a
    // p99 of 0.5–1 s at a p50 of 40 ms (50 connections, wrk). A turn of the loop
    // before every query lets them in; measured on the comment island: p99 495 →
    // 55–66 ms for 4 % fewer requests a second. Yielding only when another borrower
    // was waiting did not help (p99 557–566 ms): the runs are one request's queries
    // as much as the queue's.
    await new Promise((resolve) => setImmediate(resolve));
    const pglite = this.pglite;
    return {
      async query(sql: string, parameters: ReadonlyArray<unknown>) {
        // Without parameters use the simple protocol, which takes several statements
        // at once as a server does (migrations); with them, the extended protocol.
        const result = parameters.length
          ? await pglite.query(sql, parameters as unknown[])
          : (await pglite.exec(sql)).at(-1) ?? { rows: [], affectedRows: 0 };
        return {
          command: commandOf(sql),
          rowCount: result.affectedRows ?? result.rows.length,
          rows: result.rows,
        };
      },
      release: () => release(),
    } as PostgresPoolClient;
  }

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    const client = await this.connect();
    try {
      return await work();
    } finally {
      client.release();
    }
  }

  async end(): Promise<void> {
    await this.queue;
  }
}

function commandOf(sql: string): 'UPDATE' | 'DELETE' | 'INSERT' | 'SELECT' | 'MERGE' {
  const word = /^\s*(?:with\b[\s\S]*?\)\s*)?(\w+)/i.exec(sql)?.[1]?.toUpperCase();
  return word === 'UPDATE' || word === 'DELETE' || word === 'INSERT' || word === 'MERGE' ? word : 'SELECT';
}
