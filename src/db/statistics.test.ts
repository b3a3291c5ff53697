// PGlite has no autovacuum, so the portal gathers the planner's statistics itself
// (the `db.analyze` job, server.tsx): once it is up, then hourly. Without them the
// planner guesses (see server.tsx).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startPortal } from '../../test/support/portal.js';
import { waitFor } from '../../test/support/processes.js';

const skip = process.env.DATABASE_URL ? 'PostgreSQL: its autovacuum gathers them' : false;

test('on the embedded database the planner has fresh statistics once the portal is up, and the job refreshes them', { skip }, async () => {
  const startedAt = new Date();
  const portal = await startPortal();
  try {
    const lastAnalyze = async () => {
      const { rows } = await sql<{ at: Date | null }>`select last_analyze as at from pg_stat_user_tables where relname = 'articles'`.execute(portal.database.db);
      return rows[0]?.at ?? null;
    };
    await waitFor('the articles table to be analyzed after the start', async () => ((await lastAnalyze())?.getTime() ?? 0) >= startedAt.getTime(), 20_000);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stats where tablename = 'articles'`.execute(portal.database.db);
    assert.ok(rows[0]!.n > 0, 'column statistics of the articles table');
    const first = (await lastAnalyze())!;
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(await portal.app.jobs.run('db.analyze'), true);
    assert.ok((await lastAnalyze())! > first, 'the hourly job analyzes again');
  } finally {
    await portal.close();
  }
});
