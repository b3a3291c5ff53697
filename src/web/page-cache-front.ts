// The page cache's front door (front-door.ts): a GET or HEAD whose page is in the
// cache is answered by the bare node:http handler. Everything else — misses,
// writes, other methods — goes on to Fastify unchanged.
//
// A hit answers exactly what the Fastify route would: the stored page with its ETag
// (304 when it matches), the cache headers, the security headers and a request id.
// Only the duration histogram is left out: hits are counted in page_cache_requests_total.
import crypto from 'node:crypto';
import type { CachedPage, PageCache } from '../platform/cache.js';
import type { Counter } from 'prom-client';
import { LANG_COOKIE } from '../platform/http.js';
import { CACHED_PAGE_HEADERS } from './pages.js';
import { httpsTest, securityHeaders, type FrontDoor } from './front-door.js';

const ENGLISH = new RegExp(`(?:^|;\\s*)${LANG_COOKIE}=en(?:;|$)`);

export function pageCacheFrontDoor(options: { cache: PageCache; trustProxy: string | boolean; hits: Counter<'result'> }): FrontDoor {
  const isHttps = httpsTest(options.trustProxy);
  const security = { http: securityHeaders(false), https: securityHeaders(true) };
  const hits = options.hits.labels('hit');
  // The response headers of each stored page (flat name, value lists, as writeHead
  // takes them), built on its first hit.
  type Lists = { ok: string[]; notModified: string[] };
  const prepared = new WeakMap<CachedPage, { http: Lists; https: Lists }>();
  const listsOf = (page: CachedPage, https: boolean): Lists => {
    let lists = prepared.get(page);
    if (!lists) {
      const own = [['etag', page.etag], ['cache-control', CACHED_PAGE_HEADERS], ['x-cache', 'hit']];
      const make = (sec: [string, string][]): Lists => ({
        ok: [['content-type', page.type], ['content-length', String(page.body.length)], ...own, ...sec].flat(),
        notModified: [...own, ...sec].flat(),
      });
      lists = { http: make(security.http), https: make(security.https) };
      prepared.set(page, lists);
    }
    return https ? lists.https : lists.http;
  };

  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const cookie = req.headers.cookie;
    const locale = cookie && ENGLISH.test(cookie) ? 'en' : 'ru';
    const page = options.cache.get(`${locale}:${req.url}`);
    if (!page) return false;
    hits.inc();
    const lists = listsOf(page, isHttps(req));
    const id = crypto.randomUUID();
    if (req.headers['if-none-match'] === page.etag) {
      res.writeHead(304, lists.notModified.concat('x-request-id', id));
      res.end();
    } else {
      res.writeHead(page.status, lists.ok.concat('x-request-id', id));
      res.end(page.body);
    }
    return true;
  };
}
