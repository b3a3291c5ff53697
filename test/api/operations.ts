// What the API test and the fuzz test share: the operations of the OpenAPI document
// (/api/docs), real values for their path parameters from the demo portal, example
// inputs made from their schemas, and a check of an answer against the document.
import dc from 'node:diagnostics_channel';
import { sql } from 'kysely';
import fc from 'fast-check';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { Portal } from '../support/portal.js';
import { locate } from '../../src/modules/typos/text.js';
import { accountReader } from '../../src/platform/reader.js';

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

export type Schema = Record<string, any>;
export interface Operation {
  method: string;
  /** As in the document: /api/comments/{id}. */
  path: string;
  op: Schema;
}

/** Every route Fastify registers from now on, seen independently of the document. */
export function watchRoutes(): { method: string; url: string }[] {
  const seen: { method: string; url: string }[] = [];
  dc.channel('fastify.initialization').subscribe((message) => {
    const { fastify } = message as { fastify: FastifyInstance };
    fastify.addHook('onRoute', (route: RouteOptions) => {
      for (const method of [route.method].flat()) seen.push({ method: String(method), url: route.url });
    });
  });
  return seen;
}

/** Fastify's /a/:b/* as the document writes it: /a/{b}/{*}. */
export const documentPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\*$/, '{*}');

export function operationsOf(doc: Schema): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<Schema>(doc.paths)) {
    for (const [method, op] of Object.entries<Schema>(item)) ops.push({ method: method.toUpperCase(), path, op });
  }
  return ops;
}

export const isWrite = (method: string) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method);

/** Real values from the demo portal for the path parameters, by what the path is about. */
export interface Fixtures {
  article: { id: number; url: string };
  commentId: number;
  sectionId: number;
  sectionSlug: string;
  tagSlug: string;
  storySlug: string;
  authorSlug: string;
  upload: string;
  asset: string;
  typoId: number;
  formTypoId: number;
  articleText: string;
  readerId: number;
  readerEmail: string;
  readerPassword: string;
}

export async function demoFixtures(portal: Portal): Promise<Fixtures> {
  const db = portal.database.db;
  // A published article whose comments are open, with one approved comment of another reader to vote on.
  const ids = await db.selectFrom('articles').select('id').where('status', '=', 'published').orderBy('id').execute();
  let article = null;
  for (const { id } of ids) {
    if ((await portal.app.comments.commentable({ kind: 'article', id })).mode !== 'closed') {
      article = (await portal.app.content.article(id))!;
      break;
    }
  }
  if (!article) throw new Error('no published article open for comments in the demo');
  const first = async (table: string, column = 'id') => {
    const r = await sql<{ v: string | number }>`select ${sql.ref(column)} as v from ${sql.table(table)} order by 1 limit 1`.execute(db);
    return r.rows[0]?.v;
  };
  const image = await db.selectFrom('images').select(['storage_key', 'variants']).executeTakeFirstOrThrow();
  const home = await (await fetch(`${portal.url}/`)).text();
  const reader = await portal.app.accounts.createUser({ email: `reader-${Date.now()}@example.ru`, password: 'пароль-читателя', displayName: 'Читатель', role: 'reader' });
  const user = { id: reader.id, email: reader.email, displayName: 'Читатель', role: 'reader' as const };
  const comment = await portal.app.comments.create({ articleId: article.id, user, body: 'Комментарий читателя для проверки API.', ipHash: 'test' });
  if (comment.status !== 'approved') await portal.app.comments.decide(comment.id, 'approve');
  // Two open reports: the JSON API closes one, the queue's form the other.
  const typo = (from: number) => portal.app.typos.report({ ...locate(article.bodyText, article.bodyText.slice(from, from + 12))!, articleId: article.id, revision: article.revision, comment: '', reader: accountReader(reader.id), ipHash: 'test' });
  const [apiTypo, formTypo] = [await typo(0), await typo(40)];
  return {
    article: { id: article.id, url: article.url },
    commentId: comment.id,
    sectionId: Number(await first('sections')),
    sectionSlug: String(await first('sections', 'slug')),
    tagSlug: String(await first('tags', 'slug')),
    storySlug: String(await first('stories', 'slug')),
    authorSlug: String(await first('authors', 'slug')),
    upload: `${image.storage_key}/${(image.variants as { file: string }[])[0]!.file}`,
    asset: /\/assets\/([^"']+\.css)/.exec(home)![1]!,
    typoId: apiTypo.id,
    formTypoId: formTypo.id,
    articleText: article.bodyText,
    readerId: reader.id,
    readerEmail: reader.email,
    readerPassword: 'пароль-читателя',
  };
}

/** A concrete address for a documented path, with real ids where the path is about something. */
export function fillPath(path: string, f: Fixtures): string {
  if (path.startsWith('/text/{section}')) return path.endsWith('/') ? f.article.url : f.article.url.replace(/\/$/, '');
  if (path === '/text/{id}/' || path === '/text/{id}') return `/text/${f.sectionSlug}${path.endsWith('/') ? '/' : ''}`;
  const byName: Record<string, string> = {
    slug: path.startsWith('/authors') ? f.authorSlug : path.startsWith('/tags') ? f.tagSlug : f.storySlug,
    articleId: String(f.article.id),
    locale: 'ru',
    file: `${f.sectionSlug}.xml`,
    name: f.asset,
    '*': f.upload,
    token: 'no-such-token',
    rev: '1',
  };
  let id = '1';
  if (/^\/(api\/)?articles\/|^\/api\/admin\/articles\/|^\/admin\/articles\//.test(path)) id = String(f.article.id);
  else if (/^\/api\/comments\/|^\/admin\/comments\/\{id\}/.test(path)) id = String(f.commentId);
  else if (path.startsWith('/admin/sections/')) id = String(f.sectionId);
  else if (path.startsWith('/admin/typos/')) id = String(f.formTypoId);
  else if (path.startsWith('/api/typos/')) id = String(f.typoId);
  else if (path.startsWith('/admin/users/')) id = String(f.readerId);
  return path.replace(/\{([^}]+)\}/g, (_m, name: string) => (name === 'id' ? id : (byName[name] ?? '1')));
}

// ---------- inputs from schemas ----------

const nonNull = (list: Schema[]) => list.find((s) => s.type !== 'null') ?? list[0]!;

/** One value that satisfies the schema (patterns through fast-check's stringMatching). */
export function exampleOf(schema: Schema | undefined, seed = 1): unknown {
  if (!schema) return undefined;
  if ('const' in schema) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return exampleOf(nonNull(schema.anyOf), seed);
  if (schema.oneOf) return exampleOf(nonNull(schema.oneOf), seed);
  const type = Array.isArray(schema.type) ? (schema.type.find((t: string) => t !== 'null') ?? 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = exampleOf(schema.properties?.[key], seed);
      return out;
    }
    case 'array':
      return schema.minItems ? Array.from({ length: schema.minItems }, () => exampleOf(schema.items, seed)) : [];
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'string':
      if (schema.pattern) return fc.sample(fc.stringMatching(new RegExp(schema.pattern)), { numRuns: 1, seed })[0];
      if (schema.format === 'date-time') return new Date().toISOString();
      if (schema.format === 'date') return new Date().toISOString().slice(0, 10);
      return 'тест'.padEnd(schema.minLength ?? 4, 'т').slice(0, schema.maxLength ?? 100);
    default:
      return {};
  }
}

/** The JSON (or form) schema of an operation's body, and the content type it is documented with. */
export function bodyOf(op: Schema): { type: string; schema: Schema } | undefined {
  const content = op.requestBody?.content as Record<string, { schema: Schema }> | undefined;
  if (!content) return undefined;
  const [type, media] = Object.entries(content)[0]!;
  return { type, schema: media.schema };
}

/** PostgreSQL's `integer`: a larger input reaching a query is a database error (a 500), not bad input. */
const MAX_INT = 2_147_483_647;

/** Where an operation takes an integer (path, query, body) that may exceed a database integer. */
export function unboundedIntegers(op: Schema): string[] {
  const found: string[] = [];
  const walk = (schema: Schema | undefined, where: string) => {
    if (!schema || typeof schema !== 'object') return;
    const types = [schema.type].flat();
    if (types.includes('integer') && !(schema.maximum <= MAX_INT)) found.push(where);
    for (const [key, child] of Object.entries<Schema>(schema.properties ?? {})) walk(child, `${where}.${key}`);
    for (const k of ['anyOf', 'oneOf', 'allOf'] as const) for (const child of schema[k] ?? []) walk(child, where);
    walk(schema.items, `${where}[]`);
  };
  for (const p of op.parameters ?? []) walk(p.schema, `${p.in} ${p.name}`);
  const body = bodyOf(op);
  if (body) walk(body.schema, 'body');
  return found;
}

export function queryOf(op: Schema): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of op.parameters ?? []) if (p.in === 'query' && p.required) out[p.name] = String(exampleOf(p.schema));
  return out;
}

// ---------- answers against the document ----------

export function responseChecker(doc: Schema) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const compiled = new Map<Schema, ReturnType<Ajv2020['compile']>>();
  const validate = (schema: Schema) => {
    if (!compiled.has(schema)) compiled.set(schema, ajv.compile({ ...schema, components: doc.components }));
    return compiled.get(schema)!;
  };
  /** Problems with this answer, or [] when the document describes it. */
  return (op: Schema, status: number, contentType: string | null, body: string): string[] => {
    const responses = op.responses as Record<string, Schema>;
    const entry = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
    if (!entry) return [`status ${status} is not documented (${Object.keys(responses).join(', ')})`];
    if (!entry.content || body === '') return [];
    const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    const media = entry.content[type] ?? entry.content['*/*'];
    if (!media) return [`${status} answered ${type}, documented: ${Object.keys(entry.content).join(', ')}`];
    if (type !== 'application/json' || !media.schema) return [];
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch {
      return [`${status} is not JSON: ${body.slice(0, 100)}`];
    }
    const check = validate(media.schema);
    return check(data) ? [] : [`${status} body does not match: ${ajv.errorsText(check.errors)} in ${body.slice(0, 300)}`];
  };
}
