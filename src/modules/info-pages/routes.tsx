// The info pages the footer links to («О проекте», «Контакты редакции», «Реклама»,
// «Правила») at /info/<slug>, their editor and the imprint form in the back office,
// and the footer's copy of both. The footer is on every page, so an edit purges
// every cached page on every instance; each instance reloads its copy first.
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import type { Role } from '../../db/schema.js';
import { DomainError } from '../../platform/errors.js';
import { domainMessage } from '../../platform/i18n/index.js';
import { html, redirect } from '../../platform/openapi.js';
import { adminNav } from '../../web/admin.js';
import type { Imprint } from '../../web/components/footer.js';
import { createInfoPages, type InfoPages } from './service.js';
import { InfoPageView } from './views/page.js';
import { InfoAdmin, InfoPageEditor } from './views/admin.js';

declare module 'fastify' {
  interface FastifyInstance {
    infoPages: InfoPages;
  }
}

const TAG = 'info-pages';
const EDITORS: Role[] = ['editor'];
const Slug = Type.Object({ slug: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }) });
const Saved = Type.Object({ saved: Type.Optional(Type.String({ maxLength: 10 })) });
// Generous bounds for the schema; the real limits are checked by the service with a clear message.
const PageForm = Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 200 })), title: Type.String({ maxLength: 2_000 }), body: Type.String({ maxLength: 200_000 }) });
const ImprintForm = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  founder: Type.String({ maxLength: 2_000 }),
  editorInChief: Type.String({ maxLength: 2_000 }),
  registration: Type.String({ maxLength: 2_000 }),
});

async function infoPagesModule(app: App) {
  const info = createInfoPages({ db: app.database.db, clock: app.clock });
  app.decorate('infoPages', info);

  async function refreshFooter() {
    const [pages, imprint] = await Promise.all([info.list(), info.imprint()]);
    app.pages.footer.pages = pages.map((p) => ({ href: `/info/${p.slug}`, title: p.title }));
    app.pages.footer.imprint = imprint;
  }
  app.addHook('onReady', refreshFooter);
  // An edit on another instance: reload our copy, then drop the pages rendered with
  // the old one meanwhile (purging '*' again does not come back here: no TAG in it).
  app.pageCache.onPurge((tags) => {
    if (!tags.includes(TAG)) return;
    refreshFooter()
      .then(() => app.pageCache.purgeLocal(['*']))
      .catch((err: Error) => app.log.warn({ err: err.message }, 'footer not reloaded'));
  });
  async function changed() {
    await refreshFooter();
    await app.pageCache.purge([TAG, '*']);
  }

  app.admin.add({ href: '/admin/info', label: (req) => req.i18n.t('info.admin.title'), roles: EDITORS, order: 80 });

  app.get('/info/:slug', { config: { pageCache: true }, schema: { tags: ['info-pages'], summary: 'An info page of the footer (about, contacts, advertising, rules)', params: Slug, response: { 200: html('The page') } } }, async (req, reply) => {
    const page = await info.get(req.params.slug);
    if (!page) throw new DomainError('info.not_found', {}, 404);
    return app.pages.send(req, reply, <InfoPageView ctx={app.pages.context(req)} page={page} />, { tags: [TAG] });
  });

  // ---------- the back office ----------

  async function overview(req: FastifyRequest, reply: FastifyReply, notice: { saved?: boolean; error?: string }, imprint?: Imprint) {
    const [pages, stored, nav] = await Promise.all([info.list(), info.imprint(), adminNav(req, app.admin)]);
    return app.pages.send(req, reply, <InfoAdmin ctx={app.pages.context(req)} nav={nav} pages={pages} imprint={imprint ?? stored} csrf={req.csrfToken()} notice={notice} />, { status: reply.statusCode });
  }

  app.get('/admin/info', { config: { roles: EDITORS }, schema: { tags: ['info-pages'], summary: 'The footer’s pages and the imprint', querystring: Saved, response: { 200: html('The list and the imprint form') } } }, async (req, reply) =>
    overview(req, reply, { saved: req.query.saved === '1' }),
  );

  app.post('/admin/info/imprint', { config: { roles: EDITORS }, schema: { tags: ['info-pages'], summary: 'Set the imprint (founder, editor-in-chief, registration number)', body: ImprintForm, response: { 303: redirect('Saved: back to the list'), 400: html('Refused, with the message') } } }, async (req, reply) => {
    const input = { founder: req.body.founder, editorInChief: req.body.editorInChief, registration: req.body.registration };
    try {
      await info.setImprint(input, req.user!.id);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return overview(req, reply.status(400), { error: domainMessage(req.i18n, err) }, input);
    }
    await changed();
    return reply.redirect('/admin/info?saved=1', 303);
  });

  app.get('/admin/info/:slug', { config: { roles: EDITORS }, schema: { tags: ['info-pages'], summary: 'The editor of one info page', params: Slug, querystring: Saved, response: { 200: html('The form') } } }, async (req, reply) => {
    const page = await info.get(req.params.slug);
    if (!page) throw new DomainError('info.not_found', {}, 404);
    const nav = await adminNav(req, app.admin);
    return app.pages.send(req, reply, <InfoPageEditor ctx={app.pages.context(req)} nav={nav} page={page} csrf={req.csrfToken()} notice={{ saved: req.query.saved === '1' }} />);
  });

  app.post('/admin/info/:slug', { config: { roles: EDITORS }, schema: { tags: ['info-pages'], summary: 'Save an info page', params: Slug, body: PageForm, response: { 303: redirect('Saved: back to the editor'), 400: html('Refused, with the message') } } }, async (req, reply) => {
    try {
      await info.update(req.params.slug, { title: req.body.title, body: req.body.body }, req.user!.id);
    } catch (err) {
      if (!(err instanceof DomainError) || err.statusCode === 404) throw err;
      const nav = await adminNav(req, app.admin);
      const page = { slug: req.params.slug, title: req.body.title, body: req.body.body };
      return app.pages.send(req, reply.status(400), <InfoPageEditor ctx={app.pages.context(req)} nav={nav} page={page} csrf={req.csrfToken()} notice={{ error: domainMessage(req.i18n, err) }} />, { status: 400 });
    }
    await changed();
    return reply.redirect(`/admin/info/${req.params.slug}?saved=1`, 303);
  });
}

export default fp(infoPagesModule, { name: 'info-pages', dependencies: ['content'] });
