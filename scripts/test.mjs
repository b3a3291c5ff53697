#!/usr/bin/env node
// `npm test`: builds the demo template once (see test/support/template.ts), runs
// every *.test.ts(x) under src/ and test/ with Node's test runner, then cleans up.
// With DATABASE_URL every test portal gets a fresh database on that server; with
// REDIS_URL the multi-instance tests run too.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const runId = `${process.pid}_${Date.now().toString(36)}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gorod-template-`));
const filter = process.argv.slice(2);

function findTests(folder) {
  if (!fs.existsSync(folder)) return [];
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findTests(full);
    return /\.test\.tsx?$/.test(entry.name) ? [path.relative(root, full)] : [];
  });
}

let files = [...findTests(path.join(root, 'src')), ...findTests(path.join(root, 'test'))].sort();
if (filter.length) files = files.filter((f) => filter.some((x) => f.includes(x)));

const database = process.env.DATABASE_URL ? `PostgreSQL (${new URL(process.env.DATABASE_URL).host})` : 'PGlite (embedded)';
console.log(`# gorod tests on ${database}${process.env.REDIS_URL ? ' + Redis' : ''}: ${files.length} files`);

const made = spawnSync(process.execPath, ['--import', 'tsx', 'test/support/make-template.ts', dir, runId], { cwd: root, stdio: 'inherit' });
let status = made.status ?? 1;
if (status === 0) {
  const env = { ...process.env, GOROD_TEST_TEMPLATE: path.join(dir, 'template.json') };
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', ...files], { cwd: root, stdio: 'inherit', env });
  status = run.status ?? 1;
}
if (process.env.DATABASE_URL) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query(`drop database if exists gorod_tpl_${runId} with (force)`).catch(() => {});
  await client.end();
}
fs.rmSync(dir, { recursive: true, force: true });
process.exit(status);
