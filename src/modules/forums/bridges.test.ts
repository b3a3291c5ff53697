// The forums on the demo portal and beside the news: the demo content itself,
// «Обсудить на форуме» under an article, «Обсуждают на форуме» on the home page, the
// board and topic feeds and the forum's sitemap.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Parser from 'rss-parser';
import { XMLParser } from 'fast-xml-parser';
import { startPortal, type Portal } from '../../../test/support/portal.js';

let portal: Portal;
let ip = 10;
before(async () => {
  portal = await startPortal({ config: { trustProxy: '127.0.0.1' } });
});
after(() => portal.close());

const db = () => portal.database.db;
const fresh = () => portal.client({ 'x-forwarded-for': `198.51.100.${ip++}` });
let n = 0;
async function member() {
  const email = `b${++n}@example.ru`;
  await portal.app.accounts.createUser({ email, password: 'пароль-участника', displayName: `Читатель ${n}`, role: 'reader' });
  const c = fresh();
  await c.signIn(email, 'пароль-участника');
  return c;
}

test('the demo forum: at least 8 boards, 40 topics and 400 posts, a pinned rules topic, a closed topic, quotes and likes', async () => {
  const count = async (table: 'forum_boards' | 'forum_topics' | 'forum_posts') => Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  assert.ok((await count('forum_boards')) >= 8);
  assert.ok((await count('forum_topics')) >= 40);
  assert.ok((await count('forum_posts')) >= 400);
  const pinned = await db().selectFrom('forum_topics').select(['title', 'closed']).where('pinned', '=', true).execute();
  assert.ok(pinned.some((t) => /правил/i.test(t.title)), 'a pinned rules topic');
  assert.ok((await db().selectFrom('forum_topics').select('id').where('closed', '=', true).execute()).length >= 2);
  const quoting = await db().selectFrom('forum_posts').select('id').where('body', 'like', '[quote=%').execute();
  assert.ok(quoting.length >= 40);
  const likes = await db().selectFrom('reactions').select('id').where('subject_kind', '=', 'forum_post').execute();
  assert.ok(likes.length >= 50);
  // The index shows the categories, a topic page renders its quotes with their source.
  const index = await fresh().get('/forum/');
  assert.match(index.text, /<h2><a href="\/forum\/gorod\/">Город<\/a><\/h2>/);
  const quoted = await db().selectFrom('forum_posts').innerJoin('forum_topics', 'forum_topics.id', 'forum_posts.topic_id').innerJoin('forum_boards', 'forum_boards.id', 'forum_topics.board_id').select(['forum_topics.id', 'forum_topics.slug', 'forum_boards.slug as board', 'forum_posts.number']).where('forum_posts.body', 'like', '[quote=%').where('forum_posts.number', '<=', 20).executeTakeFirstOrThrow();
  const page = await fresh().get(`/forum/${quoted.board}/${quoted.id}-${quoted.slug}/`);
  assert.equal(page.status, 200);
  assert.match(page.text, /<p class="forum-quote__source"><a href="[^"]+#post-\d+">[^<]+<\/a> писал\(а\):<\/p>/);
});

test('«Обсудить на форуме»: the first click starts the topic in the board the section names, the next finds it; the article then links to it', async () => {
  const tree = await portal.app.content.sections();
  const transport = tree.bySlugOf('transport')!;
  const [card] = (await portal.app.content.latest({ limit: 200 })).filter((a) => tree.path(a.section.id).some((s) => s.id === transport.id));
  assert.ok(card, 'a transport article');
  const before = await fresh().get(card.url);
  assert.match(before.text, new RegExp(`<form method="post" action="/forum/discuss/${card.id}"><button class="button button--secondary" type="submit">Обсудить на форуме</button></form>`));
  // A guest is sent to sign in.
  const guest = await fresh().request('POST', `/forum/discuss/${card.id}`, { form: {}, headers: { origin: portal.url } });
  assert.equal(guest.status, 303);
  assert.match(guest.location!, /^\/login\?next=/);
  const a = await member();
  const first = await a.request('POST', `/forum/discuss/${card.id}`, { form: {}, headers: { origin: portal.url } });
  assert.equal(first.status, 303);
  assert.match(first.location!, /^\/forum\/transport\/\d+-/);
  const topic = await db().selectFrom('forum_topics').select(['id', 'title']).where('article_id', '=', card.id).executeTakeFirstOrThrow();
  assert.equal(topic.title, card.title);
  const opening = await db().selectFrom('forum_posts').select('body').where('topic_id', '=', topic.id).executeTakeFirstOrThrow();
  assert.ok(opening.body.includes(portal.url + card.url), 'the first post links back to the article');
  const b = await member();
  const second = await b.request('POST', `/forum/discuss/${card.id}`, { form: {}, headers: { origin: portal.url } });
  assert.equal(second.location, first.location);
  assert.equal((await db().selectFrom('forum_topics').select('id').where('article_id', '=', card.id).execute()).length, 1);
  const after = await fresh().get(card.url);
  assert.match(after.text, new RegExp(`<a class="button button--secondary" href="${first.location!.replace(/[?]/g, '\\?')}">Обсуждение на форуме · 0 ответов</a>`));
});

test('«Обсуждают на форуме» on the home page lists the topics with the latest replies', async () => {
  const home = await fresh().get('/');
  assert.match(home.text, /<h2 class="block__title" id="forum-active-title"><a href="\/forum\/">Обсуждают на форуме<\/a><\/h2>/);
  const latest = (await portal.app.forums.reading.active(1))[0]!;
  assert.ok(home.text.includes(latest.title.replace(/"/g, '&quot;')) || home.text.includes(latest.title), 'the latest topic is listed');
});

test('board and topic feeds are RSS 2.0 with absolute links; the sitemap index names the forum’s sitemap, which lists topics', async () => {
  const board = (await portal.app.forums.boards.bySlug('transport'))!;
  const res = await fresh().get('/forum/transport/rss.xml');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type')!, /application\/rss\+xml/);
  const feed = await new Parser().parseString(res.text);
  assert.ok(feed.items.length >= 1);
  assert.ok(feed.items.every((i) => i.link!.startsWith(`${portal.url}/forum/transport/`)), feed.items.map((i) => i.link).join(" "));
  const topic = (await portal.app.forums.reading.boardTopics(board.id, 1)).topics[0]!;
  const topicFeed = await new Parser().parseString((await fresh().get(`/forum/transport/${topic.id}-${topic.slug}/rss.xml`)).text);
  assert.ok(topicFeed.items.length >= 1);
  assert.match(topicFeed.items[0]!.title!, /^Сообщение №\d+ · /);
  assert.equal((await fresh().get('/forum/net-takogo/rss.xml')).status, 404);

  const xml = new XMLParser();
  const index = xml.parse((await fresh().get('/sitemap.xml')).text);
  const locs: string[] = index.sitemapindex.sitemap.map((s: { loc: string }) => s.loc);
  assert.ok(locs.includes(`${portal.url}/sitemap-forum.xml`));
  const forumMap = xml.parse((await fresh().get('/sitemap-forum.xml')).text);
  const urls: string[] = forumMap.urlset.url.map((u: { loc: string }) => u.loc);
  assert.ok(urls.length >= 40);
  assert.ok(urls.includes(`${portal.url}/forum/transport/${topic.id}-${topic.slug}/`));
});
