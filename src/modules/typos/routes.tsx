// Typo reports (the Ctrl+Enter flow): the hint under the article (a widget), the
// reader's JSON endpoint, and the editors' queue in the back office with its badge.
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import { HttpError } from '../../platform/errors.js';
import { html, IdParams, redirect, RowId } from '../../platform/openapi.js';
import { ipHash } from '../../platform/reader.js';
import { DAY, limiter, MINUTE } from '../../platform/limits.js';
import { createTypos, QUEUE_PAGE_SIZE, type Typos } from './service.js';
import type { TypoStatus } from './schema.js';
import { COMMENT_MAX, FRAGMENT_MAX, locate, normalizeSpace, partKey, partText } from './text.js';
import { adminNav } from '../../web/admin.js';
import { TypoHint } from './views/hint.js';
import { TypoQueue, editorLink, type QueueItem } from './views/queue.js';

declare module 'fastify' {
  interface FastifyInstance {
    typos: Typos;
  }
}

// Generous bounds for the schema (beyond them a request is abuse, not a reader);
// the real limits are checked by hand for a clear Russian message.
const ReportBody = Type.Object({
  fragment: Type.String({ maxLength: 10_000 }),
  before: Type.Optional(Type.String({ maxLength: 2_000 })),
  after: Type.Optional(Type.String({ maxLength: 2_000 })),
  comment: Type.Optional(Type.String({ maxLength: 10_000 })),
  revision: RowId(),
  part: Type.Optional(Type.Union([Type.Literal('title'), Type.Literal('lead'), Type.Literal('caption'), Type.Literal('body')], { description: 'where the fragment was selected: title, lead, caption (of the cover) or body (the default)' })),
});
const Part = Type.Union([Type.Literal('title'), Type.Literal('lead'), Type.Literal('caption'), Type.Literal('body')]);
const ArticleParams = Type.Object({ id: Type.String({ maxLength: 12 }) });
const ReportParams = IdParams;
const Status = Type.Union([Type.Literal('open'), Type.Literal('fixed'), Type.Literal('rejected')]);
const Decision = Type.Union([Type.Literal('fixed'), Type.Literal('rejected')]);
const Report = Type.Object({
  id: Type.Integer(),
  articleId: Type.Integer(),
  revision: Type.Integer(),
  fragment: Type.String(),
  before: Type.String(),
  after: Type.String(),
  comment: Type.String(),
  part: Part,
  reports: Type.Integer(),
  status: Status,
  lastReportedAt: Type.String({ format: 'date-time' }),
  editorUrl: Type.String(),
});

async function typosModule(app: App) {
  const typos = createTypos({ db: app.database.db, clock: app.clock });
  app.decorate('typos', typos);
  // The editor page marks the report it was opened from (newsroom/index.ts names the point).
  app.extensions.provide('typos.report', (id) => typos.get(id), 'typos');
  app.readerRows.add(typos.readerRows);

  // «5 per 5 minutes and 30 per day» per reader; an IP holds many readers (offices,
  // mobile carriers), so twice that — still a wall for a script that drops cookies.
  const limits = limiter(app, 'typo', [
    { per: 'reader', max: 5, window: 5 * MINUTE },
    { per: 'reader', max: 30, window: DAY },
    { per: 'ip', max: 10, window: 5 * MINUTE },
    { per: 'ip', max: 60, window: DAY },
  ]);

  app.widgets.add('article.afterBody', 20, async ({ req, article }) => (article ? <TypoHint articleId={article.id} i18n={req.i18n} /> : null), 'typos');

  app.admin.add({
    href: '/admin/typos',
    label: (req) => req.i18n.t('typos.admin.title'),
    roles: ['editor'],
    order: 40,
    badge: () => typos.openCount(),
  });

  app.post(
    '/api/articles/:id/typos',
    {
      schema: {
        tags: ['typos'],
        summary: 'Report a typo: the selected fragment, the text around it as the reader saw it, an optional comment',
        params: ArticleParams,
        body: ReportBody,
        response: { 201: Type.Object({ id: Type.Integer(), reports: Type.Integer(), merged: Type.Boolean(), message: Type.String() }) },
      },
      preHandler: limits,
    },
    async (req, reply) => {
      const t = req.i18n.t;
      const raw = req.params.id;
      const article = /^[1-9]\d{0,8}$/.test(raw) ? await app.content.article(Number(raw)) : null;
      if (!article || !app.content.isPublished(article)) throw new HttpError(404, 'article_not_found', t('typos.error.noArticle'));
      const fragment = normalizeSpace(req.body.fragment);
      if (fragment.length < 1 || fragment.length > FRAGMENT_MAX) throw new HttpError(400, 'fragment_length', t('typos.error.fragmentLength'));
      const comment = (req.body.comment ?? '').trim();
      if (comment.length > COMMENT_MAX) throw new HttpError(400, 'comment_length', t('typos.error.commentLength'));
      // A cached page may show an older revision than the current one; never a newer one.
      if (req.body.revision > article.revision) throw new HttpError(400, 'bad_revision', t('typos.error.revision'));
      const part = req.body.part ?? 'body';
      const found = locate(partText(article, part), fragment, req.body.before, req.body.after);
      if (!found) throw new HttpError(400, 'not_in_text', t('typos.error.notInText'));
      const result = await typos.report({
        ...found,
        mergeKey: partKey(part, found.mergeKey),
        articleId: article.id,
        revision: req.body.revision,
        comment,
        reader: req.reader(reply),
        ipHash: ipHash(app.secret, req.ip),
      });
      return reply.status(201).header('cache-control', 'no-store').send({ ...result, message: t('typos.dialog.thanks') });
    },
  );

  // ---------- the editors' queue ----------

  async function queueItems(status: TypoStatus, page: number, articleId?: number): Promise<{ items: QueueItem[]; total: number }> {
    const { items, total } = await typos.list({ status, page, articleId });
    const cards = await app.content.cards([...new Set(items.map((r) => r.articleId))]);
    const byId = new Map(cards.map((c) => [c.id, c]));
    return { items: items.map((r) => ({ ...r, article: byId.get(r.articleId) ?? null })), total };
  }

  const QueueQuery = Type.Object({ status: Type.Optional(Status), page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })), done: Type.Optional(Decision) });

  app.get('/admin/typos', { config: { roles: ['editor'] }, schema: { tags: ['typos'], summary: 'The editors’ queue of typo reports', querystring: QueueQuery, response: { 200: html('The queue') } } }, async (req, reply) => {
    const status = req.query.status ?? 'open';
    const page = req.query.page ?? 1;
    const { items, total } = await queueItems(status, page);
    const pages = Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE));
    const done = req.query.done ? req.i18n.t('typos.admin.done', { status: req.i18n.t(req.query.done === 'fixed' ? 'typos.admin.statusFixed' : 'typos.admin.statusRejected') }) : undefined;
    const nav = await adminNav(req, app.admin);
    return app.pages.send(req, reply, <TypoQueue ctx={app.pages.context(req)} nav={nav} status={status} items={items} total={total} page={page} pages={pages} csrf={req.csrfToken()} done={done} />);
  });

  app.post(
    '/admin/typos/:id/status',
    {
      config: { roles: ['editor'] },
      schema: {
        tags: ['typos'],
        summary: 'Mark a report fixed or rejected (the queue’s form)',
        params: ReportParams,
        body: Type.Object({ status: Decision, _csrf: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { 303: redirect('Back to the queue') },
      },
    },
    async (req, reply) => {
      await decide(req, req.params.id, req.body.status);
      return reply.redirect(`/admin/typos?done=${req.body.status}`, 303);
    },
  );

  async function decide(req: FastifyRequest, id: number, status: 'fixed' | 'rejected') {
    const report = await typos.get(id);
    if (!report) throw new HttpError(404, 'report_not_found', req.i18n.t('typos.error.noReport'));
    if (!(await typos.resolve(id, status, req.user!.id))) throw new HttpError(409, 'report_not_open', req.i18n.t('typos.error.notOpen'));
  }

  // The same for the article editor and other tools.
  app.get(
    '/api/typos',
    {
      config: { roles: ['editor'] },
      schema: {
        tags: ['typos'],
        summary: 'Typo reports for editors (open ones by default), optionally of one article',
        querystring: Type.Object({ status: Type.Optional(Status), articleId: Type.Optional(RowId()), page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })) }),
        response: { 200: Type.Object({ items: Type.Array(Report), total: Type.Integer() }) },
      },
    },
    async (req, reply) => {
      const { items, total } = await typos.list({ status: req.query.status ?? 'open', articleId: req.query.articleId, page: req.query.page ?? 1 });
      reply.header('cache-control', 'no-store');
      return { total, items: items.map((r) => ({ ...r, lastReportedAt: r.lastReportedAt.toISOString(), editorUrl: editorLink(r.articleId, r.id) })) };
    },
  );

  app.patch(
    '/api/typos/:id',
    {
      config: { roles: ['editor'] },
      schema: { tags: ['typos'], summary: 'Mark a typo report fixed or rejected', params: ReportParams, body: Type.Object({ status: Decision }), response: { 200: Type.Object({ ok: Type.Boolean() }) } },
    },
    async (req) => {
      await decide(req, req.params.id, req.body.status);
      return { ok: true };
    },
  );
}

export default fp(typosModule, { name: 'typos', dependencies: ['content'], decorators: { fastify: ['content', 'extensions', 'admin'] } });
