// `npm start` gives the server its Node options (docs/capacity.md, «Memory»), and
// the benchmarks and the local cluster read them from there, so what they measure
// is what a newcomer runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { startNodeFlags, workerNodeFlags } from '../../scripts/start-flags.js';
import { IMPORT_ENV, IMPORT_NODE_FLAGS } from '../../scripts/import-flags.mjs';

const root = path.resolve(import.meta.dirname, '../..');

test('the start script’s Node options are the server’s: a small young generation, V8 tuned for memory, two helper threads', () => {
  assert.deepEqual(startNodeFlags(root), ['--max-semi-space-size=4', '--optimize-for-size', '--no-allocation-site-pretenuring', '--v8-pool-size=2']);
});

test('the worker script’s Node options are the worker’s: a young generation that holds a send’s mails, the old one grown in small steps, no memory mode', () => {
  assert.deepEqual(workerNodeFlags(root), ['--max-semi-space-size=8', '--heap-growing-percent=15']);
});

test('a start script of another form is an error, not a silent run without the options', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-start-'));
  try {
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ scripts: { start: 'tsx src/main.ts serve' } }));
    assert.throws(() => startNodeFlags(dir), /scripts\.start/);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ scripts: { start: 'node bin/gorod.js serve', worker: 'node bin/gorod.js serve' } }));
    assert.deepEqual(startNodeFlags(dir), []);
    assert.throws(() => workerNodeFlags(dir), /scripts\.worker/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('`gorod import` started without its Node options runs again in a child that has them and its environment (one malloc arena), and ends with its code', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-import-flags-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir, DATABASE_URL: '', SEED_DEMO: 'false', LOG_LEVEL: 'warn' };
    for (const k of Object.keys(IMPORT_ENV)) delete env[k];
    const parent = spawn(process.execPath, [path.join(root, 'bin', 'gorod.js'), 'import', 'wordpress', path.join(dir, 'missing.xml')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    parent.stderr.on('data', (d: Buffer) => (err += d));
    // The child's command line and environment, read from /proc while it lives.
    const seen = new Set<string>();
    const environments = new Map<string, string[]>();
    const poll = setInterval(() => {
      try {
        for (const pid of fs.readFileSync(`/proc/${parent.pid}/task/${parent.pid}/children`, 'utf8').split(' ').filter(Boolean)) {
          const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
          seen.add(cmdline);
          environments.set(cmdline, fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0'));
        }
      } catch {
        // the parent is gone
      }
    }, 5);
    const code = await new Promise<number | null>((resolve) => parent.on('exit', resolve));
    clearInterval(poll);
    // (Between fork and exec a child shows its parent's command line: any sample with the options will do.)
    const withFlags = [...seen].filter((c) => c.includes('gorod.js import wordpress') && IMPORT_NODE_FLAGS.every((f) => c.includes(f)));
    assert.equal(withFlags.length, 1, `a child ran the import with ${IMPORT_NODE_FLAGS.join(' ')}: ${[...seen].join(' / ')}`);
    for (const [k, v] of Object.entries(IMPORT_ENV)) assert.ok(environments.get(withFlags[0]!)?.includes(`${k}=${v}`), `the child's environment has ${k}=${v}`);
    // The child's verdict is the command's: a missing file is an error, said on stderr.
    assert.notEqual(code, 0);
    assert.match(err, /missing\.xml/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
