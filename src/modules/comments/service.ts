// Comments: threads under articles, votes, complaints, the moderation pipeline,
// bans and stop words. The only code that touches the comment tables. It joins
// `users` for names and avatars (the accounts module is the same owner's and keeps
// those columns stable) and asks content about articles and sections.
import { sql, type Kysely, type Transaction } from 'kysely';
import { runPrepared } from '../../db/connection.js';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { HttpError } from '../../platform/errors.js';
import { moderate, type Phase } from '../../platform/moderation.js';
import type { SessionUser } from '../../platform/sessions.js';
import type { ReaderRowsOwner } from '../../platform/reader-rows.js';
import type { Content } from '../content/service.js';
import type { CommentStatus, ComplaintReason } from './schema.js';
import './schema.js';

export const MAX_LENGTH = 2000;
export const EDIT_WINDOW_MS = 15 * 60_000;
export const PAGE_SIZE = 20;
const RATE = { perMinute: 5, perHour: 60 };
const HOLD_FIRST_KEY = 'comments.holdFirst';
const ANON_VOTES_PER_IP = 3;

export type Sort = 'new' | 'old' | 'popular';
export const SORTS: Sort[] = ['new', 'old', 'popular'];

export interface CommentNode {
  id: number;
  parentId: number | null;
  depth: number;
  /** null: the account was deleted («Удалённый пользователь»). */
  authorName: string | null;
  authorAvatarId: number | null;
  guest: boolean;
  /** For replies shown deeper than two levels: whom this one answers. */
  replyTo: string | null;
  body: string;
  deleted: boolean;
  createdAt: Date;
  editedAt: Date | null;
  up: number;
  down: number;
  replies: CommentNode[];
}

export interface Thread {
  articleId: number;
  /** Approved comments of the article: the number in the heading. */
  count: number;
  sort: Sort;
  page: number;
  hasMore: boolean;
  items: CommentNode[];
}

/** Everything a moderation phase may look at. */
export interface Draft {
  articleId: number;
  sectionId: number;
  premoderation: boolean;
  user: SessionUser | null;
  ipHash: string;
  body: string;
}

export interface PublishedComment {
  id: number;
  articleId: number;
  parentId: number | null;
  authorId: number | null;
  authorName: string;
  /** The author of the comment answered, to tell them. */
  parentAuthorId: number | null;
  body: string;
}

/** Plain text as stored: one kind of line break, no control characters, trimmed. */
export function normalizeBody(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0009\u000B-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
const length = (s: string) => [...s].length;
const normalizeWord = (s: string) => s.toLowerCase().replace(/ё/g, 'е').trim();

export const voterOf = (user: SessionUser | null, anonymousId: string | null): string | null => (user ? `u:${user.id}` : anonymousId ? `a:${anonymousId}` : null);

/** Votes removed without their reader's say (a merge, a deleted account) leave the counts, comment by comment in id order. */
async function uncount(trx: Transaction<DB>, votes: { comment_id: number; value: number }[]) {
  for (const v of [...votes].sort((a, b) => a.comment_id - b.comment_id)) {
    await trx
      .updateTable('comments')
      .set((eb) => (v.value === 1 ? { up: eb('up', '-', 1) } : { down: eb('down', '-', 1) }))
      .where('id', '=', v.comment_id)
      .execute();
  }
}

export function createComments({ db, clock, content, timezone, onPublished }: { db: Kysely<DB>; clock: Clock; content: Pick<Content, 'readerArticle' | 'isPublished' | 'sections'>; timezone: string; onPublished: (c: PublishedComment) => Promise<void> }) {
  const banDate = new Intl.DateTimeFormat('ru', { timeZone: timezone, day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });

  // ---------- moderation phases, in the order they run ----------

  const checkBan: Phase<Draft> = async ({ user }) => {
    if (!user) return;
    const ban = await activeBan(user.id);
    if (ban) throw bannedError(ban);
  };

  const checkLength: Phase<Draft> = ({ body }) => {
    if (!body) throw new HttpError(400, 'empty', 'Напишите текст комментария');
    if (length(body) > MAX_LENGTH) throw new HttpError(400, 'too_long', `Комментарий длиннее ${MAX_LENGTH} символов`);
  };

  // Per reader (or per IP for guests), counted in the database so that every
  // instance sees the same numbers; the route adds a per-IP limit on top.
  const checkRate: Phase<Draft> = async ({ user, ipHash }) => {
    const since = (ms: number) => new Date(clock.now().getTime() - ms);
    const row = await db
      .selectFrom('comments')
      .select((eb) => [
        eb.fn.countAll<string>().filterWhere('created_at', '>', since(60_000)).as('minute'),
        eb.fn.countAll<string>().filterWhere('created_at', '>', since(3600_000)).as('hour'),
      ])
      .where((eb) => (user ? eb('author_id', '=', user.id) : eb.and([eb('author_id', 'is', null), eb('ip_hash', '=', ipHash)])))
      .where('created_at', '>', since(3600_000))
      .executeTakeFirstOrThrow();
    if (Number(row.minute) >= RATE.perMinute || Number(row.hour) >= RATE.perHour) {
      throw new HttpError(429, 'rate_limited', 'Вы пишете слишком часто. Подождите немного и попробуйте снова.');
    }
  };

  const stopWords: Phase<Draft> = async ({ body }) => {
    const hit = await findStopWord(body);
    if (hit) return { status: 'held', reason: `stop_word:${hit}` };
  };

  const firstCommentsHeld: Phase<Draft> = async ({ user }) => {
    if (!user) return;
    const first = await holdFirst();
    if (first <= 0) return;
    const row = await db.selectFrom('comments').select((eb) => eb.fn.countAll<string>().as('n')).where('author_id', '=', user.id).where('status', '=', 'approved').executeTakeFirstOrThrow();
    if (Number(row.n) < first) return { status: 'held', reason: 'first_comments' };
  };

  const sectionPremoderation: Phase<Draft> = ({ premoderation }) => (premoderation ? { status: 'held', reason: 'premoderation' } : undefined);

  const newCommentPhases = [checkBan, checkLength, checkRate, stopWords, firstCommentsHeld, sectionPremoderation];
  // An edit in a pre-moderated section goes back to the queue, like a new comment.
  const editPhases = [checkBan, checkLength, stopWords, sectionPremoderation];

  // ---------- helpers ----------

  async function activeBan(userId: number) {
    return db
      .selectFrom('comment_bans')
      .select(['reason', 'until'])
      .where('user_id', '=', userId)
      .where('lifted_at', 'is', null)
      .where((eb) => eb.or([eb('until', 'is', null), eb('until', '>', clock.now())]))
      .orderBy(sql`until desc nulls first`)
      .executeTakeFirst();
  }

  function bannedError(ban: { reason: string; until: Date | null }) {
    return new HttpError(403, 'banned', ban.until ? `Вы не можете комментировать до ${banDate.format(ban.until)}. Причина: ${ban.reason}` : `Вы больше не можете комментировать. Причина: ${ban.reason}`, {
      reason: ban.reason,
      until: ban.until?.toISOString() ?? null,
    });
  }

  async function findStopWord(body: string): Promise<string | null> {
    const words = (await db.selectFrom('comment_stop_words').select('word').execute()).map((r) => r.word);
    if (!words.length) return null;
    const text = normalizeWord(body);
    const tokens: string[] = text.match(/[\p{L}\p{N}]+/gu) ?? [];
    for (const w of words) {
      if (w.includes(' ') ? text.includes(w) : w.endsWith('*') ? tokens.some((t) => t.startsWith(w.slice(0, -1))) : tokens.includes(w)) return w;
    }
    return null;
  }

  async function holdFirst(): Promise<number> {
    const row = await db.selectFrom('settings').select('value').where('key', '=', HOLD_FIRST_KEY).executeTakeFirst();
    return row ? Number(row.value) || 0 : 0;
  }

  async function commentable(articleId: number) {
    const article = await content.readerArticle(articleId);
    if (!article || !content.isPublished(article)) throw new HttpError(404, 'article_not_found', 'Статья не найдена');
    const section = (await content.sections()).get(article.section.id);
    return { article, mode: section?.commentsMode ?? 'members', premoderation: section?.premoderation ?? false };
  }

  async function own(id: number, user: SessionUser) {
    const row = await db.selectFrom('comments').select(['id', 'article_id', 'author_id', 'status', 'created_at', 'body']).where('id', '=', id).executeTakeFirst();
    if (!row || row.status === 'deleted' || row.status === 'rejected') throw new HttpError(404, 'comment_not_found', 'Комментарий не найден');
    if (row.author_id !== user.id) throw new HttpError(403, 'not_yours', 'Это не ваш комментарий');
    return row;
  }

  async function visible(id: number) {
    const row = await db.selectFrom('comments').select(['id', 'article_id', 'author_id', 'status']).where('id', '=', id).executeTakeFirst();
    if (!row || row.status !== 'approved') throw new HttpError(404, 'comment_not_found', 'Комментарий не найден');
    return row;
  }

  async function published(id: number): Promise<PublishedComment> {
    const row = await db
      .selectFrom('comments')
      .leftJoin('users', 'users.id', 'comments.author_id')
      .leftJoin('comments as parent', 'parent.id', 'comments.parent_id')
      .select(['comments.id', 'comments.article_id', 'comments.parent_id', 'comments.author_id', 'comments.body', 'comments.guest_name', 'users.display_name', 'parent.author_id as parent_author_id'])
      .where('comments.id', '=', id)
      .executeTakeFirstOrThrow();
    return { id: row.id, articleId: row.article_id, parentId: row.parent_id, authorId: row.author_id, authorName: row.display_name ?? row.guest_name ?? '', parentAuthorId: row.parent_author_id, body: row.body };
  }

  // ---------- reading ----------

  async function counts(articleIds: number[]): Promise<Map<number, number>> {
    const ids = [...new Set(articleIds)];
    const out = new Map<number, number>(ids.map((id) => [id, 0]));
    if (!ids.length) return out;
    const rows = await runPrepared(
      db,
      db
        .selectFrom('comments')
        .select(['article_id', (eb) => eb.fn.countAll<string>().as('n')])
        .where('article_id', 'in', ids)
        .where('status', '=', 'approved')
        .groupBy('article_id'),
    );
    for (const r of rows) out.set(r.article_id, Number(r.n));
    return out;
  }

  /** «Самое обсуждаемое»: the articles with the most approved comments since a moment. */
  async function mostDiscussed(since: Date, limit: number): Promise<{ articleId: number; comments: number }[]> {
    const rows = await db
      .selectFrom('comments')
      .select(['article_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where('status', '=', 'approved')
      .where('created_at', '>=', since)
      .groupBy('article_id')
      .orderBy('n', 'desc')
      .orderBy('article_id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ articleId: r.article_id, comments: Number(r.n) }));
  }

  async function thread(articleId: number, sort: Sort = 'new', page = 1, pageSize = PAGE_SIZE): Promise<Thread> {
    // A deleted comment stays as «Комментарий удалён» while it has visible replies.
    const hasVisibleReply = (eb: any) =>
      eb.exists(eb.selectFrom('comments as r').select('r.id').whereRef('r.root_id', '=', 'comments.id').where('r.status', '=', 'approved'));
    let roots = db
      .selectFrom('comments')
      .leftJoin('users', 'users.id', 'comments.author_id')
      .select(['comments.id', 'comments.parent_id', 'comments.depth', 'comments.author_id', 'comments.guest_name', 'comments.body', 'comments.status', 'comments.created_at', 'comments.edited_at', 'comments.up', 'comments.down', 'users.display_name', 'users.avatar_id'])
      .where('comments.article_id', '=', articleId)
      .where('comments.parent_id', 'is', null)
      .where((eb) => eb.or([eb('comments.status', '=', 'approved'), eb.and([eb('comments.status', '=', 'deleted'), hasVisibleReply(eb)])]));
    roots =
      sort === 'old'
        ? roots.orderBy('comments.created_at', 'asc').orderBy('comments.id', 'asc')
        : sort === 'popular'
          ? roots.orderBy(sql`comments.up - comments.down`, 'desc').orderBy('comments.created_at', 'desc').orderBy('comments.id', 'desc')
          : roots.orderBy('comments.created_at', 'desc').orderBy('comments.id', 'desc');
    const [rootRows, countMap] = await Promise.all([runPrepared(db, roots.limit(pageSize + 1).offset((page - 1) * pageSize)), counts([articleId])]);
    const hasMore = rootRows.length > pageSize;
    const top = rootRows.slice(0, pageSize);
    const replyRows = top.length
      ? await runPrepared(
          db,
          db
            .selectFrom('comments')
            .leftJoin('users', 'users.id', 'comments.author_id')
            .select(['comments.id', 'comments.parent_id', 'comments.depth', 'comments.author_id', 'comments.guest_name', 'comments.body', 'comments.status', 'comments.created_at', 'comments.edited_at', 'comments.up', 'comments.down', 'users.display_name', 'users.avatar_id'])
            .where(
              'comments.root_id',
              'in',
              top.map((r) => r.id),
            )
            .where('comments.status', 'in', ['approved', 'deleted'])
            .orderBy('comments.created_at', 'asc')
            .orderBy('comments.id', 'asc'),
        )
      : [];

    type Row = (typeof rootRows)[number];
    const node = (r: Row): CommentNode => ({
      id: r.id,
      parentId: r.parent_id,
      depth: r.depth,
      authorName: r.author_id === null && r.guest_name === null ? null : (r.display_name ?? r.guest_name),
      authorAvatarId: r.avatar_id ?? null,
      guest: r.author_id === null && r.guest_name !== null,
      replyTo: null,
      body: r.status === 'deleted' ? '' : r.body,
      deleted: r.status === 'deleted',
      createdAt: r.created_at,
      editedAt: r.edited_at,
      up: r.up,
      down: r.down,
      replies: [],
    });
    const byId = new Map<number, CommentNode>();
    const items = top.map((r) => {
      const n = node(r);
      byId.set(n.id, n);
      return n;
    });
    // Deleted replies stay only as the parent of a visible one.
    const live = new Set(replyRows.filter((r) => r.status === 'approved').map((r) => r.id));
    const parentOf = new Map(replyRows.map((r) => [r.id, r.parent_id]));
    for (const id of [...live]) for (let p = parentOf.get(id); p && parentOf.has(p) && !live.has(p); p = parentOf.get(p)) live.add(p);
    for (const r of replyRows) {
      if (!live.has(r.id)) continue;
      const n = node(r);
      byId.set(n.id, n);
      const parent = byId.get(r.parent_id!);
      if (!parent) continue;
      if (parent.depth < 2) parent.replies.push(n);
      else {
        // Deeper than two levels: beside its parent, naming whom it answers.
        n.replyTo = parent.authorName ?? '';
        const holder = [...byId.values()].find((x) => x.replies.includes(parent));
        (holder ?? parent).replies.push(n);
      }
    }
    return { articleId, count: countMap.get(articleId) ?? 0, sort, page, hasMore, items };
  }

  return {
    counts,
    mostDiscussed,
    thread,
    activeBan,
    bannedError,
    commentable,

    /** A new comment or reply, through the moderation pipeline. */
    async create(input: { articleId: number; parentId?: number | null; user: SessionUser | null; guestName?: string; body: string; ipHash: string }) {
      const { mode, premoderation, article } = await commentable(input.articleId);
      if (mode === 'closed') throw new HttpError(403, 'comments_closed', 'Комментарии к этой статье закрыты');
      let guestName: string | null = null;
      if (!input.user) {
        if (mode !== 'guests') throw new HttpError(401, 'unauthorized', 'Войдите, чтобы комментировать');
        guestName = (input.guestName ?? '').replace(/\s+/g, ' ').trim();
        if (length(guestName) < 2 || length(guestName) > 40) throw new HttpError(400, 'bad_name', 'Имя должно быть от 2 до 40 символов');
      }
      const body = normalizeBody(input.body);
      let parent: { id: number; root_id: number | null; depth: number } | undefined;
      if (input.parentId) {
        const p = await db.selectFrom('comments').select(['id', 'article_id', 'root_id', 'depth', 'status']).where('id', '=', input.parentId).executeTakeFirst();
        if (!p || p.status !== 'approved') throw new HttpError(400, 'bad_parent', 'Комментарий, на который вы отвечаете, удалён или не найден');
        if (p.article_id !== input.articleId) throw new HttpError(400, 'bad_parent', 'Комментарий, на который вы отвечаете, относится к другой статье');
        parent = p;
      }
      const draft: Draft = { articleId: article.id, sectionId: article.section.id, premoderation, user: input.user, ipHash: input.ipHash, body };
      const verdict = await moderate(newCommentPhases, draft);
      const row = await db
        .insertInto('comments')
        .values({
          article_id: article.id,
          parent_id: parent?.id ?? null,
          root_id: parent ? (parent.root_id ?? parent.id) : null,
          depth: parent ? Math.min(parent.depth + 1, 2) : 0,
          author_id: input.user?.id ?? null,
          guest_name: guestName,
          body,
          status: verdict.status,
          held_reason: verdict.reasons.join(' '),
          ip_hash: input.ipHash,
          created_at: clock.now(),
          edited_at: null,
          reviewed_at: null,
        })
        .returning(['id', 'status'])
        .executeTakeFirstOrThrow();
      if (row.status === 'approved') await onPublished(await published(row.id));
      return { id: row.id, status: row.status as CommentStatus, articleUrl: article.url };
    },

    /** The author's fix within the edit window; a stop word holds it again. */
    async edit(id: number, user: SessionUser, text: string) {
      const row = await own(id, user);
      if (clock.now().getTime() - row.created_at.getTime() > EDIT_WINDOW_MS) throw new HttpError(403, 'edit_window', 'Комментарий можно изменить только в первые 15 минут');
      const body = normalizeBody(text);
      const { premoderation } = await commentable(row.article_id);
      const verdict = await moderate(editPhases, { articleId: row.article_id, sectionId: 0, premoderation, user, ipHash: '', body });
      const status: CommentStatus = verdict.status === 'held' ? 'held' : row.status;
      await db
        .updateTable('comments')
        .set({ body, edited_at: clock.now(), status, held_reason: verdict.reasons.join(' ') || undefined })
        .where('id', '=', id)
        .execute();
      return { id, articleId: row.article_id, status };
    },

    async remove(id: number, user: SessionUser) {
      const row = await own(id, user);
      await db.updateTable('comments').set({ status: 'deleted' }).where('id', '=', id).execute();
      return { id, articleId: row.article_id };
    },

    /** Sets (1, -1) or withdraws (0) this voter's vote; counts change in the same transaction. */
    async vote(id: number, voter: string, user: SessionUser | null, value: -1 | 0 | 1, ipHash = '') {
      const c = await visible(id);
      if (user && c.author_id === user.id) throw new HttpError(400, 'own_comment', 'Нельзя голосовать за свой комментарий');
      if (!user && value !== 0 && ipHash) {
        // A household or an office shares an address, so a few anonymous votes from
        // one IP are fine; a stream of fresh cookies from it is not.
        const row = await db
          .selectFrom('comment_votes')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('comment_id', '=', id)
          .where('ip_hash', '=', ipHash)
          .where('reader', 'like', 'a:%')
          .where('reader', '!=', voter)
          .executeTakeFirstOrThrow();
        if (Number(row.n) >= ANON_VOTES_PER_IP) throw new HttpError(429, 'too_many_votes', 'С вашего адреса уже голосовали за этот комментарий. Войдите, чтобы проголосовать.');
      }
      return db.transaction().execute(async (trx) => {
        // Lock the comment row: concurrent votes queue here and counts stay exact.
        await trx.selectFrom('comments').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
        const before = await trx.selectFrom('comment_votes').select('value').where('comment_id', '=', id).where('reader', '=', voter).executeTakeFirst();
        const old = before?.value ?? 0;
        if (value === 0) await trx.deleteFrom('comment_votes').where('comment_id', '=', id).where('reader', '=', voter).execute();
        else
          await trx
            .insertInto('comment_votes')
            .values({ comment_id: id, reader: voter, value, ip_hash: user ? '' : ipHash, created_at: clock.now() })
            .onConflict((oc) => oc.columns(['comment_id', 'reader']).doUpdateSet({ value }))
            .execute();
        const up = (value === 1 ? 1 : 0) - (old === 1 ? 1 : 0);
        const down = (value === -1 ? 1 : 0) - (old === -1 ? 1 : 0);
        const row = await trx
          .updateTable('comments')
          .set((eb) => ({ up: eb('up', '+', up), down: eb('down', '+', down) }))
          .where('id', '=', id)
          .returning(['up', 'down', 'article_id'])
          .executeTakeFirstOrThrow();
        return { up: row.up, down: row.down, mine: value, articleId: row.article_id };
      });
    },

    async complain(id: number, reporter: string, user: SessionUser | null, reason: ComplaintReason, note: string) {
      const c = await visible(id);
      if (user && c.author_id === user.id) throw new HttpError(400, 'own_comment', 'Нельзя пожаловаться на свой комментарий');
      await db.transaction().execute(async (trx) => {
        const added = await trx
          .insertInto('comment_complaints')
          .values({ comment_id: id, reporter, reason, note: note.trim().slice(0, 500), created_at: clock.now() })
          .onConflict((oc) => oc.doNothing())
          .returning('comment_id')
          .executeTakeFirst();
        if (!added) throw new HttpError(409, 'already_complained', 'Вы уже пожаловались на этот комментарий');
        // A new complaint reopens a comment a moderator already looked at.
        await trx.updateTable('comments').set((eb) => ({ complaints: eb('complaints', '+', 1), reviewed_at: null })).where('id', '=', id).execute();
      });
    },

    /** The per-reader part of an article's thread: my votes and my editable comments. */
    async readerState(articleId: number, voter: string | null, user: SessionUser | null) {
      const votes: Record<number, number> = {};
      if (voter) {
        // Asked by every article view's comment island: a prepared statement.
        const rows = await runPrepared(
          db,
          db
            .selectFrom('comment_votes')
            .innerJoin('comments', 'comments.id', 'comment_votes.comment_id')
            .select(['comment_votes.comment_id', 'comment_votes.value'])
            .where('comments.article_id', '=', articleId)
            .where('comment_votes.reader', '=', voter),
        );
        for (const r of rows) votes[r.comment_id] = r.value;
      }
      const mine = user
        ? (
            await db
              .selectFrom('comments')
              .select(['id', 'status', 'created_at'])
              .where('article_id', '=', articleId)
              .where('author_id', '=', user.id)
              .where('status', 'in', ['approved', 'held'])
              .execute()
          ).map((r) => ({ id: r.id, status: r.status, editableUntil: new Date(r.created_at.getTime() + EDIT_WINDOW_MS).toISOString() }))
        : [];
      return { votes, mine };
    },

    /** How votes follow their reader (platform/reader-rows.ts). */
    voteRows: {
      owner: 'comments.votes',
      /**
       * An anonymous reader who signs in keeps their votes; where the account voted
       * the same comment too, the account's vote stays and the browser's leaves the counts.
       */
      async move(trx, from, to) {
        const dropped = await trx
          .deleteFrom('comment_votes as v')
          .where('v.reader', '=', from.key)
          .where((eb) => eb.exists(eb.selectFrom('comment_votes as w').select('w.comment_id').whereRef('w.comment_id', '=', 'v.comment_id').where('w.reader', '=', to.key)))
          .returning(['v.comment_id', 'v.value'])
          .execute();
        await uncount(trx, dropped);
        await trx.updateTable('comment_votes').set({ reader: to.key, ip_hash: '' }).where('reader', '=', from.key).execute();
      },
      /** A deleted account's votes go, and leave the counts. */
      async forget(trx, account) {
        await uncount(trx, await trx.deleteFrom('comment_votes').where('reader', '=', account.key).returning(['comment_id', 'value']).execute());
      },
    } satisfies ReaderRowsOwner,

    // ---------- moderation ----------

    async queueCounts() {
      const row = await db
        .selectFrom('comments')
        .select((eb) => [
          eb.fn.countAll<string>().filterWhere('status', '=', 'held').as('held'),
          eb.fn.countAll<string>().filterWhere((w) => w.and([w('status', '=', 'approved'), w('complaints', '>', 0), w('reviewed_at', 'is', null)])).as('complained'),
        ])
        .where((eb) => eb.or([eb('status', '=', 'held'), eb.and([eb('complaints', '>', 0), eb('reviewed_at', 'is', null)])]))
        .executeTakeFirstOrThrow();
      return { held: Number(row.held), complained: Number(row.complained) };
    },

    async queue(kind: 'held' | 'complained', limit = 50) {
      let q = db
        .selectFrom('comments')
        .leftJoin('users', 'users.id', 'comments.author_id')
        .select(['comments.id', 'comments.article_id', 'comments.author_id', 'comments.guest_name', 'comments.body', 'comments.status', 'comments.held_reason', 'comments.complaints', 'comments.created_at', 'users.display_name'])
        .orderBy('comments.created_at', 'asc')
        .limit(limit);
      q = kind === 'held' ? q.where('comments.status', '=', 'held') : q.where('comments.status', '=', 'approved').where('comments.complaints', '>', 0).where('comments.reviewed_at', 'is', null);
      const rows = await q.execute();
      const ids = rows.map((r) => r.id);
      const reasons = ids.length
        ? await db.selectFrom('comment_complaints').select(['comment_id', 'reason', 'note']).where('comment_id', 'in', ids).orderBy('created_at').execute()
        : [];
      return rows.map((r) => ({ ...r, reasons: reasons.filter((x) => x.comment_id === r.id) }));
    },

    /** A moderator's decision; approving a held comment publishes it (and notifies). */
    async decide(id: number, action: 'approve' | 'reject' | 'delete') {
      const row = await db.selectFrom('comments').select(['id', 'status', 'article_id']).where('id', '=', id).executeTakeFirst();
      if (!row) throw new HttpError(404, 'comment_not_found', 'Комментарий не найден');
      const status: CommentStatus = action === 'approve' ? 'approved' : action === 'reject' ? 'rejected' : 'deleted';
      await db.updateTable('comments').set({ status, reviewed_at: clock.now() }).where('id', '=', id).execute();
      if (action === 'approve' && row.status === 'held') await onPublished(await published(id));
      return { id, articleId: row.article_id, wasVisible: row.status === 'approved' || status === 'approved' };
    },

    async ban(input: { userId: number; days: number | null; reason: string; by: number }) {
      const reason = input.reason.trim();
      if (!reason || reason.length > 300) throw new HttpError(400, 'bad_reason', 'Укажите причину бана (до 300 символов)');
      const user = await db.selectFrom('users').select('id').where('id', '=', input.userId).executeTakeFirst();
      if (!user) throw new HttpError(404, 'user_not_found', 'Пользователь не найден');
      const until = input.days ? new Date(clock.now().getTime() + input.days * 86400_000) : null;
      await db.insertInto('comment_bans').values({ user_id: input.userId, reason, until, created_by: input.by, created_at: clock.now(), lifted_at: null }).execute();
    },

    /** Bans in force, newest first, for the moderators' list. */
    activeBans: () =>
      db
        .selectFrom('comment_bans')
        .innerJoin('users', 'users.id', 'comment_bans.user_id')
        .select(['comment_bans.id', 'comment_bans.user_id', 'comment_bans.reason', 'comment_bans.until', 'comment_bans.created_at', 'users.display_name'])
        .where('comment_bans.lifted_at', 'is', null)
        .where((eb) => eb.or([eb('comment_bans.until', 'is', null), eb('comment_bans.until', '>', clock.now())]))
        .orderBy('comment_bans.created_at', 'desc')
        .limit(200)
        .execute(),

    async liftBan(id: number) {
      const res = await db.updateTable('comment_bans').set({ lifted_at: clock.now() }).where('id', '=', id).where('lifted_at', 'is', null).executeTakeFirst();
      if (!Number(res.numUpdatedRows)) throw new HttpError(404, 'ban_not_found', 'Бан не найден или уже снят');
    },

    async stopWords(): Promise<string[]> {
      return (await db.selectFrom('comment_stop_words').select('word').orderBy('word').execute()).map((r) => r.word);
    },

    async setStopWords(words: string[]) {
      const clean = [...new Set(words.map(normalizeWord).filter((w) => w.length > 0 && w.length <= 60))].slice(0, 1000);
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('comment_stop_words').execute();
        if (clean.length) await trx.insertInto('comment_stop_words').values(clean.map((word) => ({ word }))).execute();
      });
    },

    holdFirst,
    async setHoldFirst(n: number) {
      await db
        .insertInto('settings')
        .values({ key: HOLD_FIRST_KEY, value: String(n) })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(n) }))
        .execute();
    },

    /** My comments, votes and complaints, for «export my data». */
    async exportFor(userId: number) {
      const [comments, votes, complaints, bans] = await Promise.all([
        db.selectFrom('comments').select(['id', 'article_id', 'parent_id', 'body', 'status', 'created_at', 'edited_at']).where('author_id', '=', userId).orderBy('id').execute(),
        db.selectFrom('comment_votes').select(['comment_id', 'value', 'created_at']).where('reader', '=', `u:${userId}`).execute(),
        db.selectFrom('comment_complaints').select(['comment_id', 'reason', 'note', 'created_at']).where('reporter', '=', `u:${userId}`).execute(),
        db.selectFrom('comment_bans').select(['reason', 'until', 'created_at']).where('user_id', '=', userId).execute(),
      ]);
      return { comments, votes, complaints, bans };
    },

    /** Before an account goes: its complaints go (its votes: voteRows), its comments stay without a name. */
    async forgetUser(userId: number) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('comment_complaints').where('reporter', '=', `u:${userId}`).execute();
        await trx.updateTable('comments').set({ author_id: null, ip_hash: '' }).where('author_id', '=', userId).execute();
      });
    },
  };
}
export type Comments = ReturnType<typeof createComments>;
