// The OpenAPI 3.1 document of every route — pages, forms, the JSON API, feeds, the
// back office — served as JSON at /api/docs. Routes describe themselves (TypeBox
// schemas, `tags`, `summary`, `response`); this plugin fills in what every route has
// in common, so no module repeats it: the error bodies, the HTML a page answers with
// when it declares nothing else, the roles and the CSRF token a route needs.
//
// Registered before every route (it collects them through an onRoute hook); the
// document's own route is added after them (serveApiDocs).
// A response schema also makes Fastify serialize with it, and fast-json-stringify
// drops properties it does not declare: declare every property a client reads.
import swagger from '@fastify/swagger';
import fp from 'fastify-plugin';
import { Type, type TSchema } from '@sinclair/typebox';
import type { RouteOptions } from 'fastify';
import type { App } from '../types.js';

/** What the error handler (http.ts) answers to the API and to JSON clients. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'stable, for programs: validation, csrf, unauthorized, forbidden, not_found, rate_limited, …' }),
      message: Type.String({ description: 'for people, in the reader’s language (Russian by default)' }),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  },
  { title: 'Error' },
);

// Response entries for route schemas. Fastify serializes only objects, so a body
// sent as a string (HTML, XML, text) passes through these untouched.
const text = (type: string, description: string) => ({ description, content: { [type]: { schema: { type: 'string' } } } });
/** A server-rendered page (or a form's result page). */
export const html = (description: string) => text('text/html', description);
/** A redirect (its target in `Location`); no body. */
export const redirect = (description: string) => ({ description, type: 'null' });
export const xml = (type: 'application/rss+xml' | 'application/xml', description: string) => text(type, description);
export const plain = (description: string) => text('text/plain', description);
/** The responses of a page whose status varies (an error shown in the page itself): any status type-checks. */
export const pageResponses = (entries: Record<string, unknown>): Record<number, unknown> => entries;
/** JSON of a declared shape. */
export const json = (schema: TSchema, description: string) => ({ ...schema, description });

/** The largest id a table's `integer` key holds: an id beyond it is bad input (400), not a database error. */
export const MAX_ID = 2_147_483_647;
/** A row's id in a path, query or body. */
export const RowId = () => Type.Integer({ minimum: 1, maximum: MAX_ID });
/**
 * Ids in a query, comma-separated (`12,40`), at most `max`; empty is an empty list.
 * The same rule as text for front doors that answer before Fastify: parseIdList.
 */
export const IdList = (max: number, description: string) => Type.String({ pattern: `^([1-9][0-9]{0,9}(,[1-9][0-9]{0,9}){0,${max - 1}})?$`, description, examples: ['12,40'] });
/** IdList's text as ids, or null when it breaks the rule (too many, not ids, beyond MAX_ID). */
export function parseIdList(text: string, max: number): number[] | null {
  if (text === '') return [];
  const parts = text.split(',');
  if (parts.length > max) return null;
  const ids: number[] = [];
  for (const part of parts) {
    if (!/^[1-9][0-9]{0,9}$/.test(part)) return null;
    const id = Number(part);
    if (id > MAX_ID) return null;
    ids.push(id);
  }
  return ids;
}
/** The one schema of a numeric id in a path (`/…/:id`): every route with one uses it. */
export const IdParams = Type.Object({ id: RowId() });

const Errors = {
  api: { '4XX': json(ErrorBody, 'Refused: bad input, CSRF, not signed in, no role, not found, conflict, rate limited') },
  page: {
    '4XX': {
      description: 'Refused: the Russian error page, or the JSON error to a client that accepts only JSON',
      content: { 'text/html': { schema: { type: 'string' } }, 'application/json': { schema: ErrorBody } },
    },
  },
  unavailable: { 503: { description: 'The database is away for a moment (a restart); retry after Retry-After', content: { 'application/json': { schema: ErrorBody }, 'text/html': { schema: { type: 'string' } } } } },
};

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A tag for routes that name none, from where they live. */
function tagOf(url: string): string {
  if (url.startsWith('/api/admin') || url.startsWith('/admin')) return 'newsroom';
  if (/^\/(login|logout|register|confirm|forgot|reset|account)\b|^\/api\/me$/.test(url)) return 'accounts';
  if (/^\/(healthz|readyz|metrics|lang)\b/.test(url)) return 'ops';
  if (/^\/(assets|uploads|favicon)\b/.test(url)) return 'assets';
  if (/^\/(rss|sitemap|robots)/.test(url)) return 'feeds';
  if (url.startsWith('/api/')) return 'api';
  return 'pages';
}

type RouteSchema = Record<string, unknown> & { response?: Record<string, unknown>; body?: unknown };

/** Adds what is common to every route to its own description. */
export function describeRoute(route: Pick<RouteOptions, 'method' | 'url' | 'schema' | 'config'>): RouteSchema {
  // Older routes say `hide: true` to keep pages out of an API document; this one
  // lists every route.
  const { hide: _listedAnyway, ...own } = (route.schema ?? {}) as RouteSchema;
  const url = route.url ?? '';
  const api = url.startsWith('/api/');
  const methods = [route.method].flat().map(String);
  const write = methods.some((m) => WRITES.has(m));
  const config = (route.config ?? {}) as { roles?: string[]; csrf?: boolean | 'origin' };
  const tags = (own.tags as string[] | undefined) ?? [tagOf(url)];
  const schema: RouteSchema = { ...own, tags };

  const declared = Object.keys(own.response ?? {});
  const success = declared.some((code) => /^[23]/.test(code))
    ? {}
    : tags[0] === 'assets'
      ? { 200: { description: 'The file', content: { '*/*': { schema: { type: 'string', format: 'binary' } } } }, 301: redirect('Moved: to the current file') }
      : api
      ? { '2XX': { description: 'JSON', content: { 'application/json': { schema: {} } } } }
      : write
        ? { 200: html('The form again with a message, or the result page'), 303: redirect('Done: on to the next page') }
        : { 200: html('The page') };
  // Swagger writes status classes upper-case (4XX): so must the merge, or two keys would meet.
  const ownResponses = Object.fromEntries(Object.entries(own.response ?? {}).map(([code, entry]) => [code.toUpperCase(), entry]));
  // A page for signed-in staff or readers sends a stranger to the sign-in form.
  const signIn = config.roles && !api ? { 303: redirect('Not signed in: to /login?next=<this page>') } : {};
  schema.response = { ...success, ...signIn, ...(api ? Errors.api : Errors.page), ...Errors.unavailable, ...ownResponses };
  // Forms are what browsers send; the JSON API takes JSON.
  if (own.body && !own.consumes && !api) schema.consumes = ['application/x-www-form-urlencoded'];

  const notes: string[] = [];
  if (config.roles) notes.push(`Signed in as ${config.roles.join(', ')} (an admin always may).`);
  const csrf = write ? (config.csrf ?? true) : false;
  if (csrf === true) notes.push('CSRF: the gorod_csrf cookie’s value in the x-csrf-token header or the _csrf form field.');
  if (csrf === 'origin') notes.push('CSRF: a same-origin request (Sec-Fetch-Site or Origin).');
  if (notes.length) schema.description = [own.description, ...notes].filter(Boolean).join(' ');
  const security = [...(config.roles ? ['session'] : []), ...(csrf === true ? ['csrf'] : [])];
  if (security.length) schema.security = [Object.fromEntries(security.map((s) => [s, []]))];
  return schema;
}

async function openApi(app: App) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Gorod',
        version: '0.1.0',
        description: 'Every route of the Gorod city portal: pages and forms (HTML), the JSON API of the page islands and the back office, feeds and operations.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'gorod_session', description: 'Set by POST /login' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token', description: 'The gorod_csrf cookie’s value; GET /api/me sets the cookie and returns it' },
        },
      },
    },
    transform: ({ route, url }) => ({ schema: describeRoute(route) as never, url }),
  });
}

/** GET /api/docs. Added last, so the platform's hooks (headers, errors) apply to it as to any route. */
export function serveApiDocs(app: App) {
  app.get(
    '/api/docs',
    // The schema `{}` (anything) keeps the serializer from dropping the document's properties.
    { schema: { tags: ['ops'], summary: 'This document (OpenAPI 3.1)', response: { 200: { description: 'The OpenAPI document', content: { 'application/json': { schema: {} } } } } } },
    async (_req, reply) => reply.header('cache-control', 'no-store').send(app.swagger()),
  );
}

export default fp(openApi, { name: 'openapi' });
