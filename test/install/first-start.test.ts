// A newcomer's `npm start` on an empty DATA_DIR, as a real process: progress while
// the demo is made (plain lines here, where stderr is a pipe), then the demo admin
// account as a few plain lines — not only inside a JSON log line — and the same
// password in DATA_DIR/demo-admin.txt. The serving process runs compiled JavaScript
// with no process beside it: neither the TypeScript loader's esbuild service nor
// the demo loader (a child that has exited). The two together stay within 600 MB.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { freePort } from '../../bench/portal.js';
import { treeResident } from '../../bench/resident.js';

const root = path.resolve(import.meta.dirname, '../..');

function start(dataDir: string, port: number) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO: 'true', LOG_LEVEL: 'info' };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'PUBLIC_URL', 'SECRET']) delete env[name];
  const proc = spawn(process.execPath, [path.join(root, 'bin/gorod.js'), 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  proc.stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const exited = new Promise((r) => proc.once('exit', r));
  return {
    proc,
    out,
    async ready() {
      for (;;) {
        if (proc.exitCode !== null) throw new Error(`gorod exited with ${proc.exitCode}:\n${out.stderr}`);
        const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok).catch(() => false);
        if (ok) return;
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    async stop() {
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** The processes whose parent is pid (from /proc/*\/stat). */
function childrenOf(pid: number): string[] {
  return fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)).flatMap((n) => {
    try {
      const stat = fs.readFileSync(`/proc/${n}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid ? [fs.readFileSync(`/proc/${n}/cmdline`, 'utf8').replace(/\0/g, ' ')] : [];
    } catch {
      return [];
    }
  });
}

test('the first start shows its progress and the demo admin account; a restart shows neither', { timeout: 1_500_000 }, async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-first-start-'));
  try {
    const port = await freePort();
    const first = start(dataDir, port);
    // The first start's memory: the server and its demo child together (issue 18,
    // item 19: at most 600 MB; docs/capacity.md). Sampled 10 times a second.
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, treeResident(first.proc.pid!))), 100);
    try {
      await first.ready().finally(() => clearInterval(sampler));
      assert.ok(peak > 0 && peak <= 600 * 2 ** 20, `the first start peaked at ${Math.round(peak / 2 ** 20)} MB (server and demo child together)`);
      // The account block comes right after the portal listens.
      for (let i = 0; i < 100 && !/-{60}\n\n/.test(first.out.stderr.split('password')[1] ?? ''); i++) await new Promise((r) => setTimeout(r, 100));
      const err = first.out.stderr;
      for (const step of ['drawing images', 'writing articles']) assert.match(err, new RegExp(`^demo: ${step}$`, 'm'));
      assert.match(err, /^demo: 50% \(\d+ of \d+ images and articles\)$/m);
      assert.match(err, /^demo: (\d+) of \1 images and articles$/m);
      const [email, password] = fs.readFileSync(path.join(dataDir, 'demo-admin.txt'), 'utf8').trim().split('\n');
      assert.equal(email, 'editor@demo.gorod');
      assert.match(err, new RegExp(`^ {2}The demo portal is ready: http://localhost:${port}/$`, 'm'));
      assert.match(err, /^ {4}e-mail {4}editor@demo\.gorod$/m);
      assert.match(err, new RegExp(`^ {4}password {2}${password}$`, 'm'));
      // The JSON log of the server has its lines, without the password (logs travel).
      assert.match(first.out.stdout, /"msg":"Server listening at /);
      assert.ok(!first.out.stdout.includes(password!), 'the password is not in the log');
      // The page a newcomer opens works, and nothing runs beside the server.
      assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 200);
      assert.deepEqual(childrenOf(first.proc.pid!), []);
    } finally {
      await first.stop();
    }
    const again = start(dataDir, port);
    try {
      await again.ready();
      assert.ok(!again.out.stderr.includes('demo:'), again.out.stderr);
      assert.ok(!again.out.stderr.includes('password'), again.out.stderr);
      assert.deepEqual(childrenOf(again.proc.pid!), []);
    } finally {
      await again.stop();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
