// The demo portal's discussions (demo/comments.ts): the test template is built
// without them, so this loads them into a copy and looks at what a visitor sees.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type Portal } from '../support/portal.js';
import { seedDemoComments } from '../../demo/comments.js';

let portal: Portal;
let seeded: { comments: number; articles: number };
before(async () => {
  portal = await startPortal();
  seeded = await seedDemoComments(portal.app);
});
after(() => portal.close());

test('most demo articles have threads with replies and votes; home cards show counts and «Самое обсуждаемое» has data', async () => {
  const total = (await portal.app.content.latest({ limit: 200 })).length;
  assert.ok(seeded.articles >= total / 2, `${seeded.articles} of ${total} articles discussed`);
  const db = portal.database.db;
  const replies = await db.selectFrom('comments').select('id').where('parent_id', 'is not', null).where('status', '=', 'approved').execute();
  assert.ok(replies.length >= 20, `${replies.length} replies`);
  const votes = await db.selectFrom('comment_votes').select('comment_id').execute();
  assert.ok(votes.length >= 50, `${votes.length} votes`);
  const voted = await db.selectFrom('comments').select(['up', 'down']).where((eb) => eb.or([eb('up', '>', 0), eb('down', '>', 0)])).execute();
  assert.ok(voted.length > 0);

  const home = (await portal.client().get('/')).text;
  assert.match(home, /<span class="card__comments">\d+ комментари/);
  const discussed = home.slice(home.indexOf('id="discussed-title"'));
  assert.ok(home.includes('id="discussed-title"'), 'the «Самое обсуждаемое» block is on the home page');
  assert.match(discussed.slice(0, 3000), /Самое обсуждаемое[\s\S]*\d+ комментари/);
});

test('held and reported demo comments wait in the moderators’ queue', async () => {
  const queue = await portal.app.moderation.queue('comment');
  assert.equal(queue.filter((q) => q.held).length, 3);
  assert.equal(queue.filter((q) => !q.held && q.reports.length > 0).length, 2);
  const article = (await portal.app.content.latest({ limit: 1 }))[0]!;
  const page = (await portal.client().get(article.url)).text;
  assert.doesNotMatch(page, /Лучшее казино города/);
  assert.match(page, /Продаю гараж недорого/);
});
