// Forum search over HTTP on a real portal: Russian morphology, two-letter words and
// abbreviations, «ё» as «е», the filters (board, author, dates), one result per
// topic with its best post, what must not be found (deleted, held, hidden posts,
// archived boards), re-indexing on edits and moves, escaped snippets, bad input.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import type { Client } from '../../../test/support/client.js';
import { ManualClock } from '../../platform/clock.js';
import { createForumSearch, dayTokens, timeSlices } from './search.js';

let portal: Portal;
let clock: ManualClock;
let ip = 10;

before(async () => {
  clock = new ManualClock(new Date());
  portal = await startPortal({ clock, demo: false, config: { trustProxy: '127.0.0.1' } });
});
after(() => portal.close());

const db = () => portal.database.db;
// Each client its own address: the search is rate-limited per address.
const fresh = () => portal.client({ 'x-forwarded-for': `198.51.100.${ip++ % 250}` });
let userN = 0;
/** Moderators post without the new-account limits. */
async function member(name = `Участник ${++userN}`, role: 'reader' | 'moderator' = 'moderator'): Promise<{ c: Client; id: number; handle: () => Promise<string> }> {
  const email = `s${++userN}-${Date.now()}@example.ru`;
  const u = await portal.app.accounts.createUser({ email, password: 'пароль-участника', displayName: name, role });
  const c = fresh();
  await c.signIn(email, 'пароль-участника');
  return { c, id: u.id, handle: async () => (await db().selectFrom('forum_members').select('handle').where('user_id', '=', u.id).executeTakeFirstOrThrow()).handle };
}
let slugN = 0;
async function board(over: Partial<Parameters<Portal['app']['forums']['boards']['create']>[0]> = {}) {
  return portal.app.forums.boards.create({ parentId: null, slug: `poisk-${++slugN}`, title: `Раздел поиска ${slugN}`, description: '', position: slugN, startRole: 'reader', replyRole: 'reader', premoderation: false, ...over });
}
async function topic(c: Client, slug: string, title: string, body: string) {
  const res = await c.submit(`/forum/${slug}/topics`, { title, body });
  assert.equal(res.status, 303, res.text.slice(0, 300));
  const id = Number(/\/(\d+)-/.exec(res.location!)![1]);
  return { id, firstPostId: (await postIds(id))[0]! };
}
async function reply(c: Client, topicId: number, body: string): Promise<number> {
  const res = await c.api('POST', `/api/forum/topics/${topicId}/posts`, { body });
  assert.equal(res.status, 201, res.text);
  return res.json().postId;
}
const postIds = async (topicId: number) => (await db().selectFrom('forum_posts').select('id').where('topic_id', '=', topicId).orderBy('number').execute()).map((r) => r.id);

interface Found {
  status: number;
  text: string;
  /** Each result: the topic id and the number of the post its title links to. */
  hits: { topic: number; number: number; url: string; snippet: string }[];
}
async function find(q: string, extra: Record<string, string> = {}): Promise<Found> {
  const res = await fresh().get(`/forum/search?${new URLSearchParams({ q, ...extra })}`);
  const hits = [...res.text.matchAll(/<h2 class="card__title"><a href="([^"]+)">[\s\S]*?<p class="search-snippet">([\s\S]*?)<\/p>/g)].map((m) => {
    const url = m[1]!.replace(/&amp;/g, '&');
    return { topic: Number(/\/(\d+)-/.exec(url)![1]), number: Number(/#post-(\d+)$/.exec(url)?.[1] ?? 1), url, snippet: m[2]! };
  });
  return { status: res.status, text: res.text, hits };
}
const topicsFound = async (q: string, extra: Record<string, string> = {}) => (await find(q, extra)).hits.map((h) => h.topic).sort((a, b) => a - b);

describe('what a query matches', () => {
  test('every form of a word finds the others; a topic is one result, linked to its best post, the words marked', async () => {
    const bd = await board();
    const { c } = await member();
    const t = await topic(c, bd.slug, 'Трамваи на Ленина ходят редко', 'Жду на остановке по двадцать минут.');
    await reply(c, t.id, 'Между трамваями интервал полчаса, вечером ещё дольше.');
    await reply(c, t.id, 'Я езжу на автобусе, трамвайную линию не люблю.');
    const other = await topic(c, bd.slug, 'Новый маршрут через мост', 'Вчера ехал трамваем до вокзала, вагон был новый.');

    for (const q of ['трамвай', 'трамваями', 'ТРАМВАЕМ', 'трамваи']) {
      assert.deepEqual(await topicsFound(q), [t.id, other.id].sort((a, b) => a - b), q);
    }
    const found = await find('трамваями');
    assert.equal(found.status, 200);
    assert.match(found.text, /Найдено 2 темы/);
    // The title counts most: the first post is the topic's best.
    const first = found.hits.find((h) => h.topic === t.id)!;
    assert.equal(first.number, 1);
    assert.match(found.text, /<a href="[^"]+"><mark>Трамваи<\/mark> на Ленина ходят редко<\/a>/);
    assert.match(found.text, /ещё 1 сообщение в теме/);
    const second = found.hits.find((h) => h.topic === other.id)!;
    assert.equal(second.number, 1);
    assert.match(second.snippet, /ехал <mark>трамваем<\/mark> до вокзала/);
    // A word only in a reply links to that reply, on its page of the topic.
    const byReply = await find('интервал');
    assert.deepEqual(byReply.hits.map((h) => [h.topic, h.number]), [[t.id, 2]]);
    assert.match(byReply.hits[0]!.url, new RegExp(`^/forum/${bd.slug}/${t.id}-[a-z0-9-]+/#post-2$`));
    assert.match(byReply.hits[0]!.snippet, /трамваями <mark>интервал<\/mark> полчаса/);
    // Every word must be there.
    assert.deepEqual(await topicsFound('трамвай интервал'), [t.id]);
    assert.deepEqual(await topicsFound('трамвай бегемот'), []);
  });

  test('two-letter words and abbreviations match: «ЖК», «ТЦ», «ТО», «IT»; a stop word alone asks for more', async () => {
    const bd = await board();
    const { c } = await member();
    const zhk = await topic(c, bd.slug, 'ЖК «Северный» сдадут весной', 'Застройщик обещает ключи в апреле.');
    const tc = await topic(c, bd.slug, 'Парковка у торгового центра', 'У ТЦ на Мира снова платная стоянка.');
    const to = await topic(c, bd.slug, 'Где пройти ТО недорого?', 'Подскажите сервис на Левом берегу, то есть поближе к мосту.');
    const it = await topic(c, bd.slug, 'Курсы для школьников', 'Открылся IT-класс в гимназии номер пять.');
    assert.deepEqual(await topicsFound('ЖК'), [zhk.id]);
    assert.deepEqual(await topicsFound('жк северный'), [zhk.id]);
    assert.deepEqual(await topicsFound('тц'), [tc.id]);
    assert.deepEqual(await topicsFound('ТО'), [to.id]);
    assert.deepEqual(await topicsFound('пройти ТО'), [to.id]);
    assert.deepEqual(await topicsFound('IT класс'), [it.id]);
    // The abbreviation is marked, not every «то» of the text.
    const marked = await find('ТО');
    assert.match(marked.text, /Где пройти <mark>ТО<\/mark> недорого\?/);
    assert.doesNotMatch(marked.hits[0]!.snippet, /<mark>то<\/mark>/);
    // Lowercase «то» is the pronoun, a stop word: only a hint, never everything.
    const common = await find('то');
    assert.equal(common.status, 200);
    assert.equal(common.hits.length, 0);
    assert.match(common.text, /только самые частые слова/);
  });

  test('«ё» and «е» are one letter', async () => {
    const bd = await board();
    const { c } = await member();
    const yo = await topic(c, bd.slug, 'Главную ёлку поставят на площади', 'Ёлка будет выше прошлогодней.');
    const ye = await topic(c, bd.slug, 'Где купить живую пихту', 'Елки на базаре дорогие, ищу у лесничества.');
    assert.deepEqual(await topicsFound('елка'), [yo.id, ye.id].sort((a, b) => a - b));
    assert.deepEqual(await topicsFound('ёлки'), [yo.id, ye.id].sort((a, b) => a - b));
    assert.deepEqual(await topicsFound('ЁЛОК'), [yo.id, ye.id].sort((a, b) => a - b));
  });

  test('a snippet is text: markup in a post shows escaped', async () => {
    const bd = await board();
    const { c } = await member();
    await topic(c, bd.slug, 'Странный код на сайте', 'Нашёл на странице квазар <script>alert("квазар")</script> и <b>жирный</b> текст.');
    const found = await find('квазар');
    assert.equal(found.hits.length, 1);
    assert.match(found.hits[0]!.snippet, /&lt;script(&gt;|>)alert\((&quot;|")<mark>квазар<\/mark>(&quot;|")\)&lt;\/script(&gt;|>) и &lt;b(&gt;|>)жирный/);
    assert.doesNotMatch(found.text, /<script>alert/);
    assert.doesNotMatch(found.text, /<b>жирный/);
  });
});

describe('filters', () => {
  test('by board (a category takes its boards), by author handle, by dates', async () => {
    const cat = await board({ title: 'Город поиска' });
    const child = await board({ parentId: cat.id, title: 'Дороги поиска' });
    const other = await board();
    const anna = await member('Анна Фильтрова');
    const boris = await member('Борис Фильтров');
    const start = clock.now();
    const a = await topic(anna.c, child.slug, 'Яма на проспекте Гагарина', 'Колесо пробил в яме у дома семь.');
    clock.advance(20 * 86_400_000);
    const b = await topic(boris.c, other.slug, 'Яма во дворе школы', 'Дети прыгают через яму с водой.');
    assert.deepEqual(await topicsFound('яма'), [a.id, b.id].sort((x, y) => x - y));

    assert.deepEqual(await topicsFound('яма', { board: child.slug }), [a.id]);
    assert.deepEqual(await topicsFound('яма', { board: cat.slug }), [a.id], 'a category searches its boards');
    assert.deepEqual(await topicsFound('яма', { board: other.slug }), [b.id]);
    assert.match((await find('яма', { board: child.slug })).text, new RegExp(`<option value="${child.slug}" selected>`));

    assert.deepEqual(await topicsFound('яма', { author: await anna.handle() }), [a.id]);
    assert.deepEqual(await topicsFound('яма', { author: `@${await boris.handle()}` }), [b.id]);

    const day = (d: Date) => d.toISOString().slice(0, 10);
    const mid = new Date(start.getTime() + 10 * 86_400_000);
    assert.deepEqual(await topicsFound('яма', { from: day(mid) }), [b.id]);
    assert.deepEqual(await topicsFound('яма', { to: day(mid) }), [a.id]);
    assert.deepEqual(await topicsFound('яма', { from: day(start), to: day(start) }), [a.id], 'one day, both ends included');
    assert.deepEqual(await topicsFound('яма', { from: day(clock.now()), to: day(clock.now()), board: other.slug }), [b.id]);
    assert.deepEqual(await topicsFound('яма', { from: day(mid), to: day(mid) }), []);
  });

  test('the time slices cover every day once, newest first, as aligned blocks', () => {
    for (const [lo, hi] of [[0, 20_500], [20_000, 20_500], [20_480, 20_480], [19_000, 20_163], [5, 9]] as [number, number][]) {
      const slices = timeSlices(lo, hi);
      const days: number[] = [];
      for (const [a, b] of slices) {
        for (const token of dayTokens(a, b)) {
          const [, k, n] = /^_t(\d+)_(\d+)$/.exec(token)!.map(Number) as [number, number, number];
          for (let d = n * 2 ** k; d < (n + 1) * 2 ** k; d++) days.push(d);
        }
      }
      assert.deepEqual(days.sort((x, y) => x - y), Array.from({ length: hi - lo + 1 }, (_, i) => lo + i), `${lo}..${hi}`);
      assert.ok(slices.every(([a], i) => i === 0 || a < slices[i - 1]![0]), 'newest first');
    }
  });
});

describe('what is not found, and what is found again', () => {
  test('deleted, held and hidden posts, hidden topics and archived boards are not found; approval and a move are', async () => {
    const bd = await board();
    const pre = await board({ premoderation: true });
    const { c } = await member();
    const { c: reader } = await member('Читатель Премодерации', 'reader');
    const { c: mod } = await member('Модератор Поиска');

    const t = await topic(c, bd.slug, 'Фонтан в парке Горького', 'Фонтан включат в мае.');
    const gone = await reply(c, t.id, 'Фонтан сломан, пингвин внутри.');
    assert.deepEqual(await topicsFound('пингвин'), [t.id]);
    assert.equal((await c.api('DELETE', `/api/forum/posts/${gone}`)).status, 200);
    assert.deepEqual(await topicsFound('пингвин'), [], 'a deleted post');
    assert.deepEqual(await topicsFound('фонтан'), [t.id], 'the rest of the topic stays');

    const held = await reader.submit(`/forum/${pre.slug}/topics`, { title: 'Продам аккордеон недорого', body: 'Аккордеон в хорошем состоянии.' });
    assert.equal(held.status, 202);
    assert.deepEqual(await topicsFound('аккордеон'), [], 'a held topic');
    const heldPost = await db().selectFrom('forum_posts').innerJoin('forum_topics', 'forum_topics.id', 'forum_posts.topic_id').select(['forum_posts.id', 'forum_topics.id as topic']).where('forum_topics.board_id', '=', pre.id).executeTakeFirstOrThrow();
    assert.equal((await mod.submit(`/admin/moderation/forum_post/${heldPost.id}/decide`, { action: 'approve' })).status, 303);
    assert.deepEqual(await topicsFound('аккордеон'), [heldPost.topic], 'approved: found');

    // A reply held by the rules, then rejected: hidden.
    const open = await topic(c, pre.slug, 'Баян или гармонь', 'Что выбрать ребёнку для музыкальной школы?');
    clock.advance(60_000); // past the new account's interval between posts
    const r = await reader.api('POST', `/api/forum/topics/${open.id}/posts`, { body: 'Берите балалайку, она дешевле.' });
    assert.equal(r.status, 201);
    assert.equal(r.json().status, 'held');
    assert.deepEqual(await topicsFound('балалайка'), []);
    assert.equal((await mod.submit(`/admin/moderation/forum_post/${r.json().postId}/decide`, { action: 'reject' })).status, 303);
    assert.deepEqual(await topicsFound('балалайка'), [], 'a rejected post');

    // A first post rejected hides its topic, replies and all.
    const spam = await topic(c, bd.slug, 'Дешёвые окна от завода', 'Окна пвх, звоните.');
    await reply(c, spam.id, 'Подоконники тоже продаём.');
    assert.deepEqual(await topicsFound('подоконник'), [spam.id]);
    assert.equal((await mod.submit(`/admin/moderation/forum_post/${spam.firstPostId}/decide`, { action: 'reject' })).status, 303);
    assert.deepEqual(await topicsFound('подоконник'), [], 'a reply in a hidden topic');

    // Moved: found under its new board; archived: found nowhere.
    const target = await board();
    assert.equal((await mod.submit(`/forum/topics/${t.id}/moderate`, { action: 'move', board: String(target.id) })).status, 303);
    assert.deepEqual(await topicsFound('фонтан', { board: target.slug }), [t.id]);
    assert.deepEqual(await topicsFound('фонтан', { board: bd.slug }), []);
    assert.match((await find('фонтан')).hits[0]!.url, new RegExp(`^/forum/${target.slug}/`));
    assert.equal((await mod.submit(`/admin/forums/${target.id}/archive`, { archived: '1' })).status, 303);
    assert.deepEqual(await topicsFound('фонтан'), [], 'an archived board');
    assert.equal((await find('фонтан', { board: target.slug })).status, 400, 'an archived board is no filter');
  });

  test('an edit re-indexes the post, a new title the topic; the kept results are purged', async () => {
    const bd = await board();
    const { c } = await member();
    const t = await topic(c, bd.slug, 'Собрание жильцов в пятницу', 'Обсудим капремонт крыши и лифта.');
    assert.deepEqual(await topicsFound('крыша'), [t.id]);
    assert.deepEqual(await topicsFound('фасад'), []);
    const edited = await c.api('PUT', `/api/forum/posts/${t.firstPostId}`, { body: 'Обсудим капремонт фасада и подвала.', title: 'Собрание жильцов в субботу' });
    assert.equal(edited.status, 200, edited.text);
    assert.deepEqual(await topicsFound('крыша'), [], 'the old text');
    assert.deepEqual(await topicsFound('фасад'), [t.id], 'the new text');
    assert.deepEqual(await topicsFound('суббота'), [t.id], 'the new title');
    assert.deepEqual(await topicsFound('пятница'), []);
    const r = await reply(c, t.id, 'Про лифт тоже поговорим.');
    assert.deepEqual((await find('лифт')).hits.map((h) => [h.topic, h.number]), [[t.id, 2]]);
    await c.api('PUT', `/api/forum/posts/${r}`, { body: 'Про домофон тоже поговорим.' });
    assert.deepEqual(await topicsFound('лифт'), []);
    assert.deepEqual(await topicsFound('домофон'), [t.id]);
  });

  test('a reply is indexed from the text it wrote; a post edited before its row was written is indexed with the text it holds', async () => {
    const bd = await board();
    const { c } = await member();
    const t = await topic(c, bd.slug, 'Гололёд на остановках', 'Опять скользко у остановки.');
    const r = await reply(c, t.id, 'Посыпали песком только у рынка.');
    assert.deepEqual((await find('песок')).hits.map((h) => [h.topic, h.number]), [[t.id, 2]]);
    // The reply's row written from the text the reply knows — but the post was changed meanwhile.
    const late = await reply(c, t.id, 'Дворники вышли с лопатами.');
    await db().updateTable('forum_posts').set({ body: 'Дворники вышли с реагентом.' }).where('id', '=', late).execute();
    await createForumSearch({ db: db(), clock }).indexReply({ postId: late, body: 'Дворники вышли с лопатами.' });
    assert.deepEqual(await topicsFound('лопата'), [], 'the text the post no longer holds');
    assert.deepEqual(await topicsFound('реагент'), [t.id], 'the text it holds');
    assert.ok(r);
  });

  test('a split and a merge of topics: the posts are found in the topic they went to, with its title', async () => {
    const bd = await board();
    const other = await board();
    const { c } = await member();
    const zoo = await topic(c, bd.slug, 'Что нового в зоопарке', 'Открыли вольер для жирафов.');
    await reply(c, zoo.id, 'Привезли кенгуру из Новосибирска.');
    await reply(c, zoo.id, 'Жирафы здоровы.');
    const split = await c.submit(`/forum/topics/${zoo.id}/split`, { numbers: '2', title: 'Новые жители зоопарка: сумчатые', board: String(other.id) });
    assert.equal(split.status, 303, split.text.slice(0, 300));
    const made = Number(/\/(\d+)-/.exec(split.location!)![1]);
    // The moved post is the first of its new topic, under the new title, in the other board.
    assert.deepEqual((await find('кенгуру')).hits.map((h) => [h.topic, h.number]), [[made, 1]]);
    assert.deepEqual(await topicsFound('сумчатые'), [made]);
    assert.deepEqual(await topicsFound('кенгуру', { board: other.slug }), [made]);
    assert.deepEqual(await topicsFound('кенгуру', { board: bd.slug }), []);

    const camel = await topic(c, bd.slug, 'Верблюды на ярмарке', 'Катают детей на верблюдах у ворот.');
    const merged = await c.submit(`/forum/topics/${camel.id}/merge`, { into: String(zoo.id) });
    assert.equal(merged.status, 303, merged.text.slice(0, 300));
    // The merged topic's posts read in the other one, numbered after its last post; its old title is gone.
    assert.deepEqual((await find('верблюд')).hits.map((h) => [h.topic, h.number]), [[zoo.id, 4]], 'after the highest number the topic gave (3: the split post kept its number)');
    assert.deepEqual(await topicsFound('ярмарка'), []);
  });

  test('posts written past the hooks (an import, a restore) are indexed by the job', async () => {
    const bd = await board();
    const { c } = await member();
    const t = await topic(c, bd.slug, 'Велодорожка вдоль набережной', 'Её продлят до моста.');
    // As after a restore of a backup made before the index: no row, then a stale one.
    await sql`delete from forum_search_posts where post_id = ${t.firstPostId}`.execute(db());
    await sql`update forum_posts set body = 'Её продлят до речного вокзала.' where id = ${t.firstPostId}`.execute(db());
    assert.deepEqual(await topicsFound('велодорожка'), []);
    assert.equal(await portal.app.forumSearch.addMissing(), 1);
    assert.ok((await portal.app.forumSearch.backfill()) >= 1);
    await portal.app.pageCache.purge(['forum']);
    assert.deepEqual(await topicsFound('велодорожка вокзал'), [t.id]);
  });
});

describe('the page', () => {
  test('no query: the form only; bad input: a clear 400, never a 500', async () => {
    const bd = await board();
    const empty = await fresh().get('/forum/search');
    assert.equal(empty.status, 200);
    assert.match(empty.text, /<form class="filters search-form" method="get" action="\/forum\/search"/);
    assert.match(empty.text, new RegExp(`<option value="${bd.slug}">`));
    assert.doesNotMatch(empty.text, /search-results/);
    assert.equal((await fresh().get('/forum/search?q=')).status, 200);
    assert.match((await fresh().get('/forum/search?q=')).text, /Ищите любыми формами слов/);

    const cases: [string, number, RegExp | null][] = [
      [`q=${'а'.repeat(201)}`, 400, /не больше 200 символов/],
      [`q=${encodeURIComponent('!!! ... ???')}`, 400, /Введите слова/],
      ['q=дом&board=no-such-board', 400, /Такого раздела форума нет/],
      ['q=дом&author=nobody_here', 400, /Участника «nobody_here» на форуме нет/],
      [`q=дом&author=${encodeURIComponent('<script>')}`, 400, /Участника «&lt;script(&gt;|>)» на форуме нет/],
      ['q=дом&from=2026-05-02&to=2026-05-01', 400, /Дата начала позже даты конца/],
      ['q=дом&from=2026-13-45', 400, null],
      ['q=дом&page=51', 400, null],
      ['q=дом&page=0', 400, null],
      ['q=дом&page=abc', 400, null],
      [`q=${'a'.repeat(1001)}`, 400, null],
      ['q=дом&page=50', 200, /Ничего не нашлось|На этой странице результатов уже нет/],
    ];
    for (const [query, status, message] of cases) {
      const res = await fresh().get(`/forum/search?${query}`);
      assert.equal(res.status, status, query);
      if (message) assert.match(res.text, message, query);
    }
  });

  test('a result page is cached for guests, and a new post shows in it at once', async () => {
    const bd = await board();
    const { c } = await member();
    const t = await topic(c, bd.slug, 'Самокаты на тротуарах', 'Самокатов стало слишком много.');
    const url = `/forum/search?q=${encodeURIComponent('самокат')}`;
    await fresh().get(url);
    const cached = await fresh().get(url);
    assert.equal(cached.headers.get('x-cache'), 'hit');
    const other = await topic(c, bd.slug, 'Прокат самокатов у парка', 'Открыли ещё одну точку.');
    assert.deepEqual(await topicsFound('самокат'), [t.id, other.id].sort((a, b) => a - b));
  });

  test('the forum index and a board page carry the small search form', async () => {
    const bd = await board();
    assert.match((await fresh().get('/forum/')).text, /<form class="search-box forum-search-box" method="get" action="\/forum\/search"/);
    const page = (await fresh().get(`/forum/${bd.slug}/`)).text;
    assert.match(page, /action="\/forum\/search"/);
    assert.match(page, new RegExp(`<input type="hidden" name="board" value="${bd.slug}"`));
  });
});
