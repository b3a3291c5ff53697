// Sign-in throttling: per account from any IP, per IP for any account, a wait that
// doubles up to a cap, and the owner's own browser kept out of a stranger's lock.
// The clock is a ManualClock: waits pass by moving it, never by sleeping.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../platform/clock.js';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import { Client } from '../../../test/support/client.js';
import { ACCOUNT_RULE } from './throttle.js';

const clock = new ManualClock(new Date('2026-11-27T10:00:00Z'));
let portal: Portal;
let ip = 0;
before(async () => {
  // A trusted local proxy lets each attempt come from the address the test picks.
  portal = await startPortal({ demo: false, clock, config: { trustProxy: '127.0.0.1' } });
});
after(() => portal.close());

/** A browser at a fresh address (or the one given). */
const browser = (address = `198.51.100.${++ip}`) => portal.client({ 'x-forwarded-for': address });
const signIn = (c: Client, email: string, password: string) => c.submit('/login', { email, password });

async function user(email: string, password = 'верный-пароль') {
  await portal.app.accounts.createUser({ email, password, displayName: email.split('@')[0]!, role: 'reader' });
  return { email, password };
}

function assertRefused(res: Awaited<ReturnType<typeof signIn>>, seconds: number, wait: RegExp) {
  assert.equal(res.status, 429, res.text.slice(0, 200));
  assert.equal(res.headers.get('retry-after'), String(seconds));
  assert.match(res.text, /Слишком много неудачных попыток входа\. Попробуйте снова через/);
  assert.match(res.text, wait);
  assert.match(res.text, /, в \d\d:\d\d\./, 'says at what time');
  assert.ok(!res.headers.getSetCookie().some((c) => c.startsWith('gorod_session=')), 'no session');
}

test('an account waits after five failures from any addresses, twice as long each time, up to 15 minutes', async () => {
  const u = await user('anna@example.ru');
  for (let i = 0; i < ACCOUNT_RULE.free; i++) assert.equal((await signIn(browser(), u.email, 'не-тот')).status, 401);
  // Even the right password, from yet another address, waits now.
  assertRefused(await signIn(browser(), u.email, u.password), 30, /через 30 секунд/);
  // Attempts while waiting are refused without counting: the wait does not grow.
  for (let i = 0; i < 5; i++) assert.equal((await signIn(browser(), u.email, 'не-тот')).status, 429);
  clock.advance(29_000);
  assertRefused(await signIn(browser(), u.email, u.password), 1, /через 1 секунду/);
  clock.advance(1_000);

  // Each further failure doubles the wait: 60 s, 2 min, 4, 8, then 15 min at most.
  const waits: number[] = [];
  for (let i = 0; i < 7; i++) {
    assert.equal((await signIn(browser(), u.email, 'не-тот')).status, 401);
    const refused = await signIn(browser(), u.email, u.password);
    assert.equal(refused.status, 429);
    waits.push(Number(refused.headers.get('retry-after')));
    clock.advance(waits.at(-1)! * 1000);
  }
  assert.deepEqual(waits, [60, 120, 240, 480, 900, 900, 900]);
  await signIn(browser(), u.email, 'не-тот');
  assertRefused(await signIn(browser(), u.email, u.password), 900, /через 15 минут/);
  clock.advance(900_000);

  // The right password after the wait signs in, and the account starts from zero.
  assert.equal((await signIn(browser(), u.email, u.password)).status, 303);
  for (let i = 0; i < ACCOUNT_RULE.free - 1; i++) assert.equal((await signIn(browser(), u.email, 'не-тот')).status, 401);
  assert.equal((await signIn(browser(), u.email, u.password)).status, 303);
});

test('an unknown e-mail is throttled exactly like a wrong password', async () => {
  const u = await user('boris@example.ru');
  const answers = async (email: string, password: string) => {
    const seen: string[] = [];
    for (let i = 0; i < ACCOUNT_RULE.free + 1; i++) {
      const res = await signIn(browser(), email, password);
      seen.push(`${res.status} ${/role="alert">([^<]*)/.exec(res.text)?.[1]?.replace(/\d\d:\d\d/, 'HH:MM')}`);
    }
    return seen;
  };
  const known = await answers(u.email, 'не-тот');
  const unknown = await answers('nobody@example.ru', 'не-тот');
  assert.deepEqual(unknown, known);
  assert.match(known.at(-1)!, /^429 Слишком много/);
  clock.advance(30_000);
});

test('one address failing on many accounts waits for any account, other addresses do not', async () => {
  const u = await user('vera@example.ru');
  const address = '203.0.113.50';
  for (let i = 0; i < 10; i++) assert.equal((await signIn(browser(address), `guess${i}@example.ru`, 'не-тот')).status, 401);
  assertRefused(await signIn(browser(address), u.email, u.password), 60, /через 60 секунд/);
  // A reader elsewhere signs in to the same account as usual.
  assert.equal((await signIn(browser(), u.email, u.password)).status, 303);
  // Signing in does not clear the address: a known password must not buy more guesses.
  assert.equal((await signIn(browser(address), u.email, u.password)).status, 429);
  clock.advance(60_000);
  assert.equal((await signIn(browser(address), u.email, u.password)).status, 303);
});

test('a stranger failing on purpose does not lock the owner out of a browser that signed in before', async () => {
  const u = await user('gleb@example.ru');
  const own = browser();
  assert.equal((await signIn(own, u.email, u.password)).status, 303);
  assert.ok(own.cookies.get('gorod_device'), 'the browser keeps a device cookie');
  await own.submit('/logout', {});
  for (let i = 0; i < ACCOUNT_RULE.free; i++) await signIn(browser(), u.email, 'не-тот');
  assert.equal((await signIn(browser(), u.email, u.password)).status, 429, 'a new browser waits');
  // A forged device cookie, or one of another account, is no pass.
  const forged = browser();
  forged.cookies.set('gorod_device', own.cookies.get('gorod_device')!.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')));
  assert.equal((await signIn(forged, u.email, u.password)).status, 429);
  const otherAccount = browser();
  await signIn(otherAccount, (await user('olga@example.ru')).email, 'верный-пароль');
  assert.equal((await signIn(otherAccount, u.email, u.password)).status, 429);
  // The owner's browser signs in; that proves the password, so the account starts from zero.
  assert.equal((await signIn(own, u.email, u.password)).status, 303, 'the owner’s browser does not wait');
  assert.equal((await signIn(browser(), u.email, u.password)).status, 303);
});

test('with Redis, every instance sees the same counts', { skip: !(process.env.DATABASE_URL && process.env.REDIS_URL) && 'needs DATABASE_URL and REDIS_URL' }, async () => {
  const second = await startPortal({ shareWith: portal, clock });
  try {
    const u = await user('daria@example.ru');
    for (let i = 0; i < ACCOUNT_RULE.free; i++) await signIn(browser(), u.email, 'не-тот');
    const other = new Client(second.url);
    assert.equal((await signIn(other, u.email, u.password)).status, 429);
  } finally {
    await second.close();
  }
});
