// Feed import from a local server: ads created, updated and closed by external id,
// photos fetched by URL, a report of what was refused (in Russian); a feed that is
// not XML, and a private address when they are not allowed, are refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import { ManualClock } from '../../platform/clock.js';
import { privateAddress } from './feed.js';

let portal: Portal;
let server: http.Server;
let base = '';
let feed = '';
let png: Buffer;
const clock = new ManualClock(new Date('2026-06-01T09:00:00Z'));
before(async () => {
  portal = await startPortal({ demo: false, clock, config: { trustProxy: '127.0.0.1' } });
  png = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#a63' } }).png().toBuffer();
  server = http.createServer((req, res) => {
    if (req.url === '/photo.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(png);
    if (req.url === '/not-image.png') return res.writeHead(200, { 'content-type': 'image/png' }).end('нет');
    res.writeHead(200, { 'content-type': 'application/xml' }).end(feed);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  delete process.env.ADS_FEED_ALLOW_PRIVATE;
  server.close();
  await portal.close();
});

const ad = (id: string, title: string, extra = '') => `<Ad><Id>${id}</Id><Category>flats</Category><Title>${title}</Title><Description>Квартира от агентства, чистая продажа, документы готовы.</Description><Price>5500000</Price><ContactPhone>+7 912 111-22-33</ContactPhone><District>Центральный</District><Deal>sale</Deal><Rooms>2</Rooms><Area>52</Area>${extra}</Ad>`;

test('private and local addresses are not public', () => {
  for (const ip of ['127.0.0.1', '10.1.2.3', '192.168.0.1', '172.16.5.5', '169.254.169.254', '::1', 'fd00::1', '::ffff:10.0.0.1']) assert.equal(privateAddress(ip), true, ip);
  for (const ip of ['93.184.216.34', '2a00:1450::1']) assert.equal(privateAddress(ip), false, ip);
});

test('a feed creates, updates and closes ads by external id, with a report', async () => {
  const email = `feed-${Date.now()}@example.ru`;
  const user = await portal.app.accounts.createUser({ email, password: 'пароль-агентства', displayName: 'Агент', role: 'reader' });
  const c = portal.client({ 'x-forwarded-for': '198.51.100.200' });
  await c.signIn(email, 'пароль-агентства');
  await portal.app.classifieds.storefronts.create({ slug: 'agentstvo-feed', name: 'Агентство с фидом' }, user.id);

  // Without the test's permission a local address is refused, and nothing is imported.
  feed = `<Ads>${ad('a1', 'Двушка у парка')}</Ads>`;
  const refused = await c.submit('/ads/shop/agentstvo-feed/feed', { url: `${base}/feed.xml` });
  assert.equal(refused.status, 400);
  assert.match(refused.text, /внутреннюю сеть/);

  process.env.ADS_FEED_ALLOW_PRIVATE = '1';
  feed = `<?xml version="1.0" encoding="UTF-8"?><Ads formatVersion="3">${ad('a1', 'Двушка у парка', `<Images><Image url="${base}/photo.png"/></Images>`)}${ad('a2', 'Двушка у реки')}<Ad><Id>a3</Id><Category>yachts</Category><Title>Яхта</Title></Ad>${ad('a4', 'Квартира с чужим фото', `<Images><Image url="${base}/not-image.png"/></Images>`)}</Ads>`;
  const first = await c.submit('/ads/shop/agentstvo-feed/feed', { url: `${base}/feed.xml` });
  assert.equal(first.status, 200, first.text.slice(0, 300));
  assert.match(first.text, /создано 2, обновлено 0, снято 0/);
  assert.match(first.text, /a3: Такой категории нет/);
  assert.match(first.text, /a4: Фото по ссылке/);
  const rows = await portal.database.db.selectFrom('ads').select(['id', 'external_id', 'status', 'photo_count', 'phone']).where('external_id', 'is not', null).orderBy('external_id').execute();
  assert.deepEqual(rows.map((r) => [r.external_id, r.status, r.photo_count, r.phone]), [['a1', 'active', 1, '+79121112233'], ['a2', 'active', 0, '+79121112233']]);

  feed = `<Ads>${ad('a1', 'Двушка у парка, цена снижена')}</Ads>`;
  const second = await c.submit('/ads/shop/agentstvo-feed/feed', { url: `${base}/feed.xml` });
  assert.match(second.text, /создано 0, обновлено 1, снято 1/);
  const after = await portal.database.db.selectFrom('ads').select(['external_id', 'status', 'title']).where('external_id', 'is not', null).orderBy('external_id').execute();
  assert.deepEqual(after.map((r) => [r.external_id, r.status]), [['a1', 'active'], ['a2', 'closed']]);
  assert.equal(after[0]!.title, 'Двушка у парка, цена снижена');

  feed = 'это не XML';
  const notXml = await c.submit('/ads/shop/agentstvo-feed/feed', { url: `${base}/feed.xml` });
  assert.equal(notXml.status, 400);
  assert.match(notXml.text, /Это не XML-фид/);
});

test('the feed is fetched again on schedule, as the manager who set it; once they no longer manage the storefront it stops and says why', async () => {
  process.env.ADS_FEED_ALLOW_PRIVATE = '1';
  const email = `feed-schedule-${Date.now()}@example.ru`;
  const owner = await portal.app.accounts.createUser({ email, password: 'пароль-агентства', displayName: 'Агент по расписанию', role: 'reader' });
  const c = portal.client({ 'x-forwarded-for': '198.51.100.201' });
  await c.signIn(email, 'пароль-агентства');
  const shop = await portal.app.classifieds.storefronts.create({ slug: 'agentstvo-raspisanie', name: 'Агентство по расписанию' }, owner.id);
  feed = `<Ads>${ad('s1', 'Однушка по расписанию')}</Ads>`;
  const set = await c.submit('/ads/shop/agentstvo-raspisanie/feed', { url: `${base}/feed.xml` });
  assert.equal(set.status, 200, set.text.slice(0, 300));
  assert.match(set.text, /Фид загружается заново каждые 6 ч/);
  const titles = async () => (await portal.database.db.selectFrom('ads').select(['external_id', 'title', 'status']).where('organisation_id', '=', shop.id).orderBy('external_id').execute()).map((r) => [r.external_id, r.title, r.status]);

  // Within the six hours the job leaves it; after them it imports what changed.
  feed = `<Ads>${ad('s1', 'Однушка по расписанию, новая цена')}${ad('s2', 'Вторая по расписанию')}</Ads>`;
  clock.advance(60 * 60_000);
  await portal.app.jobs.run('classifieds.feeds');
  assert.deepEqual(await titles(), [['s1', 'Однушка по расписанию', 'active']]);
  clock.advance(6 * 60 * 60_000);
  assert.equal(await portal.app.jobs.run('classifieds.feeds'), true);
  // (Their status is the duplicate check's business: the same text and phone as s1 waits for a moderator.)
  assert.deepEqual((await titles()).map((t) => t.slice(0, 2)), [['s1', 'Однушка по расписанию, новая цена'], ['s2', 'Вторая по расписанию']]);

  // The one who set it hands the storefront over and leaves: the next run stops, the page says why.
  const heir = await portal.app.accounts.createUser({ email: `heir-${Date.now()}@example.ru`, password: 'пароль-наследника', displayName: 'Наследник', role: 'reader' });
  await portal.app.organisations.setRole(shop.id, heir.id, 'owner');
  await portal.app.organisations.remove(shop.id, owner.id);
  feed = `<Ads>${ad('s1', 'Однушка, которую никто не обновит')}</Ads>`;
  clock.advance(7 * 60 * 60_000);
  await portal.app.jobs.run('classifieds.feeds');
  assert.deepEqual((await titles()).map((t) => t[1]), ['Однушка по расписанию, новая цена', 'Вторая по расписанию']);
  const report = await portal.app.classifieds.feeds.get(shop.id);
  assert.match(JSON.stringify(report?.report), /Загрузка по расписанию остановлена/);
});
