// A category list is kept in the data cache (app.memo, tag `ads`) under its
// canonical filters: the same filters in another order share it, and every write
// that changes what a list shows (posted, edited, closed, promoted, expired)
// purges it at once — the next list shows the change.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import type { Client } from '../../../test/support/client.js';
import { ManualClock } from '../../platform/clock.js';
import { parseFilters } from './finding.js';

let portal: Portal;
let clock: ManualClock;
let ip = 10;
before(async () => {
  clock = new ManualClock(new Date('2026-06-01T09:00:00Z'));
  portal = await startPortal({ clock, demo: false, config: { trustProxy: '127.0.0.1' } });
});
after(() => portal.close());

const fresh = () => portal.client({ 'x-forwarded-for': `192.0.2.${ip++}` });
let n = 0;
async function person(role: 'reader' | 'editor' = 'reader'): Promise<{ c: Client; id: number }> {
  const email = `lc${++n}-${Date.now()}@example.ru`;
  const u = await portal.app.accounts.createUser({ email, password: 'пароль-участника', displayName: `Продавец ${n}`, role });
  const c = fresh();
  await c.signIn(email, 'пароль-участника');
  return { c, id: u.id };
}
const cat = () => portal.app.classifieds.catalogue();
const car = async (title: string, over: Record<string, unknown> = {}) => ({ categoryId: (await cat()).bySlug.get('cars')!.id, title, description: `Машина в хорошем состоянии, ${title.toLowerCase()}.`, price: 900_000, fields: { make: 'kia', model: 'Rio', year: 2018, mileage: 70_000, transmission: 'automatic' }, ...over });
/** The category page past the page cache (a parameter it does not read: rendered each time, from the data cache). */
const listPage = async (query: string) => {
  const res = await fresh().get(`/ads/cars/?${query}&utm_source=test${++n}`);
  assert.equal(res.status, 200);
  assert.notEqual(res.headers.get('x-cache'), 'hit');
  return res.text;
};

test('a list comes from the data cache; the same filters in another order share it; a write purges it', async () => {
  const c = await cat();
  const cars = c.bySlug.get('cars')!;
  const f1 = parseFilters(c, cars, { f: ['make.kia', 'transmission.automatic'], price_min: '1000' });
  const f2 = parseFilters(c, cars, { price_min: '1000', f: ['transmission.automatic', 'make.kia'] });
  const a = await portal.app.classifieds.finding.list(f1);
  assert.equal(await portal.app.classifieds.finding.list(f2), a, 'the same result, from the cache');
  const seller = await person();
  assert.equal((await seller.c.api('POST', '/api/ads', await car('Киа для проверки кэша'))).status, 201);
  const b = await portal.app.classifieds.finding.list(f1);
  assert.notEqual(b, a, 'the write purged it');
  assert.equal(b.total, a.total + 1);
});

test('over HTTP: posted, closed, edited, promoted, expired — the next list shows the change', async () => {
  const seller = await person();
  const query = 'f=make.kia&f=transmission.automatic&price_min=100000&price_max=2000000';
  const before = await listPage(query);
  assert.doesNotMatch(before, /Киа Рио с автоматом/);

  const posted = await seller.c.api('POST', '/api/ads', await car('Киа Рио с автоматом'));
  assert.equal(posted.status, 201, posted.text);
  const { id } = posted.json();
  assert.match(await listPage(query), /Киа Рио с автоматом/, 'posted: listed at once');

  assert.equal((await seller.c.api('PUT', `/api/ads/${id}`, await car('Киа Рио, цена снижена', { price: 850_000 }))).status, 200);
  const edited = await listPage(query);
  assert.match(edited, /Киа Рио, цена снижена/, 'edited: the new title');
  assert.doesNotMatch(edited, /Киа Рио с автоматом/);
  assert.doesNotMatch(await listPage('f=make.kia&price_min=860000'), /Киа Рио, цена снижена/, 'the new price leaves a range');

  // Another ad posted later is first; «Поднять» brings ours back to the top.
  clock.advance(60_000);
  assert.equal((await seller.c.api('POST', '/api/ads', await car('Киа посвежее'))).status, 201);
  let page = await listPage(query);
  assert.ok(page.indexOf('Киа посвежее') < page.indexOf('Киа Рио, цена снижена'));
  clock.advance(60_000);
  await portal.app.classifieds.ads.promote(id, { raise: true });
  page = await listPage(query);
  assert.ok(page.indexOf('Киа Рио, цена снижена') < page.indexOf('Киа посвежее'), 'raised: first');

  assert.equal((await seller.c.submit(`/ads/item/${id}/close`, { outcome: 'sold' })).status, 303);
  assert.doesNotMatch(await listPage(query), /Киа Рио, цена снижена/, 'closed: gone at once');

  // Expiry (the job) purges the lists too.
  assert.match(await listPage(query), /Киа посвежее/);
  clock.advance(40 * 24 * 3600_000);
  await portal.app.jobs.run('classifieds.expire');
  assert.doesNotMatch(await listPage(query), /Киа посвежее/, 'expired: gone at once');
});

test('a list keeps its cards’ storefronts with it, and a storefront change purges them: the next list shows it', async () => {
  const owner = await person();
  const shop = await portal.app.classifieds.storefronts.create({ slug: 'avtosalon-kesh', name: 'Автосалон «Кэш»', inn: '7707083893' }, owner.id);
  const posted = await owner.c.api('POST', '/api/ads', { ...(await car('Киа из автосалона')), organisationId: shop.id });
  assert.equal(posted.status, 201, posted.text);
  const query = 'f=make.kia&seller=biz';
  const card = (page: string) => page.slice(page.indexOf('Киа из автосалона'), page.indexOf('Киа из автосалона') + 1500);
  assert.match(card(await listPage(query)), /Автосалон «Кэш»/);
  assert.doesNotMatch(card(await listPage(query)), /ad-verified/, 'not verified yet');

  const staff = await person('editor');
  assert.equal((await staff.c.submit(`/admin/ads/storefronts/${shop.id}/verify`, { ok: '1', note: 'Проверено' })).status, 303);
  assert.match(card(await listPage(query)), /Автосалон «Кэш»[\s\S]{0,200}ad-verified/, 'verified: the mark at once');

  // Kept: a change behind the service's back (no purge) is not read by the next render…
  await portal.app.database.db.updateTable('ad_storefronts').set({ name: 'Автосалон «Новое имя»' }).where('organisation_id', '=', shop.id).execute();
  assert.match(card(await listPage(query)), /Автосалон «Кэш»/, 'the storefront comes from the data cache');
  // …until the tag is purged, as every storefront change does.
  await portal.app.pageCache.purge(['ads']);
  assert.match(card(await listPage(query)), /Автосалон «Новое имя»/);
});

test('a fractional price bound (prices are whole roubles) picks the same ads as the whole one, never a 500', async () => {
  const seller = await person();
  const posted = await seller.c.api('POST', '/api/ads', await car('Киа Рио за ровную сумму', { price: 700_000 }));
  assert.equal(posted.status, 201, posted.text);
  for (const path of ['/ads/search?price_min=1.5', '/ads/cars/?price_min=699999.5&price_max=700000.7']) {
    const res = await fresh().get(path);
    assert.equal(res.status, 200, `${path}: ${res.status}`);
    assert.match(res.text, /Киа Рио за ровную сумму/, path);
  }
  assert.doesNotMatch(await listPage('price_min=700000.2'), /Киа Рио за ровную сумму/, 'a minimum above the price, rounded up, leaves it out');
  assert.doesNotMatch(await listPage('price_max=699999.9'), /Киа Рио за ровную сумму/, 'a maximum below the price, rounded down, leaves it out');
  const f = parseFilters(await cat(), null, { price_min: '1.5', price_max: '2,7' });
  assert.deepEqual([f.priceMin, f.priceMax], [2, 2]);
});
