// PREPARED queries: on PostgreSQL a named statement, planned once per connection
// and reused; on PGlite the marker is just a comment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { openDatabase, PREPARED, runPrepared } from './connection.js';

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

test('runPrepared runs a query built with Kysely as a PREPARED one, with the same rows', async () => {
  const database = await openDatabase({ url: process.env.DATABASE_URL, poolSize: 1 });
  try {
    await database.db.transaction().execute(async (trx) => {
      // A system catalogue: the database is not migrated here.
      const catalogue = trx as unknown as Kysely<Record<string, { nspname: string }>>;
      const query = (from: string) => catalogue.selectFrom('pg_catalog.pg_namespace').select('nspname').where('nspname', '>=', from).orderBy('nspname');
      for (const from of ['a', 'i', 'pg_c']) {
        const rows = await runPrepared(trx, query(from));
        assert.ok(rows.length > 0);
        assert.deepEqual(rows, await query(from).execute());
      }
      const statements = (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(trx)).rows;
      if (database.kind === 'postgres') {
        // Three calls with different values, one statement.
        assert.equal(statements.length, 1, JSON.stringify(statements));
        assert.match(statements[0]!.statement, /^\/\* prepared \*\/ select "nspname" from "pg_catalog"\."pg_namespace"/);
      } else {
        assert.equal(statements.length, 0);
      }
    });
  } finally {
    await database.close();
  }
});
