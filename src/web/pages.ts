// Sending pages. A route marked `pageCache: true` is answered from the page cache
// when it can; its handler renders with `send(…, { tags })`, which stores the page
// with the tags a later change purges by. Every anonymous reader gets the same
// HTML, so this is safe; what differs per reader comes from islands.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { App } from '../types.js';
import type { NavItem, PageContext } from './context.js';
import { renderDocument } from './render.js';
import type { AssetUrls } from './assets.js';
import { emptyFooter, type FooterModel } from './components/footer.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    pageCache?: boolean;
  }
  interface FastifyInstance {
    pages: Pages;
  }
}

export const CACHED_PAGE_HEADERS = 'public, max-age=0, s-maxage=60, stale-while-revalidate=300';

export interface Pages {
  /** The rubric navigation; the content module keeps it current. */
  nav: NavItem[];
  /** The footer: modules add sections (`addFooterSection`), info-pages keeps its pages and imprint here. */
  footer: FooterModel;
  context(req: FastifyRequest): PageContext;
  send(req: FastifyRequest, reply: FastifyReply, page: VNode, opts?: { status?: number; tags?: string[]; type?: string }): FastifyReply;
  sendText(req: FastifyRequest, reply: FastifyReply, body: string, type: string, tags?: string[]): FastifyReply;
}

export const cacheKey = (req: FastifyRequest) => `${req.i18n.locale}:${req.url}`;

/**
 * Only addresses the route answers differently are stored: a query parameter it
 * does not read (`?utm_source=…`, a cache-buster) would let anyone fill the cache
 * with copies of one page and push the real pages out. Such a request is rendered
 * (from the data cache) and not kept.
 */
function storable(req: FastifyRequest): boolean {
  const q = req.url.indexOf('?');
  if (q < 0) return true;
  const read = (req.routeOptions.schema?.querystring as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  for (const name of new URLSearchParams(req.url.slice(q + 1)).keys()) if (!Object.hasOwn(read, name)) return false;
  return true;
}

export function createPages(app: App, assets: AssetUrls): Pages {
  const pages: Pages = {
    nav: [],
    footer: emptyFooter(),
    context: (req) => ({
      i18n: req.i18n,
      siteName: app.config.siteName,
      publicUrl: app.config.publicUrl,
      path: req.url.split('?')[0]!,
      nav: pages.nav,
      footer: pages.footer,
      assets,
      now: app.clock.now(),
    }),
    send(req, reply, page, opts = {}) {
      return pages.sendText(req, reply, renderDocument(page), opts.type ?? 'text/html; charset=utf-8', opts.status && opts.status !== 200 ? undefined : opts.tags);
    },
    sendText(req, reply, body, type, tags) {
      if (tags && req.routeOptions.config.pageCache && storable(req)) {
        const stored = app.pageCache.set(cacheKey(req), { status: 200, type, body, tags });
        reply.header('etag', stored.etag).header('cache-control', CACHED_PAGE_HEADERS);
        return reply.type(type).send(stored.body);
      } else {
        reply.header('cache-control', 'no-store');
      }
      return reply.type(type).send(body);
    },
  };

  app.addHook('onRequest', async (req, reply) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.routeOptions.config.pageCache) return;
    const hit = app.pageCache.get(cacheKey(req));
    app.metrics.pageCache.inc({ result: hit ? 'hit' : 'miss' });
    if (!hit) return;
    reply.header('etag', hit.etag).header('cache-control', CACHED_PAGE_HEADERS).header('x-cache', 'hit');
    if (req.headers['if-none-match'] === hit.etag) return reply.status(304).send();
    return reply.status(hit.status).type(hit.type).send(hit.body);
  });
  return pages;
}
