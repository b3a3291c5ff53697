// Storefronts and statistics. Every storefront route checks the account's role in
// THAT storefront (organisations' (user, organisation, role) grants) on the server:
// a manager of one storefront gets «not found» for everything of another. Owners
// manage members and invites; managers edit the storefront, post and see its
// statistics; members only answer its messages (the messages module's inbox).
import fp from 'fastify-plugin';
import multipart from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import { DomainError, HttpError } from '../../platform/errors.js';
import { readUpload } from '../media/index.js';
import { domainMessage } from '../../platform/i18n/index.js';
import { html, pageResponses, redirect } from '../../platform/openapi.js';
import { hasRole } from '../../platform/roles.js';
import type { OrganisationRole } from '../organisations/index.js';
import { parseFilters } from './finding.js';
import type { Grouping, Scope } from './leads.js';
import { dayOf } from './leads.js';
import { adPath, shopPath } from './paths.js';
import type { Listing } from './routes.js';
import { ListQuery, SIGNED_IN, tags } from './routes.js';
import type { Classifieds } from './service.js';
import { ADS_STAFF } from './staff.js';
import type { Storefront } from './storefronts.js';
import { ShopPage } from './views/pages.js';
import { InvitePage, ManagePage, NewShopPage, type ManageView } from './views/shop.js';
import { StatsPage, statsCsv, type StatsView } from './views/stats.js';
import { importFeed } from './feed.js';
import { CLASSIFIEDS_SETTINGS } from './settings.js';

const SlugParams = Type.Object({ slug: Type.String({ pattern: '^[a-z0-9-]{1,80}$' }) });
const Csrf = Type.Optional(Type.String({ maxLength: 200 }));
const StatsQuery = Type.Object({
  by: Type.Optional(Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')])),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })),
  format: Type.Optional(Type.Literal('csv')),
  shop: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
  ad: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
});
const ShopForm = Type.Object({ _csrf: Csrf, description: Type.Optional(Type.String({ maxLength: 5000 })), address: Type.Optional(Type.String({ maxLength: 500 })), hours: Type.Optional(Type.String({ maxLength: 500 })), phone: Type.Optional(Type.String({ maxLength: 40 })), inn: Type.Optional(Type.String({ maxLength: 20 })) });
const RANK: Record<OrganisationRole, number> = { member: 0, manager: 1, owner: 2 };
const limits = { write: { max: 30, timeWindow: '10 minutes' } };
/** A logo is shown at most 96 px wide: 2 MB is plenty. */
export const LOGO_MAX_BYTES = 2 * 1048576;

async function shopRoutes(app: App, { svc, listing }: { svc: Classifieds; listing: Listing }) {
  async function shopOr404(slug: string): Promise<Storefront> {
    const shop = await svc.storefronts.bySlug(slug);
    if (!shop) throw new DomainError('storefront.not_found', {}, 404);
    return shop;
  }
  /** The storefront, when the account holds at least `role` in it (staff may look at every one); else «not found». */
  async function shopFor(req: FastifyRequest, slug: string, role: OrganisationRole): Promise<{ shop: Storefront; role: OrganisationRole | 'staff' }> {
    const shop = await shopOr404(slug);
    const held = await app.organisations.roleOf(shop.id, req.user!.id);
    if (held && RANK[held] >= RANK[role]) return { shop, role: held };
    if (hasRole(req.user, ADS_STAFF) && role !== 'owner') return { shop, role: 'staff' };
    throw new DomainError('storefront.not_found', {}, 404);
  }

  app.get('/ads/shop/:slug/', { config: { pageCache: true }, schema: { tags, summary: 'A storefront: name, logo, description, address, hours, verified mark, its active ads with the filters', params: SlugParams, querystring: ListQuery, response: { 200: html('The storefront') } } }, async (req, reply) => {
    const shop = await shopOr404(req.params.slug);
    const cat = await svc.catalogue();
    const f = { ...parseFilters(cat, null, req.query), organisationId: shop.id };
    const [view, logo] = await Promise.all([listing(req, f, shopPath(shop.slug)), shop.logoId ? app.media.get([shop.logoId]) : null]);
    return app.pages.send(req, reply, <ShopPage ctx={app.pages.context(req)} cat={cat} shop={shop} logo={logo?.get(shop.logoId!) ?? null} view={view} />, { tags: ['ads', `ads-shop:${shop.id}`] });
  });

  // ---------- creating, managing ----------

  app.get('/ads/shops/new', { config: { roles: SIGNED_IN }, schema: { tags, summary: 'The form to open a storefront (for my business, or for one I run as an operator)', response: { 200: html('The form') } } }, async (req, reply) => app.pages.send(req, reply, <NewShopPage ctx={app.pages.context(req)} csrf={req.csrfToken()} />));
  app.post('/ads/shops/new', { config: { roles: SIGNED_IN, rateLimit: { max: 5, timeWindow: '1 hour' } }, schema: { tags, summary: 'Open a storefront; its creator is the owner until the hand-over', body: Type.Object({ _csrf: Csrf, name: Type.String({ maxLength: 200 }), slug: Type.String({ maxLength: 100 }), description: Type.Optional(Type.String({ maxLength: 5000 })), address: Type.Optional(Type.String({ maxLength: 500 })), hours: Type.Optional(Type.String({ maxLength: 500 })), phone: Type.Optional(Type.String({ maxLength: 40 })), inn: Type.Optional(Type.String({ maxLength: 20 })) }), response: pageResponses({ 303: redirect('To its management page'), 400: html('Refused: the form again') }) } }, async (req, reply) => {
    try {
      const shop = await svc.storefronts.create({ ...req.body, phone: req.body.phone || null, inn: req.body.inn || null }, req.user!.id);
      return reply.redirect(`${shopPath(shop.slug)}manage`, 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const { _csrf, ...values } = req.body;
      return app.pages.send(req, reply.status(err.statusCode), <NewShopPage ctx={app.pages.context(req)} csrf={req.csrfToken()} error={domainMessage(req.i18n, err)} values={values as Record<string, string>} />, { status: err.statusCode });
    }
  });

  async function manageView(shop: Storefront, role: 'owner' | 'manager', inviteLink?: string): Promise<ManageView> {
    const members = await app.organisations.members(shop.id);
    const names = await app.accounts.displayNames(members.map((m) => m.user_id));
    const [feed, feedEveryHours, logo] = await Promise.all([svc.feeds.get(shop.id), app.settings.get(CLASSIFIEDS_SETTINGS.feedEveryHours), shop.logoId ? app.media.get([shop.logoId]) : null]);
    return { shop, role, members: members.map((m) => ({ userId: m.user_id, name: names.get(m.user_id) ?? '—', role: m.role })), invites: role === 'owner' ? await svc.storefronts.invites(shop.id) : [], inviteLink, feed, feedEveryHours, logo: logo?.get(shop.logoId!) ?? null };
  }
  const managePage = async (req: FastifyRequest, reply: FastifyReply, shop: Storefront, role: OrganisationRole | 'staff', extra: { error?: string; notice?: string; inviteLink?: string } = {}) => {
    reply.header('cache-control', 'private, no-store');
    return app.pages.send(req, reply, <ManagePage ctx={app.pages.context(req)} csrf={req.csrfToken()} view={await manageView(shop, role === 'owner' ? 'owner' : 'manager', extra.inviteLink)} error={extra.error} notice={extra.notice} />, { status: reply.statusCode });
  };

  app.get('/ads/shop/:slug/manage', { config: { roles: SIGNED_IN }, schema: { tags, summary: 'Manage a storefront (its managers; owners also members and invites)', params: SlugParams, response: { 200: html('The page') } } }, async (req, reply) => {
    const { shop, role } = await shopFor(req, req.params.slug, 'manager');
    return managePage(req, reply, shop, role);
  });
  app.post('/ads/shop/:slug/manage', { config: { roles: SIGNED_IN, rateLimit: limits.write }, schema: { tags, summary: 'Save a storefront’s profile (its managers)', params: SlugParams, body: ShopForm, response: pageResponses({ 200: html('Saved'), 400: html('Refused') }) } }, async (req, reply) => {
    const { shop, role } = await shopFor(req, req.params.slug, 'manager');
    try {
      const saved = await svc.storefronts.update(shop.id, { description: req.body.description, address: req.body.address, hours: req.body.hours, phone: req.body.phone ?? null, inn: req.body.inn ?? null });
      await app.pageCache.purge([`ads-shop:${shop.id}`, 'ads']);
      return managePage(req, reply, saved, role, { notice: req.i18n.t('ads.saved') });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return managePage(req, reply.status(err.statusCode), shop, role, { error: domainMessage(req.i18n, err) });
    }
  });
  // ---------- the logo: through media (EXIF stripped, resized variants), replaced or removed ----------

  const logoChanged = async (shop: Storefront, old: number | null) => {
    // The old picture belongs to nobody else: it leaves the disk at once.
    if (old !== null) await app.media.remove([old]);
    await app.pageCache.purge([`ads-shop:${shop.id}`, 'ads']);
  };
  await app.register(async (scope: App) => {
    if (!scope.hasContentTypeParser('multipart/form-data')) await scope.register(multipart, { limits: { fileSize: Math.max(LOGO_MAX_BYTES + 1, app.config.maxUploadBytes), files: 1, fields: 5 } });
    // A multipart body is read in the handler, after the CSRF check: the same-origin proof stands for the token.
    scope.post('/ads/shop/:slug/logo', { config: { roles: SIGNED_IN, csrf: 'origin', rateLimit: limits.write }, schema: { tags, summary: 'Upload or replace the storefront’s logo (its managers; multipart, one image up to 2 MB)', params: SlugParams, consumes: ['multipart/form-data'], response: pageResponses({ 200: html('Saved'), 400: html('No file'), 413: html('Too large'), 415: html('Not an image') }) } }, async (req, reply) => {
      const { shop, role } = await shopFor(req, req.params.slug, 'manager');
      try {
        const bytes = await readUpload(req, LOGO_MAX_BYTES);
        if (!bytes) throw new DomainError('storefront.logo_missing', {}, 400);
        if (bytes.length > LOGO_MAX_BYTES) throw new DomainError('storefront.logo_too_large', { mb: LOGO_MAX_BYTES / 1048576 }, 413);
        const image = await app.media.store(bytes, { alt: shop.name, createdBy: req.user!.id });
        const saved = await svc.storefronts.update(shop.id, { logoId: image.id });
        await logoChanged(saved, shop.logoId);
        return managePage(req, reply, saved, role, { notice: req.i18n.t('ads.logoSaved') });
      } catch (err) {
        if (!(err instanceof DomainError) && !(err instanceof HttpError)) throw err;
        if (err.statusCode >= 500) throw err;
        const message = err instanceof DomainError ? domainMessage(req.i18n, err) : err.message;
        return managePage(req, reply.status(err.statusCode), shop, role, { error: message });
      }
    });
  });
  app.post('/ads/shop/:slug/logo/remove', { config: { roles: SIGNED_IN, rateLimit: limits.write }, schema: { tags, summary: 'Remove the storefront’s logo (its managers)', params: SlugParams, body: Type.Object({ _csrf: Csrf }), response: { 200: html('Removed') } } }, async (req, reply) => {
    const { shop, role } = await shopFor(req, req.params.slug, 'manager');
    const saved = await svc.storefronts.update(shop.id, { logoId: null });
    await logoChanged(saved, shop.logoId);
    return managePage(req, reply, saved, role, { notice: req.i18n.t('ads.logoRemoved') });
  });

  app.post('/ads/shop/:slug/members', { config: { roles: SIGNED_IN, rateLimit: limits.write }, schema: { tags, summary: 'Change a member’s role or remove them (owners)', params: SlugParams, body: Type.Object({ _csrf: Csrf, user: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }), role: Type.Union(['owner', 'manager', 'member', 'remove'].map((r) => Type.Literal(r))) }), response: pageResponses({ 303: redirect('Back'), 409: html('Refused') }) } }, async (req, reply) => {
    const { shop, role } = await shopFor(req, req.params.slug, 'owner');
    try {
      if (req.body.role === 'remove') await app.organisations.remove(shop.id, req.body.user);
      else await app.organisations.setRole(shop.id, req.body.user, req.body.role);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return managePage(req, reply.status(err.statusCode), shop, role, { error: domainMessage(req.i18n, err) });
    }
    return reply.redirect(`${shopPath(shop.slug)}manage`, 303);
  });
  app.post('/ads/shop/:slug/invite', { config: { roles: SIGNED_IN, rateLimit: limits.write }, schema: { tags, summary: 'Invite by e-mail (owners); the invite expires in a week', params: SlugParams, body: Type.Object({ _csrf: Csrf, email: Type.String({ maxLength: 250 }), role: Type.Union(['owner', 'manager', 'member'].map((r) => Type.Literal(r))) }), response: pageResponses({ 200: html('Sent'), 400: html('Refused') }) } }, async (req, reply) => {
    const { shop, role } = await shopFor(req, req.params.slug, 'owner');
    try {
      const { token } = await svc.storefronts.invite(shop.id, req.body.email, req.body.role as OrganisationRole, req.user!.id);
      const link = `${app.config.publicUrl}/ads/invite/${token}`;
      await app.mailer.send({ to: req.body.email.trim(), subject: req.i18n.t('ads.inviteMailSubject', { name: shop.name }), text: req.i18n.t('ads.inviteMailText', { name: shop.name, link }) });
      return managePage(req, reply, shop, role, { inviteLink: link });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return managePage(req, reply.status(err.statusCode), shop, role, { error: domainMessage(req.i18n, err) });
    }
  });
  const TokenParams = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{10,40}$' }) });
  app.get('/ads/invite/:token', { config: { roles: SIGNED_IN }, schema: { tags, summary: 'An invite to a storefront: accept it', params: TokenParams, response: { 200: html('The invite') } } }, async (req, reply) => {
    const inv = await svc.storefronts.inviteByToken(req.params.token);
    const shop = inv ? await svc.storefronts.get(inv.organisation_id) : null;
    if (!inv || !shop || inv.accepted_at) throw new DomainError('storefront.invite_invalid', {}, 404);
    reply.header('cache-control', 'private, no-store');
    return app.pages.send(req, reply, <InvitePage ctx={app.pages.context(req)} csrf={req.csrfToken()} shopName={shop.name} role={inv.role} />);
  });
  app.post('/ads/invite/:token', { config: { roles: SIGNED_IN, rateLimit: limits.write }, schema: { tags, summary: 'Accept an invite (the account’s e-mail must be the invited one); an owner’s invite is the hand-over', params: TokenParams, body: Type.Object({ _csrf: Csrf }), response: { 303: redirect('To my ads of the storefront') } } }, async (req, reply) => {
    const id = await svc.storefronts.accept(req.params.token, req.user!);
    return reply.redirect(`/ads/my/?shop=${id}`, 303);
  });

  app.post('/ads/shop/:slug/feed', { config: { roles: SIGNED_IN, rateLimit: { max: 5, timeWindow: '10 minutes' } }, schema: { tags, summary: 'Set the storefront’s XML feed (Autoload-style) and import it now; the report lists what was refused', params: SlugParams, body: Type.Object({ _csrf: Csrf, url: Type.String({ maxLength: 500 }) }), response: pageResponses({ 200: html('The report'), 400: html('Refused') }) } }, async (req, reply) => {
    const { shop, role } = await shopFor(req, req.params.slug, 'manager');
    try {
      await svc.feeds.set(shop.id, req.body.url, req.user!.id);
      await importFeed(app, svc, shop.id, req.user!);
      return managePage(req, reply, (await svc.storefronts.get(shop.id))!, role, { notice: req.i18n.t('ads.feedDone') });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return managePage(req, reply.status(err.statusCode), shop, role, { error: domainMessage(req.i18n, err) });
    }
  });

  // ---------- statistics ----------

  async function statsView(req: FastifyRequest, scope: Scope, title: string, base: string, organisationIds: number[]): Promise<StatsView> {
    const grouping: Grouping = req.query && (req.query as { by?: Grouping }).by ? (req.query as { by: Grouping }).by : 'day';
    const days = (req.query as { days?: number }).days ?? 30;
    const [series, perAdRows, members, last, cat] = await Promise.all([svc.leads.series(scope, days, grouping), svc.leads.perAd(scope, days), svc.leads.perMember(organisationIds, days), svc.leads.lastLead(organisationIds), svc.catalogue()]);
    const ads = new Map((await svc.finding.cardsByIds(perAdRows.map((r) => r.ad_id))).map((a) => [a.id, a]));
    const names = await app.accounts.displayNames(members.map((m) => m.user_id));
    const shops = await svc.storefronts.byIds(organisationIds);
    const cutoff = dayOf(new Date(app.clock.now().getTime() - 30 * 86_400_000));
    return {
      title,
      base,
      grouping,
      days,
      series,
      perAd: perAdRows.map((r) => {
        const ad = ads.get(r.ad_id);
        const c = ad ? cat.byId.get(ad.category_id) : undefined;
        return { ...r, title: ad?.title ?? `№${r.ad_id}`, url: ad && c ? adPath(c, ad.id) : '#' };
      }),
      perMember: members.map((m) => ({ name: names.get(m.user_id) ?? '—', shop: shops.get(m.organisation_id)?.name ?? '', answers: Number(m.answers), meanMs: Number(m.mean_ms) })),
      shops: organisationIds.length > 1 ? organisationIds.map((id) => ({ name: shops.get(id)?.name ?? '', href: `/ads/my/stats?shop=${id}`, lastLead: last.get(id) ?? null, quiet: !last.get(id) || last.get(id)! < cutoff })) : [],
    };
  }
  const sendStats = (req: FastifyRequest, reply: FastifyReply, view: StatsView, format?: string) => {
    reply.header('cache-control', 'private, no-store');
    if (format === 'csv') return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="stats.csv"').send(statsCsv(view));
    return app.pages.send(req, reply, <StatsPage ctx={app.pages.context(req)} view={view} />);
  };

  app.get('/ads/shop/:slug/stats', { config: { roles: SIGNED_IN }, schema: { tags, summary: '«Статистика» of a storefront (its managers): views, unique viewers, reveals, conversations, favourites per day/week/month; per ad and member; CSV', params: SlugParams, querystring: StatsQuery, response: { 200: html('The statistics (CSV with format=csv)') } } }, async (req, reply) => {
    const { shop } = await shopFor(req, req.params.slug, 'manager');
    const view = await statsView(req, { organisationIds: [shop.id] }, req.i18n.t('ads.statsOf', { name: shop.name }), `${shopPath(shop.slug)}stats`, [shop.id]);
    return sendStats(req, reply, view, req.query.format);
  });

  app.get('/ads/my/stats', { config: { roles: SIGNED_IN }, schema: { tags, summary: '«Статистика»: my private ads, one ad (?ad=), one of my storefronts (?shop=) or all of them (an operator: which had no lead in 30 days)', querystring: StatsQuery, response: { 200: html('The statistics (CSV with format=csv)') } } }, async (req, reply) => {
    const mine = (await app.organisations.ofUser(req.user!.id)).filter((o) => o.role !== 'member');
    const ids = mine.map((o) => o.id);
    let view: StatsView;
    if (req.query.ad) {
      const ad = await svc.ads.managed(req.user!, req.query.ad);
      view = await statsView(req, { adIds: [ad.id] }, req.i18n.t('ads.statsOf', { name: ad.title }), '/ads/my/stats', []);
    } else if (req.query.shop) {
      if (!ids.includes(req.query.shop)) throw new DomainError('storefront.not_found', {}, 404);
      const shop = mine.find((o) => o.id === req.query.shop)!;
      view = await statsView(req, { organisationIds: [shop.id] }, req.i18n.t('ads.statsOf', { name: shop.name }), '/ads/my/stats', [shop.id]);
    } else if (ids.length) {
      view = await statsView(req, { organisationIds: ids }, req.i18n.t('ads.statsOperator'), '/ads/my/stats', ids);
    } else {
      view = await statsView(req, { userId: req.user!.id }, req.i18n.t('ads.statsMine'), '/ads/my/stats', []);
    }
    view.switcher = mine.map((o) => ({ id: o.id, name: o.name }));
    return sendStats(req, reply, view, req.query.format);
  });

  app.get('/admin/ads/stats', { config: { roles: ADS_STAFF }, schema: { tags, summary: '«Статистика» of the whole classifieds (staff)', querystring: StatsQuery, response: { 200: html('The statistics (CSV with format=csv)') } } }, async (req, reply) => {
    const all = (await svc.storefronts.all()).map((s) => s.id);
    const view = await statsView(req, { all: true }, req.i18n.t('ads.statsAll'), '/admin/ads/stats', all);
    return sendStats(req, reply, view, req.query.format);
  });
}

export default fp(shopRoutes, { name: 'classifieds-shops' });
