// Runs wrk (the Debian package) against one URL and reads its figures from a Lua
// `done` hook that prints one JSON line, so nothing depends on wrk's human output.
//
// Why wrk and not autocannon: on a 2-core machine autocannon saturates a core at
// about 4,500 req/s with 40 KB pages, while a bare Node server does about 30,000
// under wrk; autocannon would measure itself and hide the difference we look for.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface LoadRequest {
  /** Full URL: http://127.0.0.1:PORT/path */
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Add `?b=<unique>` to every request so no two requests share a page-cache key. */
  uniqueQuery?: boolean;
}

export interface LoadOptions {
  durationSec: number;
  connections: number;
  threads: number;
  /** Kills the wrk process (Ctrl+C): the run rejects. */
  signal?: AbortSignal;
}

export interface LoadResult {
  requests: number;
  durationSec: number;
  rps: number;
  bytesPerSec: number;
  /** Latency in milliseconds. */
  latency: { mean: number; p50: number; p90: number; p99: number; max: number };
  /** Responses with status ≥ 400 (wrk counts those as "non-2xx or 3xx"). */
  non2xx3xx: number;
  errors: { connect: number; read: number; write: number; timeout: number };
}

export function wrkVersion(): string | undefined {
  const r = spawnSync(wrkBin(), ['--version'], { encoding: 'utf8' });
  if (r.error) return undefined;
  // `wrk --version` prints usage after the version line and exits 1.
  const line = `${r.stdout}${r.stderr}`.split('\n')[0]?.trim();
  return line?.startsWith('wrk') ? line.replace(/\s+Copyright.*$/, '') : undefined;
}

/** A Lua string literal: quotes, backslashes and control bytes as decimal escapes; UTF-8 passes through. */
const luaString = (s: string) => `"${s.replace(/[\\"\x00-\x1f\x7f]/g, (c) => `\\${c.charCodeAt(0).toString().padStart(3, '0')}`)}"`;

/** The wrk binary: BENCH_WRK (a path) or `wrk` from PATH. */
const wrkBin = () => process.env.BENCH_WRK?.trim() || 'wrk';

export function luaScript(req: LoadRequest): string {
  const lines: string[] = [];
  if (req.method && req.method !== 'GET') lines.push(`wrk.method = ${luaString(req.method)}`);
  for (const [k, v] of Object.entries(req.headers ?? {})) lines.push(`wrk.headers[${luaString(k)}] = ${luaString(v)}`);
  if (req.body !== undefined) lines.push(`wrk.body = ${luaString(req.body)}`);
  if (req.uniqueQuery) {
    // Each thread has its own Lua state: `setup` numbers the threads, `init` gets the
    // run's nonce (so warm-up and measured runs never share keys), `request` counts.
    lines.push(
      'local threads = 0',
      'function setup(thread) threads = threads + 1; thread:set("tid", threads) end',
      'local counter = 0',
      'local prefix',
      'function init(args) prefix = wrk.path .. (wrk.path:find("?", 1, true) and "&" or "?") .. "b=" .. args[1] .. "-" .. tid .. "-" end',
      'function request() counter = counter + 1; return wrk.format(nil, prefix .. counter) end',
    );
  }
  lines.push(
    'function done(summary, latency, requests)',
    '  local e = summary.errors',
    '  io.write(string.format(\'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"mean":%f,"p50":%d,"p90":%d,"p99":%d,"max":%d}\\n\',',
    '    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,',
    '    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))',
    'end',
  );
  return lines.join('\n') + '\n';
}

export async function runWrk(req: LoadRequest, opts: LoadOptions): Promise<LoadResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-wrk-'));
  const script = path.join(dir, 'bench.lua');
  fs.writeFileSync(script, luaScript(req));
  const nonce = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const args = ['-t', String(opts.threads), '-c', String(opts.connections), '-d', `${opts.durationSec}s`, '--timeout', '10s', '-s', script, req.url, '--', nonce];
  try {
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(wrkBin(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d));
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      const abort = () => child.kill('SIGKILL');
      opts.signal?.addEventListener('abort', abort, { once: true });
      child.on('error', reject);
      child.on('close', (code) => {
        opts.signal?.removeEventListener('abort', abort);
        if (opts.signal?.aborted) reject(new Error('interrupted'));
        else resolve({ code, stdout, stderr });
      });
    });
    const line = stdout.split('\n').find((l) => l.startsWith('BENCH_JSON '));
    if (code !== 0 || !line) throw new Error(`wrk failed (exit ${code}): ${(stderr || stdout).trim().slice(0, 500)}`);
    const r = JSON.parse(line.slice('BENCH_JSON '.length)) as Record<string, number>;
    const durationSec = r.duration_us! / 1e6;
    const ms = (us: number) => us / 1000;
    return {
      requests: r.requests!,
      durationSec,
      rps: r.requests! / durationSec,
      bytesPerSec: r.bytes! / durationSec,
      latency: { mean: ms(r.mean!), p50: ms(r.p50!), p90: ms(r.p90!), p99: ms(r.p99!), max: ms(r.max!) },
      non2xx3xx: r.status!,
      errors: { connect: r.connect!, read: r.read!, write: r.write!, timeout: r.timeout! },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
