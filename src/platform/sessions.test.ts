// Session ids change on every sign-in: a token known before (planted by someone
// else, or the reader's own earlier one) never stays a session.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type Portal } from '../../test/support/portal.js';

let portal: Portal;
before(async () => {
  portal = await startPortal({ demo: false });
  await portal.app.accounts.createUser({ email: 'irina@example.ru', password: 'пароль-ирины', displayName: 'Ирина', role: 'reader' });
});
after(() => portal.close());

test('signing in again gives a new session id and ends the old one', async () => {
  const c = portal.client();
  await c.signIn('irina@example.ru', 'пароль-ирины');
  const first = c.cookies.get('gorod_session')!;
  assert.equal((await c.get('/api/me')).json().user.displayName, 'Ирина');
  await c.signIn('irina@example.ru', 'пароль-ирины');
  const second = c.cookies.get('gorod_session')!;
  assert.notEqual(second, first);
  const stale = portal.client();
  stale.cookies.set('gorod_session', first);
  assert.equal((await stale.get('/api/me')).json().user, null, 'the old id is no session any more');
  assert.equal((await c.get('/api/me')).json().user.displayName, 'Ирина');
  const rows = await portal.database.db.selectFrom('sessions').select('id').execute();
  assert.equal(rows.length, 1);
});

test('a session id planted before sign-in is not the one the reader gets', async () => {
  const victim = portal.client();
  const attacker = portal.client();
  await attacker.signIn('irina@example.ru', 'пароль-ирины');
  // The attacker plants their own valid id in the victim's browser; signing in replaces it.
  victim.cookies.set('gorod_session', attacker.cookies.get('gorod_session')!);
  await victim.signIn('irina@example.ru', 'пароль-ирины');
  assert.notEqual(victim.cookies.get('gorod_session'), attacker.cookies.get('gorod_session'));
  assert.equal((await attacker.get('/api/me')).json().user, null, 'the planted id no longer opens the account');
});
