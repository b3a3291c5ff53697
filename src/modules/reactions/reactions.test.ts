import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import type { Client } from '../../../test/support/client.js';
import type { ArticleCard } from '../content/index.js';
import { REACTION_KINDS } from './kinds.js';
import { accountReader, anonymousReader } from '../../platform/reader.js';

let portal: Portal;
let articles: ArticleCard[];
let ipCounter = 0;

before(async () => {
  // Trusting the local proxy lets tests act from many IPs (X-Forwarded-For), so the
  // per-IP limits of one test do not spill into the next.
  portal = await startPortal({ config: { trustProxy: '127.0.0.1' } });
  articles = await portal.app.content.latest({ limit: 20 });
});
after(() => portal.close());

/** A new browser from its own IP. */
const reader = (): Client => portal.client({ 'x-forwarded-for': `10.1.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}` });
const reactionUrl = (id: number) => `/api/articles/${id}/reaction`;
const rows = (articleId: number) => portal.database.db.selectFrom('reactions').selectAll().where('subject_kind', '=', 'article').where('subject_id', '=', articleId).execute();
const art = (id: number) => ({ kind: 'article' as const, id });

describe('the bar on the article page', () => {
  test('shows five reactions with their Russian labels, counts and no reader’s choice', async () => {
    const a = articles[0]!;
    await portal.app.reactions.set(art(a.id), anonymousReader('00000000-0000-4000-8000-000000000001'), 'LIKE');
    const html = (await portal.client().get(a.url)).text;
    const bar = html.slice(html.indexOf('<section class="reactions"'));
    for (const [kind, label] of [['LIKE', 'Лайк'], ['HAPPY', 'Смех'], ['SURPRISED', 'Удивление'], ['ANGRY', 'Гнев'], ['SAD', 'Печаль']]) {
      assert.match(bar, new RegExp(`value="${kind}"[^>]*aria-pressed="false"`), kind);
      assert.ok(bar.includes(`<span class="reaction__label">${label}</span>`), label);
    }
    assert.match(bar, /data-kind="LIKE"[\s\S]*?<span class="reaction__count" data-count="true">1<\/span>/);
    assert.match(bar, /<form class="reactions__bar" method="post" action="\/articles\/\d+\/reaction">/);
    // The cached page sets no reader cookie.
    const res = await portal.client().get(a.url);
    assert.ok(!res.headers.getSetCookie().some((c) => c.startsWith('gorod_reader=')));
  });
});

describe('the reaction API', () => {
  test('a reader reacts, switches, sets the same again, and withdraws; counts follow the rows', async () => {
    const a = articles[1]!;
    const r = reader();
    const initial = await r.get(reactionUrl(a.id));
    assert.equal(initial.status, 200);
    assert.deepEqual(initial.json(), { counts: { LIKE: 0, HAPPY: 0, SURPRISED: 0, ANGRY: 0, SAD: 0 }, mine: null });

    const liked = await r.api('PUT', reactionUrl(a.id), { kind: 'LIKE' });
    assert.equal(liked.status, 200);
    assert.deepEqual(liked.json(), { counts: { LIKE: 1, HAPPY: 0, SURPRISED: 0, ANGRY: 0, SAD: 0 }, mine: 'LIKE' });
    assert.ok(r.cookies.get('gorod_reader'), 'an anonymous reader gets the signed cookie');
    assert.equal((await rows(a.id)).length, 1);

    const switched = await r.api('PUT', reactionUrl(a.id), { kind: 'SAD' });
    assert.deepEqual(switched.json().counts, { LIKE: 0, HAPPY: 0, SURPRISED: 0, ANGRY: 0, SAD: 1 });
    assert.equal(switched.json().mine, 'SAD');
    const again = await r.api('PUT', reactionUrl(a.id), { kind: 'SAD' });
    assert.equal(again.json().counts.SAD, 1, 'the same reaction twice counts once');
    assert.equal((await rows(a.id)).length, 1, 'one reaction per reader per article');

    const mine = await r.get(reactionUrl(a.id));
    assert.equal(mine.json().mine, 'SAD');
    assert.equal((await reader().get(reactionUrl(a.id))).json().mine, null, 'another reader has no choice of their own');

    const withdrawn = await r.api('DELETE', reactionUrl(a.id));
    assert.equal(withdrawn.status, 200);
    assert.deepEqual(withdrawn.json(), { counts: { LIKE: 0, HAPPY: 0, SURPRISED: 0, ANGRY: 0, SAD: 0 }, mine: null });
    assert.equal((await rows(a.id)).length, 0);
    assert.equal((await r.api('DELETE', reactionUrl(a.id))).json().counts.SAD, 0, 'withdrawing twice is harmless');
  });

  test('bad input gets a clear 4xx in Russian and stores nothing', async () => {
    const a = articles[2]!;
    const r = reader();
    const unknown = await r.api('PUT', reactionUrl(a.id), { kind: 'LOVE' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.json().error.code, 'reactions.unknown_kind');
    assert.match(unknown.json().error.message, /Неизвестная реакция/);
    const lower = await r.api('PUT', reactionUrl(a.id), { kind: 'like' });
    assert.equal(lower.status, 400);
    const missing = await r.api('PUT', reactionUrl(a.id), {});
    assert.equal(missing.status, 400);
    assert.match(missing.json().error.message, /Неверные данные/);
    const notJson = await r.request('PUT', reactionUrl(a.id), { raw: '{kind', headers: { 'content-type': 'application/json', 'x-csrf-token': await r.csrf() } });
    assert.equal(notJson.status, 400);
    for (const path of [reactionUrl(999999999), '/api/articles/abc/reaction', '/api/articles/0/reaction', '/api/articles/-1/reaction']) {
      const res = await r.api('PUT', path, { kind: 'LIKE' });
      assert.equal(res.status, 404, path);
      assert.equal(res.json().error.message, 'Статья не найдена');
    }
    assert.equal((await r.get(reactionUrl(999999999))).status, 404);
    assert.equal((await rows(a.id)).length, 0);
  });

  test('an unpublished article takes no reactions', async () => {
    const draft = await portal.app.content.createArticle({ type: 'news', status: 'draft', sectionId: articles[0]!.section.id, title: 'Черновик', lead: '', body: { blocks: [{ type: 'paragraph', data: { text: 'Текст черновика.' } }] }, authorIds: [] });
    const res = await reader().api('PUT', reactionUrl(draft), { kind: 'LIKE' });
    assert.equal(res.status, 404);
    assert.equal((await rows(draft)).length, 0);
  });

  test('writes without the CSRF token are refused with 403', async () => {
    const a = articles[2]!;
    const r = reader();
    const noToken = await r.request('PUT', reactionUrl(a.id), { body: { kind: 'LIKE' }, headers: { accept: 'application/json' } });
    assert.equal(noToken.status, 403);
    assert.equal(noToken.json().error.code, 'csrf');
    const wrong = await r.request('DELETE', reactionUrl(a.id), { headers: { 'x-csrf-token': 'forged.token' } });
    assert.equal(wrong.status, 403);
    assert.equal((await rows(a.id)).length, 0);
  });
});

describe('the bar without JavaScript', () => {
  test('a button posts the form: the first click reacts, the same again withdraws, another switches', async () => {
    const a = articles[3]!;
    const r = reader();
    const origin = { origin: portal.url };
    const post = (kind: string, headers: Record<string, string> = origin) => r.request('POST', `/articles/${a.id}/reaction`, { form: { kind }, headers });
    // A browser that never had the reader cookie (no script ran, so no island call
    // gave it one) is asked to confirm, with a button that posts the same again, and
    // is given the cookie now: that second post counts (the anti-stuffing rule,
    // modules/audience/README.md).
    const unknown = await post('HAPPY');
    assert.equal(unknown.status, 200);
    assert.match(unknown.text, /Подтвердите реакцию «Смех»/);
    assert.match(unknown.text, new RegExp(`<form[^>]+action="/articles/${a.id}/reaction"`));
    assert.match(unknown.text, /name="kind" value="HAPPY"/);
    assert.ok(r.cookies.get('gorod_reader'));
    assert.equal((await rows(a.id)).length, 0);
    const first = await post('HAPPY');
    assert.equal(first.status, 303);
    assert.equal(first.location, `${a.url}#reactions`);
    assert.equal((await r.get(reactionUrl(a.id))).json().mine, 'HAPPY');
    await post('ANGRY');
    assert.deepEqual((await r.get(reactionUrl(a.id))).json(), { counts: { LIKE: 0, HAPPY: 0, SURPRISED: 0, ANGRY: 1, SAD: 0 }, mine: 'ANGRY' });
    await post('ANGRY');
    assert.equal((await r.get(reactionUrl(a.id))).json().mine, null);
    assert.equal((await rows(a.id)).length, 0);

    // From another site (no same-origin proof, no token): refused.
    const cross = await post('LIKE', { origin: 'https://evil.example' });
    assert.equal(cross.status, 403);
    const crossFetch = await post('LIKE', { 'sec-fetch-site': 'cross-site' });
    assert.equal(crossFetch.status, 403);
    assert.equal((await rows(a.id)).length, 0);
    const bad = await post('HEART');
    assert.equal(bad.status, 400);
    assert.match(bad.headers.get('content-type')!, /text\/html/);
    assert.match(bad.text, /Неизвестная реакция/);
  });
});

describe('signing in', () => {
  test('a reader who signs in keeps the reaction made before', async () => {
    const a = articles[4]!;
    const r = reader();
    await r.api('PUT', reactionUrl(a.id), { kind: 'SURPRISED' });
    await portal.app.accounts.createUser({ email: 'olga@example.ru', password: 'пароль-ольги', displayName: 'Ольга', role: 'reader' });
    await r.signIn('olga@example.ru', 'пароль-ольги');
    const state = (await r.get(reactionUrl(a.id))).json();
    assert.deepEqual(state, { counts: { LIKE: 0, HAPPY: 0, SURPRISED: 1, ANGRY: 0, SAD: 0 }, mine: 'SURPRISED' });
    const [row] = await rows(a.id);
    assert.match(row!.reader, /^u:\d+$/, 'the row now belongs to the account');
    // Signed in, the account reacts as itself.
    await r.api('PUT', reactionUrl(a.id), { kind: 'LIKE' });
    assert.equal((await rows(a.id)).length, 1);
  });

  test('where the account already reacted, its reaction stays and the counts stay exact', async () => {
    const [a, b] = [articles[5]!, articles[6]!];
    await portal.app.accounts.createUser({ email: 'petr@example.ru', password: 'пароль-петра', displayName: 'Пётр', role: 'reader' });
    const phone = reader();
    await phone.signIn('petr@example.ru', 'пароль-петра');
    await phone.api('PUT', reactionUrl(a.id), { kind: 'HAPPY' });
    const laptop = reader();
    await laptop.api('PUT', reactionUrl(a.id), { kind: 'SAD' });
    await laptop.api('PUT', reactionUrl(b.id), { kind: 'LIKE' });
    assert.equal((await laptop.get(reactionUrl(a.id))).json().counts.SAD, 1);
    await laptop.signIn('petr@example.ru', 'пароль-петра');
    assert.deepEqual((await laptop.get(reactionUrl(a.id))).json(), { counts: { LIKE: 0, HAPPY: 1, SURPRISED: 0, ANGRY: 0, SAD: 0 }, mine: 'HAPPY' });
    assert.equal((await laptop.get(reactionUrl(b.id))).json().mine, 'LIKE');
    for (const id of [a.id, b.id]) assert.deepEqual(await portal.app.reactions.counts(art(id)), await portal.app.reactions.countRows(art(id)));
  });

  test('a deleted account’s reactions stay in the counts but belong to nobody', async () => {
    const a = articles[7]!;
    const user = await portal.app.accounts.createUser({ email: 'gone@example.ru', password: 'пароль-ушедшего', displayName: 'Ушедший', role: 'reader' });
    const userId = user.id;
    await portal.app.reactions.set(art(a.id), accountReader(userId), 'ANGRY');
    await portal.app.events.emit('user.deleting', { userId });
    const [row] = await rows(a.id);
    assert.match(row!.reader, /^a:[0-9a-f-]{36}$/);
    assert.equal((await portal.app.reactions.counts(art(a.id))).ANGRY, 1);
  });
});

describe('exact counts under concurrency', () => {
  test('hundreds of readers reacting at once: the counts equal the rows', async () => {
    const a = articles[8]!;
    const readers = Array.from({ length: 300 }, () => reader());
    // Each gets its cookie first, so the burst below is all writes.
    await Promise.all(readers.map((r) => r.csrf()));
    const kindOf = (i: number) => REACTION_KINDS[i % REACTION_KINDS.length]!;
    const first = await Promise.all(readers.map((r, i) => r.api('PUT', reactionUrl(a.id), { kind: kindOf(i) })));
    const failed = (all: { status: number; text: string }[]) => all.filter((x) => x.status !== 200).map((x) => `${x.status} ${x.text.slice(0, 200)}`);
    assert.deepEqual(failed(first), []);
    // Then a third switch, a third withdraw and a third sets the same again, all at once.
    const second = await Promise.all(
      readers.map((r, i) => (i % 3 === 0 ? r.api('PUT', reactionUrl(a.id), { kind: kindOf(i + 1) }) : i % 3 === 1 ? r.api('DELETE', reactionUrl(a.id)) : r.api('PUT', reactionUrl(a.id), { kind: kindOf(i) }))),
    );
    assert.deepEqual(failed(second), []);
    const expected = { LIKE: 0, HAPPY: 0, SURPRISED: 0, ANGRY: 0, SAD: 0 };
    readers.forEach((_, i) => {
      if (i % 3 === 0) expected[kindOf(i + 1)]++;
      else if (i % 3 === 2) expected[kindOf(i)]++;
    });
    assert.deepEqual(await portal.app.reactions.countRows(art(a.id)), expected);
    assert.deepEqual(await portal.app.reactions.counts(art(a.id)), expected);
    assert.deepEqual((await reader().get(reactionUrl(a.id))).json().counts, expected);
  });

  test('one reader double-clicking many times at once still has one reaction', async () => {
    const a = articles[9]!;
    const r = reader();
    await r.api('PUT', reactionUrl(a.id), { kind: 'HAPPY' });
    await Promise.all(Array.from({ length: 20 }, (_, i) => r.api('PUT', reactionUrl(a.id), { kind: i % 2 ? 'LIKE' : 'SAD' })));
    assert.equal((await rows(a.id)).length, 1);
    const counts = await portal.app.reactions.counts(art(a.id));
    assert.equal(counts.LIKE + counts.SAD + counts.HAPPY, 1);
    assert.deepEqual(counts, await portal.app.reactions.countRows(art(a.id)));
  });
});

describe('flood limits', () => {
  test('one reader: 30 a minute, then 429 in Russian', async () => {
    const a = articles[10]!;
    const r = reader();
    let last;
    for (let i = 0; i < 30; i++) {
      last = await r.api('PUT', reactionUrl(a.id), { kind: i % 2 ? 'LIKE' : 'SAD' });
      assert.equal(last.status, 200, `request ${i + 1}`);
    }
    const refused = await r.api('PUT', reactionUrl(a.id), { kind: 'HAPPY' });
    assert.equal(refused.status, 429);
    assert.equal(refused.json().error.code, 'rate_limited');
    assert.match(refused.json().error.message, /Слишком много запросов\. Попробуйте снова через \d+ секунд/);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.notEqual((await r.get(reactionUrl(a.id))).json().mine, 'HAPPY', 'the refused write changed nothing');
    // The no-JS form shares the reader's allowance.
    const form = await r.request('POST', `/articles/${a.id}/reaction`, { form: { kind: 'HAPPY' }, headers: { origin: portal.url } });
    assert.equal(form.status, 429);
    assert.match(form.text, /Слишком много запросов/);
  });

  test('one IP: new cookies every time do not escape the per-IP limit', async () => {
    const a = articles[11]!;
    const ip = { 'x-forwarded-for': '10.250.0.1' };
    const statuses: number[] = [];
    for (let i = 0; i < 121; i++) {
      const c = portal.client(ip);
      statuses.push((await c.api('PUT', reactionUrl(a.id), { kind: 'LIKE' })).status);
    }
    assert.deepEqual(statuses.slice(0, 120).filter((s) => s !== 200), []);
    assert.equal(statuses[120], 429);
    assert.equal((await portal.app.reactions.counts(art(a.id))).LIKE, 120);
  });
});
