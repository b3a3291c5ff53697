// Dating's second part over HTTP on a real portal: a report carries the reported
// person's messages (only those they wrote to the reporter, copied so the evidence
// outlives the conversation), the figures per day written by the events (a
// deletion does not change past days), key rotation of the encrypted fields
// (reading works with both versions meanwhile; resumable), and the conversation's
// header in the reader's language.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import { dater, like, type Person } from '../../../test/support/dating.js';
import { ManualClock } from '../../platform/clock.js';
import { MESSAGE_SETTINGS } from '../messages/index.js';
import { DATING_SETTINGS } from './settings.js';
import { fieldCipher } from './crypto.js';
import { createDating } from './service.js';
import { createKeyRotation } from './rotate.js';
import { today } from './age.js';

let portal: Portal;
let clock: ManualClock;

before(async () => {
  clock = new ManualClock(new Date());
  portal = await startPortal({ clock, demo: false, config: { trustProxy: '127.0.0.1' } });
  await portal.app.settings.set(DATING_SETTINGS.likesPerIpPerDay, 100_000);
  await portal.app.settings.set(DATING_SETTINGS.likesPer10s, 1000);
  await portal.app.settings.set(DATING_SETTINGS.searchesPerIpPer30s, 10_000);
  await portal.app.settings.set(DATING_SETTINGS.searchesPer30s, 10_000);
  await portal.app.settings.set(DATING_SETTINGS.profilesPerIpPerDay, 1000);
  await portal.app.settings.set(DATING_SETTINGS.reportsPerDay, 1000);
  await portal.app.settings.set(DATING_SETTINGS.reportsPer30s, 100);
});
after(() => portal.close());

const db = () => portal.database.db;
const u = (id: number) => ({ kind: 'user' as const, id });
let n = 0;
const districts = ['Северный', 'Заречный', 'Ленинский', 'Октябрьский', 'Советский', 'Кировский', 'Промышленный', 'Набережный', 'Пригородный'];
const intentions = ['friendship', 'communication', 'relationship', 'marriage'];
async function matched() {
  const d = districts[n % 9]!;
  const intention = intentions[n++ % 4]!;
  const a = await dater(portal, { gender: 'm', seek: 'f', age: 31, district: d, intention });
  const b = await dater(portal, { gender: 'f', seek: 'm', age: 29, district: d, intention });
  await like(a, b);
  await like(b, a);
  return { a, b };
}
/** `from` writes `texts` to `to` in their dating conversation; the message ids. */
async function write(from: Person, to: Person, ...texts: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const text of texts) {
    const [conv] = await portal.app.messages.between(u(from.id), u(to.id), 'profile');
    if (conv) ids.push((await portal.app.messages.send({ conversationId: conv, actorId: from.id, text })).messageId);
    else ids.push((await portal.app.messages.start({ subject: { kind: 'profile', id: to.id }, from: u(from.id), to: u(to.id), actorId: from.id, text })).messageId);
  }
  return ids;
}
const reportsOf = (reporter: number, target: number) => db().selectFrom('dating_reports').selectAll().where('reporter_id', '=', reporter).where('target_id', '=', target).execute();
const form = async (who: Person, path: string, fields: [string, string][]) => {
  const body = new URLSearchParams([['_csrf', await who.c.csrf()], ...fields]);
  return who.c.request('POST', path, { raw: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
};

describe('a report carries the reported messages', () => {
  test('the form lists only what the reported person wrote to me; the moderators see the copy after an unmatch and after the original is erased', async () => {
    const { a, b } = await matched();
    const [hello] = await write(a, b, 'Привет, как дела?');
    const [first, rude, third] = await write(b, a, 'Привет', 'Ты мне должен денег, переведи на карту', 'Жду ответа');
    const page = await a.c.get(`/dating/p/${b.id}/report`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Ты мне должен денег, переведи на карту/);
    assert.match(page.text, new RegExp(`name="messages" value="${rude}"`));
    assert.doesNotMatch(page.text, /Привет, как дела\?/, 'my own message is not evidence');
    // The profile page's report form offers them too.
    assert.match((await a.c.get(`/dating/p/${b.id}`)).text, new RegExp(`value="${third}"`));

    // The unmatch removes the chat for both; the report page stays, with the messages.
    const un = await a.c.submit(`/dating/p/${b.id}/unmatch`, {});
    assert.equal(un.location, `/dating/matches?done=unmatched&about=${b.id}`);
    assert.match((await a.c.get(un.location!)).text, new RegExp(`href="/dating/p/${b.id}/report"`));
    assert.deepEqual(await portal.app.messages.between(u(a.id), u(b.id), 'profile'), []);
    const after = await a.c.get(`/dating/p/${b.id}/report`);
    assert.equal(after.status, 200);
    assert.match(after.text, /Ты мне должен денег/);

    const sent = await form(a, `/dating/p/${b.id}/report`, [['reason', 'scam'], ['text', 'Просит деньги'], ['messages', String(rude)], ['messages', String(first)]]);
    assert.equal(sent.status, 303, sent.text.slice(0, 300));
    const [row] = await reportsOf(a.id, b.id);
    const copy = JSON.parse(row!.messages) as { id: number; text: string; at: string; senderId: number }[];
    assert.deepEqual(copy.map((m) => m.id), [first, rude], 'oldest first');
    assert.deepEqual(copy.map((m) => m.senderId), [b.id, b.id]);
    assert.equal(copy[1]!.text, 'Ты мне должен денег, переведи на карту');
    assert.ok(!copy.some((m) => m.id === hello));

    // The original is erased (a moderator's delete) and the removed conversation is pruned: the copy stays.
    // (The whole service is behind app.messages; the contract names only what other modules call.)
    const moderatorSide = portal.app.messages as unknown as { decide(id: number, d: 'delete'): Promise<unknown>; prune(): Promise<{ conversations: number }> };
    await moderatorSide.decide(rude!, 'delete');
    await portal.app.settings.set(MESSAGE_SETTINGS.removedKeepDays, 0);
    clock.advance(3_600_000);
    assert.ok((await moderatorSide.prune()).conversations >= 1);
    assert.deepEqual(await portal.app.messages.receivedFrom(u(a.id), u(b.id), 'profile'), [], 'the originals are gone');
    await portal.app.settings.set(MESSAGE_SETTINGS.removedKeepDays, 30);
    const staff = await dater(portal, {}, 'moderator');
    const view = await staff.c.get(`/admin/dating/profiles/${b.id}`);
    assert.equal(view.status, 200);
    assert.match(view.text, /Приложенные сообщения/);
    assert.match(view.text, /Ты мне должен денег, переведи на карту/);
    assert.match(view.text, new RegExp(b.name));
    const queue = await staff.c.get('/admin/dating');
    assert.match(queue.text, /Ты мне должен денег, переведи на карту/);
  });

  test('someone else’s message ids, my own, or too many: refused (403 / 400), nothing stored; «the last 20» takes the newest', async () => {
    const { a, b } = await matched();
    const { a: c, b: d } = await matched();
    const [mine] = await write(a, b, 'Моё сообщение');
    const theirs = await write(b, a, ...Array.from({ length: 22 }, (_, i) => `Сообщение ${i + 1}`));
    const [other] = await write(d, c, 'Чужая переписка');
    const api = (body: object) => a.c.api('POST', '/api/dating/reports', { id: b.id, reason: 'spam', ...body });
    const foreign = await api({ messages: [theirs[0], other] });
    assert.equal(foreign.status, 403);
    assert.match(foreign.json().error.message, /только сообщения, которые этот человек написал вам/);
    assert.equal((await api({ messages: [mine] })).status, 403);
    assert.equal((await api({ messages: [999_999_999] })).status, 403);
    assert.equal((await api({ messages: theirs.slice(0, 21) })).status, 400);
    // Another pair's reporter cannot attach b's messages to a by reporting b either.
    assert.equal((await c.c.api('POST', '/api/dating/reports', { id: d.id, reason: 'spam', messages: [theirs[1]] })).status, 403);
    assert.equal((await form(a, `/dating/p/${b.id}/report`, [['reason', 'spam'], ['messages', String(other)]])).status, 403);
    assert.equal((await reportsOf(a.id, b.id)).length, 0);
    assert.equal((await reportsOf(c.id, d.id)).length, 0);

    assert.equal((await api({ attachLast: true })).status, 200);
    const copy = JSON.parse((await reportsOf(a.id, b.id))[0]!.messages) as { id: number; text: string }[];
    assert.equal(copy.length, 20);
    assert.equal(copy.at(-1)!.text, 'Сообщение 22');
    assert.equal(copy[0]!.text, 'Сообщение 3');
  });
});

describe('figures per day', () => {
  test('written by the events; deleting a profile adds a deletion today and leaves the past days as they were', async () => {
    const day = () => today(clock.now(), portal.app.config.timezone);
    const figures = async () => (await portal.app.dating.admin.stats(3)).map((s) => ({ ...s }));
    const yesterday = day();
    const before = (await figures()).find((s) => s.day === yesterday)!;
    const { a, b } = await matched();
    await a.c.api('POST', '/api/dating/reports', { id: b.id, reason: 'fake' });
    const then = (await figures()).find((s) => s.day === yesterday)!;
    assert.deepEqual({ p: then.profiles - before.profiles, m: then.matches - before.matches, r: then.reports - before.reports }, { p: 2, m: 1, r: 1 });

    clock.advance(24 * 3600_000);
    assert.notEqual(day(), yesterday);
    assert.equal((await b.c.submit('/dating/me/delete', { confirm: '1' })).status, 303);
    const now = await figures();
    const past = now.find((s) => s.day === yesterday)!;
    assert.deepEqual(past, then, 'the past day is unchanged by the deletion');
    assert.equal(now.find((s) => s.day === day())!.deletions, 1);
    // The back office reads them.
    const staff = await dater(portal, {}, 'moderator');
    const page = await staff.c.get('/admin/dating');
    assert.match(page.text, /Удалено/);
    assert.match(page.text, new RegExp(`<td>${yesterday}</td><td>${then.profiles}</td><td>${then.matches}</td><td>${then.reports}</td><td>0</td>`));
  });
});

describe('key rotation', () => {
  const SECRET_2 = 'a-new-secret-for-dating-keys-version-2-xxxxxxxx';
  test('rows move to the newest key in batches, resumably; reading and the compatible search work with both versions meanwhile', async () => {
    const d = districts[8]!;
    const people = [];
    for (let i = 0; i < 5; i++) people.push(await dater(portal, { gender: i % 2 ? 'f' : 'm', seek: i % 2 ? 'm' : 'f', age: 40, district: d, intention: 'marriage', about: `О себе номер ${i}` }));
    const ring = { 1: portal.app.secret, 2: SECRET_2 };
    const cipher = fieldCipher(ring);
    assert.equal(cipher.current, 2);
    const service = createDating({ db: db(), clock, cipher, timezone: portal.app.config.timezone, districts: async () => districts, onlineMinutes: async () => 15 });
    const rotation = createKeyRotation({ db: db(), cipher });
    const total = await rotation.pending();
    assert.ok(total >= 5);
    // One batch, as if the command stopped there: every older row and the first two of
    // these five (rows go in id order) are on key 2, the other three still on key 1.
    const first = total - 3;
    const moved = await rotation.run({ batch: first, maxBatches: 1 });
    assert.equal(moved, first);
    assert.equal(await rotation.pending(), 3);
    assert.deepEqual(Object.fromEntries((await db().selectFrom('dating_profiles').select(['user_id', 'key_version']).where('user_id', 'in', people.map((p) => p.id)).orderBy('user_id').execute()).map((r, i) => [i, r.key_version])), { 0: 2, 1: 2, 2: 1, 3: 1, 4: 1 });
    const versions = await db().selectFrom('dating_profiles').select(['user_id', 'key_version', 'about_enc']).where('user_id', 'in', people.map((p) => p.id)).execute();
    for (const v of versions) assert.equal(v.about_enc.startsWith(`v${v.key_version}:`), true);
    // Mid-rotation: every profile reads, and the search finds across versions (a man on key 2 finds a woman on each).
    for (const [i, p] of people.entries()) assert.equal((await service.own(p.id))!.about, `О себе номер ${i}`);
    const man = people[0]!;
    const me = (await service.me(man.id))!;
    const found = (await service.search(me, { district: d })).map((c) => c.id);
    assert.deepEqual(found.sort(), [people[1]!.id, people[3]!.id].sort());
    const oldMan = (await service.me(people[2]!.id))!;
    assert.deepEqual((await service.search(oldMan, { district: d })).map((c) => c.id).sort(), [people[1]!.id, people[3]!.id].sort());
    // The rest resumes where it stopped.
    const progress: number[] = [];
    await rotation.run({ batch: 2, progress: { start: (t) => progress.push(t), advance: (by) => progress.push(by), stop: () => {} } });
    assert.deepEqual(progress, [3, 2, 1]);
    assert.equal(await rotation.pending(), 0);
    const rows = await db().selectFrom('dating_profiles').select(['seek_enc', 'intention_enc', 'about_enc', 'key_version']).execute();
    assert.ok(rows.every((r) => r.key_version === 2 && [r.seek_enc, r.intention_enc, r.about_enc].every((x) => x.startsWith('v2:'))));
    assert.deepEqual(await rotation.versions(), { 2: rows.length });
    assert.deepEqual((await service.search((await service.me(man.id))!, { district: d })).map((c) => c.id).sort(), [people[1]!.id, people[3]!.id].sort());
    // Without the new secret nothing reads any more: the old key alone is refused.
    assert.throws(() => fieldCipher(portal.app.secret).decrypt(rows[0]!.about_enc), /unknown key version 2/);
  });

  test('DATING_KEY_Vn in the environment: at least 32 characters', async () => {
    const { loadConfig, ConfigError } = await import('../../config.js');
    assert.deepEqual(loadConfig({ DATING_KEY_V2: SECRET_2 }).datingKeys, { 2: SECRET_2 });
    assert.throws(() => loadConfig({ DATING_KEY_V3: 'short' }), (e: unknown) => e instanceof ConfigError && /DATING_KEY_V3/.test(e.message));
  });
});

describe('the conversation header', () => {
  test('says «Знакомства» in Russian and «Dating» in English', async () => {
    const { a, b } = await matched();
    await write(a, b, 'Hello!');
    const [conv] = await portal.app.messages.between(u(a.id), u(b.id), 'profile');
    const ru = await b.c.get(`/me/messages/${conv}`);
    assert.equal(ru.status, 200);
    assert.match(ru.text, />Знакомства</);
    b.c.cookies.set('gorod_lang', 'en');
    const en = await b.c.get(`/me/messages/${conv}`);
    assert.match(en.text, />Dating</);
    assert.doesNotMatch(en.text, />Знакомства</);
    const inbox = await b.c.get('/api/messages/inbox', { accept: 'application/json' });
    assert.equal(inbox.json().items[0].subject.title, 'Dating');
  });
});
