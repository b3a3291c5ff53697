// The real portal under test, as its own process: `node bin/gorod.js serve`, exactly
// what `npm start` runs, on the database the run measures (bench/fixtures.ts has
// made its fixtures before), behind a trusted proxy (TRUST_PROXY=127.0.0.1): the
// write and beacon scenarios send a different X-Forwarded-For per request, as a
// CDN in front of a portal does for its many readers, so per-IP limits apply per
// reader and not to the one load generator.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeOnExit, spawnChild, type Child } from './process.js';
import type { DatabaseTarget } from './fixtures.js';
import { startNodeFlags } from '../scripts/start-flags.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface RunningPortal {
  url: string;
  child: Child;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The code measured: this checkout, or with BENCH_REF the tree of that commit. */
export interface SourceTree {
  dir: string;
  label: string;
  remove(): void;
}

export function sourceTree(log: (line: string) => void): SourceTree {
  const ref = process.env.BENCH_REF?.trim();
  if (!ref) {
    let label = 'working tree';
    try {
      label = `working tree at ${gitRev('HEAD')}${execFileSync('git', ['status', '--porcelain', '--', 'src', 'demo', 'bin'], { cwd: root, encoding: 'utf8' }).trim() ? ' (with uncommitted changes)' : ''}`;
    } catch {
      // not a git checkout
    }
    return { dir: root, label, remove: () => {} };
  }
  const dir = exportRef(ref);
  const label = `${ref} (${gitRev(ref)})`;
  log(`running the portal from ${label}, exported to ${dir}`);
  return { dir, label, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export async function startPortal(target: DatabaseTarget, source: SourceTree, log: (line: string) => void, startTimeoutMs = 300_000, onSpawn?: (child: Child) => void): Promise<RunningPortal> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // The caller's environment minus the portal's own settings (a stray SITE_NAME or
  // SMTP_URL would change what is measured); the database is the target's.
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['PORT', 'HOST', 'DATA_DIR', 'PUBLIC_URL', 'SMTP_URL', 'SITE_NAME', 'SITE_TIMEZONE', 'TRUST_PROXY', 'SECRET', 'LOG_LEVEL', 'SEED_DEMO', 'DATABASE_URL', 'REDIS_URL', 'REDIS_PREFIX', 'TOP_WINDOW_HOURS']) delete env[name];
  Object.assign(env, {
    DATA_DIR: target.dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'true',
    TRUST_PROXY: '127.0.0.1',
    ...(target.url ? { DATABASE_URL: target.url } : {}),
    ...(target.redisUrl ? { REDIS_URL: target.redisUrl, REDIS_PREFIX: 'gorodbench:' } : {}),
  });
  log(`starting the portal (${target.kind}${target.redisUrl ? ' + Redis' : ''}, DATA_DIR ${path.relative(process.cwd(), target.dataDir) || '.'})…`);
  // BENCH_PROFILE=dir: the portal writes a V8 CPU profile there when it stops.
  const profile = process.env.BENCH_PROFILE?.trim();
  const nodeArgs = [...startNodeFlags(source.dir), ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profile)}`] : [])];
  const child = spawnChild('portal', process.execPath, [...nodeArgs, path.join(source.dir, 'bin/gorod.js'), 'serve'], { cwd: source.dir, env });
  onSpawn?.(child);
  const stop = () => child.stop(15_000);
  try {
    await waitUntilUp(url, child, startTimeoutMs);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, child, stop };
}

const gitRev = (ref: string) => execFileSync('git', ['rev-parse', '--short', `${ref}^{commit}`], { cwd: root, encoding: 'utf8' }).trim();

/**
 * BENCH_REF=HEAD (or any commit): measure the committed code of that commit, not the
 * working tree — in a shared checkout, half-edited files do not break the run, and
 * two commits can be compared. The tree is exported with `git archive` to a temporary
 * folder that uses this checkout's node_modules.
 */
function exportRef(ref: string): string {
  const dir = removeOnExit(fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-bench-src-')));
  const tar = execFileSync('git', ['archive', '--format=tar', gitRev(ref)], { cwd: root, maxBuffer: 1024 ** 3 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  // The .gitignore line `data/` also matches demo/data, so a commit may lack the demo
  // texts: take them from the working tree.
  if (!fs.existsSync(path.join(dir, 'demo/data')) && fs.existsSync(path.join(root, 'demo/data'))) {
    fs.cpSync(path.join(root, 'demo/data'), path.join(dir, 'demo/data'), { recursive: true });
  }
  return dir;
}

async function waitUntilUp(url: string, child: Child, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.proc.exitCode !== null || child.proc.signalCode !== null) {
      throw new Error(`the portal exited with code ${child.proc.exitCode ?? child.proc.signalCode}:\n${child.tail()}`);
    }
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`the portal did not answer /readyz within ${timeoutMs / 1000} s:\n${child.tail()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The path of the newest article, from the RSS feed (or the home page's first article link). */
export async function findArticlePath(url: string): Promise<string> {
  const rss = await fetch(`${url}/rss.xml`).then((r) => (r.ok ? r.text() : ''));
  const item = /<item>[\s\S]*?<link>(?:<!\[CDATA\[)?\s*([^<\]\s]+)/.exec(rss);
  if (item) return new URL(item[1]!).pathname;
  const home = await fetch(`${url}/`).then((r) => r.text());
  const href = /href="(\/text\/[^"?#]+\/)"/.exec(home);
  if (href) return href[1]!;
  throw new Error('no article found in /rss.xml or on the home page: is the demo portal loaded?');
}
