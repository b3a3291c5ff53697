// The boundary checker (boundaries.ts) on a small tree made for it: silent on a
// tree that keeps the rules, and naming the file, line and rule of each deliberate
// violation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkBoundaries, type Rule } from './boundaries.js';

/** A two-module tree: `news` owns `stories`, `votes` owns `votes`, the platform owns `sessions`. */
function fixtureTree(extra: Record<string, string> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-boundaries-'));
  const files: Record<string, string> = {
    'src/platform/tables.ts': "export const tables = ['sessions'] as const;\n",
    'src/modules/news/index.ts': "export type { News } from './service.js';\nexport const tables = ['stories'] as const;\n",
    'src/modules/news/service.ts': [
      "import { sql } from 'kysely';",
      'export function createNews(db) {',
      "  return { list: () => db.selectFrom('stories as s').selectAll().execute(), raw: () => sql`select id from stories where x in (select 1)`.execute(db) };",
      '}',
      'export type News = ReturnType<typeof createNews>;',
      '',
    ].join('\n'),
    'src/modules/votes/index.ts': "export const tables = ['votes'] as const;\n",
    'src/modules/votes/service.ts': [
      "import type { News } from '../news/index.js';",
      'export function createVotes(db, news: News) {',
      "  return { add: (id: number) => db.insertInto('votes').values({ id }).execute(), list: () => news.list() };",
      '}',
      '',
    ].join('\n'),
    ...extra,
  };
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

const rulesOf = (root: string) => checkBoundaries(root).map((v) => `${v.file}:${v.line} ${v.rule}`);

test('a tree that keeps the rules has no violations', () => {
  assert.deepEqual(rulesOf(fixtureTree()), []);
});

const cases: { name: string; file: string; text: string; expect: `${string} ${Rule}` }[] = [
  { name: 'a deep import into another module', file: 'src/modules/votes/routes.ts', text: "import { x } from './service.js';\nimport { createNews } from '../news/service.js';\n", expect: 'src/modules/votes/routes.ts:2 deep-import' },
  { name: 'a deep type import from outside the modules', file: 'src/web/card.tsx', text: "import type { News } from '../modules/news/service.js';\n", expect: 'src/web/card.tsx:1 deep-import' },
  { name: 'a select from another module’s table', file: 'src/modules/votes/top.ts', text: "export const top = (db) =>\n  db.selectFrom('stories').select('id').execute();\n", expect: 'src/modules/votes/top.ts:2 foreign-table' },
  { name: 'a join on another module’s table', file: 'src/modules/votes/join.ts', text: "export const j = (db) => db.selectFrom('votes as v').innerJoin('stories as s', 's.id', 'v.id').execute();\n", expect: 'src/modules/votes/join.ts:1 foreign-table' },
  { name: 'an update of another module’s table', file: 'src/modules/votes/upd.ts', text: "export const u = (db) => db.updateTable('stories').set({ a: 1 }).execute();\n", expect: 'src/modules/votes/upd.ts:1 foreign-table' },
  { name: 'a delete from a platform table', file: 'src/modules/votes/del.ts', text: "export const d = (db) => db.deleteFrom('sessions').execute();\n", expect: 'src/modules/votes/del.ts:1 foreign-table' },
  { name: 'another module’s table in raw SQL', file: 'src/modules/votes/raw.ts', text: "import { sql } from 'kysely';\nexport const r = (db) => sql`select v.id from votes v join stories s on s.id = v.id`.execute(db);\n", expect: 'src/modules/votes/raw.ts:2 foreign-table' },
  { name: 'a table nobody lists', file: 'src/modules/votes/new.ts', text: "export const n = (db) => db.insertInto('ballots').values({}).execute();\n", expect: 'src/modules/votes/new.ts:1 unowned-table' },
  { name: 'another module looked up on app through a cast', file: 'src/modules/votes/plugin.ts', text: 'export function p(app) {\n  const news = (app as unknown as { news?: unknown }).news;\n}\n', expect: 'src/modules/votes/plugin.ts:2 app-cast' },
  { name: 'a decorator probe', file: 'src/modules/votes/probe.ts', text: "export const p = (app) => app.hasDecorator('news');\n", expect: 'src/modules/votes/probe.ts:1 decorator-probe' },
];

for (const c of cases) {
  test(`the checker fails on ${c.name}`, () => {
    const found = rulesOf(fixtureTree({ [c.file]: c.text }));
    assert.deepEqual(found, [c.expect]);
  });
}

test('a module without an index.ts listing its tables is reported', () => {
  const found = rulesOf(fixtureTree({ 'src/modules/polls/service.ts': 'export const x = 1;\n' }));
  assert.deepEqual(found, ['src/modules/polls/index.ts:1 unowned-table']);
});

test('a table two modules list is reported', () => {
  const found = rulesOf(fixtureTree({ 'src/modules/votes/index.ts': "export const tables = ['votes', 'stories'] as const;\n" }));
  assert.equal(found.length >= 1 && found.some((f) => f.endsWith('foreign-table') && f.startsWith('src/modules/votes/index.ts')), true, found.join('\n'));
});
