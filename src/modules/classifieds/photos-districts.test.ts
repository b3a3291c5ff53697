// The seller's photo order (the first is the cover everywhere: lists, the ad page,
// JSON-LD) through the no-JS buttons and the island's endpoint, with its refusals;
// and the back office's districts: added, renamed, moved, archived — an archived
// district stays on old ads, is not offered for new ones, and leaves the filters
// once no ad names it; every change in the audit log.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import type { Client } from '../../../test/support/client.js';
import { ManualClock } from '../../platform/clock.js';

let portal: Portal;
let ip = 10;
before(async () => {
  portal = await startPortal({ clock: new ManualClock(new Date('2026-06-01T09:00:00Z')), demo: false, config: { trustProxy: '127.0.0.1' } });
});
after(() => portal.close());

const db = () => portal.database.db;
const fresh = () => portal.client({ 'x-forwarded-for': `198.51.100.${ip++}` });
let n = 0;
async function person(role: 'reader' | 'moderator' | 'editor' = 'reader'): Promise<{ c: Client; id: number }> {
  const email = `pd${++n}-${Date.now()}@example.ru`;
  const u = await portal.app.accounts.createUser({ email, password: 'пароль-участника', displayName: `Участник ${n}`, role });
  const c = fresh();
  await c.signIn(email, 'пароль-участника');
  return { c, id: u.id };
}
const cat = () => portal.app.classifieds.catalogue();
async function car(over: Record<string, unknown> = {}) {
  return { categoryId: (await cat()).bySlug.get('cars')!.id, title: `Автомобиль для проверки ${++n}`, description: `Ухоженный автомобиль, все документы на руках. Вариант ${n}.`, price: 600_000, fields: { make: 'lada', model: 'Vesta', year: 2019, mileage: 60_000 }, ...over };
}
async function upload(c: Client, colour: string): Promise<number> {
  const jpeg = await sharp({ create: { width: 320, height: 240, channels: 3, background: colour } }).jpeg().toBuffer();
  const form = new FormData();
  form.append('photo', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'p.jpg');
  const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(portal.url + '/api/ads/photos', { method: 'POST', headers: { cookie, 'x-csrf-token': await c.csrf(), accept: 'application/json', ...c.defaults }, body: form });
  assert.equal(res.status, 201);
  return ((await res.json()) as { id: number }).id;
}
const order = async (adId: number) => (await db().selectFrom('ad_photos').select('image_id').where('ad_id', '=', adId).orderBy('position').execute()).map((r) => r.image_id);
/** The address part every variant of an image shares (its storage directory). */
const imageKey = async (id: number) => (await db().selectFrom('images').select('storage_key').where('id', '=', id).executeTakeFirstOrThrow()).storage_key;

describe('photos: order and cover', { timeout: 90_000 }, () => {
  test('the seller moves photos with the no-JS buttons and the island’s order; the first is the cover in lists, on the page and in JSON-LD', async () => {
    const seller = await person();
    // Distinct pictures: the duplicate check compares photos' fingerprints.
    const [p1, p2, p3] = [await upload(seller.c, '#c33'), await upload(seller.c, '#3c3'), await upload(seller.c, '#33c')];
    const posted = await seller.c.api('POST', '/api/ads', await car({ photos: [p1, p2, p3] }));
    assert.equal(posted.status, 201, posted.text);
    const { id, url } = posted.json();

    const edit = await seller.c.get(`/ads/item/${id}/edit`);
    assert.equal(edit.status, 200);
    assert.match(edit.text, /Фотографии: порядок и обложка/);
    assert.match(edit.text, /data-island="ad-photos"/);
    assert.equal(edit.text.match(/Сделать обложкой/g)?.length, 3);

    const move = (photo: number, action: string) => seller.c.submit(`/ads/item/${id}/photos`, { photo: String(photo), action });
    const cover = await move(p3, 'cover');
    assert.equal(cover.status, 303);
    assert.equal(cover.location, `/ads/item/${id}/edit#photos`);
    assert.deepEqual(await order(id), [p3, p1, p2]);
    assert.equal((await move(p2, 'up')).status, 303);
    assert.deepEqual(await order(id), [p3, p2, p1]);
    assert.equal((await move(p3, 'down')).status, 303);
    assert.deepEqual(await order(id), [p2, p3, p1]);

    const put = await seller.c.api('PUT', `/api/ads/${id}/photos`, { order: [p1, p3, p2] });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(put.json(), { order: [p1, p3, p2], cover: p1 });
    const row = await db().selectFrom('ads').select(['cover_id', 'status', 'photo_count']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { cover_id: p1, status: 'active', photo_count: 3 }, 'an order is not an edit: the ad stays active');

    // Everywhere the first photo leads: the ad page (gallery and JSON-LD, purged at once), the lists.
    const [k1, k3] = [await imageKey(p1), await imageKey(p3)];
    const page = (await fresh().get(url)).text;
    const jsonLd = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page)![1]!) as { image: string[] } | { image: string[] }[];
    const product = (Array.isArray(jsonLd) ? jsonLd : [jsonLd]).find((x) => 'image' in x)!;
    assert.ok(product.image[0]!.includes(k1), product.image[0]);
    assert.ok(product.image[1]!.includes(k3));
    const gallery = page.slice(page.indexOf('class="ad-gallery"'));
    assert.ok(gallery.indexOf(k1) < gallery.indexOf(k3));
    const list = (await fresh().get('/ads/cars/')).text;
    const card = list.slice(list.indexOf(`/ads/cars/${id}/`) - 1500, list.indexOf(`/ads/cars/${id}/`) + 1500);
    assert.ok(card.includes(k1), 'the list shows the new cover');
  });

  test('someone else’s ad is not found; unknown, missing or repeated photos are refused in Russian, nothing changed', async () => {
    const seller = await person();
    const [p1, p2] = [await upload(seller.c, '#a52'), await upload(seller.c, '#2a5')];
    const { id } = (await seller.c.api('POST', '/api/ads', await car({ photos: [p1, p2] }))).json();
    const stranger = await person();
    assert.equal((await stranger.c.api('PUT', `/api/ads/${id}/photos`, { order: [p2, p1] })).status, 404);
    assert.equal((await stranger.c.submit(`/ads/item/${id}/photos`, { photo: String(p2), action: 'cover' })).status, 404);
    assert.equal((await fresh().api('PUT', `/api/ads/${id}/photos`, { order: [p2, p1] })).status, 401);
    for (const bad of [[p1, p2, 999_999], [p2], [p1, p1], [p2, 999_999]]) {
      const res = await seller.c.api('PUT', `/api/ads/${id}/photos`, { order: bad });
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.match(res.json().error.message, /все фотографии объявления/);
    }
    const form = await seller.c.submit(`/ads/item/${id}/photos`, { photo: '999999', action: 'up' });
    assert.equal(form.status, 400);
    assert.match(form.text, /все фотографии объявления/);
    assert.equal((await seller.c.api('PUT', `/api/ads/${id}/photos`, { order: ['x'] })).status, 400);
    assert.deepEqual(await order(id), [p1, p2]);
    assert.equal((await db().selectFrom('ads').select('cover_id').where('id', '=', id).executeTakeFirstOrThrow()).cover_id, p1);
  });
});

describe('districts in the back office', { timeout: 90_000 }, () => {
  test('staff add, rename and move a district, audited; readers may not; bad input in Russian', async () => {
    const staff = await person('moderator');
    const reader = await person();
    assert.equal((await reader.c.submit('/admin/ads/districts', { slug: 'lesnaya-polyana', title: 'Лесная поляна' })).status, 403);
    const admin = await staff.c.get('/admin/ads');
    assert.equal(admin.status, 200);
    assert.match(admin.text, /Районы/);

    assert.equal((await staff.c.submit('/admin/ads/districts', { slug: 'lesnaya-polyana', title: 'Лесная поляна' })).status, 303);
    const added = (await cat()).districtBySlug.get('lesnaya-polyana')!;
    assert.equal(added.title, 'Лесная поляна');
    assert.equal((await cat()).districts.at(-1)!.id, added.id, 'at the end of the list');
    const bad = await staff.c.submit('/admin/ads/districts', { slug: 'Заречный!', title: 'Ещё' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /Адрес района — латинские буквы/);
    assert.equal((await staff.c.submit('/admin/ads/districts', { slug: 'lesnaya-2', title: 'лесная поляна' })).status, 409);
    assert.equal((await staff.c.submit('/admin/ads/districts', { slug: 'pusto', title: '   ' })).status, 400);
    assert.equal((await staff.c.submit('/admin/ads/districts/999999', { title: 'Нет такого' })).status, 404);

    assert.equal((await staff.c.submit(`/admin/ads/districts/${added.id}`, { title: 'Лесная поляна у реки' })).status, 303);
    assert.equal((await cat()).districtById.get(added.id)!.title, 'Лесная поляна у реки');
    assert.equal((await staff.c.submit(`/admin/ads/districts/${added.id}`, { move: 'up' })).status, 303);
    const ids = (await cat()).districts.map((d) => d.id);
    assert.equal(ids.at(-2), added.id, 'one place up');
    assert.equal((await staff.c.submit(`/admin/ads/districts/${added.id}`, {})).status, 400);
    const audit = await db().selectFrom('audit_log').select(['action', 'summary']).where('entity', '=', 'ad_district').orderBy('id').execute();
    assert.deepEqual(audit.map((a) => a.action), ['ads.district_added', 'ads.district_renamed', 'ads.district_moved']);
    assert.match(audit[1]!.summary, /Лесная поляна → Лесная поляна у реки/);
  });

  test('an archived district stays on old ads, is not offered for new ones, and leaves the filters once no ad names it', async () => {
    const staff = await person('editor');
    const seller = await person();
    assert.equal((await staff.c.submit('/admin/ads/districts', { slug: 'staryi-gorod', title: 'Старый город' })).status, 303);
    const d = (await cat()).districtBySlug.get('staryi-gorod')!;
    const posted = await seller.c.api('POST', '/api/ads', await car({ districtId: d.id }));
    assert.equal(posted.status, 201, posted.text);
    const { id, url } = posted.json();

    assert.equal((await staff.c.submit(`/admin/ads/districts/${d.id}`, { archived: '1' })).status, 303);
    assert.equal((await db().selectFrom('audit_log').select('action').where('entity', '=', 'ad_district').where('entity_id', '=', d.id).orderBy('id', 'desc').executeTakeFirstOrThrow()).action, 'ads.district_archived');
    // The old ad keeps it: its page, an edit that keeps it, the filter (one ad names it).
    assert.match((await fresh().get(url)).text, /Старый город/);
    const kept = await seller.c.api('PUT', `/api/ads/${id}`, await car({ districtId: d.id, title: 'Автомобиль в старом городе' }));
    assert.equal(kept.status, 200, kept.text);
    assert.match((await seller.c.get(`/ads/item/${id}/edit`)).text, /Старый город/);
    assert.match((await fresh().get('/ads/cars/')).text, /value="staryi-gorod"/);
    // A new ad may not name it, and the form does not offer it.
    const refused = await seller.c.api('POST', '/api/ads', await car({ districtId: d.id }));
    assert.equal(refused.status, 400);
    assert.match(refused.json().error.message, /Такого района нет/);
    const form = await seller.c.get(`/ads/new?category=${(await cat()).bySlug.get('cars')!.id}`);
    assert.doesNotMatch(form.text, /Старый город/);
    assert.match(form.text, new RegExp((await cat()).liveDistricts[0]!.title));
    // Once no active ad names it, the filters leave it out; bringing it back offers it again.
    assert.equal((await seller.c.submit(`/ads/item/${id}/close`, { outcome: 'sold' })).status, 303);
    assert.doesNotMatch((await fresh().get('/ads/cars/')).text, /value="staryi-gorod"/);
    assert.equal((await staff.c.submit(`/admin/ads/districts/${d.id}`, { archived: '0' })).status, 303);
    assert.match((await fresh().get('/ads/cars/')).text, /value="staryi-gorod"/);
    assert.equal((await seller.c.api('POST', '/api/ads', await car({ districtId: d.id }))).status, 201);
  });
});
