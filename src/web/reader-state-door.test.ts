// The reader's state in one call (GET /api/reader-state): every module's part equals
// what its own endpoint answers, and the front door answers anonymous readers
// exactly as the Fastify route does (compared with app.inject, which never passes
// the doors), leaving signed-in readers and other queries to the route.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startPortal, type Portal } from '../../test/support/portal.js';
import { anonymousReader, signReaderId } from '../platform/reader.js';

let portal: Portal;
let article: { id: number; url: string };
let ip = 0;

before(async () => {
  portal = await startPortal({ config: { trustProxy: '127.0.0.1' } });
  article = (await portal.app.content.latest({ limit: 3 }))[1]!;
});
after(() => portal.close());

const client = () => portal.client({ 'x-forwarded-for': `192.0.2.${++ip}` });
/** Requests the route answered (its duration histogram); the door's never show there. */
const routed = async () => {
  const metrics = await fetch(`${portal.url}/metrics`).then((r) => r.text());
  return [...metrics.matchAll(/http_request_duration_seconds_count\{[^}]*route="\/api\/reader-state"[^}]*\} (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
};
/** Headers that must be the same, by name (the request id and the date differ by nature). */
const comparable = (headers: Record<string, string | string[] | undefined>) =>
  Object.fromEntries(
    Object.entries(headers)
      .filter(([k]) => !['date', 'connection', 'keep-alive', 'x-request-id', 'set-cookie'].includes(k))
      .map(([k, v]) => [k, String(v)])
      .sort(),
  );

test('one call holds every part, each equal to its own endpoint’s answer', async () => {
  const reader = client();
  await reader.api('PUT', `/api/articles/${article.id}/reaction`, { kind: 'HAPPY' });
  const state = (await reader.get(`/api/reader-state?article=${article.id}`, { accept: 'application/json' })).json();
  assert.deepEqual(Object.keys(state).sort(), ['account', 'comments', 'dating', 'forum', 'messages', 'reactions', 'recommendations']);
  // An article page asks about no forum topic.
  assert.equal(state.forum, null);
  assert.deepEqual(state.reactions, (await reader.get(`/api/articles/${article.id}/reaction`, { accept: 'application/json' })).json());
  assert.equal(state.reactions.mine, 'HAPPY');
  assert.deepEqual(state.comments, (await reader.get(`/api/articles/${article.id}/comments/me`, { accept: 'application/json' })).json());
  // The part carries spares beyond the five shown (the island leaves out what the page lists); it starts with the endpoint's five.
  const own = (await reader.get(`/api/recommendations?exclude=${article.id}`, { accept: 'application/json' })).json();
  assert.deepEqual(state.recommendations.items.slice(0, own.items.length), own.items);
  assert.deepEqual(state.account, (await reader.get('/api/me', { accept: 'application/json' })).json());
  assert.equal(state.account.user, null);

  // A page without an article: no article parts.
  const home = (await reader.get('/api/reader-state', { accept: 'application/json' })).json();
  assert.equal(home.reactions, null);
  assert.equal(home.comments, null);
  assert.ok(Array.isArray(home.recommendations.items));
  // An unknown article: the same.
  assert.equal((await reader.get('/api/reader-state?article=2000000000', { accept: 'application/json' })).json().reactions, null);
});

test('the front door answers an anonymous reader as the route would: status, body, headers, the new CSRF and reader cookies', async () => {
  const before = await routed();
  // A first-time reader: no cookies at all.
  const viaDoor = await fetch(`${portal.url}/api/reader-state?article=${article.id}`);
  assert.equal(viaDoor.status, 200);
  const viaRoute = await portal.app.inject({ method: 'GET', url: `/api/reader-state?article=${article.id}` });
  assert.equal(await routed(), before + 1, 'the door answered the fetch; only the inject reached the route');
  assert.deepEqual(comparable(Object.fromEntries(viaDoor.headers)), comparable(viaRoute.headers as Record<string, string | string[] | undefined>));
  const routeCookies = ([] as string[]).concat(viaRoute.headers['set-cookie'] ?? []);
  // Both give the CSRF cookie and the reader cookie (the page's first island call
  // makes the reader known before its beacon and reactions), with the same attributes.
  for (const name of ['gorod_csrf', 'gorod_reader']) {
    const doorCookie = viaDoor.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
    const routeCookie = routeCookies.find((c) => c.startsWith(`${name}=`));
    assert.ok(doorCookie && routeCookie, name);
    const attributes = (c: string) => c.replace(/^[^=]+=[^;]+/, '').replace(/Expires=[^;]+/, '');
    assert.equal(attributes(doorCookie), attributes(routeCookie), `the same ${name} attributes`);
  }
  const doorCsrf = viaDoor.headers.getSetCookie().find((c) => c.startsWith('gorod_csrf='))!;
  const token = decodeURIComponent(doorCsrf.slice('gorod_csrf='.length).split(';')[0]!);
  assert.equal((await viaDoor.json()).account.csrfToken, token);

  // With the same cookies, the same bytes.
  const reader = client();
  await reader.get(`/api/reader-state?article=${article.id}`, { accept: 'application/json' }); // a reader cookie and a CSRF cookie
  const cookie = [...reader.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  assert.match(cookie, /gorod_reader=.*gorod_csrf=|gorod_csrf=.*gorod_reader=/);
  const door = await fetch(`${portal.url}/api/reader-state?article=${article.id}`, { headers: { cookie } });
  const route = await portal.app.inject({ method: 'GET', url: `/api/reader-state?article=${article.id}`, headers: { cookie } });
  assert.equal(await door.text(), route.body);
  assert.equal(door.headers.getSetCookie().length, 0, 'a valid CSRF cookie is kept');
  assert.equal(route.headers['set-cookie'], undefined);

  // A forum topic's page: the door answers it too, with the route's bytes.
  const topic = (await portal.app.forums.reading.active(1))[0]!;
  const before2 = await routed();
  const topicDoor = await fetch(`${portal.url}/api/reader-state?topic=${topic.id}&page=1`, { headers: { cookie } });
  const topicRoute = await portal.app.inject({ method: 'GET', url: `/api/reader-state?topic=${topic.id}&page=1`, headers: { cookie } });
  assert.equal(await routed(), before2 + 1);
  const body = await topicDoor.text();
  assert.equal(body, topicRoute.body);
  assert.equal(JSON.parse(body).forum.lastNumber, topic.lastNumber);
});

test('a signed-in reader and other queries go to the route', async () => {
  const email = 'state@example.ru';
  await portal.app.accounts.createUser({ email, password: 'пароль-читателя', displayName: 'Серафима', role: 'reader' });
  const reader = client();
  await reader.signIn(email, 'пароль-читателя');
  const before = await routed();
  const mine = (await reader.get(`/api/reader-state?article=${article.id}`, { accept: 'application/json' })).json();
  assert.equal(mine.account.user.displayName, 'Серафима');
  assert.equal(mine.comments.user.displayName, 'Серафима');
  assert.equal(mine.comments.canComment, true);
  assert.equal(await routed(), before + 1);

  const bad = await client().get('/api/reader-state?article=abc', { accept: 'application/json' });
  assert.equal(bad.status, 400);
  assert.equal(await routed(), before + 2);
});

test('a browser that never reacted or voted is not looked up for its reactions and votes; its first reaction or vote makes it so', async () => {
  const { app } = portal;
  const asked = { reactions: [] as (string | null)[], votes: [] as (string | null)[] };
  const state = app.reactions.state;
  const votes = app.comments.readerState;
  app.reactions.state = (subject, reader) => (asked.reactions.push(reader?.key ?? null), state(subject, reader));
  app.comments.readerState = (articleId, voter, user, kind) => (asked.votes.push(voter), votes(articleId, voter, user, kind));
  try {
    const reader = client();
    const stateOf = async () => (await reader.get(`/api/reader-state?article=${article.id}`, { accept: 'application/json' })).json();
    // The first call gives the reader cookie; this one and the next look nothing up for the reader.
    const first = await stateOf();
    await stateOf();
    assert.deepEqual(asked, { reactions: [], votes: [null, null] });
    assert.equal(first.reactions.mine, null);
    assert.deepEqual(first.reactions.counts, await app.reactions.countRows({ kind: 'article', id: article.id }));

    // A reaction sets the hint; from then on the reader's own are looked up, and shown.
    const reacted = await reader.api('PUT', `/api/articles/${article.id}/reaction`, { kind: 'SURPRISED' });
    assert.equal(reacted.status, 200);
    assert.equal(reader.cookies.get('gorod_wrote'), '1');
    const after = await stateOf();
    assert.equal(after.reactions.mine, 'SURPRISED');
    const key = `a:${decodeURIComponent(reader.cookies.get('gorod_reader')!).split('.')[0]}`;
    assert.deepEqual(asked, { reactions: [key], votes: [null, null, key] });

    // A vote sets it too.
    const voter = client();
    await voter.get(`/api/reader-state?article=${article.id}`, { accept: 'application/json' });
    await app.accounts.createUser({ email: 'hint@example.ru', password: 'пароль-комментатора', displayName: 'Комментатор', role: 'reader' });
    const author = client();
    await author.signIn('hint@example.ru', 'пароль-комментатора');
    const comment = (await author.api('POST', '/api/comments', { articleId: article.id, body: 'Спасибо за новость.' })).json() as { id: number };
    assert.equal(voter.cookies.get('gorod_wrote'), undefined);
    assert.equal((await voter.api('PUT', `/api/comments/${comment.id}/vote`, { value: 1 })).status, 200);
    assert.equal(voter.cookies.get('gorod_wrote'), '1');
  } finally {
    app.reactions.state = state;
    app.comments.readerState = votes;
  }
});

test('a reader cookie of the first form (issued before the hint existed) is still looked up: an earlier reaction shows', async () => {
  const id = crypto.randomUUID();
  const subject = (await portal.app.subjects.describe({ kind: 'article', id: article.id }))!;
  await portal.app.reactions.set(subject, anonymousReader(id), 'LIKE');
  const cookie = `gorod_reader=${signReaderId(portal.app.secret, id)}`;
  const state = await (await fetch(`${portal.url}/api/reader-state?article=${article.id}`, { headers: { cookie } })).json();
  assert.equal(state.reactions.mine, 'LIKE');
});

test('«Рекомендуем» from the browser’s own reading list: nothing looked up, the page’s articles and the read ones left out; the door answers as the route', async () => {
  const { app } = portal;
  const ids = (await app.content.latest({ limit: 12 })).map((a) => a.id).filter((id) => id !== article.id);
  const [read, shown] = [ids.slice(0, 4), ids.slice(4, 7)];
  const looked: string[] = [];
  const readIds = app.audience.readIds;
  app.audience.readIds = (key) => (looked.push(key), readIds.call(app.audience, key));
  try {
    const reader = client();
    await reader.get('/api/reader-state', { accept: 'application/json' }); // the reader cookie
    looked.length = 0;
    const url = `/api/reader-state?article=${article.id}&shown=${shown.join(',')}&read=${read.join(',')}`;
    const state = (await reader.get(url, { accept: 'application/json' })).json();
    const got = state.recommendations.items.map((i: { id: number }) => i.id) as number[];
    assert.equal(got.length, 5, 'the page said what it shows: five, no spares');
    for (const id of [article.id, ...read, ...shown]) assert.ok(!got.includes(id), `${id} is on the page or read`);
    assert.deepEqual(got, await app.audience.recommendAfter(read, { exclude: [article.id, ...shown], limit: 5 }));
    assert.equal(state.recommendations.history, undefined);
    assert.deepEqual(looked, [], 'no stored reads asked for');

    const cookie = [...reader.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const door = await fetch(portal.url + url, { headers: { cookie } });
    const route = await app.inject({ method: 'GET', url, headers: { cookie } });
    assert.equal(await door.text(), route.body);
  } finally {
    app.audience.readIds = readIds;
  }
});

test('a browser without a list is answered from the stored reads and given them; a new reader has read nothing; a signed-in reader’s reads are the stored ones', async () => {
  const { app } = portal;
  const ids = (await app.content.latest({ limit: 6 })).map((a) => a.id).filter((id) => id !== article.id).slice(0, 3);
  const reader = client();
  await reader.get('/api/reader-state', { accept: 'application/json' });
  const key = `a:${decodeURIComponent(reader.cookies.get('gorod_reader')!).split('.')[0]}`;
  const facts = await app.content.readerFacts(ids);
  await app.database.db
    .insertInto('reader_reads')
    .values(facts.map((f, n) => ({ reader: key, article_id: f.id, section_id: f.sectionId, story_id: f.storyId, tag_ids: f.tagIds, read_at: new Date(Date.now() - (n + 1) * 60_000) })))
    .execute();
  const seeded = (await reader.get(`/api/reader-state?article=${article.id}`, { accept: 'application/json' })).json();
  assert.deepEqual(seeded.recommendations.history, ids, 'the stored reads, newest first');
  assert.deepEqual(
    seeded.recommendations.items.map((i: { id: number }) => i.id),
    await app.audience.recommendAfter(ids, { exclude: [article.id], limit: 20 }),
  );

  const first = await (await fetch(`${portal.url}/api/reader-state?article=${article.id}`)).json();
  assert.deepEqual(first.recommendations.history, [], 'a reader given the cookie now');

  await app.accounts.createUser({ email: 'reads@example.ru', password: 'пароль-читательницы', displayName: 'Агния', role: 'reader' });
  const member = client();
  await member.signIn('reads@example.ru', 'пароль-читательницы');
  const mine = (await member.get(`/api/reader-state?article=${article.id}&read=${ids.join(',')}`, { accept: 'application/json' })).json();
  assert.equal(mine.recommendations.history, undefined);
  assert.deepEqual(
    mine.recommendations.items.map((i: { id: number }) => i.id),
    await app.audience.recommendAfter([], { exclude: [article.id], limit: 20 }),
    'the account has read nothing: what the browser sends does not count',
  );
});

test('a list the call does not take is a 400 from the route, never the door', async () => {
  const tooMany = Array.from({ length: 51 }, (_, n) => n + 1).join(',');
  for (const query of [`read=${tooMany}`, 'read=1,,2', 'read=3000000000', 'shown=0', `article=${article.id}&article=${article.id}`, 'read=1&read=2', 'other=1']) {
    const before = await routed();
    const res = await client().get(`/api/reader-state?${query}`, { accept: 'application/json' });
    if (query === 'other=1') assert.equal(res.status, 200, 'an unknown name is left out, as by the schema');
    else assert.equal(res.status, 400, query);
    assert.equal(await routed(), before + 1, `${query} went to the route`);
  }
});

test('the reaction bar’s and the comment island’s own calls skip the same look-ups for a browser that never wrote', async () => {
  const { app } = portal;
  const asked = { reactions: 0, votes: [] as (string | null)[] };
  const state = app.reactions.state;
  const votes = app.comments.readerState;
  app.reactions.state = (subject, reader) => (asked.reactions++, state(subject, reader));
  app.comments.readerState = (articleId, voter, user, kind) => (asked.votes.push(voter), votes(articleId, voter, user, kind));
  try {
    const reader = client();
    await reader.get(`/api/reader-state?article=${article.id}`, { accept: 'application/json' });
    const bar = (await reader.get(`/api/articles/${article.id}/reaction`, { accept: 'application/json' })).json();
    assert.deepEqual(bar.counts, await app.reactions.countRows({ kind: 'article', id: article.id }));
    await reader.get(`/api/articles/${article.id}/comments/me`, { accept: 'application/json' });
    assert.deepEqual(asked, { reactions: 0, votes: [null, null] });
    await reader.api('PUT', `/api/articles/${article.id}/reaction`, { kind: 'SAD' });
    assert.equal((await reader.get(`/api/articles/${article.id}/reaction`, { accept: 'application/json' })).json().mine, 'SAD');
    await reader.get(`/api/articles/${article.id}/comments/me`, { accept: 'application/json' });
    assert.equal(asked.votes.at(-1), `a:${decodeURIComponent(reader.cookies.get('gorod_reader')!).split('.')[0]}`);
  } finally {
    app.reactions.state = state;
    app.comments.readerState = votes;
  }
});
