// «Показать телефон» for a reader without an account (phone-check.ts): a reader who
// loaded the page sees the phone (in place through JSON, or on the page without
// JavaScript, with one more press for a browser that came without its cookie); a
// script that keeps no cookies is refused in Russian; the limits per reader and per
// address (an IPv6 /64 as one) hold; every reveal is a lead.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import type { Client } from '../../../test/support/client.js';
import { ManualClock } from '../../platform/clock.js';

let portal: Portal;
let clock: ManualClock;
let ip = 10;
after(() => portal.close());

const db = () => portal.database.db;
const sameOrigin = () => ({ origin: portal.url, 'sec-fetch-site': 'same-origin' });
const fresh = (addr = `198.51.100.${ip++}`) => portal.client({ 'x-forwarded-for': addr });
const PHONE = /\+7 912 345 67 89/;
const checkOf = (html: string) => /name="check" value="([^"]+)"/.exec(html)?.[1] ?? '';

let adId = 0;
let adUrl = '';
before(async () => {
  clock = new ManualClock(new Date('2026-06-01T09:00:00Z'));
  portal = await startPortal({ clock, demo: false, config: { trustProxy: '127.0.0.1' } });
  const email = `phone-seller-${Date.now()}@example.ru`;
  await portal.app.accounts.createUser({ email, password: 'пароль-продавца', displayName: 'Продавец', role: 'reader' });
  const seller = fresh();
  await seller.signIn(email, 'пароль-продавца');
  const cars = (await portal.app.classifieds.catalogue()).bySlug.get('cars')!.id;
  const res = await seller.api('POST', '/api/ads', { categoryId: cars, title: 'Продаю седан в хорошем состоянии', description: 'Один владелец, сервисная книжка, зимняя резина в подарок.', price: 700_000, phone: '8 912 345-67-89', fields: { make: 'toyota', model: 'Camry', year: 2014, mileage: 150_000 } });
  assert.equal(res.status, 201, res.text);
  ({ id: adId, url: adUrl } = res.json());
});

const reveals = async () => (await db().selectFrom('ad_stats').select('reveals').where('ad_id', '=', adId).execute()).reduce((s, r) => s + r.reveals, 0);
/** A browser that loaded the ad page: its reader identity from the page's reader-state call, and the page's token. */
async function loadPage(c: Client) {
  assert.equal((await c.get('/api/reader-state')).status, 200);
  assert.ok(c.cookies.get('gorod_reader'), 'the page’s reader-state call gives the browser its reader identity');
  const page = await c.get(adUrl);
  assert.equal(page.status, 200);
  assert.doesNotMatch(page.text, PHONE);
  return checkOf(page.text);
}
const press = (c: Client, check: string) => c.request('POST', `/ads/item/${adId}/phone`, { form: { check }, headers: sameOrigin() });
const pressJson = (c: Client, check: string) => c.request('POST', `/ads/item/${adId}/phone`, { body: { check }, headers: { ...sameOrigin(), accept: 'application/json' } });

describe('anonymous reveal', { timeout: 60_000 }, () => {
  test('a reader who loaded the page reveals the phone without JavaScript: the ad page comes back with it, a lead is counted', async () => {
    const before = await reveals();
    const reader = fresh();
    const check = await loadPage(reader);
    assert.match(check, /^p\./);
    clock.advance(3_000);
    const shown = await press(reader, check);
    assert.equal(shown.status, 200, shown.text.slice(0, 300));
    assert.match(shown.text, PHONE);
    assert.match(shown.text, /Продаю седан в хорошем состоянии/, 'the ad page itself, with the phone on it');
    assert.match(shown.headers.get('cache-control') ?? '', /no-store/);
    assert.equal(await reveals(), before + 1);
    const row = await db().selectFrom('ad_reveals').select('reader').where('ad_id', '=', adId).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    assert.match(row.reader, /^a:[0-9a-f-]{36}$/);
    // The cached page stays without the phone for the next reader.
    assert.doesNotMatch((await fresh().get(adUrl)).text, PHONE);
  });

  test('the island: a press within the small delay gets a check token and the wait, then the phone', async () => {
    const before = await reveals();
    const reader = fresh();
    const check = await loadPage(reader);
    const early = await pressJson(reader, check);
    assert.equal(early.status, 200, early.text);
    const asked = early.json();
    assert.equal(asked.phone, undefined);
    assert.match(asked.check, /^r\./);
    assert.ok(asked.wait > 0 && asked.wait <= 2_000, String(asked.wait));
    // Too soon even with the check token: the same token back (the wait does not start again).
    assert.equal((await pressJson(reader, asked.check)).json().check, asked.check);
    clock.advance(asked.wait + 1_000);
    const shown = await pressJson(reader, asked.check);
    assert.equal(shown.status, 200, shown.text);
    assert.equal(shown.json().phone, '+7 912 345 67 89');
    assert.equal(await reveals(), before + 1);
  });

  test('a browser that came without its cookie presses once more; a script that keeps no cookies is refused in Russian', async () => {
    const page = await fresh().get(adUrl);
    const pageCheck = checkOf(page.text);
    const before = await reveals();

    // A browser without JavaScript and without a cookie yet: one more button, its cookie comes with it.
    const browser = fresh();
    const first = await press(browser, pageCheck);
    assert.equal(first.status, 200);
    assert.doesNotMatch(first.text, PHONE);
    assert.match(first.text, /Короткая проверка, что вы не робот/);
    assert.ok(browser.cookies.get('gorod_reader'));
    const again = checkOf(first.text);
    assert.match(again, /^r\./);
    clock.advance(3_000);
    const shown = await press(browser, again);
    assert.equal(shown.status, 200);
    assert.match(shown.text, PHONE);

    // The same steps by a script that drops every cookie.
    const script = fresh();
    const step1 = await press(script, pageCheck);
    assert.doesNotMatch(step1.text, PHONE);
    const token = checkOf(step1.text);
    script.cookies.clear();
    clock.advance(3_000);
    const refused = await press(script, token);
    assert.equal(refused.status, 403);
    assert.match(refused.text, /браузер не сохраняет cookie/);
    assert.doesNotMatch(refused.text, PHONE);
    script.cookies.clear();
    const json = await pressJson(script, pageCheck);
    assert.equal(json.status, 403);
    assert.match(json.json().error.message, /браузер не сохраняет cookie/);
    // Another reader's check token, or the page token of another ad, proves nothing.
    const other = fresh();
    await loadPage(other);
    clock.advance(3_000);
    const stolen = await press(other, again);
    assert.doesNotMatch(stolen.text, PHONE);
    assert.match(stolen.text, /Короткая проверка/);
    const wrongAd = await press(other, pageCheck.replace(/\.[^.]+$/, '.AAAAAAAAAAAAAAAAAAAAAA'));
    assert.doesNotMatch(wrongAd.text, PHONE);
    assert.equal(await reveals(), before + 1, 'only the real browser’s reveal counted');
  });

  test('limits: five anonymous reveals per address in ten minutes, an IPv6 /64 counting as one address', async () => {
    const net = '2001:db8:7:1';
    for (let i = 1; i <= 5; i++) {
      const reader = fresh(`${net}::${i.toString(16)}`);
      const check = await loadPage(reader);
      clock.advance(3_000);
      const res = await press(reader, check);
      assert.match(res.text, PHONE, `reveal ${i}`);
    }
    const sixth = fresh(`${net}:ffff:ffff:ffff:fffe`);
    const check = await loadPage(sixth);
    clock.advance(3_000);
    const refused = await press(sixth, check);
    assert.equal(refused.status, 429);
    assert.match(refused.text, /Слишком много запросов/);
    assert.doesNotMatch(refused.text, PHONE);
    // Another /64 is another address.
    const elsewhere = fresh('2001:db8:7:2::1');
    const check2 = await loadPage(elsewhere);
    clock.advance(3_000);
    assert.match((await press(elsewhere, check2)).text, PHONE);
  });

  test('limits: one reader identity sees at most ten phones in ten minutes, across addresses', async () => {
    const reader = fresh();
    await loadPage(reader);
    clock.advance(3_000);
    const pageCheck = checkOf((await reader.get(adUrl)).text);
    let last = 0;
    for (let i = 0; i < 11; i++) {
      // The same cookie from a new address each time: the per-reader limit still counts it.
      reader.defaults['x-forwarded-for'] = `192.0.2.${100 + i}`;
      last = (await press(reader, pageCheck)).status;
      if (i < 10) assert.equal(last, 200, `press ${i + 1}`);
    }
    assert.equal(last, 429);
  });
});
