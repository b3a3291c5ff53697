// The back office's classifieds (/admin/ads): categories and fields, districts,
// storefront verification, promotion. Moderators, editors and admins; every change goes to
// the audit log and purges what shows it.
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import { DomainError } from '../../platform/errors.js';
import { domainMessage } from '../../platform/i18n/index.js';
import { html, pageResponses, redirect, RowId } from '../../platform/openapi.js';
import { adminNav } from '../../web/admin.js';
import { CATALOGUE_TAG, type Classifieds } from './service.js';
import { FIELD_TYPES, type FieldType } from './schema.js';
import { ADS_STAFF } from './staff.js';
import { tags } from './routes.js';
import { AdsAdmin } from './views/admin.js';

const Csrf = Type.Optional(Type.String({ maxLength: 200 }));
const IdParams = Type.Object({ id: RowId() });
const Flag = Type.Optional(Type.String({ maxLength: 1 }));
const NumText = Type.Optional(Type.String({ maxLength: 20, pattern: '^(-?[0-9]{1,13}([.][0-9]{1,4})?)?$' }));
const Done = Type.Object({ saved: Type.Optional(Type.String({ maxLength: 5 })) });

async function adminRoutes(app: App, { svc }: { svc: Classifieds }) {
  app.admin.add({ href: '/admin/ads', label: (req) => req.i18n.t('ads.admin.title'), roles: ADS_STAFF, order: 47, badge: () => svc.ads.heldCount() });
  const catalogueChanged = () => app.pageCache.purge([CATALOGUE_TAG, 'ads', '*']);

  async function page(req: FastifyRequest, reply: FastifyReply, extra: { notice?: string; error?: string } = {}) {
    const [nav, cat, shops, held] = await Promise.all([adminNav(req, app.admin), svc.catalogue(), svc.storefronts.all(), svc.ads.heldCount()]);
    return app.pages.send(req, reply, <AdsAdmin ctx={app.pages.context(req)} nav={nav} cat={cat} shops={shops} csrf={req.csrfToken()} held={held} {...extra} />, { status: reply.statusCode });
  }
  /** A write of the back office: done → back with «Сохранено»; refused → the page with the reason. */
  async function write(req: FastifyRequest, reply: FastifyReply, run: () => Promise<void>) {
    try {
      await run();
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return page(req, reply.status(err.statusCode), { error: domainMessage(req.i18n, err) });
    }
    return reply.redirect('/admin/ads?saved=1', 303);
  }

  app.get('/admin/ads', { config: { roles: ADS_STAFF }, schema: { tags, summary: 'The classifieds’ back office: categories and fields, storefronts to verify, promotion', querystring: Done, response: { 200: html('The page') } } }, (req, reply) => page(req, reply, req.query.saved ? { notice: req.i18n.t('ads.saved') } : {}));

  app.post('/admin/ads/categories/:id', { config: { roles: ADS_STAFF }, schema: { tags, summary: 'Save a category’s title and limits (photos, lifetime, premoderation, verified businesses only)', params: IdParams, body: Type.Object({ _csrf: Csrf, title: Type.Optional(Type.String({ maxLength: 200 })), maxPhotos: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })), lifetimeDays: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })), premoderation: Flag, businessVerified: Flag }), response: pageResponses({ 303: redirect('Back'), 400: html('Refused') }) } }, (req, reply) =>
    write(req, reply, async () => {
      await svc.admin.updateCategory(req.params.id, { title: req.body.title, maxPhotos: req.body.maxPhotos ? Number(req.body.maxPhotos) : undefined, lifetimeDays: req.body.lifetimeDays ? Number(req.body.lifetimeDays) : undefined, premoderation: req.body.premoderation === '1', businessVerified: req.body.businessVerified === '1' });
      await app.newsroom.audit(req.user!.id, 'ads.category', 'ad_category', req.params.id, req.body.title ?? '');
      await catalogueChanged();
    }),
  );

  app.post('/admin/ads/categories/:id/fields', { config: { roles: ADS_STAFF }, schema: { tags, summary: 'Add a field to a leaf category (existing ads keep working: the field is optional for them)', params: IdParams, body: Type.Object({ _csrf: Csrf, code: Type.String({ maxLength: 60 }), label: Type.String({ maxLength: 200 }), type: Type.String({ maxLength: 20 }), unit: Type.Optional(Type.String({ maxLength: 40 })), options: Type.Optional(Type.String({ maxLength: 4000 })), min: NumText, max: NumText, required: Flag, searchable: Flag, rangeSearchable: Flag }), response: pageResponses({ 303: redirect('Back'), 400: html('Refused') }) } }, (req, reply) =>
    write(req, reply, async () => {
      const b = req.body;
      if (!(FIELD_TYPES as readonly string[]).includes(b.type)) throw new DomainError('ad.admin_bad_type', {}, 400);
      const options = (b.options ?? '').split(';').flatMap((pair) => {
        const [value, label] = pair.split('=').map((s) => s.trim());
        return value && label ? [{ value, label }] : [];
      });
      const id = await svc.admin.addField(req.params.id, { code: b.code.trim(), label: b.label, type: b.type as FieldType, unit: b.unit, options, min: b.min ? Number(b.min) : null, max: b.max ? Number(b.max) : null, required: b.required === '1', searchable: b.searchable === '1', rangeSearchable: b.rangeSearchable === '1' });
      await app.newsroom.audit(req.user!.id, 'ads.field_added', 'ad_field', id, `${b.code}: ${b.label}`);
      await catalogueChanged();
    }),
  );

  app.post('/admin/ads/fields/:id', { config: { roles: ADS_STAFF }, schema: { tags, summary: 'Retire a field (ads keep their value) or bring it back', params: IdParams, body: Type.Object({ _csrf: Csrf, retired: Type.Union([Type.Literal('0'), Type.Literal('1')]) }), response: pageResponses({ 303: redirect('Back'), 404: html('No such field') }) } }, (req, reply) =>
    write(req, reply, async () => {
      await svc.admin.updateField(req.params.id, { retired: req.body.retired === '1' });
      await app.newsroom.audit(req.user!.id, req.body.retired === '1' ? 'ads.field_retired' : 'ads.field_restored', 'ad_field', req.params.id);
      await catalogueChanged();
    }),
  );

  // ---------- districts: add, rename, move, archive (an archived one stays on the ads that name it) ----------

  app.post('/admin/ads/districts', { config: { roles: ADS_STAFF }, schema: { tags, summary: 'Add a district at the end of the list (its slug is its filter address and never changes)', body: Type.Object({ _csrf: Csrf, slug: Type.String({ maxLength: 100 }), title: Type.String({ maxLength: 200 }) }), response: pageResponses({ 303: redirect('Back'), 400: html('Refused'), 409: html('Taken') }) } }, (req, reply) =>
    write(req, reply, async () => {
      const id = await svc.admin.addDistrict(req.body);
      await app.newsroom.audit(req.user!.id, 'ads.district_added', 'ad_district', id, `${req.body.slug.trim()}: ${req.body.title.trim()}`);
      await catalogueChanged();
    }),
  );
  app.post('/admin/ads/districts/:id', { config: { roles: ADS_STAFF }, schema: { tags, summary: 'Change a district: rename (title), move (move=up|down), archive (archived=1) or bring back (archived=0); ads keep their district', params: IdParams, body: Type.Object({ _csrf: Csrf, title: Type.Optional(Type.String({ maxLength: 200 })), move: Type.Optional(Type.Union([Type.Literal('up'), Type.Literal('down')])), archived: Type.Optional(Type.Union([Type.Literal('0'), Type.Literal('1')])) }), response: pageResponses({ 303: redirect('Back'), 400: html('Refused'), 404: html('No such district') }) } }, (req, reply) =>
    write(req, reply, async () => {
      const { id } = req.params;
      const b = req.body;
      if (b.title !== undefined) {
        const { before, title } = await svc.admin.renameDistrict(id, b.title);
        await app.newsroom.audit(req.user!.id, 'ads.district_renamed', 'ad_district', id, `${before} → ${title}`);
      } else if (b.move) {
        const title = await svc.admin.moveDistrict(id, b.move === 'up' ? -1 : 1);
        await app.newsroom.audit(req.user!.id, 'ads.district_moved', 'ad_district', id, `${title} ${b.move === 'up' ? '↑' : '↓'}`);
      } else if (b.archived) {
        const title = await svc.admin.archiveDistrict(id, b.archived === '1');
        await app.newsroom.audit(req.user!.id, b.archived === '1' ? 'ads.district_archived' : 'ads.district_restored', 'ad_district', id, title);
      } else throw new DomainError('ad.admin_district_nothing', {}, 400);
      await catalogueChanged();
    }),
  );

  app.post('/admin/ads/storefronts/:id/verify', { config: { roles: ADS_STAFF }, schema: { tags, summary: 'Record staff’s check of a storefront’s INN (ok=1 verifies, ok=0 takes the mark away)', params: IdParams, body: Type.Object({ _csrf: Csrf, ok: Type.Union([Type.Literal('0'), Type.Literal('1')]), note: Type.Optional(Type.String({ maxLength: 500 })) }), response: pageResponses({ 303: redirect('Back'), 400: html('Refused') }) } }, (req, reply) =>
    write(req, reply, async () => {
      const sf = await svc.storefronts.verify(req.params.id, req.user!.id, req.body.ok === '1', req.body.note ?? '');
      await app.newsroom.audit(req.user!.id, req.body.ok === '1' ? 'ads.verified' : 'ads.unverified', 'organisation', sf.id, `${sf.name} ИНН ${sf.inn ?? '—'} ${req.body.note ?? ''}`.trim());
      await app.pageCache.purge(['ads', `ads-shop:${sf.id}`]);
    }),
  );

  app.post('/admin/ads/promote', { config: { roles: ADS_STAFF }, schema: { tags, summary: '«Выделено» for some days (0 ends it) and/or «Поднять» an active ad; logged in the audit log', body: Type.Object({ _csrf: Csrf, id: Type.String({ pattern: '^[1-9][0-9]{0,9}$' }), days: Type.Optional(Type.String({ pattern: '^[0-9]{0,2}$' })), raise: Flag }), response: pageResponses({ 303: redirect('Back'), 404: html('No such ad') }) } }, (req, reply) =>
    write(req, reply, async () => {
      const id = Number(req.body.id);
      if (id > 2_147_483_647) throw new DomainError('ad.not_found', {}, 404);
      const days = req.body.days ? Math.min(90, Number(req.body.days)) : null;
      const until = days === null ? undefined : days === 0 ? null : new Date(app.clock.now().getTime() + days * 86_400_000);
      const ad = await svc.ads.promote(id, { highlightUntil: until, raise: req.body.raise === '1' });
      await app.newsroom.audit(req.user!.id, 'ads.promoted', 'ad', ad.id, `${ad.title}${until ? ` · выделено до ${until.toISOString().slice(0, 10)}` : until === null ? ' · выделение снято' : ''}${req.body.raise === '1' ? ' · поднято' : ''}`);
    }),
  );
}

export default fp(adminRoutes, { name: 'classifieds-admin' });
