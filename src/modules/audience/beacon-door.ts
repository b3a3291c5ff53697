// The view beacon's front door (web/front-door.ts). Every article page sends one
// beacon per reader, so on a breaking story beacons are the most frequent write;
// through Fastify each cost four times a bare server's request, mostly the
// framework's per-request work (docs/benchmarks.md). This door answers the beacon
// every page sends — POST /api/views, same origin, a small JSON body, no session —
// with the same limit, checks and counting as the route (routes.tsx: beacons.take).
// Anything else (a signed-in reader, another origin, a chunked or large body,
// another content type) goes to the Fastify route, which answers it in full.
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import { isSameOrigin } from '../../platform/csrf.js';
import { MAX_ID } from '../../platform/openapi.js';
import { i18n } from '../../platform/i18n/index.js';
import { isDatabaseUnavailable, LANG_COOKIE, tooManyRequests } from '../../platform/http.js';
import { pendingReader, READER_COOKIE, type ReaderStanding } from '../../platform/reader.js';
import { SESSION_COOKIE } from '../../platform/sessions.js';
import { clientIpOf, httpsTest, securityHeaders, type FrontDoor } from '../../web/front-door.js';

/** What the route and the door share. */
export interface BeaconHandling {
  /**
   * Counts the beacon against its address's limit and counts the view, unless a
   * bot's, an unknown or unpublished article's, or a repeat (`reader` is asked
   * only for a countable view) or a reader not issued before (`standing`: the
   * anti-stuffing rule, platform/reader-cap.ts). Returns the seconds to wait when the
   * address is over its limit, or whether the view counted.
   */
  take(ip: string, articleId: number, userAgent: string, reader: () => string, standing: ReaderStanding): Promise<{ wait: number } | { counted: boolean }>;
}

/** Tells the page's script that its reader was new and the view not counted. */
export const UNPROVEN_HEADER = 'gorod-view';

/** A beacon's body is `{"articleId":123}`: anything longer is not one. */
const MAX_BODY = 256;
const JSON_TYPE = /^application\/json\s*(?:;|$)/i;

export function beaconFrontDoor(app: App, handling: BeaconHandling): FrontDoor {
  const isHttps = httpsTest(app.config.trustProxy);
  const ipOf = clientIpOf(app.config.trustProxy);
  const security = { http: securityHeaders(false), https: securityHeaders(true) };

  return (req, res) => {
    if (req.method !== 'POST' || req.url !== '/api/views') return false;
    const { headers } = req;
    const length = Number(headers['content-length']);
    if (!(length > 0 && length <= MAX_BODY) || !JSON_TYPE.test(headers['content-type'] ?? '')) return false;
    const cookies = headers.cookie ? app.parseCookie(headers.cookie) : {};
    if (cookies[SESSION_COOKIE]) return false;
    if (!isSameOrigin({ headers } as FastifyRequest, app.config.publicUrl)) return false;
    void answer(req, res, length, cookies);
    return true;
  };

  async function answer(req: IncomingMessage, res: ServerResponse, length: number, cookies: Record<string, string | undefined>) {
    const https = isHttps(req);
    const head: string[] = [...security[https ? 'https' : 'http'].flat(), 'x-request-id', crypto.randomUUID()];
    const texts = i18n(cookies[LANG_COOKIE] === 'en' ? 'en' : 'ru', app.config.timezone);
    const fail = (status: number, code: string, message: string, extra: string[] = []) => {
      const body = JSON.stringify({ error: { code, message } });
      res.writeHead(status, [...head, ...extra, 'content-type', 'application/json; charset=utf-8', 'content-length', String(Buffer.byteLength(body))]);
      res.end(body);
    };
    try {
      const body = await readBody(req, length);
      const articleId = body === null ? null : articleIdOf(body);
      if (articleId === null) return fail(400, 'validation', texts.t('error.validation', { details: `body: {"articleId": 1…${MAX_ID}}` }));
      const reader = pendingReader(app.secret, cookies[READER_COOKIE], https, app.clock.now().getTime());
      const standing: ReaderStanding = reader.issuedAt === null ? { kind: 'unproven' } : { kind: 'anonymous', issuedAt: reader.issuedAt };
      const taken = await handling.take(ipOf(req), articleId, req.headers['user-agent'] ?? '', reader.key, standing);
      if ('wait' in taken) return fail(429, 'rate_limited', tooManyRequests(texts, taken.wait), ['retry-after', String(taken.wait)]);
      // A reader given their cookie only now was not counted: the page's script sends
      // the beacon once more, with the cookie (audience/client/beacon.ts).
      const fresh = reader.fresh;
      res.writeHead(204, fresh ? [...head, 'set-cookie', app.serializeCookie(READER_COOKIE, fresh.value, fresh.options), UNPROVEN_HEADER, 'unproven'] : head);
      res.end();
    } catch (err) {
      const unavailable = isDatabaseUnavailable(err as Error);
      app.log[unavailable ? 'warn' : 'error']({ err }, 'view beacon failed');
      if (!res.headersSent) fail(unavailable ? 503 : 500, unavailable ? 'unavailable' : 'internal', texts.t('error.500.text'), unavailable ? ['retry-after', '5'] : []);
    }
  }
}

/** The body, when exactly `length` bytes arrive; null when the client sent fewer or more. */
function readBody(req: IncomingMessage, length: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= length) chunks.push(chunk);
    });
    req.on('end', () => resolve(size === length ? Buffer.concat(chunks).toString('utf8') : null));
    // A client that goes away mid-body: nothing to count (and nobody to answer).
    req.on('close', () => resolve(null));
    req.on('error', reject);
  });
}

/** `{"articleId": n}` with n an integer id and nothing else, or null (the route's schema, strictly). */
export function articleIdOf(body: string): number | null {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const keys = Object.keys(value);
  const id = (value as { articleId?: unknown }).articleId;
  return keys.length === 1 && keys[0] === 'articleId' && Number.isInteger(id) && (id as number) >= 1 && (id as number) <= MAX_ID ? (id as number) : null;
}
