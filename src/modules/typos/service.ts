// Typo reports: the only code that touches `typo_reports`. A report of a place
// that already has an open report merges into it (one upsert on the partial unique
// index), so concurrent reports of the same typo make one row with their count.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { Reader } from '../../platform/reader.js';
import type { ReaderRowsOwner } from '../../platform/reader-rows.js';
import './schema.js';
import type { TypoStatus } from './schema.js';
import { partOfKey, type Located, type TextPart } from './text.js';

export const QUEUE_PAGE_SIZE = 50;

export interface NewReport extends Located {
  articleId: number;
  revision: number;
  comment: string;
  reader: Reader;
  ipHash: string;
}

export interface TypoReport {
  id: number;
  articleId: number;
  revision: number;
  fragment: string;
  before: string;
  after: string;
  comment: string;
  /** Where on the page: headline, lead, cover caption or body. */
  part: TextPart;
  reports: number;
  status: TypoStatus;
  createdAt: Date;
  lastReportedAt: Date;
  resolvedAt: Date | null;
}

export function createTypos({ db, clock }: { db: Kysely<DB>; clock: Clock }) {
  const columns = ['id', 'article_id', 'revision', 'fragment', 'before', 'after', 'comment', 'merge_key', 'reports', 'status', 'created_at', 'last_reported_at', 'resolved_at'] as const;
  type Row = Pick<Selectable<DB['typo_reports']>, (typeof columns)[number]>;
  const toReport = (r: Row): TypoReport => ({
    id: r.id,
    articleId: r.article_id,
    revision: r.revision,
    fragment: r.fragment,
    before: r.before,
    after: r.after,
    comment: r.comment,
    part: partOfKey(r.merge_key),
    reports: r.reports,
    status: r.status,
    createdAt: r.created_at,
    lastReportedAt: r.last_reported_at,
    resolvedAt: r.resolved_at,
  });

  return {
    /** Stores a report, or counts it into the open report of the same place. */
    async report(input: NewReport): Promise<{ id: number; reports: number; merged: boolean }> {
      const now = clock.now();
      const row = await db
        .insertInto('typo_reports')
        .values({
          article_id: input.articleId,
          revision: input.revision,
          fragment: input.fragment,
          before: input.before,
          after: input.after,
          comment: input.comment,
          merge_key: input.mergeKey,
          reader: input.reader.key,
          ip_hash: input.ipHash,
          created_at: now,
          last_reported_at: now,
        })
        .onConflict((oc) =>
          oc
            .columns(['article_id', 'merge_key'])
            // A literal, not a parameter: the statement runs prepared (db/connection.ts),
            // and a generic plan cannot match `status = $1` to the partial index's `status = 'open'`.
            .where('status', '=', sql.lit('open'))
            .doUpdateSet({
              reports: sql`typo_reports.reports + 1`,
              last_reported_at: now,
              // The first reader's comment stays; a later one fills an empty one.
              comment: sql`case when typo_reports.comment = '' then excluded.comment else typo_reports.comment end`,
            }),
        )
        .returning(['id', 'reports'])
        .executeTakeFirstOrThrow();
      return { id: row.id, reports: row.reports, merged: row.reports > 1 };
    },

    async list(opts: { status: TypoStatus; articleId?: number; page?: number }): Promise<{ items: TypoReport[]; total: number }> {
      let q = db.selectFrom('typo_reports').where('status', '=', opts.status);
      if (opts.articleId) q = q.where('article_id', '=', opts.articleId);
      const [{ total }] = (await q.select((eb) => eb.fn.countAll<number>().as('total')).execute()) as [{ total: number }];
      const rows = await q
        .select([...columns])
        .orderBy(opts.status === 'open' ? 'last_reported_at' : 'resolved_at', 'desc')
        .orderBy('id', 'desc')
        .limit(QUEUE_PAGE_SIZE)
        .offset(((opts.page ?? 1) - 1) * QUEUE_PAGE_SIZE)
        .execute();
      return { items: rows.map((r) => toReport(r)), total: Number(total) };
    },

    async get(id: number): Promise<TypoReport | null> {
      const row = await db.selectFrom('typo_reports').select([...columns]).where('id', '=', id).executeTakeFirst();
      return row ? toReport(row) : null;
    },

    async openCount(): Promise<number> {
      const r = await db.selectFrom('typo_reports').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'open').executeTakeFirstOrThrow();
      return Number(r.n);
    },

    /** How reports follow their reader (platform/reader-rows.ts). */
    readerRows: {
      owner: 'typos',
      // Reports do not conflict (a reader may report many places), so all simply move.
      async move(trx, from, to) {
        await trx.updateTable('typo_reports').set({ reader: to.key }).where('reader', '=', from.key).execute();
      },
      /** A deleted account's reports stay for the editors, from nobody. */
      async forget(trx, account) {
        await trx.updateTable('typo_reports').set({ reader: null }).where('reader', '=', account.key).execute();
      },
    } satisfies ReaderRowsOwner,

    /** Marks an open report fixed or rejected; false when it is missing or no longer open. */
    async resolve(id: number, status: Exclude<TypoStatus, 'open'>, userId: number): Promise<boolean> {
      const res = await db
        .updateTable('typo_reports')
        .set({ status, resolved_at: clock.now(), resolved_by: userId })
        .where('id', '=', id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },
  };
}

export type Typos = ReturnType<typeof createTypos>;
