// The forums' structure: boards in two levels (a category such as «Город» holds
// boards such as «Транспорт»; a top-level board may hold topics itself), each with
// its order, who may start topics and who may reply, and pre-moderation. The back
// office creates, renames, moves, archives and merges them. The only code that
// writes `forum_boards`.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { batchWhileBusy } from '../../platform/batch.js';
import { DomainError } from '../../platform/errors.js';
import type { Memo } from '../../platform/memo.js';
import { BOARD_ROLES, type BoardRole } from './schema.js';
import './schema.js';

export const BOARD_TITLE_MAX = 80;
export const BOARD_DESCRIPTION_MAX = 300;
const SLUG = /^[a-z0-9][a-z0-9-]{0,59}$/;
/** Addresses under /forum/ that are pages of their own, not boards. */
export const RESERVED_SLUGS: readonly string[] = ['new', 'unread', 'u', 'posts', 'topics', 'read-all', 'search', 'discuss', 'images'];

export interface Board {
  id: number;
  parentId: number | null;
  slug: string;
  title: string;
  description: string;
  position: number;
  startRole: BoardRole;
  replyRole: BoardRole;
  premoderation: boolean;
  /** Articles of this section are discussed here. */
  discussionSectionId: number | null;
  archived: boolean;
  topicCount: number;
  postCount: number;
  lastTopicId: number | null;
  lastPostAt: Date | null;
}

/** A category (top-level board) with its boards, in order. */
export interface BoardNode extends Board {
  children: Board[];
}

/** What the back office sets of a board: its own fields, the section it discusses optional. */
export type BoardInput = Pick<Board, 'parentId' | 'slug' | 'title' | 'description' | 'position' | 'startRole' | 'replyRole' | 'premoderation'> & { discussionSectionId?: number | null };

const columns = ['id', 'parent_id', 'slug', 'title', 'description', 'position', 'start_role', 'reply_role', 'premoderation', 'discussion_section_id', 'archived_at', 'topic_count', 'post_count', 'last_topic_id', 'last_post_at'] as const;
type Row = {
  id: number;
  parent_id: number | null;
  slug: string;
  title: string;
  description: string;
  position: number;
  start_role: BoardRole;
  reply_role: BoardRole;
  premoderation: boolean;
  discussion_section_id: number | null;
  archived_at: Date | null;
  topic_count: number;
  post_count: number;
  last_topic_id: number | null;
  last_post_at: Date | null;
};
const toBoard = (r: Row): Board => ({
  id: r.id,
  parentId: r.parent_id,
  slug: r.slug,
  title: r.title,
  description: r.description,
  position: r.position,
  startRole: r.start_role,
  replyRole: r.reply_role,
  premoderation: r.premoderation,
  discussionSectionId: r.discussion_section_id,
  archived: r.archived_at !== null,
  topicCount: r.topic_count,
  postCount: r.post_count,
  lastTopicId: r.last_topic_id,
  lastPostAt: r.last_post_at,
});

/** Board counts from their topics (after a move or a merge), in one statement. */
export async function recountBoards(trx: Kysely<DB> | Transaction<DB>, ids: number[]): Promise<void> {
  if (!ids.length) return;
  await sql`
    update forum_boards b set
      topic_count = coalesce(t.topics, 0),
      post_count = coalesce(t.posts, 0),
      last_post_at = t.last_at,
      last_topic_id = (select id from forum_topics where board_id = b.id and status = 'visible' order by last_post_at desc limit 1)
    from (select id from forum_boards where id in (${sql.join(ids)})) chosen
    left join (
      select board_id, count(*)::int as topics, sum(post_count)::int as posts, max(last_post_at) as last_at
      from forum_topics where status = 'visible' and board_id in (${sql.join(ids)}) group by board_id
    ) t on t.board_id = chosen.id
    where b.id = chosen.id`.execute(trx);
}

/** How long a write may go by a board's rules and moderators without reading them again. */
export const RULES_KEPT_MS = 60_000;
// Tags the kept rules; a change here purges it on this instance, and the back office's
// purge of everything (admin-routes.tsx) reaches every instance.
const RULES_TAG = 'forum-boards';

export function createBoards({ db, now, memo }: { db: Kysely<DB>; now: () => Date; memo?: Memo }) {
  const rulesChanged = () => memo?.purge([RULES_TAG]);
  function check(input: BoardInput) {
    const title = input.title.replace(/\s+/g, ' ').trim();
    const description = input.description.replace(/\s+/g, ' ').trim();
    const slug = input.slug.trim().toLowerCase();
    if (!title || [...title].length > BOARD_TITLE_MAX) throw new DomainError('forum.board_title', { max: BOARD_TITLE_MAX });
    if ([...description].length > BOARD_DESCRIPTION_MAX) throw new DomainError('forum.board_description', { max: BOARD_DESCRIPTION_MAX });
    if (!SLUG.test(slug) || RESERVED_SLUGS.includes(slug)) throw new DomainError('forum.board_slug');
    if (!BOARD_ROLES.includes(input.startRole) || !BOARD_ROLES.includes(input.replyRole)) throw new DomainError('forum.board_role');
    return { ...input, title, description, slug };
  }

  async function byIds(ids: readonly number[]): Promise<Map<number, Board>> {
    if (!ids.length) return new Map();
    const rows = await db.selectFrom('forum_boards').select([...columns]).where(sql<boolean>`id = any(${[...new Set(ids)]}::int[])`).execute();
    return new Map(rows.map((r) => [r.id, toBoard(r)]));
  }
  // Every write on the forums reads its board: under load, many in one statement.
  const boardOf = batchWhileBusy(async (ids: readonly number[]) => {
    const found = await byIds(ids);
    return ids.map((id) => found.get(id) ?? null);
  });

  // The boards each account moderates, many accounts' in one statement.
  const moderatedBy = batchWhileBusy(async (userIds: readonly number[]) => {
    const rows = await db.selectFrom('forum_board_moderators').select(['user_id', 'board_id']).where(sql<boolean>`user_id = any(${[...new Set(userIds)]}::int[])`).execute();
    return userIds.map((u) => rows.filter((r) => r.user_id === u).map((r) => r.board_id));
  });

  async function byId(id: number, trx: Kysely<DB> = db): Promise<Board | null> {
    if (trx === db) return boardOf(id);
    const row = await trx.selectFrom('forum_boards').select([...columns]).where('id', '=', id).executeTakeFirst();
    return row ? toBoard(row) : null;
  }

  /** A board may sit under a category that is itself top-level (two levels), and a category with boards stays top-level. */
  async function checkParent(trx: Kysely<DB>, id: number | null, parentId: number | null) {
    if (parentId === null) return;
    const parent = await byId(parentId, trx);
    if (!parent) throw new DomainError('forum.board_not_found', {}, 404);
    if (parent.parentId !== null || parent.id === id) throw new DomainError('forum.board_depth');
    if (id !== null) {
      const child = await trx.selectFrom('forum_boards').select('id').where('parent_id', '=', id).executeTakeFirst();
      if (child) throw new DomainError('forum.board_depth');
    }
  }

  async function slugTaken(trx: Kysely<DB>, slug: string, except: number | null) {
    const row = await trx.selectFrom('forum_boards').select('id').where('slug', '=', slug).executeTakeFirst();
    return !!row && row.id !== except;
  }

  return {
    byId,

    /**
     * A board for a write's checks (archived, who may post, pre-moderation): kept up
     * to RULES_KEPT_MS, so its counts may be that old — read `byId` to show them.
     */
    async forWrite(id: number): Promise<Board | null> {
      if (!memo) return boardOf(id);
      return memo.get(`forum:board-rules:${id}`, { ttlMs: RULES_KEPT_MS, tags: [RULES_TAG] }, () => boardOf(id));
    },

    /** Whether the account is one of the board's own moderators (kept like `forWrite`). */
    async isModerator(userId: number, boardId: number): Promise<boolean> {
      const boards = memo ? await memo.get(`forum:moderates:${userId}`, { ttlMs: RULES_KEPT_MS, tags: [RULES_TAG] }, () => moderatedBy(userId)) : await moderatedBy(userId);
      return boards.includes(boardId);
    },

    async bySlug(slug: string): Promise<Board | null> {
      const row = await db.selectFrom('forum_boards').select([...columns]).where('slug', '=', slug).executeTakeFirst();
      return row ? toBoard(row) : null;
    },

    byIds,

    /** Categories with their boards, in order; archived ones only when asked (the back office). */
    async tree({ archived = false }: { archived?: boolean } = {}): Promise<BoardNode[]> {
      let query = db.selectFrom('forum_boards').select([...columns]).orderBy('position').orderBy('id');
      if (!archived) query = query.where('archived_at', 'is', null);
      const boards = (await query.execute()).map(toBoard);
      const top = boards.filter((b) => b.parentId === null).map((b): BoardNode => ({ ...b, children: [] }));
      const byParent = new Map(top.map((b) => [b.id, b]));
      for (const b of boards) if (b.parentId !== null) byParent.get(b.parentId)?.children.push(b);
      return top;
    },

    async create(input: BoardInput): Promise<Board> {
      const b = check(input);
      const made = await db.transaction().execute(async (trx) => {
        await checkParent(trx, null, b.parentId);
        if (await slugTaken(trx, b.slug, null)) throw new DomainError('forum.board_slug_taken', { slug: b.slug });
        const row = await trx
          .insertInto('forum_boards')
          .values({ parent_id: b.parentId, slug: b.slug, title: b.title, description: b.description, position: b.position, start_role: b.startRole, reply_role: b.replyRole, premoderation: b.premoderation, discussion_section_id: b.discussionSectionId ?? null })
          .returning([...columns])
          .executeTakeFirstOrThrow();
        return toBoard(row);
      });
      rulesChanged();
      return made;
    },

    /** Rename, move under another category, reorder, change who may post. */
    async update(id: number, input: BoardInput): Promise<Board> {
      const b = check(input);
      const made = await db.transaction().execute(async (trx) => {
        if (!(await byId(id, trx))) throw new DomainError('forum.board_not_found', {}, 404);
        await checkParent(trx, id, b.parentId);
        if (await slugTaken(trx, b.slug, id)) throw new DomainError('forum.board_slug_taken', { slug: b.slug });
        const row = await trx
          .updateTable('forum_boards')
          .set({ parent_id: b.parentId, slug: b.slug, title: b.title, description: b.description, position: b.position, start_role: b.startRole, reply_role: b.replyRole, premoderation: b.premoderation, discussion_section_id: b.discussionSectionId ?? null })
          .where('id', '=', id)
          .returning([...columns])
          .executeTakeFirstOrThrow();
        return toBoard(row);
      });
      rulesChanged();
      return made;
    },

    /**
     * Where an article of a section is discussed: the board that names the nearest of
     * `sectionIds` (the section, then its parents), else the first open board that
     * holds topics itself (a board without boards under it).
     */
    async forDiscussion(sectionIds: number[]): Promise<Board | null> {
      const rows = (await db.selectFrom('forum_boards').select([...columns]).where('archived_at', 'is', null).orderBy('position').orderBy('id').execute()).map(toBoard);
      for (const id of sectionIds) {
        const named = rows.find((b) => b.discussionSectionId === id);
        if (named) return named;
      }
      return rows.find((b) => b.startRole === 'reader' && !rows.some((c) => c.parentId === b.id)) ?? null;
    },

    /** A board's own moderators (account ids), in the order they were added. */
    async moderators(boardId: number): Promise<number[]> {
      return (await db.selectFrom('forum_board_moderators').select('user_id').where('board_id', '=', boardId).execute()).map((r) => r.user_id);
    },

    async setModerator(boardId: number, userId: number, on: boolean): Promise<void> {
      if (on) await db.insertInto('forum_board_moderators').values({ board_id: boardId, user_id: userId }).onConflict((oc) => oc.doNothing()).execute();
      else await db.deleteFrom('forum_board_moderators').where('board_id', '=', boardId).where('user_id', '=', userId).execute();
      rulesChanged();
    },

    /** An archived board is read-only and off the forum's index; its topics keep their addresses. */
    async archive(id: number, archived: boolean): Promise<void> {
      const done = await db
        .updateTable('forum_boards')
        .set({ archived_at: archived ? now() : null })
        .where('id', '=', id)
        .executeTakeFirst();
      rulesChanged();
      if (!done.numUpdatedRows) throw new DomainError('forum.board_not_found', {}, 404);
    },

    /** Every topic of `fromId` moves to `intoId`; the emptied board is archived. */
    async merge(fromId: number, intoId: number): Promise<{ moved: number }> {
      if (fromId === intoId) throw new DomainError('forum.merge_same');
      const done = await db.transaction().execute(async (trx) => {
        const [from, into] = await Promise.all([byId(fromId, trx), byId(intoId, trx)]);
        if (!from || !into) throw new DomainError('forum.board_not_found', {}, 404);
        const child = await trx.selectFrom('forum_boards').select('id').where('parent_id', '=', fromId).executeTakeFirst();
        if (child) throw new DomainError('forum.merge_has_children');
        const moved = await trx.updateTable('forum_topics').set({ board_id: intoId }).where('board_id', '=', fromId).executeTakeFirst();
        await trx.updateTable('forum_board_moderators').set({ board_id: intoId }).where('board_id', '=', fromId).where(({ not, exists, selectFrom }) => not(exists(selectFrom('forum_board_moderators as m').select('m.user_id').whereRef('m.user_id', '=', 'forum_board_moderators.user_id').where('m.board_id', '=', intoId)))).execute();
        await trx.updateTable('forum_boards').set({ archived_at: now() }).where('id', '=', fromId).execute();
        await recountBoards(trx, [fromId, intoId]);
        return { moved: Number(moved.numUpdatedRows) };
      });
      rulesChanged();
      return done;
    },
  };
}

export type Boards = ReturnType<typeof createBoards>;
