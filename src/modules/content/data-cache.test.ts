// The article page's data (the article, «По теме», the widgets) is kept under the
// page cache: a page-cache miss renders from it without the database, and a purge
// of the article's tag — what every change of it sends — clears it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type Portal } from '../../../test/support/portal.js';

let portal: Portal;
before(async () => {
  portal = await startPortal();
});
after(() => portal.close());

test('a page-cache miss renders from the kept data until a purge of the article', async () => {
  const db = portal.database.db;
  const row = await db.selectFrom('articles').select(['id']).where('status', '=', 'published').orderBy('published_at', 'desc').executeTakeFirstOrThrow();
  const c = portal.client();
  const first = await c.get(`/text/${row.id}/`);
  assert.equal(first.status, 301);
  const url = first.location!;
  const original = await c.get(`${url}?from=first`);
  assert.equal(original.status, 200);

  // Written behind the app's back: nothing purged.
  await db.updateTable('articles').set({ title: 'Заголовок, изменённый в базе' }).where('id', '=', row.id).execute();
  const stillKept = await c.get(`${url}?from=second`);
  assert.equal(stillKept.headers.get('x-cache'), null, 'a new address misses the page cache');
  assert.doesNotMatch(stillKept.text, /Заголовок, изменённый в базе/);

  await portal.app.pageCache.purge([`article:${row.id}`]);
  const fresh = await c.get(`${url}?from=third`);
  assert.match(fresh.text, /<h1[^>]*>Заголовок, изменённый в базе<\/h1>/);
});

test('new comments and reactions show on the next render (their purge clears the widgets)', async () => {
  const db = portal.database.db;
  const row = await db.selectFrom('articles').select(['id']).where('status', '=', 'published').orderBy('published_at', 'asc').executeTakeFirstOrThrow();
  const c = portal.client();
  const url = (await c.get(`/text/${row.id}/`)).location!;
  const before = await c.get(`${url}?w=1`);
  assert.equal(before.status, 200);
  const count = (html: string) => Number(/data-kind="LIKE"[^>]*>[\s\S]*?(\d+)</.exec(html)?.[1] ?? NaN);
  const likes = count(before.text);
  assert.ok(Number.isFinite(likes), 'the reaction bar shows a count');

  await db
    .insertInto('reaction_counts')
    .values({ subject_kind: 'article', subject_id: row.id, kind: 'LIKE', n: likes + 5 })
    .onConflict((oc) => oc.columns(['subject_kind', 'subject_id', 'kind']).doUpdateSet({ n: likes + 5 }))
    .execute();
  assert.equal(count((await c.get(`${url}?w=2`)).text), likes, 'kept until purged');
  await portal.app.pageCache.purge([`article:${row.id}`]);
  assert.equal(count((await c.get(`${url}?w=3`)).text), likes + 5);
});

test('a reader\'s personal list (readerCards) comes from the kept cards, in order, until a purge of the article', async () => {
  const { content } = portal.app;
  const [a, b] = await content.latest({ limit: 2 });
  assert.deepEqual((await content.readerCards([b!.id, 999_999_999, a!.id])).map((c) => c.id), [b!.id, a!.id], 'in the order asked, unknown ids left out');
  await portal.database.db.updateTable('articles').set({ title: 'Карточка, изменённая в базе' }).where('id', '=', a!.id).execute();
  assert.equal((await content.readerCards([a!.id]))[0]!.title, a!.title, 'kept: nothing purged');
  await portal.app.pageCache.purge([`article:${a!.id}`]);
  assert.equal((await content.readerCards([a!.id]))[0]!.title, 'Карточка, изменённая в базе');
});
