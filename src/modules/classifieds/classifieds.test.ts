// The classifieds over HTTP on a real portal: posting with typed fields and the
// bad-input table (4xx in Russian, nothing written), finding with filters, counts
// and Russian morphology, the ad page and its cache, premoderation and duplicates,
// phone reveals, favourites and the price-drop notice, expiry and renewal.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { sql } from 'kysely';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import type { Client } from '../../../test/support/client.js';
import { ManualClock } from '../../platform/clock.js';

let portal: Portal;
let clock: ManualClock;
let ip = 10;
before(async () => {
  clock = new ManualClock(new Date('2026-06-01T09:00:00Z'));
  portal = await startPortal({ clock, demo: false, config: { trustProxy: '127.0.0.1' } });
});
after(() => portal.close());

const db = () => portal.database.db;
const fresh = () => portal.client({ 'x-forwarded-for': `198.51.100.${ip++}` });
let n = 0;
async function member(role: 'reader' | 'moderator' | 'editor' = 'reader'): Promise<{ c: Client; id: number; email: string }> {
  const email = `ads${++n}-${Date.now()}@example.ru`;
  const u = await portal.app.accounts.createUser({ email, password: 'пароль-участника', displayName: `Продавец ${n}`, role });
  const c = fresh();
  await c.signIn(email, 'пароль-участника');
  return { c, id: u.id, email };
}
const cat = () => portal.app.classifieds.catalogue();
const idOf = async (slug: string) => (await cat()).bySlug.get(slug)!.id;
const adCount = async () => Number((await db().selectFrom('ads').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
let carN = 0;
async function car(over: Record<string, unknown> = {}, fields: Record<string, unknown> = {}) {
  return {
    categoryId: await idOf('cars'),
    title: `Продаю автомобиль номер ${++carN}`,
    description: `Хорошее состояние, один владелец, обслуживание у дилера. Вариант ${carN}.`,
    price: 900_000,
    phone: '8 912 345-67-89',
    fields: { make: 'toyota', model: 'Corolla', year: 2015, mileage: 120_000, transmission: 'automatic', ...fields },
    ...over,
  };
}

describe('posting', { timeout: 60_000 }, () => {
  test('a valid ad is published with its fields, phone as +7, tokens and ranges for filtering', async () => {
    const { c } = await member();
    // «На сайте с» is the account's registration, not its first ad.
    clock.advance(10 * 86_400_000);
    const res = await c.api('POST', '/api/ads', await car({}, { features: ['abs', 'camera'] }));
    assert.equal(res.status, 201, res.text);
    const { id, status, url } = res.json();
    assert.equal(status, 'active');
    assert.match(url, new RegExp(`^/ads/cars/${id}/$`));
    const row = await db().selectFrom('ads').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.phone, '+79123456789');
    assert.equal(row.n1, 2015);
    assert.equal(row.n2, 120_000);
    assert.ok(row.tokens.includes('private'));
    const page = await fresh().get(url);
    assert.equal(page.status, 200);
    assert.match(page.text, /Toyota/);
    assert.match(page.text, /"@type":"Product"/);
    assert.match(page.text, /"priceCurrency":"RUB"/);
    assert.match(page.text, /Показать телефон/);
    assert.doesNotMatch(page.text, /912/, 'the phone is shown on request only');
    assert.match(page.text, /action="\/me\/messages\/start"/);
    assert.match(page.text, /name="kind" value="ad"/);
    assert.match(page.text, /На сайте с 1 июня 2026/);
  });

  test('bad input is refused with the reason in Russian and nothing is written', async () => {
    const { c } = await member();
    const flats = await idOf('flats');
    const nextYear = new Date().getUTCFullYear() + 1;
    const cases: [string, Record<string, unknown>, number, RegExp][] = [
      ['unknown category', await car({ categoryId: 999_999 }), 400, /Такой категории нет/],
      ['a parent category', await car({ categoryId: await idOf('transport') }), 400, /Такой категории нет/],
      ['another category’s field', await car({}, { rooms: 2 }), 400, /нет поля «rooms»/],
      ['out of range', await car({}, { mileage: 5_000_000 }), 400, /Пробег.*допустимо/],
      ['a year in the future', await car({}, { year: nextYear }), 400, /ещё не наступил/],
      ['not in the list', await car({}, { make: 'zaporozhets' }), 400, /нет в списке/],
      ['missing required', await car({}, { model: '' }), 400, /Заполните поле «Модель»/],
      ['negative price', await car({ price: -1 }), 400, /Цена/],
      ['price over 10¹²', await car({ price: 1_000_000_000_001 }), 400, /Цена/],
      ['not a phone', await car({ phone: '12345' }), 400, /не похоже на номер телефона/],
      ['photos not mine', await car({ photos: [1, 2] }), 400, /Фотография не найдена/],
      ['11 photos where 10 allowed', await car({ photos: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }), 400, /Не больше 10 фотографий/],
      ['a flat without rooms', { categoryId: flats, title: 'Квартира в центре', description: 'Светлая квартира рядом с парком.', price: 5_000_000, fields: { deal: 'sale', area: 40 } }, 400, /Комнат/],
      ['no price and not negotiable', await car({ price: null }), 400, /Укажите цену/],
    ];
    const before = await adCount();
    for (const [name, body, status, words] of cases) {
      const res = await c.api('POST', '/api/ads', body);
      assert.equal(res.status, status, `${name}: ${res.text}`);
      assert.match(res.json().error.message, words, name);
    }
    assert.equal(await adCount(), before);
    // «Договорная» is a price too.
    assert.equal((await c.api('POST', '/api/ads', await car({ price: null, negotiable: true }))).status, 201);
  });

  test('photos go through media (not an image → 415), with a cover and a limit per category', async () => {
    const { c } = await member();
    const upload = async (bytes: Buffer, type = 'image/jpeg') => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(bytes)], { type }), 'photo.jpg');
      const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const res = await fetch(portal.url + '/api/ads/photos', { method: 'POST', headers: { cookie, 'x-csrf-token': await c.csrf(), accept: 'application/json', ...c.defaults }, body: form });
      return { status: res.status, body: await res.json() };
    };
    const notImage = await upload(Buffer.from('это не картинка'));
    assert.equal(notImage.status, 415);
    const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#3a7' } }).jpeg().toBuffer();
    const a = await upload(jpeg);
    assert.equal(a.status, 201);
    const res = await c.api('POST', '/api/ads', await car({ photos: [a.body.id] }));
    assert.equal(res.status, 201, res.text);
    const row = await db().selectFrom('ads').select(['cover_id', 'photo_count', 'tokens']).where('id', '=', res.json().id).executeTakeFirstOrThrow();
    assert.equal(row.cover_id, a.body.id);
    assert.equal(row.photo_count, 1);
    assert.ok(row.tokens.includes('photo'));
    // The same photo again from the same account: held as a duplicate.
    const b = await upload(jpeg);
    const dup = await c.api('POST', '/api/ads', await car({ photos: [b.body.id] }));
    assert.equal(dup.json().status, 'moderation');
  });

  test('premoderation and duplicate text hold an ad; a moderator approves it', async () => {
    const { c } = await member();
    const vacancy = { categoryId: await idOf('vacancies'), title: 'Требуется швея на фабрику', description: 'Пошив верхней одежды, оформление по ТК, обучение.', salaryFrom: 60_000, salaryTo: 90_000, fields: { schedule: 'full' } };
    const res = await c.api('POST', '/api/ads', vacancy);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json().status, 'moderation');
    const id = res.json().id;
    assert.equal((await fresh().get(`/ads/vacancies/${id}/`)).status, 404);
    const body = await car({ title: 'Точно такой же текст объявления', description: 'Совершенно одинаковое описание машины.' });
    assert.equal((await c.api('POST', '/api/ads', body)).json().status, 'active');
    assert.equal((await c.api('POST', '/api/ads', { ...body })).json().status, 'moderation');
    const mod = await member('moderator');
    const queue = await mod.c.get('/admin/moderation?kind=ad');
    assert.equal(queue.status, 200);
    assert.match(queue.text, /Требуется швея/);
    await portal.app.moderation.decide('ad', id, 'approve', { id: mod.id, email: mod.email, displayName: 'М', role: 'moderator' } as never);
    const page = await fresh().get(`/ads/vacancies/${id}/`);
    assert.equal(page.status, 200);
    assert.match(page.text, /от 60\s000 ₽ до 90\s000 ₽/);
  });
});

describe('finding', { timeout: 60_000 }, () => {
  test('a category page filters by fields, price and district, counts values, keeps the filters in the address', async () => {
    const { c } = await member();
    const cats = await cat();
    const district = cats.districts[0]!;
    const made = [
      await car({ price: 500_000, districtId: district.id }, { make: 'kia', model: 'Rio', year: 2012, mileage: 150_000 }),
      await car({ price: 1_500_000, districtId: district.id }, { make: 'kia', model: 'Sportage', year: 2019, mileage: 40_000 }),
      await car({ price: 1_400_000 }, { make: 'haval', model: 'Jolion', year: 2022, mileage: 10_000 }),
    ];
    const ids: number[] = [];
    for (const m of made) {
      const res = await c.api('POST', '/api/ads', m);
      assert.equal(res.status, 201);
      ids.push(res.json().id);
    }
    const page = await fresh().get(`/ads/cars/?f=make.kia&n1_min=2018&price_max=2000000&district=${district.slug}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Найдено 1 объявление/);
    assert.match(page.text, /Sportage|автомобиль/);
    assert.match(page.text, /value="make\.kia"[^>]*checked/);
    const all = await fresh().get('/ads/cars/?f=make.kia');
    assert.match(all.text, /Найдено 2 объявления/);
    // The shared address is cached and a new ad purges it.
    assert.equal((await c.api('POST', '/api/ads', await car({}, { make: 'kia', model: 'Ceed' }))).status, 201);
    assert.match((await fresh().get('/ads/cars/?f=make.kia')).text, /Найдено 3 объявления/);
    // Sorted by price.
    const cheap = await fresh().get('/ads/cars/?f=make.kia&sort=price');
    assert.ok(cheap.text.indexOf(`/ads/cars/${ids[0]}/`) < cheap.text.indexOf(`/ads/cars/${ids[1]}/`));
    const dear = await fresh().get('/ads/cars/?f=make.kia&sort=price_desc');
    assert.ok(dear.text.indexOf(`/ads/cars/${ids[0]}/`) > dear.text.indexOf(`/ads/cars/${ids[1]}/`));
    // Counts per value: two Kia of the three in the district.
    assert.match((await fresh().get(`/ads/cars/?district=${district.slug}`)).text, /value="make\.kia"[^>]*\/> Kia <span class="ad-filter__count">2</);
  });

  test('full-text search in Russian finds word forms and combines with filters', async () => {
    const { c } = await member();
    const res = await c.api('POST', '/api/ads', { categoryId: await idOf('home'), title: 'Продаю диваны и кресла', description: 'Мягкая мебель собственного производства, доставка по городу.', price: 25_000, fields: { kind: 'furniture', condition: 'new' } });
    assert.equal(res.status, 201, res.text);
    assert.match((await fresh().get('/ads/search?q=диван')).text, /Продаю диваны и кресла/);
    assert.match((await fresh().get('/ads/home/?q=мебелью&f=kind.furniture')).text, /Продаю диваны и кресла/);
    assert.doesNotMatch((await fresh().get('/ads/home/?q=мебелью&f=kind.garden')).text, /Продаю диваны и кресла/);
  });

  test('the filters’ and the text’s indexes keep no pending list (nothing empties it on PGlite, and every list would read it)', async () => {
    const { rows } = await sql<{ name: string; options: string[] | null }>`select relname as name, reloptions as options from pg_class where relname in ('ads_tokens_idx', 'ads_document_idx') order by relname`.execute(db());
    assert.deepEqual(rows, [
      { name: 'ads_document_idx', options: ['fastupdate=off'] },
      { name: 'ads_tokens_idx', options: ['fastupdate=off'] },
    ]);
  });
});

describe('readers', { timeout: 60_000 }, () => {
  test('the phone is revealed to a signed-in reader at once (an anonymous one after the check: phone.test.ts), counted as a lead; favourites hear of a price drop', async () => {
    const seller = await member();
    const res = await seller.c.api('POST', '/api/ads', await car({ price: 800_000 }));
    const { id } = res.json();
    const anon = fresh();
    const checked = await anon.request('POST', `/ads/item/${id}/phone`, { headers: { origin: portal.url, 'sec-fetch-site': 'same-origin' } });
    assert.equal(checked.status, 200);
    assert.doesNotMatch(checked.text, /912/, 'a stranger without the check sees no phone');
    const reader = await member();
    const shown = await reader.c.request('POST', `/ads/item/${id}/phone`, { headers: { origin: portal.url, 'sec-fetch-site': 'same-origin' } });
    assert.equal(shown.status, 200, shown.text.slice(0, 300));
    assert.match(shown.text, /\+7 912 345 67 89/);
    const stats = await db().selectFrom('ad_stats').selectAll().where('ad_id', '=', id).execute();
    assert.equal(stats.reduce((s, r) => s + r.reveals, 0), 1);

    const fav = await reader.c.request('POST', `/ads/item/${id}/favourite`, { form: { on: '1' }, headers: { origin: portal.url, 'sec-fetch-site': 'same-origin' } });
    assert.equal(fav.status, 303);
    assert.match((await reader.c.get('/ads/my/favourites')).text, /Продаю автомобиль/);
    const edit = await seller.c.api('PUT', `/api/ads/${id}`, await car({ title: 'Подешевле: автомобиль в хорошем состоянии', price: 750_000 }));
    assert.equal(edit.status, 200, edit.text);
    const told = await db().selectFrom('notifications').selectAll().where('user_id', '=', reader.id).where('kind', '=', 'ad_price_drop').execute();
    assert.equal(told.length, 1);
    // The edited page is purged at once.
    assert.match((await fresh().get(`/ads/cars/${id}/`)).text, /Подешевле/);
  });

  test('an ad expires after its category’s lifetime; its seller renews or closes it (sold?)', async () => {
    const seller = await member();
    const { id } = (await seller.c.api('POST', '/api/ads', await car())).json();
    clock.advance(31 * 86_400_000);
    await portal.app.jobs.run('classifieds.expire');
    // A month later the session is gone too: sign in again.
    await seller.c.signIn(seller.email, 'пароль-участника');
    assert.equal((await db().selectFrom('ads').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'expired');
    assert.equal((await fresh().get(`/ads/cars/${id}/`)).status, 404);
    assert.equal((await seller.c.submit(`/ads/item/${id}/renew`, {})).status, 303);
    assert.equal((await fresh().get(`/ads/cars/${id}/`)).status, 200);
    const other = await member();
    assert.equal((await other.c.get(`/ads/item/${id}/close`)).status, 404);
    assert.equal((await other.c.submit(`/ads/item/${id}/close`, { outcome: 'sold' })).status, 404);
    assert.equal((await seller.c.submit(`/ads/item/${id}/close`, { outcome: 'sold' })).status, 303);
    const row = await db().selectFrom('ads').select(['status', 'closed_outcome']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'closed', closed_outcome: 'sold' });
  });

  test('the no-JS form posts an ad with typed fields; a refusal shows the form again with the reason', async () => {
    const seller = await member();
    const flats = await idOf('flats');
    const post = async (fields: Record<string, string>) => {
      const form = new FormData();
      form.append('_csrf', await seller.c.csrf());
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      const cookie = [...seller.c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const res = await fetch(`${portal.url}/ads/new?category=${flats}`, { method: 'POST', headers: { cookie, origin: portal.url, 'sec-fetch-site': 'same-origin', ...seller.c.defaults }, body: form, redirect: 'manual' });
      return { status: res.status, location: res.headers.get('location'), text: await res.text() };
    };
    const base = { title: 'Двухкомнатная квартира у парка', description: 'Светлая, тёплая, рядом школа и остановка.', price: '4500000', 'field.deal': 'sale', 'field.rooms': '2', 'field.area': '54.5', 'field.floor': '3' };
    const bad = await post({ ...base, 'field.area': '5000' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /Площадь.*допустимо/);
    assert.match(bad.text, /Двухкомнатная квартира у парка/);
    const ok = await post(base);
    assert.equal(ok.status, 303, ok.text.slice(0, 500));
    assert.match(ok.location!, /^\/ads\/flats\/\d+\/$/);
  });
});
