// The real portal under test, as its own process: `node bin/gorod.js serve`, exactly
// what `npm start` runs, with the demo portal loaded.
//
// DATA_DIR is a fresh temporary folder (removed afterwards), or BENCH_DATA_DIR to keep
// one between runs so the demo is loaded only once. DATABASE_URL and REDIS_URL are
// passed through: with DATABASE_URL the portal uses that PostgreSQL database (and
// loads the demo into it if it has no articles).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeOnExit, spawnChild, type Child } from './process.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface RunningPortal {
  url: string;
  child: Child;
  database: 'PGlite' | 'PostgreSQL';
  redis: boolean;
  dataDir: string;
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

export async function startPortal(log: (line: string) => void): Promise<RunningPortal> {
  const keep = process.env.BENCH_DATA_DIR?.trim();
  const dataDir = keep ? path.resolve(keep) : removeOnExit(fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-bench-')));
  fs.mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // The caller's environment minus the portal's own settings (a stray SITE_NAME or
  // SMTP_URL would change what is measured); DATABASE_URL and REDIS_URL pass through.
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['PORT', 'HOST', 'DATA_DIR', 'PUBLIC_URL', 'SMTP_URL', 'SITE_NAME', 'SITE_TIMEZONE', 'TRUST_PROXY', 'SECRET', 'LOG_LEVEL', 'SEED_DEMO']) delete env[name];
  Object.assign(env, {
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'true',
  });
  const fresh = !env.DATABASE_URL && !fs.existsSync(path.join(dataDir, 'pglite'));
  log(`starting the portal (${env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}, DATA_DIR ${dataDir})${fresh ? '; loading the demo portal takes about 30 s' : ''}…`);

  const ref = process.env.BENCH_REF?.trim();
  const source = ref ? exportRef(ref) : root;
  if (ref) log(`running the portal from ${ref} (${gitRev(ref)}), exported to ${source}`);
  const child = spawnChild('portal', process.execPath, [path.join(source, 'bin/gorod.js'), 'serve'], { cwd: source, env });
  const stop = async () => {
    await child.stop(15_000);
    if (!keep) fs.rmSync(dataDir, { recursive: true, force: true });
    if (ref) fs.rmSync(source, { recursive: true, force: true });
  };
  try {
    await waitUntilUp(url, child, 300_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, child, database: env.DATABASE_URL ? 'PostgreSQL' : 'PGlite', redis: !!env.REDIS_URL, dataDir, stop };
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
