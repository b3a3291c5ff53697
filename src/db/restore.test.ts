// What `gorod restore` refuses: missing, damaged, foreign or newer archives, each
// with one clear message, and nothing written to the database or the uploads.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import type { Portal } from '../../test/support/portal.js';
import { uploadsOf } from '../../test/support/template.js';
import { openDatabase, type Database } from './connection.js';
import { backup, BackupError, BACKUP_VERSION, bodyOf, FILLED_FROM_THE_START, restore, type Manifest } from './backup.js';
import { archiveOf, assertSameAsPortal, filesOf, populatedPortal, rowsOf, run } from '../../test/support/backup.js';

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

  // A timeout of its own: a restore that waits forever fails here, not at the file's limit.
  test('damaged, foreign or newer archives, with a message and nothing written', { timeout: 120_000 }, async () => {
    const full = fs.readFileSync(archive);
    const cases: [string, Buffer, RegExp][] = [
      ['missing', Buffer.alloc(0), /^no such backup file: /],
      ['random', crypto.randomBytes(4096), /^the backup is damaged or not a Gorod backup \(/],
      // Cut in the manifest, the rows and the uploads: every cut is an error, never a wait.
      ...[0.001, 0.05, 0.2, 0.4, 0.6, 0.8, 0.95].map((share): [string, Buffer, RegExp] => [`truncated at ${share}`, full.subarray(0, Math.floor(full.length * share)), /^the backup is damaged/]),
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
    // The truncated archives failed part-way through their rows: none of them stayed
    // (beside the rows an empty portal has from the start).
    assert.deepEqual(Object.entries(await rowsOf(target)).filter(([t, r]) => r.length && !FILLED_FROM_THE_START.includes(t)).map(([t]) => t), []);
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

  test('an entry a damaged archive destroyed before it was read is an error, not a wait', { timeout: 10_000 }, async () => {
    // The gzip error can land while restore awaits between taking an entry and reading it.
    const pack = tar.pack();
    pack.entry({ name: 'uploads/cut.bin', size: 4096 }, Buffer.alloc(4096, 7));
    pack.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of pack) chunks.push(chunk as Buffer);
    const tarBytes = Buffer.concat(chunks);
    const extract = tar.extract();
    const entries = extract[Symbol.asyncIterator]();
    extract.write(tarBytes.subarray(0, 512 + 1000));
    const { value: entry } = await entries.next();
    extract.destroy(new Error('unexpected end of file'));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(entry.destroyed, true);
    await assert.rejects(pipeline(bodyOf(entry), new Writable({ write: (_chunk, _enc, done) => done() })), /destroyed/);
  });

  test('a backup into a folder that does not exist', async () => {
    await assert.rejects(backup(target, uploadsOf(dataDir), path.join(work, 'no', 'such', 'dir.tar.gz')), /^BackupError: no such folder: /);
  });
});

