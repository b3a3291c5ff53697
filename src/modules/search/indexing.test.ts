// Indexing under load: articles indexed at once never deadlock on the shared word
// list, and articles missing from the index (a restore, a bulk import) are indexed by
// the background job, not at start.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
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
