// Reactions: the only code (with batch.ts) that touches `reactions` and
// `reaction_counts`. A reaction belongs to a subject (platform/subjects.ts: an
// article, later a forum post, an ad …) and a reader (platform/reader.ts, its
// stored key). Every change of a reader's row and of the counts happens in one
// transaction (or one batch statement), the counts by increments (`n = n + 1`), so
// they equal the rows under any amount of concurrency; count rows are always changed
// in (subject, kind) order, so two writers switching in opposite directions cannot
// deadlock.
import { sql, type Kysely, type Transaction } from 'kysely';
import { runPrepared } from '../../db/connection.js';
import type { DB } from '../../db/schema.js';
import { batcher, setMany } from './batch.js';
import type { Clock } from '../../platform/clock.js';
import type { Reader } from '../../platform/reader.js';
import type { ReaderRowsOwner } from '../../platform/reader-rows.js';
import type { SubjectKind, SubjectRef } from '../../platform/subjects.js';
import { emptyCounts, REACTION_KINDS, type ReactionCounts, type ReactionKind } from './kinds.js';
import './schema.js';

export interface ReactionState {
  counts: ReactionCounts;
  mine: ReactionKind | null;
}

/** Adds the deltas to a subject's counts, in kind order (see the top of the file). */
async function applyDeltas(trx: Transaction<DB>, subject: SubjectRef, deltas: Partial<Record<ReactionKind, number>>) {
  for (const kind of REACTION_KINDS) {
    const d = deltas[kind];
    if (!d) continue;
    await trx
      .insertInto('reaction_counts')
      .values({ subject_kind: subject.kind, subject_id: subject.id, kind, n: d })
      .onConflict((oc) => oc.columns(['subject_kind', 'subject_id', 'kind']).doUpdateSet({ n: sql`reaction_counts.n + excluded.n` }))
      .execute();
  }
}

/** `concurrency`: how many write batches may run at once (each holds a pooled connection). */
export function createReactions({ db, clock, concurrency = 4 }: { db: Kysely<DB>; clock: Clock; concurrency?: number }) {
  async function counts(subject: SubjectRef, trx: Kysely<DB> = db): Promise<ReactionCounts> {
    const rows = await trx.selectFrom('reaction_counts').select(['kind', 'n']).where('subject_kind', '=', subject.kind).where('subject_id', '=', subject.id).execute();
    const result = emptyCounts();
    for (const r of rows) result[r.kind] = r.n;
    return result;
  }

  const rowOf = (trx: Kysely<DB>, subject: SubjectRef, reader: Reader) =>
    trx.selectFrom('reactions').where('subject_kind', '=', subject.kind).where('subject_id', '=', subject.id).where('reader', '=', reader.key);

  async function mine(subject: SubjectRef, reader: Reader | null, trx: Kysely<DB> = db): Promise<ReactionKind | null> {
    if (!reader) return null;
    const row = await rowOf(trx, subject, reader).select('kind').executeTakeFirst();
    return row?.kind ?? null;
  }

  /** The reader's row, locked until the transaction ends; inserted as `kind` when there is none. */
  async function lockOrInsert(trx: Transaction<DB>, subject: SubjectRef, reader: Reader, kind: ReactionKind): Promise<{ inserted: boolean; kind: ReactionKind }> {
    const now = clock.now();
    for (;;) {
      const existing = await rowOf(trx, subject, reader).select('kind').forUpdate().executeTakeFirst();
      if (existing) return { inserted: false, kind: existing.kind };
      const inserted = await trx
        .insertInto('reactions')
        .values({ subject_kind: subject.kind, subject_id: subject.id, reader: reader.key, kind, created_at: now, updated_at: now })
        .onConflict((oc) => oc.columns(['subject_kind', 'subject_id', 'reader']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) return { inserted: true, kind };
      // The same reader's other request inserted first (a double click): lock that row.
    }
  }

  // The common case — a new reaction, or a switch — goes in batches (batch.ts).
  const setBatched = batcher((items) => setMany(db, items, clock.now()), { concurrency });

  /** Removes `rows` and takes them out of the counts, in (subject, kind) order. */
  async function dropRows(trx: Transaction<DB>, rows: { id: number; subject_kind: string; subject_id: number; kind: ReactionKind }[]) {
    if (!rows.length) return;
    await trx.deleteFrom('reactions').where('id', 'in', rows.map((r) => r.id)).execute();
    const sorted = [...rows].sort((a, b) => a.subject_kind.localeCompare(b.subject_kind) || a.subject_id - b.subject_id);
    for (const r of sorted) await applyDeltas(trx, { kind: r.subject_kind as SubjectRef['kind'], id: r.subject_id }, { [r.kind]: -1 });
  }

  return {
    counts,
    mine,

    /** All reactions of each article (statistics). */
    /** Reactions of every kind per subject (articles unless told: forum posts count their likes so). */
    /** The reader's own reactions to these subjects of a kind, by subject id (one statement). */
    async minesOf(kind: SubjectKind, ids: number[], reader: Reader): Promise<Map<number, ReactionKind>> {
      if (!ids.length) return new Map();
      const rows = await db.selectFrom('reactions').select(['subject_id', 'kind']).where('subject_kind', '=', kind).where('subject_id', 'in', ids).where('reader', '=', reader.key).execute();
      return new Map(rows.map((r) => [r.subject_id, r.kind]));
    },

    async totals(articleIds: number[], kind: SubjectKind = 'article'): Promise<Map<number, number>> {
      if (!articleIds.length) return new Map();
      const rows = await db
        .selectFrom('reaction_counts')
        .select(['subject_id', (eb) => eb.fn.sum<number>('n').as('n')])
        .where('subject_kind', '=', kind)
        .where('subject_id', 'in', articleIds)
        .groupBy('subject_id')
        .execute();
      return new Map(rows.map((r) => [r.subject_id, Number(r.n)]));
    },

    /**
     * The counts and this reader's reaction, in one round trip: every article view's
     * reaction bar asks for it. A reader with a reaction always has its count row,
     * so reading `mine` beside the count rows never misses it.
     */
    async state(subject: SubjectRef, reader: Reader | null): Promise<ReactionState> {
      const rows = await runPrepared(
        db,
        db
          .selectFrom('reaction_counts as c')
          .select(['c.kind', 'c.n'])
          .select((eb) => {
            if (!reader) return sql<ReactionKind | null>`null`.as('mine');
            return eb
              .selectFrom('reactions as r')
              .select('r.kind')
              .where('r.subject_kind', '=', subject.kind)
              .where('r.subject_id', '=', subject.id)
              .where('r.reader', '=', reader.key)
              .$asScalar()
              .as('mine');
          })
          .where('c.subject_kind', '=', subject.kind)
          .where('c.subject_id', '=', subject.id),
      );
      const result = emptyCounts();
      for (const r of rows) result[r.kind] = r.n;
      return { counts: result, mine: rows[0]?.mine ?? null };
    },

    /** Sets the reader's reaction (switching from another one); setting the same again changes nothing. */
    async set(subject: SubjectRef, reader: Reader, kind: ReactionKind): Promise<ReactionState> {
      // Nothing applied means the same kind again, or a race with this reader's own
      // other click: the transaction below sorts it out.
      const done = await setBatched({ subject, reader, kind });
      if (done) return { counts: done, mine: kind };
      await db.transaction().execute(async (trx) => {
        const row = await lockOrInsert(trx, subject, reader, kind);
        if (row.inserted) {
          await applyDeltas(trx, subject, { [kind]: 1 });
        } else if (row.kind !== kind) {
          await trx
            .updateTable('reactions')
            .set({ kind, updated_at: clock.now() })
            .where('subject_kind', '=', subject.kind)
            .where('subject_id', '=', subject.id)
            .where('reader', '=', reader.key)
            .execute();
          await applyDeltas(trx, subject, { [row.kind]: -1, [kind]: 1 });
        }
      });
      // Read after the commit: the count rows of a popular article are the hot spot,
      // so the transaction holds their locks only for the increments themselves.
      return { counts: await counts(subject), mine: kind };
    },

    /** Withdraws the reader's reaction, if any. */
    async withdraw(subject: SubjectRef, reader: Reader): Promise<ReactionState> {
      await db.transaction().execute(async (trx) => {
        const gone = await trx
          .deleteFrom('reactions')
          .where('subject_kind', '=', subject.kind)
          .where('subject_id', '=', subject.id)
          .where('reader', '=', reader.key)
          .returning('kind')
          .executeTakeFirst();
        if (gone) await applyDeltas(trx, subject, { [gone.kind]: -1 });
      });
      return { counts: await counts(subject), mine: null };
    },

    /** The no-JS bar: the same kind again withdraws, another one switches. */
    async toggle(subject: SubjectRef, reader: Reader, kind: ReactionKind): Promise<ReactionState> {
      return (await mine(subject, reader)) === kind ? this.withdraw(subject, reader) : this.set(subject, reader, kind);
    },

    /** A subject is gone (an article deleted): its reactions and counts go with it. */
    async forgetSubject(subject: SubjectRef): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('reactions').where('subject_kind', '=', subject.kind).where('subject_id', '=', subject.id).execute();
        await trx.deleteFrom('reaction_counts').where('subject_kind', '=', subject.kind).where('subject_id', '=', subject.id).execute();
      });
    },

    /** How reactions follow their reader (platform/reader-rows.ts). */
    readerRows: {
      owner: 'reactions',
      /**
       * What a browser reacted anonymously becomes the account's. Where the account
       * already reacted to the same subject, the account's reaction stays and the
       * browser's is dropped from the counts.
       */
      async move(trx, from, to) {
        const rows = await trx
          .selectFrom('reactions')
          .select(['id', 'subject_kind', 'subject_id', 'kind'])
          .where('reader', '=', from.key)
          .orderBy('subject_kind')
          .orderBy('subject_id')
          .forUpdate()
          .execute();
        if (!rows.length) return;
        const taken = new Set(
          (
            await trx
              .selectFrom('reactions')
              .select(['subject_kind', 'subject_id'])
              .where('reader', '=', to.key)
              .where('subject_id', 'in', rows.map((r) => r.subject_id))
              .execute()
          ).map((r) => `${r.subject_kind}:${r.subject_id}`),
        );
        const isTaken = (r: (typeof rows)[number]) => taken.has(`${r.subject_kind}:${r.subject_id}`);
        await dropRows(trx, rows.filter(isTaken));
        const moved = rows.filter((r) => !isTaken(r));
        if (moved.length) await trx.updateTable('reactions').set({ reader: to.key }).where('id', 'in', moved.map((r) => r.id)).execute();
      },
      /** A deleted account's reactions stay in the counts but belong to nobody. */
      async forget(trx, account) {
        await trx.updateTable('reactions').set({ reader: sql<string>`'a:' || gen_random_uuid()` }).where('reader', '=', account.key).execute();
      },
    } satisfies ReaderRowsOwner,

    /** Rows per kind, for checking the counts (tests, a repair job). */
    async countRows(subject: SubjectRef): Promise<ReactionCounts> {
      const rows = await db
        .selectFrom('reactions')
        .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
        .where('subject_kind', '=', subject.kind)
        .where('subject_id', '=', subject.id)
        .groupBy('kind')
        .execute();
      const result = emptyCounts();
      for (const r of rows) result[r.kind] = Number(r.n);
      return result;
    },
  };
}

export type Reactions = ReturnType<typeof createReactions>;
