// PGlite runs queries on the portal's own thread. A request's queries, one after
// another, must still let the event loop turn between them, or requests waiting on
// their sockets are not read until the run ends (the p99 of seconds under load that
// db/connection.ts explains).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase } from './connection.js';

test('the event loop turns between one borrower’s queries on PGlite', async () => {
  const database = await openDatabase({});
  try {
    let done = 0;
    let turnedAfter = -1;
    setImmediate(() => (turnedAfter = done));
    for (let i = 0; i < 20; i++) {
      await sql`select ${i}::int as n`.execute(database.db);
      done++;
    }
    assert.ok(turnedAfter >= 0 && turnedAfter < 20, `the loop turned after ${turnedAfter} of 20 queries`);
  } finally {
    await database.close();
  }
});
