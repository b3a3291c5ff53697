// A reader's forum identity: the handle @mentions and profile addresses use, made
// from the display name on the first post (letters of any script: «@Марина_К»), and
// the counts a profile shows. The only code that writes `forum_members`.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { batchWhileBusy } from '../../platform/batch.js';
import './schema.js';

export const HANDLE = /^[\p{L}\p{N}_-]{2,32}$/u;

/** A handle from a display name: «Марина К.» → «Марина_К», «Игорь_НСК» stays. */
export function handleFrom(name: string): string {
  const base = name
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}_-]+/gu, '_')
    .replace(/_+/g, '_')
    .replace(/^[_-]+|[_-]+$/g, '');
  const cut = [...base].slice(0, 28).join('');
  return cut.length >= 2 ? cut : `user${cut}`;
}

export interface Member {
  userId: number;
  handle: string;
  topicCount: number;
  postCount: number;
  joinedAt: Date;
}

export function createMembers({ db }: { db: Kysely<DB> }) {
  async function handles(userIds: readonly number[]): Promise<Map<number, string>> {
    const ids = [...new Set(userIds)];
    if (!ids.length) return new Map();
    const rows = await db.selectFrom('forum_members').select(['user_id', 'handle']).where(sql<boolean>`user_id = any(${ids}::int[])`).execute();
    return new Map(rows.map((r) => [r.user_id, r.handle]));
  }
  // Every post asks whether its author is a member yet: under load, many in one statement.
  const handleOf = batchWhileBusy(async (userIds: readonly number[]) => {
    const found = await handles(userIds);
    return userIds.map((id) => found.get(id) ?? null);
  });
  // A handle, once made, never changes, and a member row goes only with its account:
  // the members known to this process are not asked about again (a reply a query less).
  const known = new Map<number, string>();
  const remember = (userId: number, handle: string) => {
    if (known.size >= 100_000) known.clear();
    known.set(userId, handle);
  };

  return {
    /** The member row of an account, made on its first post; `name` gives the handle (or `wanted`, an importer's). */
    async ensure(trx: Transaction<DB> | Kysely<DB>, userId: number, name: string, at: Date, wanted?: string): Promise<string> {
      if (trx === db && known.has(userId)) return known.get(userId)!;
      const found = trx === db ? await handleOf(userId) : (await trx.selectFrom('forum_members').select('handle').where('user_id', '=', userId).executeTakeFirst())?.handle;
      if (found) {
        if (trx === db) remember(userId, found);
        return found;
      }
      const base = wanted && HANDLE.test(wanted) ? wanted : handleFrom(name);
      for (let n = 1; n < 1000; n++) {
        const handle = n === 1 ? base : `${base}_${n}`;
        const taken = await trx
          .selectFrom('forum_members')
          .select('user_id')
          .where((eb) => eb(eb.fn('lower', ['handle']), '=', handle.toLowerCase()))
          .executeTakeFirst();
        if (taken) continue;
        await trx.insertInto('forum_members').values({ user_id: userId, handle, joined_at: at }).execute();
        // Outside a transaction the row is there for good; inside one it may yet be rolled back.
        if (trx === db) remember(userId, handle);
        return handle;
      }
      throw new Error(`no free handle for ${base}`);
    },

    async counted(trx: Transaction<DB>, userId: number, { topics, posts }: { topics: number; posts: number }) {
      await trx
        .updateTable('forum_members')
        .set((eb) => ({ topic_count: eb('topic_count', '+', topics), post_count: eb('post_count', '+', posts) }))
        .where('user_id', '=', userId)
        .execute();
    },

    async byHandle(handle: string): Promise<Member | null> {
      const row = await db
        .selectFrom('forum_members')
        .select(['user_id', 'handle', 'topic_count', 'post_count', 'joined_at'])
        .where((eb) => eb(eb.fn('lower', ['handle']), '=', handle.toLowerCase()))
        .executeTakeFirst();
      return row ? { userId: row.user_id, handle: row.handle, topicCount: row.topic_count, postCount: row.post_count, joinedAt: row.joined_at } : null;
    },

    /** Handles (lower-cased) that exist, with their accounts. */
    async byHandles(handles: string[]): Promise<Map<string, { userId: number; handle: string }>> {
      if (!handles.length) return new Map();
      const rows = await db
        .selectFrom('forum_members')
        .select(['user_id', 'handle'])
        .where((eb) => eb(eb.fn('lower', ['handle']), 'in', handles.map((h) => h.toLowerCase())))
        .execute();
      return new Map(rows.map((r) => [r.handle.toLowerCase(), { userId: r.user_id, handle: r.handle }]));
    },

    handles,
  };
}

export type Members = ReturnType<typeof createMembers>;
