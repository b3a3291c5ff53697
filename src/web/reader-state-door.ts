// The reader state's front door (web/front-door.ts). Every article view asks
// /api/reader-state once, so after the page itself it is the most frequent request;
// through Fastify its cost was mostly the framework's per-request work. This door
// answers what most of those are — an anonymous reader (no session cookie) asking
// `GET /api/reader-state` or `?article=<id>` — with the same loaders, body, cookies
// and headers as the route (reader-state-routes.ts). Anything else (a signed-in
// reader, another query, HEAD) goes to the route.
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../types.js';
import { CSRF_COOKIE, isSignedCsrfToken, makeCsrfToken } from '../platform/csrf.js';
import { i18n } from '../platform/i18n/index.js';
import { isDatabaseUnavailable, LANG_COOKIE } from '../platform/http.js';
import { parseIdList } from '../platform/openapi.js';
import { READER_STATE_LISTS } from '../platform/reader-state.js';
import { anonymousReader, mayHaveWritten, newReaderCookie, READER_COOKIE, verifyReaderCookie } from '../platform/reader.js';
import { SESSION_COOKIE } from '../platform/sessions.js';
import { httpsTest, securityHeaders, type FrontDoor } from './front-door.js';

const PATH = '/api/reader-state';
/** As the platform sets the CSRF cookie (platform/http.ts, onSend). */
const CSRF_MAX_AGE = 60 * 60 * 24 * 30;

export function readerStateDoor(app: App): FrontDoor {
  const isHttps = httpsTest(app.config.trustProxy);
  const security = { http: securityHeaders(false), https: securityHeaders(true) };

  return (req, res) => {
    if (req.method !== 'GET' || !req.url?.startsWith(PATH)) return false;
    const page = pageOf(req.url);
    if (!page) return false;
    const cookies = req.headers.cookie ? app.parseCookie(req.headers.cookie) : {};
    if (cookies[SESSION_COOKIE]) return false;
    void answer(req, res, page, cookies);
    return true;
  };

  async function answer(req: IncomingMessage, res: ServerResponse, page: PageQuery, cookies: Record<string, string | undefined>) {
    const https = isHttps(req);
    const head: string[] = [...security[https ? 'https' : 'http'].flat(), 'x-request-id', crypto.randomUUID()];
    const texts = i18n(cookies[LANG_COOKIE] === 'en' ? 'en' : 'ru', app.config.timezone);
    const current = cookies[CSRF_COOKIE];
    const fresh = isSignedCsrfToken(app.secret, current) ? null : makeCsrfToken(app.secret);
    // A browser without a valid reader cookie gets one here, as from the route (req.reader(reply)).
    const known = verifyReaderCookie(app.secret, cookies[READER_COOKIE]);
    const newReader = known ? null : newReaderCookie(app.secret, https, app.clock.now().getTime());
    try {
      const body = await app.readerState.body({
        user: null,
        reader: anonymousReader(known ?? newReader!.id),
        wrote: !!known && mayHaveWritten(cookies, app.secret, false),
        i18n: texts,
        csrfToken: fresh ?? current!,
        articleId: page.articleId,
        topicId: page.topicId,
        topicPage: page.topicPage,
        shown: page.shown,
        reads: page.reads,
        fresh: !known,
      });
      const extra = [
        ...(fresh ? ['set-cookie', app.serializeCookie(CSRF_COOKIE, fresh, { path: '/', sameSite: 'lax', secure: https, httpOnly: false, maxAge: CSRF_MAX_AGE })] : []),
        ...(newReader ? ['set-cookie', app.serializeCookie(READER_COOKIE, newReader.value, newReader.options)] : []),
      ];
      res.writeHead(200, [...head, 'cache-control', 'no-store', 'content-type', 'application/json; charset=utf-8', ...extra, 'content-length', String(Buffer.byteLength(body))]);
      res.end(body);
    } catch (err) {
      const unavailable = isDatabaseUnavailable(err as Error);
      app.log[unavailable ? 'warn' : 'error']({ err }, 'reader state failed');
      if (res.headersSent) return;
      const body = JSON.stringify({ error: { code: unavailable ? 'unavailable' : 'internal', message: texts.t('error.500.text') } });
      res.writeHead(unavailable ? 503 : 500, [...head, ...(unavailable ? ['retry-after', '5'] : []), 'content-type', 'application/json; charset=utf-8', 'content-length', String(Buffer.byteLength(body))]);
      res.end(body);
    }
  }
}

interface PageQuery {
  articleId: number | null;
  topicId: number | null;
  topicPage: number;
  shown: number[] | null;
  reads: number[] | null;
}

/**
 * The query the door answers: `article`, `topic`, `page`, `shown`, `read`, each at most once and
 * valid as the route's schema says; null for anything else, which goes to the
 * route (and its 400).
 */
function pageOf(url: string): PageQuery | null {
  const mark = url.indexOf('?');
  if ((mark === -1 ? url : url.slice(0, mark)) !== PATH) return null;
  const page: PageQuery = { articleId: null, topicId: null, topicPage: 1, shown: null, reads: null };
  if (mark === -1) return page;
  const seen = new Set<string>();
  for (const [name, value] of new URLSearchParams(url.slice(mark + 1))) {
    if (seen.has(name)) return null;
    seen.add(name);
    if (name === 'article' || name === 'topic' || name === 'page') {
      const [id] = parseIdList(value, 1) ?? [];
      if (id === undefined) return null;
      if (name === 'page') page.topicPage = id;
      else page[name === 'article' ? 'articleId' : 'topicId'] = id;
    } else if (name === 'shown' || name === 'read') {
      const ids = parseIdList(value, READER_STATE_LISTS[name]);
      if (!ids) return null;
      page[name === 'shown' ? 'shown' : 'reads'] = ids;
    } else return null;
  }
  return page;
}
