// Real portal processes for the fault tests: `node bin/gorod.js serve` as a child,
// exactly as an operator runs it, so a kill -9 is a real one and a crash shows as
// an exit instead of taking the test runner down with it.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { adminQuery, templateInfo, withDatabase } from './template.js';

const root = path.resolve(import.meta.dirname, '..', '..');

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Waits until `check` holds, polling; fails naming `what` after `ms`. A bound on a
 * wait, never a measurement: tests assert what happened, not how fast.
 */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (await Promise.resolve(check()).catch(() => false)) return;
    if (Date.now() > until) throw new Error(`gave up waiting for ${what} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The promise's result, or an error saying it hung: a request must never wait forever. */
export async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)));
  try {
    return await Promise.race([work, hung]);
  } finally {
    clearTimeout(timer);
  }
}

/** A fresh database on DATABASE_URL's server, a copy of the test template (the demo portal). */
export async function templateDatabase(): Promise<{ url: string; uploadsDir: string; drop(): Promise<void> }> {
  const base = process.env.DATABASE_URL;
  const template = templateInfo();
  if (!base || !template?.pgDatabase) throw new Error('needs DATABASE_URL and the test template (run through `npm test`)');
  const name = `gorod_f_${crypto.randomBytes(6).toString('hex')}`;
  await adminQuery(base, `create database ${name} template ${template.pgDatabase}`);
  return {
    url: withDatabase(base, name),
    uploadsDir: template.uploadsDir,
    drop: () => adminQuery(base, `drop database if exists ${name} with (force)`),
  };
}

/** A data folder shared by the instances of one portal, with the template's uploads. */
export function sharedDataDir(uploadsDir?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-fault-'));
  if (uploadsDir) fs.cpSync(uploadsDir, path.join(dir, 'uploads'), { recursive: true });
  return dir;
}

export interface Instance {
  url: string;
  port: number;
  child: ChildProcess;
  /** What the process printed (its logs), for failure messages. */
  output(): string;
  /** Set once the process has exited: the exit code, or the signal that ended it. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** kill -9: no graceful stop, nothing flushed. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit (graceful stop). */
  stop(): Promise<void>;
}

/**
 * Starts `gorod serve` with `env` on a free port and waits until /readyz answers 200.
 * Nothing is inherited from the test's own DATABASE_URL / REDIS_URL unless passed.
 */
export async function startInstance(env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const inherited = { ...process.env };
  delete inherited.DATABASE_URL;
  delete inherited.REDIS_URL;
  const child = spawn(process.execPath, [path.join(root, 'bin', 'gorod.js'), 'serve'], {
    cwd: root,
    env: { ...inherited, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, SEED_DEMO: 'false', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const instance: Instance = {
    url,
    port,
    child,
    output: () => log,
    exit: undefined,
    async kill() {
      if (!instance.exit) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!instance.exit) child.kill('SIGTERM');
      await exited;
    },
  };
  child.once('exit', (code, signal) => (instance.exit = { code, signal }));
  try {
    // Starting compiles the TypeScript and the browser bundles: slow on a busy machine.
    await waitFor(`the instance on port ${port} to be ready`, async () => !!instance.exit || (await fetch(`${url}/readyz`)).status === 200, 180_000);
    if (instance.exit) throw new Error(`the instance exited at start (${JSON.stringify(instance.exit)})`);
  } catch (err) {
    await instance.kill();
    throw new Error(`${(err as Error).message}\n${log}`);
  }
  return instance;
}
