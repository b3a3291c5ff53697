// «Поиск по форуму» (/forum/search): the form and the topics found (search.ts).
//
// Results are kept in a data cache of their own (a Memo like app.memo), as the
// article search keeps its own: by the query's words as written (capitals make an
// abbreviation), the filters and the page, under the `forum` tag that every forum
// write purges on every instance — after the post is indexed (routes.tsx), so a
// new, edited, held, hidden or moved post shows or goes at once. The page itself is
// page-cached under the same tag. The periodic job indexes what was missed.
import fp from 'fastify-plugin';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import { html, pageResponses } from '../../platform/openapi.js';
import { Memo } from '../../platform/memo.js';
import { loadMorphology } from '../search/index.js';
import type { BoardNode } from './boards.js';
import { HANDLE } from './members.js';
import { boardPath, topicPath } from './reading.js';
import { ForumSearchInputError, MAX_PAGE, type ForumSearch, type ForumSearchParams } from './search.js';
import { ForumSearchPage, type ForumSearchForm, type ForumSearchView } from './views/search-page.js';

declare module 'fastify' {
  interface FastifyInstance {
    forumSearch: ForumSearch;
  }
}

// A real date (format, not a pattern: 2026-13-45 is no day).
const DATE = { format: 'date' } as const;
const Query = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 1000 })),
    board: Type.Optional(Type.String({ maxLength: 80 })),
    author: Type.Optional(Type.String({ maxLength: 80 })),
    from: Type.Optional(Type.Union([Type.String(DATE), Type.Literal('')])),
    to: Type.Optional(Type.Union([Type.String(DATE), Type.Literal('')])),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE })),
  },
  { additionalProperties: false },
);
type QueryT = Static<typeof Query>;

const RESULTS_TTL_MS = 5 * 60_000;
const RESULTS_KEPT = 2_000;
// A search the caches have not seen ranks up to WINDOW posts: per address, like a write.
const LIMIT = { max: 120, timeWindow: '1 minute' };
const WORD = /[\p{L}\p{N}]+/gu;

/** A filter the form cannot have sent (a board or a member that does not exist). */
class FilterError extends Error {
  constructor(readonly key: 'forum.search.error.board' | 'forum.search.error.author', readonly params: Record<string, string> = {}) {
    super(key);
  }
}

const forumSearchRoutes: FastifyPluginAsync<{ search: ForumSearch }> = async (app: App, { search }) => {
  await loadMorphology();
  app.decorate('forumSearch', search);
  const { forums } = app;
  const results = new Memo({ maxEntries: RESULTS_KEPT, now: () => app.clock.now().getTime() });
  app.pageCache.onPurge((tags) => results.purge(tags));

  // Posts written while the portal was down, imported, restored: indexed in the
  // background, one instance at a time, a bounded batch per run.
  let started = false;
  app.jobs.define('forums.search.backfill', 10 * 60_000, async () => {
    if (!started) {
      started = true;
      await search.addMissing();
    }
    const n = await search.backfill();
    if (!n) return;
    app.log.info({ indexed: n }, 'forum search index filled');
    await app.pageCache.purge(['forum']);
  });
  app.addHook('onReady', async () => {
    app.jobs.kick('forums.search.backfill');
  });

  /** The query string as search parameters; an unknown board or member is a FilterError. */
  async function paramsOf(query: QueryT, tree: BoardNode[]): Promise<ForumSearchParams> {
    let boardIds: number[] | undefined;
    if (query.board) {
      const category = tree.find((c) => c.slug === query.board);
      const board = category ?? tree.flatMap((c) => c.children).find((b) => b.slug === query.board);
      if (!board) throw new FilterError('forum.search.error.board');
      boardIds = [board.id, ...(category?.children.map((b) => b.id) ?? [])];
    }
    let authorId: number | undefined;
    const handle = (query.author ?? '').trim().replace(/^@/, '');
    if (handle) {
      const member = HANDLE.test(handle) ? await forums.members.byHandle(handle) : null;
      if (!member) throw new FilterError('forum.search.error.author', { handle });
      authorId = member.userId;
    }
    return {
      q: (query.q ?? '').trim(),
      boardIds,
      authorId,
      from: query.from ? new Date(`${query.from}T00:00:00Z`) : undefined,
      to: query.to ? new Date(new Date(`${query.to}T00:00:00Z`).getTime() + 86_400_000) : undefined,
      page: query.page ?? 1,
    };
  }

  /** What a result page shows, the same for every reader: kept until a forum write or RESULTS_TTL_MS. */
  function resultsKept(params: ForumSearchParams): Promise<ForumSearchView> {
    // Checked before the lookup: a query refused for its raw length must not share a kept answer of the same words.
    search.check(params.q, params.from, params.to);
    const key = JSON.stringify([params.q.match(WORD), params.boardIds ?? null, params.authorId ?? null, params.from?.getTime() ?? null, params.to?.getTime() ?? null, params.page]);
    return results.get(key, { ttlMs: RESULTS_TTL_MS, tags: ['forum'] }, async () => {
      const r = await search.search(params);
      const [boards, authors] = await Promise.all([forums.boards.byIds(r.hits.map((h) => h.boardId)), forums.authors(r.hits.map((h) => h.authorId))]);
      const hits = r.hits.flatMap((h) => {
        const board = boards.get(h.boardId);
        if (!board) return [];
        return [
          {
            url: topicPath(board.slug, { id: h.topicId, slug: h.topicSlug }, h.number),
            title: h.title,
            snippet: h.snippet,
            number: h.number,
            board: { title: board.title, url: boardPath(board) },
            author: h.authorId === null ? undefined : authors.get(h.authorId),
            createdAt: h.createdAt,
            others: h.posts - 1,
          },
        ];
      });
      return { total: r.total, more: r.more, commonOnly: r.commonOnly, page: r.page, pages: r.pages, hits };
    });
  }

  app.get(
    '/forum/search',
    {
      config: { pageCache: true, rateLimit: LIMIT },
      schema: {
        tags: ['forums'],
        summary: 'Search the forums in Russian (every form of a word, short words, «ё» as «е»): topics with their best matching post, by board, author (handle) and dates',
        querystring: Query,
        response: pageResponses({ 200: html('The form and the topics found, 20 a page'), 400: html('The form with what is wrong in the query') }),
      },
    },
    async (req: FastifyRequest<{ Querystring: QueryT }>, reply) => {
      const query = req.query;
      const form: ForumSearchForm = { q: (query.q ?? '').trim(), board: query.board ?? '', author: query.author ?? '', from: query.from ?? '', to: query.to ?? '' };
      const tree = await forums.boards.tree();
      let result: ForumSearchView | null = null;
      let error: string | undefined;
      let status = 200;
      if (form.q) {
        try {
          result = await resultsKept(await paramsOf(query, tree));
        } catch (err) {
          if (err instanceof ForumSearchInputError) error = req.i18n.t(err.key);
          else if (err instanceof FilterError) error = req.i18n.t(err.key, err.params);
          else throw err;
          status = 400;
        }
      }
      const page = <ForumSearchPage ctx={app.pages.context(req)} form={form} tree={tree} result={result} error={error} />;
      return app.pages.send(req, reply.status(status), page, { status, tags: ['forum'] });
    },
  );
};

export default fp(forumSearchRoutes, { name: 'forums-search' });
