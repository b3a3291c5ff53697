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
  /** Paths (with their query strings) taken in turn instead of the URL's; each thread starts at another one. */
  paths?: string[];
  /** Request bodies taken in turn (e.g. a beacon for each of many articles). */
  bodies?: string[];
  /**
   * A mark in the body (or bodies) that every request replaces with its own
   * `<run>-<thread>-<n>`, so no two requests of any run send the same text (forum
   * replies: the same text again from the same author is held as repeated).
   */
  uniqueBody?: string;
  /**
   * `Cookie` header values taken in turn (e.g. many readers' signed cookies); a
   * function makes a new list for every run (readers who must be new each time).
   */
  cookies?: string[] | (() => string[]);
  /** Each thread takes the cookies of its own share of the list, none twice (while the list lasts). */
  uniqueCookies?: boolean;
  /**
   * A different `X-Forwarded-For` on every request, as a CDN or proxy in front of
   * the portal sends for its many readers: an address in 2001:db8::/32 (the IPv6
   * documentation range, never routed) whose /64 changes with every request, so
   * per-IP limits count each request for another reader. The portal must trust
   * the proxy (TRUST_PROXY=127.0.0.1), else the header is ignored.
   */
  forwardedFor?: boolean;
  /** Count the requests sent and the 2xx answers (write scenarios check the stored counts against them). */
  countResponses?: boolean;
  /**
   * Paced instead of as fast as the server answers: each connection waits this many
   * milliseconds between an answer and its next request (wrk's `delay` hook), so 10
   * connections and 20 ms ask for at most 500 pages a second. A latency measured at
   * a rate the server keeps up with is what a reader waits; at saturation it is the
   * queue's length (connections ÷ throughput), which any other work on the machine
   * lengthens.
   */
  pauseMs?: number;
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
  /** With countResponses: requests written, and answers with a 2xx status. */
  sent?: number;
  ok2xx?: number;
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

/** A Lua table of strings. */
const luaList = (xs: string[]) => `{\n${xs.map((x) => `  ${luaString(x)},`).join('\n')}\n}`;

export function luaScript(req: LoadRequest & { cookies?: string[] }, threads = 1): string {
  const lines: string[] = [];
  if (req.method && req.method !== 'GET') lines.push(`wrk.method = ${luaString(req.method)}`);
  for (const [k, v] of Object.entries(req.headers ?? {})) lines.push(`wrk.headers[${luaString(k)}] = ${luaString(v)}`);
  if (req.body !== undefined) lines.push(`wrk.body = ${luaString(req.body)}`);
  // Each thread has its own Lua state: `setup` (in the main state) numbers the
  // threads and keeps them for `done`; `init` gets the run's nonce (so warm-up and
  // measured runs never share keys); `sent` and `ok` are globals `done` reads back.
  lines.push(
    'local threads = {}',
    'function setup(thread) table.insert(threads, thread); thread:set("tid", #threads) end',
    'sent = 0',
    'ok = 0',
    'local nonce',
    'function init(args) nonce = args[1] end',
  );
  const dynamic = req.uniqueQuery || req.paths?.length || req.bodies?.length || req.cookies?.length || req.forwardedFor || req.countResponses || req.uniqueBody;
  if (dynamic) {
    // Lists are walked from a different place in each thread (a prime stride apart).
    const nth = (name: string) => `${name}[(sent + tid * 7919) % #${name} + 1]`;
    if (req.paths?.length) lines.push(`local paths = ${luaList(req.paths)}`);
    if (req.bodies?.length) lines.push(`local bodies = ${luaList(req.bodies)}`);
    if (req.cookies?.length) lines.push(`local cookies = ${luaList(req.cookies)}`);
    lines.push('function request()', '  sent = sent + 1', `  local path = ${req.paths?.length ? nth('paths') : 'wrk.path'}`);
    if (req.uniqueQuery) lines.push('  path = path .. (path:find("?", 1, true) and "&" or "?") .. "b=" .. nonce .. "-" .. tid .. "-" .. sent');
    const share = Math.max(1, Math.floor((req.cookies?.length ?? 0) / threads));
    if (req.cookies?.length) lines.push(`  wrk.headers["Cookie"] = ${req.uniqueCookies ? `cookies[((tid - 1) * ${share} + sent - 1) % #cookies + 1]` : nth('cookies')}`);
    if (req.forwardedFor) lines.push('  wrk.headers["X-Forwarded-For"] = string.format("2001:db8:%x:%x::1", (tid * 4096 + math.floor(sent / 65536)) % 65536, sent % 65536)');
    const body = req.bodies?.length ? nth('bodies') : req.body !== undefined ? 'wrk.body' : 'nil';
    if (req.uniqueBody) {
      // A Lua pattern for the mark: its magic characters escaped with %.
      const pattern = req.uniqueBody.replace(/[%^$().[\]*+\-?]/g, (c) => `%${c}`);
      lines.push(`  local body = string.gsub(${body}, ${luaString(pattern)}, nonce .. "-" .. tid .. "-" .. sent)`, '  return wrk.format(nil, path, nil, body)', 'end');
    } else lines.push(`  return wrk.format(nil, path, nil, ${req.bodies?.length ? nth('bodies') : 'nil'})`, 'end');
  }
  if (req.pauseMs) lines.push(`function delay() return ${Math.round(req.pauseMs)} end`);
  if (req.countResponses) lines.push('function response(status, headers, body) if status >= 200 and status < 300 then ok = ok + 1 end end');
  lines.push(
    'function done(summary, latency, requests)',
    '  local e = summary.errors',
    '  local s, k = 0, 0',
    '  for _, t in ipairs(threads) do s = s + t:get("sent"); k = k + t:get("ok") end',
    '  io.write(string.format(\'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"mean":%f,"p50":%d,"p90":%d,"p99":%d,"max":%d,"sent":%d,"ok":%d}\\n\',',
    '    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,',
    '    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, s, k))',
    'end',
  );
  return lines.join('\n') + '\n';
}

export async function runWrk(req: LoadRequest, opts: LoadOptions): Promise<LoadResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-wrk-'));
  const script = path.join(dir, 'bench.lua');
  const cookies = typeof req.cookies === 'function' ? req.cookies() : req.cookies;
  fs.writeFileSync(script, luaScript({ ...req, cookies }, opts.threads));
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
      ...(req.countResponses ? { sent: r.sent!, ok2xx: r.ok! } : {}),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
