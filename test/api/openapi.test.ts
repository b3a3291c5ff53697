// The OpenAPI document at /api/docs lists every route Fastify registered, and every
// operation in it — called anonymously, as a reader (who wrote a comment) and as an
// admin, with the CSRF token the pages send — answers without a 5xx and as the document says (status, content
// type, and the JSON against its schema).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from '../support/portal.js';
import type { Client } from '../support/client.js';
import { bodyOf, demoFixtures, documentPath, exampleOf, fillPath, isWrite, operationsOf, queryOf, responseChecker, unboundedIntegers, watchRoutes, type Fixtures, type Operation } from './operations.js';

const registered = watchRoutes();

/** Inputs that get past validation to the real work, where an example from the schema would not. */
function examples(f: Fixtures): Record<string, { body?: unknown; query?: Record<string, string> }> {
  const text = f.articleText;
  const comment = 'Спасибо редакции за подробный текст о городе.';
  return {
    'PUT /api/articles/{id}/reaction': { body: { kind: 'LIKE' } },
    'POST /articles/{id}/reaction': { body: { kind: 'HAPPY' } },
    'POST /api/comments': { body: { articleId: f.article.id, body: comment } },
    'POST /comments': { body: { articleId: String(f.article.id), body: `${comment} Ещё раз.` } },
    'PATCH /api/comments/{id}': { body: { body: comment } },
    'DELETE /api/comments/{id}': {},
    'PUT /api/comments/{id}/vote': { body: { value: 1 } },
    'POST /api/comments/{id}/complaints': { body: { reason: 'spam' } },
    'POST /api/articles/{id}/typos': { body: { fragment: text.slice(20, 30), before: text.slice(0, 20), after: text.slice(30, 60), revision: 1 } },
    'PATCH /api/typos/{id}': { body: { status: 'fixed' } },
    'POST /api/views': { body: { articleId: f.article.id } },
    'GET /api/search': { query: { q: 'город' } },
    'GET /search': { query: { q: 'город' } },
  };
}

// Reads first, then writes, then deletions; what signs out comes last.
const SIGN_OUT = ['POST /logout', 'POST /account/delete'];
const rank = (o: Operation) => (SIGN_OUT.includes(`${o.method} ${o.path}`) ? 3 : o.method === 'DELETE' ? 2 : isWrite(o.method) ? 1 : 0);

async function call(client: Client, o: Operation, f: Fixtures, origin: string) {
  const key = `${o.method} ${o.path}`;
  const example = examples(f)[key];
  const query = new URLSearchParams({ ...queryOf(o.op), ...example?.query }).toString();
  const url = fillPath(o.path, f) + (query ? `?${query}` : '');
  const api = o.path.startsWith('/api/');
  const headers: Record<string, string> = { accept: api ? 'application/json' : 'text/html' };
  if (isWrite(o.method)) Object.assign(headers, { 'x-csrf-token': await client.csrf(), origin });
  const body = bodyOf(o.op);
  const value = example?.body ?? (body ? exampleOf(body.schema) : undefined);
  if (body?.type === 'application/x-www-form-urlencoded') {
    const form = Object.fromEntries(Object.entries((value ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    return { url, res: await client.request(o.method, url, { form, headers }) };
  }
  if (body?.type === 'application/json') return { url, res: await client.request(o.method, url, { body: value, headers }) };
  return { url, res: await client.request(o.method, url, { headers }) };
}

test('every route is in /api/docs and every operation answers as documented', async () => {
  const portal = await startPortal({ config: { trustProxy: '127.0.0.1' } });
  try {
    const docs = await portal.client().get('/api/docs');
    assert.equal(docs.status, 200);
    assert.match(docs.headers.get('content-type') ?? '', /^application\/json/);
    const doc = docs.json();
    assert.equal(doc.openapi, '3.1.0');
    const ops = operationsOf(doc);
    const documented = new Set(ops.map((o) => `${o.method} ${o.path}`));

    // Every route, seen through Fastify's own onRoute hook; HEAD comes with each GET.
    assert.ok(registered.length > 50, `routes seen: ${registered.length}`);
    const missing = registered
      .map((r) => `${r.method} ${documentPath(r.url)}`)
      .filter((key) => !documented.has(key) && !(key.startsWith('HEAD ') && documented.has(key.replace('HEAD ', 'GET '))));
    assert.deepEqual(missing, [], 'routes missing from /api/docs');
    for (const o of ops) {
      assert.ok(o.op.tags?.length, `${o.method} ${o.path} has a tag`);
      assert.ok(o.op.responses?.['4XX'] || o.op.responses?.['400'], `${o.method} ${o.path} documents its errors`);
    }
    // An id or number past a database integer is refused by validation (400), never
    // sent to PostgreSQL to fail there (500): every integer input has a maximum.
    assert.deepEqual(ops.flatMap((o) => unboundedIntegers(o.op).map((where) => `${o.method} ${o.path}: ${where}`)), [], 'integer inputs without a maximum');

    const f = await demoFixtures(portal);
    const admin = portal.client({ 'x-forwarded-for': '10.77.0.2' });
    const email = `openapi-admin-${Date.now()}@example.ru`;
    await portal.app.accounts.createUser({ email, password: 'пароль-админа', displayName: 'Админ', role: 'admin' });
    await admin.signIn(email, 'пароль-админа');
    const anonymous = portal.client({ 'x-forwarded-for': '10.77.0.1' });
    const reader = portal.client({ 'x-forwarded-for': '10.77.0.3' });
    await reader.signIn(f.readerEmail, f.readerPassword);

    const check = responseChecker(doc);
    const problems: string[] = [];
    const statuses = new Map<string, number[]>();
    // Phase by phase, so one identity's deletion does not leave the next nothing to act on.
    for (const phase of [0, 1, 2, 3]) {
      for (const [who, client] of [['anonymous', anonymous], ['reader', reader], ['admin', admin]] as const) {
        for (const o of ops.filter((x) => rank(x) === phase)) {
          const { url, res } = await call(client, o, f, portal.url);
          statuses.set(`${o.method} ${o.path}`, [...(statuses.get(`${o.method} ${o.path}`) ?? []), res.status]);
          const where = `${who} ${o.method} ${url}`;
          if (res.status >= 500) problems.push(`${where}: ${res.status} ${res.text.slice(0, 200)}`);
          for (const p of check(o.op, res.status, res.headers.get('content-type'), res.text)) problems.push(`${where}: ${p}`);
        }
      }
    }
    assert.deepEqual(problems, []);
    // The calls reached the real work, not only the refusals: the JSON API answered 2xx.
    for (const key of Object.keys(examples(f))) assert.ok(statuses.get(key)?.some((s) => s < 400), `${key} succeeded once: ${statuses.get(key)}`);
    assert.equal((await portal.client().get('/healthz')).status, 200);
  } finally {
    await portal.close();
  }
});
