import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startPortal, type Portal } from '../../../test/support/portal.js';

let portal: Portal;
before(async () => {
  // Trusting the local proxy lets each test act from its own IP (X-Forwarded-For),
  // so the per-IP limits of one test do not spill into the next.
  portal = await startPortal({ demo: false, config: { trustProxy: '127.0.0.1' } });
});
after(() => portal.close());

function outbox(): string[] {
  const dir = path.join(portal.dataDir, 'outbox');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort().map((f) => fs.readFileSync(path.join(dir, f), 'utf8')) : [];
}

test('register, confirm through the outbox link, then sign in and out', async () => {
  const reader = portal.client();
  const reg = await reader.submit('/register', { email: 'anna@example.ru', password: 'очень-секретно', displayName: 'Анна' });
  assert.equal(reg.status, 200);
  assert.match(reg.text, /Мы отправили письмо на anna@example.ru/);
  const rows = await portal.database.db.selectFrom('users').selectAll().where('email', '=', 'anna@example.ru').execute();
  assert.equal(rows.length, 1);
  assert.match(rows[0]!.password_hash, /^\$argon2id\$/);
  assert.equal(rows[0]!.email_confirmed_at, null);

  // Not confirmed yet: no sign-in.
  const early = await reader.submit('/login', { email: 'anna@example.ru', password: 'очень-секретно' });
  assert.equal(early.status, 401);
  assert.match(early.text, /Подтвердите e-mail/);

  const mail = outbox().find((m) => m.includes('To: anna@example.ru'))!;
  const link = /http:\/\/\S+\/confirm\/(\S+)/.exec(mail)!;
  const confirmPage = await reader.get(new URL(link[0]).pathname);
  assert.equal(confirmPage.status, 200);
  const confirmed = await reader.submit(new URL(link[0]).pathname, {});
  assert.equal(confirmed.status, 200);
  assert.match(confirmed.text, /Адрес подтверждён/);
  assert.equal((await reader.get('/api/me')).json().user.displayName, 'Анна');
  // The link works once.
  assert.equal((await portal.client().submit(new URL(link[0]).pathname, {})).status, 400);

  await reader.submit('/logout', {});
  assert.equal((await reader.get('/api/me')).json().user, null);

  const again = await reader.submit('/login', { email: 'ANNA@example.ru', password: 'очень-секретно', next: '/text/gorod/' });
  assert.equal(again.status, 303);
  assert.equal(again.location, '/text/gorod/');
  const cookie = reader.cookies.get('gorod_session')!;
  assert.ok(cookie);
  const session = await portal.database.db.selectFrom('sessions').selectAll().execute();
  assert.ok(session.every((s) => s.id !== cookie), 'only a hash of the token is stored');
});

test('the session cookie is httpOnly and SameSite; sign-in rotates it', async () => {
  await portal.app.accounts.createUser({ email: 'ivan@example.ru', password: 'пароль-ивана', displayName: 'Иван', role: 'reader' });
  const c = portal.client();
  c.cookies.set('gorod_session', 'planted-by-attacker');
  const res = await c.submit('/login', { email: 'ivan@example.ru', password: 'пароль-ивана' });
  const setCookie = res.headers.getSetCookie().find((s) => s.startsWith('gorod_session='))!;
  assert.match(setCookie, /HttpOnly/i);
  assert.match(setCookie, /SameSite=Lax/i);
  assert.notEqual(c.cookies.get('gorod_session'), 'planted-by-attacker');
});

test('a wrong password or unknown e-mail gives the same answer', async () => {
  const a = await portal.client().submit('/login', { email: 'ivan@example.ru', password: 'не-тот' });
  const b = await portal.client().submit('/login', { email: 'nobody@example.ru', password: 'не-тот' });
  assert.equal(a.status, 401);
  assert.equal(b.status, 401);
  assert.match(a.text, /Неверный e-mail или пароль/);
  assert.match(b.text, /Неверный e-mail или пароль/);
});

test('forms without a valid CSRF token are refused with 403 and nothing is stored', async () => {
  const c = portal.client();
  const noToken = await c.request('POST', '/register', { form: { email: 'evil@example.ru', password: '12345678', displayName: 'Злодей' } });
  assert.equal(noToken.status, 403);
  assert.match(noToken.text, /Форма устарела/);
  c.cookies.set('gorod_csrf', 'forged.token');
  const forged = await c.request('POST', '/register', { form: { _csrf: 'forged.token', email: 'evil@example.ru', password: '12345678', displayName: 'Злодей' } });
  assert.equal(forged.status, 403);
  const rows = await portal.database.db.selectFrom('users').select('id').where('email', '=', 'evil@example.ru').execute();
  assert.equal(rows.length, 0);
});

test('bad registration input is explained in Russian and nothing is stored', async () => {
  const c = portal.client({ 'x-forwarded-for': '203.0.113.7' });
  const cases: [Record<string, string>, RegExp][] = [
    [{ email: 'not-an-email', password: 'длинный-пароль', displayName: 'Пётр' }, /настоящий e-mail/],
    [{ email: 'petr@example.ru', password: '123', displayName: 'Пётр' }, /не короче 8/],
    [{ email: 'petr@example.ru', password: '12345678', displayName: 'Пётр' }, /подбирают первыми/],
    [{ email: 'petr@example.ru', password: 'длинный-пароль', displayName: 'П' }, /от 2 до 40/],
  ];
  for (const [form, message] of cases) {
    const res = await c.submit('/register', form);
    assert.equal(res.status, 400);
    assert.match(res.text, message);
  }
  const rows = await portal.database.db.selectFrom('users').select('id').where('email', '=', 'petr@example.ru').execute();
  assert.equal(rows.length, 0);
});

test('sign-in only redirects to paths on this site', async () => {
  await portal.app.accounts.createUser({ email: 'olga@example.ru', password: 'пароль-ольги', displayName: 'Ольга', role: 'reader' });
  const res = await portal.client().submit('/login', { email: 'olga@example.ru', password: 'пароль-ольги', next: '//evil.example/' });
  assert.equal(res.status, 400);
  assert.equal(res.location, null);
});

test('sign-in is rate limited per IP, and a forged X-Forwarded-For does not escape it', async () => {
  const c = portal.client({ 'x-forwarded-for': '203.0.113.9' });
  let last = 0;
  for (let i = 0; i < 12; i++) last = (await c.submit('/login', { email: 'x@example.ru', password: 'wrong-password' })).status;
  assert.equal(last, 429);
  // Only the configured proxy is trusted: a client that talks to us directly
  // cannot pick its IP by a header.
  const direct = await startPortal({ demo: false });
  try {
    let status = 0;
    // A new e-mail each time: only the per-IP rules can refuse these.
    for (let i = 0; i < 12; i++) status = (await direct.client({ 'x-forwarded-for': `198.51.100.${i}` }).submit('/login', { email: `x${i}@example.ru`, password: 'wrong-password' })).status;
    assert.equal(status, 429);
  } finally {
    await direct.close();
  }
});
