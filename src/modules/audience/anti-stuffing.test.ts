// Counts a script cannot buy cheaply (issue: 600 cookieless beacons from one address
// made an article first in «ТОП 5»; a fresh cookie per request bought 120 reactions):
// only readers issued before count, new ones are capped per address and article an
// hour, and signed-in readers weigh more in ТОП 5 (README.md, platform/reader-cap.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import type { Client } from '../../../test/support/client.js';
import { NEW_READERS_PER_HOUR } from '../../platform/reader-cap.js';
import { hourOf } from './view-counter.js';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
let portal: Portal;
let ids: number[];

before(async () => {
  portal = await startPortal({ config: { trustProxy: '127.0.0.1' } });
  ids = (await portal.app.content.latest({ limit: 12 })).map((a) => a.id);
});
after(() => portal.close());

const from = (address: string) => portal.client({ 'x-forwarded-for': address, 'user-agent': BROWSER });
const beacon = (c: Client, articleId: number) =>
  c.request('POST', '/api/views', { raw: JSON.stringify({ articleId }), headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' } });
const views = async (articleId: number) => {
  await portal.app.viewCounter.flush();
  const row = await portal.database.db.selectFrom('article_views_hourly').select((eb) => eb.fn.sum<number>('views').as('n')).where('article_id', '=', articleId).executeTakeFirst();
  return Number(row?.n ?? 0);
};

test('600 cookieless beacons from one address, and one each from 20 more, count nothing', async () => {
  const id = ids[0]!;
  const before = await views(id);
  for (let i = 0; i < 600; i++) {
    const res = await beacon(from('203.0.113.5'), id);
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('gorod-view'), 'unproven', 'the answer tells the page to send it again with its new cookie');
  }
  for (let i = 0; i < 20; i++) await beacon(from(`203.0.113.${100 + i}`), id);
  assert.equal(await views(id), before, 'within the documented cap (0 for readers never issued before)');
});

test('a script that keeps each new cookie for one more beacon adds at most the cap per address an hour', async () => {
  const id = ids[1]!;
  const before = await views(id);
  for (let i = 0; i < NEW_READERS_PER_HOUR + 40; i++) {
    const c = from('203.0.113.6');
    await beacon(c, id); // issues the cookie, not counted
    await beacon(c, id); // counted while the address is within the cap
  }
  assert.equal(await views(id), before + NEW_READERS_PER_HOUR);
  // An IPv6 client steps through its /64 in vain: the /64 is one address.
  const v6before = await views(ids[2]!);
  for (let i = 0; i < NEW_READERS_PER_HOUR + 10; i++) {
    const c = from(`2001:db8:7:7::${(i + 1).toString(16)}`);
    await beacon(c, ids[2]!);
    await beacon(c, ids[2]!);
  }
  assert.equal(await views(ids[2]!), v6before + NEW_READERS_PER_HOUR);
});

test('100 real readers behind one carrier address, each loading the page first, all count', async () => {
  const card = (await portal.app.content.cards([ids[3]!]))[0]!;
  const before = await views(card.id);
  for (let i = 0; i < 100; i++) {
    const reader = from('198.51.100.77');
    assert.equal((await reader.get(card.url)).status, 200);
    // The page's first island call gives the reader its cookie …
    await reader.get('/api/me');
    assert.ok(reader.cookies.get('gorod_reader'));
    // … so its beacon comes from a reader issued before it.
    const res = await beacon(reader, card.id);
    assert.equal(res.headers.get('gorod-view'), null);
  }
  assert.equal(await views(card.id), before + 100);
});

test('a fresh cookie per reaction request buys no reactions; a reader issued before reacts', async () => {
  const id = ids[4]!;
  const url = `/api/articles/${id}/reaction`;
  const before = (await portal.app.reactions.counts({ kind: 'article', id })).SURPRISED;
  for (let i = 0; i < 60; i++) {
    const c = from('203.0.113.9');
    // The CSRF token of the page, without the reader cookie the page's island call gives.
    const csrf = await c.csrf();
    c.cookies.delete('gorod_reader');
    const res = await c.request('PUT', url, { body: { kind: 'SURPRISED' }, headers: { 'x-csrf-token': csrf, accept: 'application/json' } });
    assert.equal(res.status, 403);
    assert.equal(res.json().error.code, 'reader.unproven');
    assert.match(res.json().error.message, /обновите страницу/);
  }
  assert.equal((await portal.app.reactions.counts({ kind: 'article', id })).SURPRISED, before);
  const real = from('203.0.113.9');
  assert.equal((await real.api('PUT', url, { kind: 'SURPRISED' })).status, 200);
  assert.equal((await portal.app.reactions.counts({ kind: 'article', id })).SURPRISED, before + 1);
});

test('an anonymous comment vote from a reader never issued before is refused and stores nothing', async () => {
  const [comment] = await portal.database.db.selectFrom('comments').select(['id', 'up']).where('status', '=', 'approved').limit(1).execute();
  if (!comment) return;
  const c = from('203.0.113.10');
  const csrf = await c.csrf();
  c.cookies.delete('gorod_reader');
  const res = await c.request('PUT', `/api/comments/${comment.id}/vote`, { body: { value: 1 }, headers: { 'x-csrf-token': csrf, accept: 'application/json' } });
  assert.equal(res.status, 403);
  assert.equal(res.json().error.code, 'reader.unproven');
  const after = await portal.database.db.selectFrom('comments').select('up').where('id', '=', comment.id).executeTakeFirstOrThrow();
  assert.equal(after.up, comment.up);
});

test('in ТОП 5 a signed-in reader’s view weighs three anonymous ones', async () => {
  const [many, few] = [ids[10]!, ids[11]!];
  const hour = hourOf(portal.clock.now());
  // More anonymous views for one; fewer, but signed-in, for the other (the most read of the day by far).
  await portal.database.db
    .insertInto('article_views_hourly')
    .values([
      { article_id: many, hour, views: 100_000, signed_views: 0 },
      { article_id: few, hour, views: 40_000, signed_views: 40_000 },
    ])
    .onConflict((oc) => oc.columns(['article_id', 'hour']).doUpdateSet({ views: sql`excluded.views`, signed_views: sql`excluded.signed_views` }))
    .execute();
  const top = await portal.app.audience.computeTop(5, 24);
  assert.deepEqual(top.slice(0, 2), [few, many], '40,000 × 3 outweighs 100,000 anonymous');
});
