import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import type { Client } from '../../../test/support/client.js';
import { ManualClock } from '../../platform/clock.js';
import type { ArticleCard } from '../content/index.js';
import { DEFAULT_SETTINGS } from './index.js';

let portal: Portal;
let clock: ManualClock;
let articles: ArticleCard[];
let ip = 10;

before(async () => {
  clock = new ManualClock(new Date());
  portal = await startPortal({ clock, config: { trustProxy: '127.0.0.1' } });
  articles = await portal.app.content.latest({ limit: 40 });
});
after(() => portal.close());

const db = () => portal.database.db;
const fresh = () => portal.client({ 'x-forwarded-for': `203.0.113.${ip++}` });
let userN = 0;
async function reader(role: 'reader' | 'moderator' = 'reader', name = `Участник ${++userN}`): Promise<{ c: Client; id: number; signIn: () => Promise<Client> }> {
  const email = `m${++userN}-${Date.now()}@example.ru`;
  const u = await portal.app.accounts.createUser({ email, password: 'пароль-участника', displayName: name, role });
  const signIn = async () => {
    const c = fresh();
    await c.signIn(email, 'пароль-участника');
    return c;
  };
  return { c: await signIn(), id: u.id, signIn };
}
// Articles from the end of the list: the comments tests take them from the start.
let next = 39;
const article = () => articles[next--]!;
const reportRows = (kind: string, id: number) => db().selectFrom('reports').selectAll().where('subject_kind', '=', kind).where('subject_id', '=', id).execute();
const post = (c: Client, articleId: number, body: string, extra: Record<string, unknown> = {}) => c.api('POST', '/api/comments', { articleId, body, ...extra });

describe('reports', () => {
  test('a report of an unknown kind or a missing subject, a duplicate, or one of your own: a clear 4xx and nothing stored', async () => {
    const a = article();
    const { c: author } = await reader();
    const { c: other } = await reader();
    const id = (await post(author, a.id, 'Текст, на который пожалуются')).json().id;
    const before = (await db().selectFrom('reports').select('id').execute()).length;

    const unknownKind = await other.api('POST', '/api/reports', { kind: 'spaceship', id, reason: 'spam' });
    assert.equal(unknownKind.status, 404);
    assert.match(unknownKind.json().error.message, /неизвестный тип «spaceship»/);
    const missing = await other.api('POST', '/api/reports', { kind: 'comment', id: 99999999, reason: 'spam' });
    assert.equal(missing.status, 404);
    assert.match(missing.json().error.message, /Не нашли, на что вы жалуетесь/);
    assert.equal((await other.api('POST', '/api/reports', { kind: 'comment', id, reason: 'nonsense' })).status, 400);
    const own = await author.api('POST', '/api/reports', { kind: 'comment', id, reason: 'spam' });
    assert.equal(own.status, 400);
    assert.match(own.json().error.message, /Нельзя пожаловаться на своё/);
    assert.equal((await db().selectFrom('reports').select('id').execute()).length, before);

    const first = await other.api('POST', '/api/reports', { kind: 'comment', id, reason: 'abuse', text: 'грубит' });
    assert.equal(first.status, 201);
    assert.equal(first.json().held, false);
    const again = await other.api('POST', '/api/reports', { kind: 'comment', id, reason: 'abuse' });
    assert.equal(again.status, 409);
    assert.match(again.json().error.message, /уже пожаловались на это по той же причине/);
    // Another reason is another report.
    assert.equal((await other.api('POST', '/api/reports', { kind: 'comment', id, reason: 'offtopic' })).status, 201);
    const rows = await reportRows('comment', id);
    assert.deepEqual(rows.map((r) => [r.reason, r.text, r.status]), [['abuse', 'грубит', 'open'], ['offtopic', '', 'open']]);
    assert.match(rows[0]!.reader, /^u:\d+$/);
  });

  test('anonymous readers report by their cookie; the 5th distinct reader hides the comment until a moderator decides', async () => {
    const a = article();
    const { c: author } = await reader();
    const { c: mod } = await reader('moderator');
    const id = (await post(author, a.id, 'Пятеро будут против')).json().id;
    assert.match((await fresh().get(a.url)).text, /Пятеро будут против/);
    for (let n = 1; n <= 4; n++) assert.equal((await fresh().api('POST', '/api/reports', { kind: 'comment', id, reason: 'spam' })).json().held, false);
    const fifth = await fresh().api('POST', '/api/reports', { kind: 'comment', id, reason: 'spam' });
    assert.equal(fifth.status, 201);
    assert.equal(fifth.json().held, true);
    assert.doesNotMatch((await fresh().get(a.url)).text, /Пятеро будут против/);
    const rows = await reportRows('comment', id);
    assert.equal(rows.length, 5);
    assert.ok(rows.every((r) => /^a:[0-9a-f-]{36}$/.test(r.reader)));

    const queue = (await mod.get('/admin/moderation?kind=comment')).text;
    assert.match(queue, /Пятеро будут против/);
    assert.match(queue, /скрыт по жалобам читателей/);
    assert.match(queue, /Жалобы: 5/);
    assert.equal((await mod.submit(`/admin/moderation/comment/${id}/decide`, { action: 'approve', back: 'comment' })).status, 303);
    assert.match((await fresh().get(a.url)).text, /Пятеро будут против/);
    assert.deepEqual([...new Set((await reportRows('comment', id)).map((r) => r.status))], ['dismissed']);
    const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'moderation.approve').where('entity_id', '=', id).execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.entity, 'comment');
  });

  test('the threshold is a setting; a rejected comment upholds its reports', async () => {
    const a = article();
    const { c: author, id: authorId } = await reader();
    const { c: mod } = await reader('moderator');
    assert.equal((await mod.submit('/admin/moderation/settings', { stopWords: '', holdFirst: '0', reportThreshold: '2' })).status, 303);
    try {
      const id = (await post(author, a.id, 'Двух жалоб хватит')).json().id;
      await fresh().api('POST', '/api/reports', { kind: 'comment', id, reason: 'abuse' });
      assert.equal((await fresh().api('POST', '/api/reports', { kind: 'comment', id, reason: 'abuse' })).json().held, true);
      await mod.submit(`/admin/moderation/comment/${id}/decide`, { action: 'reject' });
      assert.equal((await db().selectFrom('comments').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'rejected');
      assert.deepEqual([...new Set((await reportRows('comment', id)).map((r) => r.status))], ['upheld']);
      assert.equal((await portal.app.moderation.trust(authorId)).activity.upheldReports, 1);
    } finally {
      await portal.app.moderation.saveSettings({ stopWords: [], settings: DEFAULT_SETTINGS }, null);
    }
  });
});

describe('bans', () => {
  test('a ban with an end in the past, without a reason, or of nobody: 400/404 and nothing stored', async () => {
    const { id } = await reader();
    const { c: mod } = await reader('moderator');
    const count = async () => (await db().selectFrom('moderation_bans').select('id').where('user_id', '=', id).execute()).length;
    const past = await mod.request('POST', '/admin/moderation/bans', { form: { _csrf: await mod.csrf(), userId: String(id), reason: 'спам', term: 'until', until: new Date(clock.now().getTime() - 3600_000).toISOString() }, headers: { accept: 'application/json' } });
    assert.equal(past.status, 400);
    assert.match(past.json().error.message, /Конец бана уже прошёл/);
    assert.equal((await mod.submit('/admin/moderation/bans', { userId: String(id), reason: '   ' })).status, 400);
    assert.equal((await mod.submit('/admin/moderation/bans', { userId: '99999999', reason: 'спам' })).status, 404);
    assert.equal((await mod.submit('/admin/moderation/bans', { userId: String(id), reason: 'спам', scope: 'section:99999999' })).status, 404);
    assert.equal(await count(), 0);
  });

  test('repeat offences climb the ladder: 24 h, 72 h, 7 days, 30 days, and stay at 30 days', async () => {
    const a = article();
    const offender = await reader();
    const moderator = await reader('moderator');
    const id = offender.id;
    const days = [1, 3, 7, 30, 30];
    for (const [n, d] of days.entries()) {
      // Sessions end after weeks of silence: each round signs in again.
      const [c, mod] = [await offender.signIn(), await moderator.signIn()];
      assert.equal((await mod.submit('/admin/moderation/bans', { userId: String(id), reason: `нарушение ${n + 1}` })).status, 303);
      const ban = await db().selectFrom('moderation_bans').select(['ends_at', 'step', 'created_at']).where('user_id', '=', id).orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.equal(ban.ends_at!.getTime() - ban.created_at.getTime(), d * 86400_000, `offence ${n + 1}`);
      assert.equal(ban.step, Math.min(n + 1, 4));
      const refused = await post(c, a.id, 'Можно?');
      assert.equal(refused.status, 403);
      assert.match(refused.json().error.message, new RegExp(`Вы не можете писать здесь до .+ Причина: нарушение ${n + 1}`));
      clock.advance(d * 86400_000 + 60_000);
    }
    assert.equal((await post(await offender.signIn(), a.id, 'Срок вышел')).status, 201);
    const list = await (await moderator.signIn()).get('/admin/moderation/bans');
    assert.doesNotMatch(list.text, /нарушение 5/);
    assert.equal((await db().selectFrom('audit_log').select('id').where('action', '=', 'moderation.ban').where('entity_id', '=', id).execute()).length, 5);
  });

  test('a ban in one section stops comments there only; the queue row offers it', async () => {
    const a = article();
    const b = articles.find((x) => x.section.id !== a.section.id)!;
    const { c, id } = await reader();
    const { c: mod } = await reader('moderator');
    await mod.submit('/admin/moderation/settings', { stopWords: 'нарушитель', holdFirst: '0' });
    try {
      await post(c, a.id, 'Я нарушитель порядка');
      const queue = (await mod.get('/admin/moderation')).text;
      assert.match(queue, new RegExp(`<option value="section:${a.section.id}">в рубрике «`));
    } finally {
      await portal.app.moderation.saveSettings({ stopWords: [], settings: DEFAULT_SETTINGS }, null);
    }
    assert.equal((await mod.submit('/admin/moderation/bans', { userId: String(id), reason: 'флуд в рубрике', scope: `section:${a.section.id}`, term: 'days', days: '2' })).status, 303);
    assert.equal((await post(c, a.id, 'Здесь нельзя')).status, 403);
    assert.equal((await post(c, b.id, 'А здесь можно')).status, 201);
    const me = (await c.get(`/api/articles/${a.id}/comments/me`)).json();
    assert.equal(me.canComment, false);
    assert.equal(me.ban.reason, 'флуд в рубрике');
    assert.equal((await c.get(`/api/articles/${b.id}/comments/me`)).json().canComment, true);
  });
});

describe('the pipeline', () => {
  test('a new account: at most 2 links and no images; trust from activity lifts the limit', async () => {
    const a = article();
    const { c, id } = await reader();
    const three = await post(c, a.id, 'Смотрите gorod.ru/1, gorod.ru/2 и https://gorod.ru/3');
    assert.equal(three.status, 400);
    assert.match(three.json().error.message, /не больше 2 в одном тексте/);
    const image = await post(c, a.id, 'Фото: https://gorod.ru/photo.jpg');
    assert.equal(image.status, 400);
    assert.match(image.json().error.message, /нельзя вставлять картинки/);
    assert.equal((await db().selectFrom('comments').select('id').where('author_id', '=', id).execute()).length, 0);
    assert.equal((await post(c, a.id, 'Две ссылки можно: gorod.ru/1 и gorod.ru/2')).json().status, 'approved');

    // Two days of reading (each article view asks for the reader's state) and one post: level 1.
    assert.equal((await portal.app.moderation.trust(id)).level, 0);
    for (let day = 0; day < 2; day++) {
      for (let n = 0; n < 5; n++) assert.equal((await c.get(`/api/articles/${articles[n]!.id}/comments/me`)).status, 200);
      clock.advance(86400_000);
    }
    const trust = await portal.app.moderation.trust(id);
    assert.deepEqual({ level: trust.level, links: trust.links, images: trust.images }, { level: 1, links: 5, images: true });
    assert.equal((await post(c, a.id, 'Теперь три: gorod.ru/1, gorod.ru/2, gorod.ru/3 и фото gorod.ru/p.png')).json().status, 'approved');
  });

  test('the same text twice within a day waits for a moderator', async () => {
    const a = article();
    const b = article();
    const { c } = await reader();
    const text = 'Купите наши окна, лучшие окна в городе!';
    assert.equal((await post(c, a.id, text)).json().status, 'approved');
    const second = await post(c, b.id, text);
    assert.equal(second.json().status, 'held');
    const row = await db().selectFrom('comments').select('held_reason').where('id', '=', second.json().id).executeTakeFirstOrThrow();
    assert.equal(row.held_reason, 'repeated');
    clock.advance(25 * 3600_000);
    assert.equal((await post(c, b.id, text)).json().status, 'approved');
  });

  test('a first comment sent within 3 s of opening the form waits; a slower one does not', async () => {
    const a = article();
    const { c } = await reader();
    const { c: mod } = await reader('moderator');
    const quick = await post(c, a.id, 'Молниеносный первый комментарий', { openedAt: clock.now().getTime() - 1000 });
    assert.equal(quick.json().status, 'held');
    assert.match((await mod.get('/admin/moderation')).text, /первое сообщение набрано быстрее чем за 3 с/);
    const { c: slow } = await reader();
    assert.equal((await post(slow, a.id, 'Обдуманный первый комментарий', { openedAt: clock.now().getTime() - 20_000 })).json().status, 'approved');
    // Only a first post is judged by its speed.
    assert.equal((await post(slow, a.id, 'Второй можно и быстро', { openedAt: clock.now().getTime() - 500 })).json().status, 'approved');
    // The no-JS form carries it too.
    const { c: form } = await reader();
    const res = await form.request('POST', '/comments', { form: { articleId: String(a.id), body: 'Форма за секунду', openedAt: String(clock.now().getTime() - 800) }, headers: { 'sec-fetch-site': 'same-origin' } });
    assert.equal(res.status, 202);
  });
});

describe('the queue', () => {
  test('one list for every kind, filtered by kind, with the subject in context; readers cannot reach it; settings are audited', async () => {
    const a = article();
    const { c } = await reader();
    const { c: mod } = await reader('moderator');
    assert.equal((await c.get('/admin/moderation')).status, 403);
    assert.equal((await c.get('/admin/moderation/bans')).status, 403);
    await mod.submit('/admin/moderation/settings', { stopWords: 'барахолк*', holdFirst: '0' });
    try {
      const id = (await post(c, a.id, 'Заходите на барахолку')).json().id;
      const all = (await mod.get('/admin/moderation')).text;
      assert.match(all, new RegExp(`id="comment-${id}"`));
      assert.match(all, new RegExp(`href="${a.url}#comment-${id}"`));
      assert.match(all, /стоп-слово «барахолк\*»/);
      assert.match((await mod.get('/admin/moderation?kind=comment')).text, /Заходите на барахолку/);
      assert.equal((await mod.get('/admin/moderation?kind=forum_post')).status, 200);
      assert.equal((await mod.submit(`/admin/moderation/comment/${id}/decide`, { action: 'delete' })).status, 303);
      assert.equal((await db().selectFrom('comments').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'deleted');
      assert.equal((await mod.submit(`/admin/moderation/spaceship/${id}/decide`, { action: 'delete' })).status, 404);
      assert.equal((await db().selectFrom('audit_log').select('id').where('action', '=', 'moderation.settings').execute()).length >= 1, true);
      assert.equal((await mod.get('/admin/comments')).location, '/admin/moderation?kind=comment');
    } finally {
      await portal.app.moderation.saveSettings({ stopWords: [], settings: DEFAULT_SETTINGS }, null);
    }
  });
});
