// Reads a source tree as text and lists where a module reaches past another
// module's surface: an import of a file inside another module (only its index.ts
// may be imported), a query on a table another module owns (each module lists its
// tables in index.ts, the platform in src/platform/tables.ts), a query on a table
// nobody lists, and run-time lookups that the imports do not show (`app as unknown
// as …`, `app.hasDecorator(…)`): those go through named extension points instead.
import fs from 'node:fs';
import path from 'node:path';

export type Rule = 'deep-import' | 'foreign-table' | 'unowned-table' | 'app-cast' | 'decorator-probe';

export interface Violation {
  rule: Rule;
  /** Path from the tree's root, with forward slashes. */
  file: string;
  line: number;
  detail: string;
}

/** Files outside src/modules that put modules together, and so may import their plugins, words and islands. */
export const COMPOSITION_ROOTS = ['src/server.tsx', 'src/platform/i18n/ru.ts', 'src/platform/i18n/en.ts', 'src/web/client/main.ts', 'src/web/client/admin.ts'];

const SOURCE = /\.(ts|tsx)$/;
const TEST = /\.test\.tsx?$|\.d\.ts$/;

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : walk(full);
    return SOURCE.test(e.name) && !TEST.test(e.name) ? [full] : [];
  });
}

const rel = (root: string, file: string) => path.relative(root, file).split(path.sep).join('/');
const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;

/** The string literals of `export const tables = [...]` in a file, or null when it has none. */
export function listedTables(file: string): string[] | null {
  if (!fs.existsSync(file)) return null;
  const m = /export\s+const\s+tables\s*=\s*\[([^\]]*)\]/.exec(fs.readFileSync(file, 'utf8'));
  return m ? [...m[1]!.matchAll(/['"]([a-z_][a-z0-9_]*)['"]/g)].map((x) => x[1]!) : null;
}

/** Which module owns each table ('platform' for the platform's). */
export function tableOwners(root: string): { owners: Map<string, string>; problems: Violation[] } {
  const owners = new Map<string, string>();
  const problems: Violation[] = [];
  const claim = (table: string, owner: string, file: string) => {
    const before = owners.get(table);
    if (before && before !== owner) problems.push({ rule: 'foreign-table', file, line: 1, detail: `table ${table} is listed by both ${before} and ${owner}` });
    owners.set(table, owner);
  };
  for (const t of listedTables(path.join(root, 'src/platform/tables.ts')) ?? []) claim(t, 'platform', 'src/platform/tables.ts');
  for (const name of moduleNames(root)) {
    const index = path.join(root, 'src/modules', name, 'index.ts');
    const tables = listedTables(index);
    if (tables === null) problems.push({ rule: 'unowned-table', file: `src/modules/${name}/index.ts`, line: 1, detail: `module ${name} has no index.ts with \`export const tables = [...]\`` });
    for (const t of tables ?? []) claim(t, name, rel(root, index));
  }
  return { owners, problems };
}

export function moduleNames(root: string): string[] {
  const dir = path.join(root, 'src/modules');
  return fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort() : [];
}

/** The module a path inside src/modules belongs to, or null. */
function moduleOf(root: string, file: string): string | null {
  const m = /^src\/modules\/([^/]+)\//.exec(rel(root, file));
  return m ? m[1]! : null;
}

// Kysely's builders name their table as the first argument: 'articles', 'articles as a'.
const BUILDER = /\b(selectFrom|insertInto|updateTable|deleteFrom|mergeInto|innerJoin|leftJoin|rightJoin|fullJoin|crossJoin|innerJoinLateral|leftJoinLateral)\(\s*['"]([a-z_][a-z0-9_]*)/g;
// Raw SQL in sql`…` templates: the word after from / join / into / update.
const RAW = /\bsql(?:<[^`]*?>)?`([^`]*)`/g;
const RAW_TABLE = /\b(?:from|join|into|update)\s+([a-z_][a-z0-9_]*)\b(?!\s*\()/gi;
const IMPORT = /(?:\bimport\s+(?:type\s+)?(?:[\w*{}\s,]+\s+from\s+)?|\bexport\s+(?:type\s+)?[\w*{}\s,]+\s+from\s+|\bimport\()\s*['"]([^'"]+)['"]/g;

export function checkBoundaries(root: string): Violation[] {
  const { owners, problems } = tableOwners(root);
  const out: Violation[] = [...problems];
  const files = [...walk(path.join(root, 'src')), ...walk(path.join(root, 'demo')), ...walk(path.join(root, 'bench'))];
  for (const file of files) {
    const name = rel(root, file);
    const text = fs.readFileSync(file, 'utf8');
    const own = moduleOf(root, file);

    // 1. Imports: into another module, only its index.ts.
    if (!COMPOSITION_ROOTS.includes(name)) {
      for (const m of text.matchAll(IMPORT)) {
        const spec = m[1]!;
        if (!spec.startsWith('.')) continue;
        const target = rel(root, path.resolve(path.dirname(file), spec)).replace(/\.js$/, '');
        const other = /^src\/modules\/([^/]+)\/(.+)$/.exec(target);
        if (!other || other[1] === own) continue;
        if (other[2] !== 'index') out.push({ rule: 'deep-import', file: name, line: lineOf(text, m.index), detail: `imports ${spec}: take it from src/modules/${other[1]}/index.ts` });
      }
    }
    if (!own) continue;

    // 2. Tables: a module queries only the tables it lists.
    const seen = (table: string, index: number, raw: boolean) => {
      const owner = owners.get(table);
      if (owner === own) return;
      if (!owner) {
        // Raw SQL names CTEs and columns too: only a known table counts there.
        if (!raw) out.push({ rule: 'unowned-table', file: name, line: lineOf(text, index), detail: `queries ${table}, which no module lists: add it to \`tables\` in its module's index.ts` });
        return;
      }
      out.push({ rule: 'foreign-table', file: name, line: lineOf(text, index), detail: `queries ${table}, owned by ${owner}: call ${owner}'s service instead` });
    };
    for (const m of text.matchAll(BUILDER)) seen(m[2]!, m.index, false);
    for (const m of text.matchAll(RAW)) {
      const body = m[1]!.replace(/\$\{[^}]*\}/g, ' ');
      for (const t of body.matchAll(RAW_TABLE)) seen(t[1]!.toLowerCase(), m.index + 4 + (t.index ?? 0), true);
    }

    // 3. Run-time lookups the imports do not show.
    for (const m of text.matchAll(/\b(app|fastify|instance)\s+as\s+unknown\s+as\b/g)) out.push({ rule: 'app-cast', file: name, line: lineOf(text, m.index), detail: `\`${m[0]}\`: ask for a named extension point (app.extensions) instead` });
    for (const m of text.matchAll(/\.hasDecorator\(/g)) out.push({ rule: 'decorator-probe', file: name, line: lineOf(text, m.index), detail: 'probes for a decorator: ask for a named extension point (app.extensions) instead' });
  }
  return out;
}

export const describeViolations = (list: Violation[]) => list.map((v) => `${v.file}:${v.line} [${v.rule}] ${v.detail}`).join('\n');
