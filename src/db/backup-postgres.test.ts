// `gorod restore` into an empty PostgreSQL database (runs with DATABASE_URL, as in
// CI's second run, where the portal backed up is on PostgreSQL too).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Portal } from '../../test/support/portal.js';
import { adminQuery, withDatabase } from '../../test/support/template.js';
import { openDatabase } from './connection.js';
import { assertSameAsPortal, populatedPortal, run } from '../../test/support/backup.js';

const onServer = !!process.env.DATABASE_URL;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-backup-pg-test-'));
const archive = path.join(work, 'portal.tar.gz');
let portal: Portal | undefined;

before(async () => {
  if (onServer) ({ portal } = await populatedPortal(archive));
});
after(async () => {
  await portal?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

test('`gorod restore` into an empty PostgreSQL database gives the same rows and files', { skip: !onServer && 'needs DATABASE_URL' }, async () => {
  const name = `gorod_restore_${crypto.randomBytes(4).toString('hex')}`;
  await adminQuery(process.env.DATABASE_URL!, `create database ${name}`);
  const url = withDatabase(process.env.DATABASE_URL!, name);
  const dataDir = fs.mkdtempSync(path.join(work, 'pg-'));
  try {
    const res = run(['restore', archive], { DATA_DIR: dataDir, DATABASE_URL: url });
    assert.equal(res.status, 0, res.stderr);
    const restored = await openDatabase({ url, poolSize: 2 });
    try {
      await assertSameAsPortal(portal!, restored, dataDir);
    } finally {
      await restored.close();
    }
  } finally {
    await adminQuery(process.env.DATABASE_URL!, `drop database if exists ${name} with (force)`);
  }
});
