// `gorod backup` and `gorod restore` as an operator runs them: a populated portal
// (the demo plus a comment, reactions and an upload) is backed up, restored with the
// command into a fresh database — embedded, and PostgreSQL when DATABASE_URL is set —
// and every table's rows and every uploaded file are compared.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Portal } from '../../test/support/portal.js';
import { adminQuery, uploadsOf, withDatabase } from '../../test/support/template.js';
import { openDatabase, type Database } from './connection.js';
import { BACKUP_FORMAT, restore, type Manifest } from './backup.js';
import { migrationFiles } from './migrator.js';
import { filesOf, populatedPortal, readManifest, rowsOf, run } from './backup-test-helpers.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-backup-test-'));
const archive = path.join(work, 'portal.tar.gz');
let portal: Portal;
let manifest: Manifest;

before(async () => {
  ({ portal, manifest } = await populatedPortal(archive));
});
after(async () => {
  await portal.close();
  fs.rmSync(work, { recursive: true, force: true });
});

async function assertSameAsPortal(restored: Database, dataDir: string) {
  const [want, got] = [await rowsOf(portal.database), await rowsOf(restored)];
  assert.deepEqual(Object.keys(got), Object.keys(want));
  for (const table of Object.keys(want)) assert.deepEqual(got[table], want[table], table);
  assert.ok(want.comments!.some((r) => r.includes('Наконец-то сквер')), 'the comment is there');
  assert.ok(want.reactions!.length >= 2 && want.images!.some((r) => r.includes('Новый сквер')), 'reactions and the upload are there');
  const files = filesOf(uploadsOf(dataDir));
  assert.deepEqual(files, filesOf(uploadsOf(portal.dataDir)));
  assert.ok(Object.keys(files).length > 10, 'the demo images and the upload');
  // Sequences continue after the restored ids: new rows do not collide.
  for (const table of ['users', 'comments', 'images', 'articles', 'reactions']) {
    const { rows } = await sql<{ next: number; max: number }>`select nextval(pg_get_serial_sequence(${table}, 'id'))::int as next, (select max(id)::int from ${sql.id(table)}) as max`.execute(restored.db);
    assert.ok(rows[0]!.next > rows[0]!.max, `${table}: next id ${rows[0]!.next} after ${rows[0]!.max}`);
  }
}

describe('backup and restore', () => {
  test('the archive holds a manifest, every table and every upload', () => {
    assert.equal(manifest.format, BACKUP_FORMAT);
    assert.deepEqual(manifest.migrations, migrationFiles());
    assert.ok(manifest.tables.find((t) => t.name === 'comments')!.rows >= 1);
    assert.equal(manifest.uploads.files, Object.keys(filesOf(uploadsOf(portal.dataDir))).length);
    assert.ok(!manifest.tables.some((t) => t.name === 'schema_migrations'));
  });

  test('`gorod restore` into a fresh embedded database gives the same rows and files; `gorod backup` of it the same counts', async () => {
    const dataDir = fs.mkdtempSync(path.join(work, 'pglite-'));
    const res = run(['restore', archive], { DATA_DIR: dataDir });
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /^restored from .*portal\.tar\.gz .*: \d+ rows in \d+ tables, \d+ uploaded files\n$/);
    // Not a terminal: plain progress lines, one per step, then the total.
    assert.match(res.stderr, /^restore: articles$/m);
    assert.match(res.stderr, /^restore: uploads$/m);
    assert.match(res.stderr, /^restore: (\d+) of \1 rows and files$/m);

    const restored = await openDatabase({ pgliteDir: path.join(dataDir, 'pglite') });
    try {
      await assertSameAsPortal(restored, dataDir);
    } finally {
      await restored.close();
    }

    const again = path.join(work, 'again.tar.gz');
    const made = run(['backup', again], { DATA_DIR: dataDir });
    assert.equal(made.status, 0, made.stderr);
    assert.match(made.stdout, /^backup written to .*again\.tar\.gz: /);
    const second = await readManifest(again);
    assert.deepEqual(second.tables, manifest.tables);
    assert.deepEqual(second.uploads, manifest.uploads);

    // A database with data is refused unless the operator says --force.
    const target = await openDatabase({ pgliteDir: path.join(dataDir, 'pglite') });
    try {
      await assert.rejects(restore(target, uploadsOf(dataDir), archive), /^BackupError: the database is not empty \(.*\): restore into an empty one, or add --force to replace everything in it$/);
      await target.db.insertInto('settings').values({ key: 'extra', value: 'gone after --force' }).execute();
      await restore(target, uploadsOf(dataDir), archive, { force: true });
      await assertSameAsPortal(target, dataDir);
    } finally {
      await target.close();
    }
  });

  test('`gorod restore` into an empty PostgreSQL database gives the same rows and files', { skip: !process.env.DATABASE_URL && 'needs DATABASE_URL' }, async () => {
    const name = `gorod_restore_${crypto.randomBytes(4).toString('hex')}`;
    await adminQuery(process.env.DATABASE_URL!, `create database ${name}`);
    const url = withDatabase(process.env.DATABASE_URL!, name);
    const dataDir = fs.mkdtempSync(path.join(work, 'pg-'));
    try {
      const res = run(['restore', archive], { DATA_DIR: dataDir, DATABASE_URL: url });
      assert.equal(res.status, 0, res.stderr);
      const restored = await openDatabase({ url, poolSize: 2 });
      try {
        await assertSameAsPortal(restored, dataDir);
      } finally {
        await restored.close();
      }
    } finally {
      await adminQuery(process.env.DATABASE_URL!, `drop database if exists ${name} with (force)`);
    }
  });
});
