// The read side of the forums: the index, a board's topics, a topic's posts (20 a
// page by their numbers, so post N is always on page ⌈N/20⌉), the edit history,
// the active topics for the home page, a member's profile, and each reader's
// progress: the last post read per topic, «Новые» and «Непрочитанные», the
// notification levels. The only code that reads the forum tables for pages.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { batchWhileBusy } from '../../platform/batch.js';
import type { Board } from './boards.js';
import { LEVELS, type Level, type LevelReason, type PostStatus } from './schema.js';
import './schema.js';

export const POSTS_PER_PAGE = 20;
export const TOPICS_PER_PAGE = 30;
/** A topic counts as new for a reader who has not opened it for this long after it started (Discourse: 2 days). */
export const NEW_FOR_MS = 2 * 86_400_000;

export interface TopicSummary {
  id: number;
  boardId: number;
  title: string;
  slug: string;
  authorId: number | null;
  status: 'visible' | 'held' | 'hidden';
  pinned: boolean;
  closed: boolean;
  postCount: number;
  lastNumber: number;
  viewCount: number;
  lastPostAt: Date;
  lastPostNumber: number;
  lastPosterId: number | null;
  articleId: number | null;
  /** Merged into that topic. */
  movedTo: number | null;
  createdAt: Date;
}

export interface Post {
  id: number;
  topicId: number;
  number: number;
  authorId: number | null;
  body: string;
  status: PostStatus;
  createdAt: Date;
  editedAt: Date | null;
  editCount: number;
}

export interface ReaderTopic {
  lastRead: number;
  level: Level;
  reason: LevelReason;
}

const topicColumns = ['id', 'board_id', 'title', 'slug', 'author_id', 'status', 'pinned', 'closed', 'post_count', 'last_number', 'view_count', 'last_post_at', 'last_post_number', 'last_poster_id', 'article_id', 'moved_to', 'created_at'] as const;
type TopicRow = {
  id: number;
  board_id: number;
  title: string;
  slug: string;
  author_id: number | null;
  status: 'visible' | 'held' | 'hidden';
  pinned: boolean;
  closed: boolean;
  post_count: number;
  last_number: number;
  view_count: number;
  last_post_at: Date;
  last_post_number: number;
  last_poster_id: number | null;
  article_id: number | null;
  moved_to: number | null;
  created_at: Date;
};
const toTopic = (r: TopicRow): TopicSummary => ({
  id: r.id,
  boardId: r.board_id,
  title: r.title,
  slug: r.slug,
  authorId: r.author_id,
  status: r.status,
  pinned: r.pinned,
  closed: r.closed,
  postCount: r.post_count,
  lastNumber: r.last_number,
  viewCount: r.view_count,
  lastPostAt: r.last_post_at,
  lastPostNumber: r.last_post_number,
  lastPosterId: r.last_poster_id,
  articleId: r.article_id,
  movedTo: r.moved_to,
  createdAt: r.created_at,
});
const postColumns = ['id', 'topic_id', 'number', 'author_id', 'body', 'status', 'created_at', 'edited_at', 'edit_count'] as const;
const toPost = (r: { id: number; topic_id: number; number: number; author_id: number | null; body: string; status: PostStatus; created_at: Date; edited_at: Date | null; edit_count: number }): Post => ({
  id: r.id,
  topicId: r.topic_id,
  number: r.number,
  authorId: r.author_id,
  body: r.body,
  status: r.status,
  createdAt: r.created_at,
  editedAt: r.edited_at,
  editCount: r.edit_count,
});

/** Where post `number` of a topic is read. */
export function topicPath(boardSlug: string, topic: { id: number; slug: string }, number?: number): string {
  const base = `/forum/${boardSlug}/${topic.id}-${topic.slug}/`;
  if (!number) return base;
  const page = Math.ceil(number / POSTS_PER_PAGE);
  return `${base}${page > 1 ? `?page=${page}` : ''}#post-${number}`;
}
export const boardPath = (board: Pick<Board, 'slug'>) => `/forum/${board.slug}/`;

export function createReading({ db, clock }: { db: Kysely<DB>; clock: Clock }) {
  async function topicsByIds(ids: readonly number[]): Promise<Map<number, TopicSummary>> {
    if (!ids.length) return new Map();
    const rows = await db.selectFrom('forum_topics').select([...topicColumns]).where(sql<boolean>`id = any(${[...new Set(ids)]}::int[])`).execute();
    return new Map(rows.map((r) => [r.id, toTopic(r)]));
  }

  const watchersOf = batchWhileBusy(async (asked: readonly { topicId: number; boardId: number }[]) => {
    const { rows } = await sql<{ topic_id: number; user_id: number }>`
      select r.topic_id, r.user_id from forum_topic_readers r where r.topic_id = any(${asked.map((a) => a.topicId)}::int[]) and r.level = 3
      union
      select t.topic_id, b.user_id from unnest(${asked.map((a) => a.topicId)}::int[], ${asked.map((a) => a.boardId)}::int[]) as t(topic_id, board_id)
      join forum_board_readers b on b.board_id = t.board_id and b.level = 3
      where not exists (select 1 from forum_topic_readers r where r.topic_id = t.topic_id and r.user_id = b.user_id and r.level <> 3)`.execute(db);
    return asked.map((a) => rows.filter((r) => r.topic_id === a.topicId).map((r) => r.user_id));
  });

  return {
    /** One topic; under load (every reply reloads its topic's kept page data) many in one statement. */
    topic: batchWhileBusy(async (ids: readonly number[]) => {
      const found = await topicsByIds(ids);
      return ids.map((id) => found.get(id) ?? null);
    }),

    /** The discussion topic of an article, if one was started. */
    async topicOfArticle(articleId: number): Promise<TopicSummary | null> {
      const row = await db.selectFrom('forum_topics').select([...topicColumns]).where('article_id', '=', articleId).executeTakeFirst();
      return row ? toTopic(row) : null;
    },

    topicsByIds,

    /** A board's visible topics: pinned first, then by last activity. */
    async boardTopics(boardId: number, page: number): Promise<{ topics: TopicSummary[]; total: number }> {
      const [rows, count] = await Promise.all([
        db
          .selectFrom('forum_topics')
          .select([...topicColumns])
          .where('board_id', '=', boardId)
          .where('status', '=', 'visible')
          .orderBy('pinned', 'desc')
          .orderBy('last_post_at', 'desc')
          .orderBy('id', 'desc')
          .limit(TOPICS_PER_PAGE)
          .offset((page - 1) * TOPICS_PER_PAGE)
          .execute(),
        db.selectFrom('forum_topics').select((eb) => eb.fn.countAll<string>().as('n')).where('board_id', '=', boardId).where('status', '=', 'visible').executeTakeFirstOrThrow(),
      ]);
      return { topics: rows.map(toTopic), total: Number(count.n) };
    },

    /** A board's newest topics (its feed). */
    async newestTopics(boardId: number, limit: number): Promise<TopicSummary[]> {
      const rows = await db.selectFrom('forum_topics').select([...topicColumns]).where('board_id', '=', boardId).where('status', '=', 'visible').orderBy('created_at', 'desc').limit(limit).execute();
      return rows.map(toTopic);
    },

    /** A topic's newest published posts (its feed). */
    async newestPosts(topicId: number, limit: number): Promise<Post[]> {
      const rows = await db.selectFrom('forum_posts').select([...postColumns]).where('topic_id', '=', topicId).where('status', '=', 'published').orderBy('number', 'desc').limit(limit).execute();
      return rows.map(toPost);
    },

    /** Every visible topic's address parts and last change, newest first (the sitemap). */
    async sitemap(limit: number) {
      return db
        .selectFrom('forum_topics')
        .innerJoin('forum_boards', 'forum_boards.id', 'forum_topics.board_id')
        .select(['forum_topics.id', 'forum_topics.slug', 'forum_topics.last_post_at', 'forum_boards.slug as board_slug'])
        .where('forum_topics.status', '=', 'visible')
        .orderBy('forum_topics.last_post_at', 'desc')
        .limit(limit)
        .execute();
    },

    /** The posts numbered on a page: published ones, and deleted ones as their placeholder. */
    async posts(topicId: number, page: number): Promise<Post[]> {
      const rows = await db
        .selectFrom('forum_posts')
        .select([...postColumns])
        .where('topic_id', '=', topicId)
        .where('number', '>', (page - 1) * POSTS_PER_PAGE)
        .where('number', '<=', page * POSTS_PER_PAGE)
        .where('status', 'in', ['published', 'deleted'])
        .orderBy('number')
        .execute();
      return rows.map(toPost);
    },

    async postsByIds(ids: number[]): Promise<Post[]> {
      if (!ids.length) return [];
      const rows = await db.selectFrom('forum_posts').select([...postColumns]).where('id', 'in', [...new Set(ids)]).orderBy('id').execute();
      return rows.map(toPost);
    },

    /** The pictures under posts, in their order. */
    async imagesOf(postIds: number[]): Promise<Map<number, number[]>> {
      if (!postIds.length) return new Map();
      const rows = await db.selectFrom('forum_post_images').select(['post_id', 'image_id']).where('post_id', 'in', postIds).orderBy('post_id').orderBy('position').execute();
      const out = new Map<number, number[]>();
      for (const r of rows) out.set(r.post_id, [...(out.get(r.post_id) ?? []), r.image_id]);
      return out;
    },

    /** The post a number names in a topic. */
    async postByNumber(topicId: number, number: number): Promise<Post | null> {
      const row = await db.selectFrom('forum_posts').select([...postColumns]).where('topic_id', '=', topicId).where('number', '=', number).executeTakeFirst();
      return row ? toPost(row) : null;
    },

    /** Earlier texts of a post, oldest first. */
    async revisions(postId: number) {
      return db.selectFrom('forum_post_revisions').select(['id', 'body', 'editor_id', 'replaced_at']).where('post_id', '=', postId).orderBy('id').execute();
    },

    async heldPosts(limit: number): Promise<Post[]> {
      const rows = await db.selectFrom('forum_posts').select([...postColumns]).where('status', '=', 'held').orderBy('created_at').limit(limit).execute();
      return rows.map(toPost);
    },

    async heldCount(): Promise<number> {
      const row = await db.selectFrom('forum_posts').select((eb) => eb.fn.countAll<string>().as('n')).where('status', '=', 'held').executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** The topics with the latest replies (the home page's «Обсуждают на форуме»). */
    async active(limit: number, boardIds?: number[]): Promise<TopicSummary[]> {
      let query = db.selectFrom('forum_topics').select([...topicColumns]).where('status', '=', 'visible').where('post_count', '>', 1);
      if (boardIds) query = query.where('board_id', 'in', boardIds.length ? boardIds : [0]);
      const rows = await query.orderBy('last_post_at', 'desc').limit(limit).execute();
      return rows.map(toTopic);
    },

    /** Topics whose replies in the last hour run far above their usual rate (for the newsroom). */
    async spiking(limit: number) {
      const now = clock.now();
      const hourAgo = new Date(now.getTime() - 3600_000);
      const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
      const rows = await sql<{ topic_id: number; last_hour: number; week: number }>`
        select topic_id, count(*) filter (where created_at > ${hourAgo})::int as last_hour, count(*)::int as week
        from forum_posts where status = 'published' and created_at > ${weekAgo}
        group by topic_id having count(*) filter (where created_at > ${hourAgo}) >= 3
        order by count(*) filter (where created_at > ${hourAgo}) * 168.0 / greatest(count(*), 1) desc limit ${limit}`.execute(db);
      // The usual rate: the week's replies per hour, the last hour aside.
      return rows.rows.map((r) => ({ topicId: r.topic_id, lastHour: r.last_hour, usualPerHour: Math.round(((r.week - r.last_hour) / 167) * 10) / 10 }));
    },

    async topicsBy(authorId: number, limit: number): Promise<TopicSummary[]> {
      const rows = await db.selectFrom('forum_topics').select([...topicColumns]).where('author_id', '=', authorId).where('status', '=', 'visible').orderBy('created_at', 'desc').limit(limit).execute();
      return rows.map(toTopic);
    },

    async postsBy(authorId: number, limit: number): Promise<(Post & { topicTitle: string; topicSlug: string; boardId: number })[]> {
      const rows = await db
        .selectFrom('forum_posts')
        .innerJoin('forum_topics', 'forum_topics.id', 'forum_posts.topic_id')
        .select(['forum_posts.id', 'forum_posts.topic_id', 'forum_posts.number', 'forum_posts.author_id', 'forum_posts.body', 'forum_posts.status', 'forum_posts.created_at', 'forum_posts.edited_at', 'forum_posts.edit_count', 'forum_topics.title', 'forum_topics.slug', 'forum_topics.board_id'])
        .where('forum_posts.author_id', '=', authorId)
        .where('forum_posts.status', '=', 'published')
        .where('forum_topics.status', '=', 'visible')
        .orderBy('forum_posts.created_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ ...toPost(r), topicTitle: r.title, topicSlug: r.slug, boardId: r.board_id }));
    },

    // ---------- the reader's progress ----------

    async readerTopic(userId: number, topicId: number): Promise<ReaderTopic | null> {
      const row = await db.selectFrom('forum_topic_readers').select(['last_read', 'level', 'reason']).where('user_id', '=', userId).where('topic_id', '=', topicId).executeTakeFirst();
      return row ? { lastRead: row.last_read, level: row.level, reason: row.reason } : null;
    },

    /** The reader read up to post `number`; reading long enough makes a normal topic tracked. */
    async markRead(userId: number, topicId: number, number: number, { readMs = 0, trackAfterMs = Infinity }: { readMs?: number; trackAfterMs?: number } = {}): Promise<ReaderTopic> {
      const now = clock.now();
      const board = await db.selectFrom('forum_topics').select('board_id').where('id', '=', topicId).executeTakeFirst();
      const boardLevel = board ? await db.selectFrom('forum_board_readers').select('level').where('user_id', '=', userId).where('board_id', '=', board.board_id).executeTakeFirst() : undefined;
      const track = readMs >= trackAfterMs;
      const row = await db
        .insertInto('forum_topic_readers')
        .values({ user_id: userId, topic_id: topicId, last_read: number, level: boardLevel?.level ?? (track ? 2 : 1), reason: boardLevel ? 'board' : track ? 'read_long' : 'visited', first_seen_at: now, updated_at: now })
        .onConflict((oc) =>
          oc.columns(['user_id', 'topic_id']).doUpdateSet({
            last_read: sql`greatest(forum_topic_readers.last_read, excluded.last_read)`,
            level: track ? sql`case when forum_topic_readers.level = 1 and forum_topic_readers.reason <> 'manual' then 2 else forum_topic_readers.level end` : sql`forum_topic_readers.level`,
            reason: track ? sql`case when forum_topic_readers.level = 1 and forum_topic_readers.reason <> 'manual' then 'read_long' else forum_topic_readers.reason end` : sql`forum_topic_readers.reason`,
            updated_at: now,
          }),
        )
        .returning(['last_read', 'level', 'reason'])
        .executeTakeFirstOrThrow();
      return { lastRead: row.last_read, level: row.level, reason: row.reason };
    },

    async setLevel(userId: number, topicId: number, level: Level): Promise<void> {
      const now = clock.now();
      await db
        .insertInto('forum_topic_readers')
        .values({ user_id: userId, topic_id: topicId, level, reason: 'manual', first_seen_at: now, updated_at: now })
        .onConflict((oc) => oc.columns(['user_id', 'topic_id']).doUpdateSet({ level, reason: 'manual', updated_at: now }))
        .execute();
    },

    async setBoardLevel(userId: number, boardId: number, level: Level): Promise<void> {
      if (level === LEVELS.normal) {
        await db.deleteFrom('forum_board_readers').where('user_id', '=', userId).where('board_id', '=', boardId).execute();
        return;
      }
      await db
        .insertInto('forum_board_readers')
        .values({ user_id: userId, board_id: boardId, level })
        .onConflict((oc) => oc.columns(['user_id', 'board_id']).doUpdateSet({ level }))
        .execute();
    },

    async boardLevels(userId: number): Promise<Map<number, Level>> {
      const rows = await db.selectFrom('forum_board_readers').select(['board_id', 'level']).where('user_id', '=', userId).execute();
      return new Map(rows.map((r) => [r.board_id, r.level]));
    },

    /**
     * «Непрочитанные»: followed topics (tracking or watching) with posts past the last
     * one read — a calm list: topics merely visited stay out of it (NodeBB#4388).
     */
    async unread(userId: number, limit = 50): Promise<(TopicSummary & { unread: number; lastRead: number })[]> {
      const rows = await db
        .selectFrom('forum_topic_readers as r')
        .innerJoin('forum_topics as t', 't.id', 'r.topic_id')
        .select(topicColumns.map((c) => `t.${c}` as const))
        .select(['r.last_read'])
        .where('r.user_id', '=', userId)
        .where('r.level', '>=', 2)
        .where('t.status', '=', 'visible')
        .whereRef('t.last_post_number', '>', 'r.last_read')
        .where((eb) => eb('t.last_post_at', '>', eb.fn.coalesce(eb.selectFrom('forum_members').select('read_all_at').where('user_id', '=', userId), sql<Date>`'-infinity'::timestamptz`)))
        .orderBy('t.last_post_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ ...toTopic(r), lastRead: r.last_read, unread: Math.max(0, r.last_post_number - r.last_read) }));
    },

    /** «Новые»: topics of the last two days the reader has not opened, outside muted boards. */
    async fresh(userId: number, limit = 50): Promise<TopicSummary[]> {
      const since = new Date(clock.now().getTime() - NEW_FOR_MS);
      const rows = await db
        .selectFrom('forum_topics as t')
        .select(topicColumns.map((c) => `t.${c}` as const))
        .where('t.status', '=', 'visible')
        .where('t.created_at', '>', since)
        .where((eb) => eb('t.created_at', '>', eb.fn.coalesce(eb.selectFrom('forum_members').select('read_all_at').where('user_id', '=', userId), sql<Date>`'-infinity'::timestamptz`)))
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('forum_topic_readers as r').select('r.topic_id').whereRef('r.topic_id', '=', 't.id').where('r.user_id', '=', userId))))
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('forum_board_readers as b').select('b.board_id').whereRef('b.board_id', '=', 't.board_id').where('b.user_id', '=', userId).where('b.level', '=', 0))))
        .orderBy('t.created_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toTopic);
    },

    /** «Отметить всё прочитанным»: every followed topic read to its end, and nothing older is new (the member row exists). */
    async markAllRead(userId: number): Promise<void> {
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await sql`update forum_topic_readers r set last_read = t.last_number, updated_at = ${now} from forum_topics t where t.id = r.topic_id and r.user_id = ${userId} and r.last_read < t.last_number`.execute(trx);
        await trx.updateTable('forum_members').set({ read_all_at: now }).where('user_id', '=', userId).execute();
      });
    },

    /** How many unread posts a reader has in the topics of a list (for the board page's marks). */
    async progress(userId: number, topicIds: number[]): Promise<Map<number, ReaderTopic>> {
      if (!topicIds.length) return new Map();
      const rows = await db.selectFrom('forum_topic_readers').select(['topic_id', 'last_read', 'level', 'reason']).where('user_id', '=', userId).where('topic_id', 'in', topicIds).execute();
      return new Map(rows.map((r) => [r.topic_id, { lastRead: r.last_read, level: r.level, reason: r.reason }]));
    },

    /**
     * Who hears of every reply: watchers of the topic, and watchers of its board
     * who have not set the topic to something else (a muted topic stays quiet).
     */
    /** Who watches a topic (or its board, not overridden in the topic); many topics' in one statement under load. */
    watchers: (topicId: number, boardId: number): Promise<number[]> => watchersOf({ topicId, boardId }),

    /** The reader's published posts in a topic written after `since` (still in their edit window). */
    async editableBy(userId: number, topicId: number, since: Date): Promise<number[]> {
      const rows = await db.selectFrom('forum_posts').select('id').where('topic_id', '=', topicId).where('author_id', '=', userId).where('status', '=', 'published').where('created_at', '>', since).execute();
      return rows.map((r) => r.id);
    },

    async blocked(userId: number): Promise<number[]> {
      return (await db.selectFrom('forum_blocks').select('blocked_id').where('user_id', '=', userId).execute()).map((r) => r.blocked_id);
    },

    async block(userId: number, blockedId: number, on: boolean): Promise<void> {
      if (on) await db.insertInto('forum_blocks').values({ user_id: userId, blocked_id: blockedId, created_at: clock.now() }).onConflict((oc) => oc.doNothing()).execute();
      else await db.deleteFrom('forum_blocks').where('user_id', '=', userId).where('blocked_id', '=', blockedId).execute();
    },
  };
}

export type Reading = ReturnType<typeof createReading>;
