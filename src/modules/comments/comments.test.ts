import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import type { Client } from '../../../test/support/client.js';
import { ManualClock } from '../../platform/clock.js';
import type { ArticleCard } from '../content/index.js';
import { DEFAULT_SETTINGS } from '../moderation/index.js';
import { VOTE_PURGE_INTERVAL_MS } from './thread-cache.js';

let portal: Portal;
let clock: ManualClock;
let articles: ArticleCard[];
let ip = 10;

before(async () => {
  clock = new ManualClock(new Date());
  portal = await startPortal({ clock, config: { trustProxy: '127.0.0.1' } });
  articles = await portal.app.content.latest({ limit: 30 });
});
after(() => portal.close());

const db = () => portal.database.db;
/** A client from its own IP, so one test's per-IP limits do not touch another's. */
const fresh = () => portal.client({ 'x-forwarded-for': `198.51.100.${ip++}` });
let userN = 0;
async function reader(name = `Читатель ${++userN}`, role: 'reader' | 'moderator' = 'reader'): Promise<{ c: Client; id: number; email: string }> {
  const email = `r${++userN}-${Date.now()}@example.ru`;
  const u = await portal.app.accounts.createUser({ email, password: 'пароль-читателя', displayName: name, role });
  const c = fresh();
  await c.signIn(email, 'пароль-читателя');
  return { c, id: u.id, email };
}
/** An article nobody else in this file comments on. */
let next = 0;
const article = () => articles[next++]!;
const count = async (articleId: number) => (await portal.app.comments.counts([articleId])).get(articleId)!;
const rows = (articleId: number) => db().selectFrom('comments').selectAll().where('subject_kind', '=', 'article').where('subject_id', '=', articleId).orderBy('id').execute();
async function setSection(sectionId: number, mode: 'members' | 'guests' | 'closed', premoderation = false) {
  await db().updateTable('sections').set({ comments_mode: mode, premoderation }).where('id', '=', sectionId).execute();
  // As the back office does when sections change: everything is purged.
  await portal.app.pageCache.purge(['*']);
}
function outbox(): string[] {
  const dir = path.join(portal.dataDir, 'outbox');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort().map((f) => fs.readFileSync(path.join(dir, f), 'utf8')) : [];
}

describe('the comments block on the article page', () => {
  test('shows «Комментарии» with the empty state, then the count in Russian plural forms', async () => {
    const a = article();
    const anon = fresh();
    const empty = await anon.get(a.url);
    assert.equal(empty.status, 200);
    assert.match(empty.text, /<h2[^>]*id="comments-title"[^>]*>Комментарии <span class="comments__count">0 комментариев<\/span>/);
    assert.match(empty.text, /Пока нет ни одного комментария. Начните обсуждение первым!/);
    assert.match(empty.text, /<form class="form comment-form" method="post" action="\/comments"[^>]*>/);

    const { c } = await reader('Анна');
    const first = await c.api('POST', '/api/comments', { articleId: a.id, body: 'Первый!' });
    assert.equal(first.status, 201);
    assert.equal(first.json().status, 'approved');
    // The cached page was purged: the next view shows the comment and the count.
    const one = await anon.get(a.url);
    assert.match(one.text, /1 комментарий</);
    assert.match(one.text, /Первый!/);
    assert.doesNotMatch(one.text, /Пока нет ни одного комментария/);

    const { c: boris } = await reader('Борис');
    assert.equal((await boris.api('POST', '/api/comments', { articleId: a.id, parentId: first.json().id, body: 'Ответ' })).status, 201);
    assert.match((await anon.get(a.url)).text, /2 комментария</);
    for (let i = 0; i < 3; i++) await portal.app.comments.create({ articleId: a.id, user: null, guestName: undefined, body: `x${i}`, ipHash: 'h' }).catch(() => {});
    assert.equal(await count(a.id), 2, 'members-only section refuses anonymous comments');
  });

  test('plain text keeps line breaks, links get rel="nofollow ugc noopener", HTML stays text', async () => {
    const a = article();
    const { c } = await reader();
    const body = 'Строка один\nСтрока два\n\nСм. https://ngs.ru/news и javascript:alert(1) <b>жирный</b> <script>alert(1)</script>';
    assert.equal((await c.api('POST', '/api/comments', { articleId: a.id, body })).status, 201);
    const html = (await fresh().get(a.url)).text;
    assert.match(html, /<p>Строка один<br\/?>Строка два<\/p><p>См\. <a href="https:\/\/ngs.ru\/news" rel="nofollow ugc noopener">https:\/\/ngs.ru\/news<\/a>/);
    assert.match(html, /&lt;b>жирный&lt;\/b> &lt;script>alert\(1\)&lt;\/script>/);
    assert.doesNotMatch(html, /href="javascript:/);
  });
});

describe('posting', () => {
  test('bad input gets a clear 4xx and nothing is stored', async () => {
    const a = article();
    const b = article();
    const { c } = await reader();
    const other = await c.api('POST', '/api/comments', { articleId: b.id, body: 'В другой статье' });
    const deleted = await c.api('POST', '/api/comments', { articleId: a.id, body: 'Удалю' });
    assert.equal((await c.api('DELETE', `/api/comments/${deleted.json().id}`)).status, 200);
    const before = (await rows(a.id)).length;

    const cases: [unknown, number, RegExp][] = [
      [{ articleId: 99999999, body: 'Куда?' }, 404, /Статья не найдена/],
      [{ articleId: a.id, body: '   \n  ' }, 400, /Напишите текст/],
      [{ articleId: a.id, body: 'я'.repeat(2001) }, 400, /длиннее 2000/],
      [{ articleId: a.id, body: 'я'.repeat(20000) }, 400, /длиннее 2000/],
      [{ articleId: a.id, body: 'Ответ', parentId: deleted.json().id }, 400, /удалён или не найден/],
      [{ articleId: a.id, body: 'Ответ', parentId: other.json().id }, 400, /другой статье/],
      [{ articleId: a.id, body: 'Ответ', parentId: 99999999 }, 400, /удалён или не найден/],
      [{ articleId: 'abc', body: 'x' }, 400, /Неверные данные/],
    ];
    for (const [payload, status, message] of cases) {
      const res = await c.api('POST', '/api/comments', payload);
      assert.equal(res.status, status, JSON.stringify(payload).slice(0, 80));
      assert.match(res.json().error.message, message);
    }
    assert.equal((await rows(a.id)).length, before);
    // Exactly 2000 characters (counted as characters, not UTF-16 units) is fine.
    assert.equal((await c.api('POST', '/api/comments', { articleId: a.id, body: '😀'.repeat(2000) })).status, 201);
  });

  test('every write checks CSRF; the no-JS form needs the same origin', async () => {
    const a = article();
    const { c } = await reader();
    const noToken = await c.request('POST', '/api/comments', { body: { articleId: a.id, body: 'без токена' }, headers: { accept: 'application/json' } });
    assert.equal(noToken.status, 403);
    const crossSite = await c.request('POST', '/comments', { form: { articleId: String(a.id), body: 'с чужого сайта' }, headers: { 'sec-fetch-site': 'cross-site' } });
    assert.equal(crossSite.status, 403);
    assert.equal((await rows(a.id)).length, 0);
    const sameSite = await c.request('POST', '/comments', { form: { articleId: String(a.id), body: 'из формы без JS' }, headers: { 'sec-fetch-site': 'same-origin' } });
    assert.equal(sameSite.status, 303);
    const [row] = await rows(a.id);
    assert.equal(sameSite.location, `${a.url}#comment-${row!.id}`);
    // Votes and complaints too.
    assert.equal((await c.request('PUT', `/api/comments/${row!.id}/vote`, { body: { value: 1 } })).status, 403);
  });

  test('a guest without an account is sent to sign in, unless the section allows guests with a name; closed means closed', async () => {
    const a = article();
    const guest = fresh();
    const form = await guest.request('POST', '/comments', { form: { articleId: String(a.id), body: 'Гость' }, headers: { 'sec-fetch-site': 'same-origin' } });
    assert.equal(form.status, 303);
    assert.match(form.location!, /^\/login\?next=/);
    assert.equal((await guest.api('POST', '/api/comments', { articleId: a.id, body: 'Гость' })).status, 401);

    await setSection(a.section.id, 'guests');
    try {
      const noName = await guest.api('POST', '/api/comments', { articleId: a.id, body: 'Гость' });
      assert.equal(noName.status, 400);
      assert.match(noName.json().error.message, /Имя/);
      const ok = await guest.api('POST', '/api/comments', { articleId: a.id, body: 'Я гость', guestName: 'Прохожий' });
      assert.equal(ok.status, 201);
      const page = (await fresh().get(a.url)).text;
      assert.match(page, /Прохожий<\/span><span class="comment__guest"> \(гость\)/);
      assert.match(page, /name="guestName"/);

      await setSection(a.section.id, 'closed');
      const { c } = await reader();
      const closed = await c.api('POST', '/api/comments', { articleId: a.id, body: 'Закрыто?' });
      assert.equal(closed.status, 403);
      assert.match(closed.json().error.message, /закрыты/);
      assert.match((await fresh().get(a.url)).text, /Комментарии к этой статье закрыты/);
    } finally {
      await setSection(a.section.id, 'members');
    }
  });

  test('an article taken down takes no comments and shows no thread at once, though its data was cached', async () => {
    const a = article();
    const { c } = await reader();
    const made = await portal.app.accounts.createUser({ email: `editor-${Date.now()}@example.ru`, password: 'пароль-редактора', displayName: 'Редактор', role: 'editor' });
    const editor = { id: made.id, email: made.email, displayName: made.display_name, role: made.role };
    assert.equal((await c.api('POST', '/api/comments', { articleId: a.id, body: 'Пока статья на сайте' })).status, 201);
    // Readers have the article (and so its data) cached.
    assert.equal((await fresh().get(a.url)).status, 200);
    assert.equal((await fresh().get(`/api/articles/${a.id}/comments`)).status, 200);
    try {
      await portal.app.newsroom.transition(editor, a.id, 'unpublish');
      const refused = await c.api('POST', '/api/comments', { articleId: a.id, body: 'После снятия' });
      assert.equal(refused.status, 404);
      assert.match(refused.json().error.message, /Статья не найдена/);
      assert.equal((await fresh().get(`/api/articles/${a.id}/comments`)).status, 404);
      assert.equal((await rows(a.id)).length, 1);
    } finally {
      await portal.app.newsroom.transition(editor, a.id, 'publish');
    }
    assert.equal((await fresh().get(`/api/articles/${a.id}/comments`)).json().count, 1);
  });

  test('a reader is limited to a few comments a minute', async () => {
    const a = article();
    const { c } = await reader();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await c.api('POST', '/api/comments', { articleId: a.id, body: `Сообщение ${i}` })).status);
    assert.deepEqual(statuses, [201, 201, 201, 201, 201, 429]);
    assert.equal(await count(a.id), 5);
  });
});

describe('threads', () => {
  test('replies show two levels deep; deeper ones name whom they answer', async () => {
    const a = article();
    const { c: anna } = await reader('Анна');
    const { c: boris } = await reader('Борис');
    const root = (await anna.api('POST', '/api/comments', { articleId: a.id, body: 'Корень' })).json().id;
    const r1 = (await boris.api('POST', '/api/comments', { articleId: a.id, parentId: root, body: 'Ответ 1' })).json().id;
    const r2 = (await anna.api('POST', '/api/comments', { articleId: a.id, parentId: r1, body: 'Ответ 2' })).json().id;
    const r3 = (await boris.api('POST', '/api/comments', { articleId: a.id, parentId: r2, body: 'Ответ 3' })).json().id;
    const thread = await portal.app.comments.thread(a.id);
    assert.equal(thread.items.length, 1);
    const [top] = thread.items;
    assert.deepEqual(top!.replies.map((r) => r.id), [r1]);
    assert.deepEqual(top!.replies[0]!.replies.map((r) => r.id), [r2, r3]);
    assert.equal(top!.replies[0]!.replies[1]!.replyTo, 'Анна');
    const html = (await fresh().get(a.url)).text;
    assert.match(html, /ответ Анна/);
  });

  test('sort by new, old and popular, and «Показать ещё» pages', async () => {
    const a = article();
    for (let i = 0; i < 23; i++) {
      clock.advance(1000);
      await db().insertInto('comments').values({ subject_kind: 'article', subject_id: a.id, parent_id: null, root_id: null, author_id: null, guest_name: `Гость ${i}`, body: `Комментарий номер ${i}`, status: 'approved', created_at: clock.now(), edited_at: null, reviewed_at: null, up: i === 5 ? 10 : 0 }).execute();
    }
    await portal.app.pageCache.purge([`article:${a.id}`]);
    const page = (await fresh().get(a.url)).text;
    assert.match(page, /23 комментария/);
    assert.equal((page.match(/class="comment comment--d0"/g) ?? []).length, 20);
    assert.ok(page.indexOf('Комментарий номер 22') < page.indexOf('Комментарий номер 21'), 'newest first');
    assert.match(page, /href="\/comments\/\d+\?sort=new&amp;page=2"[^>]*>Показать ещё/);

    const second = await fresh().get(`/comments/${a.id}?sort=new&page=2`);
    assert.equal(second.status, 200);
    assert.equal((second.text.match(/class="comment comment--d0"/g) ?? []).length, 3);
    assert.match(second.text, /Комментарий номер 0</);

    const old = await fresh().get(`/comments/${a.id}/thread?sort=old`);
    assert.equal(old.headers.get('cache-control'), 'no-store');
    assert.ok(old.text.indexOf('Комментарий номер 0<') < old.text.indexOf('Комментарий номер 1<'));
    const popular = (await fresh().get(`/api/articles/${a.id}/comments?sort=popular`)).json();
    assert.equal(popular.items[0].body, 'Комментарий номер 5');
    assert.equal(popular.count, 23);
    assert.equal((await fresh().get(`/comments/${a.id}?sort=wrong`)).status, 400);
    assert.equal((await fresh().get(`/comments/99999999`)).status, 404);
  });
});

describe('votes, edits, deletion, complaints', () => {
  test('one vote per reader: up, switch, withdraw; not on your own comment; anonymous readers vote by cookie', async () => {
    const a = article();
    const { c: author } = await reader();
    const { c: voter } = await reader();
    const id = (await author.api('POST', '/api/comments', { articleId: a.id, body: 'Голосуйте' })).json().id;
    const own = await author.api('PUT', `/api/comments/${id}/vote`, { value: 1 });
    assert.equal(own.status, 400);
    assert.match(own.json().error.message, /свой комментарий/);
    assert.deepEqual((await voter.api('PUT', `/api/comments/${id}/vote`, { value: 1 })).json(), { up: 1, down: 0, mine: 1 });
    assert.deepEqual((await voter.api('PUT', `/api/comments/${id}/vote`, { value: 1 })).json(), { up: 1, down: 0, mine: 1 });
    assert.deepEqual((await voter.api('PUT', `/api/comments/${id}/vote`, { value: -1 })).json(), { up: 0, down: 1, mine: -1 });
    const anon = fresh();
    assert.deepEqual((await anon.api('PUT', `/api/comments/${id}/vote`, { value: -1 })).json(), { up: 0, down: 2, mine: -1 });
    assert.deepEqual((await voter.api('PUT', `/api/comments/${id}/vote`, { value: 0 })).json(), { up: 0, down: 1, mine: 0 });
    assert.equal((await voter.api('PUT', `/api/comments/${id}/vote`, { value: 2 })).status, 400);
    assert.equal((await voter.api('PUT', `/api/comments/999999/vote`, { value: 1 })).status, 404);
    const state = (await anon.get(`/api/articles/${a.id}/comments/me`)).json();
    assert.deepEqual(state.votes, { [id]: -1 });
    const votes = await db().selectFrom('comment_votes').selectAll().where('comment_id', '=', id).execute();
    assert.equal(votes.length, 1);
  });

  test('anonymous votes from one IP are capped (keyed IP hash), signed-in readers are not', async () => {
    const a = article();
    const { c: author } = await reader();
    const id = (await author.api('POST', '/api/comments', { articleId: a.id, body: 'Накрутка?' })).json().id;
    const sameIp = { 'x-forwarded-for': '198.18.0.77' };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await portal.client(sameIp).api('PUT', `/api/comments/${id}/vote`, { value: 1 })).status);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    const stored = await db().selectFrom('comment_votes').select(['ip_hash']).where('comment_id', '=', id).execute();
    assert.equal(stored.length, 3);
    assert.ok(stored.every((v) => v.ip_hash.length > 10 && !v.ip_hash.includes('198.18')), 'only a keyed hash of the IP');
    assert.equal((await portal.client({ 'x-forwarded-for': '198.18.0.78' }).api('PUT', `/api/comments/${id}/vote`, { value: 1 })).status, 200);
    const { c: member } = await reader();
    assert.equal((await member.api('PUT', `/api/comments/${id}/vote`, { value: 1 })).status, 200);
    assert.equal((await db().selectFrom('comments').select('up').where('id', '=', id).executeTakeFirstOrThrow()).up, 5);
  });

  test('votes from many readers at once stay exact', async () => {
    const a = article();
    const { c: author } = await reader();
    const id = (await author.api('POST', '/api/comments', { articleId: a.id, body: 'Популярный' })).json().id;
    const voters = Array.from({ length: 12 }, () => fresh());
    await Promise.all(voters.map((v) => v.csrf()));
    await Promise.all(voters.map((v, i) => v.api('PUT', `/api/comments/${id}/vote`, { value: i % 3 === 0 ? -1 : 1 })));
    const row = await db().selectFrom('comments').select(['up', 'down']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { up: 8, down: 4 });
  });

  test('edit within 15 minutes, delete own; others cannot', async () => {
    const a = article();
    const { c: author } = await reader('Автор');
    const { c: stranger } = await reader();
    const id = (await author.api('POST', '/api/comments', { articleId: a.id, body: 'Опечтка' })).json().id;
    const replyId = (await stranger.api('POST', '/api/comments', { articleId: a.id, parentId: id, body: 'Ответ на опечатку' })).json().id;
    assert.equal((await stranger.api('PATCH', `/api/comments/${id}`, { body: 'Взлом' })).status, 403);
    assert.equal((await fresh().api('PATCH', `/api/comments/${id}`, { body: 'Взлом' })).status, 401);
    assert.equal((await author.api('PATCH', `/api/comments/${id}`, { body: 'Опечатка' })).status, 200);
    assert.match((await fresh().get(a.url)).text, /Опечатка<\/p><\/div>/);
    const mine = (await author.get(`/api/articles/${a.id}/comments/me`)).json().mine;
    assert.equal(mine[0].id, id);
    clock.advance(16 * 60_000);
    const late = await author.api('PATCH', `/api/comments/${id}`, { body: 'Поздно' });
    assert.equal(late.status, 403);
    assert.match(late.json().error.message, /15 минут/);

    assert.equal((await stranger.api('DELETE', `/api/comments/${id}`)).status, 403);
    assert.equal((await author.api('DELETE', `/api/comments/${id}`)).status, 200);
    // With a reply below it, the deleted one stays as a placeholder.
    let html = (await fresh().get(a.url)).text;
    assert.match(html, /Комментарий удалён/);
    assert.doesNotMatch(html, /Опечатка/);
    assert.match(html, /1 комментарий</);
    assert.equal((await stranger.api('DELETE', `/api/comments/${replyId}`)).status, 200);
    html = (await fresh().get(a.url)).text;
    assert.doesNotMatch(html, /Комментарий удалён/);
    assert.match(html, /Пока нет ни одного комментария/);
  });

  test('a complaint with a reason, once per reader, goes to the moderators', async () => {
    const a = article();
    const { c: author } = await reader();
    const { c: other } = await reader();
    const id = (await author.api('POST', '/api/comments', { articleId: a.id, body: 'Спорное' })).json().id;
    assert.equal((await other.api('POST', `/api/comments/${id}/complaints`, { reason: 'nonsense' })).status, 400);
    assert.equal((await author.api('POST', `/api/comments/${id}/complaints`, { reason: 'spam' })).status, 400);
    assert.equal((await other.api('POST', `/api/comments/${id}/complaints`, { reason: 'abuse', note: 'грубо' })).status, 201);
    const again = await other.api('POST', `/api/comments/${id}/complaints`, { reason: 'abuse' });
    assert.equal(again.status, 409);
    const queue = await portal.app.moderation.queue('comment');
    const item = queue.find((q) => q.id === id)!;
    assert.equal(item.reports.length, 1);
    assert.equal(item.reports[0]!.reason, 'abuse');
    assert.equal(item.reports[0]!.text, 'грубо');
  });
});

describe('moderation', () => {
  test('pre-moderated sections hold comments until a moderator approves; the reply notifies its parent author', async () => {
    const a = article();
    const { c: anna, id: annaId } = await reader('Анна');
    const { c: boris } = await reader('Борис');
    const { c: mod } = await reader('Модератор', 'moderator');
    const root = (await anna.api('POST', '/api/comments', { articleId: a.id, body: 'До премодерации' })).json().id;
    await setSection(a.section.id, 'members', true);
    try {
      const held = await boris.api('POST', '/api/comments', { articleId: a.id, parentId: root, body: 'Ждёт проверки' });
      assert.equal(held.status, 201);
      assert.equal(held.json().status, 'held');
      assert.doesNotMatch((await fresh().get(a.url)).text, /Ждёт проверки/);
      assert.equal((await anna.get('/api/me')).json().user.unread, 0);
      const formHeld = await boris.request('POST', '/comments', { form: { articleId: String(a.id), body: 'Форма ждёт' }, headers: { 'sec-fetch-site': 'same-origin' } });
      assert.equal(formHeld.status, 202);
      assert.match(formHeld.text, /появится после проверки/);

      // Readers cannot reach the queue; moderators see it with a badge.
      assert.equal((await boris.get('/admin/moderation')).status, 403);
      const queue = await mod.get('/admin/moderation');
      assert.equal(queue.status, 200);
      assert.match(queue.text, /Ждёт проверки/);
      assert.match(queue.text, /премодерация рубрики/);
      assert.match((await mod.get('/admin')).text, /Модерация<span class="badge"/);

      const mailsBefore = outbox().length;
      const decided = await mod.submit(`/admin/moderation/comment/${held.json().id}/decide`, { action: 'approve' });
      assert.equal(decided.status, 303);
      assert.match((await fresh().get(a.url)).text, /Ждёт проверки/);
      assert.equal((await anna.get('/api/me')).json().user.unread, 1);
      // The mail waits out its window (modules/notifications), then goes once.
      clock.advance(10 * 60_000);
      await portal.app.notifications.sendDueMail();
      const annaEmail = (await db().selectFrom('users').select('email').where('id', '=', annaId).executeTakeFirstOrThrow()).email;
      const mail = outbox().slice(mailsBefore).find((m) => m.includes(`To: ${annaEmail}`));
      assert.ok(mail, 'a reply e-mail');
      assert.match(mail!, /Борис ответил\(а\) на ваш комментарий/);
      const list = await anna.get('/me/notifications');
      assert.match(list.text, /Борис ответил\(а\) на ваш комментарий/);
      await anna.submit('/me/notifications/read-all', {});
      assert.equal((await anna.get('/api/me')).json().user.unread, 0);

      // An edit in a pre-moderated section goes back to the queue.
      const edited = await boris.api('PATCH', `/api/comments/${held.json().id}`, { body: 'Исправленный ответ' });
      assert.equal(edited.json().status, 'held');
      assert.doesNotMatch((await fresh().get(a.url)).text, /Исправленный ответ/);

      // A reader who opted out gets the notice on the site but no e-mail.
      await anna.submit('/me/notifications/preferences', { kinds: 'reply', site: 'reply' });
      const before = outbox().length;
      const r2 = await boris.api('POST', '/api/comments', { articleId: a.id, parentId: root, body: 'Ещё ответ' });
      await mod.submit(`/admin/moderation/comment/${r2.json().id}/decide`, { action: 'approve' });
      clock.advance(10 * 60_000);
      await portal.app.notifications.sendDueMail();
      assert.equal(outbox().length, before);
      assert.equal((await anna.get('/api/me')).json().user.unread, 1);

      const rej = await boris.api('POST', '/api/comments', { articleId: a.id, body: 'Отклонят' });
      await mod.submit(`/admin/moderation/comment/${rej.json().id}/decide`, { action: 'reject' });
      const row = await db().selectFrom('comments').select('status').where('id', '=', rej.json().id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'rejected');
    } finally {
      await setSection(a.section.id, 'members', false);
    }
  });

  test('stop words hold a comment for review; the first comments of a new account are held when configured', async () => {
    const a = article();
    const { c: mod } = await reader('Модератор', 'moderator');
    const saved = await mod.submit('/admin/moderation/settings', { stopWords: 'казино*\nплохое слово', holdFirst: '1' });
    assert.equal(saved.status, 303);
    try {
      const { c } = await reader();
      const first = await c.api('POST', '/api/comments', { articleId: a.id, body: 'Привет всем' });
      assert.equal(first.json().status, 'held');
      const queue = await mod.get('/admin/moderation');
      assert.match(queue.text, /первые сообщения нового аккаунта/);
      await mod.submit(`/admin/moderation/comment/${first.json().id}/decide`, { action: 'approve' });
      assert.equal((await c.api('POST', '/api/comments', { articleId: a.id, body: 'Второй уже сразу' })).json().status, 'approved');
      const spam = await c.api('POST', '/api/comments', { articleId: a.id, body: 'Лучшие КАЗИНОшки города' });
      assert.equal(spam.json().status, 'held');
      const phrase = await c.api('POST', '/api/comments', { articleId: a.id, body: 'Это плохое   слово? Нет, это «плохое слово».' });
      assert.equal(phrase.json().status, 'held');
      assert.match((await mod.get('/admin/moderation')).text, /стоп-слово «казино\*»/);
    } finally {
      await portal.app.moderation.saveSettings({ stopWords: [], settings: DEFAULT_SETTINGS }, null);
    }
  });

  test('a banned reader cannot comment and sees why', async () => {
    const a = article();
    const { c, id } = await reader();
    const { c: mod } = await reader('Модератор', 'moderator');
    assert.equal((await c.submit('/admin/moderation/bans', { userId: String(id), days: '7', reason: 'оскорбления' })).status, 403);
    assert.equal((await mod.submit('/admin/moderation/bans', { userId: String(id), days: '7', reason: '' })).status, 400);
    assert.equal((await mod.submit('/admin/moderation/bans', { userId: String(id), days: '7', reason: 'оскорбления' })).status, 303);
    const res = await c.api('POST', '/api/comments', { articleId: a.id, body: 'Можно?' });
    assert.equal(res.status, 403);
    assert.match(res.json().error.message, /Вы не можете писать здесь до .+ Причина: оскорбления/);
    const me = (await c.get(`/api/articles/${a.id}/comments/me`)).json();
    assert.equal(me.canComment, false);
    assert.equal(me.ban.reason, 'оскорбления');
    const list = await mod.get('/admin/moderation/bans');
    assert.match(list.text, /оскорбления/);
    clock.advance(8 * 86400_000);
    assert.equal((await c.api('POST', '/api/comments', { articleId: a.id, body: 'Срок вышел' })).status, 201);
    assert.doesNotMatch((await mod.get('/admin/moderation/bans')).text, /оскорбления/);

    // A ban for good, lifted by a moderator.
    await mod.submit('/admin/moderation/bans', { userId: String(id), term: 'forever', reason: 'спам навсегда' });
    assert.equal((await c.api('POST', '/api/comments', { articleId: a.id, body: 'Снова' })).status, 403);
    const banId = /\/admin\/moderation\/bans\/(\d+)\/lift/.exec((await mod.get('/admin/moderation/bans')).text)![1];
    assert.equal((await c.submit(`/admin/moderation/bans/${banId}/lift`, {})).status, 403);
    assert.equal((await mod.submit(`/admin/moderation/bans/${banId}/lift`, {})).status, 303);
    assert.equal((await c.api('POST', '/api/comments', { articleId: a.id, body: 'Снова можно' })).status, 201);
  });
});

describe('the thread in the data cache', () => {
  /** Counts the thread loads from the database (the cache's loader calls the service). */
  function countLoads() {
    const service = portal.app.comments;
    const original = service.thread;
    const counter = { n: 0, restore: () => void (service.thread = original) };
    service.thread = (...args) => (counter.n++, original(...args));
    return counter;
  }
  const list = async (articleId: number, query = '') => (await fresh().get(`/api/articles/${articleId}/comments${query}`)).json();
  const bodies = (thread: { items: { body: string; replies: { body: string }[] }[] }) => thread.items.flatMap((c) => [c.body, ...c.replies.map((r) => r.body)]);

  test('a second identical request for a page of the thread does not go to the database', async () => {
    const a = article();
    const { c } = await reader();
    await c.api('POST', '/api/comments', { articleId: a.id, body: 'Один раз из базы' });
    const loads = countLoads();
    try {
      const first = await list(a.id);
      assert.deepEqual(await list(a.id), first);
      assert.equal(loads.n, 1);
      // Another sort or page is another entry; the no-JS fragment shares the API's.
      await list(a.id, '?sort=old');
      await list(a.id, '?sort=old');
      assert.match((await fresh().get(`/comments/${a.id}/thread?sort=old`)).text, /Один раз из базы/);
      assert.equal(loads.n, 2);
    } finally {
      loads.restore();
    }
  });

  test('a new comment, an edit and a deletion show in the list at once', async () => {
    const a = article();
    const { c } = await reader();
    const id = (await c.api('POST', '/api/comments', { articleId: a.id, body: 'Первая версия' })).json().id;
    assert.deepEqual(bodies(await list(a.id)), ['Первая версия']);
    const replyId = (await c.api('POST', '/api/comments', { articleId: a.id, parentId: id, body: 'Ответ' })).json().id;
    assert.deepEqual(bodies(await list(a.id)), ['Первая версия', 'Ответ']);
    assert.equal((await list(a.id)).count, 2);
    assert.equal((await c.api('PATCH', `/api/comments/${id}`, { body: 'Вторая версия' })).status, 200);
    assert.deepEqual(bodies(await list(a.id)), ['Вторая версия', 'Ответ']);
    assert.equal((await c.api('DELETE', `/api/comments/${replyId}`)).status, 200);
    assert.deepEqual(bodies(await list(a.id)), ['Вторая версия']);
    assert.equal((await list(a.id)).count, 1);
  });

  test('a moderator approving, deleting or holding a comment changes the list at once', async () => {
    const a = article();
    const { c } = await reader();
    const { c: mod } = await reader('Модератор', 'moderator');
    const kept = (await c.api('POST', '/api/comments', { articleId: a.id, body: 'Обычный' })).json().id;
    await setSection(a.section.id, 'members', true);
    try {
      const held = (await c.api('POST', '/api/comments', { articleId: a.id, body: 'На проверке' })).json();
      assert.equal(held.status, 'held');
      assert.deepEqual(bodies(await list(a.id)), ['Обычный']);
      await mod.submit(`/admin/moderation/comment/${held.id}/decide`, { action: 'approve' });
      assert.deepEqual(bodies(await list(a.id)), ['На проверке', 'Обычный']);
      await mod.submit(`/admin/moderation/comment/${held.id}/decide`, { action: 'delete' });
      assert.deepEqual(bodies(await list(a.id)), ['Обычный']);
    } finally {
      await setSection(a.section.id, 'members', false);
    }
    // Held after readers' reports (the queue's hold), out of sight at once.
    assert.deepEqual(bodies(await list(a.id)), ['Обычный']);
    for (let i = 0; i < DEFAULT_SETTINGS.reportThreshold; i++) {
      const someone = fresh();
      await someone.get(a.url);
      assert.equal((await someone.api('POST', '/api/reports', { kind: 'comment', id: kept, reason: 'spam' })).status, 201);
    }
    assert.deepEqual(bodies(await list(a.id)), []);
  });

  test(`a vote shows in the list at once, further votes within ${VOTE_PURGE_INTERVAL_MS / 1000} s`, async () => {
    const a = article();
    const { c: author } = await reader();
    const id = (await author.api('POST', '/api/comments', { articleId: a.id, body: 'Голосуйте' })).json().id;
    const up = async () => (await list(a.id)).items[0].up;
    assert.equal(await up(), 0);
    const { c: first } = await reader();
    assert.equal((await first.api('PUT', `/api/comments/${id}/vote`, { value: 1 })).json().up, 1);
    assert.equal(await up(), 1, 'the first vote purges the thread at once');
    const { c: second } = await reader();
    // The voter's own island has the exact count from the answer…
    assert.equal((await second.api('PUT', `/api/comments/${id}/vote`, { value: 1 })).json().up, 2);
    // …the shared list catches up when the window of the previous purge ends.
    assert.equal(await up(), 1);
    clock.advance(VOTE_PURGE_INTERVAL_MS);
    assert.equal(await up(), 2);
    // The popular sort follows the same counts.
    assert.equal((await list(a.id, '?sort=popular')).items[0].up, 2);
  });
});

test('comment counts for article cards', async () => {
  const a = article();
  const b = article();
  const { c } = await reader();
  await c.api('POST', '/api/comments', { articleId: a.id, body: 'раз' });
  await c.api('POST', '/api/comments', { articleId: a.id, body: 'два' });
  const counts = await portal.app.comments.counts([a.id, b.id]);
  assert.equal(counts.get(a.id), 2);
  assert.equal(counts.get(b.id), 0);
});

test('article cards show the comment count with Russian plural forms', async () => {
  const portal = await startPortal();
  try {
    const cards = await portal.app.content.latest({ limit: 3, sectionIds: (await portal.app.content.sections()).subtreeIds((await portal.app.content.sections()).bySlugOf('gorod')!.id) });
    const target = cards[0]!;
    const row = (n: number) => Array.from({ length: n }, () => ({ subject_kind: 'article', subject_id: target.id, body: 'Комментарий', status: 'approved', depth: 0, guest_name: 'Гость' }));
    await portal.database.db.insertInto('comments').values(row(3) as never).execute();
    const html = (await portal.client().get('/text/gorod/')).text;
    const card = html.slice(html.indexOf(target.url), html.indexOf('</article>', html.indexOf(target.url)));
    assert.match(card, /3 комментария/);
    assert.equal((await portal.app.content.cards([target.id]))[0]!.commentCount, 3);
  } finally {
    await portal.close();
  }
});
