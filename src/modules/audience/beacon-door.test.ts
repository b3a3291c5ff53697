// View beacons answered before Fastify (beacon-door.ts) must count and answer
// exactly as the route does, and leave to the route whatever they cannot answer.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import { articleIdOf } from './beacon-door.js';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
let portal: Portal;
let articleIds: number[];
let ip = 0;

before(async () => {
  portal = await startPortal({ config: { trustProxy: '127.0.0.1' } });
  articleIds = (await portal.app.content.latest({ limit: 5 })).map((a) => a.id);
});
after(() => portal.close());

/** A new reader's browser on its own address. */
const browser = () => portal.client({ 'x-forwarded-for': `192.0.2.${++ip}`, 'user-agent': BROWSER });
const send = (client: ReturnType<typeof browser>, body: unknown, headers: Record<string, string> = {}) =>
  client.request('POST', '/api/views', { raw: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin', ...headers } });
/** A beacon from a page that was loaded first: its island call gave the reader cookie (anti-stuffing.test.ts). */
const beacon = async (client: ReturnType<typeof browser>, body: unknown, headers: Record<string, string> = {}) => {
  if (!client.cookies.get('gorod_reader') && !client.cookies.get('gorod_session')) await client.get('/api/me');
  return send(client, body, headers);
};

/** Beacons that went through Fastify's route (its duration histogram). */
const routed = async () => {
  const metrics = await fetch(`${portal.url}/metrics`).then((r) => r.text());
  return [...metrics.matchAll(/http_request_duration_seconds_count\{[^}]*route="\/api\/views"[^}]*\} (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
};

/** view_beacons_total by result. */
const beaconMetrics = async () => {
  const metrics = await fetch(`${portal.url}/metrics`).then((r) => r.text());
  const of = (result: string) => Number(new RegExp(`view_beacons_total\\{result="${result}"\\} (\\d+)`).exec(metrics)?.[1] ?? 0);
  return { counted: of('counted'), notCounted: of('not_counted'), limited: of('limited') };
};

const storedViews = async (articleId: number) => {
  await portal.app.viewCounter.flush();
  const row = await portal.database.db.selectFrom('article_views_hourly').select((eb) => eb.fn.sum<number>('views').as('n')).where('article_id', '=', articleId).executeTakeFirst();
  return Number(row?.n ?? 0);
};

test('a page’s beacon is counted once per reader by the front door, with the route’s cookie and headers', async () => {
  const id = articleIds[0]!;
  const before = { views: await storedViews(id), routed: await routed(), beacons: await beaconMetrics() };
  const reader = browser();
  // A browser with no reader cookie yet is given one, and its beacon is not counted.
  const unproven = await send(reader, { articleId: id });
  assert.equal(unproven.status, 204);
  assert.equal(unproven.text, '');
  assert.equal(unproven.headers.get('gorod-view'), 'unproven');
  const cookie = unproven.headers.getSetCookie().find((c) => c.startsWith('gorod_reader='));
  assert.ok(cookie, 'a new reader gets the reader cookie');
  assert.match(cookie, /; Max-Age=34560000/);
  assert.match(cookie, /; Path=\//);
  assert.match(cookie, /; HttpOnly/);
  assert.match(cookie, /; SameSite=Lax/);
  assert.doesNotMatch(cookie, /Secure/);
  assert.match(unproven.headers.get('x-request-id')!, /^[0-9a-f-]{36}$/);
  assert.equal(unproven.headers.get('x-content-type-options'), 'nosniff');
  assert.ok(unproven.headers.get('content-security-policy'));

  const first = await beacon(reader, { articleId: id });
  assert.equal(first.status, 204);
  assert.equal(first.headers.get('gorod-view'), null);
  const again = await beacon(reader, { articleId: id });
  assert.equal(again.status, 204);
  assert.equal(again.headers.getSetCookie().length, 0, 'a known reader is not given a new cookie');
  assert.equal(await storedViews(id), before.views + 1, 'the repeat within 30 minutes is not counted');
  assert.equal(await routed(), before.routed, 'neither beacon reached the router');
  const beacons = await beaconMetrics();
  assert.equal(beacons.counted, before.beacons.counted + 1, 'the metrics count them');
  assert.equal(beacons.notCounted, before.beacons.notCounted + 2, 'the unproven one and the repeat');

  // The route (in-process inject never passes the front door) answers the same.
  const viaRoute = await portal.app.inject({ method: 'POST', url: '/api/views', payload: { articleId: articleIds[1]! }, headers: { 'sec-fetch-site': 'same-origin', 'user-agent': BROWSER } });
  assert.equal(viaRoute.statusCode, 204);
  const routeCookie = ([] as string[]).concat(viaRoute.headers['set-cookie'] ?? []).find((c) => c.startsWith('gorod_reader='))!;
  assert.equal(routeCookie.replace(/^gorod_reader=[^;]+/, ''), cookie.replace(/^gorod_reader=[^;]+/, ''), 'the same cookie attributes');
  for (const name of ['content-security-policy', 'x-content-type-options', 'referrer-policy', 'x-frame-options', 'permissions-policy', 'cross-origin-opener-policy']) {
    assert.equal(first.headers.get(name), viaRoute.headers[name], name);
  }
});

test('behind HTTPS the reader cookie is Secure and HSTS is sent', async () => {
  const res = await send(browser(), { articleId: articleIds[2]! }, { 'x-forwarded-proto': 'https' });
  assert.equal(res.status, 204);
  assert.match(res.headers.getSetCookie().find((c) => c.startsWith('gorod_reader='))!, /; Secure/);
  assert.match(res.headers.get('strict-transport-security')!, /max-age=/);
});

test('bots, unknown and unpublished articles get 204 and count nothing', async () => {
  const before = portal.app.viewCounter.accepted;
  assert.equal((await beacon(browser(), { articleId: articleIds[3]! }, { 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' })).status, 204);
  assert.equal((await beacon(browser(), { articleId: 2147483000 })).status, 204);
  assert.equal(portal.app.viewCounter.accepted, before);
});

test('a broken body is refused with a Russian 400 and counts nothing', async () => {
  const before = { accepted: portal.app.viewCounter.accepted, routed: await routed() };
  for (const body of ['{"articleId":', '{"articleId":0}', '{"articleId":1.5}', '{"articleId":"7"}', '{"articleId":7,"x":1}', '[7]', 'null', '{"__proto__":{"articleId":7}}']) {
    const res = await beacon(browser(), body);
    assert.equal(res.status, 400, body);
    assert.equal(res.json().error.code, 'validation', body);
    assert.match(res.json().error.message, /^Неверные данные/, body);
  }
  assert.equal(portal.app.viewCounter.accepted, before.accepted);
  assert.equal(await routed(), before.routed);
});

test('what the door cannot answer goes to the route: another site, a signed-in reader, another content type, a large body', async () => {
  const before = await routed();
  const foreign = await beacon(browser(), { articleId: articleIds[0]! }, { 'sec-fetch-site': 'cross-site' });
  assert.equal(foreign.status, 403);
  assert.equal(foreign.json().error.code, 'csrf');
  // Fastify reads text/plain as a string, which the route's schema refuses.
  const text = await beacon(browser(), { articleId: articleIds[0]! }, { 'content-type': 'text/plain' });
  assert.equal(text.status, 400);
  assert.equal(text.json().error.code, 'validation');
  const large = await beacon(browser(), `{"articleId":${articleIds[0]!}${' '.repeat(300)}}`);
  assert.equal(large.status, 204);

  await portal.app.accounts.createUser({ email: 'beacon@example.ru', password: 'пароль-маяка', displayName: 'Маяк', role: 'reader' });
  const member = browser();
  await member.signIn('beacon@example.ru', 'пароль-маяка');
  const id = articleIds[4]!;
  const views = await storedViews(id);
  assert.equal((await beacon(member, { articleId: id })).status, 204);
  assert.equal(await storedViews(id), views + 1, 'the account’s view counts');
  const read = await portal.database.db.selectFrom('reader_reads').select('reader').where('article_id', '=', id).where('reader', 'like', 'u:%').execute();
  assert.equal(read.length, 1, 'and goes into the account’s reading history');
  assert.equal(await routed(), before + 4);
});

test('past 600 beacons a minute an address gets 429 in Russian, from the door and the route alike', async () => {
  const flood = browser();
  const address = flood.defaults['x-forwarded-for']!;
  let status = 0;
  for (let i = 0; i < 600; i++) status = (await beacon(flood, { articleId: articleIds[i % 5]! })).status;
  assert.equal(status, 204);
  const limited = await beacon(flood, { articleId: articleIds[0]! });
  assert.equal(limited.status, 429);
  assert.match(limited.json().error.message, /^Вы отправляете запросы слишком часто.* \(\d+ с\)$/);
  assert.ok(Number(limited.headers.get('retry-after')) >= 1);
  const english = await beacon(flood, { articleId: articleIds[0]! }, { cookie: 'gorod_lang=en' });
  assert.equal(english.status, 429);
  assert.match(english.json().error.message, /^You are sending requests too often.* \(\d+ s\)$/);
  assert.ok((await beaconMetrics()).limited >= 2);
  // The route counts against the same limit, and a refused beacon makes no new reader.
  const viaRoute = await portal.app.inject({ method: 'POST', url: '/api/views', payload: { articleId: articleIds[0]! }, headers: { 'sec-fetch-site': 'same-origin', 'x-forwarded-for': address, 'user-agent': BROWSER }, remoteAddress: '127.0.0.1' });
  assert.equal(viaRoute.statusCode, 429);
  assert.equal(viaRoute.headers['set-cookie'], undefined);
  assert.equal(limited.headers.get('set-cookie'), null);
  // Another address is not limited.
  assert.equal((await beacon(browser(), { articleId: articleIds[0]! })).status, 204);
});

test('the body rule: an object with one integer articleId and nothing else', () => {
  assert.equal(articleIdOf('{"articleId":42}'), 42);
  assert.equal(articleIdOf(' { "articleId" : 2147483647 } '), 2147483647);
  for (const body of ['{"articleId":2147483648}', '{"articleId":-1}', '{}', '{"articleId":null}', '"42"', '42', '', '{"articleId":42}x']) assert.equal(articleIdOf(body), null, body);
});
