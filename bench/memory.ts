// `npm run bench:memory`: how much memory one portal instance holds. A fresh
// DATA_DIR (and, with --pg, a fresh PostgreSQL database), so the first start loads
// the demo portal as a newcomer's does; then every page of the sitemap once
// (warm-up), then a minute of mixed load (pages, search, comment lists, reactions,
// view beacons) from 16 concurrent clients. Prints resident memory (RSS) and its peak
// (VmHWM) read from /proc, and the V8 heap and external memory from /metrics.
//
//   npm run bench:memory                  PGlite
//   npm run bench:memory -- --pg          PostgreSQL (DATABASE_URL or postgres://postgres@127.0.0.1:5432)
//   BENCH_MEMORY_SECONDS=60               length of the mixed load
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { removeOnExit, stopAll } from './process.js';
import { sourceTree, startPortal } from './portal.js';
import { residentMemory, treeResident, type ResidentMemory } from './resident.js';
import type { DatabaseTarget } from './fixtures.js';

const log = (line: string) => process.stderr.write(`bench:memory: ${line}\n`);
const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;

interface Heap {
  heapUsed: number;
  heapTotal: number;
  external: number;
}

async function heapOf(url: string): Promise<Heap> {
  const text = await fetch(`${url}/metrics`).then((r) => r.text());
  const metric = (name: string, label = '') => Number(new RegExp(`^${name}${label ? `\\{${label}\\}` : ''} ([0-9.e+]+)`, 'm').exec(text)?.[1] ?? NaN);
  return { heapUsed: metric('nodejs_heap_size_used_bytes'), heapTotal: metric('nodejs_heap_size_total_bytes'), external: metric('nodejs_external_memory_bytes') };
}

async function main() {
  const { values } = parseArgs({ options: { pg: { type: 'boolean' } } });
  const seconds = Number(process.env.BENCH_MEMORY_SECONDS ?? 60);
  const dataDir = removeOnExit(fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-memory-')));
  let target: DatabaseTarget = { kind: 'PGlite', dataDir };
  let dropDatabase = async () => {};
  if (values.pg) {
    const server = new URL(process.env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres');
    const name = `gorod_memory_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: server.toString() });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const adminUrl = server.toString();
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
    server.pathname = `/${name}`;
    target = { kind: 'PostgreSQL', url: server.toString(), dataDir };
  }
  const source = sourceTree(log);
  // A first start on a busy machine can take minutes: the images are drawn then.
  // The first start's peak counts every process of the instance (the demo loader is a
  // child of the server): sampled 5 times a second until the portal answers.
  let treePeak = 0;
  let pid = 0;
  const started = Date.now();
  const sampler = setInterval(() => {
    if (pid) treePeak = Math.max(treePeak, treeResident(pid));
  }, 200);
  const portal = await startPortal(target, source, log, 1_200_000, (child) => (pid = child.proc.pid!)).finally(() => clearInterval(sampler));
  try {
    const firstStart = { ...residentMemory(pid), treePeak: Math.max(treePeak, residentMemory(pid).peak), seconds: Math.round((Date.now() - started) / 100) / 10 };
    log(`${target.kind}: up after the first start (demo loaded) in ${firstStart.seconds} s: RSS ${mb(firstStart.rss)}; peak ${mb(firstStart.peak)} in the server process, ${mb(firstStart.treePeak)} for all its processes together`);
    const paths = await sitemapPaths(portal.url);
    for (const p of paths) await fetch(new URL(p, portal.url)).then((r) => r.arrayBuffer());
    const warm = residentMemory(pid);
    log(`after the warm-up (${paths.length} pages of the sitemap): RSS ${mb(warm.rss)}`);
    await mixedLoad(portal.url, paths, seconds);
    const loaded = residentMemory(pid);
    const heap = await heapOf(portal.url);
    const report = { database: target.kind, node: process.version, firstStart, warm, loaded, heap, seconds };
    log(`after ${seconds} s of mixed load: RSS ${mb(loaded.rss)} (peak ${mb(loaded.peak)}); V8 heap ${mb(heap.heapUsed)} used of ${mb(heap.heapTotal)}, external ${mb(heap.external)}`);
    process.stdout.write(JSON.stringify(report) + '\n');
  } catch (err) {
    // The portal's last lines say why it is gone (a crash under load, say).
    log(`the portal's last output:\n${portal.child.tail()}`);
    throw err;
  } finally {
    await portal.stop();
    await dropDatabase();
    source.remove();
  }
}

async function sitemapPaths(url: string): Promise<string[]> {
  const index = await fetch(`${url}/sitemap.xml`).then((r) => r.text());
  const maps = [...index.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);
  const pages = new Set<string>(['/']);
  for (const map of maps) {
    if (!map.endsWith('.xml')) {
      pages.add(new URL(map).pathname);
      continue;
    }
    const text = await fetch(new URL(new URL(map).pathname, url)).then((r) => r.text());
    for (const m of text.matchAll(/<loc>([^<]+)<\/loc>/g)) pages.add(new URL(m[1]!).pathname);
  }
  return [...pages];
}

const WORDS = ['мост', 'трамвай', 'школа', 'парк', 'мэрия', 'дорога', 'театр', 'больница', 'снег', 'выборы', 'река', 'метро'];

/** What readers do, in turn: cached pages, uncached search, comment lists, a reaction and a view now and then. */
async function mixedLoad(url: string, paths: string[], seconds: number): Promise<void> {
  const articles = paths.filter((p) => p.startsWith('/text/'));
  const ids = await Promise.all(
    articles.slice(0, 20).map(async (p) => Number(/data-article-id="(\d+)"/.exec(await fetch(new URL(p, url)).then((r) => r.text()))?.[1] ?? 0)),
  ).then((xs) => xs.filter(Boolean));
  const until = Date.now() + seconds * 1000;
  let n = 0;
  const one = async (i: number) => {
    const kind = i % 10;
    const id = ids[i % Math.max(ids.length, 1)];
    const ip = `2001:db8:${(i & 0xffff).toString(16)}::1`;
    if (kind < 5) return fetch(new URL(paths[i % paths.length]!, url));
    if (kind < 7) return fetch(new URL(`/search?q=${encodeURIComponent(`${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]}`)}&b=${i}`, url));
    if (kind < 9 && id) return fetch(new URL(`/api/articles/${id}/comments`, url));
    if (id) return fetch(new URL('/api/views', url), { method: 'POST', headers: { 'content-type': 'application/json', origin: url, 'sec-fetch-site': 'same-origin', 'x-forwarded-for': ip }, body: JSON.stringify({ articleId: id }) });
    return fetch(new URL('/', url));
  };
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (Date.now() < until) await one(n++).then((r) => r.arrayBuffer()).catch(() => {});
    }),
  );
  log(`mixed load: ${n} requests in ${seconds} s`);
}

main().catch(async (err: Error) => {
  log(err.stack ?? err.message);
  await stopAll();
  process.exit(1);
});

export type { ResidentMemory };
