// Reactions: the only code (with batch.ts) that touches `reactions` and
// `reaction_counts`. Every change of a reader's row and of the counts happens in one
// transaction (or one batch statement), the counts by increments (`n = n + 1`), so
// they equal the rows under any amount of concurrency; count rows are always changed
// in (article, kind) order, so two writers switching in opposite directions cannot
// deadlock.
import { sql, type Kysely, type Transaction } from 'kysely';
import { runPrepared } from '../../db/connection.js';
import type { DB } from '../../db/schema.js';
import { batcher, setMany } from './batch.js';
import type { Clock } from '../../platform/clock.js';
import { emptyCounts, REACTION_KINDS, type ReactionCounts, type ReactionKind } from './kinds.js';
import './schema.js';

/** Who reacts: an account or an anonymous browser, never both. */
import type { Reader } from './reader.js';
export type { Reader };

export interface ReactionState {
  counts: ReactionCounts;
  mine: ReactionKind | null;
}

/** `concurrency`: how many write batches may run at once (each holds a pooled connection). */
export function createReactions({ db, clock, concurrency = 4 }: { db: Kysely<DB>; clock: Clock; concurrency?: number }) {
  const byReader = (reader: Reader) => (reader.userId !== undefined ? (['user_id', reader.userId] as const) : (['anon_id', reader.anonId] as const));

  async function counts(articleId: number, trx: Kysely<DB> = db): Promise<ReactionCounts> {
    const rows = await trx.selectFrom('reaction_counts').select(['kind', 'n']).where('article_id', '=', articleId).execute();
    const result = emptyCounts();
    for (const r of rows) result[r.kind] = r.n;
    return result;
  }

  async function mine(articleId: number, reader: Reader | null, trx: Kysely<DB> = db): Promise<ReactionKind | null> {
    if (!reader) return null;
    const [column, value] = byReader(reader);
    const row = await trx.selectFrom('reactions').select('kind').where('article_id', '=', articleId).where(column, '=', value).executeTakeFirst();
    return row?.kind ?? null;
  }

  /** Adds the deltas to the counts, in kind order (see the top of the file). */
  async function applyDeltas(trx: Transaction<DB>, articleId: number, deltas: Partial<Record<ReactionKind, number>>) {
    for (const kind of REACTION_KINDS) {
      const d = deltas[kind];
      if (!d) continue;
      await trx
        .insertInto('reaction_counts')
        .values({ article_id: articleId, kind, n: d })
        .onConflict((oc) => oc.columns(['article_id', 'kind']).doUpdateSet({ n: sql`reaction_counts.n + excluded.n` }))
        .execute();
    }
  }

  /** The reader's row, locked until the transaction ends; inserted as `kind` when there is none. */
  async function lockOrInsert(trx: Transaction<DB>, articleId: number, reader: Reader, kind: ReactionKind): Promise<{ inserted: boolean; kind: ReactionKind }> {
    const [column, value] = byReader(reader);
    const now = clock.now();
    for (;;) {
      const existing = await trx.selectFrom('reactions').select('kind').where('article_id', '=', articleId).where(column, '=', value).forUpdate().executeTakeFirst();
      if (existing) return { inserted: false, kind: existing.kind };
      const inserted = await trx
        .insertInto('reactions')
        .values({ article_id: articleId, user_id: reader.userId ?? null, anon_id: reader.anonId ?? null, kind, created_at: now, updated_at: now })
        .onConflict((oc) => oc.columns(['article_id', column]).where(column, 'is not', null).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) return { inserted: true, kind };
      // The same reader's other request inserted first (a double click): lock that row.
    }
  }

  // The common case — a new reaction, or a switch — goes in batches (batch.ts).
  const setBatched = batcher((items) => setMany(db, items, clock.now()), { concurrency });

  return {
    counts,
    mine,

    /** All reactions of each article (statistics). */
    async totals(articleIds: number[]): Promise<Map<number, number>> {
      if (!articleIds.length) return new Map();
      const rows = await db.selectFrom('reaction_counts').select(['article_id', (eb) => eb.fn.sum<number>('n').as('n')]).where('article_id', 'in', articleIds).groupBy('article_id').execute();
      return new Map(rows.map((r) => [r.article_id, Number(r.n)]));
    },

    /**
     * The counts and this reader's reaction, in one round trip: every article view's
     * reaction bar asks for it. A reader with a reaction always has its count row,
     * so reading `mine` beside the count rows never misses it.
     */
    async state(articleId: number, reader: Reader | null): Promise<ReactionState> {
      const rows = await runPrepared(
        db,
        db
          .selectFrom('reaction_counts as c')
          .select(['c.kind', 'c.n'])
          .select((eb) => {
            if (!reader) return sql<ReactionKind | null>`null`.as('mine');
            const [column, value] = byReader(reader);
            return eb.selectFrom('reactions as r').select('r.kind').where('r.article_id', '=', articleId).where(`r.${column}`, '=', value).$asScalar().as('mine');
          })
          .where('c.article_id', '=', articleId),
      );
      const result = emptyCounts();
      for (const r of rows) result[r.kind] = r.n;
      return { counts: result, mine: rows[0]?.mine ?? null };
    },

    /** Sets the reader's reaction (switching from another one); setting the same again changes nothing. */
    async set(articleId: number, reader: Reader, kind: ReactionKind): Promise<ReactionState> {
      // Nothing applied means the same kind again, or a race with this reader's own
      // other click: the transaction below sorts it out.
      const done = await setBatched({ articleId, reader, kind });
      if (done) return { counts: done, mine: kind };
      await db.transaction().execute(async (trx) => {
        const row = await lockOrInsert(trx, articleId, reader, kind);
        if (row.inserted) {
          await applyDeltas(trx, articleId, { [kind]: 1 });
        } else if (row.kind !== kind) {
          const [column, value] = byReader(reader);
          await trx.updateTable('reactions').set({ kind, updated_at: clock.now() }).where('article_id', '=', articleId).where(column, '=', value).execute();
          await applyDeltas(trx, articleId, { [row.kind]: -1, [kind]: 1 });
        }
      });
      // Read after the commit: the count rows of a popular article are the hot spot,
      // so the transaction holds their locks only for the increments themselves.
      return { counts: await counts(articleId), mine: kind };
    },

    /** Withdraws the reader's reaction, if any. */
    async withdraw(articleId: number, reader: Reader): Promise<ReactionState> {
      await db.transaction().execute(async (trx) => {
        const [column, value] = byReader(reader);
        const gone = await trx.deleteFrom('reactions').where('article_id', '=', articleId).where(column, '=', value).returning('kind').executeTakeFirst();
        if (gone) await applyDeltas(trx, articleId, { [gone.kind]: -1 });
      });
      return { counts: await counts(articleId), mine: null };
    },

    /** The no-JS bar: the same kind again withdraws, another one switches. */
    async toggle(articleId: number, reader: Reader, kind: ReactionKind): Promise<ReactionState> {
      return (await mine(articleId, reader)) === kind ? this.withdraw(articleId, reader) : this.set(articleId, reader, kind);
    },

    /**
     * A reader signed in: what this browser reacted anonymously becomes the
     * account's. Where the account already reacted to the same article, the
     * account's reaction stays and the browser's is dropped from the counts.
     */
    async adoptAnonymous(anonId: string, userId: number): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const rows = await trx.selectFrom('reactions').select(['id', 'article_id', 'kind']).where('anon_id', '=', anonId).orderBy('article_id').forUpdate().execute();
        if (!rows.length) return 0;
        const taken = new Set(
          (await trx.selectFrom('reactions').select('article_id').where('user_id', '=', userId).where('article_id', 'in', rows.map((r) => r.article_id)).execute()).map((r) => r.article_id),
        );
        const dropped = rows.filter((r) => taken.has(r.article_id));
        const moved = rows.filter((r) => !taken.has(r.article_id));
        if (dropped.length) await trx.deleteFrom('reactions').where('id', 'in', dropped.map((r) => r.id)).execute();
        for (const r of dropped) await applyDeltas(trx, r.article_id, { [r.kind]: -1 });
        if (moved.length) await trx.updateTable('reactions').set({ user_id: userId, anon_id: null }).where('id', 'in', moved.map((r) => r.id)).execute();
        return moved.length;
      });
    },

    /** An account is deleted: its reactions stay in the counts but belong to nobody. */
    async anonymiseUser(userId: number): Promise<void> {
      await db.updateTable('reactions').set({ user_id: null, anon_id: sql<string>`gen_random_uuid()` }).where('user_id', '=', userId).execute();
    },

    /** Rows per kind, for checking the counts (tests, a repair job). */
    async countRows(articleId: number): Promise<ReactionCounts> {
      const rows = await db.selectFrom('reactions').select(['kind', (eb) => eb.fn.countAll<number>().as('n')]).where('article_id', '=', articleId).groupBy('kind').execute();
      const result = emptyCounts();
      for (const r of rows) result[r.kind] = Number(r.n);
      return result;
    },
  };
}

export type Reactions = ReturnType<typeof createReactions>;
