// The `gorod` command as an operator meets it: clear one-line errors, exit codes,
// a graceful stop that lets requests in flight finish.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const gorod = path.join(root, 'bin', 'gorod.js');
const env = (extra: Record<string, string>) => {
  const e: Record<string, string> = { ...(process.env as Record<string, string>), ...extra };
  delete e.DATABASE_URL;
  delete e.REDIS_URL;
  return { ...e, ...extra };
};
// The lines an operator reads: a first run after an edit prints dist/'s rebuild first (bin/gorod.js).
const problemLines = (stderr: string) => stderr.trim().split('\n').filter((l) => !/^gorod: compiled \d+ TypeScript files/.test(l));

test('a bad DATABASE_URL is one clear line and a non-zero exit, no stack trace', () => {
  const res = spawnSync(process.execPath, [gorod, 'migrate'], { env: env({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }), encoding: 'utf8' });
  assert.notEqual(res.status, 0);
  const lines = problemLines(res.stderr);
  assert.equal(lines.length, 1, res.stderr);
  assert.match(lines[0]!, /^gorod: cannot connect to DATABASE_URL/);
  assert.doesNotMatch(res.stderr, /at .*\.ts:\d+/);
});

test('configuration mistakes are listed one per line with exit code 2', () => {
  const res = spawnSync(process.execPath, [gorod, 'serve'], { env: env({ PORT: 'x', SITE_TIMEZONE: 'Nowhere/City' }), encoding: 'utf8' });
  assert.equal(res.status, 2);
  const lines = problemLines(res.stderr);
  assert.equal(lines.length, 2);
  assert.ok(lines.every((l) => l.startsWith('gorod: ')));
});

test('`gorod migrate` applies the migrations once; `gorod user create` makes an admin', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-cli-'));
  try {
    const e = env({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const first = spawnSync(process.execPath, [gorod, 'migrate'], { env: e, encoding: 'utf8' });
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /applied: 0000_platform.sql/);
    const second = spawnSync(process.execPath, [gorod, 'migrate'], { env: e, encoding: 'utf8' });
    assert.match(second.stdout, /nothing to apply/);
    const user = spawnSync(process.execPath, [gorod, 'user', 'create', '--email', 'chief@example.ru', '--role', 'admin'], { env: e, encoding: 'utf8' });
    assert.equal(user.status, 0, user.stderr);
    assert.match(user.stdout, /created admin chief@example.ru/);
    assert.match(user.stdout, /password: \S{12,}/);
    const bad = spawnSync(process.execPath, [gorod, 'user', 'create', '--email', 'x@example.ru', '--role', 'king'], { env: e, encoding: 'utf8' });
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /unknown role king/);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('SIGTERM lets a request in flight finish, then exits 0', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-stop-'));
  const child = spawn(process.execPath, [gorod, 'serve'], { env: env({ DATA_DIR: dataDir, PORT: '0', SEED_DEMO: 'false', LOG_LEVEL: 'info' }), stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '';
    const seen = (pattern: RegExp) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const check = () => {
          const m = pattern.exec(out);
          if (m) resolve(m);
        };
        child.stdout.on('data', (d: Buffer) => {
          out += d;
          check();
        });
        child.on('exit', () => reject(new Error(`exited early: ${out}`)));
        check();
      });
    const port = Number((await seen(/"msg":"Server listening at http:\/\/127\.0\.0\.1:(\d+)"/))[1]);
    // The home page's first render on a cold server; the signal comes once the
    // server has logged that the request arrived.
    const inFlight = fetch(`http://127.0.0.1:${port}/`);
    await seen(/"msg":"incoming request"/);
    child.kill('SIGTERM');
    const res = await inFlight;
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<html/);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0);
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
