// Node's own options for the long-running processes, as package.json's scripts give
// them — `npm start` (`node <flags> bin/gorod.js serve`) and `npm run worker` (`node
// <flags> bin/gorod.js worker`) — so that the benchmarks and the local cluster run
// them exactly as a newsroom does. Why these flags: docs/capacity.md, «Memory».
import fs from 'node:fs';
import path from 'node:path';

function scriptFlags(dir: string, script: 'start' | 'worker', command: 'serve' | 'worker'): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const match = new RegExp(`^node((?: --[\\w-]+(?:=\\S+)?)*) bin/gorod\\.js ${command}$`).exec(pkg.scripts?.[script] ?? '');
  if (!match) throw new Error(`package.json scripts.${script} is not "node [--flags] bin/gorod.js ${command}": ${pkg.scripts?.[script]}`);
  return match[1]!.trim().split(' ').filter(Boolean);
}

/** The server's (`npm start`): small and steady, it answers readers. */
export function startNodeFlags(dir: string): string[] {
  return scriptFlags(dir, 'start', 'serve');
}

/** The worker's (`npm run worker`): it answers no reader, and its sends are allocation-heavy. */
export function workerNodeFlags(dir: string): string[] {
  return scriptFlags(dir, 'worker', 'worker');
}
