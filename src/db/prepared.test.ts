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
      // (The plain query, run twice, is kept prepared too: the next test.)
      const statements = (await sql<{ statement: string }>`select statement from pg_prepared_statements where statement like '/* prepared */%'`.execute(trx)).rows;
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

test('on PostgreSQL a query with parameters is kept prepared from its second run; one run once, or without parameters, is not', async () => {
  const database = await openDatabase({ url: process.env.DATABASE_URL, poolSize: 1 });
  try {
    const statements = await database.db.transaction().execute(async (trx) => {
      for (const n of [1, 2, 3]) assert.equal((await sql<{ twice: number }>`select ${n}::int * 2 as twice`.execute(trx)).rows[0]!.twice, n * 2);
      assert.equal((await sql<{ thrice: number }>`select ${7}::int * 3 as thrice`.execute(trx)).rows[0]!.thrice, 21);
      for (let i = 0; i < 2; i++) assert.equal((await sql<{ constant: number }>`select 4 as constant`.execute(trx)).rows[0]!.constant, 4);
      return (await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(trx)).rows;
    });
    if (database.kind === 'postgres') {
      assert.deepEqual(
        statements.map((s) => s.statement),
        ['select $1::int * 2 as twice'],
      );
      assert.match(statements[0]!.name, /^gorod_[0-9a-f]{16}$/);
    } else {
      assert.equal(statements.length, 0);
    }
  } finally {
    await database.close();
  }
});
