// The seller's pages: post an ad (a no-JS multipart form with the photos as files,
// or JSON with photo ids from POST /api/ads/photos), edit, renew, close, «Мои
// объявления» with the storefront switcher and bulk actions across storefronts,
// favourites and saved searches.
import fp from 'fastify-plugin';
import multipart from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import { DomainError } from '../../platform/errors.js';
import { domainMessage } from '../../platform/i18n/index.js';
import { html, pageResponses, redirect, RowId } from '../../platform/openapi.js';
import { ipHash } from '../../platform/reader.js';
import { readUpload } from '../media/index.js';
import type { AdInput } from './ads.js';
import { differenceHash } from './photo-hash.js';
import { adPath } from './paths.js';
import type { Classifieds } from './service.js';
import { AdFormPage, ClosePage, emptyForm, formOf, type AdFormValues } from './views/forms.js';
import { FavouritesPage, MyAdsPage, SearchesPage } from './views/my.js';
import { SIGNED_IN, tags } from './routes.js';
import type { PageContext } from '../../web/context.js';
import { FormPage } from '../../web/components/forms.js';

const IdParams = Type.Object({ id: RowId() });
const Csrf = Type.Optional(Type.String({ maxLength: 200 }));
const FormQuery = Type.Object({ category: Type.Optional(RowId()), as: Type.Optional(Type.String({ pattern: '^(o:[0-9]{1,10})?$' })) });
const AdJson = Type.Object({
  categoryId: RowId(),
  title: Type.String({ maxLength: 2000 }),
  description: Type.String({ maxLength: 20_000 }),
  price: Type.Optional(Type.Union([Type.Null(), Type.Number({ minimum: -1e15, maximum: 1e15, description: "whole roubles, 0 to 10¹²" })])),
  negotiable: Type.Optional(Type.Boolean()),
  salaryFrom: Type.Optional(Type.Union([Type.Null(), Type.Number({ minimum: -1e15, maximum: 1e15, description: "whole roubles, 0 to 10¹²" })])),
  salaryTo: Type.Optional(Type.Union([Type.Null(), Type.Number({ minimum: -1e15, maximum: 1e15, description: "whole roubles, 0 to 10¹²" })])),
  districtId: Type.Optional(Type.Union([Type.Null(), RowId()])),
  phone: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 40 })])),
  fields: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.String({ maxLength: 1000 }), Type.Number({ minimum: -1e15, maximum: 1e15 }), Type.Boolean(), Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })]))),
  photos: Type.Optional(Type.Array(RowId(), { maxItems: 50 })),
  draft: Type.Optional(Type.Boolean()),
  organisationId: Type.Optional(Type.Union([Type.Null(), RowId()])),
});
const AdOut = Type.Object({ id: Type.Integer(), status: Type.String(), url: Type.String() });
const limits = { post: { max: 20, timeWindow: '10 minutes' }, edit: { max: 60, timeWindow: '10 minutes' }, photos: { max: 60, timeWindow: '10 minutes' } };

async function sellerRoutes(app: App, { svc }: { svc: Classifieds }) {
  const actor = (req: FastifyRequest, organisationId: number | null = null) => ({ user: req.user!, ipHash: ipHash(app.secret, req.ip), organisationId });
  const asOrg = (as: string | undefined) => (as && as.startsWith('o:') ? Number(as.slice(2)) : null);
  const managedShops = async (userId: number) => (await app.organisations.ofUser(userId)).filter((o) => o.role === 'owner' || o.role === 'manager');
  /** The form's «От чьего имени» value of a saved ad: its storefront, or the author. */
  const asOf = (ad: { organisation_id: number | null }) => (ad.organisation_id !== null ? `o:${ad.organisation_id}` : '');

  /** Stores one uploaded photo (media strips EXIF and makes the variants) with its fingerprint. */
  async function storePhoto(bytes: Buffer, userId: number): Promise<number> {
    const image = await app.media.store(bytes, { createdBy: userId });
    await svc.addUpload(image.id, userId, await differenceHash(bytes));
    return image.id;
  }

  /** The no-JS form's parts: its fields, and its files stored as photos (no more than the category allows). */
  async function readForm(req: FastifyRequest, maxPhotos: number): Promise<{ fields: Map<string, string[]>; photos: number[] }> {
    const fields = new Map<string, string[]>();
    const photos: number[] = [];
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        if (!bytes.length) continue;
        const kept = (fields.get('photo_id') ?? []).length;
        if (kept + photos.length + 1 > maxPhotos) throw new DomainError('ad.too_many_photos', { max: maxPhotos }, 400);
        photos.push(await storePhoto(bytes, req.user!.id));
      } else fields.set(part.fieldname, [...(fields.get(part.fieldname) ?? []), String(part.value)]);
    }
    return { fields, photos };
  }

  function inputOf(categoryId: number, form: Map<string, string[]>, uploaded: number[]): AdInput & { values: AdFormValues } {
    const one = (k: string) => form.get(k)?.[0] ?? '';
    const fields: Record<string, unknown> = {};
    for (const [k, v] of form) if (k.startsWith('field.')) fields[k.slice(6)] = v.length > 1 ? v : v[0];
    const photos = [...(form.get('photo_id') ?? []).map(Number).filter((n) => Number.isSafeInteger(n) && n > 0 && n < 2 ** 31), ...uploaded];
    const district = Number(one('district'));
    const values: AdFormValues = { categoryId, title: one('title'), description: one('description'), price: one('price'), negotiable: one('negotiable') === '1', salaryFrom: one('salary_from'), salaryTo: one('salary_to'), districtId: district > 0 ? district : null, phone: one('phone'), fields, photos };
    return { categoryId, title: values.title, description: values.description, price: values.price, negotiable: values.negotiable, salaryFrom: values.salaryFrom, salaryTo: values.salaryTo, districtId: values.districtId, phone: values.phone || null, fields, photos, draft: one('draft') === '1', values };
  }

  /** Multi-enum fields come as arrays even with one box ticked. */
  async function normaliseMulti(input: AdInput) {
    const c = (await svc.catalogue()).byId.get(input.categoryId);
    for (const f of c?.fields ?? []) if (f.type === 'multi' && typeof input.fields?.[f.code] === 'string') input.fields[f.code] = [input.fields[f.code]];
  }

  async function formPage(req: FastifyRequest, reply: FastifyReply, opts: { values: AdFormValues; action: string; title: string; as: string; error?: string; adId?: number; owner?: number | null }) {
    const cat = await svc.catalogue();
    const shops = await managedShops(req.user!.id);
    // A storefront's ad edited by staff who do not manage it: its storefront is still the one shown.
    if (opts.owner != null && !shops.some((s) => s.id === opts.owner)) {
      const shop = await svc.storefronts.get(opts.owner);
      if (shop) shops.push({ id: opts.owner, name: shop.name } as (typeof shops)[number]);
    }
    // The edit page also orders the ad's saved photos (and picks the cover).
    const saved = opts.adId !== undefined ? await svc.photosOf(opts.adId) : [];
    const images = saved.length ? await app.media.get(saved) : new Map();
    const photoOrder = opts.adId !== undefined ? { adId: opts.adId, photos: saved.flatMap((id) => images.get(id) ?? []) } : undefined;
    reply.header('cache-control', 'private, no-store');
    return app.pages.send(req, reply, <AdFormPage ctx={app.pages.context(req)} cat={cat} values={opts.values} action={opts.action} title={opts.title} error={opts.error} shops={shops} as={opts.as} csrf={req.csrfToken()} photoOrder={photoOrder} />, { status: reply.statusCode });
  }
  /** One saved photo off the ad; its image leaves media (and the disk) when no other ad shows it. */
  async function removePhoto(req: FastifyRequest, adId: number, imageId: number) {
    const { ad, orphan } = await svc.ads.removePhoto(req.user!, adId, imageId);
    if (orphan) await app.media.remove([imageId]);
    return ad;
  }
  const urlOf = async (ad: { id: number; category_id: number; status: string }) => {
    const c = (await svc.catalogue()).byId.get(ad.category_id)!;
    return ad.status === 'active' ? adPath(c, ad.id) : '/ads/my/';
  };

  // ---------- posting ----------

  app.get('/ads/new', { config: { roles: SIGNED_IN }, schema: { tags, summary: 'Post an ad: first the category, then its form', querystring: FormQuery, response: { 200: html('The form') } } }, (req, reply) => formPage(req, reply, { values: emptyForm(req.query.category ?? null), action: '/ads/new', title: req.i18n.t('ads.post'), as: req.query.as ?? '' }));

  await app.register(async (scope: App) => {
    if (!scope.hasContentTypeParser('multipart/form-data')) await scope.register(multipart, { limits: { fileSize: app.config.maxUploadBytes, files: 41, fields: 200 } });

    // A multipart body is read in the handler, after the CSRF check: the same-origin proof stands for the token.
    scope.post('/ads/new', { config: { roles: SIGNED_IN, csrf: 'origin', rateLimit: limits.post }, schema: { tags, summary: 'Post an ad (the no-JS multipart form: fields, photos as files)', querystring: FormQuery, consumes: ['multipart/form-data'], response: pageResponses({ 303: redirect('To the ad, or to my ads when it waits for moderation'), 400: html('Refused: the form again with the reason') }) } }, async (req, reply) => {
      const cat = await svc.catalogue();
      const category = req.query.category ? cat.byId.get(req.query.category) : undefined;
      if (!category || category.children.length) throw new DomainError('ad.unknown_category', {}, 400);
      if (!req.isMultipart()) throw new DomainError('ad.form_not_multipart', {}, 400);
      const { fields, photos } = await readForm(req, category.maxPhotos);
      const input = inputOf(category.id, fields, photos);
      await normaliseMulti(input);
      const as = fields.get('as')?.[0] ?? req.query.as ?? '';
      try {
        const ad = await svc.ads.create(actor(req, asOrg(as)), input);
        return reply.redirect(await urlOf(ad), 303);
      } catch (err) {
        if (!(err instanceof DomainError) || err.statusCode === 404) throw err;
        return formPage(req, reply.status(err.statusCode), { values: input.values, action: '/ads/new', title: req.i18n.t('ads.post'), as, error: domainMessage(req.i18n, err) });
      }
    });

    scope.post('/ads/item/:id/edit', { config: { roles: SIGNED_IN, csrf: 'origin', rateLimit: limits.edit }, schema: { tags, summary: 'Save an edited ad (the no-JS multipart form); an active ad may go back to moderation', params: IdParams, consumes: ['multipart/form-data'], response: pageResponses({ 303: redirect('To the ad'), 400: html('Refused: the form again with the reason') }) } }, async (req, reply) => {
      const before = await svc.ads.managed(req.user!, req.params.id);
      const category = (await svc.catalogue()).byId.get(before.category_id)!;
      if (!req.isMultipart()) throw new DomainError('ad.form_not_multipart', {}, 400);
      const { fields, photos } = await readForm(req, category.maxPhotos);
      const input = inputOf(category.id, fields, photos);
      await normaliseMulti(input);
      try {
        const ad = await svc.ads.update(actor(req), before.id, input);
        return reply.redirect(await urlOf(ad), 303);
      } catch (err) {
        if (!(err instanceof DomainError) || err.statusCode === 404) throw err;
        return formPage(req, reply.status(err.statusCode), { values: input.values, action: `/ads/item/${before.id}/edit`, title: req.i18n.t('ads.editTitle'), as: asOf(before), error: domainMessage(req.i18n, err), adId: before.id, owner: before.organisation_id });
      }
    });

    // A photo for the JSON API: stored by media (EXIF stripped, resized variants), then named in the ad's `photos`.
    scope.post('/api/ads/photos', { config: { roles: SIGNED_IN, rateLimit: limits.photos }, schema: { tags, summary: 'Upload a photo for an ad (multipart, one file): its id for the ad’s `photos`', consumes: ['multipart/form-data'], response: { 201: Type.Object({ id: Type.Integer() }) } } }, async (req, reply) => {
      const bytes = await readUpload(req, app.config.maxUploadBytes);
      if (!bytes) throw new DomainError('ad.photo_missing', {}, 400);
      return reply.status(201).send({ id: await storePhoto(bytes, req.user!.id) });
    });
  });

  app.post('/api/ads', { config: { roles: SIGNED_IN, rateLimit: limits.post }, schema: { tags, summary: 'Post an ad (JSON; photos are ids from POST /api/ads/photos)', body: AdJson, response: { 201: AdOut } } }, async (req, reply) => {
    const ad = await svc.ads.create(actor(req, req.body.organisationId ?? null), req.body);
    return reply.status(201).send({ id: ad.id, status: ad.status, url: await urlOf(ad) });
  });
  app.put('/api/ads/:id', { config: { roles: SIGNED_IN, rateLimit: limits.edit }, schema: { tags, summary: 'Edit an ad (JSON)', params: IdParams, body: AdJson, response: { 200: AdOut } } }, async (req) => {
    const ad = await svc.ads.update(actor(req), req.params.id, req.body);
    return { id: ad.id, status: ad.status, url: await urlOf(ad) };
  });

  app.get('/ads/item/:id/edit', { config: { roles: SIGNED_IN }, schema: { tags, summary: 'The form to edit my ad (or my storefront’s)', params: IdParams, response: { 200: html('The form') } } }, async (req, reply) => {
    const ad = await svc.ads.managed(req.user!, req.params.id);
    const category = (await svc.catalogue()).byId.get(ad.category_id)!;
    // «От чьего имени» shows whose the ad is (an edit never changes it: ads.update keeps the storefront).
    return formPage(req, reply, { values: formOf(ad, category, await svc.photosOf(ad.id)), action: `/ads/item/${ad.id}/edit`, title: req.i18n.t('ads.editTitle'), as: asOf(ad), adId: ad.id, owner: ad.organisation_id });
  });

  // ---------- photos: order and cover (the first is the cover everywhere) ----------

  // Without JavaScript: one photo up, down, or to the front, then back to the edit page.
  app.post('/ads/item/:id/photos', { config: { roles: SIGNED_IN, rateLimit: limits.edit }, schema: { tags, summary: 'Move one photo of my ad up, down or to the front (the cover), or delete it; the no-JS buttons of the edit page', params: IdParams, body: Type.Object({ _csrf: Csrf, photo: Type.String({ pattern: '^[0-9]{1,10}$' }), action: Type.Union([Type.Literal('up'), Type.Literal('down'), Type.Literal('cover'), Type.Literal('remove')]) }), response: pageResponses({ 303: redirect('Back to the edit page'), 400: html('Not a photo of the ad') }) } }, async (req, reply) => {
    if (req.body.action === 'remove') {
      await removePhoto(req, req.params.id, Number(req.body.photo));
      return reply.redirect(`/ads/item/${req.params.id}/edit#photos`, 303);
    }
    const ad = await svc.ads.managed(req.user!, req.params.id);
    const order = await svc.photosOf(ad.id);
    const i = order.indexOf(Number(req.body.photo));
    if (i < 0) throw new DomainError('ad.photo_order_bad', {}, 400);
    const j = req.body.action === 'cover' ? 0 : req.body.action === 'up' ? Math.max(0, i - 1) : Math.min(order.length - 1, i + 1);
    const [moved] = order.splice(i, 1);
    order.splice(j, 0, moved!);
    await svc.ads.reorderPhotos(req.user!, ad.id, order);
    return reply.redirect(`/ads/item/${ad.id}/edit#photos`, 303);
  });
  // The island's «Удалить»: one photo off the ad; the new order back.
  app.delete('/api/ads/:id/photos/:photo', { config: { roles: SIGNED_IN, rateLimit: limits.edit }, schema: { tags, summary: 'Delete one photo of my ad (its image too when no other ad shows it); the next one becomes the cover', params: Type.Object({ id: RowId(), photo: RowId() }), response: { 200: Type.Object({ order: Type.Array(Type.Integer()), cover: Type.Union([Type.Integer(), Type.Null()]) }) } } }, async (req) => {
    const ad = await removePhoto(req, req.params.id, req.params.photo);
    return { order: await svc.photosOf(ad.id), cover: ad.cover_id };
  });
  // The island: the whole new order at once.
  app.put('/api/ads/:id/photos', { config: { roles: SIGNED_IN, rateLimit: limits.edit }, schema: { tags, summary: 'The new order of my ad’s photos (every photo of the ad, once; the first is the cover)', params: IdParams, body: Type.Object({ order: Type.Array(RowId(), { maxItems: 50 }) }), response: { 200: Type.Object({ order: Type.Array(Type.Integer()), cover: Type.Union([Type.Integer(), Type.Null()]) }) } } }, async (req) => {
    const ad = await svc.ads.reorderPhotos(req.user!, req.params.id, req.body.order);
    return { order: await svc.photosOf(ad.id), cover: ad.cover_id };
  });

  app.post('/ads/item/:id/renew', { config: { roles: SIGNED_IN, rateLimit: limits.edit }, schema: { tags, summary: 'Renew an expired or closed ad for another lifetime', params: IdParams, body: Type.Object({ _csrf: Csrf }), response: { 303: redirect('To my ads') } } }, async (req, reply) => {
    await svc.ads.renew(req.user!, req.params.id);
    return reply.redirect('/ads/my/', 303);
  });

  app.get('/ads/item/:id/close', { config: { roles: SIGNED_IN }, schema: { tags, summary: 'Close an ad: sold or not?', params: IdParams, response: { 200: html('The question') } } }, async (req, reply) => {
    const ad = await svc.ads.managed(req.user!, req.params.id);
    return app.pages.send(req, reply, <ClosePage ctx={app.pages.context(req)} ad={ad} csrf={req.csrfToken()} />);
  });
  app.post('/ads/item/:id/close', { config: { roles: SIGNED_IN, rateLimit: limits.edit }, schema: { tags, summary: 'Close an ad (sold or not sold)', params: IdParams, body: Type.Object({ _csrf: Csrf, outcome: Type.Union([Type.Literal('sold'), Type.Literal('not_sold')]) }), response: { 303: redirect('To my ads') } } }, async (req, reply) => {
    await svc.ads.close(req.user!, req.params.id, req.body.outcome);
    return reply.redirect('/ads/my/', 303);
  });

  // ---------- my ads, the switcher, bulk actions ----------

  app.get('/ads/my/', { config: { roles: SIGNED_IN }, schema: { tags, summary: '«Мои объявления»: my own, one storefront’s (?shop=<id>) or every storefront I manage (?shop=all)', querystring: Type.Object({ shop: Type.Optional(Type.String({ pattern: '^(all|[0-9]{1,10})?$' })) }), response: { 200: html('The list') } } }, async (req, reply) => {
    const shops = await managedShops(req.user!.id);
    const current = req.query.shop ?? '';
    let ads;
    if (current === 'all') ads = await svc.finding.mine({ organisationIds: shops.map((s) => s.id) }, 500);
    else if (current) {
      // Only a storefront I manage: another's is «not found».
      if (!shops.some((s) => String(s.id) === current)) throw new DomainError('storefront.not_found', {}, 404);
      ads = await svc.finding.mine({ organisationIds: [Number(current)] });
    } else ads = await svc.finding.mine({ userId: req.user!.id });
    reply.header('cache-control', 'private, no-store');
    return app.pages.send(req, reply, <MyAdsPage ctx={app.pages.context(req)} cat={await svc.catalogue()} ads={ads as never} switcher={{ current, shops }} csrf={req.csrfToken()} shopNames={new Map(shops.map((s) => [s.id, s.name]))} />);
  });
  app.get('/ads/my', { schema: { tags, summary: 'My ads (to /ads/my/)', response: { 301: redirect('To /ads/my/') } } }, async (_req, reply) => reply.redirect('/ads/my/', 301));

  app.post('/ads/my/bulk', { config: { roles: SIGNED_IN, rateLimit: limits.edit }, schema: { tags, summary: 'Renew or close many ads at once, across the storefronts I manage (each ad checked)', body: Type.Object({ _csrf: Csrf, back: Type.Optional(Type.String({ maxLength: 100, pattern: '^/ads/my/' })), action: Type.Union([Type.Literal('renew'), Type.Literal('close')]), ids: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9]{1,10}$' }), Type.Array(Type.String({ pattern: '^[0-9]{1,10}$' }), { maxItems: 500 })])) }), response: { 303: redirect('Back to the list') } } }, async (req, reply) => {
    const ids = (Array.isArray(req.body.ids) ? req.body.ids : req.body.ids ? [req.body.ids] : []).map(Number).filter((n) => n < 2 ** 31);
    // Each ad is checked as if it were alone: one not mine is refused with nothing of the others changed before it.
    for (const id of ids) await svc.ads.managed(req.user!, id);
    for (const id of ids) {
      const ad = await svc.ads.byId(id);
      if (!ad) continue;
      if (req.body.action === 'renew' && (ad.status === 'expired' || ad.status === 'closed' || ad.status === 'active')) await svc.ads.renew(req.user!, id);
      if (req.body.action === 'close' && ad.status !== 'closed' && ad.status !== 'blocked') await svc.ads.close(req.user!, id, 'not_sold');
    }
    return reply.redirect(req.body.back ?? '/ads/my/', 303);
  });

  app.get('/ads/my/favourites', { config: { roles: SIGNED_IN }, schema: { tags, summary: 'My favourite ads', response: { 200: html('The list') } } }, async (req, reply) => {
    const favs = await svc.readers.favourites(req.user!.id);
    const cards = new Map((await svc.finding.cardsByIds(favs.map((f) => f.ad_id))).map((c) => [c.id, c]));
    const ads = favs.flatMap((f) => (cards.get(f.ad_id) ? [{ ...cards.get(f.ad_id)!, savedPrice: f.price }] : []));
    reply.header('cache-control', 'private, no-store');
    return app.pages.send(req, reply, <FavouritesPage ctx={app.pages.context(req)} cat={await svc.catalogue()} ads={ads} csrf={req.csrfToken()} />);
  });

  app.get('/ads/my/searches', { config: { roles: SIGNED_IN }, schema: { tags, summary: 'My saved searches (their new ads come as notifications)', response: { 200: html('The list') } } }, async (req, reply) => {
    reply.header('cache-control', 'private, no-store');
    return app.pages.send(req, reply, <SearchesPage ctx={app.pages.context(req)} searches={await svc.readers.searches(req.user!.id)} csrf={req.csrfToken()} />);
  });
  app.post('/ads/searches', { config: { roles: SIGNED_IN, csrf: 'origin', rateLimit: limits.edit }, schema: { tags, summary: 'Save the search of a list page (its address with the filters)', body: Type.Object({ query: Type.String({ maxLength: 1000 }), label: Type.Optional(Type.String({ maxLength: 200 })) }), response: { 303: redirect('To my saved searches') } } }, async (req, reply) => {
    const url = new URL(req.body.query, 'http://x');
    const slug = url.pathname.split('/')[2] ?? '';
    const c = (await svc.catalogue()).bySlug.get(slug);
    const label = req.body.label ?? [c?.title ?? req.i18n.t('ads.search'), url.searchParams.get('q')].filter(Boolean).join(': ');
    await svc.readers.saveSearch(req.user!.id, url.pathname + url.search, label);
    return reply.redirect('/ads/my/searches', 303);
  });
  app.post('/ads/searches/:id/delete', { config: { roles: SIGNED_IN, rateLimit: limits.edit }, schema: { tags, summary: 'Forget a saved search', params: IdParams, body: Type.Object({ _csrf: Csrf }), response: { 303: redirect('To my saved searches') } } }, async (req, reply) => {
    await svc.readers.removeSearch(req.user!.id, req.params.id);
    return reply.redirect('/ads/my/searches', 303);
  });
  // One click from the alert's mail, no sign-in: the token is the proof.
  app.get('/ads/unsubscribe/:token', { schema: { tags, summary: 'Stop a saved search’s alerts (the link in its mail)', params: Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{10,40}$' }) }), response: { 200: html('Done') } } }, async (req, reply) => {
    const done = await svc.readers.unsubscribe(req.params.token);
    reply.header('cache-control', 'private, no-store');
    return app.pages.send(req, reply, <AdsNotice ctx={app.pages.context(req)} text={req.i18n.t(done ? 'ads.unsubscribed' : 'ads.unsubscribedAlready')} />);
  });
}

function AdsNotice({ ctx, text }: { ctx: PageContext; text: string }) {
  return <FormPage ctx={ctx} title={ctx.i18n.t('ads.title')} notice={text} />;
}

export default fp(sellerRoutes, { name: 'classifieds-seller' });
