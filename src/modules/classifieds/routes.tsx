// The classifieds as a plugin: the service on `app.classifieds`, the ad subject,
// the moderators' queue, notification kinds, jobs (expiry, saved-search alerts),
// the messages policy and lead counters, and the reading pages — the home, a
// category, the search, an ad — all page-cached for anonymous readers and purged
// by tag (`ads`: every list; `ad:<id>`: an ad's page) on every write. The seller's
// pages are seller-routes.tsx, storefronts and statistics shop-routes.tsx, the
// back office admin-routes.tsx.
import fp from 'fastify-plugin';
import { isbot } from 'isbot';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import { DomainError } from '../../platform/errors.js';
import { domainMessage } from '../../platform/i18n/index.js';
import { html, pageResponses, redirect, RowId } from '../../platform/openapi.js';
import { ipHash, READER_COOKIE, readerIdOf, readerKey, readReaderCookie } from '../../platform/reader.js';
import { limiter, DAY, MINUTE } from '../../platform/limits.js';
import { ROLES } from '../../platform/roles.js';
import { addFooterSection } from '../../web/components/footer.js';
import { REPORT_REASONS, type ReportReason } from '../moderation/index.js';
import type { AdRow } from './ads.js';
import type { Catalogue } from './catalogue.js';
import { createClassifieds, type Classifieds } from './service.js';
import { LIST_KEPT_MS, LIST_TAG, listKey, parseFilters, type Filters } from './finding.js';
import { showPhone } from './fields.js';
import { adPath, categoryPath } from './paths.js';
import { adQueue } from './queue.js';
import { AdPage, type AdPageView } from './views/ad-page.js';
import { ReportPage } from './views/forms.js';
import { checkToken, pageToken, phoneVerdict, readToken } from './phone-check.js';
import { AdsHome, CategoryPage } from './views/pages.js';
import type { ListingView } from './views/listing.js';
import sellerRoutes from './seller-routes.js';
import shopRoutes from './shop-routes.js';
import adminRoutes from './admin-routes.js';
import { digestAlerts, runAlerts } from './alerts.js';
import { runDueFeeds } from './feed.js';
import { CLASSIFIEDS_SETTINGS } from './settings.js';
import './schema.js';

declare module 'fastify' {
  interface FastifyInstance {
    classifieds: Classifieds;
  }
}

export const tags = ['classifieds'];
export const SIGNED_IN = [...ROLES];
const CategoryParams = Type.Object({ category: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,59}$' }) });
const AdParams = Type.Object({ category: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,59}$' }), id: RowId() });
const IdParams = Type.Object({ id: RowId() });
const Many = Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Array(Type.String({ maxLength: 100 }), { maxItems: 60 })]));
const Num = Type.Optional(Type.String({ maxLength: 20 }));
/** Every filter a list reads: the page cache keeps only addresses made of these. */
export const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  f: Many,
  district: Many,
  price_min: Num,
  price_max: Num,
  n1_min: Num,
  n1_max: Num,
  n2_min: Num,
  n2_max: Num,
  n3_min: Num,
  n3_max: Num,
  n4_min: Num,
  n4_max: Num,
  photo: Type.Optional(Type.String({ maxLength: 1 })),
  seller: Type.Optional(Type.String({ maxLength: 10 })),
  sort: Type.Optional(Type.String({ maxLength: 12 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});

/** The purge tags of an ad: every list, and its page. */
export const adTags = (id: number) => ['ads', `ad:${id}`];

async function classifiedsModule(app: App) {
  const db = app.database.db;
  const svc = createClassifieds({
    db,
    clock: app.clock,
    memo: app.memo,
    moderation: app.moderation,
    organisations: app.organisations,
    events: { changed: (ad, before) => changed(ad, before) },
  });
  app.decorate('classifieds', svc);
  addFooterSection(app.pages.footer, { href: '/ads/', label: 'footer.classifieds', order: 20 });
  app.addHook('onReady', async () => {
    await svc.installDefaults();
  });

  app.subjects.register({
    kind: 'ad',
    owner: 'classifieds',
    async describe(ids) {
      const [cat, ads] = await Promise.all([svc.catalogue(), svc.ads.byIds([...ids])]);
      const out = new Map();
      for (const ad of ads) {
        const c = cat.byId.get(ad.category_id);
        if (ad.status !== 'active' || !c) continue;
        out.set(ad.id, { kind: 'ad' as const, id: ad.id, title: ad.title, url: adPath(c, ad.id), tags: adTags(ad.id), scope: null, authorId: ad.user_id });
      }
      return out;
    },
  });
  app.moderation.addKind(adQueue(svc));
  app.notifications.kinds.define({ kind: 'ad_price_drop', defaults: { site: true, mail: true }, mailWindowMs: 60 * 60_000 });
  app.notifications.kinds.define({ kind: 'ad_saved_search', defaults: { site: true, mail: true }, mailWindowMs: 24 * 3600_000 });
  app.jobs.define('classifieds.expire', 10 * MINUTE, async () => {
    const ids = await svc.ads.expire();
    if (ids.length) await app.pageCache.purge(['ads', ...ids.map((id) => `ad:${id}`)]);
  });
  app.jobs.define('classifieds.feeds', 15 * MINUTE, async () => {
    await runDueFeeds(app, svc, await app.settings.get(CLASSIFIEDS_SETTINGS.feedEveryHours));
  });
  app.jobs.define('classifieds.alerts', 15 * MINUTE, () => runAlerts(app, svc).then(() => undefined));
  // A reader who gets the newsletter's digest finds their saved searches' new ads there, not in a mail of their own.
  app.extensions.provide('newsletter.savedSearchAds', digestAlerts(app, svc), 'classifieds');

  /** After a committed change: purge its pages; a lower price tells those who saved it. */
  async function changed(ad: AdRow, before: AdRow | null) {
    await app.pageCache.purge(adTags(ad.id));
    if (before && ad.status === 'active' && ad.price !== null && before.price !== null && ad.price < before.price) {
      const users = await svc.readers.priceDropped(ad.id, ad.price);
      const c = (await svc.catalogue()).byId.get(ad.category_id);
      if (c && users.length)
        await app.notifications.notifyMany(users.map((recipientId) => ({ recipientId, kind: 'ad_price_drop', subject: { kind: 'ad' as const, id: ad.id }, url: adPath(c, ad.id), actorName: ad.title, excerpt: `${before.price} → ${ad.price} ₽` })));
    }
  }

  // ---------- messages: who may write about an ad, and the lead counters ----------

  app.messages.policies.add({
    kind: 'ad',
    async check({ subjectId, from, to, actorId }) {
      const ad = await svc.ads.byId(subjectId);
      if (!ad || (ad.status !== 'active' && ad.status !== 'closed' && ad.status !== 'expired')) throw new DomainError('ad.not_found', {}, 404);
      const seller = ad.organisation_id !== null ? { kind: 'organisation', id: ad.organisation_id } : { kind: 'user', id: ad.user_id ?? 0 };
      const isSeller = (p: { kind: string; id: number }) => p.kind === seller.kind && p.id === seller.id;
      // One side is the seller; the seller does not start a conversation with itself.
      if (!isSeller(to) && !isSeller(from)) throw new DomainError('ad.wrong_recipient', {}, 400);
      if (isSeller(to) && isSeller(from)) throw new DomainError('ad.own_ad', {}, 400);
      if (isSeller(to) && ad.organisation_id === null && ad.user_id === actorId) throw new DomainError('ad.own_ad', {}, 400);
    },
    async describe(ids) {
      const [cat, ads] = await Promise.all([svc.catalogue(), svc.ads.byIds(ids)]);
      const out = new Map<number, { title: string; url: string }>();
      for (const ad of ads) {
        const c = cat.byId.get(ad.category_id);
        if (c) out.set(ad.id, { title: ad.title, url: adPath(c, ad.id) });
      }
      return out;
    },
  });
  app.events.on('message.sent', async (m) => {
    if (m.subject.kind !== 'ad') return;
    const ad = await svc.ads.byId(m.subject.id);
    if (!ad) return;
    if (m.first) await svc.leads.bump(ad, 'conversations', m.at);
    const sellerSide = ad.organisation_id !== null ? m.from.kind === 'organisation' && m.from.id === ad.organisation_id : m.from.kind === 'user' && m.from.id === ad.user_id;
    if (sellerSide && m.answersAfterMs !== null) await svc.leads.answered(ad.organisation_id, m.senderId, m.answersAfterMs, m.at);
  });

  // ---------- helpers the pages share ----------

  /**
   * A list with its cards' covers and storefronts, kept in the data cache like the
   * list itself (LIST_KEPT_MS, purged with LIST_TAG by every ad write and every
   * storefront change): a page-cache miss of a list renders without the database.
   */
  async function listing(_req: FastifyRequest, f: Filters, base: string): Promise<ListingView> {
    const key = `ads:view:${listKey(f, await svc.catalogue())}`;
    const shown = await app.memo.get(key, { ttlMs: LIST_KEPT_MS, tags: [LIST_TAG] }, async () => {
      const { cards, total, counts } = await svc.finding.listUncached(f);
      const [images, shops] = await Promise.all([app.media.get(cards.flatMap((c) => (c.cover_id !== null ? [c.cover_id] : []))), svc.storefronts.byIds(cards.flatMap((c) => (c.organisation_id !== null ? [c.organisation_id] : [])))]);
      return { cards, total, counts, images, shops };
    });
    return { base, filters: f, ...shown };
  }

  async function categoryOr404(slug: string) {
    const cat = await svc.catalogue();
    const c = cat.bySlug.get(slug);
    if (!c) throw new DomainError('ad.unknown_category', {}, 404);
    return { cat, c };
  }

  // ---------- reading ----------

  app.get('/ads', { schema: { tags, summary: 'The classifieds (to /ads/)', response: { 301: redirect('To /ads/') } } }, async (_req, reply) => reply.redirect('/ads/', 301));

  app.get('/ads/', { config: { pageCache: true }, schema: { tags, summary: 'The classifieds: categories with their counts and the freshest ads', response: { 200: html('The home') } } }, async (req, reply) => {
    const [cat, counts, fresh] = await Promise.all([svc.catalogue(), svc.finding.perCategory(), svc.finding.fresh(20)]);
    const [images, shops] = await Promise.all([app.media.get(fresh.flatMap((c) => (c.cover_id !== null ? [c.cover_id] : []))), svc.storefronts.byIds(fresh.flatMap((c) => (c.organisation_id !== null ? [c.organisation_id] : [])))]);
    return app.pages.send(req, reply, <AdsHome ctx={app.pages.context(req)} cat={cat} counts={counts} fresh={fresh} images={images} shops={shops} />, { tags: ['ads'] });
  });

  app.get('/ads/search', { config: { pageCache: true }, schema: { tags, summary: 'Search the ads in Russian (the portal’s morphology) with the filters', querystring: ListQuery, response: { 200: html('The results') } } }, async (req, reply) => {
    const cat = await svc.catalogue();
    const f = parseFilters(cat, null, req.query);
    return app.pages.send(req, reply, <CategoryPage ctx={app.pages.context(req)} cat={cat} view={await listing(req, f, '/ads/search')} />, { tags: ['ads'] });
  });

  app.get('/ads/:category/', { config: { pageCache: true }, schema: { tags, summary: 'A category: its ads with filters made from its fields, counts per value, sort by date or price', params: CategoryParams, querystring: ListQuery, response: { 200: html('The category') } } }, async (req, reply) => {
    const { cat, c } = await categoryOr404(req.params.category);
    const f = parseFilters(cat, c, req.query);
    return app.pages.send(req, reply, <CategoryPage ctx={app.pages.context(req)} cat={cat} view={await listing(req, f, categoryPath(c))} />, { tags: ['ads'] });
  });
  app.get('/ads/:category', { schema: { tags, summary: 'A category (to its address with the slash)', params: CategoryParams, response: { 301: redirect('To /ads/{category}/') } } }, async (req, reply) => reply.redirect(`/ads/${req.params.category}/`, 301));

  /** An ad as a page shows it; a reader sees active ones, the seller and staff every state (a preview). */
  async function adView(req: FastifyRequest, id: number) {
    const cat = await svc.catalogue();
    const ad = await svc.ads.byId(id);
    const category = ad ? cat.byId.get(ad.category_id) : undefined;
    if (!ad || !category) throw new DomainError('ad.not_found', {}, 404);
    let preview = false;
    if (ad.status !== 'active') {
      if (!req.user || !(await svc.ads.mayManage(req.user, ad))) throw new DomainError('ad.not_found', {}, 404);
      preview = true;
    }
    const [photoIds, similar, shop] = await Promise.all([svc.photosOf(ad.id), svc.finding.similar(ad), ad.organisation_id !== null ? svc.storefronts.get(ad.organisation_id) : null]);
    const images = await app.media.get([...photoIds, ...similar.flatMap((s) => (s.cover_id !== null ? [s.cover_id] : [])), ...(shop?.logoId ? [shop.logoId] : [])]);
    const author = !shop && ad.user_id !== null ? (await app.accounts.displayNames([ad.user_id])).get(ad.user_id) : undefined;
    const since = author && ad.user_id !== null ? await app.accounts.registeredAt(ad.user_id) : null;
    const phone: AdPageView['phone'] = { check: pageToken(app.secret, ad.id, app.clock.now().getTime()) };
    return { cat, category, view: { ad, category, photos: photoIds.flatMap((p) => images.get(p) ?? []), seller: author ? { name: author, since: since ?? ad.created_at } : null, shop, logo: shop?.logoId ? (images.get(shop.logoId) ?? null) : null, similar, images, preview, phone } };
  }

  app.get('/ads/:category/:id/', { config: { pageCache: true }, schema: { tags, summary: 'An ad: gallery, price, fields, seller, contact buttons, similar ads, Product/Offer JSON-LD', params: AdParams, response: { 200: html('The ad'), 301: redirect('To the ad’s address') } } }, async (req, reply) => {
    const { cat, category, view } = await adView(req, req.params.id);
    if (category.slug !== req.params.category) return reply.redirect(adPath(category, view.ad.id), 301);
    if (view.preview) reply.header('cache-control', 'private, no-store');
    // A storefront's ad shows its logo: a new logo purges `ads-shop:<id>`, these pages too.
    return app.pages.send(req, reply, <AdPage ctx={app.pages.context(req)} cat={cat} view={view} />, { tags: view.preview ? undefined : [`ad:${view.ad.id}`, ...(view.shop ? [`ads-shop:${view.shop.id}`] : [])] });
  });

  app.get('/ads/item/:id', { schema: { tags, summary: 'Where an ad is read (for notifications and messages)', params: IdParams, response: { 302: redirect('To the ad') } } }, async (req, reply) => {
    const ad = await svc.ads.byId(req.params.id);
    const c = ad ? (await svc.catalogue()).byId.get(ad.category_id) : undefined;
    if (!ad || !c) throw new DomainError('ad.not_found', {}, 404);
    return reply.redirect(adPath(c, ad.id), 302);
  });

  // The view beacon of an ad page (its island): bots (isbot, as audience) and repeats count nothing; a reader once per ad per day.
  const viewLimit = limiter(app, 'ads.view', [{ per: 'ip', max: 600, window: 10 * MINUTE }]);
  app.post('/api/ads/:id/view', { config: { csrf: 'origin' }, preHandler: viewLimit, schema: { tags, summary: 'Count a view of an ad page (one per reader, ad and day; bots ignored)', params: IdParams, response: { 204: Type.Null() } } }, async (req, reply) => {
    const agent = req.headers['user-agent'] ?? '';
    const standing = req.readerStanding();
    const key = readerKey(req, app.secret);
    if (!isbot(agent) && agent && standing.kind !== 'unproven' && key) {
      const ad = await svc.ads.byId(req.params.id);
      // The seller's own looks at the ad (its author, its storefront's people) are not views.
      const own = !!req.user && !!ad && (ad.user_id === req.user.id || (ad.organisation_id !== null && (await app.organisations.roleOf(ad.organisation_id, req.user.id)) !== null));
      if (ad && ad.status === 'active' && !own) await svc.leads.view(ad, key);
    }
    return reply.status(204).send(null);
  });

  // ---------- a reader's actions from the (cached) ad page ----------

  // «Показать телефон»: a signed-in reader at once; a reader without an account after
  // the check of phone-check.ts (an identity issued earlier, a signed token of the ad,
  // a small delay) and tighter limits. Every reveal is a lead.
  const revealLimit = limiter(app, 'ads.reveal', [
    { per: 'reader', max: 30, window: DAY },
    { per: 'ip', max: 60, window: DAY },
    { per: 'reader', max: 10, window: 10 * MINUTE },
  ]);
  // Counted only when an anonymous reader is shown a phone: cookies are free, addresses are not.
  const anonymousRevealLimit = limiter(app, 'ads.reveal.anonymous', [
    { per: 'reader', max: 10, window: DAY },
    { per: 'ip', max: 20, window: DAY },
    { per: 'ip', max: 5, window: 10 * MINUTE },
  ]);
  const PhoneBody = Type.Object({ check: Type.Optional(Type.String({ maxLength: 60 })) });
  // A press without a body (an older page's form, a script) is a press without a token.
  const emptyBody = async (req: FastifyRequest) => {
    req.body ??= {};
  };
  app.post('/ads/item/:id/phone', { config: { csrf: 'origin' }, preValidation: emptyBody, preHandler: revealLimit, schema: { tags, summary: '«Показать телефон»: the seller’s phone — for a signed-in reader at once, for another after the check (an earlier reader identity, the ad page’s signed token, a small delay; limited per reader and address); each reveal is a lead', params: IdParams, body: PhoneBody, response: pageResponses({ 200: html('The ad page with the phone, or with one more button (JSON `{ phone }` or `{ check, wait }`)'), 403: html('Refused: a browser that keeps no cookies') }) } }, async (req, reply) => {
    const json = (req.headers.accept ?? '').includes('application/json');
    const ad = await svc.ads.byId(req.params.id);
    const c = ad ? (await svc.catalogue()).byId.get(ad.category_id) : undefined;
    if (!ad || !c || ad.status !== 'active' || !ad.phone) throw new DomainError('ad.not_found', {}, 404);
    reply.header('cache-control', 'private, no-store');
    const now = app.clock.now().getTime();
    if (!req.user) {
      // The limiter gave a browser without a cookie its reader now: that one is unproven.
      const standing = req.readerStanding();
      const cookie = standing.kind === 'anonymous' ? readReaderCookie(app.secret, req.cookies[READER_COOKIE]) : null;
      const readerId = readerIdOf(req, app.secret);
      const token = readToken(app.secret, req.body.check, ad.id, cookie ? cookie.id : null, now);
      const verdict = phoneVerdict({ token, cookieIssuedAt: cookie ? cookie.issuedAt : null, json, nowMs: now });
      if (verdict.kind === 'refuse') throw new DomainError(verdict.code, {}, 403);
      if (verdict.kind === 'check') {
        // A genuine check token pressed too soon is handed back as it is: a new one would restart the wait.
        const check = token?.kind === 'reader' && token.bound ? req.body.check! : checkToken(app.secret, ad.id, readerId!, now);
        if (json) return reply.type('application/json').send(JSON.stringify({ check, wait: verdict.waitMs }));
        const { cat, view } = await adView(req, ad.id);
        return app.pages.send(req, reply, <AdPage ctx={app.pages.context(req)} cat={cat} view={{ ...view, phone: { check, again: true } }} />);
      }
      await anonymousRevealLimit(req, reply);
    }
    await svc.readers.reveal(ad.id, readerKey(req, app.secret)!, ipHash(app.secret, req.ip));
    await svc.leads.bump(ad, 'reveals');
    const phone = showPhone(ad.phone);
    if (json) return reply.type('application/json').send(JSON.stringify({ phone }));
    const { cat, view } = await adView(req, ad.id);
    return app.pages.send(req, reply, <AdPage ctx={app.pages.context(req)} cat={cat} view={{ ...view, phone: { shown: phone } }} />);
  });

  app.post('/ads/item/:id/favourite', { config: { roles: SIGNED_IN, csrf: 'origin', rateLimit: { max: 60, timeWindow: '1 minute' } }, schema: { tags, summary: '«В избранное» (on=1) or out of it (on=0)', params: IdParams, body: Type.Object({ on: Type.Optional(Type.String({ maxLength: 1 })), back: Type.Optional(Type.String({ maxLength: 300 })) }), response: { 303: redirect('To my favourites') } } }, async (req, reply) => {
    const ad = await svc.ads.byId(req.params.id);
    if (!ad || (ad.status !== 'active' && req.body.on !== '0')) throw new DomainError('ad.not_found', {}, 404);
    const added = await svc.readers.favourite(req.user!.id, ad, req.body.on !== '0');
    if (added) await svc.leads.bump(ad, 'favourites');
    return reply.redirect('/ads/my/favourites', 303);
  });

  const reportPage = async (req: FastifyRequest, reply: FastifyReply, id: number, extra: { error?: string; done?: boolean } = {}) => {
    const ad = await svc.ads.byId(id);
    if (!ad || ad.status !== 'active') throw new DomainError('ad.not_found', {}, 404);
    return app.pages.send(req, reply, <ReportPage ctx={app.pages.context(req)} ad={ad} reasons={REPORT_REASONS} {...extra} />, { status: reply.statusCode });
  };
  app.get('/ads/item/:id/report', { schema: { tags, summary: '«Пожаловаться»: the report form', params: IdParams, response: { 200: html('The form') } } }, (req, reply) => reportPage(req, reply, req.params.id));
  const reportLimit = limiter(app, 'ads.report', [
    { per: 'reader', max: 10, window: DAY },
    { per: 'ip', max: 30, window: DAY },
  ]);
  app.post('/ads/item/:id/report', { config: { csrf: 'origin' }, preHandler: reportLimit, schema: { tags, summary: 'Report an ad to the moderators (one report per reader and reason)', params: IdParams, body: Type.Object({ reason: Type.String({ maxLength: 20 }), text: Type.Optional(Type.String({ maxLength: 1000 })) }), response: pageResponses({ 200: html('Thanks'), 409: html('Already reported') }) } }, async (req, reply) => {
    try {
      await app.moderation.report({ kind: 'ad', id: req.params.id, reader: req.reader(reply), reason: req.body.reason as ReportReason, text: req.body.text });
      return reportPage(req, reply, req.params.id, { done: true });
    } catch (err) {
      if (!(err instanceof DomainError) || err.statusCode === 404) throw err;
      return reportPage(req, reply.status(err.statusCode), req.params.id, { error: domainMessage(req.i18n, err) });
    }
  });

  await app.register(sellerRoutes, { svc });
  await app.register(shopRoutes, { svc, listing });
  await app.register(adminRoutes, { svc });
}

export type Listing = (req: FastifyRequest, f: Filters, base: string) => Promise<ListingView>;
export type { Catalogue };

export default fp(classifiedsModule, { name: 'classifieds', dependencies: ['accounts', 'organisations', 'moderation', 'notifications', 'newsroom', 'messages'], decorators: { fastify: ['subjects', 'pageCache', 'memo', 'media', 'messages'] } });
