// The newsletter module: the reader's pages (subscribe, confirm, unsubscribe in
// one click, choose lists), the profile's section, the subscribe block on the home
// and article pages, the delivery-report endpoint, the jobs that make digests and
// send the queue, and (admin-routes.tsx) the back office.
import fp from 'fastify-plugin';
import multipart from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import { DomainError, HttpError } from '../../platform/errors.js';
import { domainMessage, i18n as i18nFor } from '../../platform/i18n/index.js';
import { html, pageResponses, redirect } from '../../platform/openapi.js';
import { ipHash } from '../../platform/reader.js';
import { DAY, limiter, MINUTE } from '../../platform/limits.js';
import { safeEqual } from '../../platform/secrets.js';
import { ROLES } from '../../platform/roles.js';
import { addFooterSection } from '../../web/components/footer.js';
import { createNewsletterService, type NewsletterService } from './service.js';
import { createIssues, type Issues } from './issues.js';
import type { Personal } from './mail-parts.js';
import { createSender, type Sender } from './sending.js';
import type { PersonalItem } from './index.js';
import { createStats, type Stats } from './stats.js';
import { createReports, type Reports } from './bounces.js';
import { renderConfirmation, renderPersonal, renderRecheck } from './mail-template.js';
import { INACTIVE_DAYS, NEWSLETTER_SETTINGS } from './settings.js';
import { manageToken, readManageToken, readStayToken, readTrackToken, readUnsubscribeToken, smtpAddress, stayToken } from './tokens.js';
import { CheckMailPage, ConfirmedPage, ListsPage, ManagePage, ProfileSection, StayPage, SubscribeWidget, UnsubscribedPage } from './views/pages.js';
import adminRoutes from './admin-routes.js';
import './schema.js';

export interface Newsletter {
  service: NewsletterService;
  issues: Issues;
  sender: Sender;
  stats: Stats;
  reports: Reports;
}

declare module 'fastify' {
  interface FastifyInstance {
    newsletter: Newsletter;
  }
}

export const SEND_JOB = 'newsletter.send';
export const SCHEDULE_JOB = 'newsletter.schedule';
export const INACTIVE_JOB = 'newsletter.inactive';
/** The widget and the lists page show the lists; a change of lists purges this tag. */
export const LISTS_TAG = 'newsletter';

const tags = ['newsletter'];
const Token = Type.String({ minLength: 10, maxLength: 120, pattern: '^[A-Za-z0-9._-]+$' });
const ListIds = Type.Union([Type.String({ pattern: '^[1-9][0-9]{0,8}$' }), Type.Array(Type.String({ pattern: '^[1-9][0-9]{0,8}$' }), { maxItems: 20 })]);
const SubscribeBody = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  email: Type.String({ maxLength: 320 }),
  list: Type.Optional(ListIds),
  form: Type.Optional(Type.Union([Type.Literal('home'), Type.Literal('article'), Type.Literal('page')])),
});
const ChooseBody = Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 200 })), list: Type.Optional(ListIds) });

const idsOf = (list: string | string[] | undefined): number[] => (list === undefined ? [] : (Array.isArray(list) ? list : [list]).map(Number));

async function newsletterModule(app: App) {
  const db = app.database.db;
  const service = createNewsletterService({ db, clock: app.clock, secret: app.secret });
  const site = () => ({ name: app.config.siteName, url: app.config.publicUrl });
  // Mails go out in the portal's language; a subscriber has no locale of their own.
  const mailI18n = () => i18nFor('ru', app.config.timezone);
  const issues = createIssues({ db, clock: app.clock, content: app.content, audience: app.audience, timezone: app.config.timezone, i18n: mailI18n, site });
  // A digest's personal part, for a reader with an account (its address proven): the
  // forum topics they follow and have not read, and their saved searches in the
  // classifieds with ads since their last digest (at most a day back) — which then
  // need no alert mail of their own.
  const personalFor = async (readers: { email: string; lastDigest: Date | null }[]): Promise<Map<string, Personal>> => {
    const watched = app.extensions.get('newsletter.watchedTopics');
    const searches = app.extensions.get('newsletter.savedSearchAds');
    if (!watched && !searches) return new Map();
    const accounts = await app.accounts.idsByEmail(readers.map((r) => r.email), { confirmed: true });
    if (!accounts.size) return new Map();
    const at = app.clock.now();
    const dayAgo = new Date(at.getTime() - 86_400_000);
    const wants = readers.flatMap((r) => {
      const userId = accounts.get(r.email);
      return userId ? [{ userId, since: r.lastDigest && r.lastDigest > dayAgo ? r.lastDigest : dayAgo }] : [];
    });
    const [topics, ads] = await Promise.all([watched ? watched([...accounts.values()]) : new Map(), searches ? searches.find(wants) : new Map()]);
    const out = new Map<string, Personal>();
    const i18n = mailI18n();
    const where = site();
    for (const [email, userId] of accounts) {
      const mine = topics.get(userId) ?? [];
      const myAds = ads.get(userId) ?? [];
      if (!mine.length && !myAds.length) continue;
      const part: Personal = renderPersonal({ topics: mine, ads: myAds, i18n, site: where });
      if (myAds.length && searches) part.carries = { userId, ads: myAds, at };
      out.set(email, part);
    }
    return out;
  };
  // What a batch's digests carried, told to the classifieds in one call per moment found.
  const carried = async (parts: Personal[]): Promise<void> => {
    const searches = app.extensions.get('newsletter.savedSearchAds');
    if (!searches) return;
    const byMoment = new Map<number, { userId: number; items: PersonalItem[] }[]>();
    for (const p of parts) if (p.carries) byMoment.set(p.carries.at.getTime(), [...(byMoment.get(p.carries.at.getTime()) ?? []), { userId: p.carries.userId, items: p.carries.ads }]);
    for (const [at, entries] of byMoment) await searches.carried(entries, new Date(at));
  };
  const sender = createSender({ db, clock: app.clock, mailer: app.mailer, secret: app.secret, publicUrl: () => app.config.publicUrl, dailyCap: app.config.newsletterDailyCap, log: app.log, concurrency: app.config.smtpPoolConnections, personalFor, carried, tracking: () => app.settings.get(NEWSLETTER_SETTINGS.tracking) });
  const stats = createStats({ db, clock: app.clock, timezone: app.config.timezone });
  const reports = createReports({ db, service, secret: app.secret });
  app.decorate('newsletter', { service, issues, sender, stats, reports });

  app.jobs.define(SEND_JOB, 5_000, () => sender.run());
  // Makes the issues whose time has come; the send job (every 5 s) sends them.
  app.jobs.define(SCHEDULE_JOB, 60_000, async () => issues.due(await service.lists({ activeOnly: true })));
  app.jobs.define('newsletter.forgetLinks', DAY, () => service.forgetOldLinks());

  // 180 days without activity: one «оставаться подписанным?» mail (marked asked before
  // it goes, so never twice; in the daily cap); no answer within the setting's days:
  // the lists are paused, each in the ledger.
  async function askToStay(sub: { id: number; email: string }, days: number): Promise<boolean> {
    try {
      await service.directMail(sub.email, 'recheck', app.config.newsletterDailyCap);
      const lists = (await service.subscriptions(sub.id)).filter((s) => s.status === 'confirmed').map((s) => s.list.name);
      const mail = renderRecheck({ lists, stayLink: `${app.config.publicUrl}/newsletter/stay/${stayToken(app.secret, sub.id)}`, manageLink: `${app.config.publicUrl}/newsletter/manage/${manageToken(app.secret, sub.id)}`, days, i18n: mailI18n(), site: site() });
      await app.mailer.send({ to: smtpAddress(sub.email), ...mail });
      return true;
    } catch (err) {
      // Over the cap or refused by the transport: asked again at the next pass.
      await service.notAsked(sub.id);
      if (!(err instanceof DomainError)) app.log.warn({ err, subscriberId: sub.id }, 'newsletter re-permission mail failed');
      return false;
    }
  }
  async function recheckInactive(): Promise<{ asked: number; paused: number }> {
    const now = app.clock.now();
    const days = await app.settings.get(NEWSLETTER_SETTINGS.recheckDays);
    const inactiveBefore = new Date(now.getTime() - INACTIVE_DAYS * DAY);
    let asked = 0;
    // Batch after batch, until none is left or no one of a batch could be asked.
    for (;;) {
      const batch = await service.claimInactive(inactiveBefore);
      let done = 0;
      for (const sub of batch) if (await askToStay(sub, days)) done++;
      asked += done;
      if (!done) break;
    }
    const paused = await service.pauseUnanswered(new Date(now.getTime() - days * DAY));
    return { asked, paused };
  }
  app.jobs.define(INACTIVE_JOB, 60 * MINUTE, recheckInactive);
  // A sign-in is a visit: the account's address is active.
  app.events.on('reader.signedIn', async ({ userId }) => {
    const user = await app.accounts.byId(userId);
    if (user?.email_confirmed_at) await service.touch({ email: user.email });
  });

  const hashIp = (req: FastifyRequest) => ipHash(app.secret, req.ip);
  const activeLists = () => app.memo.get('newsletter:lists', { ttlMs: 60_000, tags: [LISTS_TAG] }, () => service.lists({ activeOnly: true }));

  // The block on the home page and beside an article: the same for every reader.
  const keep = { ttlMs: 60_000, tags: [LISTS_TAG], shared: true };
  app.widgets.add('home.aside', 70, async ({ req }) => <SubscribeWidget i18n={req.i18n} lists={await activeLists()} form="home" />, 'newsletter', keep);
  app.widgets.add('article.aside', 70, async ({ req }) => <SubscribeWidget i18n={req.i18n} lists={await activeLists()} form="article" />, 'newsletter', keep);
  addFooterSection(app.pages.footer, { href: '/newsletter', label: 'newsletter.footer', order: 40 });

  // The profile: the account's confirmed address proves the mailbox, so lists are switched at once.
  app.accounts.addProfileSection('newsletter', async (req) => {
    const user = await app.accounts.byId(req.user!.id);
    if (!user) return null;
    const sub = await service.subscriberByEmail(user.email);
    const lists = await activeLists();
    const subscriptions = sub ? await service.subscriptions(sub.id) : lists.map((list) => ({ list, status: null }));
    const saved = (req.query as Record<string, unknown> | undefined)?.newsletter === 'saved';
    return <ProfileSection i18n={req.i18n} csrf={req.csrfToken()} email={user.email} confirmed={!!user.email_confirmed_at} subscriptions={subscriptions} notice={saved ? req.i18n.t('newsletter.manage.saved') : undefined} />;
  });
  app.accounts.addExport('newsletter', async (userId) => {
    const user = await app.accounts.byId(userId);
    return user ? service.exportFor(user.email) : null;
  });

  // A stranger's writes: per IP and per browser; per address, one confirmation mail an hour (the service).
  const subscribeLimits = limiter(app, 'newsletter.subscribe', [
    { per: 'reader', max: 5, window: 10 * MINUTE },
    { per: 'ip', max: 10, window: 10 * MINUTE },
    { per: 'ip', max: 50, window: DAY },
  ]);

  const listsPage = async (req: FastifyRequest, reply: FastifyReply, error?: string, email?: string) =>
    app.pages.send(req, reply, <ListsPage ctx={app.pages.context(req)} lists={await activeLists()} error={error} email={email} />, { status: reply.statusCode });

  app.get('/newsletter', { schema: { tags, summary: 'The newsletters and the form to subscribe', response: { 200: html('The page') } } }, (req, reply) => listsPage(req, reply));

  app.post(
    '/newsletter/subscribe',
    {
      // The form sits on cached pages (the same HTML for all): same-origin proof instead of a token.
      config: { csrf: 'origin' },
      preHandler: subscribeLimits,
      schema: { tags, summary: 'Subscribe an address to lists: a confirmation mail is sent (double opt-in)', body: SubscribeBody, response: pageResponses({ 200: html('Check your mail'), 400: html('The form again with the reason'), 404: html('No such list'), 429: html('Too many requests, or a confirmation mail was sent within the hour') }) },
    },
    async (req, reply) => {
      const form = req.body.form ?? 'page';
      try {
        const result = await service.subscribe({ email: req.body.email, listIds: idsOf(req.body.list), form, ipHash: hashIp(req), dailyCap: app.config.newsletterDailyCap });
        if (result.token) {
          const link = `${app.config.publicUrl}/newsletter/confirm/${result.token}`;
          const mail = renderConfirmation({ lists: result.lists.map((l) => l.name), link, i18n: req.i18n, site: site() });
          try {
            await app.mailer.send({ to: smtpAddress(result.email), ...mail });
          } catch (err) {
            await service.forgetConfirmation(result.token);
            req.log.warn({ err }, 'newsletter confirmation mail failed');
            throw new HttpError(503, 'newsletter.mail_failed', req.i18n.t('error.newsletter.mail_failed'));
          }
        }
        return app.pages.send(req, reply, <CheckMailPage ctx={app.pages.context(req)} email={result.email} />);
      } catch (err) {
        if (!(err instanceof DomainError) || err.statusCode >= 500) throw err;
        reply.code(err.statusCode);
        return listsPage(req, reply, domainMessage(req.i18n, err), req.body.email.slice(0, 254));
      }
    },
  );

  app.get(
    '/newsletter/confirm/:token',
    {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: { tags, summary: 'The link in the confirmation mail: confirms the subscription', params: Type.Object({ token: Token }), response: pageResponses({ 200: html('Confirmed'), 404: html('Unknown link'), 410: html('The link was used or has expired') }) },
    },
    async (req, reply) => {
      const { lists } = await service.confirm(req.params.token, hashIp(req));
      return app.pages.send(req, reply, <ConfirmedPage ctx={app.pages.context(req)} lists={lists.map((l) => l.name)} />);
    },
  );

  async function unsubscribePage(req: FastifyRequest, reply: FastifyReply, subscriberId: number, listId: number, changed: boolean, listName: string) {
    const subscriptions = await service.subscriptions(subscriberId);
    const action = `/newsletter/manage/${manageToken(app.secret, subscriberId)}`;
    return app.pages.send(req, reply, <UnsubscribedPage ctx={app.pages.context(req)} listName={listName} changed={changed} manageAction={action} csrf={req.csrfToken()} subscriptions={subscriptions} />);
  }

  const unsubscribeTarget = (token: string) => {
    const target = readUnsubscribeToken(app.secret, token);
    if (!target) throw new DomainError('newsletter.bad_token', {}, 403);
    return target;
  };

  app.get(
    '/newsletter/unsubscribe/:token',
    {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: { tags, summary: 'The unsubscribe link in a mail: unsubscribes from that list at once, shows the result and the other lists', params: Type.Object({ token: Token }), response: pageResponses({ 200: html('Unsubscribed'), 403: html('A forged or altered link') }) },
    },
    async (req, reply) => {
      const { subscriberId, listId } = unsubscribeTarget(req.params.token);
      const { changed, list } = await service.unsubscribe(subscriberId, listId, 'mail-link', hashIp(req));
      if (!list || !(await service.subscriber(subscriberId))) throw new DomainError('newsletter.link_unknown', {}, 404);
      return unsubscribePage(req, reply, subscriberId, listId, changed, list.name);
    },
  );

  // RFC 8058 one-click: the mail client POSTs «List-Unsubscribe=One-Click» to the
  // List-Unsubscribe URL, from its own servers, with no cookies: no CSRF check (the
  // signed token is the proof), a rate limit, and no second click.
  await app.register(async (scope) => {
    if (!scope.hasContentTypeParser('multipart/form-data')) await scope.register(multipart, { limits: { files: 0, fields: 4, fieldSize: 200, parts: 4 } });
    scope.post(
      '/newsletter/unsubscribe/:token',
      {
        config: { csrf: false, rateLimit: { max: 30, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: 'One-click unsubscribe (RFC 8058): the body must be List-Unsubscribe=One-Click, form-encoded or multipart',
          consumes: ['application/x-www-form-urlencoded', 'multipart/form-data'],
          params: Type.Object({ token: Token }),
          response: { 200: Type.Object({ unsubscribed: Type.Boolean() }), 400: Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String() }) }) },
        },
      },
      async (req, reply) => {
        let value: unknown = (req.body as Record<string, unknown> | undefined)?.['List-Unsubscribe'];
        if (req.isMultipart()) {
          for await (const part of req.parts()) if (part.type === 'field' && part.fieldname === 'List-Unsubscribe') value = part.value;
        }
        const { subscriberId, listId } = unsubscribeTarget((req.params as { token: string }).token);
        if (value !== 'One-Click') throw new DomainError('newsletter.one_click_body', {}, 400);
        const { list } = await service.unsubscribe(subscriberId, listId, 'one-click', hashIp(req));
        if (!list) throw new DomainError('newsletter.link_unknown', {}, 404);
        reply.header('cache-control', 'no-store');
        return { unsubscribed: true };
      },
    );
  });

  const manageTarget = (token: string) => {
    const id = readManageToken(app.secret, token);
    if (!id) throw new DomainError('newsletter.bad_token', {}, 403);
    return id;
  };

  async function managePage(req: FastifyRequest, reply: FastifyReply, token: string, saved: boolean) {
    const subscriberId = manageTarget(token);
    const sub = await service.subscriber(subscriberId);
    if (!sub) throw new DomainError('newsletter.link_unknown', {}, 404);
    await service.touch({ subscriberId });
    return app.pages.send(req, reply, <ManagePage ctx={app.pages.context(req)} email={sub.email} action={`/newsletter/manage/${token}`} csrf={req.csrfToken()} subscriptions={await service.subscriptions(subscriberId)} saved={saved} />);
  }

  app.get(
    '/newsletter/manage/:token',
    { schema: { tags, summary: 'The lists of the address a mail was sent to, to choose', params: Type.Object({ token: Token }), querystring: Type.Object({ saved: Type.Optional(Type.Literal('1')) }), response: pageResponses({ 200: html('The page'), 403: html('A forged link') }) } },
    (req, reply) => managePage(req, reply, req.params.token, req.query.saved === '1'),
  );
  app.post(
    '/newsletter/manage/:token',
    {
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: { tags, summary: 'Choose the lists of the address (the signed link proves the mailbox)', params: Type.Object({ token: Token }), body: ChooseBody, response: pageResponses({ 303: redirect('Back to the page'), 403: html('A forged link') }) },
    },
    async (req, reply) => {
      const subscriberId = manageTarget(req.params.token);
      await service.choose(subscriberId, idsOf(req.body.list), hashIp(req), 'manage');
      return reply.redirect(`/newsletter/manage/${req.params.token}?saved=1`, 303);
    },
  );

  app.post(
    '/newsletter/profile',
    {
      config: { roles: [...ROLES], rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: { tags, summary: 'The profile: the account’s own address on and off lists', body: ChooseBody, response: pageResponses({ 303: redirect('Back to the profile'), 400: html('The account’s address is not confirmed') }) },
    },
    async (req, reply) => {
      const user = await app.accounts.byId(req.user!.id);
      if (!user?.email_confirmed_at) throw new DomainError('newsletter.account_unconfirmed', {}, 400);
      const subscriberId = await service.ensureSubscriber(user.email);
      await service.choose(subscriberId, idsOf(req.body.list), hashIp(req), 'profile');
      return reply.redirect('/account?newsletter=saved#newsletter', 303);
    },
  );

  app.get(
    '/newsletter/stay/:token',
    {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: { tags, summary: '«Да, оставить» in the 180-day question: the address stays subscribed, paused lists resume; shows them and the other lists', params: Type.Object({ token: Token }), response: pageResponses({ 200: html('Staying'), 403: html('A forged link'), 404: html('Unknown address') }) },
    },
    async (req, reply) => {
      const subscriberId = readStayToken(app.secret, req.params.token);
      if (!subscriberId) throw new DomainError('newsletter.bad_token', {}, 403);
      const { email, lists } = await service.stay(subscriberId, hashIp(req));
      const action = `/newsletter/manage/${manageToken(app.secret, subscriberId)}`;
      return app.pages.send(req, reply, <StayPage ctx={app.pages.context(req)} email={email} lists={lists.map((l) => l.name)} manageAction={action} csrf={req.csrfToken()} subscriptions={await service.subscriptions(subscriberId)} />);
    },
  );

  // Opens and clicks (only when the back office turned tracking on; the mails of a
  // portal with it off carry neither). Counted per send — the event names no reader —
  // and the address counts as active.
  const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
  app.get(
    '/newsletter/o/:token',
    {
      config: { rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: { tags, summary: 'The counting image of a mail (tracking on): a 1×1 GIF; counts an open of the send', params: Type.Object({ token: Type.String({ maxLength: 80, pattern: '^[0-9]+\\.[0-9]+\\.[A-Za-z0-9_-]{32}\\.gif$' }) }) },
    },
    async (req, reply) => {
      const target = readTrackToken(app.secret, req.params.token.slice(0, -'.gif'.length));
      if (!target) throw new DomainError('newsletter.bad_token', {}, 403);
      if (await app.settings.get(NEWSLETTER_SETTINGS.tracking)) await service.tracked(target.queueId, target.sendId, 'open');
      return reply.header('cache-control', 'no-store, private').type('image/gif').send(GIF);
    },
  );
  app.get(
    '/newsletter/c/:token',
    {
      config: { rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'A link of a mail (tracking on): counts a click of the send and goes on to the target; the token signs the target, so no other address is reached (no open redirect)',
        params: Type.Object({ token: Type.String({ maxLength: 80, pattern: '^[0-9]+\\.[0-9]+\\.[A-Za-z0-9_-]{32}$' }) }),
        querystring: Type.Object({ u: Type.String({ maxLength: 2000 }) }),
        response: pageResponses({ 302: redirect('To the link of the mail'), 403: html('A forged or altered link') }),
      },
    },
    async (req, reply) => {
      const target = readTrackToken(app.secret, req.params.token, req.query.u);
      if (!target || !/^https?:\/\//.test(req.query.u)) throw new DomainError('newsletter.bad_token', {}, 403);
      if (await app.settings.get(NEWSLETTER_SETTINGS.tracking)) await service.tracked(target.queueId, target.sendId, 'click');
      reply.header('cache-control', 'no-store, private');
      return reply.redirect(req.query.u, 302);
    },
  );

  // Delivery reports from the mail server (a pipe or a webhook of the MTA): the raw
  // message as the body. Only with NEWSLETTER_BOUNCE_TOKEN, as a bearer token.
  await app.register(async (scope) => {
    scope.addContentTypeParser(['message/rfc822', 'message/global'], { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_req, body, done) => done(null, body));
    scope.post(
      '/api/newsletter/reports',
      {
        config: { csrf: false, rateLimit: { max: 600, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: 'A delivery status notification (bounce) or a feedback-loop report (complaint), or a mail to the unsubscribe mailto: the raw message as message/rfc822 or text/plain, with Authorization: Bearer NEWSLETTER_BOUNCE_TOKEN',
          response: { 200: Type.Object({ kind: Type.String(), suppressed: Type.Boolean() }) },
        },
      },
      async (req) => {
        const expected = app.config.newsletterBounceToken;
        const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        if (!expected || !given || !safeEqual(given, expected)) throw new DomainError('newsletter.reports_forbidden', {}, 403);
        const body = req.body;
        if (!(Buffer.isBuffer(body) || typeof body === 'string')) throw new DomainError('newsletter.report_unrecognised', {}, 422);
        const result = await reports.take(body);
        return { kind: result.kind, suppressed: result.suppressed };
      },
    );
  });

  await app.register(adminRoutes);
}

export default fp(newsletterModule, { name: 'newsletter', dependencies: ['accounts', 'content', 'audience', 'newsroom'], decorators: { fastify: ['jobs', 'mailer', 'widgets', 'memo', 'pages', 'admin'] } });
