// The import's own tables: the sites, what of each came in (keyed on WordPress's
// ids), the old addresses and the runs. The only code that touches them; the
// articles, sections, authors, tags, images and comments the import makes are
// written by their own modules (runner.ts calls them).
import type { Kysely, OnConflictBuilder, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { ImportKind, RedirectTargetKind, RunState } from './schema.js';
import './schema.js';

export interface KnownItem {
  targetId: number | null;
  fingerprint: string;
  failed: string;
}
export interface RedirectRow {
  oldKey: string;
  targetKind: RedirectTargetKind;
  targetId: number | null;
  targetPath?: string;
}
export interface RunRow {
  id: number;
  file: string;
  state: RunState;
  total: number;
  done: number;
  position: number;
  dryRun: boolean;
  /** Make accounts for the authors (the back office's checkbox). */
  accounts: boolean;
  report: unknown;
  error: string;
  startedAt: Date;
  finishedAt: Date | null;
}

type Db = Kysely<DB> | Transaction<DB>;
const BATCH = 500;

type ItemRow = { kind: ImportKind; key: string; targetId: number | null; fingerprint?: string; failed?: string };

function upsertItems(trx: Db, siteId: number, rows: ItemRow[], now: Date) {
  const values = rows.map((r) => ({ site_id: siteId, kind: r.kind, wp_key: r.key.slice(0, 300), target_id: r.targetId, fingerprint: r.fingerprint ?? '', failed: (r.failed ?? '').slice(0, 500), updated_at: now }));
  return trx
    .insertInto('wp_import_items')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['site_id', 'kind', 'wp_key']).doUpdateSet((eb) => ({ target_id: eb.ref('excluded.target_id'), fingerprint: eb.ref('excluded.fingerprint'), failed: eb.ref('excluded.failed'), updated_at: eb.ref('excluded.updated_at') })),
    );
}

const uniqueRedirects = (rows: RedirectRow[]) => [...new Map(rows.filter((r) => r.oldKey && r.oldKey.length <= 2000).map((r) => [r.oldKey, r])).values()];
const redirectValues = (siteId: number, list: RedirectRow[]) => list.map((r) => ({ old_key: r.oldKey, site_id: siteId, target_kind: r.targetKind, target_id: r.targetId, target_path: r.targetPath ?? '' }));
const redirectConflict = (oc: OnConflictBuilder<DB, 'wp_import_redirects'>) =>
  oc.column('old_key').doUpdateSet((eb) => ({ site_id: eb.ref('excluded.site_id'), target_kind: eb.ref('excluded.target_kind'), target_id: eb.ref('excluded.target_id'), target_path: eb.ref('excluded.target_path') }));
function upsertRedirects(trx: Db, siteId: number, list: RedirectRow[]) {
  return trx.insertInto('wp_import_redirects').values(redirectValues(siteId, list)).onConflict(redirectConflict);
}

export function createImportStore({ db, clock }: { db: Kysely<DB>; clock: Clock }) {
  const toRun = (r: { id: number; file: string; state: RunState; total: number; done: number; position: number; dry_run: boolean; accounts: boolean; report: unknown; error: string; started_at: Date; finished_at: Date | null }): RunRow => ({
    id: r.id, file: r.file, state: r.state, total: r.total, done: r.done, position: r.position, dryRun: r.dry_run, accounts: r.accounts, report: r.report, error: r.error, startedAt: r.started_at, finishedAt: r.finished_at,
  });

  return {
    /** A transaction for the import's own rows and what other modules write within it (a post's new comments). */
    transaction: <T>(fn: (trx: Transaction<DB>) => Promise<T>) => db.transaction().execute(fn),

    /** The site's id, made on its first import; null when there is none yet (a dry run writes nothing). */
    async site(baseUrl: string, create: boolean): Promise<number | null> {
      if (create) await db.insertInto('wp_import_sites').values({ base_url: baseUrl }).onConflict((oc) => oc.column('base_url').doNothing()).execute();
      const row = await db.selectFrom('wp_import_sites').select('id').where('base_url', '=', baseUrl).executeTakeFirst();
      return row?.id ?? null;
    },

    /** Everything known of a site, `kind:key` → its row here: one read, so an unchanged item costs no query. */
    async known(siteId: number | null): Promise<Map<string, KnownItem>> {
      const out = new Map<string, KnownItem>();
      if (siteId === null) return out;
      const rows = await db.selectFrom('wp_import_items').select(['kind', 'wp_key', 'target_id', 'fingerprint', 'failed']).where('site_id', '=', siteId).execute();
      for (const r of rows) out.set(`${r.kind}:${r.wp_key}`, { targetId: r.target_id, fingerprint: r.fingerprint, failed: r.failed });
      return out;
    },

    async putItems(siteId: number, rows: ItemRow[], trx: Db = db) {
      for (let i = 0; i < rows.length; i += BATCH) await upsertItems(trx, siteId, rows.slice(i, i + BATCH), clock.now()).execute();
    },

    /** Old addresses → targets; a later import of the same address wins. */
    async putRedirects(siteId: number, rows: RedirectRow[], trx: Db = db) {
      const list = uniqueRedirects(rows);
      for (let i = 0; i < list.length; i += BATCH) await upsertRedirects(trx, siteId, list.slice(i, i + BATCH)).execute();
    },

    /**
     * A post's keys and its old addresses, in one statement when they fit one batch
     * each (a post's do): on the embedded database every statement costs the one
     * thread a few milliseconds, and a post has about ten.
     */
    async putPost(siteId: number, items: ItemRow[], redirects: RedirectRow[], trx: Db = db) {
      const list = uniqueRedirects(redirects);
      if (!items.length || !list.length || items.length > BATCH || list.length > BATCH) {
        await this.putItems(siteId, items, trx);
        await this.putRedirects(siteId, list, trx);
        return;
      }
      await trx
        .with('items', () => upsertItems(trx, siteId, items, clock.now()).returning('site_id'))
        .insertInto('wp_import_redirects')
        .values(redirectValues(siteId, list))
        .onConflict(redirectConflict)
        .execute();
    },

    /** The first of these keys that is an old address, in the order given. */
    async lookup(keys: string[]): Promise<RedirectRow | null> {
      if (!keys.length) return null;
      const rows = await db.selectFrom('wp_import_redirects').select(['old_key', 'target_kind', 'target_id', 'target_path']).where('old_key', 'in', keys).execute();
      for (const k of keys) {
        const r = rows.find((x) => x.old_key === k);
        if (r) return { oldKey: r.old_key, targetKind: r.target_kind, targetId: r.target_id, targetPath: r.target_path };
      }
      return null;
    },

    async redirectCount(siteId: number): Promise<number> {
      const r = await db.selectFrom('wp_import_redirects').select((eb) => eb.fn.countAll<number>().as('n')).where('site_id', '=', siteId).executeTakeFirstOrThrow();
      return Number(r.n);
    },

    // ---------- runs ----------

    async createRun(input: { file: string; stamp: string; dryRun: boolean; accounts?: boolean; state: RunState; createdBy?: number | null }): Promise<number> {
      const row = await db
        .insertInto('wp_import_runs')
        .values({ file: input.file, file_stamp: input.stamp, dry_run: input.dryRun, accounts: input.accounts ?? false, state: input.state, created_by: input.createdBy ?? null, site_id: null, report: null, started_at: clock.now() })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },
    async startRun(id: number, siteId: number | null, total: number) {
      await db.updateTable('wp_import_runs').set({ state: 'running', site_id: siteId, total, started_at: clock.now() }).where('id', '=', id).execute();
    },
    /** Where the run stands; `trx` puts the position in the same transaction as the post it follows. */
    async progress(id: number, p: { done: number; position?: number }, trx: Db = db) {
      await trx.updateTable('wp_import_runs').set(p.position === undefined ? { done: p.done } : { done: p.done, position: p.position }).where('id', '=', id).execute();
    },
    async finishRun(id: number, state: RunState, report: unknown, error = '') {
      await db.updateTable('wp_import_runs').set({ state, report: JSON.stringify(report), error: error.slice(0, 2000), finished_at: clock.now() }).where('id', '=', id).execute();
    },
    /** The last run of this very file (same size and time) that did not finish, for --resume. */
    async resumable(file: string, stamp: string): Promise<RunRow | null> {
      const r = await db.selectFrom('wp_import_runs').selectAll().where('file', '=', file).where('file_stamp', '=', stamp).where('dry_run', '=', false).where('state', 'in', ['running', 'interrupted', 'failed']).orderBy('id', 'desc').executeTakeFirst();
      return r ? toRun(r) : null;
    },
    /** Runs that were running when their process went away: interrupted, resumable. */
    async markStale(): Promise<void> {
      await db.updateTable('wp_import_runs').set({ state: 'interrupted' }).where('state', '=', 'running').execute();
    },
    async run(id: number): Promise<RunRow | null> {
      const r = await db.selectFrom('wp_import_runs').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toRun(r) : null;
    },
    async runs(limit = 20): Promise<RunRow[]> {
      return (await db.selectFrom('wp_import_runs').selectAll().orderBy('id', 'desc').limit(limit).execute()).map(toRun);
    },
    /** Takes a queued run for this process; false when another took it first. */
    async claim(id: number): Promise<boolean> {
      const r = await db.updateTable('wp_import_runs').set({ state: 'running', started_at: clock.now() }).where('id', '=', id).where('state', '=', 'queued').returning('id').executeTakeFirst();
      return !!r;
    },
    async nextQueued(): Promise<RunRow | null> {
      const r = await db.selectFrom('wp_import_runs').selectAll().where('state', '=', 'queued').orderBy('id').executeTakeFirst();
      return r ? toRun(r) : null;
    },
  };
}
export type ImportStore = ReturnType<typeof createImportStore>;
