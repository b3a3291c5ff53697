// Notifications over HTTP on a real portal: a reply shows in the account corner and
// the list, mark read and mark all read, preferences per kind and channel (unknown
// kinds refused), and the mail channel — after the window, only if unread, one mail
// for what gathered in the window, once, within the daily cap. The clock is moved by
// hand; the mail job's pass is run directly (the job runs the same function).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import type { Client } from '../../../test/support/client.js';
import { ManualClock } from '../../platform/clock.js';

const MINUTE = 60_000;
const CAP = 3;
let portal: Portal;
let clock: ManualClock;
let ip = 10;
let n = 0;
let articles: { id: number; url: string }[] = [];

before(async () => {
  clock = new ManualClock(new Date());
  portal = await startPortal({ clock, config: { trustProxy: '127.0.0.1', notifyMailDailyCap: CAP } });
  articles = await portal.app.content.latest({ limit: 20 });
});
after(() => portal.close());

const db = () => portal.database.db;
const fresh = () => portal.client({ 'x-forwarded-for': `198.51.100.${ip++}` });
async function reader(name: string): Promise<{ c: Client; id: number; email: string }> {
  const email = `notify${++n}@example.ru`;
  const u = await portal.app.accounts.createUser({ email, password: 'пароль-читателя', displayName: name, role: 'reader' });
  const c = fresh();
  await c.signIn(email, 'пароль-читателя');
  return { c, id: u.id, email };
}
function mailsTo(email: string): string[] {
  const dir = path.join(portal.dataDir, 'outbox');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .sort()
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
    .filter((m) => m.includes(`To: ${email}`));
}
/** The text part of an outbox file (the headers are plain, the body UTF-8). */
const bodyOf = (mail: string) => mail.slice(mail.indexOf('\r\n\r\n') + 4);
let next = 0;
/** An author's comment on an article of its own, and a way for others to answer it. */
async function thread(author: Client) {
  const a = articles[next++]!;
  const root = (await author.api('POST', '/api/comments', { articleId: a.id, body: 'Кто что видел?' })).json().id as number;
  return { article: a, reply: async (who: Client, body: string) => assert.equal((await who.api('POST', '/api/comments', { articleId: a.id, parentId: root, body })).status, 201) };
}
const unread = async (c: Client) => (await c.get('/api/me')).json().user.unread as number;

test('a reply: the counter goes up, the list shows it unread (opening it reads nothing), one mail after the window for both replies, once', async () => {
  const anna = await reader('Анна');
  const { c: boris } = await reader('Борис');
  const { c: vera } = await reader('Вера');
  const t = await thread(anna.c);
  await t.reply(boris, 'Я видел <b>всё</b>');
  clock.advance(3 * MINUTE);
  await t.reply(vera, 'И я');
  assert.equal(await unread(anna.c), 2);

  const api = (await anna.c.get('/api/me/notifications')).json();
  assert.equal(api.unread, 2);
  assert.equal(api.items[0].actorName, 'Вера');
  assert.equal(api.items[0].subject.kind, 'comment');
  assert.match(api.items[0].url, /#comment-\d+$/);
  const list = await anna.c.get('/me/notifications');
  assert.equal(list.status, 200);
  assert.match(list.text, /Борис ответил\(а\) на ваш комментарий/);
  assert.match(list.text, /Я видел &lt;b>всё&lt;\/b>/, 'user text escaped');
  assert.equal((list.text.match(/notification--unread/g) ?? []).length, 2);
  assert.equal(await unread(anna.c), 2, 'opening the list reads nothing');

  // The first reply's window ends 10 minutes after it; nothing goes before.
  clock.advance(6 * MINUTE);
  await portal.app.notifications.sendDueMail();
  assert.equal(mailsTo(anna.email).length, 0);
  clock.advance(1 * MINUTE + 1000);
  assert.equal(await portal.app.notifications.sendDueMail(), 1);
  const mails = mailsTo(anna.email);
  assert.equal(mails.length, 1, 'both replies in one mail');
  const text = bodyOf(mails[0]!);
  assert.match(text, /2 новых ответа/);
  assert.match(text, /Борис ответил\(а\) на ваш комментарий/);
  assert.match(text, /Вера ответил\(а\) на ваш комментарий/);
  assert.match(text, new RegExp(`${t.article.url}#comment-\\d+`));

  // Again, later, and twice at once: never a second mail for the same replies.
  clock.advance(30 * MINUTE);
  await Promise.all([portal.app.notifications.sendDueMail(), portal.app.notifications.sendDueMail()]);
  assert.equal(mailsTo(anna.email).length, 1);
  const rows = await db().selectFrom('notification_mails').select(['state', 'items']).where('user_id', '=', anna.id).execute();
  assert.deepEqual(rows, [{ state: 'sent', items: 2 }]);
  assert.equal(await unread(anna.c), 2, 'the mail does not read them on the site');
});

test('read on the site before the window ends: no mail; mark read and mark all read, only my own', async () => {
  const anna = await reader('Анна');
  const { c: boris } = await reader('Борис');
  const t = await thread(anna.c);
  await t.reply(boris, 'Первый ответ');
  await t.reply(boris, 'Второй ответ');
  await t.reply(boris, 'Третий ответ');
  const items = (await anna.c.get('/api/me/notifications')).json().items as { id: number; url: string }[];
  assert.equal(items.length, 3);

  // Following an item reads it and goes to the comment.
  const open = await anna.c.get(`/me/notifications/${items[0]!.id}`);
  assert.equal(open.status, 303);
  assert.equal(open.headers.get('location'), items[0]!.url);
  assert.equal(await unread(anna.c), 2);

  // Someone else's notification is not found, for any of the three ways in.
  assert.equal((await boris.get(`/me/notifications/${items[1]!.id}`)).status, 404);
  assert.equal((await boris.api('POST', `/api/me/notifications/${items[1]!.id}/read`)).status, 404);
  assert.equal((await boris.submit(`/me/notifications/${items[1]!.id}/read`, {})).status, 404);
  assert.equal(await unread(anna.c), 2);
  // Writes need the CSRF token; strangers are asked to sign in.
  assert.equal((await anna.c.request('POST', `/me/notifications/${items[1]!.id}/read`, { form: {} })).status, 403);
  assert.equal((await fresh().api('POST', '/api/me/notifications/read-all')).status, 401);

  const one = await anna.c.submit(`/me/notifications/${items[1]!.id}/read`, {});
  assert.equal(one.status, 303);
  assert.equal(await unread(anna.c), 1);
  assert.deepEqual((await anna.c.api('POST', '/api/me/notifications/read-all')).json(), { unread: 0 });
  assert.doesNotMatch((await anna.c.get('/me/notifications')).text, /notification--unread/);

  clock.advance(11 * MINUTE);
  await portal.app.notifications.sendDueMail();
  assert.equal(mailsTo(anna.email).length, 0, 'read on the site: no mail');
});

test('preferences per kind and channel: in the profile, mail off, site off; an unknown kind or channel is refused and nothing is stored', async () => {
  const anna = await reader('Анна');
  const { c: boris } = await reader('Борис');
  const stored = () => db().selectFrom('notification_preferences').select(['kind', 'channel', 'enabled']).where('user_id', '=', anna.id).orderBy('channel').execute();

  const profile = await anna.c.get('/account');
  assert.match(profile.text, /Ответы на мои комментарии/);
  assert.match(profile.text, /name="mail" value="reply" checked/);

  const unknown = await anna.c.api('PUT', '/api/me/notifications/preferences', { kind: 'gossip', channel: 'mail', enabled: false });
  assert.equal(unknown.status, 400);
  assert.match(unknown.json().error.message, /Неизвестный вид уведомлений: «gossip»/);
  const badChannel = await anna.c.api('PUT', '/api/me/notifications/preferences', { kind: 'reply', channel: 'pigeon', enabled: false });
  assert.equal(badChannel.status, 400);
  assert.match(badChannel.json().error.message, /pigeon/);
  // The form: a known kind and an unknown one together — all refused.
  const mixed = await anna.c.request('POST', '/me/notifications/preferences', { form: { _csrf: await anna.c.csrf(), kinds: 'reply', mail: 'gossip' }, headers: { accept: 'application/json' } });
  assert.equal(mixed.status, 400);
  assert.deepEqual(await stored(), []);

  // Mail off, from the profile's form: the reply shows on the site, no mail.
  const saved = await anna.c.submit('/me/notifications/preferences', { kinds: 'reply', site: 'reply' });
  assert.equal(saved.status, 303);
  assert.match(saved.headers.get('location')!, /^\/account\?notifications=saved/);
  assert.deepEqual(await stored(), [
    { kind: 'reply', channel: 'mail', enabled: false },
    { kind: 'reply', channel: 'site', enabled: true },
  ]);
  assert.match((await anna.c.get('/account?notifications=saved')).text, /Настройки уведомлений сохранены/);
  const t = await thread(anna.c);
  await t.reply(boris, 'Без письма');
  assert.equal(await unread(anna.c), 1);
  clock.advance(11 * MINUTE);
  await portal.app.notifications.sendDueMail();
  assert.equal(mailsTo(anna.email).length, 0);

  // Site off, mail on: nothing in the corner, the mail still comes.
  await anna.c.api('POST', '/api/me/notifications/read-all');
  const prefs = await anna.c.api('PUT', '/api/me/notifications/preferences', { kind: 'reply', channel: 'site', enabled: false });
  await anna.c.api('PUT', '/api/me/notifications/preferences', { kind: 'reply', channel: 'mail', enabled: true });
  // The forums' kinds keep their defaults beside it (other modules' kinds are listed too).
  assert.deepEqual(prefs.json().preferences.filter((p: { kind: string }) => ['reply', 'forum_reply', 'forum_mention'].includes(p.kind)), [
    { kind: 'reply', site: false, mail: false },
    { kind: 'forum_reply', site: true, mail: true },
    { kind: 'forum_mention', site: true, mail: true },
  ]);
  await t.reply(boris, 'Только письмом');
  assert.equal(await unread(anna.c), 0);
  assert.doesNotMatch((await anna.c.get('/me/notifications')).text, /Только письмом/);
  clock.advance(11 * MINUTE);
  await portal.app.notifications.sendDueMail();
  assert.equal(mailsTo(anna.email).length, 1);
  assert.match(bodyOf(mailsTo(anna.email)[0]!), /Только письмом/);
  assert.deepEqual((await anna.c.get('/api/me/notifications/preferences')).json().preferences[0], { kind: 'reply', site: false, mail: true });
});

test(`a daily cap of ${CAP} mails per account across every kind; the next day mail goes again`, async () => {
  const anna = await reader('Анна');
  const { c: boris } = await reader('Борис');
  const t = await thread(anna.c);
  for (let round = 1; round <= CAP + 1; round++) {
    await t.reply(boris, `Ответ ${round}`);
    clock.advance(11 * MINUTE);
    await portal.app.notifications.sendDueMail();
  }
  assert.equal(mailsTo(anna.email).length, CAP);
  const states = (await db().selectFrom('notification_mails').select('state').where('user_id', '=', anna.id).orderBy('id').execute()).map((r) => r.state);
  assert.deepEqual(states, ['sent', 'sent', 'sent', 'capped']);
  assert.equal(await unread(anna.c), CAP + 1, 'the site still shows every reply');

  clock.advance(24 * 60 * MINUTE);
  await t.reply(boris, 'На следующий день');
  clock.advance(11 * MINUTE);
  await portal.app.notifications.sendDueMail();
  assert.equal(mailsTo(anna.email).length, CAP + 1);
});

test('the old list address moves to /me/notifications; the list needs a signed-in reader', async () => {
  const res = await fresh().get('/account/notifications');
  assert.equal(res.status, 301);
  assert.equal(res.headers.get('location'), '/me/notifications');
  assert.equal((await fresh().get('/me/notifications')).status, 303);
  assert.equal((await fresh().get('/api/me/notifications', { accept: 'application/json' })).status, 401);
});

test('several at once (a forum reply’s watchers): each recipient’s own preferences decide, kinds apart; one who turned a kind off gets none of it', async () => {
  const [vera, gleb, dina] = [await reader('Вера'), await reader('Глеб'), await reader('Дина')];
  // Gleb turned forum replies off on both channels; Dina only their mail.
  for (const channel of ['site', 'mail']) assert.equal((await gleb.c.api('PUT', '/api/me/notifications/preferences', { kind: 'forum_reply', channel, enabled: false })).status, 200);
  assert.equal((await dina.c.api('PUT', '/api/me/notifications/preferences', { kind: 'forum_reply', channel: 'mail', enabled: false })).status, 200);
  const one = (recipientId: number, kind: string) => ({ recipientId, kind, subject: { kind: 'forum_post' as const, id: 1 }, url: '/forum/', actorName: 'Автор', excerpt: `для ${recipientId}` });
  const stored = await portal.app.notifications.notifyMany([one(vera.id, 'forum_reply'), one(gleb.id, 'forum_reply'), one(dina.id, 'forum_reply'), one(gleb.id, 'forum_mention')]);
  assert.equal(stored, 3);
  const rows = await db()
    .selectFrom('notifications')
    .select(['user_id', 'kind', 'on_site', 'mail_due_at'])
    .where('user_id', 'in', [vera.id, gleb.id, dina.id])
    .orderBy('user_id')
    .orderBy('kind')
    .execute();
  assert.deepEqual(
    rows.map((r) => [r.user_id, r.kind, r.on_site, r.mail_due_at !== null]),
    [
      [vera.id, 'forum_reply', true, true],
      [gleb.id, 'forum_mention', true, true],
      [dina.id, 'forum_reply', true, false],
    ],
  );
  assert.equal(await portal.app.notifications.notifyMany([]), 0);
  await assert.rejects(portal.app.notifications.notifyMany([one(vera.id, 'gossip')]), /gossip|unknown_kind/);
});
