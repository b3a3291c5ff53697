#!/usr/bin/env node
// The `gorod` command runs the compiled JavaScript in dist/ (scripts/build.mjs): no
// TypeScript loader in a production process. `npm install` builds dist/; when a
// source is newer (an edit, a `git pull`), it is rebuilt here first, in seconds.
// `npm run dev` runs the sources through the loader instead.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, distOf, isFresh } from '../scripts/build.mjs';
import { IMPORT_ENV, IMPORT_NODE_FLAGS } from '../scripts/import-flags.mjs';

// `gorod import` holds its memory small with its own Node options and environment
// (scripts/import-flags.mjs), which cannot be set once a process runs: started
// without them, the command runs again in a child that has them. Ctrl+C reaches
// the child (one process group) and it stops where it is; a SIGTERM to this
// process is passed on; this process waits and ends with its code.

if (!isFresh()) await build();
const has = (flag) => process.execArgv.some((a) => a.startsWith(flag.split('=')[0]));
const envMissing = Object.keys(IMPORT_ENV).some((k) => process.env[k] === undefined);
if (process.argv[2] === 'import' && (!IMPORT_NODE_FLAGS.every(has) || envMissing)) {
  const child = spawn(process.execPath, [...process.execArgv, ...IMPORT_NODE_FLAGS.filter((f) => !has(f)), ...process.argv.slice(1)], { stdio: 'inherit', env: { ...IMPORT_ENV, ...process.env } });
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else await import(pathToFileURL(path.join(distOf(), 'src', 'main.js')).href);
