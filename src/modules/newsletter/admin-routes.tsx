// The back office's newsletter (/admin/newsletter): lists, a breaking article, a
// digest's preview, test send and «send now», the statistics, and an address's
// ledger with its export and erasure. Editors and admins; every change goes to the
// audit log.
import fp from 'fastify-plugin';
import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import { DomainError } from '../../platform/errors.js';
import { domainMessage } from '../../platform/i18n/index.js';
import { html, pageResponses, redirect, RowId } from '../../platform/openapi.js';
import { EDITOR_ROLES } from '../../platform/roles.js';
import { adminNav } from '../../web/admin.js';
import { LIST_KINDS, type ListKind } from './schema.js';
import type { ListInput } from './service.js';
import { personalMail } from './mail-parts.js';
import { normaliseEmail, smtpAddress } from './tokens.js';
import { LISTS_TAG, SEND_JOB } from './routes.js';
import { EMPTY_LIST, ListEditor, NewsletterAdmin, SettingsPage, StatsPage, SubscribersPage, type Notice } from './views/admin.js';
import { INACTIVE_DAYS, NEWSLETTER_SETTINGS } from './settings.js';

const STAFF = EDITOR_ROLES;
const tags = ['newsletter-admin'];
const Csrf = Type.Optional(Type.String({ maxLength: 200 }));
const Id = Type.String({ pattern: '^([1-9][0-9]{0,8})$' });
const ListForm = Type.Object({
  _csrf: Csrf,
  name: Type.String({ maxLength: 2000 }),
  slug: Type.String({ maxLength: 200 }),
  description: Type.Optional(Type.String({ maxLength: 5000 })),
  kind: Type.Union(LIST_KINDS.map((k) => Type.Literal(k))),
  sendTime: Type.String({ maxLength: 5 }),
  weekday: Type.Optional(Type.String({ pattern: '^[1-7]?$' })),
  maxItems: Type.String({ pattern: '^[0-9]{1,2}$' }),
  minNewItems: Type.String({ pattern: '^[0-9]{1,3}$' }),
  position: Type.Optional(Type.String({ pattern: '^[0-9]{0,3}$' })),
  section: Type.Optional(Type.Union([Id, Type.Array(Id, { maxItems: 200 })])),
  active: Type.Optional(Type.Literal('1')),
});
const Done = Type.Object({
  saved: Type.Optional(Type.Literal('1')),
  queued: Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$' })),
  skipped: Type.Optional(Type.Literal('1')),
  tested: Type.Optional(Type.String({ maxLength: 254 })),
  erased: Type.Optional(Type.Literal('1')),
});
const Params = Type.Object({ id: RowId() });

function inputOf(body: typeof ListForm.static): ListInput {
  const sections = body.section === undefined ? [] : Array.isArray(body.section) ? body.section : [body.section];
  return {
    name: body.name,
    slug: body.slug.trim(),
    description: body.description ?? '',
    kind: body.kind as ListKind,
    sendTime: body.sendTime,
    weekday: body.weekday ? Number(body.weekday) : null,
    sectionIds: [...new Set(sections.map(Number))],
    maxItems: Math.min(30, Math.max(1, Number(body.maxItems))),
    minNewItems: Math.min(100, Number(body.minNewItems)),
    position: body.position ? Number(body.position) : 0,
    active: body.active === '1',
  };
}

function noticeOf(q: typeof Done.static): Notice {
  return { saved: q.saved === '1', queued: q.queued !== undefined ? Number(q.queued) : undefined, skipped: q.skipped === '1', tested: q.tested, erased: q.erased === '1' };
}

async function newsletterAdminRoutes(app: App) {
  const { service, issues, stats } = app.newsletter;
  app.admin.add({ href: '/admin/newsletter', label: (req) => req.i18n.t('newsletter.admin.title'), roles: STAFF, order: 48 });
  const changed = () => app.pageCache.purge([LISTS_TAG, '*']);
  const sectionList = async () => {
    const tree = await app.content.sections();
    return tree.all().map((s) => ({ id: s.id, title: tree.path(s.id).map((p) => p.title).join(' › ') }));
  };
  const page = <E extends object>(summary: string, extra: E) => ({ tags, summary, response: { 200: html('The page') }, ...extra });
  const form = <B extends TSchema>(summary: string, body: B, extra: Record<number, unknown> = {}) => ({ tags, summary, params: Params, body, response: pageResponses({ 303: redirect('Back with a notice'), 400: html('The form again with the reason'), ...extra }) });
  const plainForm = <B extends TSchema>(summary: string, body: B, extra: Record<number, unknown> = {}) => ({ tags, summary, body, response: pageResponses({ 303: redirect('Back with a notice'), 400: html('The form again with the reason'), ...extra }) });

  async function main(req: FastifyRequest, reply: FastifyReply, notice: Notice, draft: ListInput = EMPTY_LIST) {
    const [lists, counts, sends, latest, sections, nav] = await Promise.all([service.lists(), service.counts(), stats.sends(20), app.content.latest({ limit: 40 }), sectionList(), adminNav(req, app.admin)]);
    const articles = latest.map((c) => ({ id: c.id, title: c.title }));
    return app.pages.send(req, reply, <NewsletterAdmin ctx={app.pages.context(req)} nav={nav} csrf={req.csrfToken()} lists={lists} counts={counts} sends={sends} articles={articles} sections={sections} notice={notice} draft={draft} />, { status: reply.statusCode });
  }

  async function editor(req: FastifyRequest, reply: FastifyReply, id: number, notice: Notice, value?: ListInput) {
    const list = await service.list(id);
    if (!list) throw new DomainError('newsletter.list_not_found', {}, 404);
    const [sections, nav, user] = await Promise.all([sectionList(), adminNav(req, app.admin), app.accounts.byId(req.user!.id)]);
    return app.pages.send(req, reply, <ListEditor ctx={app.pages.context(req)} nav={nav} csrf={req.csrfToken()} list={list} value={value ?? list} sections={sections} notice={notice} userEmail={user?.email ?? ''} />, { status: reply.statusCode });
  }

  /** A refusal shows the form again with the reason and the status. */
  async function refused<T>(reply: FastifyReply, req: FastifyRequest, err: unknown, again: (notice: Notice) => Promise<T>): Promise<T> {
    if (!(err instanceof DomainError) || err.statusCode >= 500) throw err;
    reply.code(err.statusCode);
    return again({ error: domainMessage(req.i18n, err) });
  }

  app.get('/admin/newsletter', { config: { roles: STAFF }, schema: page('The lists, a breaking send, the recent sends', { querystring: Done }) }, (req, reply) => main(req, reply, noticeOf(req.query)));

  app.post('/admin/newsletter/lists', { config: { roles: STAFF }, schema: plainForm('Create a list', ListForm) }, async (req, reply) => {
    const input = inputOf(req.body);
    try {
      const list = await service.createList(input);
      await app.newsroom.audit(req.user!.id, 'newsletter.list.create', 'newsletter_list', list.id, list.name);
      await changed();
      return reply.redirect(`/admin/newsletter/lists/${list.id}?saved=1`, 303);
    } catch (err) {
      return refused(reply, req, err, (notice) => main(req, reply, notice, input));
    }
  });

  app.get('/admin/newsletter/lists/:id', { config: { roles: STAFF }, schema: page('A list’s settings, preview, test send and send now', { params: Params, querystring: Done }) }, (req, reply) => editor(req, reply, req.params.id, noticeOf(req.query)));

  app.post('/admin/newsletter/lists/:id', { config: { roles: STAFF }, schema: form('Save a list', ListForm, { 404: html('No such list') }) }, async (req, reply) => {
    const id = req.params.id;
    const input = inputOf(req.body);
    try {
      const list = await service.updateList(id, input);
      await app.newsroom.audit(req.user!.id, 'newsletter.list.update', 'newsletter_list', list.id, list.name);
      await changed();
      return reply.redirect(`/admin/newsletter/lists/${id}?saved=1`, 303);
    } catch (err) {
      return refused(reply, req, err, (notice) => editor(req, reply, id, notice, input));
    }
  });

  app.get(
    '/admin/newsletter/lists/:id/preview',
    {
      config: { roles: STAFF },
      // The mail's own HTML, whose styles are inline (as mail clients need): this answer alone allows them.
      onSend: async (_req, reply, payload) => {
        if (reply.statusCode === 200) reply.header('content-security-policy', "default-src 'none'; img-src 'self' data: https: http:; style-src 'unsafe-inline'; frame-ancestors 'self'; form-action 'none'; base-uri 'none'");
        return payload;
      },
      schema: { tags, summary: 'The digest as it would go out now (HTML, or the text part with ?part=text)', params: Params, querystring: Type.Object({ part: Type.Optional(Type.Literal('text')) }), response: pageResponses({ 200: html('The mail'), 404: html('No such list') }) },
    },
    async (req, reply) => {
      const list = await service.list(req.params.id);
      if (!list) throw new DomainError('newsletter.list_not_found', {}, 404);
      if (list.kind === 'breaking') throw new DomainError('newsletter.not_a_digest', {}, 400);
      const issue = await issues.digest(list);
      if (!issue.mail) throw new DomainError('newsletter.too_few_items', { n: issue.fresh, min: list.minNewItems }, 404);
      reply.header('cache-control', 'no-store');
      if (req.query.part === 'text') return reply.type('text/plain; charset=utf-8').send(issue.mail.text);
      return reply.type('text/html; charset=utf-8').send(issue.mail.html);
    },
  );

  app.post(
    '/admin/newsletter/lists/:id/test',
    { config: { roles: STAFF, rateLimit: { max: 10, timeWindow: '1 minute' } }, schema: form('Send the digest as it is now to one address (a test)', Type.Object({ _csrf: Csrf, email: Type.String({ maxLength: 320 }) }), { 404: html('No such list') }) },
    async (req, reply) => {
      const id = req.params.id;
      try {
        const list = await service.list(id);
        if (!list) throw new DomainError('newsletter.list_not_found', {}, 404);
        if (list.kind === 'breaking') throw new DomainError('newsletter.not_a_digest', {}, 400);
        const email = normaliseEmail(req.body.email);
        if (!email) throw new DomainError('newsletter.bad_email', {}, 400);
        const issue = await issues.digest(list);
        if (!issue.mail) throw new DomainError('newsletter.too_few_items', { n: issue.fresh, min: list.minNewItems }, 400);
        // A test mail counts in the address's daily cap, as every mail does.
        await service.directMail(email, 'test', app.config.newsletterDailyCap);
        // The real mail's shape; its links lead to the lists page, as the address may subscribe to nothing.
        const mail = personalMail({ id: 0, kind: 'test', listId: list.id, listSlug: list.slug, listName: list.name, subject: `[TEST] ${issue.mail.subject}`, html: issue.mail.html, text: issue.mail.text }, { subscriberId: 0, email: smtpAddress(email) }, 0, app.secret, app.config.publicUrl, app.mailer.from);
        const lists = `${app.config.publicUrl}/newsletter`;
        await app.mailer.send({ ...mail, html: mail.html!.replace(/https?:\/\/[^"\s]*\/newsletter\/(unsubscribe|manage)\/[^"\s<]*/g, lists), text: mail.text.replace(/https?:\/\/\S*\/newsletter\/(unsubscribe|manage)\/\S*/g, lists), messageId: undefined, headers: { 'List-Id': mail.headers!['List-Id']!, 'Feedback-ID': `test:${list.id}:newsletter` } });
        await app.newsroom.audit(req.user!.id, 'newsletter.test', 'newsletter_list', list.id, email);
        return reply.redirect(`/admin/newsletter/lists/${id}?tested=${encodeURIComponent(email)}`, 303);
      } catch (err) {
        return refused(reply, req, err, (notice) => editor(req, reply, id, notice));
      }
    },
  );

  app.post('/admin/newsletter/lists/:id/send', { config: { roles: STAFF }, schema: form('Make today’s (this week’s) digest now and queue it; once per issue', Type.Object({ _csrf: Csrf }), { 404: html('No such list'), 409: html('This issue was made already') }) }, async (req, reply) => {
    const id = req.params.id;
    try {
      const list = await service.list(id);
      if (!list) throw new DomainError('newsletter.list_not_found', {}, 404);
      const send = await issues.sendDigest(list, req.user!.id);
      if (!send) throw new DomainError('newsletter.already_sent', {}, 409);
      await app.newsroom.audit(req.user!.id, 'newsletter.send', 'newsletter_send', send.id, list.name);
      if (!send.skipped) app.jobs.kick(SEND_JOB);
      return reply.redirect(`/admin/newsletter/lists/${id}?${send.skipped ? 'skipped=1' : `queued=${send.recipients}`}`, 303);
    } catch (err) {
      return refused(reply, req, err, (notice) => editor(req, reply, id, notice));
    }
  });

  app.post(
    '/admin/newsletter/breaking',
    { config: { roles: STAFF }, schema: plainForm('Send a published article to a breaking list; once per article', Type.Object({ _csrf: Csrf, listId: Id, articleId: Id }), { 404: html('No such list'), 409: html('Sent already') }) },
    async (req, reply) => {
      try {
        const list = await service.list(Number(req.body.listId));
        if (!list) throw new DomainError('newsletter.list_not_found', {}, 404);
        const send = await issues.sendBreaking(list, Number(req.body.articleId), req.user!.id);
        await app.newsroom.audit(req.user!.id, 'newsletter.breaking', 'newsletter_send', send.id, `${list.name}: ${req.body.articleId}`);
        app.jobs.kick(SEND_JOB);
        return reply.redirect(`/admin/newsletter?queued=${send.recipients}`, 303);
      } catch (err) {
        return refused(reply, req, err, (notice) => main(req, reply, notice));
      }
    },
  );

  app.get('/admin/newsletter/stats', { config: { roles: STAFF }, schema: page('Subscribers per list over time, and what became of each send', {}) }, async (req, reply) => {
    const [lists, sends, nav, tracking] = await Promise.all([stats.lists(14), stats.sends(50), adminNav(req, app.admin), app.settings.get(NEWSLETTER_SETTINGS.tracking)]);
    return app.pages.send(req, reply, <StatsPage ctx={app.pages.context(req)} nav={nav} lists={lists} sends={sends} tracking={tracking} />);
  });

  app.get('/admin/newsletter/settings', { config: { roles: STAFF }, schema: page('Tracking of opens and clicks (off by default), the days to answer the 180-day question', { querystring: Done }) }, async (req, reply) => {
    const [tracking, recheckDays, nav] = await Promise.all([app.settings.get(NEWSLETTER_SETTINGS.tracking), app.settings.get(NEWSLETTER_SETTINGS.recheckDays), adminNav(req, app.admin)]);
    return app.pages.send(req, reply, <SettingsPage ctx={app.pages.context(req)} nav={nav} csrf={req.csrfToken()} tracking={tracking} recheckDays={recheckDays} inactiveDays={INACTIVE_DAYS} saved={req.query.saved === '1'} />);
  });
  app.post(
    '/admin/newsletter/settings',
    { config: { roles: STAFF }, schema: plainForm('Save the newsletter settings', Type.Object({ _csrf: Csrf, tracking: Type.Optional(Type.Literal('1')), recheckDays: Type.String({ pattern: '^[0-9]{1,3}$' }) })) },
    async (req, reply) => {
      const tracking = req.body.tracking === '1';
      const days = Number(req.body.recheckDays);
      await app.settings.set(NEWSLETTER_SETTINGS.recheckDays, days);
      await app.settings.set(NEWSLETTER_SETTINGS.tracking, tracking);
      await app.newsroom.audit(req.user!.id, 'newsletter.settings', 'newsletter_settings', 0, `tracking=${tracking} recheckDays=${days}`);
      return reply.redirect('/admin/newsletter/settings?saved=1', 303);
    },
  );

  const EmailQuery = Type.Object({ email: Type.Optional(Type.String({ maxLength: 320 })), erased: Type.Optional(Type.Literal('1')) });
  app.get('/admin/newsletter/subscribers', { config: { roles: STAFF }, schema: page('An address’s subscriptions and consent ledger', { querystring: EmailQuery }) }, async (req, reply) => {
    // Shown as stored: a punycode domain in Unicode.
    const email = normaliseEmail(req.query.email ?? '') ?? (req.query.email ?? '').trim().toLowerCase();
    const nav = await adminNav(req, app.admin);
    let found = null;
    if (email) {
      const data = await service.exportFor(email).catch((err) => (err instanceof DomainError ? null : Promise.reject(err)));
      if (data && (data.subscriber || data.consents.length)) found = { consents: data.consents, subscriptions: data.subscriptions, suppressed: data.subscriber?.suppressedReason ?? null };
    }
    return app.pages.send(req, reply, <SubscribersPage ctx={app.pages.context(req)} nav={nav} csrf={req.csrfToken()} email={email} found={found} notice={{ erased: req.query.erased === '1' }} />);
  });

  app.get(
    '/admin/newsletter/subscribers/export',
    { config: { roles: STAFF }, schema: { tags, summary: 'Everything kept of an address, as JSON (for a complaint)', querystring: Type.Object({ email: Type.String({ maxLength: 320 }) }), response: { 200: Type.Object({}, { additionalProperties: true }) } } },
    async (req, reply) => {
      const data = await service.exportFor(req.query.email);
      await app.newsroom.audit(req.user!.id, 'newsletter.export', 'newsletter_subscriber', null, data.email);
      reply.header('content-disposition', 'attachment; filename="newsletter-consent.json"');
      return data;
    },
  );

  app.post('/admin/newsletter/subscribers/erase', { config: { roles: STAFF }, schema: plainForm('Erase an address on request; only the record that consent was withdrawn stays', Type.Object({ _csrf: Csrf, email: Type.String({ maxLength: 320 }) })) }, async (req, reply) => {
    await service.erase(req.body.email, 'admin');
    await app.newsroom.audit(req.user!.id, 'newsletter.erase', 'newsletter_subscriber', null, service.hashOf(normaliseEmail(req.body.email) ?? req.body.email.trim().toLowerCase()));
    return reply.redirect(`/admin/newsletter/subscribers?erased=1`, 303);
  });
}

export default fp(newsletterAdminRoutes, { name: 'newsletter-admin', decorators: { fastify: ['newsletter', 'admin', 'newsroom', 'content', 'accounts'] } });
