// `npm run cluster -- N [--worker]`: N instances of the portal on one machine, on ports
// PORT, PORT+1, …, against the same PostgreSQL (DATABASE_URL) and Redis (REDIS_URL) —
// the shape of a production install behind a balancer. With --worker the instances
// run no jobs (JOBS=off) and one `gorod worker` runs them at a lower CPU priority.
// Ctrl+C stops them all.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { build, isFresh } from './build.mjs';
import { startNodeFlags, workerNodeFlags } from './start-flags.js';

const count = Number(process.argv[2] ?? 2);
const withWorker = process.argv.slice(3).includes('--worker');
const basePort = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(count) || count < 1 || count > 32) {
  console.error('usage: npm run cluster -- <instances 1..32> [--worker]');
  process.exit(2);
}
if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
  console.error('cluster: several instances share state through PostgreSQL and Redis; set DATABASE_URL and REDIS_URL');
  process.exit(2);
}

const gorod = path.resolve(import.meta.dirname, '..', 'bin', 'gorod.js');
// Once here, rather than every instance finding dist/ stale and waiting for the first.
if (!isFresh()) await build();
const children: ChildProcess[] = [];
for (let i = 0; i < count; i++) {
  const port = basePort + i;
  // The first instance loads the demo into an empty database; the others wait for it
  // by starting after it has listened (migrations are safe either way: advisory lock).
  const child = spawn(process.execPath, [...startNodeFlags(path.resolve(import.meta.dirname, '..')), gorod, 'serve'], { env: { ...process.env, PORT: String(port), SEED_DEMO: i === 0 ? process.env.SEED_DEMO ?? 'true' : 'false', ...(withWorker ? { JOBS: 'off' } : {}) }, stdio: 'inherit' });
  children.push(child);
  child.on('exit', (code) => {
    console.error(`cluster: instance on port ${port} exited with ${code}`);
    if (!stopping) stop(1);
  });
  console.log(`cluster: instance ${i + 1}/${count} on http://127.0.0.1:${port}`);
}
if (withWorker) {
  const worker = spawn(process.execPath, [...workerNodeFlags(path.resolve(import.meta.dirname, '..')), gorod, 'worker'], { env: process.env, stdio: 'inherit' });
  children.push(worker);
  worker.on('exit', (code) => {
    console.error(`cluster: the worker exited with ${code}`);
    if (!stopping) stop(1);
  });
  console.log('cluster: a worker runs the jobs');
}

let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 16_000).unref();
  Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.on('exit', r))))).then(() => process.exit(code));
}
process.on('SIGINT', () => stop());
process.on('SIGTERM', () => stop());
