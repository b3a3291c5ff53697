// Comments: threads under a subject (an article today; a forum post, an ad or a
// live entry tomorrow) and their votes. New text goes through the moderation
// module's pipeline with the comments' own phases (length, rate) in it; reports,
// bans and the queue live there too, and this module plugs comments into the queue
// (comments/moderated.ts). The only code that touches the comment tables. It joins
// `users` for names and avatars (the accounts module is the same owner's and keeps
// those columns stable) and asks content about sections.
import { sql, type Kysely, type Transaction } from 'kysely';
import { runPrepared } from '../../db/connection.js';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { DomainError } from '../../platform/errors.js';
import type { SessionUser } from '../../platform/sessions.js';
import type { ReaderRowsOwner } from '../../platform/reader-rows.js';
import type { SubjectInfo, SubjectKind, SubjectRef, Subjects } from '../../platform/subjects.js';
import type { Content } from '../content/index.js';
import type { Draft, Moderation, Phase } from '../moderation/index.js';
import type { CommentStatus } from './schema.js';
import './schema.js';

export const MAX_LENGTH = 2000;
export const EDIT_WINDOW_MS = 15 * 60_000;
export const PAGE_SIZE = 20;
const RATE = { perMinute: 5, perHour: 60 };
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

export interface PublishedComment {
  id: number;
  /** What it is under (an article), and where the comment is seen. */
  subject: SubjectRef;
  url: string;
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
const ARTICLE = 'article' as const;

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

export function createComments({
  db,
  clock,
  content,
  subjects,
  moderation,
  onPublished,
}: {
  db: Kysely<DB>;
  clock: Clock;
  content: Pick<Content, 'sections'>;
  subjects: Subjects;
  moderation: Moderation;
  onPublished: (c: PublishedComment) => Promise<void>;
}) {
  // ---------- the comments' own phases of the moderation pipeline ----------

  const checkLength: Phase<Draft> = ({ body }) => {
    if (!body) throw new DomainError('comment.empty');
    if (length(body) > MAX_LENGTH) throw new DomainError('comment.too_long', { max: MAX_LENGTH });
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
    if (Number(row.minute) >= RATE.perMinute || Number(row.hour) >= RATE.perHour) throw new DomainError('comment.rate_limited', {}, 429);
  };

  const newCommentPhases = moderation.pipeline([checkLength, checkRate], 'new');
  // An edit in a pre-moderated section goes back to the queue, like a new comment.
  const editPhases = moderation.pipeline([checkLength], 'edit');

  // ---------- helpers ----------

  /** The subject a reader may comment on now, with the place's rules; 404 if hidden or unknown. */
  async function commentable(subject: SubjectRef) {
    const info = subjects.has(subject.kind) ? await subjects.describe(subject) : null;
    if (!info) throw new DomainError(subject.kind === ARTICLE ? 'comment.article_not_found' : 'comment.subject_not_found', {}, 404);
    const section = info.scope?.kind === 'section' ? (await content.sections()).get(info.scope.id) : undefined;
    return { info, mode: section?.commentsMode ?? 'members', premoderation: section?.premoderation ?? false };
  }

  async function own(id: number, user: SessionUser) {
    const row = await db.selectFrom('comments').select(['id', 'subject_kind', 'subject_id', 'author_id', 'status', 'created_at', 'body']).where('id', '=', id).executeTakeFirst();
    if (!row || row.status === 'deleted' || row.status === 'rejected') throw new DomainError('comment.not_found', {}, 404);
    if (row.author_id !== user.id) throw new DomainError('comment.not_yours', {}, 403);
    return row;
  }

  async function visible(id: number) {
    const row = await db.selectFrom('comments').select(['id', 'subject_kind', 'subject_id', 'author_id', 'status']).where('id', '=', id).executeTakeFirst();
    if (!row || row.status !== 'approved') throw new DomainError('comment.not_found', {}, 404);
    return row;
  }

  async function published(id: number): Promise<PublishedComment> {
    const row = await db
      .selectFrom('comments')
      .leftJoin('users', 'users.id', 'comments.author_id')
      .leftJoin('comments as parent', 'parent.id', 'comments.parent_id')
      .select(['comments.id', 'comments.subject_kind', 'comments.subject_id', 'comments.parent_id', 'comments.author_id', 'comments.body', 'comments.guest_name', 'users.display_name', 'parent.author_id as parent_author_id'])
      .where('comments.id', '=', id)
      .executeTakeFirstOrThrow();
    const subject = { kind: row.subject_kind as SubjectKind, id: row.subject_id };
    const info = await subjects.describe(subject);
    return { id: row.id, subject, url: `${info?.url ?? '/'}#comment-${row.id}`, parentId: row.parent_id, authorId: row.author_id, authorName: row.display_name ?? row.guest_name ?? '', parentAuthorId: row.parent_author_id, body: row.body };
  }

  // ---------- reading ----------

  /** Approved comments per subject (article cards show them). */
  async function counts(ids: number[], kind: SubjectKind = ARTICLE): Promise<Map<number, number>> {
    const unique = [...new Set(ids)];
    const out = new Map<number, number>(unique.map((id) => [id, 0]));
    if (!unique.length) return out;
    const rows = await runPrepared(
      db,
      db
        .selectFrom('comments')
        .select(['subject_id', (eb) => eb.fn.countAll<string>().as('n')])
        .where('subject_kind', '=', kind)
        .where('subject_id', 'in', unique)
        .where('status', '=', 'approved')
        .groupBy('subject_id'),
    );
    for (const r of rows) out.set(r.subject_id, Number(r.n));
    return out;
  }

  /** «Самое обсуждаемое»: the articles with the most approved comments since a moment. */
  async function mostDiscussed(since: Date, limit: number): Promise<{ articleId: number; comments: number }[]> {
    const rows = await db
      .selectFrom('comments')
      .select(['subject_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where('status', '=', 'approved')
      .where('created_at', '>=', since)
      .where('subject_kind', '=', ARTICLE)
      .groupBy('subject_id')
      .orderBy('n', 'desc')
      .orderBy('subject_id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ articleId: r.subject_id, comments: Number(r.n) }));
  }

  async function thread(articleId: number, sort: Sort = 'new', page = 1, pageSize = PAGE_SIZE, kind: SubjectKind = ARTICLE): Promise<Thread> {
    // A deleted comment stays as «Комментарий удалён» while it has visible replies.
    const hasVisibleReply = (eb: any) =>
      eb.exists(eb.selectFrom('comments as r').select('r.id').whereRef('r.root_id', '=', 'comments.id').where('r.status', '=', 'approved'));
    let roots = db
      .selectFrom('comments')
      .leftJoin('users', 'users.id', 'comments.author_id')
      .select(['comments.id', 'comments.parent_id', 'comments.depth', 'comments.author_id', 'comments.guest_name', 'comments.body', 'comments.status', 'comments.created_at', 'comments.edited_at', 'comments.up', 'comments.down', 'users.display_name', 'users.avatar_id'])
      .where('comments.subject_kind', '=', kind)
      .where('comments.subject_id', '=', articleId)
      .where('comments.parent_id', 'is', null)
      .where((eb) => eb.or([eb('comments.status', '=', 'approved'), eb.and([eb('comments.status', '=', 'deleted'), hasVisibleReply(eb)])]));
    roots =
      sort === 'old'
        ? roots.orderBy('comments.created_at', 'asc').orderBy('comments.id', 'asc')
        : sort === 'popular'
          ? roots.orderBy(sql`comments.up - comments.down`, 'desc').orderBy('comments.created_at', 'desc').orderBy('comments.id', 'desc')
          : roots.orderBy('comments.created_at', 'desc').orderBy('comments.id', 'desc');
    const [rootRows, countMap] = await Promise.all([runPrepared(db, roots.limit(pageSize + 1).offset((page - 1) * pageSize)), counts([articleId], kind)]);
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
    commentable,
    published,

    /** A new comment or reply under a subject, through the moderation pipeline. */
    async create(input: { articleId?: number; subject?: SubjectRef; parentId?: number | null; user: SessionUser | null; guestName?: string; body: string; ipHash: string; openedAt?: number | null }) {
      const subject: SubjectRef = input.subject ?? { kind: ARTICLE, id: input.articleId! };
      const { mode, premoderation, info } = await commentable(subject);
      if (mode === 'closed') throw new DomainError('comment.closed', {}, 403);
      let guestName: string | null = null;
      if (!input.user) {
        if (mode !== 'guests') throw new DomainError('comment.sign_in', {}, 401);
        guestName = (input.guestName ?? '').replace(/\s+/g, ' ').trim();
        if (length(guestName) < 2 || length(guestName) > 40) throw new DomainError('comment.bad_name', { min: 2, max: 40 });
      }
      const body = normalizeBody(input.body);
      let parent: { id: number; root_id: number | null; depth: number } | undefined;
      if (input.parentId) {
        const p = await db.selectFrom('comments').select(['id', 'subject_kind', 'subject_id', 'root_id', 'depth', 'status']).where('id', '=', input.parentId).executeTakeFirst();
        if (!p || p.status !== 'approved') throw new DomainError('comment.bad_parent');
        if (p.subject_kind !== subject.kind || p.subject_id !== subject.id) throw new DomainError('comment.parent_elsewhere');
        parent = p;
      }
      const draft: Draft = { kind: 'comment', user: input.user, ipHash: input.ipHash, body, scope: info.scope, premoderation, openedAt: input.openedAt ?? null };
      const verdict = await moderation.moderate(newCommentPhases, draft);
      const row = await db
        .insertInto('comments')
        .values({
          subject_kind: subject.kind,
          subject_id: subject.id,
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
      await moderation.posted(draft, row.status === 'approved');
      if (row.status === 'approved') await onPublished(await published(row.id));
      return { id: row.id, status: row.status as CommentStatus, articleUrl: info.url, subject };
    },

    /** The author's fix within the edit window; a stop word holds it again. */
    async edit(id: number, user: SessionUser, text: string) {
      const row = await own(id, user);
      if (clock.now().getTime() - row.created_at.getTime() > EDIT_WINDOW_MS) throw new DomainError('comment.edit_window', { minutes: EDIT_WINDOW_MS / 60_000 }, 403);
      const body = normalizeBody(text);
      const subject = { kind: row.subject_kind as SubjectKind, id: row.subject_id };
      const { premoderation, info } = await commentable(subject);
      const verdict = await moderation.moderate(editPhases, { kind: 'comment', user, ipHash: '', body, scope: info.scope, premoderation });
      const status: CommentStatus = verdict.status === 'held' ? 'held' : row.status;
      await db
        .updateTable('comments')
        .set({ body, edited_at: clock.now(), status, held_reason: verdict.reasons.join(' ') || undefined })
        .where('id', '=', id)
        .execute();
      return { id, subject, tags: info.tags, status };
    },

    async remove(id: number, user: SessionUser) {
      const row = await own(id, user);
      await db.updateTable('comments').set({ status: 'deleted' }).where('id', '=', id).execute();
      return { id, subject: { kind: row.subject_kind as SubjectKind, id: row.subject_id } };
    },

    /** Sets (1, -1) or withdraws (0) this voter's vote; counts change in the same transaction. */
    async vote(id: number, voter: string, user: SessionUser | null, value: -1 | 0 | 1, ipHash = '') {
      const c = await visible(id);
      if (user && c.author_id === user.id) throw new DomainError('comment.own_vote');
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
        if (Number(row.n) >= ANON_VOTES_PER_IP) throw new DomainError('comment.too_many_votes', {}, 429);
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
          .returning(['up', 'down'])
          .executeTakeFirstOrThrow();
        return { up: row.up, down: row.down, mine: value, subject: { kind: c.subject_kind as SubjectKind, id: c.subject_id } };
      });
    },

    /** The per-reader part of a subject's thread: my votes and my editable comments. */
    async readerState(articleId: number, voter: string | null, user: SessionUser | null, kind: SubjectKind = ARTICLE) {
      const votes: Record<number, number> = {};
      if (voter) {
        // Asked by every article view's comment island: a prepared statement.
        const rows = await runPrepared(
          db,
          db
            .selectFrom('comment_votes')
            .innerJoin('comments', 'comments.id', 'comment_votes.comment_id')
            .select(['comment_votes.comment_id', 'comment_votes.value'])
            .where('comments.subject_kind', '=', kind)
            .where('comments.subject_id', '=', articleId)
            .where('comment_votes.reader', '=', voter),
        );
        for (const r of rows) votes[r.comment_id] = r.value;
      }
      const mine = user
        ? (
            await db
              .selectFrom('comments')
              .select(['id', 'status', 'created_at'])
              .where('subject_kind', '=', kind)
              .where('subject_id', '=', articleId)
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

    /**
     * Comments written elsewhere (the demo portal, an import): stored as they were —
     * author or guest name, time, status — without the pipeline, which judges new
     * text only, and without telling anyone (no reply notices). A reply names its
     * parent by its index in `rows`, which comes before it, or by `parentId`, a
     * comment stored earlier under the same subject. Pass `trx` to write within the
     * caller's transaction (the WordPress import writes a post and its comments
     * together).
     */
    async importThread(
      subject: SubjectRef,
      rows: { parent?: number; parentId?: number; authorId?: number | null; guestName?: string | null; body: string; createdAt: Date; status?: 'approved' | 'held' | 'rejected'; heldReason?: string }[],
      trx?: Transaction<DB>,
    ) {
      // The whole thread in two statements, whatever its size: its ids first (the
      // sequence's next ones, in the rows' order), then every row at once with them —
      // a reply needs its parent's id, and one insert per comment made a thousand-post
      // import wait on the server for each.
      const write = async (trx: Transaction<DB>) => {
        if (!rows.length) return [];
        const ids = (await sql<{ id: number }>`select nextval(pg_get_serial_sequence('comments', 'id'))::int as id from generate_series(1, ${rows.length}::int)`.execute(trx)).rows.map((r) => r.id).sort((a, b) => a - b);
        const earlier = [...new Set(rows.filter((r) => r.parent === undefined && r.parentId).map((r) => r.parentId!))];
        const stored = new Map(
          earlier.length
            ? (await trx.selectFrom('comments').select(['id', 'root_id', 'depth']).where('id', 'in', earlier).where('subject_kind', '=', subject.kind).where('subject_id', '=', subject.id).execute()).map((p) => [p.id, { id: p.id, rootId: p.root_id, depth: p.depth }])
            : [],
        );
        const made: { id: number; rootId: number | null; depth: number }[] = [];
        const columns = { id: [] as number[], parent: [] as (number | null)[], root: [] as (number | null)[], depth: [] as number[], author: [] as (number | null)[], guest: [] as (string | null)[], body: [] as string[], status: [] as string[], reason: [] as string[], at: [] as Date[] };
        rows.forEach((r, i) => {
          const parent = r.parent !== undefined ? made[r.parent] : r.parentId ? stored.get(r.parentId) : undefined;
          const row = { id: ids[i]!, rootId: parent ? (parent.rootId ?? parent.id) : null, depth: parent ? Math.min(parent.depth + 1, 2) : 0 };
          made.push(row);
          columns.id.push(row.id);
          columns.parent.push(parent?.id ?? null);
          columns.root.push(row.rootId);
          columns.depth.push(row.depth);
          columns.author.push(r.authorId ?? null);
          columns.guest.push(r.authorId ? null : (r.guestName ?? '').replace(/\s+/g, ' ').trim().slice(0, 40) || null);
          columns.body.push(normalizeBody(r.body).slice(0, MAX_LENGTH));
          columns.status.push(r.status ?? 'approved');
          columns.reason.push(r.heldReason ?? '');
          columns.at.push(r.createdAt);
        });
        await sql`insert into comments (id, subject_kind, subject_id, parent_id, root_id, depth, author_id, guest_name, body, status, held_reason, created_at, edited_at, reviewed_at)
          overriding system value
          select c.id, ${subject.kind}, ${subject.id}::int, c.parent_id, c.root_id, c.depth, c.author_id, c.guest_name, c.body, c.status, c.held_reason, c.created_at, null, null
          from unnest(${columns.id}::int[], ${columns.parent}::int[], ${columns.root}::int[], ${columns.depth}::int[], ${columns.author}::int[], ${columns.guest}::text[], ${columns.body}::text[], ${columns.status}::text[], ${columns.reason}::text[], ${columns.at}::timestamptz[])
            as c (id, parent_id, root_id, depth, author_id, guest_name, body, status, held_reason, created_at)
          order by c.id`.execute(trx);
        return ids;
      };
      return trx ? write(trx) : db.transaction().execute(write);
    },

    /** A subject went (an article deleted): its thread goes with it. */
    async forgetSubject(subject: SubjectRef) {
      await db.deleteFrom('comments').where('subject_kind', '=', subject.kind).where('subject_id', '=', subject.id).execute();
    },

    /** Comments as the registry describes them: where they stand, who wrote them (approved ones only). */
    async describe(ids: readonly number[]): Promise<Map<number, SubjectInfo>> {
      const rows = ids.length ? await db.selectFrom('comments').select(['id', 'subject_kind', 'subject_id', 'author_id']).where('id', 'in', [...ids]).where('status', '=', 'approved').execute() : [];
      const parents = await describeParents(rows);
      const out = new Map<number, SubjectInfo>();
      for (const r of rows) {
        const p = parents.get(`${r.subject_kind}:${r.subject_id}`);
        if (p) out.set(r.id, { kind: 'comment', id: r.id, title: p.title, url: `${p.url}#comment-${r.id}`, tags: p.tags, scope: p.scope, authorId: r.author_id });
      }
      return out;
    },

    // ---------- the moderation queue's side ----------

    /** Held comments, oldest first, or these comments (reported ones): as the queue shows them. */
    async queueItems(filter: { held: true; limit: number } | { ids: number[] }) {
      if ('ids' in filter && !filter.ids.length) return [];
      let q = db
        .selectFrom('comments')
        .leftJoin('users', 'users.id', 'comments.author_id')
        .select(['comments.id', 'comments.subject_kind', 'comments.subject_id', 'comments.author_id', 'comments.guest_name', 'comments.body', 'comments.status', 'comments.held_reason', 'comments.created_at', 'users.display_name'])
        .orderBy('comments.created_at', 'asc');
      q = 'ids' in filter ? q.where('comments.id', 'in', filter.ids).where('comments.status', 'in', ['approved', 'held']) : q.where('comments.status', '=', 'held').limit(filter.limit);
      const rows = await q.execute();
      const parents = await describeParents(rows);
      return rows.map((r) => {
        const p = parents.get(`${r.subject_kind}:${r.subject_id}`);
        return {
          kind: 'comment' as const,
          id: r.id,
          body: r.body,
          authorId: r.author_id,
          authorName: r.display_name ?? r.guest_name,
          createdAt: r.created_at,
          held: r.status === 'held',
          heldReasons: r.status === 'held' && r.held_reason ? r.held_reason.split(' ') : [],
          context: p ? { title: p.title, url: `${p.url}#comment-${r.id}` } : null,
          scope: p?.scope ?? null,
          subject: { kind: r.subject_kind as SubjectKind, id: r.subject_id },
          tags: p?.tags ?? [],
        };
      });
    },

    async heldCount() {
      const row = await db.selectFrom('comments').select((eb) => eb.fn.countAll<string>().as('n')).where('status', '=', 'held').executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** A moderator's decision; approving a held comment publishes it (and notifies). */
    async decide(id: number, action: 'approve' | 'reject' | 'delete') {
      const row = await db.selectFrom('comments').select(['id', 'status', 'held_reason', 'subject_kind', 'subject_id']).where('id', '=', id).executeTakeFirst();
      if (!row) throw new DomainError('comment.not_found', {}, 404);
      const status: CommentStatus = action === 'approve' ? 'approved' : action === 'reject' ? 'rejected' : 'deleted';
      await db.updateTable('comments').set({ status, reviewed_at: clock.now() }).where('id', '=', id).execute();
      // One hidden after reports was published (and told about) before: back in sight, no second notice.
      if (action === 'approve' && row.status === 'held' && row.held_reason !== 'reports') await onPublished(await published(id));
      return { subject: { kind: row.subject_kind as SubjectKind, id: row.subject_id }, wasVisible: row.status === 'approved' || status === 'approved' };
    },

    /** Enough readers reported it: out of sight until a moderator decides. */
    async hold(id: number, reason: string) {
      const row = await db.updateTable('comments').set({ status: 'held', held_reason: reason }).where('id', '=', id).where('status', '=', 'approved').returning(['subject_kind', 'subject_id']).executeTakeFirst();
      return row ? { kind: row.subject_kind as SubjectKind, id: row.subject_id } : null;
    },

    /** My comments and votes, for «export my data». */
    async exportFor(userId: number) {
      const [comments, votes] = await Promise.all([
        db.selectFrom('comments').select(['id', 'subject_kind', 'subject_id', 'parent_id', 'body', 'status', 'created_at', 'edited_at']).where('author_id', '=', userId).orderBy('id').execute(),
        db.selectFrom('comment_votes').select(['comment_id', 'value', 'created_at']).where('reader', '=', `u:${userId}`).execute(),
      ]);
      return { comments, votes };
    },

    /** Before an account goes: its comments stay without a name (its votes: voteRows). */
    async forgetUser(userId: number) {
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('comments').set({ author_id: null, ip_hash: '' }).where('author_id', '=', userId).execute();
      });
    },
  };

  /** The subjects comments stand under, described once per distinct subject (staff see hidden ones as absent). */
  async function describeParents(rows: { subject_kind: string; subject_id: number }[]) {
    const out = new Map<string, SubjectInfo>();
    const byKind = new Map<SubjectKind, number[]>();
    for (const r of rows) if (subjects.has(r.subject_kind)) byKind.set(r.subject_kind, [...(byKind.get(r.subject_kind) ?? []), r.subject_id]);
    for (const [kind, ids] of byKind) for (const [id, info] of await subjects.describeMany(kind, [...new Set(ids)])) out.set(`${kind}:${id}`, info);
    return out;
  }
}
export type Comments = ReturnType<typeof createComments>;
