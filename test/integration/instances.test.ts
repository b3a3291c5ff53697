// Several instances of one portal on PostgreSQL and Redis (CI's second run): a
// change through one purges the other's cache (pages, data, «Рекомендуем»), writes
// through both keep exact counts, a scheduled article is published once, limits
// are shared.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startPortal, type Portal } from '../support/portal.js';
import { ACCOUNT_RULE } from '../../src/modules/accounts/throttle.js';

const skip = !process.env.DATABASE_URL || !process.env.REDIS_URL ? 'needs DATABASE_URL and REDIS_URL (CI runs it)' : false;
let a: Portal;
let b: Portal;

before(async () => {
  if (skip) return;
  a = await startPortal({ config: { trustProxy: '127.0.0.1' } });
  b = await startPortal({ shareWith: a, config: { trustProxy: '127.0.0.1' } });
  await a.app.accounts.createUser({ email: 'chief@example.ru', password: 'пароль-главреда', displayName: 'Главред', role: 'editor' });
});
after(async () => {
  await b?.close();
  await a?.close();
});

async function eventually(check: () => Promise<boolean>, ms = 1000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

test('an edit published through one instance purges the cached page on the other within a second', { skip }, async () => {
  const [card] = await a.app.content.latest({ limit: 1 });
  const reader = b.client();
  await reader.get(card!.url);
  assert.equal((await reader.get(card!.url)).headers.get('x-cache'), 'hit', 'B holds the page');
  const editor = a.client({ 'x-forwarded-for': '198.51.100.77' });
  await editor.signIn('chief@example.ru', 'пароль-главреда');
  const current = (await a.app.content.article(card!.id))!;
  const saved = await editor.api('PUT', `/api/admin/articles/${card!.id}`, {
    baseRevision: current.revision,
    title: 'Заголовок, исправленный на другом экземпляре',
    lead: current.lead,
    body: current.body,
    type: current.type,
    sectionId: current.section.id,
    storyId: current.story?.id ?? null,
    authorIds: current.authors.map((x) => x.id),
    tags: current.tags.map((t) => t.title),
    relatedIds: [],
    coverImageId: current.cover?.id ?? null,
    coverCaption: current.coverCaption,
    coverCredit: current.coverCredit,
    seoTitle: current.seoTitle,
    seoDescription: current.seoDescription,
  });
  assert.equal(saved.status, 200, saved.text);
  assert.ok(await eventually(async () => (await reader.get(card!.url)).text.includes('Заголовок, исправленный на другом экземпляре')), 'B shows the new title within a second');
});

test('reactions through both instances give counts equal to the rows', { skip }, async () => {
  const [card] = await a.app.content.latest({ limit: 1 });
  const kinds = ['LIKE', 'HAPPY', 'SURPRISED', 'ANGRY', 'SAD'];
  const results = await Promise.all(
    Array.from({ length: 200 }, async (_, i) => {
      const portal = i % 2 ? a : b;
      const c = portal.client({ 'x-forwarded-for': `10.1.${Math.floor(i / 200)}.${i % 250}` });
      return (await c.api('PUT', `/api/articles/${card!.id}/reaction`, { kind: kinds[i % 5] })).status;
    }),
  );
  assert.ok(results.every((s) => s === 200), `statuses: ${[...new Set(results)].join(',')}`);
  const rows = await a.database.db.selectFrom('reactions').select(['kind', (eb) => eb.fn.countAll<number>().as('n')]).where('subject_kind', '=', 'article').where('subject_id', '=', card!.id).groupBy('kind').execute();
  const counts = await a.database.db.selectFrom('reaction_counts').select(['kind', 'n']).where('subject_kind', '=', 'article').where('subject_id', '=', card!.id).execute();
  const byKind = (list: { kind: string; n: number | string }[]) => Object.fromEntries(list.map((r) => [r.kind, Number(r.n)]));
  assert.deepEqual(byKind(counts), byKind(rows));
  assert.equal(Object.values(byKind(rows)).reduce((x, y) => x + y, 0), 200);
});

test('an article taken down through one instance takes no reactions or comments on the other within a second', { skip }, async () => {
  const [, card] = await a.app.content.latest({ limit: 2 });
  const reader = b.client({ 'x-forwarded-for': '198.51.100.90' });
  const reactionUrl = `/api/articles/${card!.id}/reaction`;
  // B has the article in its data cache: a reaction and the thread a moment ago.
  assert.equal((await reader.api('PUT', reactionUrl, { kind: 'LIKE' })).status, 200);
  assert.equal((await reader.get(`/api/articles/${card!.id}/comments`)).status, 200);
  const editor = a.client({ 'x-forwarded-for': '198.51.100.91' });
  await editor.signIn('chief@example.ru', 'пароль-главреда');
  const transition = (action: string) => editor.api('POST', `/api/admin/articles/${card!.id}/transition`, { action });
  try {
    assert.equal((await transition('unpublish')).status, 200);
    assert.ok(await eventually(async () => (await reader.get(reactionUrl)).status === 404), 'B forgets the article within a second');
    assert.equal((await reader.api('PUT', reactionUrl, { kind: 'SAD' })).status, 404);
    assert.equal((await reader.api('POST', '/api/comments', { articleId: card!.id, body: 'После снятия' })).status, 404);
    assert.equal((await reader.get(`/api/articles/${card!.id}/comments`)).status, 404);
  } finally {
    assert.equal((await transition('publish')).status, 200);
  }
});

test('a comment and a vote through one instance show in the thread the other keeps in its data cache within a second', { skip }, async () => {
  const [, , card] = await a.app.content.latest({ limit: 3 });
  const listed = async () => (await b.client().get(`/api/articles/${card!.id}/comments`)).json() as { items: { id: number; up: number }[] };
  await a.app.accounts.createUser({ email: 'commenter@example.ru', password: 'пароль-читателя', displayName: 'Читатель', role: 'reader' });
  const writer = a.client({ 'x-forwarded-for': '198.51.100.92' });
  await writer.signIn('commenter@example.ru', 'пароль-читателя');
  await listed();
  const id = (await writer.api('POST', '/api/comments', { articleId: card!.id, body: 'С другого экземпляра' })).json().id as number;
  assert.ok(await eventually(async () => (await listed()).items.some((c) => c.id === id)), 'B shows the new comment within a second');
  // The first vote on a thread purges it at once (thread-cache.ts).
  const voter = a.client({ 'x-forwarded-for': '198.51.100.93' });
  await voter.csrf();
  assert.equal((await voter.api('PUT', `/api/comments/${id}/vote`, { value: 1 })).status, 200);
  assert.ok(await eventually(async () => (await listed()).items.find((c) => c.id === id)?.up === 1), 'B shows the vote within a second');
});

test('an editor\'s pin through one instance shows first in «Рекомендуем» on the other within a second, and goes with the unpin', { skip }, async () => {
  const cards = await a.app.content.latest({ limit: 40 });
  const pinned = cards.at(-1)!;
  const reader = b.client({ 'x-forwarded-for': '198.51.100.95' });
  const first = async () => ((await reader.get('/api/recommendations')).json().items as { id: number }[])[0]?.id;
  // B keeps the lists every reader shares for 30 s: it has them now.
  assert.notEqual(await first(), pinned.id);
  const editor = a.client({ 'x-forwarded-for': '198.51.100.96' });
  await editor.signIn('chief@example.ru', 'пароль-главреда');
  assert.equal((await editor.submit('/admin/recommended', { article: String(pinned.id) })).status, 303);
  try {
    assert.ok(await eventually(async () => (await first()) === pinned.id), 'B shows the pin within a second');
  } finally {
    assert.equal((await editor.submit('/admin/recommended/unpin', { articleId: String(pinned.id) })).status, 303);
  }
  assert.ok(await eventually(async () => (await first()) !== pinned.id), 'B drops it within a second');
});

test('a scheduled article is published once, whichever instances run the job', { skip }, async () => {
  const tree = await a.app.content.sections();
  const id = await a.app.content.createArticle({ type: 'news', status: 'draft', sectionId: tree.bySlugOf('gorod')!.id, title: 'По расписанию', lead: 'Лид', body: { blocks: [{ type: 'paragraph', data: { text: 'Текст.' } }] }, authorIds: [] });
  await a.database.db.updateTable('articles').set({ status: 'scheduled', scheduled_at: new Date(Date.now() - 1000) }).where('id', '=', id).execute();
  await Promise.all([a.app.jobs.run('newsroom.publishScheduled'), b.app.jobs.run('newsroom.publishScheduled'), a.app.jobs.run('newsroom.publishScheduled'), b.app.jobs.run('newsroom.publishScheduled')]);
  const row = await a.database.db.selectFrom('articles').select(['status']).where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(row.status, 'published');
  const published = await sql<{ n: number }>`select count(*)::int as n from audit_log where entity = 'article' and entity_id = ${id} and action = 'published'`.execute(a.database.db);
  assert.equal(published.rows[0]!.n, 1);
});

test('limits are shared by the instances: the sign-in throttle and the plugin\'s rate limits', { skip }, async () => {
  // Sign-in failures for one account through both instances add up (throttle.ts, in Redis).
  const ip = { 'x-forwarded-for': '192.0.2.55' };
  const wrong = (p: Portal) => p.client(ip).submit('/login', { email: 'chief@example.ru', password: 'не-тот-пароль' });
  for (let i = 0; i < ACCOUNT_RULE.free; i++) assert.equal((await wrong(i % 2 ? a : b)).status, 401);
  assert.equal((await wrong(a)).status, 429);
  assert.equal((await wrong(b)).status, 429);

  // Registrations from one address: 5 in 10 minutes, counted across the instances.
  const from = { 'x-forwarded-for': '192.0.2.77' };
  const register = (p: Portal, i: number) => p.client(from).submit('/register', { email: `new${i}@example.ru`, password: 'длинный-пароль-читателя', displayName: `Читатель ${i}` });
  for (let i = 0; i < 5; i++) assert.ok((await register(i % 2 ? a : b, i)).status < 400);
  assert.equal((await register(a, 5)).status, 429);
  assert.equal((await register(b, 6)).status, 429);
});
