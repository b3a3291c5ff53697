// What a stranger could learn or do through the account forms (issue 18, item 16):
// registration must not tell who has an account, one address must not be flooded
// with reset mails from many IPs, and the commonest passwords are refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import { RESET_MAILS_PER_ADDRESS } from './self-service.js';

let portal: Portal;
let ip = 0;
before(async () => {
  portal = await startPortal({ demo: false, config: { trustProxy: '127.0.0.1' } });
});
after(() => portal.close());

/** A client from an address of its own: the per-IP limits are not what these tests look at. */
const stranger = () => portal.client({ 'x-forwarded-for': `198.18.${Math.floor(++ip / 250)}.${ip % 250}` });
const mailsTo = (email: string) => {
  const dir = path.join(portal.dataDir, 'outbox');
  return (fs.existsSync(dir) ? fs.readdirSync(dir).sort().map((f) => fs.readFileSync(path.join(dir, f), 'utf8')) : []).filter((m) => m.includes(`To: ${email}`));
};
/** The page without what differs by the address typed (it is echoed in the notice). */
const shape = (html: string, email: string) => html.replaceAll(email, 'E-MAIL').replace(/name="_csrf" value="[^"]*"/g, '');

test('registering a known address answers exactly like a new one, and mails the owner instead', async () => {
  await portal.app.accounts.createUser({ email: 'known@example.ru', password: 'пароль-владельца', displayName: 'Владелец', role: 'reader' });
  const known = await stranger().submit('/register', { email: 'known@example.ru', password: 'чужой-длинный-пароль', displayName: 'Захватчик' });
  const fresh = await stranger().submit('/register', { email: 'fresh@example.ru', password: 'чужой-длинный-пароль', displayName: 'Захватчик' });
  assert.equal(known.status, 200);
  assert.equal(fresh.status, 200);
  assert.doesNotMatch(known.text, /уже зарегистрирован/);
  assert.equal(shape(known.text, 'known@example.ru'), shape(fresh.text, 'fresh@example.ru'));
  // The owner learns of it; the account is untouched (same name, same password).
  const [mail] = mailsTo('known@example.ru');
  assert.ok(mail, 'no mail to the owner');
  assert.match(mail!, /у вас уже есть аккаунт/);
  assert.doesNotMatch(mail!, /\/confirm\//);
  const row = await portal.database.db.selectFrom('users').select(['display_name']).where('email', '=', 'known@example.ru').executeTakeFirstOrThrow();
  assert.equal(row.display_name, 'Владелец');
  await stranger().signIn('known@example.ru', 'пароль-владельца');
});

test('an unconfirmed address registered again gets a new confirmation link', async () => {
  await stranger().submit('/register', { email: 'twice@example.ru', password: 'мой-длинный-пароль', displayName: 'Дважды' });
  const again = await stranger().submit('/register', { email: 'twice@example.ru', password: 'мой-длинный-пароль', displayName: 'Дважды' });
  assert.equal(again.status, 200);
  const links = mailsTo('twice@example.ru').map((m) => /\/confirm\/(\S+)/.exec(m)?.[1]);
  assert.equal(links.length, 2);
  assert.notEqual(links[0], links[1]);
  const users = await portal.database.db.selectFrom('users').select('id').where('email', '=', 'twice@example.ru').execute();
  assert.equal(users.length, 1);
});

test(`reset mails to one address stop at ${RESET_MAILS_PER_ADDRESS} an hour, whatever the IPs; the answer does not change`, async () => {
  await portal.app.accounts.createUser({ email: 'victim@example.ru', password: 'пароль-жертвы', displayName: 'Жертва', role: 'reader' });
  for (let i = 0; i < 10; i++) {
    const res = await stranger().submit('/forgot', { email: 'victim@example.ru' });
    assert.equal(res.status, 200);
    assert.match(res.text, /Если такой адрес зарегистрирован/);
  }
  assert.equal(mailsTo('victim@example.ru').length, RESET_MAILS_PER_ADDRESS);
});

test('the commonest passwords and the e-mail itself are refused with a Russian message at registration, change and reset', async () => {
  for (const password of ['12345678', 'password', '        ', 'qwerty123', 'йцукенгш', 'weak@example.ru']) {
    const res = await stranger().submit('/register', { email: 'weak@example.ru', password, displayName: 'Слабый' });
    assert.equal(res.status, 400, JSON.stringify(password));
    assert.match(res.text, /подбирают первыми|не должен повторять ваш e-mail/, JSON.stringify(password));
  }
  assert.equal((await portal.database.db.selectFrom('users').select('id').where('email', '=', 'weak@example.ru').execute()).length, 0);

  await portal.app.accounts.createUser({ email: 'owner@example.ru', password: 'пароль-хозяина', displayName: 'Хозяин', role: 'reader' });
  const me = stranger();
  await me.signIn('owner@example.ru', 'пароль-хозяина');
  const change = await me.submit('/account/password', { current: 'пароль-хозяина', password: 'password1' });
  assert.equal(change.status, 400);
  assert.match(change.text, /подбирают первыми/);
  const same = await me.submit('/account/password', { current: 'пароль-хозяина', password: 'owner@example.ru' });
  assert.equal(same.status, 400);
  assert.match(same.text, /не должен повторять ваш e-mail/);

  await stranger().submit('/forgot', { email: 'owner@example.ru' });
  const link = /http:\/\/\S+(\/reset\/\S+)/.exec(mailsTo('owner@example.ru').at(-1)!)![1]!;
  const reset = await stranger().submit(link, { password: '11111111' });
  assert.equal(reset.status, 400);
  assert.match(reset.text, /подбирают первыми/);
  // The link still works for a good password.
  const good = await stranger().submit(link, { password: 'вечерний-трамвай-у-моста' });
  assert.equal(good.status, 200);
  await stranger().signIn('owner@example.ru', 'вечерний-трамвай-у-моста');
});
