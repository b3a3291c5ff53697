// The edit page of a storefront's ad names its storefront («От чьего имени») and
// saving keeps it; /admin/ads has one title; one saved photo deleted from the edit
// page (no-JS button and the island's call): the next one is the cover, the image
// leaves media; someone else's ad 404, an unknown photo 400 in Russian.
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
async function person(role: 'reader' | 'moderator' = 'reader'): Promise<{ c: Client; id: number }> {
  const email = `ep${++n}-${Date.now()}@example.ru`;
  const u = await portal.app.accounts.createUser({ email, password: 'пароль-участника', displayName: `Продавец ${n}`, role });
  const c = fresh();
  await c.signIn(email, 'пароль-участника');
  return { c, id: u.id };
}
const carsId = async () => (await portal.app.classifieds.catalogue()).bySlug.get('cars')!.id;
const car = async (over: Record<string, unknown> = {}) => ({ categoryId: await carsId(), title: `Автомобиль на продажу ${++n}`, description: `Один владелец, сервисная книжка. Вариант ${n}.`, price: 700_000, fields: { make: 'lada', model: 'Granta', year: 2020, mileage: 40_000 }, ...over });
async function upload(c: Client, colour: string): Promise<number> {
  const jpeg = await sharp({ create: { width: 320, height: 240, channels: 3, background: colour } }).jpeg().toBuffer();
  const form = new FormData();
  form.append('photo', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'p.jpg');
  const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(portal.url + '/api/ads/photos', { method: 'POST', headers: { cookie, 'x-csrf-token': await c.csrf(), accept: 'application/json', ...c.defaults }, body: form });
  assert.equal(res.status, 201);
  return ((await res.json()) as { id: number }).id;
}
/** The edit form as a browser without JavaScript sends it: every named field of the page, multipart. */
async function saveEditForm(c: Client, page: string, adId: number) {
  const formHtml = page.slice(page.indexOf('<form class="form ad-form"'), page.indexOf('</form>', page.indexOf('<form class="form ad-form"')));
  const action = /action="([^"]+)"/.exec(formHtml)![1]!.replaceAll('&amp;', '&');
  const form = new FormData();
  for (const m of formHtml.matchAll(/<input([^>]*)>/g)) {
    const attrs = m[1]!;
    const name = /name="([^"]+)"/.exec(attrs)?.[1];
    const type = /type="([^"]+)"/.exec(attrs)?.[1] ?? 'text';
    if (!name || type === 'file' || ((type === 'checkbox' || type === 'radio') && !/ checked/.test(attrs))) continue;
    form.append(name, (/value="([^"]*)"/.exec(attrs)?.[1] ?? '').replaceAll('&quot;', '"').replaceAll('&amp;', '&'));
  }
  for (const m of formHtml.matchAll(/<select[^>]*name="([^"]+)"[^>]*>(.*?)<\/select>/gs)) {
    const chosen = /<option value="([^"]*)" selected/.exec(m[2]!)?.[1] ?? /<option value="([^"]*)"/.exec(m[2]!)?.[1] ?? '';
    form.append(m[1]!, chosen);
  }
  for (const m of formHtml.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>(.*?)<\/textarea>/gs)) form.append(m[1]!, m[2]!.replaceAll('&amp;', '&'));
  form.append('publish', '1');
  const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(portal.url + action, { method: 'POST', headers: { cookie, origin: portal.url, 'sec-fetch-site': 'same-origin', ...c.defaults }, body: form, redirect: 'manual' });
  assert.equal(res.status, 303, `${action}: ${await res.text()}`);
  assert.ok(action.startsWith(`/ads/item/${adId}/edit`));
}
const order = async (adId: number) => (await db().selectFrom('ad_photos').select('image_id').where('ad_id', '=', adId).orderBy('position').execute()).map((r) => r.image_id);
const imageExists = async (id: number) => !!(await db().selectFrom('images').select('id').where('id', '=', id).executeTakeFirst());

describe('the edit page and the back office', { timeout: 90_000 }, () => {
  test('a storefront’s ad: «От чьего имени» shows the storefront, and saving the form keeps it', async () => {
    const manager = await person();
    const shop = await portal.app.classifieds.storefronts.create({ slug: `salon-${Date.now()}`, name: 'Автосалон «Восток»' }, manager.id);
    await portal.app.classifieds.storefronts.create({ slug: `vtoroi-${Date.now()}`, name: 'Второй магазин' }, manager.id);
    const posted = await manager.c.api('POST', '/api/ads', await car({ organisationId: shop.id }));
    assert.equal(posted.status, 201, posted.text);
    const { id } = posted.json();
    const edit = await manager.c.get(`/ads/item/${id}/edit`);
    assert.equal(edit.status, 200);
    const select = /<select id="ad-as"[^>]*>(.*?)<\/select>/s.exec(edit.text)![1]!;
    const chosen = /<option value="([^"]*)" selected[^>]*>([^<]*)</.exec(select);
    assert.ok(chosen, 'one option is chosen');
    assert.deepEqual([chosen[1], chosen[2]], [`o:${shop.id}`, 'Автосалон «Восток»']);

    await saveEditForm(manager.c, edit.text, id);
    const row = await db().selectFrom('ads').select(['organisation_id', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { organisation_id: shop.id, status: 'active' });
    assert.match((await manager.c.get(`/ads/item/${id}/edit`)).text, new RegExp(`<option value="o:${shop.id}" selected`));

    // A private ad of the same manager still says «От себя».
    const own = (await manager.c.api('POST', '/api/ads', await car())).json().id;
    const ownSelect = /<select id="ad-as"[^>]*>(.*?)<\/select>/s.exec((await manager.c.get(`/ads/item/${own}/edit`)).text)![1]!;
    assert.doesNotMatch(ownSelect, /value="o:\d+" selected/);
  });

  test('/admin/ads shows its title once', async () => {
    const staff = await person('moderator');
    const page = await staff.c.get('/admin/ads');
    assert.equal(page.status, 200);
    const body = page.text.slice(page.text.indexOf('<body'));
    assert.equal(body.match(/<h1[\s>]/g)?.length, 1);
    assert.equal(body.match(/<h1>Объявления<\/h1>/g)?.length, 1);
  });
});

describe('deleting one saved photo', { timeout: 90_000 }, () => {
  test('the no-JS button and the island’s call: the rest keep their order, the next is the cover, the image leaves media', async () => {
    const seller = await person();
    const [p1, p2, p3] = [await upload(seller.c, '#c31'), await upload(seller.c, '#1c3'), await upload(seller.c, '#31c')];
    const posted = await seller.c.api('POST', '/api/ads', await car({ photos: [p1, p2, p3] }));
    assert.equal(posted.status, 201, posted.text);
    const { id, url } = posted.json();
    const edit = await seller.c.get(`/ads/item/${id}/edit`);
    assert.equal(edit.text.match(/value="remove"/g)?.length, 3);
    assert.match(edit.text, /Фото 1: удалить/);

    // The cover goes: the next one takes its place.
    const gone = await seller.c.submit(`/ads/item/${id}/photos`, { photo: String(p1), action: 'remove' });
    assert.equal(gone.status, 303);
    assert.equal(gone.location, `/ads/item/${id}/edit#photos`);
    assert.deepEqual(await order(id), [p2, p3]);
    let row = await db().selectFrom('ads').select(['cover_id', 'photo_count', 'status', 'tokens']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual([row.cover_id, row.photo_count, row.status], [p2, 2, 'active']);
    assert.equal(await imageExists(p1), false, 'no other ad shows it: media removed it');
    const after1 = await seller.c.get(`/ads/item/${id}/edit`);
    assert.doesNotMatch(after1.text, new RegExp(`name="photo_id" value="${p1}"`));
    assert.equal(after1.text.match(/value="remove"/g)?.length, 2);

    // The island's call answers the new order.
    const del = await seller.c.api('DELETE', `/api/ads/${id}/photos/${p3}`);
    assert.equal(del.status, 200, del.text);
    assert.deepEqual(del.json(), { order: [p2], cover: p2 });
    assert.equal(await imageExists(p3), false);
    // The last one: no cover, and the ad leaves «с фото».
    assert.equal((await seller.c.api('DELETE', `/api/ads/${id}/photos/${p2}`)).status, 200);
    row = await db().selectFrom('ads').select(['cover_id', 'photo_count', 'status', 'tokens']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual([row.cover_id, row.photo_count, row.status, row.tokens.includes('photo')], [null, 0, 'active', false]);
    assert.equal((await fresh().get(url)).status, 200);
  });

  test('an image another ad still shows stays in media', async () => {
    const seller = await person();
    const p = await upload(seller.c, '#7a7');
    const { id } = (await seller.c.api('POST', '/api/ads', await car({ photos: [p] }))).json();
    // Another ad shows the same image (as a feed import could): only the ad's own row goes.
    const other = (await seller.c.api('POST', '/api/ads', await car())).json().id;
    await db().insertInto('ad_photos').values({ ad_id: other, position: 0, image_id: p, hash: '' }).execute();
    assert.equal((await seller.c.api('DELETE', `/api/ads/${id}/photos/${p}`)).status, 200);
    assert.deepEqual(await order(id), []);
    assert.equal(await imageExists(p), true);
    assert.deepEqual(await order(other), [p]);
  });

  test('someone else’s ad is not found; an unknown photo is refused in Russian; nothing changed', async () => {
    const seller = await person();
    const [p1, p2] = [await upload(seller.c, '#a15'), await upload(seller.c, '#5a1')];
    const { id } = (await seller.c.api('POST', '/api/ads', await car({ photos: [p1, p2] }))).json();
    const stranger = await person();
    assert.equal((await stranger.c.submit(`/ads/item/${id}/photos`, { photo: String(p1), action: 'remove' })).status, 404);
    assert.equal((await stranger.c.api('DELETE', `/api/ads/${id}/photos/${p1}`)).status, 404);
    assert.equal((await fresh().api('DELETE', `/api/ads/${id}/photos/${p1}`)).status, 401);
    const form = await seller.c.submit(`/ads/item/${id}/photos`, { photo: '999999', action: 'remove' });
    assert.equal(form.status, 400);
    assert.match(form.text, /У объявления нет такой фотографии/);
    const json = await seller.c.api('DELETE', `/api/ads/${id}/photos/999999`);
    assert.equal(json.status, 400);
    assert.match(json.json().error.message, /У объявления нет такой фотографии/);
    // A photo of another ad of the same seller is not this ad's.
    const p3 = await upload(seller.c, '#15a');
    await seller.c.api('POST', '/api/ads', await car({ photos: [p3] }));
    assert.equal((await seller.c.api('DELETE', `/api/ads/${id}/photos/${p3}`)).status, 400);
    assert.deepEqual(await order(id), [p1, p2]);
    assert.equal(await imageExists(p1), true);
    assert.equal((await db().selectFrom('ads').select('cover_id').where('id', '=', id).executeTakeFirstOrThrow()).cover_id, p1);
  });
});
