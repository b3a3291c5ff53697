// Dating over HTTP on a real portal: the entry for each kind of reader, the
// profile's rules (18+, real dates, consent, encrypted special data), the
// compatible search both ways, likes and exact matches under concurrency, the
// stream with undo, blocks, reports (409 twice, «underage» hides at once), the
// chat's policy through messages, photos through media and staff, deletion of
// everything at once, the teaser per reader, and the cache headers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { sql } from 'kysely';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import { bornYearsAgo, dater, like, person, profileForm, searchIds, type Person } from '../../../test/support/dating.js';
import { ManualClock } from '../../platform/clock.js';
import { DATING_SETTINGS } from './settings.js';

let portal: Portal;
let clock: ManualClock;

before(async () => {
  clock = new ManualClock(new Date());
  portal = await startPortal({ clock, demo: false, config: { trustProxy: '127.0.0.1' } });
  // The flood limits have their own test; the rest make many likes from one address.
  await portal.app.settings.set(DATING_SETTINGS.likesPerIpPerDay, 100_000);
  await portal.app.settings.set(DATING_SETTINGS.likesPer10s, 1000);
  await portal.app.settings.set(DATING_SETTINGS.searchesPerIpPer30s, 10_000);
  await portal.app.settings.set(DATING_SETTINGS.searchesPer30s, 10_000);
  await portal.app.settings.set(DATING_SETTINGS.profilesPerIpPerDay, 1000);
});
after(() => portal.close());

const db = () => portal.database.db;
const u = (id: number) => ({ kind: 'user' as const, id });
let districtN = 0;
/** A district of its own per test, so earlier tests' profiles never show up. */
const district = () => ['Северный', 'Заречный', 'Ленинский', 'Октябрьский', 'Советский', 'Кировский', 'Промышленный', 'Набережный', 'Пригородный'][districtN++ % 9]!;
const intentionN = ['friendship', 'communication', 'relationship', 'marriage'];
let couple = 0;
/** A man and a woman who fit each other, each test with its own intention and district. */
async function pair(extra: { a?: object; b?: object } = {}) {
  const d = district();
  const intention = intentionN[couple++ % 4]!;
  const a = await dater(portal, { gender: 'm', seek: 'f', age: 30, district: d, intention, ...extra.a });
  const b = await dater(portal, { gender: 'f', seek: 'm', age: 28, district: d, intention, ...extra.b });
  return { a, b, d, intention };
}
const inDistrict = (who: Person, d: string) => searchIds(who, `?district=${encodeURIComponent(d)}`);

describe('entry', () => {
  test('an anonymous reader sees what the section is and an invitation to sign in; the page is private and never cached', async () => {
    const res = await portal.client().get('/dating/');
    assert.equal(res.status, 200);
    assert.match(res.text, /Знакомства для взрослых/);
    assert.match(res.text, /Войдите, чтобы создать анкету/);
    assert.equal(res.headers.get('cache-control'), 'private, no-store');
    const again = await portal.client().get('/dating/');
    assert.equal(again.headers.get('x-cache'), null);
    const api = await portal.client().get('/api/dating/search', { accept: 'application/json' });
    assert.equal(api.status, 401);
    assert.equal(api.headers.get('cache-control'), 'private, no-store');
  });

  test('a signed-in reader without a profile sees the form with the consent text, and no profile from any route', async () => {
    const { b } = await pair();
    const p = await person(portal);
    const page = await p.c.get('/dating/');
    assert.match(page.text, /action="\/dating\/profile"/);
    assert.match(page.text, /специальная категория персональных данных/);
    assert.doesNotMatch(page.text, new RegExp(b.name));
    assert.equal((await p.c.get(`/dating/p/${b.id}`)).status, 303);
    assert.equal((await p.c.get(`/api/dating/profiles/${b.id}`, { accept: 'application/json' })).status, 403);
    assert.equal((await p.c.api('POST', '/api/dating/likes', { id: b.id })).status, 403);
  });
});

describe('the profile', () => {
  test('under 18, impossible dates, a missing consent or rules: 400 with the reason in Russian, nothing stored', async () => {
    const p = await person(portal);
    const cases: [Record<string, string>, RegExp][] = [
      [profileForm(portal, { birthDate: bornYearsAgo(portal, 17, 300) }), /только для тех, кому исполнилось 18/],
      [profileForm(portal, { birthDate: '2001-02-30' }), /Такой даты нет/],
      [profileForm(portal, { birthDate: '2001-13-01' }), /Такой даты нет/],
      [profileForm(portal, { birthDate: 'вчера' }), /Такой даты нет/],
      [profileForm(portal, { birthDate: '2999-01-01' }), /Такой даты нет/],
      [profileForm(portal, {}, { rules: '1' }), /согласия/],
      [profileForm(portal, {}, { consent: '1' }), /правила/],
      [profileForm(portal, { ageMin: 10, ageMax: 15 }), /Возраст — от 18 до 99/],
      [profileForm(portal, { about: 'я'.repeat(1001) }), /не длиннее 1000/],
      [profileForm(portal, { district: 'Бейкер-стрит, 221Б' }), /район из списка/],
      [profileForm(portal, { intention: 'hookup' }), /цель знакомства/],
    ];
    for (const [form, message] of cases) {
      const res = await p.c.submit('/dating/profile', form);
      assert.equal(res.status, 400, JSON.stringify(form));
      assert.match(res.text, message);
    }
    assert.equal((await db().selectFrom('dating_profiles').select('user_id').where('user_id', '=', p.id).execute()).length, 0);
  });

  test('a profile stores the consent (text, version, time, IP hash); a second one is 409; the birth date is never shown, only the age', async () => {
    const { a, b } = await pair({ b: { birthDate: bornYearsAgo(portal, 28, 40) } });
    const row = await db().selectFrom('dating_profiles').selectAll().where('user_id', '=', b.id).executeTakeFirstOrThrow();
    assert.match(row.consent_text, /152-ФЗ/);
    assert.ok(row.consent_version && row.consent_ip_hash.length >= 16 && row.consent_at && row.rules_at);
    assert.doesNotMatch(row.consent_ip_hash, /203\.0\./);
    const again = await b.c.submit('/dating/profile', profileForm(portal, {}));
    assert.equal(again.status, 409);
    const page = await a.c.get(`/dating/p/${b.id}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /28 лет/);
    const birth = bornYearsAgo(portal, 28, 40);
    for (const shape of [birth, birth.split('-').reverse().join('.')]) assert.ok(!page.text.includes(shape));
    const api = await a.c.get(`/api/dating/profiles/${b.id}`, { accept: 'application/json' });
    assert.equal(api.json().age, 28);
    assert.ok(!api.text.includes(birth) && !/birth/i.test(api.text));
  });

  test('intention, whom I look for and «about me» hold no plaintext at rest; the blind index is equal for equal intentions only', async () => {
    const about = 'Люблю долгие прогулки по набережной и тайскую кухню';
    const { a, b } = await pair({ a: { about, intention: 'marriage' }, b: { intention: 'marriage' } });
    const rows = await sql<Record<string, string>>`select * from dating_profiles where user_id in (${a.id}, ${b.id})`.execute(db());
    for (const r of rows.rows) {
      for (const col of ['seek_enc', 'intention_enc', 'about_enc']) {
        assert.match(r[col]!, /^v1:[A-Za-z0-9+/=]+$/);
        // Looked for in the stored bytes: random base64 text spells a short word like «any» now and then (about once in a thousand runs).
        const bytes = Buffer.from(r[col]!.slice(3), 'base64');
        for (const plain of ['marriage', 'relationship', 'any', 'прогулки', 'набережной']) assert.ok(!bytes.includes(Buffer.from(plain)) && (plain.length < 5 || !r[col]!.includes(plain)), `${col} holds ${plain}`);
      }
      const whole = JSON.stringify(r);
      for (const plain of ['marriage', 'прогулки', 'Люблю']) assert.ok(!whole.includes(plain), `the row holds «${plain}»`);
    }
    const [ra, rb] = [rows.rows.find((r) => Number(r.user_id) === a.id)!, rows.rows.find((r) => Number(r.user_id) === b.id)!];
    assert.equal(ra.intention_key, rb.intention_key);
    assert.notEqual(ra.seek_key, rb.seek_key);
    assert.notEqual(ra.intention_enc, rb.intention_enc, 'each ciphertext has its own IV');
    const own = await a.c.get('/dating/me');
    assert.match(own.text, /Люблю долгие прогулки/);
  });
});

describe('compatible search', () => {
  test('only mutually compatible profiles: gender both ways, age both ways, the same intention, never a blocked one', async () => {
    const { a, b, d, intention } = await pair({ a: { ageMin: 25, ageMax: 35 } });
    const otherIntention = await dater(portal, { gender: 'f', seek: 'm', age: 28, district: d, intention: intention === 'friendship' ? 'marriage' : 'friendship' });
    const seeksWomen = await dater(portal, { gender: 'f', seek: 'f', age: 28, district: d, intention });
    const tooOld = await dater(portal, { gender: 'f', seek: 'm', age: 60, district: d, intention });
    const wantsYounger = await dater(portal, { gender: 'f', seek: 'any', age: 25, ageMin: 18, ageMax: 25, district: d, intention });
    const man = await dater(portal, { gender: 'm', seek: 'any', age: 30, district: d, intention });
    assert.deepEqual(await inDistrict(a, d), [b.id], 'a sees only b');
    assert.ok((await inDistrict(b, d)).includes(a.id));
    for (const other of [otherIntention, seeksWomen, tooOld, wantsYounger]) assert.ok(!(await inDistrict(other, d)).includes(a.id), `${other.name} does not see a either`);
    assert.ok((await inDistrict(man, d)).includes(b.id), 'b seeks men, the man seeks anyone');
    assert.ok((await inDistrict(man, d)).includes(wantsYounger.id) === false, 'she wants 18–25, he is 30');
    for (const other of [otherIntention, seeksWomen, tooOld, wantsYounger]) assert.equal((await a.c.get(`/dating/p/${other.id}`)).status, 404);
  });

  test('filters: age range (10–15 refused), intention, district, with photo, online recently', async () => {
    const { a, b, d, intention } = await pair();
    const bad = await a.c.get('/api/dating/search?ageMin=10&ageMax=15', { accept: 'application/json' });
    assert.equal(bad.status, 400);
    assert.match(bad.json().error.message, /от 18 до 99/);
    assert.deepEqual(await searchIds(a, `?district=${encodeURIComponent(d)}&ageMin=27&ageMax=29`), [b.id]);
    assert.deepEqual(await searchIds(a, `?district=${encodeURIComponent(d)}&ageMin=29&ageMax=40`), []);
    assert.deepEqual(await searchIds(a, `?district=${encodeURIComponent(d)}&intention=${intention}`), [b.id]);
    assert.deepEqual(await searchIds(a, `?district=${encodeURIComponent(d)}&intention=${intention === 'friendship' ? 'marriage' : 'friendship'}`), []);
    assert.deepEqual(await searchIds(a, `?district=${encodeURIComponent(d)}&photo=1`), []);
    assert.deepEqual(await searchIds(a, `?district=${encodeURIComponent(d)}&online=1`), [b.id]);
    clock.advance(2 * 3600_000);
    assert.deepEqual(await searchIds(a, `?district=${encodeURIComponent(d)}&online=1`), []);
    const page = await a.c.get(`/dating/search?district=${encodeURIComponent(d)}`);
    assert.equal(page.status, 200);
    assert.match(page.text, new RegExp(b.name));
    // The age fields say what they bound (a bare «От» beside «Ищу» read as a gender range).
    assert.match(page.text, /Возраст от\s*<input[^>]*name="ageMin"/);
  });
});

describe('likes and matches', () => {
  test('a like to oneself, to an incompatible or unknown profile is refused; a mutual like is a match and both are notified', async () => {
    const { a, b, d } = await pair();
    const stranger = await dater(portal, { gender: 'm', seek: 'm', district: d });
    assert.equal((await like(a, a)).status, 400);
    assert.equal((await like(a, stranger)).status, 404);
    assert.equal((await a.c.api('POST', '/api/dating/likes', { id: 99_999_999 })).status, 404);
    const first = await like(a, b);
    assert.equal(first.status, 200);
    assert.equal(first.json().matched, false);
    const likes = await b.c.get('/dating/likes');
    assert.match(likes.text, new RegExp(a.name));
    const second = await like(b, a);
    assert.equal(second.json().matched, true);
    const again = await like(b, a);
    assert.equal(again.json().matched, false, 'a match is made once');
    for (const who of [a, b]) {
      const n = await db().selectFrom('notifications').select(['kind', 'url']).where('user_id', '=', who.id).where('kind', '=', 'dating_match').execute();
      assert.equal(n.length, 1);
    }
    const matches = await a.c.get('/dating/matches');
    assert.match(matches.text, new RegExp(b.name));
    assert.match(matches.text, /\/me\/messages\//);
  });

  test('concurrent mutual likes make exactly one match per pair', async () => {
    const couples = await Promise.all(Array.from({ length: 6 }, () => pair()));
    await Promise.all(couples.flatMap(({ a, b }) => [like(a, b), like(b, a)]));
    for (const { a, b } of couples) {
      const rows = await db().selectFrom('dating_pairs').select('matched_at').where('low_id', '=', Math.min(a.id, b.id)).where('high_id', '=', Math.max(a.id, b.id)).execute();
      assert.equal(rows.length, 1);
      assert.ok(rows[0]!.matched_at, 'matched');
      const told = await db().selectFrom('notifications').select('id').where('kind', '=', 'dating_match').where('user_id', 'in', [a.id, b.id]).execute();
      assert.equal(told.length, 2, 'each told once');
    }
  });

  test('the stream: like or skip, undo the last skip', async () => {
    const { a, b } = await pair();
    const stream = await a.c.get('/dating/');
    assert.equal(stream.status, 200);
    const skip = await a.c.submit(`/dating/p/${b.id}/skip`, {});
    assert.equal(skip.status, 303);
    const cards = (await a.c.get('/api/dating/stream', { accept: 'application/json' })).json().items as { id: number }[];
    assert.ok(!cards.some((c) => c.id === b.id));
    const undo = await a.c.api('DELETE', '/api/dating/skips/last');
    assert.equal(undo.json().id, b.id);
    const back = (await a.c.get('/api/dating/stream', { accept: 'application/json' })).json().items as { id: number }[];
    assert.ok(back.some((c) => c.id === b.id));
  });

  test('likes are limited per account: 10 in 10 s by default', async () => {
    await portal.app.settings.set(DATING_SETTINGS.likesPer10s, 3);
    try {
      const a = await dater(portal, { gender: 'm', seek: 'f', district: district() });
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await a.c.api('POST', '/api/dating/likes', { id: 99_999_990 + i })).status);
      assert.deepEqual(statuses, [404, 404, 404, 429, 429]);
    } finally {
      await portal.app.settings.set(DATING_SETTINGS.likesPer10s, 1000);
    }
  });
});

describe('safety', () => {
  test('a block: the blocked one never sees the blocker again — search, profile, likes — and the match with its chat ends', async () => {
    const { a, b, d } = await pair();
    await like(a, b);
    await like(b, a);
    await portal.app.messages.start({ subject: { kind: 'profile', id: b.id }, from: u(a.id), to: u(b.id), actorId: a.id, text: 'Привет! Рад знакомству.' });
    assert.equal((await portal.app.messages.between(u(a.id), u(b.id), 'profile')).length, 1);
    const block = await b.c.submit(`/dating/p/${a.id}/block`, {});
    assert.equal(block.status, 303);
    assert.ok(!(await inDistrict(a, d)).includes(b.id));
    assert.equal((await a.c.get(`/dating/p/${b.id}`)).status, 404);
    assert.equal((await a.c.get(`/api/dating/profiles/${b.id}`, { accept: 'application/json' })).status, 404);
    assert.equal((await like(a, b)).status, 404);
    assert.doesNotMatch((await a.c.get('/dating/matches')).text, new RegExp(b.name));
    assert.deepEqual(await portal.app.messages.between(u(a.id), u(b.id), 'profile'), []);
  });

  test('reports: the reasons of dating, the same report twice is 409, «underage» hides the profile at once until staff decide', async () => {
    const { a, b, d } = await pair();
    assert.equal((await a.c.api('POST', '/api/dating/reports', { id: b.id, reason: 'abuse' })).status, 400);
    const spam = await a.c.api('POST', '/api/dating/reports', { id: b.id, reason: 'spam', text: 'Зовёт в казино' });
    assert.equal(spam.status, 200);
    assert.equal((await a.c.api('POST', '/api/dating/reports', { id: b.id, reason: 'spam' })).status, 409);
    assert.ok((await inDistrict(a, d)).includes(b.id), 'spam alone hides nothing');
    const under = await a.c.api('POST', '/api/dating/reports', { id: b.id, reason: 'underage' });
    assert.equal(under.json().held, true);
    assert.ok(!(await inDistrict(a, d)).includes(b.id), 'hidden at once');
    assert.match((await b.c.get('/dating/')).text, /нет 18 лет/);
    const staff = await person(portal, 'Модератор Ирина', 'moderator');
    const queue = await staff.c.get('/admin/moderation?kind=profile');
    assert.equal(queue.status, 200);
    assert.match(queue.text, new RegExp(b.name));
    const admin = await staff.c.get('/admin/dating');
    assert.match(admin.text, /Зовёт в казино/);
    const dismiss = await staff.c.submit(`/admin/dating/profiles/${b.id}/dismiss`, {});
    assert.equal(dismiss.status, 303);
    assert.ok((await inDistrict(a, d)).includes(b.id), 'visible again');
    const audit = await db().selectFrom('audit_log').select('action').where('entity_id', '=', b.id).where('action', 'like', 'dating.%').execute();
    assert.deepEqual(audit.map((r) => r.action), ['dating.dismiss']);
  });

  test('staff ban (hidden from everyone), lift and delete a profile from the back office, each in the audit log', async () => {
    const { a, b, d } = await pair();
    const staff = await person(portal, 'Модератор Пётр', 'moderator');
    assert.equal((await staff.c.submit(`/admin/dating/profiles/${b.id}/ban`, {})).status, 303);
    assert.ok(!(await inDistrict(a, d)).includes(b.id));
    assert.match((await b.c.get('/dating/')).text, /заблокирована модераторами/);
    assert.equal((await staff.c.submit(`/admin/dating/profiles/${b.id}/unban`, {})).status, 303);
    assert.ok((await inDistrict(a, d)).includes(b.id));
    const page = await staff.c.get(`/admin/dating/profiles/${b.id}`);
    assert.equal(page.status, 200);
    assert.equal((await staff.c.submit(`/admin/dating/profiles/${b.id}/delete`, {})).status, 303);
    assert.equal((await db().selectFrom('dating_profiles').select('user_id').where('user_id', '=', b.id).execute()).length, 0);
    const audit = await db().selectFrom('audit_log').select('action').where('entity', '=', 'dating_profile').where('entity_id', '=', b.id).orderBy('id').execute();
    assert.deepEqual(audit.map((r) => r.action), ['dating.ban', 'dating.unban', 'dating.delete']);
    assert.equal((await a.c.get('/admin/dating')).status, 403, 'a reader never opens it');
  });

  test('reporting stays possible after an unmatch; the unmatch removes the conversation for both', async () => {
    const { a, b } = await pair();
    await like(a, b);
    await like(b, a);
    await portal.app.messages.start({ subject: { kind: 'profile', id: b.id }, from: u(a.id), to: u(b.id), actorId: a.id, text: 'Добрый вечер!' });
    const un = await b.c.submit(`/dating/p/${a.id}/unmatch`, {});
    assert.equal(un.status, 303);
    assert.deepEqual(await portal.app.messages.between(u(a.id), u(b.id), 'profile'), []);
    assert.equal((await b.c.api('POST', '/api/dating/reports', { id: a.id, reason: 'offensive' })).status, 200);
  });
});

describe('the chat through messages', () => {
  test('only a matched pair writes; no links or pictures in the first day; at most 1,000 characters', async () => {
    const { a, b } = await pair();
    const start = (text: string, from = a, to = b) => portal.app.messages.start({ subject: { kind: 'profile', id: to.id }, from: u(from.id), to: u(to.id), actorId: from.id, text });
    await assert.rejects(start('Привет'), (e: { code?: string; statusCode?: number }) => e.code === 'dating.not_matched' && e.statusCode === 403);
    await like(a, b);
    await like(b, a);
    await assert.rejects(start('Вот мой профиль: https://example.com/me'), (e: { code?: string }) => e.code === 'dating.quiet_links');
    await assert.rejects(start('Смотри ![фото](x)'), (e: { code?: string }) => e.code === 'dating.quiet_links');
    await assert.rejects(start('я'.repeat(1001)), (e: { statusCode?: number }) => e.statusCode === 400);
    const ok = await start('Привет! Как прошёл день?');
    assert.ok(ok.conversationId);
    clock.advance(25 * 3600_000);
    await portal.app.messages.send({ conversationId: ok.conversationId, actorId: b.id, text: 'Отлично, вот фото заката: https://example.com/sunset' });
  });
});

const png = () => sharp({ create: { width: 400, height: 400, channels: 3, background: { r: 200, g: 120, b: 90 } } }).png().toBuffer();
async function upload(who: Person, path: string, bytes: Buffer, type = 'image/png') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), 'photo.png');
  const res = await fetch(portal.url + path, { method: 'POST', body: form, redirect: 'manual', headers: { cookie: [...who.c.cookies].map(([k, v]) => `${k}=${v}`).join('; '), origin: portal.url, 'x-forwarded-for': who.c.defaults['x-forwarded-for']! } });
  return { status: res.status, text: await res.text() };
}

describe('photos and verification', () => {

  test('a photo waits for staff before others see it; a file that is not an image is 415; staff approve, and «with photo» finds it', async () => {
    const { a, b, d } = await pair();
    assert.equal((await upload(b, '/dating/me/photos', Buffer.from('не картинка'), 'image/png')).status, 415);
    assert.equal((await upload(b, '/dating/me/photos', await png())).status, 303);
    const photo = await db().selectFrom('dating_photos').selectAll().where('user_id', '=', b.id).executeTakeFirstOrThrow();
    assert.equal(photo.status, 'pending');
    assert.deepEqual(await searchIds(a, `?district=${encodeURIComponent(d)}&photo=1`), []);
    const profile = (await a.c.get(`/api/dating/profiles/${b.id}`, { accept: 'application/json' })).json();
    assert.deepEqual(profile.photos, []);
    const staff = await person(portal, 'Модератор Олег', 'moderator');
    assert.equal((await staff.c.submit(`/admin/dating/photos/${photo.id}`, { decision: 'approve' })).status, 303);
    assert.deepEqual(await searchIds(a, `?district=${encodeURIComponent(d)}&photo=1`), [b.id]);
    const after = (await a.c.get(`/api/dating/profiles/${b.id}`, { accept: 'application/json' })).json();
    assert.equal(after.photos.length, 1);
  });

  test('verification: a pose, a photo of it, staff compare and approve, the mark shows', async () => {
    const { a, b } = await pair();
    assert.equal((await b.c.submit('/dating/me/verification/pose', {})).status, 303);
    const me = await b.c.get('/dating/me');
    assert.match(me.text, /Поза: /);
    assert.equal((await upload(b, '/dating/me/verification', await png())).status, 303);
    const staff = await person(portal, 'Модератор Вера', 'moderator');
    const page = await staff.c.get('/admin/dating');
    assert.match(page.text, /Подтверждения фото/);
    const v = await db().selectFrom('dating_verifications').select('id').where('user_id', '=', b.id).where('status', '=', 'pending').executeTakeFirstOrThrow();
    assert.equal((await staff.c.submit(`/admin/dating/verifications/${v.id}`, { decision: 'approve' })).status, 303);
    assert.match((await a.c.get(`/dating/p/${b.id}`)).text, /Фото подтверждено/);
  });
});

describe('privacy', () => {
  test('deleting the profile removes it, its photos, likes, matches and reports at once; the conversation shows the party gone', async () => {
    const { a, b } = await pair();
    await like(a, b);
    await like(b, a);
    const chat = await portal.app.messages.start({ subject: { kind: 'profile', id: b.id }, from: u(a.id), to: u(b.id), actorId: a.id, text: 'Привет!' });
    await a.c.api('POST', '/api/dating/reports', { id: b.id, reason: 'fake' });
    assert.equal((await upload(b, '/dating/me/photos', await png())).status, 303);
    const image = await db().selectFrom('dating_photos').innerJoin('images', 'images.id', 'dating_photos.image_id').select(['images.id', 'images.storage_key', 'images.variants']).where('dating_photos.user_id', '=', b.id).executeTakeFirstOrThrow();
    const file = `/uploads/${image.storage_key}/${(image.variants as { file: string }[])[0]!.file}`;
    assert.equal((await portal.client().get(file)).status, 200);
    const del = await b.c.submit('/dating/me/delete', { confirm: '1' });
    assert.equal(del.status, 303);
    // The photo's files and row go at once: a saved address of it answers 404.
    assert.equal((await portal.client().get(file)).status, 404);
    assert.equal((await db().selectFrom('images').select('id').where('id', '=', image.id).execute()).length, 0);
    for (const table of ['dating_profiles', 'dating_photos', 'dating_verifications'] as const) {
      assert.equal((await db().selectFrom(table).select('user_id').where('user_id', '=', b.id).execute()).length, 0, table);
    }
    assert.equal((await db().selectFrom('dating_pairs').select('low_id').where((eb) => eb.or([eb('low_id', '=', b.id), eb('high_id', '=', b.id)])).execute()).length, 0);
    assert.equal((await db().selectFrom('dating_reports').select('id').where('target_id', '=', b.id).execute()).length, 0);
    await assert.rejects(portal.app.messages.send({ conversationId: chat.conversationId, actorId: a.id, text: 'Ты тут?' }));
    assert.match((await b.c.get('/dating/')).text, /action="\/dating\/profile"/, 'a new profile may be made');
  });

  test('hiding: a hidden profile leaves search but its match still writes; a paused one takes no messages', async () => {
    const { a, b, d } = await pair();
    await like(a, b);
    await like(b, a);
    await portal.app.dating.service.setVisibility(b.id, 'hidden');
    assert.ok(!(await inDistrict(a, d)).includes(b.id));
    assert.equal((await a.c.get(`/dating/p/${b.id}`)).status, 200, 'the match still sees it');
    await portal.app.messages.start({ subject: { kind: 'profile', id: b.id }, from: u(a.id), to: u(b.id), actorId: a.id, text: 'Привет!' });
    await portal.app.dating.service.setVisibility(b.id, 'paused');
    const [id] = await portal.app.messages.between(u(a.id), u(b.id), 'profile');
    await assert.rejects(portal.app.messages.send({ conversationId: id!, actorId: a.id, text: 'Ещё раз привет' }), (e: { code?: string }) => e.code === 'dating.chat_paused');
  });

  test('an account deleted: its profile goes too', async () => {
    const { b } = await pair();
    await portal.app.events.emit('user.deleting', { userId: b.id });
    assert.equal((await db().selectFrom('dating_profiles').select('user_id').where('user_id', '=', b.id).execute()).length, 0);
  });
});

describe('the teaser', () => {
  test('cached pages carry only the invitation; faces come per reader, to a reader with a profile, of opted-in profiles with an approved photo', async () => {
    const { a, b } = await pair();
    await db().updateTable('dating_profiles').set({ teaser: true, photo_count: 1 }).where('user_id', '=', b.id).execute();
    const image = await portal.app.media.store(await sharp({ create: { width: 200, height: 200, channels: 3, background: '#88aacc' } }).png().toBuffer());
    await db().insertInto('dating_photos').values({ user_id: b.id, image_id: image.id, status: 'approved' }).execute();
    const home = await a.c.get('/');
    assert.match(home.text, /data-island="dating-teaser"/);
    assert.doesNotMatch(home.text, new RegExp(b.name));
    const anon = await portal.client().get('/api/reader-state');
    assert.equal(anon.json().dating, null);
    const noProfile = await person(portal);
    assert.equal((await noProfile.c.get('/api/reader-state')).json().dating, null);
    const mine = (await a.c.get('/api/reader-state')).json().dating;
    assert.ok(mine.items.some((i: { name: string }) => i.name === b.name));
  });
});
