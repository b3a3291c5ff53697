// A clean `npm ci` on the Node the project states: every package npm installs here
// accepts the oldest Node of each line our package.json allows (no EBADENGINE), and
// npm refuses an older Node instead of warning (.npmrc: engine-strict).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import semver from 'semver';

const root = path.resolve(import.meta.dirname, '../..');
const ours = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[]; os?: string[]; cpu?: string[] }>;
};

/** The oldest version of each line the range allows: ^20.19.5 || >=22 → 20.19.5, 22.0.0. */
const oldestOfEachLine = (range: string) => new semver.Range(range).set.map((comparators) => semver.minVersion(comparators.map((c) => c.value).join(' '))!.version);

// npm installs a platform's binary package (sharp's @img/sharp-win32-ia32, …) only on that platform.
const installedHere = (p: { os?: string[]; cpu?: string[] }) =>
  (!p.os || p.os.includes(process.platform)) && (!p.cpu || p.cpu.includes(process.arch));

test('every installed package accepts the oldest Node of each line package.json allows', () => {
  const oldest = oldestOfEachLine(ours.engines.node);
  assert.ok(oldest.some((v) => semver.major(v) === 20), `package.json engines (${ours.engines.node}) must allow Node 20`);
  const refusals: string[] = [];
  for (const [name, p] of Object.entries(lock.packages)) {
    const wanted = !Array.isArray(p.engines) ? p.engines?.node : undefined;
    if (!name || !wanted || !installedHere(p)) continue;
    for (const v of oldest) if (!semver.satisfies(v, wanted)) refusals.push(`${name.replace(/^.*node_modules\//, '')}@${p.version} wants Node ${wanted}, not ${v}`);
  }
  assert.deepEqual(refusals, []);
});

test('the running Node is one package.json allows, and npm refuses others instead of warning', () => {
  assert.ok(semver.satisfies(process.version, ours.engines.node), `${process.version} is outside ${ours.engines.node}`);
  assert.match(fs.readFileSync(path.join(root, '.npmrc'), 'utf8'), /^engine-strict=true$/m);
});
