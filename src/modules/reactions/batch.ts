// Reaction writes in batches. On a breaking story thousands of readers react to one
// article at once; written one by one, each reaction is a round trip to the
// database and an update of the same few count rows, and that, not the database's
// work, bounded the writes per second (docs/benchmarks.md). Here the writes that
// arrive while earlier ones are running are written together, in one statement:
// one round trip, one update per count row and one commit for the whole batch.
// A lone write goes at the end of the event loop's turn, as a batch of one.
//
// The statement does for every item what a single write does — lock the reader's
// row, insert it or switch its kind, add the deltas to the counts in (article,
// kind) order — so counts still equal rows. An item it cannot settle (the same kind
// again, or a race with the reader's own other click) comes back "not applied" and
// goes through the per-item transaction in service.ts.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { PREPARED } from '../../db/connection.js';
import type { Reader } from '../../platform/reader.js';
import type { SubjectRef } from '../../platform/subjects.js';
import { emptyCounts, REACTION_KINDS, type ReactionCounts, type ReactionKind } from './kinds.js';

export interface SetItem {
  subject: SubjectRef;
  reader: Reader;
  kind: ReactionKind;
}

export interface BatchResult {
  /** Per item, in order: whether the statement settled it. */
  applied: boolean[];
  /** The counts of every subject of the batch after it, by `kind:id`. */
  counts: Map<string, ReactionCounts>;
}

export const subjectKey = (s: SubjectRef) => `${s.kind}:${s.id}`;

/** Sets the reactions of a batch of distinct readers in one statement. */
export async function setMany(db: Kysely<DB>, items: SetItem[], now: Date): Promise<BatchResult> {
  const subjectKinds = items.map((i) => i.subject.kind);
  const subjectIds = items.map((i) => i.subject.id);
  const { rows } = await sql<{ i: number | null; subject_kind: string | null; subject_id: number | null; kind: ReactionKind | null; n: number | null }>`${sql.raw(PREPARED)}
    with input as (
      select * from unnest(${subjectKinds}::text[], ${subjectIds}::int[], ${items.map((i) => i.reader.key)}::text[], ${items.map((i) => i.kind)}::text[])
        with ordinality as u(subject_kind, subject_id, reader, kind, i)
    ), prev as (
      select r.id, r.kind as old, input.kind as new, input.i from input
      join reactions r on (r.subject_kind, r.subject_id, r.reader) = (input.subject_kind, input.subject_id, input.reader)
      for update of r
    ), ins as (
      insert into reactions (subject_kind, subject_id, reader, kind, created_at, updated_at)
      select subject_kind, subject_id, reader, kind, ${now}::timestamptz, ${now}::timestamptz from input
      where not exists (select 1 from prev where prev.i = input.i)
      on conflict do nothing
      returning subject_kind, subject_id, reader, kind
    ), upd as (
      update reactions r set kind = prev.new, updated_at = ${now}::timestamptz from prev
      where r.id = prev.id and prev.old <> prev.new
      returning prev.i, r.subject_kind, r.subject_id, prev.old, prev.new
    ), sums as (
      select subject_kind, subject_id, kind, sum(d)::int as d from (
        select subject_kind, subject_id, kind, 1 as d from ins
        union all select subject_kind, subject_id, new, 1 from upd
        union all select subject_kind, subject_id, old, -1 from upd
      ) deltas group by subject_kind, subject_id, kind having sum(d) <> 0
    ), applied as (
      insert into reaction_counts (subject_kind, subject_id, kind, n)
      select subject_kind, subject_id, kind, d from sums
      order by subject_kind, subject_id, array_position(${sql.val([...REACTION_KINDS])}::text[], kind)
      on conflict (subject_kind, subject_id, kind) do update set n = reaction_counts.n + excluded.n
      returning subject_kind, subject_id, kind, n
    )
    select input.i::int, null::text as subject_kind, null::int as subject_id, null::text as kind, null::int as n
      from input join ins on (ins.subject_kind, ins.subject_id, ins.reader) = (input.subject_kind, input.subject_id, input.reader)
    union all select i::int, null, null, null, null from upd
    union all select null, subject_kind, subject_id, kind, n from applied
    union all select null, c.subject_kind, c.subject_id, c.kind, c.n from reaction_counts c
      join (select distinct subject_kind, subject_id from input) s on (c.subject_kind, c.subject_id) = (s.subject_kind, s.subject_id)
      where not exists (select 1 from applied a where (a.subject_kind, a.subject_id, a.kind) = (c.subject_kind, c.subject_id, c.kind))`.execute(db);
  const applied = items.map(() => false);
  const counts = new Map(items.map((i) => [subjectKey(i.subject), emptyCounts()]));
  for (const r of rows) {
    if (r.i !== null) applied[r.i - 1] = true;
    else counts.get(`${r.subject_kind}:${r.subject_id}`)![r.kind!] = r.n!;
  }
  return { applied, counts };
}

/** The row a reader has under a subject: two writes to it never share a batch. */
const rowKey = (item: SetItem) => `${subjectKey(item.subject)}:${item.reader.key}`;

interface Waiting extends SetItem {
  key: string;
  resolve(counts: ReactionCounts | null): void;
  reject(err: unknown): void;
}

/**
 * Gathers set() calls into batches for `write`: at most `concurrency` batches run
 * at once (the rest of the pool stays for pages), and whatever arrives meanwhile
 * forms the next batch. A batch starts at the end of the event loop's turn
 * (setImmediate), so the writes of every request read in that turn go together:
 * PGlite works synchronously, so nothing arrives *while* its batch runs, and
 * without this every batch would be a batch of one. A reader's row already in a
 * running batch waits for it, so batches of one instance never lock the same
 * rows. Resolves with the article's counts, or null when the item was not applied.
 */
export function batcher(write: (items: SetItem[]) => Promise<BatchResult>, { concurrency = 4, maxBatch = 200 } = {}) {
  let queue: Waiting[] = [];
  const inFlight = new Set<string>();
  let running = 0;
  let scheduled = false;

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      start();
    });
  }

  function start() {
    while (running < concurrency && queue.length) {
      const batch: Waiting[] = [];
      const later: Waiting[] = [];
      const keys = new Set<string>();
      for (const w of queue) {
        if (batch.length < maxBatch && !inFlight.has(w.key) && !keys.has(w.key)) {
          keys.add(w.key);
          batch.push(w);
        } else later.push(w);
      }
      queue = later;
      if (!batch.length) return;
      running++;
      for (const key of keys) inFlight.add(key);
      write(batch)
        .then(
          ({ applied, counts }) => batch.forEach((w, i) => w.resolve(applied[i] ? counts.get(subjectKey(w.subject))! : null)),
          (err: { code?: string }) => {
            // Two batches of different instances can deadlock on each other's
            // readers; PostgreSQL aborts one, and its items go one by one.
            if (err?.code === '40P01') batch.forEach((w) => w.resolve(null));
            else batch.forEach((w) => w.reject(err));
          },
        )
        .finally(() => {
          running--;
          for (const key of keys) inFlight.delete(key);
          schedule();
        });
    }
  }

  return (item: SetItem): Promise<ReactionCounts | null> =>
    new Promise((resolve, reject) => {
      queue.push({ ...item, key: rowKey(item), resolve, reject });
      schedule();
    });
}
