// Indexing under load: articles indexed at once never deadlock on the shared word
// list, and articles missing from the index (a restore, a bulk import) are indexed by
// the background job, not at start.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startPortal, type Portal } from '../../../test/support/portal.js';

let portal: Portal;
before(async () => {
  portal = await startPortal();
});
after(() => portal.close());

const publishedIds = async () => (await portal.database.db.selectFrom('articles').select('id').where('status', '=', 'published').execute()).map((r) => r.id);

test('every article indexed at once, three times over: no deadlock on the word list', async () => {
  const ids = await publishedIds();
  // New words take locks (known ones do not): start from an empty word list.
  await portal.database.db.deleteFrom('search_words').execute();
  // Each article's words in a different order would make two transactions wait on
  // each other's rows of search_words (PostgreSQL reports a deadlock and fails one).
  await Promise.all([...ids, ...ids.reverse(), ...ids].map((id) => portal.app.articleSearch.index(id)));
  const { n } = await portal.database.db.selectFrom('search_documents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  assert.equal(Number(n), ids.length);
  const words = await portal.database.db.selectFrom('search_words').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  assert.ok(Number(words.n) > 1000, 'the word list is filled again');
});

test('articles missing from the index are indexed by the search.backfill job', async () => {
  const ids = await publishedIds();
  await portal.database.db.deleteFrom('search_documents').where('article_id', 'in', ids.slice(0, 10)).execute();
  assert.equal((await portal.client().get('/api/search?q=снег')).status, 200);
  assert.equal(await portal.app.jobs.run('search.backfill'), true);
  const { n } = await portal.database.db.selectFrom('search_documents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  assert.equal(Number(n), ids.length);
});

test('a batch indexes many articles as one by one would, drops an unpublished one, and a batched change waits for its batch', async () => {
  const search = portal.app.articleSearch;
  const db = portal.database.db;
  // In id order, as `documents` lists them (PostgreSQL returns the published ones in no set order).
  const ids = (await publishedIds()).sort((x, y) => x - y).slice(0, 30);
  const documents = () =>
    db.selectFrom('search_documents').select(['article_id', 'section_id', 'type', 'author_ids', 'published_at', 'title', 'lead', 'body', sql<string>`document::text`.as('document')]).where('article_id', 'in', ids).orderBy('article_id').execute();
  for (const id of ids) await search.index(id);
  const oneByOne = await documents();
  assert.equal(oneByOne.length, ids.length);
  await db.deleteFrom('search_documents').where('article_id', 'in', ids).execute();
  await search.indexMany(ids);
  assert.deepEqual(await documents(), oneByOne);

  // An article no longer published leaves the index with its batch.
  const [draft, waiting] = ids as [number, number];
  await db.updateTable('articles').set({ status: 'draft' }).where('id', '=', draft).execute();
  try {
    await search.indexMany(ids);
    assert.deepEqual((await documents()).map((d) => d.article_id), ids.slice(1));
  } finally {
    await db.updateTable('articles').set({ status: 'published' }).where('id', '=', draft).execute();
  }

  // One of a bulk write's articles (`batched`) is indexed when its batch is announced.
  await db.deleteFrom('search_documents').where('article_id', '=', waiting).execute();
  await portal.app.events.emit('article.changed', { articleId: waiting, action: 'updated', batched: true });
  assert.equal((await documents()).some((d) => d.article_id === waiting), false);
  await portal.app.events.emit('articles.changed', { articleIds: [draft, waiting] });
  assert.deepEqual((await documents()).map((d) => d.article_id), ids);
});
