// The forums over HTTP on a real portal: structure in the back office, topics and
// replies, the rules (titles, empty and all-markup posts, quotes, closed topics,
// who may post, edit window, new-account and flood limits), quotes and mentions,
// unread and watching, moderation, caching, and hostile input.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import type { Client } from '../../../test/support/client.js';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { ManualClock } from '../../platform/clock.js';
import { FORUM_SETTINGS } from './settings.js';

let portal: Portal;
let clock: ManualClock;
let ip = 10;

before(async () => {
  clock = new ManualClock(new Date());
  portal = await startPortal({ clock, demo: false, config: { trustProxy: '127.0.0.1' } });
});
after(() => portal.close());

const db = () => portal.database.db;
const fresh = () => portal.client({ 'x-forwarded-for': `198.51.100.${ip++}` });
let userN = 0;
async function member(name = `Участник ${++userN}`, role: 'reader' | 'moderator' | 'editor' = 'reader'): Promise<{ c: Client; id: number }> {
  const email = `f${++userN}-${Date.now()}@example.ru`;
  const u = await portal.app.accounts.createUser({ email, password: 'пароль-участника', displayName: name, role });
  const c = fresh();
  await c.signIn(email, 'пароль-участника');
  return { c, id: u.id };
}
let slugN = 0;
async function board(over: Partial<Parameters<Portal['app']['forums']['boards']['create']>[0]> = {}) {
  return portal.app.forums.boards.create({ parentId: null, slug: `board-${++slugN}`, title: `Раздел ${slugN}`, description: 'Для проверки', position: slugN, startRole: 'reader', replyRole: 'reader', premoderation: false, ...over });
}
/** Starts a topic through the form; the redirect names its address. */
async function topic(c: Client, slug: string, title = `Тема для проверки ${++slugN}`, body = 'Первое сообщение темы, в нём есть текст.') {
  const res = await c.submit(`/forum/${slug}/topics`, { title, body });
  assert.equal(res.status, 303, res.text.slice(0, 300));
  const url = res.location!;
  const id = Number(/\/(\d+)-/.exec(url)![1]);
  return { url: url.split('#')[0]!, id };
}
/** Moves the clock past every interval limit. */
const later = (s = 40) => clock.advance(s * 1000);
const posts = (topicId: number) => db().selectFrom('forum_posts').selectAll().where('topic_id', '=', topicId).orderBy('number').execute();

describe('structure', () => {
  test('a moderator creates a category and a board in it in the back office; a third level, a reserved address and a taken one are refused', async () => {
    const { c } = await member('Модератор Зоя', 'moderator');
    const cat = await c.submit('/admin/forums', { title: 'Город', slug: 'gorod', description: 'Всё о городе', startRole: 'reader', replyRole: 'reader', position: '1' });
    assert.equal(cat.status, 303);
    const catId = Number(/\/admin\/forums\/(\d+)/.exec(cat.location!)![1]);
    const child = await c.submit('/admin/forums', { title: 'Транспорт', slug: 'transport', parentId: String(catId), startRole: 'reader', replyRole: 'reader' });
    assert.equal(child.status, 303);
    const childId = Number(/\/admin\/forums\/(\d+)/.exec(child.location!)![1]);
    const third = await c.submit('/admin/forums', { title: 'Трамваи', slug: 'tramvai', parentId: String(childId), startRole: 'reader', replyRole: 'reader' });
    assert.equal(third.status, 400);
    assert.match(third.text, /Разделы вкладываются только на два уровня/);
    const reserved = await c.submit('/admin/forums', { title: 'Новые', slug: 'new', startRole: 'reader', replyRole: 'reader' });
    assert.equal(reserved.status, 400);
    const taken = await c.submit('/admin/forums', { title: 'Ещё транспорт', slug: 'transport', startRole: 'reader', replyRole: 'reader' });
    assert.equal(taken.status, 400);
    assert.match(taken.text, /Адрес «transport» уже занят/);
    assert.equal((await db().selectFrom('forum_boards').select('id').where('slug', 'in', ['tramvai', 'new']).execute()).length, 0);

    const index = await fresh().get('/forum/');
    assert.equal(index.status, 200);
    assert.match(index.text, /<h2><a href="\/forum\/gorod\/">Город<\/a><\/h2>/);
    assert.match(index.text, /<a class="forum-board__title" href="\/forum\/transport\/">Транспорт<\/a>/);

    // A reader may not open the back office.
    const { c: r } = await member();
    assert.equal((await r.get('/admin/forums')).status, 403);
  });

  test('rename and move a board, archive it (off the index, read-only), merge two boards', async () => {
    const { c: mod } = await member('Модератор Пётр', 'moderator');
    const a = await board({ title: 'Авто' });
    const b = await board({ title: 'Автомобили' });
    const { c } = await member();
    const t = await topic(c, b.slug);
    const renamed = await mod.submit(`/admin/forums/${b.id}`, { title: 'Машины', slug: b.slug, startRole: 'reader', replyRole: 'reader', description: '' });
    assert.equal(renamed.status, 303);
    assert.match((await fresh().get(`/forum/${b.slug}/`)).text, /<h1>Машины<\/h1>/);

    const merged = await mod.submit(`/admin/forums/${b.id}/merge`, { into: String(a.id) });
    assert.equal(merged.status, 303);
    assert.equal(merged.location, `/admin/forums/${a.id}?merged=1`);
    const row = await db().selectFrom('forum_topics').select('board_id').where('id', '=', t.id).executeTakeFirstOrThrow();
    assert.equal(row.board_id, a.id);
    const counts = await db().selectFrom('forum_boards').select(['id', 'topic_count', 'post_count', 'archived_at']).where('id', 'in', [a.id, b.id]).orderBy('id').execute();
    assert.deepEqual(counts.map((x) => [x.topic_count, x.post_count, x.archived_at !== null]), [[1, 1, false], [0, 0, true]]);
    // The old address of the topic now redirects to its board.
    const old = await fresh().get(t.url);
    assert.equal(old.status, 301);
    assert.match(old.location!, new RegExp(`^/forum/${a.slug}/${t.id}-`));
    assert.doesNotMatch((await fresh().get('/forum/')).text, /Машины/);
    // Archived: no new topics.
    const refused = await c.submit(`/forum/${b.slug}/topics`, { title: 'В архивный раздел', body: 'Текст сообщения' });
    assert.equal(refused.status, 404);
  });
});

describe('topics and posts', () => {
  test('replies sent at the same moment into two topics: each answered with its own number, numbers dense, every count and notification right', async () => {
    // Many replies at once go through the batched reads (platform/batch.ts) and the
    // one-statement write: what each reply gets back must still be its own.
    const bd = await board();
    const { c: author, id: authorId } = await member('Автор двух тем');
    const a = await topic(author, bd.slug, 'Пробки на Красном проспекте утром');
    later();
    const b = await topic(author, bd.slug, 'Где гулять с собакой в Центральном', 'Ищу тихий сквер, где собаке можно побегать.');
    const [firstOfA] = await posts(a.id);
    const writers = await Promise.all(Array.from({ length: 12 }, (_, i) => member(`Одновременный ${i + 1}`)));
    const sent = await Promise.all(
      writers.map(({ c }, i) => {
        const into = i % 2 ? b : a;
        const body = i === 2 ? `[quote=${firstOfA!.id}]\nПробки на Красном\n[/quote]\n\nСогласен, ответ номер ${i + 1}.` : `Ответ номер ${i + 1}, написанный одновременно с другими.`;
        return c.api('POST', `/api/forum/topics/${into.id}/posts`, { body }).then((res) => ({ res, into, i }));
      }),
    );
    for (const { res, into } of sent) {
      assert.equal(res.status, 201, res.text);
      assert.equal(res.json().status, 'published');
      assert.equal(res.json().topicId, into.id);
    }
    for (const t of [a, b]) {
      const mine = sent.filter((x) => x.into === t).map((x) => x.res.json());
      // Each answer names the number its post has in the database.
      const rows = await posts(t.id);
      assert.deepEqual(rows.map((p) => p.number), [1, 2, 3, 4, 5, 6, 7]);
      for (const m of mine) assert.equal(rows.find((p) => p.id === m.postId)?.number, m.number);
      const row = await db().selectFrom('forum_topics').select(['post_count', 'last_number', 'last_post_number']).where('id', '=', t.id).executeTakeFirstOrThrow();
      assert.deepEqual(row, { post_count: 7, last_number: 7, last_post_number: 7 });
    }
    const boardRow = await db().selectFrom('forum_boards').select(['post_count', 'topic_count']).where('id', '=', bd.id).executeTakeFirstOrThrow();
    assert.deepEqual(boardRow, { post_count: 14, topic_count: 2 });
    const counted = await db().selectFrom('forum_members').select('post_count').where('user_id', 'in', writers.map((w) => w.id)).execute();
    assert.deepEqual(counted.map((m) => m.post_count), writers.map(() => 1));
    // The author watches both topics: told once of every reply, in its own topic's words.
    const told = await db().selectFrom('notifications').select(['kind', 'url']).where('user_id', '=', authorId).execute();
    assert.equal(told.filter((n) => n.kind === 'forum_reply').length, 12);
    assert.equal(told.filter((n) => n.url.includes(`/${a.id}-`)).length, 6);
    // Each writer watches the topic it replied in.
    const watching = await db().selectFrom('forum_topic_readers').select(['user_id', 'topic_id', 'level']).where('user_id', 'in', writers.map((w) => w.id)).execute();
    assert.equal(watching.length, 12);
    assert.ok(watching.every((w) => w.level === 3));
  });

  test('a reader starts a topic and others reply; posts are numbered, pages and counts follow, the address is canonical', async () => {
    const bd = await board();
    const { c: author } = await member('Анна Автор');
    const t = await topic(author, bd.slug, 'Где купить зимнюю резину недорого?', 'Подскажите, где **недорого** купить резину на зиму. *Спасибо!*');
    assert.match(t.url, new RegExp(`^/forum/${bd.slug}/${t.id}-gde-kupit-zimnyuyu-rezinu-nedorogo/$`));
    const page = await fresh().get(t.url);
    assert.equal(page.status, 200);
    assert.match(page.text, /<h1>Где купить зимнюю резину недорого\?<\/h1>/);
    assert.match(page.text, /<strong>недорого<\/strong>/);
    assert.match(page.text, /"@type":"DiscussionForumPosting"/);
    const { c: other } = await member('Борис');
    const r = await other.request('POST', `/forum/topics/${t.id}/reply`, { form: { body: 'На рынке у вокзала дешевле всего.' }, headers: { origin: portal.url } });
    assert.equal(r.status, 303);
    assert.equal(r.location, `${t.url}#post-2`);
    later();
    const j = await author.api('POST', `/api/forum/topics/${t.id}/posts`, { body: 'Спасибо, съезжу в субботу.' });
    assert.equal(j.status, 201);
    assert.equal(j.json().number, 3);
    assert.deepEqual((await posts(t.id)).map((p) => p.number), [1, 2, 3]);
    const shown = await fresh().get(t.url);
    assert.match(shown.text, /На рынке у вокзала дешевле всего\./);
    assert.match(shown.text, /Спасибо, съезжу в субботу\./);
    const boardPage = await fresh().get(`/forum/${bd.slug}/`);
    assert.match(boardPage.text, /2 ответа/);
    // A wrong slug or board redirects; unknown ones are the Russian 404.
    const wrong = await fresh().get(`/forum/${bd.slug}/${t.id}-chto-to-drugoe/?page=1`);
    assert.equal(wrong.status, 301);
    assert.equal(wrong.location, t.url);
    const missing = await fresh().get(`/forum/${bd.slug}/999999-net/`);
    assert.equal(missing.status, 404);
    assert.match(missing.text, /Такой темы нет/);
    const noBoard = await fresh().get('/forum/net-takogo/');
    assert.equal(noBoard.status, 404);
    assert.match(noBoard.text, /Такого раздела форума нет/);
    assert.equal((await fresh().get(`${t.url}?page=5`)).status, 404);
  });

  test('bad posts are refused with the reason in Russian and nothing is stored', async () => {
    const bd = await board();
    const { c } = await member();
    const before = await db().selectFrom('forum_posts').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const short = await c.submit(`/forum/${bd.slug}/topics`, { title: 'Тема', body: 'Текст' });
    assert.equal(short.status, 400);
    assert.match(short.text, /Заголовок темы: от 5 до 150 символов/);
    const empty = await c.submit(`/forum/${bd.slug}/topics`, { title: 'Пустое сообщение', body: '   ' });
    assert.equal(empty.status, 400);
    assert.match(empty.text, /Напишите текст сообщения/);
    const markup = await c.submit(`/forum/${bd.slug}/topics`, { title: 'Одна разметка', body: '**  **\n\n>\n\n- ' });
    assert.equal(markup.status, 400);
    assert.match(markup.text, /только разметка/);
    const long = await c.api('POST', `/api/forum/boards/${bd.slug}/topics`, { title: 'Очень длинное', body: 'а'.repeat(20_001) });
    assert.equal(long.status, 400);
    assert.match(long.json().error.message, /длиннее 20000 символов/);
    const quoteOfNothing = await c.api('POST', `/api/forum/boards/${bd.slug}/topics`, { title: 'Цитата ниоткуда', body: '[quote=999999]чужое[/quote]\nМой ответ.' });
    assert.equal(quoteOfNothing.status, 400);
    assert.match(quoteOfNothing.json().error.message, /Цитата ссылается на сообщение/);
    const after = await db().selectFrom('forum_posts').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    assert.equal(after.n, before.n);
  });

  test('who may start and reply is the board’s rule; a closed topic takes no replies', async () => {
    const staffOnly = await board({ startRole: 'staff' });
    const trusted = await board({ replyRole: 'trusted' });
    const { c } = await member();
    const refused = await c.submit(`/forum/${staffOnly.slug}/topics`, { title: 'Можно ли мне?', body: 'Пробую создать тему.' });
    assert.equal(refused.status, 403);
    assert.match(refused.text, /не можете начинать темы/);
    const t = await topic(c, trusted.slug);
    later();
    const { c: other } = await member();
    const reply = await other.api('POST', `/api/forum/topics/${t.id}/posts`, { body: 'Хочу ответить, но мне нельзя.' });
    assert.equal(reply.status, 403);
    const { c: mod } = await member('Модератор', 'moderator');
    assert.equal((await mod.submit(`/forum/topics/${t.id}/moderate`, { action: 'close' })).status, 303);
    later();
    const closed = await c.api('POST', `/api/forum/topics/${t.id}/posts`, { body: 'А я автор, но тема закрыта.' });
    assert.equal(closed.status, 403);
    assert.match(closed.json().error.message, /Тема закрыта/);
    assert.match((await fresh().get(t.url)).text, /Тема закрыта/);
    // A reader cannot close or pin.
    assert.equal((await c.submit(`/forum/topics/${t.id}/moderate`, { action: 'open' })).status, 403);
  });

  test('editing within the window keeps the history; later only staff; deleting leaves «Сообщение удалено»', async () => {
    const bd = await board();
    const { c } = await member('Виктор');
    const t = await topic(c, bd.slug, 'Ремонт во дворе на Садовой', 'Во дворе начали ремонт асфалта.');
    const [first] = await posts(t.id);
    const edited = await c.submit(`/forum/posts/${first!.id}/edit`, { body: 'Во дворе начали ремонт асфальта и бордюров.', title: 'Ремонт во дворе на Садовой улице' });
    assert.equal(edited.status, 303);
    const page = await fresh().get(edited.location!.split('#')[0]!.replace(/\?.*$/, ''));
    assert.match(page.text, /ремонт асфальта и бордюров/);
    assert.match(page.text, /<h1>Ремонт во дворе на Садовой улице<\/h1>/);
    assert.match(page.text, /изменено/);
    const history = await fresh().get(`/forum/posts/${first!.id}/history`);
    assert.equal(history.status, 200);
    assert.match(history.text, /Во дворе начали ремонт асфалта\./);
    assert.match(history.text, /Текущая версия/);
    clock.advance(31 * 60_000);
    const late = await c.api('PUT', `/api/forum/posts/${first!.id}`, { body: 'Поздняя правка.' });
    assert.equal(late.status, 403);
    assert.match(late.json().error.message, /в течение 30 минут/);
    const { c: mod } = await member('Модератор Ира', 'moderator');
    assert.equal((await mod.api('PUT', `/api/forum/posts/${first!.id}`, { body: 'Правка модератора: убрал телефон.' })).status, 200);
    const { c: stranger } = await member();
    assert.equal((await stranger.api('DELETE', `/api/forum/posts/${first!.id}`)).status, 403);
    assert.equal((await c.api('DELETE', `/api/forum/posts/${first!.id}`)).status, 200);
    const gone = await fresh().get(edited.location!.split('#')[0]!);
    assert.match(gone.text, /Сообщение удалено/);
    assert.doesNotMatch(gone.text, /убрал телефон/);
  });
});

describe('quotes, mentions, watching and unread', () => {
  test('a quote names its author and links to the post; a mention and a reply notify; unread lists the topic until read', async () => {
    const bd = await board();
    const anna = await member('Анна Квашнина');
    const boris = await member('Борис Садовый');
    const t = await topic(anna.c, bd.slug, 'Какой детский сад выбрать в Академгородке?', 'Нам скоро в сад. Какой лучше: «Солнышко» или «Ромашка»?');
    const [first] = await posts(t.id);
    // The no-JS «Цитировать» opens the reply form with the whole post quoted.
    const form = await boris.c.get(`/forum/topics/${t.id}/reply?quote=${first!.id}`);
    assert.match(form.text, new RegExp(`\\[quote=${first!.id}\\]`));
    const body = `[quote=${first!.id}]\n«Солнышко» или «Ромашка»?\n[/quote]\n\nВ «Ромашке» воспитатели лучше, @Анна_Квашнина, поверьте.`;
    const r = await boris.c.api('POST', `/api/forum/topics/${t.id}/posts`, { body });
    assert.equal(r.status, 201);
    const page = await fresh().get(t.url);
    assert.ok(page.text.includes(`<blockquote class="forum-quote" data-post="${first!.id}">\n<p class="forum-quote__source"><a href="${t.url}#post-1">Анна Квашнина</a> писал(а):</p>`), 'the quote names its author and links to the post');
    assert.match(page.text, /<a class="forum-mention" href="\/forum\/u\/%D0%90%D0%BD%D0%BD%D0%B0_%D0%9A%D0%B2%D0%B0%D1%88%D0%BD%D0%B8%D0%BD%D0%B0\/">@Анна_Квашнина<\/a>/);
    // Anna watches her topic (she started it): she is told once, of the mention.
    const told = await db().selectFrom('notifications').select(['kind', 'url']).where('user_id', '=', anna.id).execute();
    assert.deepEqual(told.map((n) => n.kind), ['forum_mention']);
    assert.equal(told[0]!.url, `${t.url}#post-2`);
    later();
    await boris.c.api('POST', `/api/forum/topics/${t.id}/posts`, { body: 'И ещё: там есть бассейн.' });
    assert.deepEqual((await db().selectFrom('notifications').select('kind').where('user_id', '=', anna.id).orderBy('id').execute()).map((n) => n.kind), ['forum_mention', 'forum_reply']);
    // Unread for Anna: two posts past her last read.
    const unread = await anna.c.get('/forum/unread/');
    assert.match(unread.text, /Какой детский сад выбрать в Академгородке\?/);
    assert.match(unread.text, /2 новых/);
    const read = await anna.c.api('POST', `/api/forum/topics/${t.id}/read`, { number: 3 });
    assert.deepEqual(read.json(), { lastRead: 3, level: 3 });
    assert.doesNotMatch((await anna.c.get('/forum/unread/')).text, /Какой детский сад/);
    // A profile lists the member's topics and posts.
    const profile = await fresh().get(`/forum/u/${encodeURIComponent('Борис_Садовый')}/`);
    assert.equal(profile.status, 200);
    assert.match(profile.text, /В «Ромашке» воспитатели лучше/);
  });

  test('a muted topic tells nothing; «Новые» lists unopened topics; «Отметить всё прочитанным» clears both lists', async () => {
    const bd = await board();
    const a = await member();
    const b = await member();
    const t = await topic(a.c, bd.slug, 'Шум от стройки по ночам');
    assert.equal((await a.c.api('PUT', `/api/forum/topics/${t.id}/level`, { level: 0 })).status, 200);
    await b.c.api('POST', `/api/forum/topics/${t.id}/posts`, { body: 'У нас тоже шумят до двух ночи.' });
    assert.equal((await db().selectFrom('notifications').select('id').where('user_id', '=', a.id).execute()).length, 0);
    const c = await member();
    assert.match((await c.c.get('/forum/new/')).text, /Шум от стройки по ночам/);
    assert.equal((await c.c.submit('/forum/read-all', {})).status, 303);
    assert.doesNotMatch((await c.c.get('/forum/new/')).text, /Шум от стройки по ночам/);
    assert.match((await fresh().get('/forum/new/')).text, /Войдите, чтобы видеть/);
  });
});

describe('limits and moderation', () => {
  test('a new account: 3 topics on the first day, one post per 30 s, the same text twice within 5 minutes refused', async () => {
    const bd = await board();
    const { c } = await member();
    for (let i = 0; i < 3; i++) {
      await topic(c, bd.slug, `Моя тема номер ${i + 1}`, `Текст моей темы номер ${i + 1}.`);
      later();
    }
    const fourth = await c.submit(`/forum/${bd.slug}/topics`, { title: 'Четвёртая тема', body: 'Ещё одна тема за день.' });
    assert.equal(fourth.status, 429);
    assert.match(fourth.text, /не больше 3 тем в первые сутки/);
    const t = (await db().selectFrom('forum_topics').select('id').where('board_id', '=', bd.id).orderBy('id').executeTakeFirstOrThrow()).id;
    assert.equal((await c.api('POST', `/api/forum/topics/${t}/posts`, { body: 'Дополню свою тему.' })).status, 201);
    const fast = await c.api('POST', `/api/forum/topics/${t}/posts`, { body: 'И ещё раз сразу.' });
    assert.equal(fast.status, 429);
    assert.match(fast.json().error.message, /подождите \d+ с/);
    later();
    const again = await c.api('POST', `/api/forum/topics/${t}/posts`, { body: 'Дополню свою тему.' });
    assert.equal(again.status, 400);
    assert.match(again.json().error.message, /уже отправляли этот текст/);
    // The limits are settings.
    await portal.app.settings.set(FORUM_SETTINGS.newTopicsPerDay, 10);
    later();
    assert.equal((await c.submit(`/forum/${bd.slug}/topics`, { title: 'Теперь можно', body: 'Лимит подняли.' })).status, 303);
    await portal.app.settings.set(FORUM_SETTINGS.newTopicsPerDay, 3);
  });

  test('a pre-moderated board holds posts for the queue; approval publishes them; reports go to the queue; a moderator pins and moves', async () => {
    const bd = await board({ premoderation: true });
    const open = await board();
    const { c } = await member('Ольга');
    const held = await c.submit(`/forum/${bd.slug}/topics`, { title: 'Ищу работу бухгалтером', body: 'Опыт десять лет, Левый берег.' });
    assert.equal(held.status, 202);
    assert.match(held.text, /появится после проверки/);
    const row = await db().selectFrom('forum_posts').innerJoin('forum_topics', 'forum_topics.id', 'forum_posts.topic_id').select(['forum_posts.id', 'forum_posts.status', 'forum_topics.id as topic', 'forum_topics.status as topic_status']).where('forum_topics.board_id', '=', bd.id).executeTakeFirstOrThrow();
    assert.deepEqual([row.status, row.topic_status], ['held', 'held']);
    assert.doesNotMatch((await fresh().get(`/forum/${bd.slug}/`)).text, /Ищу работу бухгалтером/);
    const { c: mod } = await member('Модератор Глеб', 'moderator');
    const queue = await mod.get('/admin/moderation?kind=forum_post');
    assert.match(queue.text, /Опыт десять лет, Левый берег\./);
    assert.equal((await mod.submit(`/admin/moderation/forum_post/${row.id}/decide`, { action: 'approve' })).status, 303);
    assert.match((await fresh().get(`/forum/${bd.slug}/`)).text, /Ищу работу бухгалтером/);

    // Reports: any reader reports a post; it shows in the queue with the reason.
    const reporter = fresh();
    const rep = await reporter.api('POST', '/api/reports', { kind: 'forum_post', id: row.id, reason: 'spam', text: 'Реклама' });
    assert.equal(rep.status, 201, rep.text);
    assert.match((await mod.get('/admin/moderation?kind=forum_post')).text, /Опыт десять лет/);

    assert.equal((await mod.submit(`/forum/topics/${row.topic}/moderate`, { action: 'pin' })).status, 303);
    const moved = await mod.submit(`/forum/topics/${row.topic}/moderate`, { action: 'move', board: String(open.id) });
    assert.equal(moved.status, 303);
    assert.match(moved.location!, new RegExp(`^/forum/${open.slug}/${row.topic}-`));
    const list = await fresh().get(`/forum/${open.slug}/`);
    assert.match(list.text, /forum-topic--pinned/);
    assert.match(list.text, /Закреплено/);
  });
});

describe('caching and hostile input', () => {
  test('the topic page is cached for guests and a reply purges it at once', async () => {
    const bd = await board();
    const { c } = await member();
    const t = await topic(c, bd.slug);
    await fresh().get(t.url);
    const cached = await fresh().get(t.url);
    assert.match(cached.headers.get('cache-control') ?? '', /s-maxage/);
    later();
    await c.api('POST', `/api/forum/topics/${t.id}/posts`, { body: 'Свежий ответ после кэша.' });
    assert.match((await fresh().get(t.url)).text, /Свежий ответ после кэша\./);
    assert.match((await fresh().get(`/forum/${bd.slug}/`)).text, /1 ответ/);
  });

  test('under the page cache the topic’s data is kept, and every write to the topic drops it: a reply, an edit, a closed topic', async () => {
    const bd = await board();
    const { c } = await member();
    const t = await topic(c, bd.slug);
    // A query string of its own misses the page cache each time: what it shows is the kept data.
    let n = 0;
    const uncached = async () => (await fresh().get(`${t.url}?v=${++n}`)).text;
    assert.match(await uncached(), /Первое сообщение темы/);
    later();
    const reply = (await c.api('POST', `/api/forum/topics/${t.id}/posts`, { body: 'Ответ, которого ещё не было.' })).json();
    assert.match(await uncached(), /Ответ, которого ещё не было\./);
    assert.equal((await c.api('PUT', `/api/forum/posts/${reply.postId}`, { body: 'Ответ, исправленный автором.' })).status, 200);
    const edited = await uncached();
    assert.match(edited, /Ответ, исправленный автором\./);
    assert.doesNotMatch(edited, /которого ещё не было/);
    const { c: mod } = await member('Модератор Кэша', 'moderator');
    assert.equal((await mod.submit(`/forum/topics/${t.id}/moderate`, { action: 'close' })).status, 303);
    assert.match(await uncached(), /Тема закрыта/);
  });

  test('raw HTML, javascript: links and markup in titles stay text; 10,000 mentions and 100-deep quotes render inert', async () => {
    const bd = await board();
    const { c } = await member();
    const t = await topic(c, bd.slug, '<script>alert(1)</script> заголовок', '<img src=x onerror=alert(1)> [ссылка](javascript:alert(1)) <a href="javascript:alert(2)">x</a>');
    const page = await fresh().get(t.url);
    assert.doesNotMatch(page.text, /<script>alert\(1\)/);
    assert.match(page.text, /<h1>&lt;script>alert\(1\)&lt;\/script> заголовок<\/h1>/);
    assert.doesNotMatch(page.text, /<img src=x/);
    assert.doesNotMatch(page.text, /<a [^>]*href="javascript:/i);
    later();
    const mentions = Array.from({ length: 10_000 }, (_, i) => `@u${i}`).join(' ');
    const many = await c.api('POST', `/api/forum/topics/${t.id}/posts`, { body: mentions.slice(0, 19_999) });
    assert.equal(many.status, 201, many.text);
    later();
    const again = await fresh().get(t.url);
    assert.equal(again.status, 200);
    assert.ok((again.text.match(/class="forum-mention"/g) ?? []).length === 0, 'unknown handles stay text');
    // Quotes nested past the renderer's depth show nothing, so such a post is all markup.
    const deep = await c.api('POST', `/api/forum/topics/${t.id}/posts`, { body: `${'>'.repeat(100)} глубоко` });
    assert.equal(deep.status, 400);
    assert.match(deep.json().error.message, /только разметка/);
  });
});

describe('moderators’ tools', () => {
  test('a board moderator (a role scoped to the board) splits posts into a new topic and merges topics; elsewhere they are a reader', async () => {
    const bd = await board();
    const other = await board();
    const { c: admin } = await member('Редактор', 'editor');
    const boardMod = await member('Модератор раздела');
    const email = (await db().selectFrom('users').select('email').where('id', '=', boardMod.id).executeTakeFirstOrThrow()).email;
    assert.equal((await admin.submit(`/admin/forums/${bd.id}/moderators`, { email })).status, 303);
    assert.match((await admin.get(`/admin/forums/${bd.id}`)).text, /Модератор раздела/);
    const unknown = await admin.submit(`/admin/forums/${bd.id}/moderators`, { email: 'net-takogo@example.ru' });
    assert.equal(unknown.status, 400);
    assert.match(unknown.text, /Участника с таким e-mail нет/);

    const { c: a } = await member();
    const t = await topic(a, bd.slug, 'Каток на набережной', 'Когда зальют каток на набережной?');
    for (const body of ['Обещали к декабрю.', 'А у нас во дворе уже залили!', 'В каком дворе? На Садовой?']) {
      later();
      const { c } = await member();
      assert.equal((await c.api('POST', `/api/forum/topics/${t.id}/posts`, { body })).status, 201);
    }
    const split = await boardMod.c.submit(`/forum/topics/${t.id}/split`, { numbers: '3', title: 'Каток во дворе на Садовой' });
    assert.equal(split.status, 303, split.text.slice(0, 500));
    const newId = Number(/\/(\d+)-/.exec(split.location!)![1]);
    assert.deepEqual((await posts(newId)).map((p) => [p.number, p.body]), [[1, 'А у нас во дворе уже залили!']]);
    assert.deepEqual((await posts(t.id)).map((p) => p.number), [1, 2, 4]);
    const nothing = await boardMod.c.request('POST', `/forum/topics/${t.id}/split`, { form: { _csrf: await boardMod.c.csrf(), title: 'Пустое разделение' } });
    assert.equal(nothing.status, 400);
    assert.match(nothing.text, /Выберите сообщения/);

    // Merge the split topic back: its post goes to the end, its address leads there.
    const merged = await boardMod.c.submit(`/forum/topics/${newId}/merge`, { into: t.url });
    assert.equal(merged.status, 303);
    assert.deepEqual((await posts(t.id)).map((p) => p.number), [1, 2, 4, 5]);
    const old = await fresh().get(split.location!.split('#')[0]!);
    assert.equal(old.status, 301);
    assert.equal(old.location, t.url);

    // Hiding a post takes it off the page.
    const fifth = (await posts(t.id)).find((p) => p.number === 5)!;
    assert.equal((await boardMod.c.submit(`/forum/posts/${fifth.id}/hide`, {})).status, 303);
    assert.doesNotMatch((await fresh().get(t.url)).text, /А у нас во дворе уже залили!/);

    // In another board the board moderator is a reader.
    const t2 = await topic(a, other.slug, 'Тема в чужом разделе');
    assert.equal((await boardMod.c.submit(`/forum/topics/${t2.id}/moderate`, { action: 'close' })).status, 403);
    assert.equal((await boardMod.c.get(`/forum/topics/${t2.id}/split`)).status, 403);
  });

  test('a ban in one board stops posting there and nowhere else', async () => {
    const bd = await board();
    const other = await board();
    const { c: mod } = await member('Модератор Лев', 'moderator');
    const troll = await member('Спорщик');
    const ban = await mod.submit('/admin/moderation/bans', { userId: String(troll.id), reason: 'Оскорбления', scope: `board:${bd.id}`, term: 'days', days: '3' });
    assert.equal(ban.status, 303, ban.text.slice(0, 300));
    const refused = await troll.c.submit(`/forum/${bd.slug}/topics`, { title: 'Снова я здесь', body: 'Попробую ещё раз.' });
    assert.equal(refused.status, 403);
    assert.match(refused.text, /Оскорбления/);
    assert.equal((await troll.c.submit(`/forum/${other.slug}/topics`, { title: 'А здесь можно', body: 'В этом разделе бана нет.' })).status, 303);
  });
});

describe('the reader’s state on a topic page', () => {
  test('the page’s one reader-state call carries the forum part: guests may reply, the author may edit within the window, a moderator may moderate', async () => {
    const bd = await board();
    const author = await member();
    const t = await topic(author.c, bd.slug);
    const [first] = await posts(t.id);
    const guest = (await fresh().get(`/api/reader-state?topic=${t.id}`)).json();
    assert.equal(guest.forum.signedIn, false);
    assert.equal(guest.forum.canReply, true);
    assert.equal(guest.forum.lastRead, 0);
    assert.equal(guest.article ?? null, null);
    // Each page view's state call is a view, written in one batch.
    await fresh().get(`/api/reader-state?topic=${t.id}`);
    await portal.app.forums.views.flush();
    assert.equal((await db().selectFrom('forum_topics').select('view_count').where('id', '=', t.id).executeTakeFirstOrThrow()).view_count, 2);
    const mine = (await author.c.get(`/api/reader-state?topic=${t.id}`)).json();
    assert.deepEqual([mine.forum.signedIn, mine.forum.level, mine.forum.lastRead, mine.forum.editable, mine.forum.canModerate], [true, 3, 1, [first!.id], false]);
    clock.advance(31 * 60_000);
    assert.deepEqual((await author.c.get(`/api/reader-state?topic=${t.id}`)).json().forum.editable, []);
    const { c: mod } = await member('Модератор Ада', 'moderator');
    const modState = (await mod.get(`/api/reader-state?topic=${t.id}`)).json();
    assert.equal(modState.forum.canModerate, true);
    assert.ok(modState.forum.boards.length >= 1);
    // No topic asked: no forum part; an unknown topic: nothing either.
    assert.equal((await fresh().get('/api/reader-state')).json().forum, null);
    assert.equal((await fresh().get('/api/reader-state?topic=999999')).json().forum, null);
    assert.equal((await fresh().get('/api/reader-state?topic=abc')).status, 400);
  });

  test('my likes among the page’s posts come with the state (the buttons show them pressed): per page, per reader, a guest’s too; taken back, gone', async () => {
    const bd = await board();
    const author = await member();
    const written = Array.from({ length: 22 }, (_, i) => ({ authorId: author.id, authorName: 'Автор', body: `Сообщение номер ${i + 1} в длинной теме.`, createdAt: new Date(clock.now().getTime() - (30 - i) * 60_000) }));
    const { topicId, postIds } = await portal.app.forums.posting.importTopic({ boardId: bd.id, title: 'Тема на две страницы', posts: written });
    const [second, twentyFirst] = [postIds[1]!, postIds[20]!];
    const liked = async (c: Client, page?: number) => {
      const res = await c.get(`/api/reader-state?topic=${topicId}${page ? `&page=${page}` : ''}`);
      assert.equal(res.status, 200, res.text);
      return res.json().forum.liked as number[];
    };
    const like = async (c: Client, id: number, on = true) => assert.equal((await c.api(on ? 'PUT' : 'DELETE', `/api/subjects/forum_post/${id}/reaction`, on ? { kind: 'LIKE' } : undefined)).status, 200);

    const reader = await member();
    await like(reader.c, second);
    await like(reader.c, twentyFirst);
    assert.deepEqual(await liked(reader.c), [second]);
    assert.deepEqual(await liked(reader.c, 1), [second]);
    assert.deepEqual(await liked(reader.c, 2), [twentyFirst]);
    assert.deepEqual(await liked(reader.c, 3), [], 'a page past the last');
    assert.deepEqual(await liked(author.c, 1), [], 'another reader');
    // The poll of «ещё N новых» answers the same.
    assert.deepEqual((await reader.c.get(`/api/forum/topics/${topicId}/state?page=2`)).json().liked, [twentyFirst]);
    await like(reader.c, second, false);
    assert.deepEqual(await liked(reader.c, 1), []);

    // A guest (a reader cookie, no account), answered by the front door.
    const guest = fresh();
    assert.deepEqual(await liked(guest), []);
    await like(guest, second);
    assert.deepEqual(await liked(guest, 1), [second]);
    assert.equal((await guest.get(`/api/reader-state?topic=${topicId}&page=0`)).status, 400);
  });
});

describe('pictures under posts', () => {
  /** A small JPEG that carries EXIF (a camera's, with a place). */
  async function photo() {
    return sharp({ create: { width: 640, height: 480, channels: 3, background: '#2a6' } })
      .jpeg()
      .withExif({ IFD0: { Make: 'Камера', Copyright: 'Автор' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '55/1 1/1 0/1' } })
      .toBuffer();
  }
  async function upload(c: Client, bytes: Buffer) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), 'photo.jpg');
    const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${portal.url}/api/forum/images`, { method: 'POST', body: form, headers: { ...c.defaults, cookie, 'x-csrf-token': await c.csrf(), accept: 'application/json' } });
    return { status: res.status, json: (await res.json()) as { id: number; url: string; error?: { message: string } } };
  }

  test('up to four of one’s own uploads, re-encoded without EXIF, shown under the post; a new account may not yet', async () => {
    const bd = await board();
    const newbie = await member();
    const refused = await upload(newbie.c, await photo());
    assert.equal(refused.status, 403);
    assert.match(refused.json.error!.message, /Новым участникам пока нельзя вставлять картинки/);

    const { c: mod } = await member('Модератор Фото', 'moderator');
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const up = await upload(mod, await photo());
      assert.equal(up.status, 201);
      ids.push(up.json.id);
    }
    // The stored variants carry no EXIF.
    const stored = await portal.app.media.get([ids[0]!]);
    const ref = stored.get(ids[0]!)!;
    for (const v of ref.variants) {
      const meta = await sharp(await fs.readFile(path.join(portal.app.media.uploadsDir, ref.base.replace(/^\/uploads\//, ''), v.file))).metadata();
      assert.equal(meta.exif, undefined, v.file);
    }

    const five = await mod.api('POST', `/api/forum/boards/${bd.slug}/topics`, { title: 'Пять фото сразу', body: 'Слишком много фото.', images: ids });
    assert.equal(five.status, 400);
    assert.match(five.json().error.message, /не больше 4 фото/);
    const started = await mod.api('POST', `/api/forum/boards/${bd.slug}/topics`, { title: 'Снегопад на Красном проспекте', body: 'Вот как это выглядело утром.', images: ids.slice(0, 2) });
    assert.equal(started.status, 201);
    const page = await fresh().get(started.json().url.split('#')[0]);
    assert.equal((page.text.match(/<div class="forum-post__images">/g) ?? []).length, 1);
    assert.equal((page.text.match(/alt="Фото \d к сообщению №1"/g) ?? []).length, 2);

    // Someone else's picture cannot be attached.
    const { c: other } = await member('Модератор Чужой', 'moderator');
    const stolen = await other.api('POST', `/api/forum/topics/${started.json().topicId}/posts`, { body: 'Возьму чужое фото.', images: [ids[4]] });
    assert.equal(stolen.status, 400);
    assert.match(stolen.json().error.message, /только свои загруженные фото/);
    assert.equal((await db().selectFrom('forum_post_images').select('post_id').where('image_id', '=', ids[4]!).execute()).length, 0);
  });
});

describe('a board’s level', () => {
  test('watching a board notifies of every reply in its topics; muting it keeps its topics out of «Новые»', async () => {
    const bd = await board();
    const watcher = await member();
    const form = await watcher.c.get(`/forum/boards/${bd.id}/level`);
    assert.equal(form.status, 200);
    assert.match(form.text, /<input type="radio" name="level" value="1" checked/);
    assert.equal((await watcher.c.submit(`/forum/boards/${bd.id}/level`, { level: '3' })).status, 303);
    assert.match((await watcher.c.get(`/forum/boards/${bd.id}/level?saved=1`)).text, /<input type="radio" name="level" value="3" checked/);
    const a = await member();
    const t = await topic(a.c, bd.slug, 'Ёлка на площади в этом году');
    const b = await member();
    await b.c.api('POST', `/api/forum/topics/${t.id}/posts`, { body: 'Говорят, поставят к двадцатому.' });
    assert.deepEqual((await db().selectFrom('notifications').select('kind').where('user_id', '=', watcher.id).execute()).map((n) => n.kind), ['forum_reply']);

    const muter = await member();
    assert.match((await muter.c.get('/forum/new/')).text, /Ёлка на площади в этом году/);
    await muter.c.submit(`/forum/boards/${bd.id}/level`, { level: '0' });
    assert.doesNotMatch((await muter.c.get('/forum/new/')).text, /Ёлка на площади в этом году/);
    assert.equal((await fresh().get(`/forum/boards/${bd.id}/level`)).status, 303, 'a guest signs in first');
  });
});
