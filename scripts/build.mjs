#!/usr/bin/env node
// Compiles the server's TypeScript to plain JavaScript in dist/, so production runs
// `node` alone: no TypeScript loader in the process and no esbuild service beside
// it for every module it imports. Run by `npm install` / `npm ci` (the `prepare`
// script) and, when the sources are newer than dist/, by bin/gorod.js before it
// starts — `npm install && npm start` stays two commands.
//
// Nothing is listed by hand: every file under src/ and demo/ goes to dist/ at the
// same relative path, so what a module finds beside itself (migrations/*.sql,
// styles.css, the dictionaries' paths) is found the same way in dist/. TypeScript
// files become .js (one file each, not bundled: imports already name .js); tests
// are left out; the browser islands (any client/ folder) are copied as they are,
// because the server bundles them for browsers with esbuild when it starts.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout this script belongs to; tests build a copy elsewhere. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const distOf = (root = ROOT) => path.join(root, 'dist');
const SOURCES = ['src', 'demo'];
const MANIFEST = '.sources.json';

const isTest = (rel) => /\.test\.tsx?$/.test(rel) || /(^|\/)test-helpers?\.tsx?$|-test-helpers\.tsx?$/.test(rel);
const isTypeScript = (rel) => /\.tsx?$/.test(rel) && !rel.endsWith('.d.ts');
const inClient = (rel) => rel.split('/').includes('client');

/** Every source file that goes to dist/, relative to the root, with its mtime and size. */
function sourceFiles(root) {
  const files = [];
  for (const top of SOURCES) {
    const dir = path.join(root, top);
    if (!fs.existsSync(dir)) continue;
    for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const full = path.join(entry.parentPath ?? entry.path, entry.name);
      const rel = path.relative(root, full).split(path.sep).join('/');
      if (isTest(rel) || rel.endsWith('.d.ts')) continue;
      const st = fs.statSync(full);
      files.push({ rel, mtimeMs: Math.floor(st.mtimeMs), size: st.size });
    }
  }
  files.push(...['package.json', 'package-lock.json', 'scripts/build.mjs'].filter((f) => fs.existsSync(path.join(root, f))).map((rel) => {
    const st = fs.statSync(path.join(root, rel));
    return { rel, mtimeMs: Math.floor(st.mtimeMs), size: st.size, input: false };
  }));
  return files.sort((a, b) => (a.rel < b.rel ? -1 : 1));
}

const fingerprint = (files) => JSON.stringify(files.map(({ rel, mtimeMs, size }) => [rel, mtimeMs, size]));

/** True when dist/ was built from exactly the source files there are now (same names, times, sizes). */
export function isFresh(root = ROOT) {
  try {
    return fs.readFileSync(path.join(distOf(root), MANIFEST), 'utf8') === fingerprint(sourceFiles(root));
  } catch {
    return false;
  }
}

/**
 * Builds dist/ from scratch into a folder beside it, then swaps it in: a removed
 * source (a renamed migration) leaves nothing behind, and a process that starts
 * meanwhile never sees half a build. Several processes starting at once (`npm run
 * cluster`) take turns through a lock folder; the later ones find dist/ fresh.
 */
export async function build({ root = ROOT, quiet = false } = {}) {
  const DIST = distOf(root);
  const lock = `${DIST}.lock`;
  for (let waited = 0; ; waited += 100) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      // A builder that died leaves its lock: a build takes seconds, not a minute.
      if (waited > 60_000 || Date.now() - fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 60_000) fs.rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    if (isFresh(root)) return;
    const started = Date.now();
    const files = sourceFiles(root);
    const next = `${DIST}.next-${process.pid}`;
    fs.rmSync(next, { recursive: true, force: true });
    const { build: esbuild, stop } = await import('esbuild');
    const compiled = files.filter((f) => f.input !== false && isTypeScript(f.rel) && !inClient(f.rel));
    await esbuild({
      entryPoints: compiled.map((f) => path.join(root, f.rel)),
      outdir: next,
      outbase: root,
      bundle: false,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      logLevel: 'error',
    });
    await stop();
    for (const f of files) {
      if (f.input === false || compiled.includes(f)) continue;
      fs.mkdirSync(path.dirname(path.join(next, f.rel)), { recursive: true });
      fs.copyFileSync(path.join(root, f.rel), path.join(next, f.rel));
    }
    fs.writeFileSync(path.join(next, 'package.json'), JSON.stringify({ type: 'module', private: true }) + '\n');
    fs.writeFileSync(path.join(next, MANIFEST), fingerprint(files));
    const old = `${DIST}.old-${process.pid}`;
    if (fs.existsSync(DIST)) fs.renameSync(DIST, old);
    fs.renameSync(next, DIST);
    fs.rmSync(old, { recursive: true, force: true });
    if (!quiet) process.stderr.write(`gorod: compiled ${compiled.length} TypeScript files to dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await build();
