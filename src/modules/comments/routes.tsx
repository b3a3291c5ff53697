// Comments: the block under each article, its no-JS form and thread pages, the JSON
// API the comments island uses, and the moderators' queue.
//
// Caching: the article page (with the first page of the thread) is cached and the
// same for everyone. Every change a reader can see — a published comment, an edit,
// a deletion, a moderator's decision — purges `article:<id>`, so the next page view
// is fresh on every instance; the island reloads the thread from the uncached
// fragment route right after the reader's own change, so they see it at once even
// behind a CDN that still holds the old page for its s-maxage.
//
// The thread's pages come from the data cache (thread-cache.ts): those purges
// clear them too, and votes clear them at most every VOTE_PURGE_INTERVAL_MS.
import fp from 'fastify-plugin';
import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import { DomainError, HttpError } from '../../platform/errors.js';
import { html, pageResponses, redirect, RowId } from '../../platform/openapi.js';
import { ipHash, markWrote, mayHaveWritten, type Reader } from '../../platform/reader.js';
import { domainMessage } from '../../platform/i18n/index.js';
import { renderToString } from 'preact-render-to-string';
import { Layout } from '../../web/layout.js';
import { FormPage } from '../../web/components/forms.js';
import { REPORT_REASONS } from '../moderation/index.js';
import type { SubjectRef } from '../../platform/subjects.js';
import { createComments, PAGE_SIZE, SORTS, type Comments, type PublishedComment, type Sort, type Thread } from './service.js';
import { CommentsBlock, ThreadPart } from './views/thread.js';
import { commentQueue } from './queue.js';
import { createThreadCache, threadTag } from './thread-cache.js';

declare module 'fastify' {
  interface FastifyInstance {
    comments: Comments;
  }
}

const Id = RowId();
const IdParams = Type.Object({ id: Id });
const ArticleParams = Type.Object({ articleId: Id });
const ThreadQuery = Type.Object({ sort: Type.Optional(Type.Union(SORTS.map((s) => Type.Literal(s)))), page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) });
// Lengths are checked after normalising (line breaks, trimming) in the service;
// the schema only stops absurd bodies early.
// When the reader opened the form (ms since the epoch, set by the island): the
// moderation pipeline holds a first comment typed faster than a person types.
// A number, not an integer: milliseconds since 1970 pass PostgreSQL's integer, and it is never stored.
const OpenedAt = Type.Optional(Type.Number({ minimum: 0, maximum: 8_640_000_000_000_000 }));
const NewComment = Type.Object({
  articleId: Id,
  parentId: Type.Optional(Type.Union([Id, Type.Null()])),
  body: Type.String({ maxLength: 50000 }),
  guestName: Type.Optional(Type.String({ maxLength: 200 })),
  openedAt: OpenedAt,
});
const FormComment = Type.Object({
  _csrf: Type.Optional(Type.String()),
  articleId: Type.String({ pattern: '^[1-9][0-9]{0,9}$' }),
  parentId: Type.Optional(Type.String({ pattern: '^([1-9][0-9]{0,9})?$' })),
  body: Type.String({ maxLength: 50000 }),
  guestName: Type.Optional(Type.String({ maxLength: 200 })),
  openedAt: Type.Optional(Type.String({ pattern: '^[0-9]{0,16}$' })),
});
const EditBody = Type.Object({ body: Type.String({ maxLength: 50000 }) });
const VoteBody = Type.Object({ value: Type.Union([Type.Literal(1), Type.Literal(0), Type.Literal(-1)]) });
const ComplaintBody = Type.Object({ reason: Type.Union(REPORT_REASONS.map((r) => Type.Literal(r))), note: Type.Optional(Type.String({ maxLength: 500 })) });

// What the JSON API answers (a response schema is also the serializer: every
// property a client reads must be here).
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
// The service gives Dates; the serializer writes them as ISO strings.
const DateTime = Type.Unsafe<Date | string>({ type: 'string', format: 'date-time' });
const NullableDate = Type.Unsafe<Date | string | null>({ type: ['string', 'null'], format: 'date-time' });
const CommentNode = Type.Recursive(
  (Self) =>
    Type.Object({
      id: Type.Integer(),
      parentId: Nullable(Type.Integer()),
      depth: Type.Integer(),
      authorName: Type.Union([Type.String(), Type.Null()], { description: 'null: the account was deleted' }),
      authorAvatarId: Nullable(Type.Integer()),
      guest: Type.Boolean(),
      replyTo: Type.Union([Type.String(), Type.Null()], { description: 'for replies shown deeper than two levels: whom this one answers' }),
      body: Type.String(),
      deleted: Type.Boolean(),
      createdAt: DateTime,
      editedAt: NullableDate,
      up: Type.Integer(),
      down: Type.Integer(),
      replies: Type.Array(Self),
    }),
  { $id: 'CommentNode' },
);
const ThreadReply = Type.Object({ articleId: Type.Integer(), count: Type.Integer({ description: 'approved comments of the article' }), sort: Type.String(), page: Type.Integer(), hasMore: Type.Boolean(), items: Type.Array(CommentNode) });
const ReaderStateReply = Type.Object({
  user: Nullable(Type.Object({ id: Type.Integer(), displayName: Type.String() })),
  mode: Type.String({ description: 'members, guests or closed' }),
  canComment: Type.Boolean(),
  ban: Nullable(Type.Object({ reason: Type.String(), until: Nullable(Type.String()), message: Type.String() })),
  csrfToken: Type.String(),
  votes: Type.Record(Type.String({ pattern: '^[0-9]+$' }), Type.Integer(), { description: 'my votes by comment id: 1 or -1' }),
  mine: Type.Array(Type.Object({ id: Type.Integer(), status: Type.String(), editableUntil: Type.String({ format: 'date-time' }) }), { description: 'my comments here, with the end of their edit window' }),
});
const Changed = Type.Object({ id: Type.Integer(), status: Type.String({ description: 'approved, held (waits for a moderator) or deleted' }) });

const limits = {
  // Per IP here; per reader in the moderation pipeline (counted in the database).
  post: { max: 20, timeWindow: '1 minute' },
  edit: { max: 30, timeWindow: '1 minute' },
  vote: { max: 60, timeWindow: '1 minute' },
  complain: { max: 10, timeWindow: '10 minutes' },
};

async function commentsModule(app: App) {
  const comments = createComments({ db: app.database.db, clock: app.clock, content: app.content, subjects: app.subjects, moderation: app.moderation, onPublished: (c) => published(c) });
  app.decorate('comments', comments);
  // A comment is a subject too (readers report it), and its kind is in the moderators' queue.
  app.subjects.register({ kind: 'comment', owner: 'comments', describe: (ids) => comments.describe(ids) });
  app.moderation.addKind(commentQueue(comments, (tags) => app.pageCache.purge(tags)));
  const threads = createThreadCache({ memo: app.memo, clock: app.clock, purge: (tags) => app.pageCache.purge(tags), load: (subject, sort, page) => comments.thread(subject.id, sort, page, PAGE_SIZE, subject.kind) });
  app.addHook('onClose', async () => threads.close());
  const ARTICLE = 'article' as const;
  const tagsOf = async (subject: SubjectRef) => (await app.subjects.describe(subject))?.tags ?? [`${subject.kind}:${subject.id}`];
  // Article cards everywhere show the count (lists may lag a new comment by the page
  // cache's lifetime: a comment purges its article page, not every list).
  app.extensions.provide('article.commentCounts', (ids) => comments.counts(ids), 'comments');
  app.extensions.provide('article.mostDiscussed', (since, limit) => comments.mostDiscussed(since, limit), 'comments');

  // A published comment shows on its article page; a reply tells the parent's author.
  async function published(c: PublishedComment) {
    await app.pageCache.purge([...(await tagsOf(c.subject)), threadTag(c.subject)]);
    if (!c.parentAuthorId || c.parentAuthorId === c.authorId) return;
    const url = c.url;
    const excerpt = c.body.length > 300 ? `${c.body.slice(0, 300)}…` : c.body;
    await app.notifications.notify({ recipientId: c.parentAuthorId, kind: 'reply', subject: { kind: 'comment', id: c.id }, url, actorName: c.authorName, excerpt });
  }

  app.readerRows.add(comments.voteRows);
  app.events.on('user.deleting', ({ userId }) => comments.forgetUser(userId));
  // Comments have no foreign key to what they are under (it may be any kind): a deleted article takes its thread.
  app.events.on('article.changed', async ({ articleId, action }) => {
    if (action === 'deleted') await comments.forgetSubject({ kind: ARTICLE, id: articleId });
  });
  app.accounts.addExport('comments', (userId) => comments.exportFor(userId));

  async function avatarsOf(thread: Thread) {
    const ids: number[] = [];
    const walk = (list: Thread['items']) => list.forEach((c) => (c.authorAvatarId && ids.push(c.authorAvatarId), walk(c.replies)));
    walk(thread.items);
    return app.media.get(ids);
  }

  async function block(req: FastifyRequest, articleId: number, sort: Sort, page: number, loginNext: string) {
    const { mode, info } = await comments.commentable({ kind: ARTICLE, id: articleId });
    const thread = await threads.page(info, sort, page);
    return <CommentsBlock thread={thread} mode={mode} i18n={req.i18n} avatars={await avatarsOf(thread)} loginNext={loginNext} />;
  }

  app.widgets.add('article.afterBody', 30, async ({ req, article }) => (article ? block(req, article.id, 'new', 1, req.url.split('?')[0]!) : null), 'comments', {
    ttlMs: 60_000,
  });

  // ---------- pages for readers without JavaScript ----------

  // Sorting and «Показать ещё» without JavaScript: the thread on its own page.
  app.get('/comments/:articleId', { config: { pageCache: true }, schema: { tags: ['comments'], summary: 'The thread on its own page (sorting and «Показать ещё» without JavaScript)', params: ArticleParams, querystring: ThreadQuery, response: { 200: html('The thread page') } } }, async (req, reply) => {
    const { info: article } = await comments.commentable({ kind: ARTICLE, id: req.params.articleId }).catch(() => {
      throw new HttpError(404, 'not_found', req.i18n.t('error.404.text'));
    });
    const ctx = app.pages.context(req);
    const node = await block(req, article.id, req.query.sort ?? 'new', req.query.page ?? 1, article.url);
    const title = req.i18n.t('comments.page.title', { title: article.title });
    return app.pages.send(
      req,
      reply,
      <Layout ctx={ctx} meta={{ title, noindex: true, canonical: app.config.publicUrl + article.url }}>
        <p>
          <a href={article.url}>{req.i18n.t('comments.backToArticle')}</a>
        </p>
        <h1>{article.title}</h1>
        {node}
      </Layout>,
      { tags: [`article:${article.id}`] },
    );
  });

  // What the island swaps in after a sort, «Показать ещё» or the reader's own change:
  // never in the page cache or a CDN (no-store), so it is fresh while a CDN holds the
  // page; its data is kept, and the reader's own change purged it at once.
  app.get('/comments/:articleId/thread', { schema: { tags: ['comments'], summary: 'A page of the thread as an HTML fragment, for the island', params: ArticleParams, querystring: ThreadQuery, response: { 200: html('The list items of the thread') } } }, async (req, reply) => {
    const { info } = await comments.commentable({ kind: ARTICLE, id: req.params.articleId });
    const thread = await threads.page(info, req.query.sort ?? 'new', req.query.page ?? 1);
    const html = renderToString(<ThreadPart thread={thread} i18n={req.i18n} avatars={await avatarsOf(thread)} />);
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
  });

  // The form in the cached page cannot carry a per-reader token: same-origin proof.
  app.post('/comments', { config: { csrf: 'origin', rateLimit: limits.post }, schema: { tags: ['comments'], summary: 'Post a comment without JavaScript', body: FormComment, response: pageResponses({ 303: redirect('Published: to the comment on the article page'), 202: html('Held for a moderator') }) } }, async (req, reply) => {
    const ctx = app.pages.context(req);
    const title = req.i18n.t('comments.title');
    try {
      const made = await comments.create({
        articleId: Number(req.body.articleId),
        parentId: req.body.parentId ? Number(req.body.parentId) : null,
        user: req.user,
        guestName: req.body.guestName,
        body: req.body.body,
        ipHash: ipHash(app.secret, req.ip),
        openedAt: req.body.openedAt ? Number(req.body.openedAt) : null,
      });
      if (made.status === 'approved') return reply.redirect(`${made.articleUrl}#comment-${made.id}`, 303);
      return app.pages.send(req, reply.status(202), <FormPage ctx={ctx} title={title} notice={req.i18n.t('comments.held')}><p><a href={made.articleUrl}>{req.i18n.t('comments.backToArticle')}</a></p></FormPage>, { status: 202 });
    } catch (err) {
      if ((err instanceof HttpError || err instanceof DomainError) && err.statusCode === 401) return reply.redirect(`/login?next=${encodeURIComponent(`/comments/${req.body.articleId}`)}`, 303);
      if (!(err instanceof HttpError || err instanceof DomainError) || err.statusCode >= 500 || err.statusCode === 429) throw err;
      const message = err instanceof DomainError ? domainMessage(req.i18n, err) : err.message;
      return app.pages.send(req, reply.status(err.statusCode), <FormPage ctx={ctx} title={title} error={message} />, { status: err.statusCode });
    }
  });

  // ---------- JSON API for the island ----------

  const tags = ['comments'];

  app.get('/api/articles/:articleId/comments', { schema: { tags, summary: 'A page of the thread', params: ArticleParams, querystring: ThreadQuery, response: { 200: ThreadReply } } }, async (req) => {
    const { info } = await comments.commentable({ kind: ARTICLE, id: req.params.articleId });
    return threads.page(info, req.query.sort ?? 'new', req.query.page ?? 1);
  });

  app.get(
    '/api/articles/:articleId/comments/me',
    { schema: { tags, summary: 'This reader: may they comment, their votes, their editable comments', params: ArticleParams, response: { 200: ReaderStateReply } } },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      // A browser that never voted has no votes to look up (platform/reader.ts, mayHaveWritten).
      const reader = mayHaveWritten(req.cookies, app.secret, !!req.user) ? req.reader() : null;
      return readerStateOf({ articleId: req.params.articleId, user: req.user, reader, csrfToken: req.csrfToken(), i18n: req.i18n });
    },
  );

  /** This reader on an article's comments: the island's state (also a part of /api/reader-state). */
  async function readerStateOf(ctx: { articleId: number; user: FastifyRequest['user']; reader: Reader | null; csrfToken: string; i18n: FastifyRequest['i18n'] }) {
    const { mode, info } = await comments.commentable({ kind: ARTICLE, id: ctx.articleId });
    const state = await comments.readerState(ctx.articleId, ctx.reader?.key ?? null, ctx.user);
    const ban = ctx.user ? await app.moderation.activeBan(ctx.user.id, info.scope) : undefined;
    // A signed-in reader's article view: a day visited and a thing read, for their trust level.
    if (ctx.user) await app.moderation.noteRead(ctx.user.id);
    return {
      user: ctx.user ? { id: ctx.user.id, displayName: ctx.user.displayName } : null,
      mode,
      canComment: mode !== 'closed' && !ban && (!!ctx.user || mode === 'guests'),
      ban: ban ? { reason: ban.reason, until: ban.ends_at?.toISOString() ?? null, message: domainMessage(ctx.i18n, app.moderation.bannedError(ban)) } : null,
      csrfToken: ctx.csrfToken,
      ...state,
    };
  }

  // The page's reader state: null for a page without a published article.
  app.readerState.add('comments', ReaderStateReply, async (ctx) => {
    if (!ctx.articleId) return null;
    const article = await app.content.readerArticle(ctx.articleId);
    if (!article || !app.content.isPublished(article)) return null;
    // A browser that never voted has no votes to look up (platform/reader.ts, mayHaveWritten).
    return readerStateOf({ articleId: ctx.articleId, user: ctx.user, reader: ctx.wrote ? ctx.reader : null, csrfToken: ctx.csrfToken, i18n: ctx.i18n });
  });

  app.post(
    '/api/comments',
    { config: { rateLimit: limits.post }, schema: { tags, summary: 'Post a comment or a reply', body: NewComment, response: { 201: Changed } } },
    async (req, reply) => {
      const made = await comments.create({ ...req.body, user: req.user, ipHash: ipHash(app.secret, req.ip) });
      return reply.status(201).send({ id: made.id, status: made.status });
    },
  );

  app.patch('/api/comments/:id', { config: { roles: ['reader', 'author', 'editor', 'moderator'], rateLimit: limits.edit }, schema: { tags, summary: 'Edit my comment (first 15 minutes)', params: IdParams, body: EditBody, response: { 200: Changed } } }, async (req) => {
    const done = await comments.edit(req.params.id, req.user!, req.body.body);
    await app.pageCache.purge([...done.tags, threadTag(done.subject)]);
    return { id: done.id, status: done.status };
  });

  app.delete('/api/comments/:id', { config: { roles: ['reader', 'author', 'editor', 'moderator'], rateLimit: limits.edit }, schema: { tags, summary: 'Delete my comment', params: IdParams, response: { 200: Changed } } }, async (req) => {
    const done = await comments.remove(req.params.id, req.user!);
    await app.pageCache.purge([...(await tagsOf(done.subject)), threadTag(done.subject)]);
    return { id: done.id, status: 'deleted' };
  });

  app.put('/api/comments/:id/vote', { config: { rateLimit: limits.vote }, schema: { tags, summary: 'Vote a comment up (1), down (-1) or withdraw (0)', params: IdParams, body: VoteBody, response: { 200: Type.Object({ up: Type.Integer(), down: Type.Integer(), mine: Type.Integer({ description: 'my vote now: 1, 0 or -1' }) }) } } }, async (req, reply) => {
    // An anonymous vote counts only from a reader issued before it (platform/reader-cap.ts);
    // the cookie given now makes the next try count. A few per address and comment
    // (ANON_VOTES_PER_IP in the service) is already the cap on new ones.
    const unproven = req.readerStanding().kind === 'unproven';
    const voter = req.reader(reply).key;
    if (unproven && req.body.value !== 0) throw new DomainError('reader.unproven', {}, 403);
    const result = await comments.vote(req.params.id, voter, req.user, req.body.value as -1 | 0 | 1, ipHash(app.secret, req.ip));
    markWrote(req, reply);
    // Scores in the cached page may lag by the page cache's life, in the thread's
    // data by VOTE_PURGE_INTERVAL_MS (thread-cache.ts); the island shows this reader
    // the exact counts at once.
    await threads.voted(result.subject);
    return { up: result.up, down: result.down, mine: result.mine };
  });

  app.post('/api/comments/:id/complaints', { config: { rateLimit: limits.complain }, schema: { tags, summary: 'Complain about a comment', params: IdParams, body: ComplaintBody, response: { 201: Type.Object({ ok: Type.Boolean() }) } } }, async (req, reply) => {
    // A report like any other (POST /api/reports), under the comment's kind.
    const reader = req.reader(reply);
    await app.moderation.report({ kind: 'comment', id: req.params.id, reader, reason: req.body.reason, text: req.body.note ?? '' });
    return reply.status(201).send({ ok: true });
  });

  // The old queue's address, for bookmarks: the one queue, filtered to comments.
  app.get('/admin/comments', { config: { roles: ['moderator', 'editor'] }, schema: { tags: ['comments'], summary: 'Moved: the comments in the moderators’ queue', response: { 301: redirect('To /admin/moderation?kind=comment') } } }, async (_req, reply) => reply.redirect('/admin/moderation?kind=comment', 301));
}

export default fp(commentsModule, { name: 'comments', dependencies: ['accounts', 'content', 'moderation', 'notifications'], decorators: { fastify: ['accounts', 'content', 'events', 'extensions', 'moderation', 'notifications', 'subjects', 'widgets'] } });
