// Crafted input that once got a 500 (issue 18, item 14): each must be answered
// with a 4xx and a message a person can read, with the security headers on.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type Portal } from '../support/portal.js';
import type { Client } from '../support/client.js';
import { staffClient } from '../support/newsroom.js';

let portal: Portal;
let admin: Client;
before(async () => {
  portal = await startPortal({ config: { trustProxy: '127.0.0.1' } });
  admin = (await staffClient(portal, 'admin')).client;
});
after(() => portal.close());

/** A 4xx with a message and the security headers (a 500 had neither). */
function assertClearRefusal(res: { status: number; headers: Headers; text: string }, message: RegExp, what: string) {
  assert.ok(res.status >= 400 && res.status < 500, `${what}: ${res.status} ${res.text.slice(0, 300)}`);
  assert.match(res.text, message, what);
  assert.ok(res.headers.get('content-security-policy'), `${what}: no security headers`);
}

test('a correct password with CR, LF or DEL in `next` is refused with a 400, and no session starts', async () => {
  const email = `next-${Date.now()}@example.ru`;
  await portal.app.accounts.createUser({ email, password: 'пароль-проверки-next', displayName: 'Читатель', role: 'reader' });
  for (const next of ['/\nx', '/\r\nSet-Cookie: a=b', '/x\u007f', '/%0Ax\r']) {
    const client = portal.client({ 'x-forwarded-for': '10.77.0.1' });
    const res = await client.submit('/login', { email, password: 'пароль-проверки-next', next });
    assertClearRefusal(res, /Адрес возврата после входа неверный/, JSON.stringify(next));
    assert.equal(client.cookies.has('gorod_session'), false, 'signed in despite the refusal');
  }
  // The sign-in form never carries such an address: /login?next=%2F%0Ax puts "/" in it.
  const form = await portal.client().get('/login?next=%2F%0Ax');
  assert.equal(form.status, 200);
  assert.match(form.text, /name="next" value="\/"/);
});

/** A multipart body cut off in the middle of the file (the connection stays open until the end of the declared body). */
function truncatedMultipart(): { body: Buffer; type: string } {
  const boundary = '----gorodcut';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
  return { body: Buffer.concat([Buffer.from(head), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16])]), type: `multipart/form-data; boundary=${boundary}` };
}

test('a truncated multipart body to /account/avatar and /api/admin/images is a 400, not a 500', async () => {
  const { body, type } = truncatedMultipart();
  const cookie = [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  for (const path of ['/account/avatar', '/api/admin/images']) {
    const res = await admin.request('POST', path, { raw: body, headers: { 'content-type': type, cookie, 'x-csrf-token': await admin.csrf(), 'sec-fetch-site': 'same-origin', ...(path.startsWith('/api/') ? { accept: 'application/json' } : {}) } });
    assertClearRefusal(res, /Файл пришёл не целиком/, path);
  }
});

test('a lead slot with an id over the database integer is a 400 under its field', async () => {
  const res = await admin.submit('/admin/home', { 'slot:lead': '99999999999' });
  assertClearRefusal(res, /Нет ничего под номером 99999999999/, 'slot:lead');
});

test('a pin «until» in the year 12345 is a 400', async () => {
  const article = (await portal.app.content.latest({ limit: 1 }))[0]!;
  const res = await admin.submit('/admin/recommended', { article: String(article.id), until: '12345-01-01' });
  assertClearRefusal(res, /Неверная дата «12345-01-01»/, 'until');
});

test('a ban of user 9999999999 is a 400', async () => {
  const res = await admin.submit('/admin/moderation/bans', { userId: '9999999999', term: 'days', days: '3', reason: 'Оскорбления' });
  assertClearRefusal(res, /Нет ничего под номером 9999999999/, 'userId');
});
