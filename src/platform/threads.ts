// Worker threads that run a module of this tree. In production the module is the
// compiled .js in dist/ and starts as it is. Under the TypeScript loader (`npm run
// dev`, the tests) it is a .ts file, and Node 20 does not carry the loader's hooks
// into a worker (`--import tsx` in its execArgv is not enough): the worker starts
// from a two-line module that registers tsx's hooks and then imports the file.
import { Worker } from 'node:worker_threads';

/** A worker running `file` (a sibling module's URL: `new URL('./x.js', import.meta.url)` with the caller's own extension). */
export function startThread(file: URL, workerData: unknown): Worker {
  if (!file.pathname.endsWith('.ts')) return new Worker(file, { workerData });
  const boot = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(file.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData });
}

/** A sibling module of `importMetaUrl` by its name without extension, with the caller's own extension (.ts under the loader, .js in dist/). */
export const sibling = (importMetaUrl: string, name: string) => new URL(`./${name}${/\.tsx?$/.exec(new URL(importMetaUrl).pathname)?.[0] ?? '.js'}`, importMetaUrl);
