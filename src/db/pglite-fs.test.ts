// The embedded database's folder (src/db/pglite-fs.ts): one made before this file
// system existed, by PGlite's own NodeFS, opens with its rows; a new one is made in
// that same folder layout, with the portal's settings, and PGlite's NodeFS opens it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { openDatabase } from './connection.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-pglite-fs-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

test('a database folder made by PGlite itself (an existing install) opens with its rows', async () => {
  const dir = path.join(work, 'made-by-pglite');
  const made = await PGlite.create({ dataDir: dir });
  await made.exec(`create table kept (word text); insert into kept values ('мост')`);
  await made.close();

  const database = await openDatabase({ pgliteDir: dir });
  try {
    const { rows } = await sql<{ word: string }>`select word from kept`.execute(database.db);
    assert.deepEqual(rows, [{ word: 'мост' }]);
  } finally {
    await database.close();
  }
});

test('a new database is made in its folder with the portal settings, and PGlite itself opens it', async () => {
  const dir = path.join(work, 'made-here');
  const database = await openDatabase({ pgliteDir: dir });
  try {
    await sql`create table kept (word text)`.execute(database.db);
    await sql`insert into kept values ('трамвай')`.execute(database.db);
  } finally {
    await database.close();
  }
  // Postgres's own files at the folder's top, as PGlite's NodeFS lays them out.
  assert.ok(fs.existsSync(path.join(dir, 'PG_VERSION')));
  // initdb ran with the portal's settings (src/db/connection.ts): they are in the configuration it wrote.
  assert.match(fs.readFileSync(path.join(dir, 'postgresql.conf'), 'utf8'), /^shared_buffers = 32MB/m);

  const reopened = await PGlite.create({ dataDir: dir });
  try {
    assert.deepEqual((await reopened.query('select word from kept')).rows, [{ word: 'трамвай' }]);
  } finally {
    await reopened.close();
  }
});
