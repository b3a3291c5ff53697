// What `gorod restore` refuses: missing, damaged, foreign or newer archives, each
// with one clear message, and nothing written to the database or the uploads.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Portal } from '../../test/support/portal.js';
import { uploadsOf } from '../../test/support/template.js';
import { openDatabase, type Database } from './connection.js';
import { backup, BackupError, BACKUP_VERSION, restore, type Manifest } from './backup.js';
import { archiveOf, assertSameAsPortal, filesOf, populatedPortal, rowsOf, run } from './backup-test-helpers.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-restore-test-'));
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

describe('the command', () => {
  test('a damaged archive is one clear line on stderr and exit code 1, no stack trace', () => {
    const dataDir = fs.mkdtempSync(path.join(work, 'bad-'));
    const file = path.join(work, 'random.tar.gz');
    fs.writeFileSync(file, crypto.randomBytes(4096));
    const res = run(['restore', file], { DATA_DIR: dataDir });
    assert.equal(res.status, 1, res.stderr);
    assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
    assert.match(res.stderr.trim(), /^gorod: the backup is damaged or not a Gorod backup \(/);
  });
});

describe('restore refuses', () => {
  let target: Database;
  let dataDir: string;
  before(async () => {
    target = await openDatabase({});
    dataDir = fs.mkdtempSync(path.join(work, 'refuse-'));
  });
  after(() => target.close());

  test('damaged, foreign or newer archives, with a message and nothing written', async () => {
    const cases: [string, Buffer, RegExp][] = [
      ['missing', Buffer.alloc(0), /^no such backup file: /],
      ['random', crypto.randomBytes(4096), /^the backup is damaged or not a Gorod backup \(/],
      ['truncated', fs.readFileSync(archive).subarray(0, Math.floor(fs.statSync(archive).size * 0.6)), /^the backup is damaged/],
      ['not ours', await archiveOf({ 'readme.txt': 'hello' }), /^not a Gorod backup: manifest\.json is not its first file$/],
      ['bad manifest', await archiveOf({ 'manifest.json': '{"format":' }), /^not a Gorod backup: its manifest\.json is not JSON$/],
      ['newer schema', await archiveOf({ 'manifest.json': JSON.stringify({ ...manifest, migrations: [...manifest.migrations, '9999_future.sql'] }) }), /^the backup is from a newer version of Gorod \(migrations 9999_future\.sql are unknown here\): upgrade Gorod first$/],
      ['newer format', await archiveOf({ 'manifest.json': JSON.stringify({ ...manifest, version: BACKUP_VERSION + 1 }) }), /^the backup is format 2; this version of Gorod reads format 1 and older/],
      ['rows missing', await archiveOf({ 'manifest.json': JSON.stringify(manifest), 'tables/users.jsonl': '' }), /^the backup is damaged: users has 0 rows, its manifest says \d+$/],
      ['outside uploads', await archiveOf({ 'manifest.json': JSON.stringify({ ...manifest, tables: [] }), 'uploads/../../evil.txt': 'x' }), /^not a Gorod backup: it holds a file outside uploads/],
    ];
    for (const [what, bytes, message] of cases) {
      const file = path.join(work, `${what.replace(/ /g, '-')}.tar.gz`);
      if (bytes.length) fs.writeFileSync(file, bytes);
      await assert.rejects(restore(target, uploadsOf(dataDir), file), (err: Error) => {
        assert.ok(err instanceof BackupError, `${what}: ${err.stack}`);
        assert.match(err.message, message, what);
        return true;
      });
    }
    // The truncated archive failed part-way through its rows: none of them stayed.
    assert.deepEqual(Object.entries(await rowsOf(target)).filter(([, r]) => r.length).map(([t]) => t), []);
    assert.deepEqual(filesOf(uploadsOf(dataDir)), {});
    assert.equal(fs.existsSync(`${uploadsOf(dataDir)}.restoring`), false);
    assert.equal(fs.existsSync(path.join(work, 'evil.txt')), false);
  });

  test('a database with rows: refused without --force, replaced with it', async () => {
    await restore(target, uploadsOf(dataDir), archive);
    await assertSameAsPortal(portal, target, dataDir);
    await assert.rejects(restore(target, uploadsOf(dataDir), archive), /^BackupError: the database is not empty \(.*\): restore into an empty one, or add --force to replace everything in it$/);
    await target.db.insertInto('settings').values({ key: 'extra', value: 'gone after --force' }).execute();
    fs.writeFileSync(path.join(uploadsOf(dataDir), 'stray.txt'), 'gone after --force');
    await restore(target, uploadsOf(dataDir), archive, { force: true });
    await assertSameAsPortal(portal, target, dataDir);
  });

  test('a backup into a folder that does not exist', async () => {
    await assert.rejects(backup(target, uploadsOf(dataDir), path.join(work, 'no', 'such', 'dir.tar.gz')), /^BackupError: no such folder: /);
  });
});

