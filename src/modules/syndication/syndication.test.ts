import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Parser from 'rss-parser';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { startPortal, type Portal } from '../../../test/support/portal.js';

let portal: Portal;
before(async () => {
  portal = await startPortal();
});
after(() => portal.close());

const get = (path: string) => portal.client().get(path);
const xml = new XMLParser({ ignoreAttributes: false });

test('the site RSS 2.0 feed parses and lists the newest articles with absolute links', async () => {
  const res = await get('/rss.xml');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type')!, /application\/rss\+xml/);
  const feed = await new Parser().parseString(res.text);
  assert.equal(feed.title, 'Город');
  assert.ok(feed.items.length >= 20);
  const newest = (await portal.app.content.latest({ limit: 1 }))[0]!;
  assert.equal(feed.items[0]!.title, newest.title);
  assert.equal(feed.items[0]!.link, portal.url + newest.url);
  assert.ok(feed.items.every((i) => i.link!.startsWith('http')));
});

test('each section has its own feed with only that section’s articles', async () => {
  const tree = await portal.app.content.sections();
  const sport = tree.bySlugOf('sport')!;
  const feed = await new Parser().parseString((await get('/rss/sport.xml')).text);
  assert.match(feed.title!, /Спорт/);
  assert.ok(feed.items.length > 0);
  for (const item of feed.items) assert.match(item.link!, /\/text\/sport\//);
  assert.ok(sport);
  assert.equal((await get('/rss/nothing.xml')).status, 404);
});

test('the aggregator feed follows Yandex conventions with the full text', async () => {
  const res = await get('/rss/yandex.xml');
  assert.equal(res.status, 200);
  assert.equal(XMLValidator.validate(res.text), true);
  assert.match(res.text, /xmlns:yandex="http:\/\/news.yandex.ru"/);
  const doc = xml.parse(res.text);
  const items = doc.rss.channel.item;
  assert.ok(items.length > 0);
  const first = items[0];
  assert.ok(String(first['yandex:full-text']).length > 200, 'full text present');
  assert.ok(['message', 'article'].includes(first['yandex:genre']));
  const article = await portal.app.content.article(Number(/\/(\d+)\/$/.exec(first.link)![1]));
  assert.equal(String(first['yandex:full-text']).slice(0, 50), article!.bodyText.slice(0, 50));
});

test('the sitemap index lists the news, article, page and forum sitemaps, each valid XML', async () => {
  const index = xml.parse((await get('/sitemap.xml')).text);
  const locs: string[] = index.sitemapindex.sitemap.map((s: { loc: string }) => s.loc);
  assert.deepEqual(locs.map((l) => new URL(l).pathname).sort(), ['/sitemap-articles.xml', '/sitemap-forum.xml', '/sitemap-news.xml', '/sitemap-pages.xml']);
  const articles = xml.parse((await get('/sitemap-articles.xml')).text);
  const count = await portal.app.content.latest({ limit: 1000 });
  assert.equal(articles.urlset.url.length, count.length);
  const pages = xml.parse((await get('/sitemap-pages.xml')).text);
  assert.ok(pages.urlset.url.some((u: { loc: string }) => u.loc.endsWith('/text/gorod/')));
});

test('the news sitemap holds only articles of the last two days, with Google News tags', async () => {
  const text = (await get('/sitemap-news.xml')).text;
  assert.match(text, /xmlns:news="http:\/\/www.google.com\/schemas\/sitemap-news\/0.9"/);
  const doc = xml.parse(text);
  const urls = [].concat(doc.urlset.url ?? []) as Record<string, any>[];
  assert.ok(urls.length > 0, 'demo has fresh articles');
  const twoDaysAgo = Date.now() - 2 * 24 * 3600_000 - 60_000;
  for (const u of urls) {
    assert.equal(u['news:news']['news:publication']['news:name'], 'Город');
    assert.equal(u['news:news']['news:publication']['news:language'], 'ru');
    assert.ok(new Date(u['news:news']['news:publication_date']).getTime() >= twoDaysAgo);
  }
});

test('robots.txt points at the sitemap and keeps crawlers out of the back office', async () => {
  const res = await get('/robots.txt');
  assert.equal(res.status, 200);
  assert.match(res.text, /Sitemap: http:\/\/127\.0\.0\.1:\d+\/sitemap\.xml/);
  assert.match(res.text, /Disallow: \/admin/);
});

test('a title and a lead with markup reach feed readers as text, in RSS and in the Yandex feed', async () => {
  const [card] = await portal.app.content.latest({ limit: 1 });
  const article = (await portal.app.content.readerArticle(card!.id))!;
  const hostile = { ...article, title: '<img src=x onerror=alert(1)> Мост & «сквер»', lead: '<script>alert(2)</script> лид' } as never;
  const { rssFeed, yandexFeed } = await import('./feeds.js');
  const site = { name: 'Город', url: portal.url, description: 'Новости' };
  for (const text of [rssFeed(site, { title: 'Город', selfPath: '/rss.xml', link: '/' }, [hostile]), yandexFeed(site, [hostile])]) {
    assert.doesNotMatch(text, /<img|<script/);
    const feed = await new Parser().parseString(text);
    // What a reader shows as HTML is the text itself, markup and all.
    assert.equal(feed.items[0]!.title, '&lt;img src=x onerror=alert(1)&gt; Мост &amp; «сквер»');
    assert.equal(feed.items[0]!.content, '&lt;script&gt;alert(2)&lt;/script&gt; лид');
  }
});
