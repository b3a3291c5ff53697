import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import { ManualClock } from '../../platform/clock.js';
import { profileOf, score } from './service.js';
import { DEDUPE_MS, ViewDedupe, hourOf } from './view-counter.js';
import { articleIdFrom } from './pins-routes.js';
import { READS_KEPT_DAYS } from './routes.js';
import crypto from 'node:crypto';
import { anonymousReader, signReaderId } from '../../platform/reader.js';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36';

describe('rules', () => {
  test('a reader’s repeat view within 30 minutes counts once, after that again', async () => {
    let now = 0;
    const d = new ViewDedupe(() => now);
    assert.equal(await d.first('a:1', 7), true);
    now += DEDUPE_MS - 1;
    assert.equal(await d.first('a:1', 7), false);
    assert.equal(await d.first('a:2', 7), true, 'another reader');
    assert.equal(await d.first('a:1', 8), true, 'another article');
    now += 2;
    assert.equal(await d.first('a:1', 7), true);
  });

  test('views go to the bucket of their hour', () => {
    assert.equal(hourOf(new Date('2026-11-27T10:59:59.999Z')).toISOString(), '2026-11-27T10:00:00.000Z');
  });

  test('scoring: what a reader reads weighs more, older and less read weigh less', () => {
    const now = new Date('2026-11-27T12:00:00Z');
    const meta = (id: number, sectionId: number, hoursAgo: number, storyId: number | null = null, tagIds: number[] = []) => ({ id, published: true, sectionId, storyId, tagIds, publishedAt: new Date(now.getTime() - hoursAgo * 3600_000) });
    const sportFan = profileOf([1, 2, 3].map((id) => ({ article_id: id, section_id: 9, story_id: null, tag_ids: [5] })));
    const sport = { id: 10, views: 50, meta: meta(10, 9, 5, null, [5]) };
    const city = { id: 11, views: 50, meta: meta(11, 1, 5) };
    assert.ok(score(sport, 100, sportFan, now) > score(city, 100, sportFan, now));
    const newcomer = profileOf([]);
    assert.equal(score(sport, 100, newcomer, now), score(city, 100, newcomer, now), 'a new reader sees popularity and freshness only');
    assert.ok(score({ ...city, views: 100 }, 100, newcomer, now) > score(city, 100, newcomer, now));
    assert.ok(score(city, 100, newcomer, now) > score({ ...city, meta: meta(11, 1, 50) }, 100, newcomer, now));
  });

  test('a pin takes a number or an article URL', () => {
    assert.equal(articleIdFrom('42'), 42);
    assert.equal(articleIdFrom('https://city.example/text/gorod/2026/11/27/42/'), 42);
    assert.equal(articleIdFrom('abc'), null);
  });
});

describe('views, ТОП 5 and «Рекомендуем» on a portal', () => {
  let portal: Portal;
  const clock = new ManualClock(new Date());
  before(async () => {
    portal = await startPortal({ clock, config: { trustProxy: '127.0.0.1' } });
  });
  after(() => portal.close());

  const beacon = async (client: ReturnType<Portal['client']>, articleId: unknown, ua = BROWSER) => {
    // The page was loaded first: its island call gave the reader cookie (anti-stuffing.test.ts).
    if (!client.cookies.get('gorod_reader')) await client.get('/api/me');
    return client.request('POST', '/api/views', { body: { articleId }, headers: { 'user-agent': ua, 'sec-fetch-site': 'same-origin' } });
  };
  const viewsOf = async (articleId: number) => {
    await portal.app.viewCounter.flush();
    const r = await portal.database.db.selectFrom('article_views_hourly').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('views'), sql<number>`0`).as('n')).where('article_id', '=', articleId).executeTakeFirstOrThrow();
    return Number(r.n);
  };

  test('beacons count each reader once, ignore bots, unknown and unpublished articles', async () => {
    const [card] = await portal.app.content.latest({ limit: 1 });
    const id = card!.id;
    const before = await viewsOf(id);
    const a = portal.client({ 'x-forwarded-for': '198.51.100.1' });
    const b = portal.client({ 'x-forwarded-for': '198.51.100.2' });
    assert.equal((await beacon(a, id)).status, 204);
    assert.equal((await beacon(a, id)).status, 204);
    assert.equal((await beacon(b, id)).status, 204);
    assert.ok(a.cookies.get('gorod_reader'), 'the reader has the cookie');
    assert.equal((await beacon(portal.client(), id, 'Googlebot/2.1 (+http://www.google.com/bot.html)')).status, 204);
    assert.equal(await viewsOf(id), before + 2);
    assert.equal((await beacon(a, 99999999)).status, 204);
    const draft = await portal.app.content.createArticle({ type: 'news', status: 'draft', sectionId: card!.section.id, title: 'Черновик', lead: '', body: { blocks: [] }, authorIds: [] });
    assert.equal((await beacon(a, draft)).status, 204);
    assert.equal(await viewsOf(draft), 0);
    // Half an hour later the same reader counts again.
    clock.advance(DEDUPE_MS + 1000);
    await beacon(a, id);
    assert.equal(await viewsOf(id), before + 3);
  });

  test('an article taken down counts no views at once, though a view was counted a moment ago', async () => {
    const [, , card] = await portal.app.content.latest({ limit: 3 });
    const made = await portal.app.accounts.createUser({ email: 'views-editor@example.ru', password: 'пароль-редактора', displayName: 'Выпускающий', role: 'editor' });
    const editor = { id: made.id, email: made.email, displayName: made.display_name, role: made.role };
    const before = await viewsOf(card!.id);
    assert.equal((await beacon(portal.client({ 'x-forwarded-for': '198.51.100.4' }), card!.id)).status, 204);
    assert.equal(await viewsOf(card!.id), before + 1);
    await portal.app.newsroom.transition(editor, card!.id, 'unpublish');
    try {
      assert.equal((await beacon(portal.client({ 'x-forwarded-for': '198.51.100.5' }), card!.id)).status, 204);
      assert.equal(await viewsOf(card!.id), before + 1, 'not counted: the article is not on the site');
    } finally {
      await portal.app.newsroom.transition(editor, card!.id, 'publish');
    }
    assert.equal((await beacon(portal.client({ 'x-forwarded-for': '198.51.100.6' }), card!.id)).status, 204);
    assert.equal(await viewsOf(card!.id), before + 2, 'back on the site, counted again');
  });

  test('bad beacons are a 400 with a message, nothing counted', async () => {
    const c = portal.client({ 'x-forwarded-for': '198.51.100.3' });
    for (const body of [{ articleId: 'x' }, { articleId: -1 }, {}, { articleId: 1.5 }]) {
      const res = await c.request('POST', '/api/views', { body, headers: { 'sec-fetch-site': 'same-origin' } });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.ok(res.json().error.message);
    }
    const foreign = await c.request('POST', '/api/views', { body: { articleId: 1 }, headers: { 'sec-fetch-site': 'cross-site' } });
    assert.equal(foreign.status, 403, 'another site cannot count views for its readers');
  });

  test('ТОП 5 ranks by views in the window, with «Мнение» and the author for opinions', async () => {
    const cards = await portal.app.content.latest({ limit: 60 });
    const opinion = cards.find((c) => c.type === 'opinion')!;
    const news = cards.filter((c) => c.type === 'news').slice(-4);
    const hour = hourOf(clock.now());
    const old = new Date(hour.getTime() - 30 * 3600_000);
    const rows = [
      { article_id: opinion.id, hour, views: 900 },
      ...news.map((n, i) => ({ article_id: n.id, hour, views: 800 - i * 100 })),
      // Outside the 24-hour window: must not count.
      { article_id: cards[0]!.id, hour: old, views: 100000 },
    ];
    await portal.database.db.insertInto('article_views_hourly').values(rows).onConflict((oc) => oc.columns(['article_id', 'hour']).doUpdateSet({ views: sql`excluded.views` })).execute();
    const top = await portal.app.audience.top(5);
    assert.deepEqual(top, [opinion.id, ...news.map((n) => n.id)]);
    await portal.app.pageCache.purge(['*']);
    const html = (await portal.client().get('/')).text;
    const widget = html.slice(html.indexOf('id="top5-title"'), html.indexOf('</ol>', html.indexOf('id="top5-title"')));
    const order = [opinion, ...news].map((c) => widget.indexOf(c.url));
    assert.ok(order.every((i) => i > 0), 'all five in the widget');
    assert.deepEqual([...order].sort((x, y) => x - y), order, 'in order of views');
    assert.match(widget, /<span class="label">Мнение<\/span>/);
    assert.ok(widget.includes(opinion.authors[0]!.name) && widget.includes(opinion.authors[0]!.position));
  });

  test('«Самое обсуждаемое» on the home page ranks by comments in the window', async () => {
    const cards = await portal.app.content.latest({ limit: 10 });
    const [first, second] = [cards[3]!, cards[4]!];
    const comment = (articleId: number, hoursAgo: number) => ({ subject_kind: 'article', subject_id: articleId, body: 'Согласен с автором', status: 'approved', depth: 0, guest_name: 'Гость', created_at: new Date(clock.now().getTime() - hoursAgo * 3600_000) });
    await portal.database.db
      .insertInto('comments')
      .values([comment(first.id, 1), comment(first.id, 2), comment(first.id, 3), comment(second.id, 1), ...Array.from({ length: 5 }, () => comment(cards[5]!.id, 48))] as never)
      .execute();
    await portal.app.pageCache.purge(['*']);
    const html = (await portal.client().get('/')).text;
    const start = html.indexOf('id="discussed-title"');
    assert.ok(start > 0, 'the widget is there');
    const widget = html.slice(start, html.indexOf('</ol>', start));
    assert.ok(widget.indexOf(first.url) > 0 && widget.indexOf(first.url) < widget.indexOf(second.url));
    assert.match(widget, /3 комментария/);
    assert.match(widget, /1 комментарий/);
    assert.ok(!widget.includes(cards[5]!.url), 'comments older than the window do not count');
  });

  test('«Рекомендуем» leans to what the reader reads and leaves out what they read', async () => {
    const tree = await portal.app.content.sections();
    const sport = tree.bySlugOf('sport')!;
    const sportCards = await portal.app.content.latest({ sectionIds: tree.subtreeIds(sport.id), limit: 10 });
    assert.ok(sportCards.length >= 3);
    const fan = portal.client({ 'x-forwarded-for': '198.51.100.20' });
    // The fan read older sport pieces; the freshest sport piece, unread, must come near the top.
    const read = sportCards.slice(1, 3);
    for (const c of read) await beacon(fan, c.id);
    await portal.app.viewCounter.flush();
    const mine = (await fan.get('/api/recommendations')).json().items as { id: number; url: string }[];
    assert.equal(mine.length, 5);
    assert.ok(!mine.some((i) => read.some((c) => c.id === i.id)), 'never what they already read');
    assert.ok(mine.slice(0, 2).some((i) => i.id === sportCards[0]!.id), `the fresh sport piece first for a sport reader: ${mine.map((i) => i.url).join(' ')}`);
    const newcomer = (await portal.client({ 'x-forwarded-for': '198.51.100.21' }).get('/api/recommendations')).json().items as { id: number }[];
    assert.equal(newcomer.length, 5);
    assert.deepEqual(newcomer.map((i) => i.id), await portal.app.audience.recommend(null), 'a new reader gets the popular ones');
  });

  test('an article taken down leaves «Рекомендуем» and ТОП 5 at once, though the shared lists are kept 30 s', async () => {
    const [first] = await portal.app.audience.recommendAfter([]);
    assert.ok(first);
    assert.ok((await portal.app.audience.top(30)).includes(first), 'in ТОП 30 before (held from now on)');
    const sport = (await portal.app.content.sections()).bySlugOf('sport')!;
    const reader = (await portal.app.content.latest({ sectionIds: [sport.id], limit: 2 })).map((a) => a.id);
    await portal.app.content.transition(first, 'unpublish');
    try {
      assert.ok(!(await portal.app.audience.recommendAfter([])).includes(first), 'not in the generic list');
      assert.ok(!(await portal.app.audience.recommendAfter(reader, { limit: 30 })).includes(first), 'not in a reader’s own');
      assert.ok(!(await portal.app.audience.top(30)).includes(first), 'not in ТОП 5');
    } finally {
      await portal.app.content.transition(first, 'publish');
    }
  });

  test('an editor’s pin comes first in «Рекомендуем»', async () => {
    const cards = await portal.app.content.latest({ limit: 60 });
    const pinned = cards.at(-1)!;
    await portal.app.accounts.createUser({ email: 'editor@example.ru', password: 'пароль-редактора', displayName: 'Редактор', role: 'editor' });
    const editor = portal.client({ 'x-forwarded-for': '198.51.100.30' });
    await editor.signIn('editor@example.ru', 'пароль-редактора');
    // A regular reader's own list, computed before the pin (its shared parts are kept a while).
    const regular = portal.client({ 'x-forwarded-for': '198.51.100.33' });
    await beacon(regular, cards[0]!.id);
    const own = async () => ((await regular.get('/api/recommendations')).json().items as { id: number }[]).map((i) => i.id);
    assert.notEqual((await own())[0], pinned.id);
    const res = await editor.submit('/admin/recommended', { article: portal.url + pinned.url });
    assert.equal(res.status, 303);
    const items = (await portal.client({ 'x-forwarded-for': '198.51.100.31' }).get('/api/recommendations')).json().items as { id: number }[];
    assert.equal(items[0]!.id, pinned.id);
    assert.equal((await own())[0], pinned.id, 'at once in a reader’s own list too');
    const bad = await editor.submit('/admin/recommended', { article: '99999999' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /не найдена/);
    const reader = portal.client({ 'x-forwarded-for': '198.51.100.32' });
    assert.equal((await reader.submit('/admin/recommended', { article: String(pinned.id) })).status, 303, 'anonymous is sent to sign in');
    assert.match((await reader.submit('/admin/recommended', { article: String(pinned.id) })).location!, /^\/login/);
  });

  test('statistics show views over time and the most-read articles; bad ranges are explained', async () => {
    const editor = portal.client({ 'x-forwarded-for': '198.51.100.40' });
    await editor.signIn('editor@example.ru', 'пароль-редактора');
    const page = await editor.get('/admin/stats');
    assert.equal(page.status, 200);
    assert.match(page.text, /Просмотры по часам/);
    assert.match(page.text, /data-admin-island="stats-chart"/);
    const data = JSON.parse(/<script type="application\/json">(.*?)<\/script>/s.exec(page.text)![1]!);
    assert.ok(data.points.length > 0 && data.points.some((p: [number, number]) => p[1] >= 900));
    assert.match(page.text, /Самые читаемые материалы/);
    const reversed = await editor.get('/admin/stats?from=2026-11-20&to=2026-11-01');
    assert.equal(reversed.status, 400);
    assert.match(reversed.text, /Дата начала позже даты конца/);
    assert.equal((await editor.get('/admin/stats?from=yesterday')).status, 400);
    // The shape of a date but no day (it reached the database as an invalid date: a 500).
    assert.equal((await editor.get('/admin/stats?from=2026-13-45')).status, 400);
    assert.equal((await editor.get('/admin/stats?to=2026-02-30')).status, 400);
  });

  test('statistics count each article’s reactions and comments, views of every section, and one article’s reactions by kind', async () => {
    const cards = await portal.app.content.latest({ limit: 60 });
    const target = cards.find((c) => c.type === 'news')!;
    const quiet = cards.filter((c) => c.section.id !== target.section.id).at(-1)!;
    const hour = hourOf(clock.now());
    await portal.database.db
      .insertInto('article_views_hourly')
      .values([
        { article_id: target.id, hour, views: 5000 },
        { article_id: quiet.id, hour, views: 1 },
      ])
      .onConflict((oc) => oc.columns(['article_id', 'hour']).doUpdateSet({ views: sql`excluded.views` }))
      .execute();
    const readers = ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b', '00000000-0000-4000-8000-00000000000c'];
    await portal.app.reactions.set({ kind: 'article', id: target.id }, anonymousReader(readers[0]!), 'LIKE');
    await portal.app.reactions.set({ kind: 'article', id: target.id }, anonymousReader(readers[1]!), 'LIKE');
    await portal.app.reactions.set({ kind: 'article', id: target.id }, anonymousReader(readers[2]!), 'SAD');
    const reactionsNow = (await portal.app.reactions.totals([target.id])).get(target.id)!;
    const commentsNow = (await portal.app.content.cards([target.id]))[0]!.commentCount ?? 0;

    const editor = portal.client({ 'x-forwarded-for': '198.51.100.41' });
    await editor.signIn('editor@example.ru', 'пароль-редактора');
    const page = (await editor.get('/admin/stats')).text;
    const row = page.slice(page.indexOf(`?article=${target.id}&`), page.indexOf('</tr>', page.indexOf(`?article=${target.id}&`)));
    assert.match(row, new RegExp(`<td>\\d+</td><td>${reactionsNow}</td><td>${commentsNow}</td>`), 'views, reactions and comments of the article');
    const bySection = page.slice(page.indexOf('stats-sections'));
    assert.ok(bySection.includes(quiet.section.title), 'a section outside the most read still has its views');

    const one = (await editor.get(`/admin/stats?article=${target.id}`)).text;
    assert.match(one, /Реакции по видам/);
    const likes = (await portal.app.reactions.counts({ kind: 'article', id: target.id })).LIKE;
    assert.ok(likes >= 2);
    assert.match(one, new RegExp(`<th scope="row">Лайк</th><td><meter min="0" max="\\d+" value="${likes}"></meter></td>`));
  });

  test('a flush stores every view sum and every read as written: hours, stories, tag lists', async () => {
    const [a, b] = await portal.app.content.latest({ limit: 2 });
    const at = new Date('2026-11-20T09:41:00Z');
    const before = await portal.database.db.selectFrom('article_views_hourly').select('views').where('article_id', '=', a!.id).where('hour', '=', hourOf(at)).executeTakeFirst();
    portal.app.viewCounter.add(a!.id, at, { readerKey: 'a:00000000-0000-4000-8000-0000000000f1', articleId: a!.id, sectionId: a!.section.id, storyId: null, tagIds: [3, 5], at });
    portal.app.viewCounter.add(a!.id, at);
    portal.app.viewCounter.add(b!.id, at, { readerKey: 'a:00000000-0000-4000-8000-0000000000f1', articleId: b!.id, sectionId: b!.section.id, storyId: 2, tagIds: [], at });
    await portal.app.viewCounter.flush();
    const bucket = await portal.database.db.selectFrom('article_views_hourly').select(['views', 'hour']).where('article_id', '=', a!.id).where('hour', '=', hourOf(at)).executeTakeFirstOrThrow();
    assert.equal(bucket.views, (before?.views ?? 0) + 2);
    assert.equal(new Date(bucket.hour).toISOString(), '2026-11-20T09:00:00.000Z');
    const reads = await portal.database.db.selectFrom('reader_reads').select(['article_id', 'story_id', 'tag_ids', 'read_at']).where('reader', '=', 'a:00000000-0000-4000-8000-0000000000f1').orderBy('article_id').execute();
    const byArticle = new Map(reads.map((r) => [r.article_id, r]));
    assert.deepEqual(byArticle.get(a!.id)!.tag_ids, [3, 5]);
    assert.equal(byArticle.get(a!.id)!.story_id, null);
    assert.deepEqual(byArticle.get(b!.id)!.tag_ids, []);
    assert.equal(byArticle.get(b!.id)!.story_id, 2);
    assert.equal(new Date(byArticle.get(b!.id)!.read_at).toISOString(), at.toISOString());
  });

  test('reading history older than READS_KEPT_DAYS is forgotten by the hourly job; recent reads stay', async () => {
    const [card] = await portal.app.content.latest({ limit: 1 });
    const old = new Date(clock.now().getTime() - (READS_KEPT_DAYS + 1) * 86400_000);
    const recent = new Date(clock.now().getTime() - 86400_000);
    await portal.database.db
      .insertInto('reader_reads')
      .values([
        { reader: 'a:00000000-0000-4000-8000-0000000000f2', article_id: card!.id, section_id: card!.section.id, story_id: null, tag_ids: [], read_at: old },
        { reader: 'a:00000000-0000-4000-8000-0000000000f3', article_id: card!.id, section_id: card!.section.id, story_id: null, tag_ids: [], read_at: recent },
      ])
      .execute();
    assert.equal(await portal.app.jobs.run('audience.forget-reads'), true);
    const left = await portal.database.db.selectFrom('reader_reads').select('reader').where('reader', 'in', ['a:00000000-0000-4000-8000-0000000000f2', 'a:00000000-0000-4000-8000-0000000000f3']).execute();
    assert.deepEqual(left.map((r) => r.reader), ['a:00000000-0000-4000-8000-0000000000f3']);
  });

  test('an author’s statistics hold only their own articles', async () => {
    const [mine, other] = (await portal.app.content.latest({ limit: 60 })).filter((c) => c.type === 'news');
    const user = await portal.app.accounts.createUser({ email: 'author@example.ru', password: 'пароль-автора', displayName: 'Автор', role: 'author' });
    await portal.database.db.updateTable('articles').set({ created_by: user.id } as never).where('id', '=', mine!.id).execute();
    const hour = hourOf(clock.now());
    await portal.database.db.insertInto('article_views_hourly').values([{ article_id: mine!.id, hour, views: 7 }, { article_id: other!.id, hour, views: 70 }]).onConflict((oc) => oc.columns(['article_id', 'hour']).doUpdateSet({ views: sql`excluded.views` })).execute();
    const author = portal.client({ 'x-forwarded-for': '198.51.100.50' });
    await author.signIn('author@example.ru', 'пароль-автора');
    const page = (await author.get('/admin/stats')).text;
    const table = page.slice(page.indexOf('stats-top'), page.indexOf('</table>', page.indexOf('stats-top')));
    assert.ok(table.includes(mine!.title.replace(/"/g, '&quot;')) || table.includes(mine!.title), 'own article listed');
    assert.ok(!table.includes(other!.title), 'another’s article not listed');
  });
});

test('a graceful stop in the middle of a stream of beacons loses no accepted view', async () => {
  const portal = await startPortal({ config: { trustProxy: '127.0.0.1' } });
  const cards = await portal.app.content.latest({ limit: 20 });
  let accepted = 0;
  let stopped = false;
  const send = async (i: number) => {
    const c = portal.client({ 'x-forwarded-for': `203.0.113.${i % 250}` });
    // A reader issued a day ago (the anti-stuffing rule counts only those issued before).
    c.cookies.set('gorod_reader', signReaderId(portal.app.secret, crypto.randomUUID(), Date.now() - 86400_000));
    try {
      const res = await c.request('POST', '/api/views', { body: { articleId: cards[i % cards.length]!.id }, headers: { 'user-agent': BROWSER, 'sec-fetch-site': 'same-origin' } });
      if (res.status === 204) accepted++;
    } catch {
      // Refused after the stop: never accepted.
    }
  };
  const stream = (async () => {
    for (let i = 0; !stopped && i < 5000; i += 10) await Promise.all(Array.from({ length: 10 }, (_, k) => send(i + k)));
  })();
  await new Promise((r) => setTimeout(r, 400));
  await portal.app.close();
  stopped = true;
  await stream;
  const r = await portal.database.db.selectFrom('article_views_hourly').select((eb) => eb.fn.sum<number>('views').as('n')).executeTakeFirstOrThrow();
  assert.ok(accepted > 0);
  assert.equal(Number(r.n), accepted);
  await portal.close();
});
