// Node's own options for the server process, as `npm start` gives them
// (package.json, scripts.start: `node <flags> bin/gorod.js serve`), so that the
// benchmarks and the local cluster run the server exactly as a newcomer's start
// does. Why these flags: docs/capacity.md, «Memory».
import fs from 'node:fs';
import path from 'node:path';

export function startNodeFlags(dir: string): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { scripts?: { start?: string } };
  const match = /^node((?: --[\w-]+(?:=\S+)?)*) bin\/gorod\.js serve$/.exec(pkg.scripts?.start ?? '');
  if (!match) throw new Error(`package.json scripts.start is not "node [--flags] bin/gorod.js serve": ${pkg.scripts?.start}`);
  return match[1]!.trim().split(' ').filter(Boolean);
}
