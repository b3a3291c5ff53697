// Storefronts: the authorization matrix (every storefront route × role × the other
// storefront: a manager of A never sees or changes anything of B), an operator's
// switcher and bulk actions across storefronts, invites that expire, the
// hand-over, INN verification by staff, and the statistics of leads.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import type { Client } from '../../../test/support/client.js';
import { ManualClock } from '../../platform/clock.js';
import { innValid } from './storefronts.js';

let portal: Portal;
let clock: ManualClock;
let ip = 10;
before(async () => {
  clock = new ManualClock(new Date('2026-06-01T09:00:00Z'));
  portal = await startPortal({ clock, demo: false, config: { trustProxy: '127.0.0.1' } });
});
after(() => portal.close());

const db = () => portal.database.db;
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
let n = 0;
async function person(role: 'reader' | 'moderator' | 'editor' = 'reader'): Promise<{ c: Client; id: number; email: string }> {
  const email = `shop${++n}-${Date.now()}@example.ru`;
  const u = await portal.app.accounts.createUser({ email, password: 'пароль-участника', displayName: `Человек ${n}`, role });
  const c = portal.client({ 'x-forwarded-for': `203.0.113.${ip++}` });
  await c.signIn(email, 'пароль-участника');
  return { c, id: u.id, email };
}
const carsId = async () => (await portal.app.classifieds.catalogue()).bySlug.get('cars')!.id;
async function shopAd(c: Client, organisationId: number, title: string) {
  const res = await c.api('POST', '/api/ads', { organisationId, categoryId: await carsId(), title, description: 'Автомобиль из салона, с гарантией и сервисом.', price: 2_000_000, fields: { make: 'haval', model: 'F7', year: 2024, mileage: 10 } });
  assert.equal(res.status, 201, res.text);
  return res.json().id as number;
}
/** The logo form without JavaScript: multipart, the file as `logo`. */
async function postLogo(c: Client, slug: string, bytes: Buffer, type = 'image/png') {
  const form = new FormData();
  form.append('_csrf', await c.csrf());
  form.append('logo', new Blob([new Uint8Array(bytes)], { type }), 'logo.png');
  const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(`${portal.url}/ads/shop/${slug}/logo`, { method: 'POST', headers: { cookie, origin: portal.url, 'sec-fetch-site': 'same-origin', ...c.defaults }, body: form, redirect: 'manual' });
  return { status: res.status, text: await res.text() };
}
const png = (colour: string) => sharp({ create: { width: 200, height: 200, channels: 3, background: colour } }).png().toBuffer();

/** Everything a storefront has that a route could change: compared before and after. */
const snapshot = async () => ({
  ads: await db().selectFrom('ads').select(['id', 'status', 'title', 'price', 'organisation_id']).orderBy('id').execute(),
  shops: await db().selectFrom('ad_storefronts').selectAll().orderBy('organisation_id').execute(),
  images: await db().selectFrom('images').select('id').orderBy('id').execute(),
  members: await db().selectFrom('memberships').selectAll().orderBy('organisation_id').orderBy('user_id').execute(),
  invites: await db().selectFrom('ad_invites').select(['id', 'email', 'role']).orderBy('id').execute(),
  feeds: await db().selectFrom('ad_feeds').selectAll().execute(),
});

test('INN: format and checksum', () => {
  assert.equal(innValid('7707083893'), true);
  assert.equal(innValid('7707083894'), false);
  assert.equal(innValid('770708389'), false);
  assert.equal(innValid('500100732259'), true);
  assert.equal(innValid('500100732258'), false);
});

test('a manager of storefront A never sees or changes anything of storefront B (every route × role)', async () => {
  const ownerA = await person();
  const ownerB = await person();
  const managerA = await person();
  const memberA = await person();
  const a = await portal.app.classifieds.storefronts.create({ slug: 'shveynaya-fabrika', name: 'Швейная фабрика «Заря»' }, ownerA.id);
  const b = await portal.app.classifieds.storefronts.create({ slug: 'mebel-masterskaya', name: 'Мебельная мастерская' }, ownerB.id);
  await portal.app.organisations.setRole(a.id, managerA.id, 'manager');
  await portal.app.organisations.setRole(a.id, memberA.id, 'member');
  const adB = await shopAd(ownerB.c, b.id, 'Автомобиль витрины Б');
  const adA = await shopAd(managerA.c, a.id, 'Автомобиль витрины А');

  type Call = { name: string; run: (c: Client) => Promise<{ status: number; text: string }> };
  const on = (slug: string, adId: number, orgId: number): Call[] => [
    { name: 'GET manage', run: (c) => c.get(`/ads/shop/${slug}/manage`) },
    { name: 'POST manage', run: (c) => c.submit(`/ads/shop/${slug}/manage`, { description: 'Взлом' }) },
    { name: 'POST members', run: (c) => c.submit(`/ads/shop/${slug}/members`, { user: String(memberA.id), role: 'owner' }) },
    { name: 'POST invite', run: (c) => c.submit(`/ads/shop/${slug}/invite`, { email: 'chuzhoy@example.ru', role: 'owner' }) },
    { name: 'POST feed', run: (c) => c.submit(`/ads/shop/${slug}/feed`, { url: 'http://example.invalid/feed.xml' }) },
    { name: 'GET stats', run: (c) => c.get(`/ads/shop/${slug}/stats`) },
    { name: 'GET stats csv', run: (c) => c.get(`/ads/shop/${slug}/stats?format=csv`) },
    { name: 'GET my ads of it', run: (c) => c.get(`/ads/my/?shop=${orgId}`) },
    { name: 'GET my stats of it', run: (c) => c.get(`/ads/my/stats?shop=${orgId}`) },
    { name: 'GET my stats of its ad', run: (c) => c.get(`/ads/my/stats?ad=${adId}`) },
    { name: 'GET edit its ad', run: (c) => c.get(`/ads/item/${adId}/edit`) },
    { name: 'PUT its ad', run: async (c) => c.api('PUT', `/api/ads/${adId}`, { categoryId: await carsId(), title: 'Угнано', description: 'Чужое объявление изменено.', price: 1, fields: { make: 'kia', model: 'X', year: 2020, mileage: 1 } }) },
    { name: 'POST renew', run: (c) => c.submit(`/ads/item/${adId}/renew`, {}) },
    { name: 'GET close', run: (c) => c.get(`/ads/item/${adId}/close`) },
    { name: 'POST close', run: (c) => c.submit(`/ads/item/${adId}/close`, { outcome: 'sold' }) },
    { name: 'POST bulk', run: (c) => c.submit('/ads/my/bulk', { action: 'close', ids: String(adId) }) },
    { name: 'POST ad as it', run: async (c) => c.api('POST', '/api/ads', { organisationId: orgId, categoryId: await carsId(), title: 'От чужого имени', description: 'Объявление от чужой витрины.', price: 5, fields: { make: 'kia', model: 'X', year: 2020, mileage: 1 } }) },
    { name: 'POST logo', run: async (c) => postLogo(c, slug, await png('#d22')) },
    { name: 'POST logo remove', run: (c) => c.submit(`/ads/shop/${slug}/logo/remove`, {}) },
    { name: 'PUT its ad’s photo order', run: (c) => c.api('PUT', `/api/ads/${adId}/photos`, { order: [] }) },
    { name: 'POST its ad’s photo', run: (c) => c.submit(`/ads/item/${adId}/photos`, { photo: '1', action: 'cover' }) },
  ];
  // Every role of A against B: refused (404, or 403 for posting as B), nothing of B changed.
  for (const [role, who] of [['owner', ownerA], ['manager', managerA], ['member', memberA]] as const) {
    const before = await snapshot();
    for (const call of on('mebel-masterskaya', adB, b.id)) {
      const res = await call.run(who.c);
      assert.ok([403, 404].includes(res.status), `${role} of A → ${call.name} of B: ${res.status} ${res.text.slice(0, 200)}`);
    }
    assert.deepEqual(await snapshot(), before, `${role} of A changed something of B`);
  }
  // Within A: a member only answers messages (no management); a manager manages but does not invite; the owner does all.
  const expect: Record<string, Record<string, number[]>> = {
    member: { 'GET manage': [404], 'GET stats': [404], 'POST invite': [404], 'POST members': [404], 'GET edit its ad': [404], 'POST ad as it': [403], 'POST logo': [404], 'POST logo remove': [404] },
    manager: { 'GET manage': [200], 'GET stats': [200], 'POST invite': [404], 'POST members': [404], 'GET edit its ad': [200], 'POST ad as it': [201], 'POST logo': [200], 'POST logo remove': [200] },
  };
  for (const [role, who] of [['member', memberA], ['manager', managerA]] as const) {
    for (const call of on('shveynaya-fabrika', adA, a.id)) {
      const want = expect[role]![call.name];
      if (!want) continue;
      const res = await call.run(who.c);
      assert.ok(want.includes(res.status), `${role} of A → ${call.name} of A: ${res.status}`);
    }
  }
  const invite = await ownerA.c.submit('/ads/shop/shveynaya-fabrika/invite', { email: 'novy@example.ru', role: 'manager' });
  assert.equal(invite.status, 200);
});

test('a manager uploads, replaces and removes the logo (media: EXIF gone, variants); it shows on the storefront and in its ads’ seller box; bad files refused in Russian', async () => {
  const owner = await person();
  const manager = await person();
  const shop = await portal.app.classifieds.storefronts.create({ slug: 'logo-shop', name: 'Магазин с логотипом' }, owner.id);
  await portal.app.organisations.setRole(shop.id, manager.id, 'manager');
  const adId = await shopAd(manager.c, shop.id, 'Автомобиль магазина с логотипом');
  const adUrl = `/ads/cars/${adId}/`;
  const manage = await manager.c.get('/ads/shop/logo-shop/manage');
  assert.match(manage.text, /Логотипа нет/);
  assert.match(manage.text, /enctype="multipart\/form-data"/);
  // The pages are cached before the logo comes: the upload must purge them.
  assert.doesNotMatch((await portal.client().get('/ads/shop/logo-shop/')).text, /ad-shop__logo/);
  assert.doesNotMatch((await portal.client().get(adUrl)).text, /ad-seller__logo/);

  // A photo with EXIF (a camera's GPS): media strips it.
  const withExif = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#1a6' } }).jpeg().withExif({ IFD0: { Make: 'Камера', Copyright: 'секрет' } }).toBuffer();
  assert.ok((await sharp(withExif).metadata()).exif);
  const up = await postLogo(manager.c, 'logo-shop', withExif, 'image/jpeg');
  assert.equal(up.status, 200, up.text.slice(0, 300));
  assert.match(up.text, /Логотип сохранён/);
  const first = (await portal.app.classifieds.storefronts.get(shop.id))!.logoId!;
  const ref = (await portal.app.media.get([first])).get(first)!;
  assert.ok(ref.variants.length >= 1);
  const variantUrl = ref.base + ref.variants.find((v) => v.format === 'jpeg')!.file;
  const variant = await fetch(portal.url + variantUrl);
  assert.equal(variant.status, 200);
  const bytes = Buffer.from(await variant.arrayBuffer());
  assert.equal((await sharp(bytes).metadata()).exif, undefined, 'EXIF stripped');
  const key = (await db().selectFrom('images').select('storage_key').where('id', '=', first).executeTakeFirstOrThrow()).storage_key;
  assert.match((await portal.client().get('/ads/shop/logo-shop/')).text, new RegExp(`ad-shop__logo[\\s\\S]{0,400}${key}`));
  assert.match((await portal.client().get(adUrl)).text, new RegExp(`ad-seller__logo[\\s\\S]{0,400}${key}`));

  // Replaced: the old picture leaves the disk.
  assert.equal((await postLogo(manager.c, 'logo-shop', await png('#23c'))).status, 200);
  const second = (await portal.app.classifieds.storefronts.get(shop.id))!.logoId!;
  assert.notEqual(second, first);
  assert.equal((await portal.app.media.get([first])).size, 0);
  assert.equal((await fetch(portal.url + variantUrl)).status, 404);

  // Bad input: 4xx in Russian, the logo as it was.
  const notImage = await postLogo(manager.c, 'logo-shop', Buffer.from('это текст, а не картинка'), 'image/png');
  assert.equal(notImage.status, 415);
  assert.match(notImage.text, /не является изображением/);
  const huge = await postLogo(manager.c, 'logo-shop', Buffer.alloc(2 * 1048576 + 10, 1));
  assert.equal(huge.status, 413);
  assert.match(huge.text, /Логотип больше 2 МБ|больше \d+ МБ/);
  const empty = await postLogo(manager.c, 'logo-shop', Buffer.alloc(0));
  assert.equal(empty.status, 400);
  assert.match(empty.text, /Выберите файл с логотипом/);
  assert.equal((await portal.app.classifieds.storefronts.get(shop.id))!.logoId, second);

  // Removed: gone from the storefront and the ads.
  const removed = await manager.c.submit('/ads/shop/logo-shop/logo/remove', {});
  assert.equal(removed.status, 200);
  assert.match(removed.text, /Логотип убран/);
  assert.equal((await portal.app.classifieds.storefronts.get(shop.id))!.logoId, null);
  assert.doesNotMatch((await portal.client().get('/ads/shop/logo-shop/')).text, /ad-shop__logo/);
  assert.doesNotMatch((await portal.client().get(adUrl)).text, /ad-seller__logo/);
});

test('an operator switches storefronts, sees all at once and renews or closes across them; invites expire; hand-over', async () => {
  const operator = await person();
  const f1 = await portal.app.classifieds.storefronts.create({ slug: 'fabrika-odezhdy', name: 'Фабрика одежды' }, operator.id);
  const f2 = await portal.app.classifieds.storefronts.create({ slug: 'avtosalon', name: 'Автосалон' }, operator.id);
  const ad1 = await shopAd(operator.c, f1.id, 'Машина фабрики');
  const ad2 = await shopAd(operator.c, f2.id, 'Машина салона');
  const my = await operator.c.get('/ads/my/?shop=all');
  assert.equal(my.status, 200);
  assert.match(my.text, /Машина фабрики/);
  assert.match(my.text, /Машина салона/);
  assert.match(my.text, /Фабрика одежды/);
  assert.doesNotMatch((await operator.c.get(`/ads/my/?shop=${f1.id}`)).text, /Машина салона/);
  const bulk = await operator.c.request('POST', '/ads/my/bulk', { form: { _csrf: await operator.c.csrf(), action: 'close', ids: String(ad1) }, headers: {} });
  assert.equal(bulk.status, 303);
  const params = new URLSearchParams({ _csrf: await operator.c.csrf(), action: 'renew' });
  params.append('ids', String(ad1));
  params.append('ids', String(ad2));
  const renew = await operator.c.request('POST', '/ads/my/bulk', { raw: params.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(renew.status, 303);
  assert.deepEqual((await db().selectFrom('ads').select('status').where('id', 'in', [ad1, ad2]).execute()).map((r) => r.status), ['active', 'active']);

  // The business takes its storefront over: an owner's invite; the operator may stay a manager.
  const business = await person();
  const { token } = await portal.app.classifieds.storefronts.invite(f1.id, business.email, 'owner', operator.id);
  const stranger = await person();
  assert.equal((await stranger.c.submit(`/ads/invite/${token}`, {})).status, 403);
  assert.equal((await business.c.submit(`/ads/invite/${token}`, {})).status, 303);
  assert.equal(await portal.app.organisations.roleOf(f1.id, business.id), 'owner');
  assert.ok((await portal.app.classifieds.storefronts.get(f1.id))!.handedOverAt);
  await portal.app.organisations.setRole(f1.id, operator.id, 'manager');
  assert.equal((await operator.c.get('/ads/shop/fabrika-odezhdy/manage')).status, 200);
  const late = await portal.app.classifieds.storefronts.invite(f2.id, business.email, 'member', operator.id);
  clock.advance(8 * 86_400_000);
  assert.equal((await business.c.submit(`/ads/invite/${late.token}`, {})).status, 410);
});

test('staff verify an INN (recorded, audited); unverified businesses cannot post where the category asks', async () => {
  const owner = await person();
  const shop = await portal.app.classifieds.storefronts.create({ slug: 'agentstvo', name: 'Агентство недвижимости', inn: '7707083893' }, owner.id);
  const bad = await owner.c.submit('/ads/shop/agentstvo/manage', { inn: '7707083894' });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /ИНН неверный/);
  const flats = (await portal.app.classifieds.catalogue()).bySlug.get('flats')!;
  await portal.app.classifieds.admin.updateCategory(flats.id, { businessVerified: true });
  await portal.app.memo.purge?.(['ads-catalogue']);
  await portal.app.pageCache.purge(['ads-catalogue']);
  const flat = { organisationId: shop.id, categoryId: flats.id, title: 'Квартира от агентства', description: 'Двухкомнатная квартира, чистая продажа.', price: 6_000_000, fields: { deal: 'sale', rooms: 2, area: 50 } };
  const refused = await owner.c.api('POST', '/api/ads', flat);
  assert.equal(refused.status, 403, refused.text);
  const staff = await person('editor');
  assert.equal((await staff.c.submit(`/admin/ads/storefronts/${shop.id}/verify`, { ok: '1', note: 'Проверено по ЕГРЮЛ' })).status, 303);
  const sf = await portal.app.classifieds.storefronts.get(shop.id);
  assert.ok(sf!.verifiedAt);
  assert.equal(sf!.verifiedBy, staff.id);
  assert.equal((await owner.c.api('POST', '/api/ads', flat)).status, 201);
  const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'ads.verified').execute();
  assert.equal(audit.length, 1);
  await portal.app.classifieds.admin.updateCategory(flats.id, { businessVerified: false });
  await portal.app.pageCache.purge(['ads-catalogue']);
});

test('statistics: a view, a reveal, a conversation and an answer show up for the storefront, per member, in CSV', async () => {
  const owner = await person();
  const shop = await portal.app.classifieds.storefronts.create({ slug: 'stats-shop', name: 'Магазин со статистикой', phone: '+7 912 000-00-01' }, owner.id);
  const adId = await shopAd(owner.c, shop.id, 'Автомобиль для статистики');
  await db().updateTable('ads').set({ phone: '+79120000001' }).where('id', '=', adId).execute();
  const reader = await person();
  assert.equal((await reader.c.request('POST', `/api/ads/${adId}/view`, { headers: { origin: portal.url, 'sec-fetch-site': 'same-origin', 'user-agent': UA } })).status, 204);
  await reader.c.request('POST', `/api/ads/${adId}/view`, { headers: { origin: portal.url, 'sec-fetch-site': 'same-origin', 'user-agent': UA } });
  await reader.c.request('POST', `/api/ads/${adId}/view`, { headers: { origin: portal.url, 'sec-fetch-site': 'same-origin', 'user-agent': 'Googlebot/2.1' } });
  assert.equal((await reader.c.request('POST', `/ads/item/${adId}/phone`, { headers: { origin: portal.url, 'sec-fetch-site': 'same-origin' } })).status, 200);
  const started = await portal.app.messages.start({ subject: { kind: 'ad', id: adId }, from: { kind: 'user', id: reader.id }, to: { kind: 'organisation', id: shop.id }, actorId: reader.id, text: 'Здравствуйте, машина ещё продаётся?' });
  clock.advance(5 * 60_000);
  await portal.app.messages.send({ conversationId: started.conversationId, actorId: owner.id, text: 'Да, приезжайте на осмотр.' });
  const stats = await owner.c.get('/ads/shop/stats-shop/stats');
  assert.equal(stats.status, 200);
  assert.match(stats.text, /<svg[^>]*role="img"/);
  const csv = await owner.c.get('/ads/shop/stats-shop/stats?format=csv');
  assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
  const row = csv.text.split('\n')[1]!.split(',');
  assert.deepEqual(row.slice(1).map(Number), [1, 1, 1, 1, 0], csv.text);
  assert.match(stats.text, /5 минут/);
  // The table names its days as a reader says them; the CSV keeps the ISO day.
  const day = (await owner.c.get('/ads/shop/stats-shop/stats?format=csv&by=day')).text.split('\n')[1]!.split(',')[0]!;
  assert.match(day, /^\d{4}-\d{2}-\d{2}$/);
  assert.match((await owner.c.get('/ads/shop/stats-shop/stats?by=day')).text, new RegExp(`<th scope="row">${Number(day.slice(8))} [а-я]+ ${day.slice(0, 4)} г\\.</th>`));
  assert.match((await owner.c.get('/ads/shop/stats-shop/stats?by=week')).text, /<th scope="row">неделя с \d{1,2} [а-я]+ \d{4} г\.<\/th>/);
  assert.match((await owner.c.get('/ads/shop/stats-shop/stats?by=month')).text, /<th scope="row">[а-я]+ \d{4} г\.<\/th>/);
  // A writer to their own storefront's ad is refused by the policy.
  await assert.rejects(portal.app.messages.start({ subject: { kind: 'ad', id: adId }, from: { kind: 'organisation', id: shop.id }, to: { kind: 'organisation', id: shop.id }, actorId: owner.id, text: 'Сам себе' }));
});
