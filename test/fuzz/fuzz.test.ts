// Bad input at scale: at least 10,000 malformed or random requests, made by
// fast-check from the OpenAPI document (/api/docs), to every operation — pages, forms,
// the JSON API, feeds, the back office — anonymously and signed in as an admin with a
// valid CSRF token (so bodies get as far as validation).
//
// Every write carries at least one defect that must stop it (broken JSON, a body over
// the limit, a body against its schema, a path parameter against its schema, no CSRF
// proof, an unsupported content type, a method the path does not have, an address too
// long), plus noise that must not matter: extra and odd fields, invalid UTF-8, odd
// query strings and headers. Reads get the noise alone.
//
// Asserted: no 5xx; every write refused with a 4xx; the process answers /healthz at
// the end; and nothing was stored — every table has the same rows (a hash of its
// content) as before. The rate limits live in memory or Redis, not in tables, so no
// table is left out of the row counts; `sessions` (last-seen time of the admin's
// session) and `notifications` (reading the list marks it read) are left out of the
// content hash only, as reads change them; `moderation_activity` (a signed-in
// reader's days visited and things read, for the trust level) is left out whole, as
// an article read by a signed-in client adds its day's row.
//
// FUZZ_SEED=<n> replays a run (the seed is printed); FUZZ_RUNS=<n> changes its size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pool } from 'undici';
import fc from 'fast-check';
import { sql } from 'kysely';
import { startPortal, type Portal } from '../support/portal.js';
import { bodyOf, demoFixtures, exampleOf, fillPath, isWrite, operationsOf, type Fixtures, type Operation, type Schema } from '../api/operations.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const CONCURRENCY = 8;
const JSON_LIMIT = 1024 * 1024;
const FORM_LIMIT = 64 * 1024;
const CHANGING_TABLES = new Set(['sessions', 'notifications']);
const READ_LOGS = new Set(['moderation_activity']);

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** The defect that must get a 4xx; none for a read with noise only. */
  defect?: string;
  who: 'anonymous' | 'admin';
}

// ---------- values ----------

const INVALID_UTF8 = [Buffer.from([0xff]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xe2, 0x82]), Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80])];
const MARK = 'Ẍ_BAD_UTF8_Ẍ';

const oddString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', '‮rtl', '<script>alert(1)</script>', "' or 1=1 --", '../../etc/passwd', '%00', 'null', 'NaN', '-1', '1e309', '0x1F', '💥'.repeat(300), MARK),
);
const oddValue: fc.Arbitrary<unknown> = fc.oneof(oddString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant({}), fc.constant([]), fc.jsonValue({ maxDepth: 3 }));
const extraFields = fc.dictionary(fc.oneof(oddString, fc.constantFrom('__proto__', 'constructor', '_csrf', 'id', 'role')), oddValue, { maxKeys: 4 });

/** A value no schema of this type accepts, even with Fastify's type coercion. */
function wrongFor(schema: Schema | undefined): fc.Arbitrary<unknown> {
  const type = Array.isArray(schema?.type) ? schema.type[0] : schema?.type;
  if (type === 'object') return fc.constantFrom('text', 5, true, [1, 2]);
  // An object for an array: [1, 2] is a valid list of ids (seed 495483747), and Fastify's
  // coerceTypes: 'array' turns a scalar into a list of one.
  if (type === 'array') return fc.constantFrom({}, { $ne: 1 }, { 0: 1 });
  // A union with a list among its branches (a form field sent once or repeated):
  // [1, 2] is a valid list of strings once coerced (seed 871134897), [{}] is not.
  if (Array.isArray(schema?.anyOf) && schema.anyOf.some((b: Schema) => b.type === 'array')) return fc.constantFrom({}, { $ne: 1 }, [{}]);
  return fc.constantFrom({}, { $ne: 1 }, [1, 2], [{}]);
}

/** UTF-8 bytes of a text, with invalid sequences where it holds the marker. */
function withBadBytes(text: string, bad: Buffer): Buffer {
  const parts = text.split(MARK);
  return Buffer.concat(parts.flatMap((p, i) => (i ? [bad, Buffer.from(p)] : [Buffer.from(p)])));
}

/** Percent-encoding of the UTF-8 bytes (a lone surrogate becomes U+FFFD rather than an exception). */
const pct = (text: string) => [...Buffer.from(text)].map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

const formEncode = (value: Record<string, unknown>) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(value)) {
    for (const item of Array.isArray(v) ? v : [v]) params.append(k, typeof item === 'string' ? item : JSON.stringify(item));
  }
  return params.toString();
};

// ---------- requests ----------

const ODD_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'SEARCH', 'MKCOL', 'LOCK', 'PURGE'];
const NO_PARSER_TYPES = ['application/xml', 'text/csv', 'application/octet-stream', 'image/png', 'application/json-patch+json', 'application/x-www-form-urlencodedx', 'garbage', 'text/html; charset=utf-8', 'application/vnd.api+json'];

function paramConstrained(schema: Schema | undefined): boolean {
  return !!schema && (schema.type === 'integer' || schema.type === 'number' || !!schema.pattern || schema.maxLength !== undefined || !!schema.enum || !!schema.anyOf);
}

/** A path parameter its schema refuses. */
function badParam(schema: Schema): fc.Arbitrary<string> {
  if (schema.type === 'integer' || schema.type === 'number') return fc.constantFrom('abc', '1.5', '1e3x', '０１', 'NaN', 'Infinity', '%FF');
  if (schema.maxLength !== undefined) return fc.constant('x'.repeat(schema.maxLength + 10));
  return fc.constantFrom('UPPER', '..', 'a b', 'ё'.repeat(5), '_');
}

function queryNoise(op: Schema): fc.Arbitrary<string> {
  const names = (op.parameters ?? []).filter((p: Schema) => p.in === 'query').map((p: Schema) => p.name as string);
  const name = names.length ? fc.oneof(fc.constantFrom(...names), oddString) : oddString;
  const pair = fc.tuple(name, fc.oneof(oddString, fc.constantFrom('-1', '0', '1.5', 'abc', '1001', '2026-13-45', ''))).map(([k, v]) => `${pct(k)}=${pct(v)}`);
  const raw = fc.constantFrom('%', '%E0%A4%A', '%FF%FE', 'a[b]=1&a[c]=2', 'page=1&page=2', '=', '&&&', 'q=%00', `q=${'x'.repeat(3000)}`, 'sort[]=new');
  return fc.array(fc.oneof(pair, raw), { maxLength: 4 }).map((parts) => (parts.length ? `?${parts.join('&')}` : ''));
}

function headerNoise(): fc.Arbitrary<Record<string, string>> {
  return fc.record(
    {
      accept: fc.constantFrom('application/json', 'text/html', '*/*', 'image/*', 'application/json, text/html', '', 'garbage/;;'),
      'accept-language': fc.constantFrom('ru', 'en', '*', 'xx-YY;q=abc'),
      'if-none-match': fc.constantFrom('"x"', '*', 'W/"1"'),
      'x-requested-with': fc.constant('XMLHttpRequest'),
    },
    { requiredKeys: [] },
  );
}

/** A request before the identity and the noise are added. */
type Draft = Omit<FuzzRequest, 'who' | 'headers'> & { headers: Record<string, string> };

interface Context {
  fixtures: Fixtures;
  ops: Operation[];
  methodsOf: Map<string, Set<string>>;
  identities: { anonymous: { cookie: string; csrf: string }; admin: { cookie: string; csrf: string } };
}

type Mutation = (value: Record<string, unknown>) => Record<string, unknown>;

/** A body of the operation (valid per its schema, then `mutate`d) with odd extra fields and maybe invalid UTF-8. */
function encodedBody(o: Operation, encoding: 'json' | 'any' = 'any', mutate: Mutation = (v) => v): fc.Arbitrary<{ type: string; body: Buffer }> {
  const body = bodyOf(o.op);
  const example = body ? exampleOf(body.schema) : {};
  const base = typeof example === 'object' && example ? (example as Record<string, unknown>) : {};
  return fc.tuple(extraFields, fc.constantFrom(...INVALID_UTF8), fc.boolean(), fc.boolean()).map(([extra, bad, asForm, badBytes]) => {
    const value = mutate({ ...extra, ...(badBytes ? { noise: `a${MARK}b` } : {}), ...base });
    return encoding === 'any' && asForm
      ? { type: 'application/x-www-form-urlencoded', body: withBadBytes(formEncode(value), bad) }
      : { type: 'application/json', body: withBadBytes(JSON.stringify(value), bad) };
  });
}

/** A property schema that a value of another type can never satisfy (typed, and not open to objects). */
const typed = (schema: Schema | undefined): boolean =>
  !!schema && (typeof schema.type === 'string' || Array.isArray(schema.type) || (Array.isArray(schema.anyOf) && schema.anyOf.every((b: Schema) => typed(b) && b.type !== 'object')));

function defects(o: Operation, ctx: Context): fc.Arbitrary<Draft> {
  const path = fillPath(o.path, ctx.fixtures);
  const body = bodyOf(o.op);
  const out: fc.Arbitrary<Draft>[] = [];
  const write = isWrite(o.method);

  if (write) {
    // Broken JSON.
    out.push(
      fc
        .tuple(
          fc.constantFrom('{', '{"a":', "{'a':1}", '[1,2', '{"a":1}}', 'undefined', '{"a":"\u0000', '\ufeff{', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '{"a":01}', '{a:1}'),
          fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json; charset=latin1'),
          fc.constantFrom(...INVALID_UTF8),
          fc.boolean(),
        )
        .map(([text, type, bad, withBad]) => ({ method: o.method, path, headers: { 'content-type': type }, body: withBad ? Buffer.concat([Buffer.from(text), bad]) : Buffer.from(text), defect: 'broken JSON' })),
    );
    // Over the body limit.
    out.push(
      fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain').map((type) => {
        const size = (type === 'application/x-www-form-urlencoded' ? FORM_LIMIT : JSON_LIMIT) + 1024;
        const text = type === 'application/json' ? `{"body":"${'я'.repeat(size / 2)}"}` : type === 'text/plain' ? 'x'.repeat(JSON_LIMIT + 10) : `body=${'x'.repeat(size)}`;
        return { method: o.method, path, headers: { 'content-type': type }, body: Buffer.from(text), defect: 'body over the limit' };
      }),
    );
    // An unsupported content type.
    out.push(encodedBody(o).chain((b) => fc.constantFrom(...NO_PARSER_TYPES).map((type) => ({ method: o.method, path, headers: { 'content-type': type }, body: b.body, defect: 'unsupported content type' }))));
    // No CSRF proof (the cookie alone is not enough).
    if ((o.op.description ?? '').includes('CSRF')) out.push(encodedBody(o).map((b) => ({ method: o.method, path, headers: { 'content-type': b.type, 'x-no-csrf': '1' }, body: b.body, defect: 'no CSRF proof' })));
    // A body against its schema.
    const schema = body?.schema;
    if (schema && (schema.type === 'object' || schema.additionalProperties)) {
      const props = Object.keys(schema.properties ?? {}).filter((p) => p !== '_csrf');
      const typedProps = props.filter((p) => typed(schema.properties[p]));
      const required = (schema.required ?? []) as string[];
      const violations: fc.Arbitrary<Mutation>[] = [];
      if (required.length) violations.push(fc.constantFrom(...required).map((k): Mutation => (v) => Object.fromEntries(Object.entries(v).filter(([key]) => key !== k))));
      if (typedProps.length) violations.push(fc.constantFrom(...typedProps).chain((k) => wrongFor(schema.properties[k]).map((bad): Mutation => (v) => ({ ...v, [k]: bad }))));
      if (typed(schema.additionalProperties)) violations.push(wrongFor(schema.additionalProperties).map((bad): Mutation => (v) => ({ ...v, field: bad })));
      // JSON carries any type; a form only strings, so there a wrong type is a repeated field.
      for (const violation of violations) {
        out.push(violation.chain((mutate) => encodedBody(o, 'json', mutate).map((b) => ({ method: o.method, path, headers: { 'content-type': b.type }, body: b.body, defect: 'body against its schema' }))));
      }
      const stringProps = typedProps.filter((p) => schema.properties[p].type === 'string');
      if (stringProps.length || typed(schema.additionalProperties)) {
        out.push(
          fc.constantFrom(...(stringProps.length ? stringProps : ['field'])).map((k) => {
            const value = { ...(exampleOf(schema) as Record<string, unknown>), [k]: ['a', 'b'] };
            return { method: o.method, path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(formEncode(value)), defect: 'form field repeated' };
          }),
        );
      }
      out.push(fc.constantFrom('"text"', '42', '[]', '[{}]', 'true').map((text) => ({ method: o.method, path, headers: { 'content-type': 'application/json' }, body: Buffer.from(text), defect: 'body not an object' })));
    }
  }
  // A path parameter against its schema.
  const params = (o.op.parameters ?? []).filter((p: Schema) => p.in === 'path' && paramConstrained(p.schema));
  if (params.length) {
    out.push(
      fc.tuple(fc.constantFrom(...params), encodedBody(o)).chain(([p, b]) =>
        badParam(p.schema).map((value) => {
          const bad = o.path.replace(`{${p.name}}`, pct(value));
          return { method: o.method, path: fillPath(bad, ctx.fixtures), headers: (write ? { 'content-type': b.type } : {}) as Record<string, string>, body: write ? b.body : undefined, defect: write ? 'path parameter against its schema' : undefined };
        }),
      ),
    );
  }
  // A method the path does not have.
  const taken = ctx.methodsOf.get(o.path)!;
  const others = ODD_METHODS.filter((m) => !taken.has(m) && !(m === 'HEAD' && taken.has('GET')) && !(m === 'OPTIONS'));
  if (others.length) out.push(fc.constantFrom(...others).map((method) => ({ method, path, headers: {}, defect: method === 'GET' ? undefined : 'a method the path does not have' })));
  // An address longer than any page of ours.
  out.push(fc.constant({ method: o.method, path: `${path}${path.includes('?') ? '&' : '?'}pad=${'a'.repeat(2100)}`, headers: {}, defect: 'address too long' }));
  // Reads: noise only, most of the time.
  const weighted = out.map((arbitrary) => ({ arbitrary, weight: 1 }));
  if (!write) weighted.push({ arbitrary: fc.constant({ method: o.method, path, headers: {} }), weight: 4 });
  return fc.oneof(...weighted);
}

function requests(ctx: Context): fc.Arbitrary<FuzzRequest> {
  const perOp = ctx.ops.map((o) =>
    fc
      .tuple(defects(o, ctx), fc.constantFrom<'anonymous' | 'admin'>('anonymous', 'admin'), queryNoise(o.op), headerNoise(), fc.integer({ min: 1, max: 2 ** 24 - 2 }))
      .map(([r, who, query, headers, ip]): FuzzRequest => {
        const identity = ctx.identities[who];
        const { 'x-no-csrf': noCsrf, ...own } = r.headers;
        const path = r.path.includes('?') || r.defect === 'address too long' ? r.path : r.path + query;
        return {
          ...r,
          path,
          who,
          headers: {
            ...headers,
            ...own,
            cookie: identity.cookie,
            ...(noCsrf ? {} : { 'x-csrf-token': identity.csrf }),
            // A fresh address each time: the per-IP limits must not answer before validation.
            'x-forwarded-for': `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}`,
          },
        };
      }),
  );
  return fc.oneof(...perOp);
}

// ---------- the database before and after ----------

async function snapshot(portal: Portal): Promise<Map<string, string>> {
  const db = portal.database.db;
  const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`.execute(db);
  const out = new Map<string, string>();
  for (const { name } of tables.rows) {
    if (READ_LOGS.has(name)) continue;
    const hash = CHANGING_TABLES.has(name) ? sql`''` : sql`coalesce(md5(string_agg(t::text, ',' order by t::text)), '')`;
    const r = await sql<{ n: string; hash: string }>`select count(*) as n, ${hash} as hash from ${sql.table(name)} t`.execute(db);
    out.set(name, `${r.rows[0]!.n} rows ${r.rows[0]!.hash}`);
  }
  return out;
}

async function identity(portal: Portal, email?: string): Promise<{ cookie: string; csrf: string }> {
  const client = portal.client({ 'x-forwarded-for': `10.250.0.${email ? 2 : 1}` });
  if (email) await client.signIn(email, 'пароль-фаззера');
  const csrf = await client.csrf();
  return { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), csrf };
}

// Its own limit: ten thousand requests take a couple of minutes on a busy 2-core machine.
test(`${RUNS} malformed requests from the OpenAPI document: no 5xx, every write refused, nothing stored`, { timeout: 15 * 60_000 }, async () => {
  const portal = await startPortal({ config: { trustProxy: '127.0.0.1' } });
  const pool = new Pool(portal.url, { connections: CONCURRENCY, keepAliveTimeout: 10_000 });
  try {
    const doc = (await portal.client().get('/api/docs')).json();
    const ops = operationsOf(doc);
    const methodsOf = new Map<string, Set<string>>();
    for (const o of ops) methodsOf.set(o.path, (methodsOf.get(o.path) ?? new Set()).add(o.method));
    const email = `fuzz-admin-${Date.now()}@example.ru`;
    await portal.app.accounts.createUser({ email, password: 'пароль-фаззера', displayName: 'Фаззер', role: 'admin' });
    const fixtures = await demoFixtures(portal);
    const ctx: Context = { fixtures, ops, methodsOf, identities: { anonymous: await identity(portal), admin: await identity(portal, email) } };
    // Let writes of the set-up (view counters, purges) settle before the snapshot.
    await portal.app.viewCounter.flush();
    const before = await snapshot(portal);

    console.log(`# fuzz seed ${SEED} (FUZZ_SEED=${SEED} replays it), ${RUNS} requests over ${ops.length} operations`);
    const all = fc.sample(requests(ctx), { numRuns: RUNS, seed: SEED });
    const started = Date.now();
    const failures: string[] = [];
    const byDefect = new Map<string, number>();
    let next = 0;
    const worker = async () => {
      while (next < all.length) {
        const r = all[next++]!;
        byDefect.set(r.defect ?? 'noise only', (byDefect.get(r.defect ?? 'noise only') ?? 0) + 1);
        const what = () => `${r.who} ${r.method} ${r.path.slice(0, 160)} [${r.defect ?? 'noise'}] ${JSON.stringify(r.headers['content-type'] ?? '')} ${r.body ? r.body.subarray(0, 120).toString('latin1') : ''}`;
        try {
          const res = await pool.request({ method: r.method, path: r.path, headers: r.headers, body: r.body });
          const text = await res.body.text();
          if (res.statusCode >= 500) failures.push(`${res.statusCode} ${what()} → ${text.slice(0, 200)}`);
          else if (r.defect && (res.statusCode < 400 || res.statusCode >= 500)) failures.push(`${res.statusCode} instead of a 4xx: ${what()}`);
        } catch (err) {
          // A server may close the connection on a body it will not read (over the
          // limit, or a request line Node's parser refuses); anything else is a failure.
          const code = (err as { code?: string }).code ?? '';
          const closed = ['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'UND_ERR_CLOSED'].includes(code);
          if (!(closed && (r.defect === 'body over the limit' || r.defect === 'a method the path does not have'))) failures.push(`${code || (err as Error).message} ${what()}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    console.log(`# fuzz: ${all.length} requests in ${((Date.now() - started) / 1000).toFixed(1)} s; by defect: ${[...byDefect].map(([k, v]) => `${k} ${v}`).join(', ')}`);

    assert.deepEqual(failures.slice(0, 30), [], `${failures.length} failures (seed ${SEED})`);
    const health = await pool.request({ method: 'GET', path: '/healthz' });
    assert.equal(health.statusCode, 200);
    assert.deepEqual(await health.body.json(), { status: 'ok' });
    await portal.app.viewCounter.flush();
    const after = await snapshot(portal);
    assert.deepEqual(Object.fromEntries(after), Object.fromEntries(before), 'a table changed');
  } finally {
    await pool.close();
    await portal.close();
  }
});
