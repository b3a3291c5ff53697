// Writing on the forums: starting a topic, replying, editing within the window
// (the earlier text kept in the history), deleting one's own post, and the
// moderators' actions on topics and posts. New text runs through the moderation
// module's pipeline with the forums' own phases (length, quotes, the new-account
// and flood limits); a place with pre-moderation holds it. Every write is one
// transaction; notifications and purges follow the commit.
import crypto from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { batchWhileBusy, inKeyOrder } from '../../platform/batch.js';
import type { Clock } from '../../platform/clock.js';
import { DomainError } from '../../platform/errors.js';
import { hasRole } from '../../platform/roles.js';
import type { SessionUser } from '../../platform/sessions.js';
import type { Settings } from '../../platform/settings.js';
import { slugify } from '../content/index.js';
import type { Draft, Moderation, Phase } from '../moderation/index.js';
import type { Board, Boards } from './boards.js';
import { recountBoards } from './boards.js';
import { mentionedHandles, postText, quotedPostIds } from './markdown.js';
import type { Members } from './members.js';
import type { PostStatus } from './schema.js';
import { FORUM_SETTINGS } from './settings.js';
import { createReplyWriter } from './reply-writer.js';
import './schema.js';

export const TITLE_MIN = 5;
export const TITLE_MAX = 150;
export const BODY_MAX = 20_000;
export const IMAGES_MAX = 4;
/** Who moderates every board; a board's own moderators are rows of `forum_board_moderators`. */
export const FORUM_STAFF = ['moderator', 'editor'] as const;

export interface Actor {
  user: SessionUser;
  /** The address as a keyed hash (platform/reader.ts ipHash). */
  ipHash: string;
  /** When the form was opened (ms since the epoch), if the form says. */
  openedAt?: number | null;
}

export interface Written {
  topicId: number;
  postId: number;
  number: number;
  boardId: number;
  status: PostStatus;
  /** The post's address, when the events told it (a published reply). */
  url?: string;
}

/** What the module tells after a commit: whom to notify, which pages to purge. */
export interface PostEvents {
  /** May answer with the post's address, which saves the caller reading the topic again after its purge. */
  posted(w: Written & { authorId: number; authorName: string; body: string; mentions: string[]; isTopic: boolean; topicSlug?: string }): Promise<{ url: string } | void>;
  changed(tags: string[]): Promise<void>;
}

export const topicTags = (topicId: number, boardId: number) => [`forum-topic:${topicId}`, `forum-board:${boardId}`, 'forum'];

/** One kind of line break, no control or direction characters, trimmed. */
export function normalizeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0009\u000B-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
const normalizeTitle = (t: string) => normalizeText(t).replace(/\s+/g, ' ');
const length = (s: string) => [...s].length;
const hashOf = (body: string) => crypto.createHash('sha256').update(body.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ')).digest('base64url');

interface ForumDraft extends Draft {
  /** The forum's own facts for its phases. */
  forum: { isTopic: boolean; bodySource: string; level: number; staff: boolean };
}

export function createPosting({
  db,
  clock,
  settings,
  boards,
  members,
  moderation,
  events,
  ownImages,
}: {
  db: Kysely<DB>;
  clock: Clock;
  settings: Settings;
  boards: Boards;
  members: Members;
  moderation: Moderation;
  events: PostEvents;
  /** Which of these images the account uploaded (the media module knows). */
  ownImages: (ids: number[], userId: number) => Promise<Set<number>>;
}) {
  const ago = (ms: number) => new Date(clock.now().getTime() - ms);

  // The reads every reply makes, many replies' in one statement each under load (platform/batch.ts).
  const topicHead = batchWhileBusy(async (ids: readonly number[]) => {
    const rows = await db.selectFrom('forum_topics').select(['id', 'board_id', 'status', 'closed', 'slug']).where(sql<boolean>`id = any(${[...new Set(ids)]}::int[])`).execute();
    return inKeyOrder(ids, rows, (r) => r.id, (r) => r, undefined);
  });
  // Whether a post may be quoted: published, in a visible topic.
  const quotable = batchWhileBusy(async (ids: readonly number[]) => {
    const rows = await db
      .selectFrom('forum_posts')
      .innerJoin('forum_topics', 'forum_topics.id', 'forum_posts.topic_id')
      .select('forum_posts.id')
      .where(sql<boolean>`forum_posts.id = any(${[...new Set(ids)]}::int[])`)
      .where('forum_posts.status', '=', 'published')
      .where('forum_topics.status', '=', 'visible')
      .execute();
    const found = new Set(rows.map((r) => r.id));
    return ids.map((id) => found.has(id));
  });
  // An account's posts of the last day: how many, how many topics, the last one's time.
  const postsOfDay = batchWhileBusy(async (userIds: readonly number[]) => {
    const rows = await db
      .selectFrom('forum_posts')
      .select((eb) => ['author_id', eb.fn.countAll<string>().as('n'), eb.fn.sum<string>(sql`case when number = 1 then 1 else 0 end`).as('topics'), eb.fn.max('created_at').as('last')])
      .where(sql<boolean>`author_id = any(${[...new Set(userIds)]}::int[])`)
      .where('created_at', '>', ago(86_400_000))
      .groupBy('author_id')
      .execute();
    return inKeyOrder(userIds, rows, (r) => r.author_id!, (r) => ({ posts: Number(r.n), topics: Number(r.topics ?? 0), last: r.last ? new Date(r.last).getTime() : 0 }), { posts: 0, topics: 0, last: 0 });
  });

  async function isBoardModerator(userId: number, boardId: number): Promise<boolean> {
    return boards.isModerator(userId, boardId);
  }

  /** Staff of the forums, or a moderator of this board. */
  async function moderates(user: SessionUser | null, boardId: number): Promise<boolean> {
    if (!user) return false;
    return hasRole(user, FORUM_STAFF) || isBoardModerator(user.id, boardId);
  }

  /** Whether the account may start topics (`start`) or reply (`reply`) in the board; `staff` when the caller knows it already. */
  async function mayWrite(user: SessionUser, board: Board, what: 'start' | 'reply', staff?: boolean): Promise<boolean> {
    if (board.archived) return false;
    if (staff ?? (await moderates(user, board.id))) return true;
    const need = what === 'start' ? board.startRole : board.replyRole;
    if (need === 'staff') return false;
    if (need === 'trusted') return (await moderation.trust(user.id)).level >= 2;
    return true;
  }

  // ---------- the forums' own phases ----------

  const checkBody: Phase<ForumDraft> = ({ forum }) => {
    if (!forum.bodySource) throw new DomainError('forum.post_empty');
    if (length(forum.bodySource) > BODY_MAX) throw new DomainError('forum.post_too_long', { max: BODY_MAX });
    if (!postText(forum.bodySource)) throw new DomainError('forum.post_only_markup');
  };

  // A quote names a post the reader can see, or the post is refused.
  const checkQuotes: Phase<ForumDraft> = async ({ forum }) => {
    const ids = quotedPostIds(forum.bodySource);
    if (!ids.length) return;
    const seen = await Promise.all(ids.map((id) => quotable(id)));
    if (seen.some((ok) => !ok)) throw new DomainError('forum.quote_unknown');
  };

  // Flood limits, counted in the database so every instance sees the same numbers.
  const checkRate: Phase<ForumDraft> = async ({ user, forum }) => {
    if (!user || forum.staff) return;
    const { posts, topics, last } = await postsOfDay(user.id);
    const since = clock.now().getTime() - last;
    if (forum.level === 0) {
      const [topicCap, replyCap, interval] = await Promise.all([settings.get(FORUM_SETTINGS.newTopicsPerDay), settings.get(FORUM_SETTINGS.newRepliesPerDay), settings.get(FORUM_SETTINGS.newPostIntervalSeconds)]);
      if (forum.isTopic && topics >= topicCap) throw new DomainError('forum.new_topics_per_day', { max: topicCap }, 429);
      if (!forum.isTopic && posts - topics >= replyCap) throw new DomainError('forum.new_replies_per_day', { max: replyCap }, 429);
      if (last && since < interval * 1000) throw new DomainError('forum.wait', { seconds: Math.ceil((interval * 1000 - since) / 1000) }, 429);
      return;
    }
    const interval = await settings.get(forum.isTopic ? FORUM_SETTINGS.topicIntervalSeconds : FORUM_SETTINGS.postIntervalSeconds);
    if (forum.isTopic) {
      const lastTopic = await db.selectFrom('forum_topics').select((eb) => eb.fn.max('created_at').as('at')).where('author_id', '=', user.id).executeTakeFirstOrThrow();
      const t = lastTopic.at ? clock.now().getTime() - new Date(lastTopic.at).getTime() : Infinity;
      if (t < interval * 1000) throw new DomainError('forum.wait', { seconds: Math.ceil((interval * 1000 - t) / 1000) }, 429);
    } else if (last && since < interval * 1000) throw new DomainError('forum.wait', { seconds: Math.ceil((interval * 1000 - since) / 1000) }, 429);
  };

  const checkRepeat: Phase<ForumDraft> = async ({ user, forum }) => {
    if (!user || forum.staff) return;
    const minutes = await settings.get(FORUM_SETTINGS.repeatWindowMinutes);
    if (!minutes) return;
    const recent = await db
      .selectFrom('forum_posts')
      .select('body')
      .where('author_id', '=', user.id)
      .where('created_at', '>', ago(minutes * 60_000))
      .limit(50)
      .execute();
    const hash = hashOf(forum.bodySource);
    if (recent.some((r) => hashOf(r.body) === hash)) throw new DomainError('forum.repeated', { minutes });
  };

  const phases = (mode: 'new' | 'edit') => moderation.pipeline((mode === 'new' ? [checkBody, checkQuotes, checkRate, checkRepeat] : [checkBody, checkQuotes]) as Phase<Draft>[], mode);

  async function judge(actor: Actor | { user: SessionUser; ipHash: string }, board: Board, body: string, isTopic: boolean, mode: 'new' | 'edit', staff: boolean) {
    const trust = staff ? null : await moderation.trust(actor.user.id);
    const level = trust ? trust.level : 3;
    const draft: ForumDraft = {
      kind: 'forum_post',
      user: actor.user,
      ipHash: actor.ipHash,
      // The moderation rules (stop words, links) read the text a reader reads.
      body: postText(body) || body,
      scope: { kind: 'board', id: board.id },
      premoderation: board.premoderation && !staff,
      openedAt: 'openedAt' in actor ? actor.openedAt : null,
      // Read just now for the level: the pipeline's own rules need not read it again.
      ...(trust ? { activity: trust.activity } : {}),
      forum: { isTopic, bodySource: body, level, staff },
    };
    const verdict = await moderation.moderate(phases(mode), draft);
    return { draft, verdict, level, staff };
  }

  /** Pictures under a post: at most four, the author's own uploads, and only from a trusted enough account. */
  async function checkImages(user: SessionUser, staff: boolean, ids: number[] | undefined): Promise<number[]> {
    const list = [...new Set(ids ?? [])];
    if (!list.length) return [];
    if (list.length > IMAGES_MAX) throw new DomainError('forum.too_many_images', { max: IMAGES_MAX });
    if (!staff && !(await moderation.trust(user.id)).images) throw new DomainError('moderation.no_images', {}, 403);
    const own = await ownImages(list, user.id);
    if (list.some((id) => !own.has(id))) throw new DomainError('forum.image_unknown');
    return list;
  }

  async function attach(trx: Transaction<DB>, postId: number, images: number[]) {
    if (images.length) await trx.insertInto('forum_post_images').values(images.map((image_id, i) => ({ post_id: postId, position: i + 1, image_id }))).execute();
  }

  async function mentionsFor(body: string, level: number, staff: boolean) {
    const max = await settings.get(staff || level > 0 ? FORUM_SETTINGS.mentions : FORUM_SETTINGS.newMentions);
    return mentionedHandles(body, max);
  }

  /** The topic row for a write, locked; a hidden or held topic is as good as absent. */
  async function lockTopic(trx: Transaction<DB>, topicId: number) {
    const topic = await trx
      .selectFrom('forum_topics')
      .select(['id', 'board_id', 'status', 'closed', 'author_id', 'title'])
      .where('id', '=', topicId)
      .forUpdate()
      .executeTakeFirst();
    return topic ?? null;
  }

  async function follow(trx: Transaction<DB>, userId: number, topicId: number, number: number, reason: 'created' | 'replied') {
    await trx
      .insertInto('forum_topic_readers')
      .values({ user_id: userId, topic_id: topicId, last_read: number, level: 3, reason, updated_at: clock.now() })
      .onConflict((oc) =>
        oc.columns(['user_id', 'topic_id']).doUpdateSet({
          last_read: sql`greatest(forum_topic_readers.last_read, excluded.last_read)`,
          // Taking part watches the topic, unless the reader muted it on purpose.
          level: sql`case when forum_topic_readers.level = 0 and forum_topic_readers.reason = 'manual' then 0 else 3 end`,
          reason: sql`case when forum_topic_readers.level = 0 and forum_topic_readers.reason = 'manual' then forum_topic_readers.reason when forum_topic_readers.level = 3 then forum_topic_readers.reason else excluded.reason end`,
          updated_at: clock.now(),
        }),
      )
      .execute();
  }

  // A reply's write, many replies' in one statement under load (reply-writer.ts).
  const replies = createReplyWriter(db);

  return {
    moderates,
    mayWrite,

    async startTopic(actor: Actor, boardId: number, input: { title: string; body: string; articleId?: number | null; images?: number[] }): Promise<Written> {
      const board = await boards.byId(boardId);
      if (!board || board.archived) throw new DomainError('forum.board_not_found', {}, 404);
      const staff = await moderates(actor.user, board.id);
      if (!(await mayWrite(actor.user, board, 'start', staff))) throw new DomainError('forum.may_not_start', {}, 403);
      const title = normalizeTitle(input.title);
      if (length(title) < TITLE_MIN || length(title) > TITLE_MAX) throw new DomainError('forum.title_length', { min: TITLE_MIN, max: TITLE_MAX });
      const body = normalizeText(input.body);
      const { draft, verdict, level } = await judge(actor, board, body, true, 'new', staff);
      const images = await checkImages(actor.user, staff, input.images);
      const status: PostStatus = verdict.status === 'approved' ? 'published' : 'held';
      const now = clock.now();
      const written = await db.transaction().execute(async (trx) => {
        await members.ensure(trx, actor.user.id, actor.user.displayName, now);
        const topic = await trx
          .insertInto('forum_topics')
          .values({
            board_id: board.id,
            author_id: actor.user.id,
            title,
            slug: slugify(title).slice(0, 80) || 'tema',
            status: status === 'published' ? 'visible' : 'held',
            post_count: 1,
            last_number: 1,
            last_post_at: now,
            last_post_number: 1,
            last_poster_id: actor.user.id,
            article_id: input.articleId ?? null,
            created_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const post = await trx
          .insertInto('forum_posts')
          .values({ topic_id: topic.id, number: 1, author_id: actor.user.id, body, status, held_reason: verdict.reasons.join(','), ip_hash: actor.ipHash, created_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await attach(trx, post.id, images);
        if (status === 'published') {
          await trx
            .updateTable('forum_boards')
            .set((eb) => ({ topic_count: eb('topic_count', '+', 1), post_count: eb('post_count', '+', 1), last_topic_id: topic.id, last_post_at: now }))
            .where('id', '=', board.id)
            .execute();
          await members.counted(trx, actor.user.id, { topics: 1, posts: 1 });
        }
        await follow(trx, actor.user.id, topic.id, 1, 'created');
        return { topicId: topic.id, postId: post.id, number: 1, boardId: board.id, status };
      });
      await moderation.posted(draft, status === 'published');
      if (status === 'published') await events.posted({ ...written, authorId: actor.user.id, authorName: actor.user.displayName, body, mentions: await mentionsFor(body, level, staff), isTopic: true });
      return written;
    },

    /**
     * The discussion of an article («Обсудить на форуме»): its topic, started by the
     * first reader who asks, in the board the article's section names. Two first
     * clicks at once make one topic (the unique index on the article decides).
     */
    async discuss(actor: Actor, input: { articleId: number; boardId: number; title: string; body: string }): Promise<{ topicId: number; boardId: number; created: boolean }> {
      const existing = await db.selectFrom('forum_topics').select(['id', 'board_id']).where('article_id', '=', input.articleId).executeTakeFirst();
      if (existing) return { topicId: existing.id, boardId: existing.board_id, created: false };
      try {
        const w = await this.startTopic(actor, input.boardId, { title: input.title, body: input.body, articleId: input.articleId });
        return { topicId: w.topicId, boardId: w.boardId, created: true };
      } catch (err) {
        const again = await db.selectFrom('forum_topics').select(['id', 'board_id']).where('article_id', '=', input.articleId).executeTakeFirst();
        if (again && (err as { code?: string }).code === '23505') return { topicId: again.id, boardId: again.board_id, created: false };
        throw err;
      }
    },

    async reply(actor: Actor, topicId: number, input: { body: string; images?: number[] }): Promise<Written> {
      const head = await topicHead(topicId);
      if (!head || head.status !== 'visible') throw new DomainError('forum.topic_not_found', {}, 404);
      const board = await boards.forWrite(head.board_id);
      if (!board) throw new DomainError('forum.topic_not_found', {}, 404);
      const staff = await moderates(actor.user, board.id);
      if (head.closed && !staff) throw new DomainError('forum.topic_closed', {}, 403);
      if (!(await mayWrite(actor.user, board, 'reply', staff))) throw new DomainError('forum.may_not_reply', {}, 403);
      const body = normalizeText(input.body);
      const { draft, verdict, level } = await judge(actor, board, body, false, 'new', staff);
      const images = await checkImages(actor.user, staff, input.images);
      const status: PostStatus = verdict.status === 'approved' ? 'published' : 'held';
      const now = clock.now();
      await members.ensure(db, actor.user.id, actor.user.displayName, now);
      const row = await replies.write({ topicId, userId: actor.user.id, body, status, heldReason: verdict.reasons.join(','), ipHash: actor.ipHash, images, staff, now });
      if (!row) {
        // The topic was hidden or closed after the checks above.
        const topic = await db.selectFrom('forum_topics').select(['status', 'closed']).where('id', '=', topicId).executeTakeFirst();
        if (!topic || topic.status !== 'visible') throw new DomainError('forum.topic_not_found', {}, 404);
        throw new DomainError('forum.topic_closed', {}, 403);
      }
      const written: Written = { topicId, postId: row.post_id, number: row.number, boardId: row.board_id, status };
      await moderation.posted(draft, status === 'published');
      if (status === 'published') {
        const told = await events.posted({ ...written, authorId: actor.user.id, authorName: actor.user.displayName, body, mentions: await mentionsFor(body, level, staff), isTopic: false, topicSlug: head.slug });
        if (told) written.url = told.url;
      }
      return written;
    },

    /**
     * A whole topic from elsewhere (the demo seed, an importer), trusted: no rules run,
     * times are the source's, counts follow. A post may quote an earlier one of the
     * same topic by its number. One transaction; the caller purges nothing (a new
     * topic shows on the pages this purges).
     */
    async importTopic(input: {
      boardId: number;
      title: string;
      pinned?: boolean;
      closed?: boolean;
      /** Views it had at the source. */
      views?: number;
      posts: { authorId: number; authorName: string; handle?: string; body: string; createdAt: Date; quote?: { number: number; text: string } }[];
    }): Promise<{ topicId: number; postIds: number[] }> {
      const first = input.posts[0];
      if (!first) throw new DomainError('forum.post_empty');
      const title = normalizeTitle(input.title);
      const last = input.posts[input.posts.length - 1]!;
      const done = await db.transaction().execute(async (trx) => {
        for (const p of input.posts) await members.ensure(trx, p.authorId, p.authorName, p.createdAt, p.handle);
        const topic = await trx
          .insertInto('forum_topics')
          .values({
            board_id: input.boardId,
            author_id: first.authorId,
            title,
            slug: slugify(title).slice(0, 80) || 'tema',
            pinned: input.pinned ?? false,
            closed: input.closed ?? false,
            view_count: input.views ?? 0,
            post_count: input.posts.length,
            last_number: input.posts.length,
            last_post_at: last.createdAt,
            last_post_number: input.posts.length,
            last_poster_id: last.authorId,
            created_at: first.createdAt,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const postIds: number[] = [];
        for (const [i, p] of input.posts.entries()) {
          const quoted = p.quote ? postIds[p.quote.number - 1] : undefined;
          const body = normalizeText(quoted ? `[quote=${quoted}]\n${p.quote!.text}\n[/quote]\n\n${p.body}` : p.body);
          const row = await trx.insertInto('forum_posts').values({ topic_id: topic.id, number: i + 1, author_id: p.authorId, body, created_at: p.createdAt }).returning('id').executeTakeFirstOrThrow();
          postIds.push(row.id);
          await members.counted(trx, p.authorId, { topics: i === 0 ? 1 : 0, posts: 1 });
          await follow(trx, p.authorId, topic.id, i + 1, i === 0 ? 'created' : 'replied');
        }
        await recountBoards(trx, [input.boardId]);
        return { topicId: topic.id, postIds };
      });
      await events.changed(topicTags(done.topicId, input.boardId));
      return done;
    },

    /** The author within the edit window, or a moderator at any time; the old text goes to the history. */
    async edit(actor: { user: SessionUser; ipHash: string }, postId: number, input: { body: string; title?: string }): Promise<{ topicId: number; boardId: number }> {
      const post = await db
        .selectFrom('forum_posts')
        .innerJoin('forum_topics', 'forum_topics.id', 'forum_posts.topic_id')
        .select(['forum_posts.author_id', 'forum_posts.status', 'forum_posts.created_at', 'forum_posts.number', 'forum_posts.topic_id', 'forum_topics.board_id', 'forum_topics.status as topic_status'])
        .where('forum_posts.id', '=', postId)
        .executeTakeFirst();
      if (!post || post.status === 'deleted' || post.status === 'hidden' || post.topic_status === 'hidden') throw new DomainError('forum.post_not_found', {}, 404);
      const board = (await boards.byId(post.board_id))!;
      const staff = await moderates(actor.user, board.id);
      if (!staff) {
        if (post.author_id !== actor.user.id) throw new DomainError('forum.not_yours', {}, 403);
        const minutes = await settings.get(FORUM_SETTINGS.editWindowMinutes);
        if (clock.now().getTime() - post.created_at.getTime() > minutes * 60_000) throw new DomainError('forum.edit_window', { minutes }, 403);
      }
      const body = normalizeText(input.body);
      const title = input.title === undefined || post.number !== 1 ? null : normalizeTitle(input.title);
      if (title !== null && (length(title) < TITLE_MIN || length(title) > TITLE_MAX)) throw new DomainError('forum.title_length', { min: TITLE_MIN, max: TITLE_MAX });
      const { verdict } = await judge(actor, board, body, post.number === 1, 'edit', staff);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const current = await trx.selectFrom('forum_posts').select(['body', 'status']).where('id', '=', postId).forUpdate().executeTakeFirstOrThrow();
        if (current.body === body && title === null) return;
        if (current.body !== body) await trx.insertInto('forum_post_revisions').values({ post_id: postId, body: current.body, editor_id: actor.user.id, replaced_at: now }).execute();
        // An edit that the rules now hold goes back to the queue (a published post is taken down meanwhile).
        const held = verdict.status === 'held' && current.status === 'published' && !staff;
        await trx
          .updateTable('forum_posts')
          .set((eb) => ({ body, edited_at: now, edit_count: eb('edit_count', '+', current.body === body ? 0 : 1), ...(held ? { status: 'held' as const, held_reason: verdict.reasons.join(',') } : {}) }))
          .where('id', '=', postId)
          .execute();
        if (held) await recountTopic(trx, post.topic_id);
        if (title !== null) await trx.updateTable('forum_topics').set({ title, slug: slugify(title).slice(0, 80) || 'tema' }).where('id', '=', post.topic_id).execute();
      });
      await events.changed(topicTags(post.topic_id, post.board_id));
      return { topicId: post.topic_id, boardId: post.board_id };
    },

    /** Soft: the number stays and the post reads «Сообщение удалено». */
    async remove(actor: { user: SessionUser }, postId: number): Promise<{ topicId: number; boardId: number }> {
      const post = await db
        .selectFrom('forum_posts')
        .innerJoin('forum_topics', 'forum_topics.id', 'forum_posts.topic_id')
        .select(['forum_posts.author_id', 'forum_posts.status', 'forum_posts.topic_id', 'forum_topics.board_id'])
        .where('forum_posts.id', '=', postId)
        .executeTakeFirst();
      if (!post || post.status === 'deleted') throw new DomainError('forum.post_not_found', {}, 404);
      if (post.author_id !== actor.user.id && !(await moderates(actor.user, post.board_id))) throw new DomainError('forum.not_yours', {}, 403);
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('forum_posts').set({ status: 'deleted' }).where('id', '=', postId).execute();
        await recountTopic(trx, post.topic_id);
        if (post.status === 'published' && post.author_id) await members.counted(trx, post.author_id, { topics: 0, posts: -1 });
      });
      await events.changed(topicTags(post.topic_id, post.board_id));
      return { topicId: post.topic_id, boardId: post.board_id };
    },

    /** Pin or unpin, close or open: moderators of the board. */
    async setTopicFlags(actor: { user: SessionUser }, topicId: number, flags: { pinned?: boolean; closed?: boolean }): Promise<void> {
      const topic = await db.selectFrom('forum_topics').select(['board_id']).where('id', '=', topicId).executeTakeFirst();
      if (!topic) throw new DomainError('forum.topic_not_found', {}, 404);
      if (!(await moderates(actor.user, topic.board_id))) throw new DomainError('forum.not_moderator', {}, 403);
      await db.updateTable('forum_topics').set(flags).where('id', '=', topicId).execute();
      await events.changed(topicTags(topicId, topic.board_id));
    },

    /** A topic to another board (a moderator of both, or forum staff). */
    async moveTopic(actor: { user: SessionUser }, topicId: number, boardId: number): Promise<void> {
      const topic = await db.selectFrom('forum_topics').select(['board_id']).where('id', '=', topicId).executeTakeFirst();
      if (!topic) throw new DomainError('forum.topic_not_found', {}, 404);
      const target = await boards.byId(boardId);
      if (!target || target.archived) throw new DomainError('forum.board_not_found', {}, 404);
      if (!(await moderates(actor.user, topic.board_id)) || !(await moderates(actor.user, boardId))) throw new DomainError('forum.not_moderator', {}, 403);
      if (topic.board_id === boardId) return;
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('forum_topics').set({ board_id: boardId }).where('id', '=', topicId).execute();
        await recountBoards(trx, [topic.board_id, boardId]);
      });
      await events.changed([...topicTags(topicId, topic.board_id), `forum-board:${boardId}`]);
    },

    /**
     * Posts of a topic (by number, not the first) into a new topic of their own in the
     * same or another board, numbered from 1 in their order; the old topic keeps the
     * rest with their numbers (a link to a moved post by id still finds it).
     */
    async splitPosts(actor: { user: SessionUser }, topicId: number, input: { numbers: number[]; title: string; boardId?: number }): Promise<{ topicId: number; boardId: number }> {
      const source = await db.selectFrom('forum_topics').select(['board_id', 'status']).where('id', '=', topicId).executeTakeFirst();
      if (!source || source.status !== 'visible') throw new DomainError('forum.topic_not_found', {}, 404);
      const boardId = input.boardId ?? source.board_id;
      const target = await boards.byId(boardId);
      if (!target || target.archived) throw new DomainError('forum.board_not_found', {}, 404);
      if (!(await moderates(actor.user, source.board_id)) || !(await moderates(actor.user, boardId))) throw new DomainError('forum.not_moderator', {}, 403);
      const title = normalizeTitle(input.title);
      if (length(title) < TITLE_MIN || length(title) > TITLE_MAX) throw new DomainError('forum.title_length', { min: TITLE_MIN, max: TITLE_MAX });
      const numbers = [...new Set(input.numbers)].filter((n) => n > 1).sort((a, b) => a - b);
      if (!numbers.length) throw new DomainError('forum.split_nothing');
      const made = await db.transaction().execute(async (trx) => {
        await lockTopic(trx, topicId);
        const posts = await trx.selectFrom('forum_posts').select(['id', 'author_id', 'created_at', 'status']).where('topic_id', '=', topicId).where('number', 'in', numbers).where('status', '!=', 'deleted').orderBy('number').execute();
        if (!posts.length) throw new DomainError('forum.split_nothing');
        const first = posts[0]!;
        const topic = await trx
          .insertInto('forum_topics')
          .values({ board_id: boardId, author_id: first.author_id, title, slug: slugify(title).slice(0, 80) || 'tema', last_post_at: first.created_at, last_number: posts.length, created_at: first.created_at })
          .returning('id')
          .executeTakeFirstOrThrow();
        for (const [i, p] of posts.entries()) await trx.updateTable('forum_posts').set({ topic_id: topic.id, number: i + 1 }).where('id', '=', p.id).execute();
        if (first.author_id) await members.counted(trx, first.author_id, { topics: 1, posts: 0 });
        await recountTopic(trx, topic.id);
        await recountTopic(trx, topicId);
        await recountBoards(trx, [...new Set([source.board_id, boardId])]);
        return topic.id;
      });
      await events.changed([...topicTags(topicId, source.board_id), ...topicTags(made, boardId)]);
      return { topicId: made, boardId };
    },

    /**
     * Every post of `fromId` goes to the end of `intoId`, in the order they were
     * written; the emptied topic's address sends readers to the other.
     */
    async mergeTopics(actor: { user: SessionUser }, fromId: number, intoId: number): Promise<{ topicId: number; boardId: number }> {
      if (fromId === intoId) throw new DomainError('forum.merge_topic_same');
      const [from, into] = await Promise.all([db.selectFrom('forum_topics').select(['board_id', 'status']).where('id', '=', fromId).executeTakeFirst(), db.selectFrom('forum_topics').select(['board_id', 'status']).where('id', '=', intoId).executeTakeFirst()]);
      if (!from || !into || from.status !== 'visible' || into.status !== 'visible') throw new DomainError('forum.topic_not_found', {}, 404);
      if (!(await moderates(actor.user, from.board_id)) || !(await moderates(actor.user, into.board_id))) throw new DomainError('forum.not_moderator', {}, 403);
      await db.transaction().execute(async (trx) => {
        // Both rows locked in id order, so two merges the other way round cannot deadlock.
        for (const id of [fromId, intoId].sort((a, b) => a - b)) await lockTopic(trx, id);
        const target = await trx.selectFrom('forum_topics').select('last_number').where('id', '=', intoId).executeTakeFirstOrThrow();
        const emptied = await trx.selectFrom('forum_topics').select('author_id').where('id', '=', fromId).executeTakeFirstOrThrow();
        if (emptied.author_id) await members.counted(trx, emptied.author_id, { topics: -1, posts: 0 });
        const posts = await trx.selectFrom('forum_posts').select('id').where('topic_id', '=', fromId).orderBy('created_at').orderBy('number').execute();
        let number = target.last_number;
        for (const p of posts) await trx.updateTable('forum_posts').set({ topic_id: intoId, number: ++number }).where('id', '=', p.id).execute();
        await trx.updateTable('forum_topics').set({ last_number: number }).where('id', '=', intoId).execute();
        await trx.updateTable('forum_topics').set({ status: 'hidden', moved_to: intoId, post_count: 0 }).where('id', '=', fromId).execute();
        // Readers' progress in the emptied topic means nothing in the other.
        await trx.deleteFrom('forum_topic_readers').where('topic_id', '=', fromId).execute();
        await recountTopic(trx, intoId);
        await recountBoards(trx, [...new Set([from.board_id, into.board_id])]);
      });
      await events.changed([...topicTags(fromId, from.board_id), ...topicTags(intoId, into.board_id)]);
      return { topicId: intoId, boardId: into.board_id };
    },

    /** The queue's decision on a held or reported post: publish, hide, or delete. */
    async decide(postId: number, decision: 'approve' | 'reject' | 'delete'): Promise<{ topicId: number; boardId: number; wasVisible: boolean; published: { authorId: number | null; body: string; number: number } | null } | null> {
      return db.transaction().execute(async (trx) => {
        const post = await trx
          .selectFrom('forum_posts')
          .innerJoin('forum_topics', 'forum_topics.id', 'forum_posts.topic_id')
          .select(['forum_posts.status', 'forum_posts.topic_id', 'forum_posts.number', 'forum_posts.author_id', 'forum_posts.body', 'forum_topics.board_id', 'forum_topics.status as topic_status'])
          .where('forum_posts.id', '=', postId)
          .forUpdate()
          .executeTakeFirst();
        if (!post || post.status === 'deleted') return null;
        const status: PostStatus = decision === 'approve' ? 'published' : decision === 'reject' ? 'hidden' : 'deleted';
        await trx.updateTable('forum_posts').set({ status, held_reason: '' }).where('id', '=', postId).execute();
        // The first post carries its topic: approving it shows the topic, hiding it hides the topic.
        if (post.number === 1) await trx.updateTable('forum_topics').set({ status: status === 'published' ? 'visible' : 'hidden' }).where('id', '=', post.topic_id).execute();
        await recountTopic(trx, post.topic_id);
        await recountBoards(trx, [post.board_id]);
        if (post.author_id && (post.status === 'published') !== (status === 'published')) await members.counted(trx, post.author_id, { topics: post.number === 1 ? (status === 'published' ? 1 : -1) : 0, posts: status === 'published' ? 1 : -1 });
        const newlyPublished = status === 'published' && post.status !== 'published';
        return { topicId: post.topic_id, boardId: post.board_id, wasVisible: post.status === 'published' || status === 'published', published: newlyPublished ? { authorId: post.author_id, body: post.body, number: post.number } : null };
      });
    },

    /** Enough readers reported it: take it down until a moderator decides. */
    async hold(postId: number, reason: string): Promise<{ topicId: number; boardId: number } | null> {
      return db.transaction().execute(async (trx) => {
        const post = await trx
          .selectFrom('forum_posts')
          .innerJoin('forum_topics', 'forum_topics.id', 'forum_posts.topic_id')
          .select(['forum_posts.status', 'forum_posts.topic_id', 'forum_topics.board_id'])
          .where('forum_posts.id', '=', postId)
          .forUpdate()
          .executeTakeFirst();
        if (!post || post.status !== 'published') return null;
        await trx.updateTable('forum_posts').set({ status: 'held', held_reason: reason }).where('id', '=', postId).execute();
        await recountTopic(trx, post.topic_id);
        await recountBoards(trx, [post.board_id]);
        return { topicId: post.topic_id, boardId: post.board_id };
      });
    },
  };
}

/** A topic's count and last post from its published posts (after a deletion, a hold, a decision). */
export async function recountTopic(trx: Transaction<DB>, topicId: number): Promise<void> {
  await sql`
    update forum_topics t set
      post_count = (select count(*)::int from forum_posts where topic_id = t.id and status = 'published'),
      last_post_at = coalesce((select max(created_at) from forum_posts where topic_id = t.id and status = 'published'), t.created_at),
      last_post_number = coalesce((select max(number) from forum_posts where topic_id = t.id and status = 'published'), 1),
      last_poster_id = (select author_id from forum_posts where topic_id = t.id and status = 'published' order by number desc limit 1)
    where t.id = ${topicId}`.execute(trx);
}

export type Posting = ReturnType<typeof createPosting>;
