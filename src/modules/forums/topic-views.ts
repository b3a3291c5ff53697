// Topic views, counted without a write per view: the topic page's reader-state call
// (one per page view, for guests answered by the front door) adds to a sum in
// memory, and the sums go to the database every few seconds in one statement, and
// on close. A crash loses at most those seconds of views, as the articles' counter does.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import './schema.js';

export const FLUSH_MS = 5_000;

export function createTopicViews(db: Kysely<DB>, onError: (err: Error) => void) {
  let pending = new Map<number, number>();
  let timer: NodeJS.Timeout | null = null;

  async function flush(): Promise<void> {
    if (!pending.size) return;
    const batch = pending;
    pending = new Map();
    const ids = [...batch.keys()];
    const counts = ids.map((id) => batch.get(id)!);
    await sql`
      update forum_topics t set view_count = t.view_count + v.n
      from unnest(${sql.val(ids)}::int[], ${sql.val(counts)}::int[]) as v(id, n)
      where t.id = v.id`.execute(db);
  }

  return {
    add(topicId: number): void {
      pending.set(topicId, (pending.get(topicId) ?? 0) + 1);
      timer ??= setTimeout(() => {
        timer = null;
        flush().catch(onError);
      }, FLUSH_MS);
    },
    /** Writes what is pending now (on close, and in tests). */
    async flush(): Promise<void> {
      if (timer) clearTimeout(timer);
      timer = null;
      await flush();
    },
  };
}
