// `npm start` gives the server its Node options (docs/capacity.md, «Memory»), and
// the benchmarks and the local cluster read them from there, so what they measure
// is what a newcomer runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { startNodeFlags } from '../../scripts/start-flags.js';
import { IMPORT_NODE_FLAGS } from '../../scripts/import-flags.mjs';

const root = path.resolve(import.meta.dirname, '../..');

test('the start script’s Node options are the server’s: a small young generation, V8 tuned for memory', () => {
  assert.deepEqual(startNodeFlags(root), ['--max-semi-space-size=4', '--optimize-for-size']);
});

test('a start script of another form is an error, not a silent run without the options', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-start-'));
  try {
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ scripts: { start: 'tsx src/main.ts serve' } }));
    assert.throws(() => startNodeFlags(dir), /scripts\.start/);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ scripts: { start: 'node bin/gorod.js serve' } }));
    assert.deepEqual(startNodeFlags(dir), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('`gorod import` started without its Node options runs again in a child that has them, and ends with its code', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-import-flags-'));
  try {
    const parent = spawn(process.execPath, [path.join(root, 'bin', 'gorod.js'), 'import', 'wordpress', path.join(dir, 'missing.xml')], { env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '', SEED_DEMO: 'false', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    parent.stderr.on('data', (d: Buffer) => (err += d));
    // The child's command line, read from /proc while it lives.
    const seen = new Set<string>();
    const poll = setInterval(() => {
      try {
        for (const pid of fs.readFileSync(`/proc/${parent.pid}/task/${parent.pid}/children`, 'utf8').split(' ').filter(Boolean)) seen.add(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '));
      } catch {
        // the parent is gone
      }
    }, 5);
    const code = await new Promise<number | null>((resolve) => parent.on('exit', resolve));
    clearInterval(poll);
    // (Between fork and exec a child shows its parent's command line: any sample with the options will do.)
    const withFlags = [...seen].filter((c) => c.includes('gorod.js import wordpress') && IMPORT_NODE_FLAGS.every((f) => c.includes(f)));
    assert.equal(withFlags.length, 1, `a child ran the import with ${IMPORT_NODE_FLAGS.join(' ')}: ${[...seen].join(' / ')}`);
    // The child's verdict is the command's: a missing file is an error, said on stderr.
    assert.notEqual(code, 0);
    assert.match(err, /missing\.xml/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
