// Several app instances on one PostgreSQL: the scheduled-publication job runs in
// both at the same moment, and the article goes live exactly once (one audit row,
// one event). Only with DATABASE_URL: the embedded database is one process's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from '../../../test/support/portal.js';
import { openDatabase } from '../../db/connection.js';
import { buildApp } from '../../server.js';
import { ManualClock } from '../../platform/clock.js';

const skip = process.env.DATABASE_URL ? false : 'needs DATABASE_URL (PostgreSQL) for two instances';

test('two instances publish a scheduled article once', { skip }, async () => {
  const clock = new ManualClock(new Date());
  const portal = await startPortal({ clock });
  const second = await openDatabase({ url: portal.app.config.databaseUrl, poolSize: 3 });
  const other = await buildApp({ config: portal.app.config, database: second, clock, logger: false });
  try {
    await other.ready();
    const { content } = portal.app;
    const sectionId = (await content.sections()).roots()[0]!.id;
    const id = await content.createArticle({ type: 'news', status: 'draft', sectionId, title: 'Выйдет по расписанию', lead: '', body: { blocks: [] }, authorIds: [] });
    await content.transition(id, 'schedule', { at: new Date(clock.now().getTime() + 60_000) });
    const events: number[] = [];
    for (const app of [portal.app, other]) app.events.on('article.changed', (e) => void events.push(e.articleId));
    clock.advance(61_000);
    await Promise.all([portal.app.jobs.run('newsroom.publishScheduled'), other.jobs.run('newsroom.publishScheduled'), portal.app.jobs.run('newsroom.publishScheduled')]);
    const audit = await portal.database.db.selectFrom('audit_log').select('id').where('entity_id', '=', id).where('action', '=', 'published').execute();
    assert.equal(audit.length, 1);
    assert.deepEqual(events, [id]);
    assert.equal((await content.editable(id))!.status, 'published');
  } finally {
    await other.close();
    await second.close();
    await portal.close();
  }
});
