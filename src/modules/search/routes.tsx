// The search page (/search) and API (/api/search), and the index kept current
// from content's `article.changed` events.
//
// Results are kept in a data cache of their own (a Memo like app.memo, purged by
// the same tags): a query ranks every matching document, which on PGlite's one
// connection made every other request wait. A query is kept by its words as the
// search reads them (case, ё and punctuation aside), its filters and page, under
// the `search` tag, which every change of the index purges on every instance — so
// a published, edited, unpublished or deleted article shows in results at once.
// What purges nothing — the freshness boost growing older, a card's comment count —
// lags by at most RESULTS_TTL_MS, the search page's own life in the page cache.
// Its own Memo, bounded apart, so a flood of made-up queries pushes out other
// queries, not the articles every page needs.
import fp from 'fastify-plugin';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import type { ArticleType } from '../../db/schema.js';
import { HttpError } from '../../platform/errors.js';
import { html, pageResponses } from '../../platform/openapi.js';
import { Memo } from '../../platform/memo.js';
import { createSearch, INDEX_BATCH, SearchInputError, type Search, type SearchParams, type SearchResult } from './service.js';
import { loadMorphology, words } from './lemmas.js';
import { SearchPage, type SearchForm } from './views/search-page.js';

declare module 'fastify' {
  interface FastifyInstance {
    articleSearch: Search;
  }
}

// A real date (format, not a pattern: 2026-13-45 is no day).
const DATE = { format: 'date' } as const;
const Query = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 1000 })),
    section: Type.Optional(Type.String({ maxLength: 80 })),
    type: Type.Optional(Type.Union([Type.Literal('news'), Type.Literal('opinion'), Type.Literal('feature'), Type.Literal('')])),
    author: Type.Optional(Type.String({ maxLength: 80 })),
    from: Type.Optional(Type.Union([Type.String(DATE), Type.Literal('')])),
    to: Type.Optional(Type.Union([Type.String(DATE), Type.Literal('')])),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
type QueryT = Static<typeof Query>;

const Hit = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  url: Type.String(),
  type: Type.String(),
  section: Type.String(),
  publishedAt: Type.String(),
  snippet: Type.Array(Type.Object({ text: Type.String(), mark: Type.Optional(Type.Boolean()) })),
});

const RESULTS_TTL_MS = 5 * 60_000;
const RESULTS_KEPT = 2_000;

/** What a result depends on: the query's words as the search reads them, the filters and the page. */
function resultKey(p: SearchParams): string {
  return JSON.stringify([words(p.q), p.sectionIds ?? null, p.type ?? null, p.authorId ?? null, p.from?.getTime() ?? null, p.to?.getTime() ?? null, p.page]);
}

async function searchModule(app: App) {
  await loadMorphology();
  const search = createSearch({ db: app.database.db, clock: app.clock, content: app.content });
  app.decorate('articleSearch', search);
  const results = new Memo({ maxEntries: RESULTS_KEPT, now: () => app.clock.now().getTime() });
  app.pageCache.onPurge((tags) => results.purge(tags));
  function searchKept(params: SearchParams): Promise<SearchResult> {
    // Checked before the lookup: a query refused for its raw length must not share a kept answer of the same words.
    search.check(params.q, params.from, params.to);
    return results.get(resultKey(params), { ttlMs: RESULTS_TTL_MS, tags: ['search'] }, () => search.search(params));
  }
  // The form's list of authors; a change of authors purges everything ('*').
  const authorsKept = () => results.get('authors', { ttlMs: RESULTS_TTL_MS }, () => app.content.allAuthors());
  const authorKept = (slug: string) => results.get(`author:${slug}`, { ttlMs: RESULTS_TTL_MS }, () => app.content.author(slug));
  app.extensions.provide('article.similar', (id, limit) => search.similar(id, limit), 'search');

  app.events.on('article.changed', async ({ articleId, action, batched }) => {
    if (action === 'deleted') await search.remove(articleId);
    else if (batched) return; // indexed with its batch (`articles.changed`)
    else await search.index(articleId);
    await app.pageCache.purge(['search']);
  });
  app.events.on('articles.changed', async ({ articleIds }) => {
    for (let i = 0; i < articleIds.length; i += INDEX_BATCH) await search.indexMany(articleIds.slice(i, i + INDEX_BATCH));
    await app.pageCache.purge(['search']);
  });
  // Articles published before the index existed (first start, demo, restore, bulk
  // import) are indexed in the background, one instance at a time: a backlog of
  // thousands must not hold up the start (Fastify gives onReady hooks 10 s). The job
  // runs again every ten minutes, which also heals an article whose indexing failed.
  const backfill = async () => {
    const n = await search.backfill();
    if (!n) return;
    app.log.info({ indexed: n }, 'search index filled');
    await app.pageCache.purge(['search']);
  };
  app.jobs.define('search.backfill', 10 * 60_000, backfill);
  app.addHook('onReady', async () => {
    app.jobs.kick('search.backfill');
  });

  /** Query string → service parameters; unknown section/author slugs are a 400. */
  async function paramsOf(req: FastifyRequest, query: QueryT): Promise<SearchParams> {
    const tree = await app.content.sections();
    const section = query.section ? tree.bySlugOf(query.section) : undefined;
    if (query.section && !section) throw new HttpError(400, 'bad_filter', req.i18n.t('search.error.badFilter', { name: 'section' }));
    const author = query.author ? await authorKept(query.author) : undefined;
    if (query.author && !author) throw new HttpError(400, 'bad_filter', req.i18n.t('search.error.badFilter', { name: 'author' }));
    return {
      q: (query.q ?? '').trim(),
      sectionIds: section ? tree.subtreeIds(section.id) : undefined,
      type: (query.type || undefined) as ArticleType | undefined,
      authorId: author?.id,
      from: query.from ? new Date(`${query.from}T00:00:00Z`) : undefined,
      to: query.to ? new Date(new Date(`${query.to}T00:00:00Z`).getTime() + 86400_000) : undefined,
      page: query.page ?? 1,
    };
  }

  app.get('/search', { config: { pageCache: true }, schema: { tags: ['search'], summary: 'The search page with its filters', querystring: Query, response: pageResponses({ 200: html('The form and the results'), 400: html('The form with what is wrong in the query') }) } }, async (req, reply) => {
    const q = req.query;
    const form: SearchForm = { q: (q.q ?? '').trim(), section: q.section ?? '', type: q.type ?? '', author: q.author ?? '', from: q.from ?? '', to: q.to ?? '' };
    const ctx = app.pages.context(req);
    const tree = await app.content.sections();
    const sections = tree.all().map((s) => ({ slug: s.slug, title: s.title }));
    const authors = await authorsKept();
    let result = null;
    let error: string | undefined;
    let status = 200;
    if (form.q || q.q !== undefined) {
      try {
        result = await searchKept(await paramsOf(req, q));
      } catch (err) {
        if (!(err instanceof SearchInputError)) throw err;
        error = req.i18n.t(err.key);
        status = 400;
      }
    }
    const page = <SearchPage ctx={ctx} form={form} result={result} error={error} sections={sections} authors={authors} />;
    return app.pages.send(req, reply.status(status), page, { status, tags: ['search'] });
  });

  app.get(
    '/api/search',
    {
      schema: {
        tags: ['search'],
        summary: 'Search articles in Russian with morphology',
        querystring: Query,
        response: { 200: Type.Object({ total: Type.Integer(), page: Type.Integer(), pages: Type.Integer(), suggestion: Type.Union([Type.String(), Type.Null()]), items: Type.Array(Hit) }) },
      },
    },
    async (req) => {
      try {
        const r = await searchKept(await paramsOf(req, req.query));
        return {
          total: r.total,
          page: r.page,
          pages: r.pages,
          suggestion: r.suggestion,
          items: r.hits.map((h) => ({ id: h.card.id, title: h.card.title, url: h.card.url, type: h.card.type, section: h.card.section.title, publishedAt: h.card.publishedAt.toISOString(), snippet: h.snippet })),
        };
      } catch (err) {
        if (err instanceof SearchInputError) throw new HttpError(400, 'bad_query', req.i18n.t(err.key));
        throw err;
      }
    },
  );
}

export default fp(searchModule, { name: 'search', dependencies: ['content'], decorators: { fastify: ['content', 'events', 'extensions'] } });
