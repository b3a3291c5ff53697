// `npm start` gives the server its Node options (docs/capacity.md, «Memory»), and
// the benchmarks and the local cluster read them from there, so what they measure
// is what a newcomer runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startNodeFlags } from '../../scripts/start-flags.js';

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
