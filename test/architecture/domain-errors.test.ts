// Every code a service throws as a DomainError has its words in both locales
// (`error.<code>` in ru and en), so no reader ever sees a bare code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ru } from '../../src/platform/i18n/ru.js';
import { en } from '../../src/platform/i18n/en.js';

const root = path.resolve(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [full] : [];
  });
}

test('every DomainError code has words in Russian and English', () => {
  const codes = new Set<string>();
  for (const file of sources(root)) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/new DomainError\(\s*'([a-z_.]+)'/g)) codes.add(m[1]!);
  }
  assert.ok(codes.size > 0);
  const missing = [...codes].flatMap((code) => [...(`error.${code}` in ru ? [] : [`ru error.${code}`]), ...(`error.${code}` in en ? [] : [`en error.${code}`])]);
  assert.deepEqual(missing, []);
});
