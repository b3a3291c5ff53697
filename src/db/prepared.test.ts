// PREPARED queries: on PostgreSQL a named statement, planned once per connection
// and reused; on PGlite the marker is just a comment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase, PREPARED } from './connection.js';

test('a PREPARED query runs as a named prepared statement on PostgreSQL and as plain SQL on PGlite', async () => {
  const database = await openDatabase({ url: process.env.DATABASE_URL, poolSize: 1 });
  try {
    const statements = await database.db.transaction().execute(async (trx) => {
      for (const n of [1, 2, 3]) {
        const { rows } = await sql<{ m: number }>`${sql.raw(PREPARED)} select ${n}::int + 1 as m`.execute(trx);
        assert.equal(rows[0]!.m, n + 1);
      }
      const plain = await sql<{ m: number }>`select ${5}::int + 1 as m`.execute(trx);
      assert.equal(plain.rows[0]!.m, 6);
      // The connection's prepared statements, seen from the same connection.
      return (await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(trx)).rows;
    });
    if (database.kind === 'postgres') {
      // Three calls, one statement; the plain query left none.
      assert.equal(statements.length, 1, JSON.stringify(statements));
      assert.match(statements[0]!.name, /^gorod_[0-9a-f]{16}$/);
      assert.ok(statements[0]!.statement.startsWith(PREPARED));
    } else {
      assert.equal(statements.length, 0);
    }
  } finally {
    await database.close();
  }
});
