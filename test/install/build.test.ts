// Production runs compiled JavaScript (scripts/build.mjs → dist/), and the build
// finds every source by itself: a module or a migration added tomorrow is in dist/
// on the next start, a removed one is gone, and the compiled code finds its .sql
// files as the sources do. Checked on a copy of the checkout, so the real dist/ and
// src/ are left alone.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { build, isFresh } from '../../scripts/build.mjs';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

function copyCheckout(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-build-'));
  for (const part of ['bin', 'scripts', 'src', 'demo', 'package.json', 'package-lock.json']) fs.cpSync(path.join(root, part), path.join(dir, part), { recursive: true });
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

const walk = (dir: string): string[] => (fs.readdirSync(dir, { recursive: true }) as string[]).map((f) => f.split(path.sep).join('/')).filter((f) => fs.statSync(path.join(dir, f)).isFile());

test('dist/ holds every server source compiled and every other file copied, and gorod runs from it', async () => {
  const dir = copyCheckout();
  try {
    assert.equal(isFresh(dir), false);
    await build({ root: dir, quiet: true });
    assert.equal(isFresh(dir), true);
    const built = new Set(walk(path.join(dir, 'dist')));
    for (const top of ['src', 'demo']) {
      for (const file of walk(path.join(dir, top)).map((f) => `${top}/${f}`)) {
        if (/\.test\.tsx?$|test-helpers\.ts$|\.d\.ts$/.test(file)) {
          assert.ok(!built.has(file.replace(/\.tsx?$/, '.js')), `${file} is a test and stays out`);
        } else if (/\.tsx?$/.test(file) && !file.split('/').includes('client')) {
          assert.ok(built.has(file.replace(/\.tsx?$/, '.js')), `${file} is compiled`);
        } else {
          assert.ok(built.has(file), `${file} is copied as it is`);
        }
      }
    }
    // A migration and a module another change adds: found without touching the build.
    fs.writeFileSync(path.join(dir, 'src/db/migrations/9999_build_probe.sql'), 'create table build_probe (id int);\n');
    fs.mkdirSync(path.join(dir, 'src/modules/probe'));
    fs.writeFileSync(path.join(dir, 'src/modules/probe/service.ts'), 'export const probe: number = 1;\n');
    assert.equal(isFresh(dir), false);
    const dataDir = path.join(dir, 'data');
    const { stdout, stderr } = await run(process.execPath, [path.join(dir, 'bin/gorod.js'), 'migrate'], { cwd: dir, env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' } });
    assert.match(stderr, /compiled \d+ TypeScript files to dist\//);
    assert.match(stdout, /applied: 0000_platform\.sql, .*9999_build_probe\.sql/);
    assert.ok(fs.existsSync(path.join(dir, 'dist/src/modules/probe/service.js')));
    // Removed from the sources, removed from dist/ (a stale migration must not linger).
    fs.rmSync(path.join(dir, 'src/db/migrations/9999_build_probe.sql'));
    await build({ root: dir, quiet: true });
    assert.ok(!fs.existsSync(path.join(dir, 'dist/src/db/migrations/9999_build_probe.sql')));
    assert.ok(fs.existsSync(path.join(dir, 'dist/src/db/migrations/0000_platform.sql')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
