// `gorod backup` and `gorod restore` as an operator runs them: a populated portal
// (the demo plus a comment, reactions and an upload) is backed up, restored with the
// command into a fresh embedded database, and every table's rows and every uploaded
// file are compared. (Into PostgreSQL: backup-postgres.test.ts; refusals: restore.test.ts.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Portal } from '../../test/support/portal.js';
import { uploadsOf } from '../../test/support/template.js';
import { openDatabase } from './connection.js';
import { BACKUP_FORMAT, type Manifest } from './backup.js';
import { migrationFiles } from './migrator.js';
import { assertSameAsPortal, filesOf, populatedPortal, readManifest, run } from '../../test/support/backup.js';

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
      await assertSameAsPortal(portal, restored, dataDir);
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
  });
});
