// The reader's own account: profile and avatar, password change and reset,
// sessions, export and deletion — over HTTP, checked in the database.
// (Notifications: modules/notifications/notifications.test.ts.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import type { Client } from '../../../test/support/client.js';

let portal: Portal;
let ip = 10;
before(async () => {
  portal = await startPortal({ config: { trustProxy: '127.0.0.1' } });
});
after(() => portal.close());

const db = () => portal.database.db;
const fresh = () => portal.client({ 'x-forwarded-for': `192.0.2.${ip++}` });
let n = 0;
async function reader(name = 'Читатель'): Promise<{ c: Client; id: number; email: string; password: string }> {
  const email = `self${++n}@example.ru`;
  const password = 'пароль-читателя';
  const u = await portal.app.accounts.createUser({ email, password, displayName: name, role: 'reader' });
  const c = fresh();
  await c.signIn(email, password);
  return { c, id: u.id, email, password };
}
function outbox(): string[] {
  const dir = path.join(portal.dataDir, 'outbox');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort().map((f) => fs.readFileSync(path.join(dir, f), 'utf8')) : [];
}
/** A multipart body with one file, as a browser sends it. */
function multipart(field: string, filename: string, type: string, data: Buffer) {
  const boundary = '----gorodtest' + Date.now();
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { raw: Buffer.concat([head, data, tail]), type: `multipart/form-data; boundary=${boundary}` };
}

test('profile: a new display name; bad names are refused in Russian', async () => {
  const { c, id } = await reader('Старое имя');
  assert.equal((await fresh().get('/account')).status, 303, 'strangers are sent to sign in');
  const page = await c.get('/account');
  assert.equal(page.status, 200);
  assert.match(page.text, /id="notification-preferences"/, 'the notifications module adds its section');
  assert.match(page.text, /<nav class="account-nav"[^]*?<a href="\/me\/messages">Сообщения<\/a>/, 'the reader finds the messages from their account');
  const saved = await c.submit('/account/profile', { displayName: '  Новое   имя ' });
  assert.equal(saved.status, 200);
  assert.match(saved.text, /Сохранено/);
  const row = await db().selectFrom('users').select(['display_name']).where('id', '=', id).executeTakeFirstOrThrow();
  assert.deepEqual(row, { display_name: 'Новое имя' });
  assert.equal((await c.get('/api/me')).json().user.displayName, 'Новое имя');
  const bad = await c.submit('/account/profile', { displayName: 'Я' });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /от 2 до 40 символов/);
  const noCsrf = await c.request('POST', '/account/profile', { form: { displayName: 'Взлом' } });
  assert.equal(noCsrf.status, 403);
  assert.equal((await db().selectFrom('users').select('display_name').where('id', '=', id).executeTakeFirstOrThrow()).display_name, 'Новое имя');
});

test('avatar: an uploaded image gets responsive variants; a non-image or a cross-site post is refused', async () => {
  const { c, id } = await reader();
  const png = await sharp({ create: { width: 600, height: 600, channels: 3, background: '#3366aa' } }).png().toBuffer();
  const good = multipart('avatar', 'me.png', 'image/png', png);
  const res = await c.request('POST', '/account/avatar', { raw: good.raw, headers: { 'content-type': good.type, 'sec-fetch-site': 'same-origin' } });
  assert.equal(res.status, 200);
  assert.match(res.text, /Аватар обновлён/);
  const row = await db().selectFrom('users').select('avatar_id').where('id', '=', id).executeTakeFirstOrThrow();
  assert.ok(row.avatar_id);
  const image = (await portal.app.media.get([row.avatar_id])).get(row.avatar_id)!;
  assert.ok(image.variants.some((v) => v.format === 'webp'));
  assert.match(res.text, new RegExp(`<img class="account-avatar" src="${image.base}`));

  const text = multipart('avatar', 'me.png', 'image/png', Buffer.from('это не картинка'));
  const notImage = await c.request('POST', '/account/avatar', { raw: text.raw, headers: { 'content-type': text.type, 'sec-fetch-site': 'same-origin' } });
  assert.equal(notImage.status, 415);
  assert.match(notImage.text, /не является изображением/);
  const cross = await c.request('POST', '/account/avatar', { raw: good.raw, headers: { 'content-type': good.type, 'sec-fetch-site': 'cross-site' } });
  assert.equal(cross.status, 403);
  assert.equal((await db().selectFrom('users').select('avatar_id').where('id', '=', id).executeTakeFirstOrThrow()).avatar_id, row.avatar_id);
});

test('an avatar over the upload limit is 413 with a Russian message, and nothing is stored', async () => {
  const small = await startPortal({ demo: false, config: { maxUploadBytes: 20_000 } });
  try {
    const u = await small.app.accounts.createUser({ email: 'big@example.ru', password: 'пароль-большой', displayName: 'Большой', role: 'reader' });
    const c = small.client();
    await c.signIn('big@example.ru', 'пароль-большой');
    const big = multipart('avatar', 'big.png', 'image/png', Buffer.alloc(60_000, 7));
    const res = await c.request('POST', '/account/avatar', { raw: big.raw, headers: { 'content-type': big.type, 'sec-fetch-site': 'same-origin' } });
    assert.equal(res.status, 413);
    assert.match(res.text, /Файл больше/);
    const row = await small.database.db.selectFrom('users').select('avatar_id').where('id', '=', u.id).executeTakeFirstOrThrow();
    assert.equal(row.avatar_id, null);
  } finally {
    await small.close();
  }
});

test('password change checks the current password and ends the other sessions', async () => {
  const { c, email, password } = await reader();
  const other = fresh();
  await other.signIn(email, password);
  const wrong = await c.submit('/account/password', { current: 'не-тот-пароль', password: 'новый-пароль-1' });
  assert.equal(wrong.status, 400);
  assert.match(wrong.text, /Текущий пароль указан неверно/);
  const short = await c.submit('/account/password', { current: password, password: '123' });
  assert.equal(short.status, 400);
  assert.match(short.text, /не короче 8/);
  const ok = await c.submit('/account/password', { current: password, password: 'новый-пароль-1' });
  assert.equal(ok.status, 200);
  assert.match(ok.text, /Пароль изменён/);
  assert.notEqual((await c.get('/api/me')).json().user, null, 'this session stays');
  assert.equal((await other.get('/api/me')).json().user, null, 'the other session ended');
  assert.equal((await fresh().submit('/login', { email, password })).status, 401);
  assert.equal((await fresh().submit('/login', { email, password: 'новый-пароль-1' })).status, 303);
});

test('password reset by e-mail: the same answer for unknown addresses, a one-time link, every session ends', async () => {
  const { c, email } = await reader('Забывчивый');
  const before = outbox().length;
  const unknown = await fresh().submit('/forgot', { email: 'nobody@example.ru' });
  const known = await fresh().submit('/forgot', { email: email.toUpperCase() });
  assert.equal(unknown.status, 200);
  assert.equal(known.status, 200);
  assert.match(unknown.text, /Если такой адрес зарегистрирован/);
  assert.match(known.text, /Если такой адрес зарегистрирован/);
  const mails = outbox().slice(before);
  assert.equal(mails.length, 1);
  assert.ok(mails[0]!.includes(`To: ${email}`));
  const link = new URL(/http:\/\/\S+\/reset\/\S+/.exec(mails[0]!)![0]).pathname;
  const tokenRow = await db().selectFrom('email_tokens').selectAll().where('purpose', '=', 'reset').execute();
  assert.ok(tokenRow.every((t) => !link.includes(t.token_hash)), 'only a hash of the token is stored');

  const form = await fresh().get(link);
  assert.equal(form.status, 200);
  assert.match(form.text, /name="password"/);
  const stranger = fresh();
  assert.equal((await stranger.submit(link, { password: '123' })).status, 400);
  const done = await stranger.submit(link, { password: 'сброшенный-пароль' });
  assert.equal(done.status, 200);
  assert.match(done.text, /Пароль изменён/);
  assert.equal((await c.get('/api/me')).json().user, null, 'the old session ended');
  assert.equal((await fresh().submit('/login', { email, password: 'сброшенный-пароль' })).status, 303);
  const reused = await fresh().submit(link, { password: 'ещё-один-пароль' });
  assert.equal(reused.status, 400);
  assert.match(reused.text, /Ссылка недействительна/);
  assert.equal((await fresh().get('/reset/not-a-token')).status, 400);
});

test('sessions: a reader lists theirs and ends one or all others, never someone else’s', async () => {
  const { c, email, password } = await reader();
  const phone = portal.client({ 'x-forwarded-for': `192.0.2.${ip++}`, 'user-agent': 'GorodPhone/1.0' });
  await phone.signIn(email, password);
  const { c: intruder } = await reader();
  const page = await c.get('/account/sessions');
  assert.equal(page.status, 200);
  assert.match(page.text, /GorodPhone\/1.0/);
  assert.match(page.text, /Этот сеанс/);
  const phoneId = /name="id" value="([^"]+)"/.exec(page.text)![1]!;
  assert.equal((await intruder.submit('/account/sessions/end', { id: phoneId })).status, 404);
  assert.notEqual((await phone.get('/api/me')).json().user, null);
  const ended = await c.submit('/account/sessions/end', { id: phoneId });
  assert.equal(ended.status, 200);
  assert.equal((await phone.get('/api/me')).json().user, null);

  const laptop = fresh();
  await laptop.signIn(email, password);
  assert.equal((await c.submit('/account/sessions/end-others', {})).status, 200);
  assert.equal((await laptop.get('/api/me')).json().user, null);
  assert.notEqual((await c.get('/api/me')).json().user, null);
});

test('export my data: one JSON file with the account, sessions, notifications and comments', async () => {
  const { c, email } = await reader('Экспорт');
  const article = (await portal.app.content.latest({ limit: 1 }))[0]!;
  await c.api('POST', '/api/comments', { articleId: article.id, body: 'Мой комментарий для выгрузки' });
  assert.equal((await fresh().get('/account/export', { accept: 'application/json' })).status, 401);
  const res = await c.get('/account/export');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-disposition')!, /attachment; filename="gorod-data.json"/);
  const data = res.json();
  assert.equal(data.account.email, email);
  assert.equal(data.account.password_hash, undefined, 'no password hash in the export');
  assert.ok(data.sessions.length >= 1);
  assert.equal(data.comments.comments[0].body, 'Мой комментарий для выгрузки');
  // Every declared kind is listed; the ones of the modules under test here keep their defaults.
  assert.deepEqual(data.notifications.items, []);
  assert.deepEqual(
    data.notifications.preferences.filter((p: { kind: string }) => ['reply', 'forum_reply', 'forum_mention'].includes(p.kind)),
    [
      { kind: 'reply', site: true, mail: true },
      { kind: 'forum_reply', site: true, mail: true },
      { kind: 'forum_mention', site: true, mail: true },
    ],
  );
});

test('delete my account: the password is checked; comments stay as «Удалённый пользователь»', async () => {
  const { c, id, password } = await reader('Уходящий');
  const { c: other } = await reader('Остающийся');
  const article = (await portal.app.content.latest({ limit: 3 }))[2]!;
  const mine = (await c.api('POST', '/api/comments', { articleId: article.id, body: 'Прощальный комментарий' })).json().id;
  const theirs = (await other.api('POST', '/api/comments', { articleId: article.id, body: 'Чужой' })).json().id;
  await c.api('PUT', `/api/comments/${theirs}/vote`, { value: 1 });

  const wrong = await c.submit('/account/delete', { password: 'не-тот' });
  assert.equal(wrong.status, 400);
  assert.ok(await db().selectFrom('users').select('id').where('id', '=', id).executeTakeFirst());
  assert.equal((await c.request('POST', '/account/delete', { form: { password } })).status, 403, 'CSRF');

  const done = await c.submit('/account/delete', { password });
  assert.equal(done.status, 200);
  assert.match(done.text, /Аккаунт удалён/);
  assert.equal(await db().selectFrom('users').select('id').where('id', '=', id).executeTakeFirst(), undefined);
  assert.equal((await db().selectFrom('sessions').select('id').where('user_id', '=', id).execute()).length, 0);
  assert.equal((await c.get('/api/me')).json().user, null);
  const row = await db().selectFrom('comments').select(['author_id', 'body', 'status']).where('id', '=', mine).executeTakeFirstOrThrow();
  assert.deepEqual(row, { author_id: null, body: 'Прощальный комментарий', status: 'approved' });
  assert.equal((await db().selectFrom('comment_votes').select('reader').where('reader', '=', `u:${id}`).execute()).length, 0);
  const html = (await fresh().get(article.url)).text;
  assert.match(html, /comment__author--gone">Удалённый пользователь<\/span>/);
  assert.match(html, /Прощальный комментарий/);
  assert.doesNotMatch(html, /Уходящий/);
});

