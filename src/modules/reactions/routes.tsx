// Reactions under articles: the bar (a widget of the article page), the JSON API
// the island uses (read counts and mine, set, withdraw) and the no-JS form post.
// Writes: CSRF (header for the API, same-origin proof for the form on the cached
// page), flood limits per reader and per IP, and only for published articles.
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import { HttpError } from '../../platform/errors.js';
import { redirect } from '../../platform/openapi.js';
import { anonymousReaderId, readerIdOf } from '../../platform/reader.js';
import { isReactionKind, type ReactionKind } from './kinds.js';
import { createReactions, type Reactions, type Reader } from './service.js';
import { DAY, limiter, MINUTE } from '../../platform/limits.js';
import { ReactionBar } from './views/bar.js';

declare module 'fastify' {
  interface FastifyInstance {
    reactions: Reactions;
  }
}

const ArticleParams = Type.Object({ id: Type.String({ maxLength: 12 }) });
// The kind is checked by hand, so an unknown one gets a Russian message naming the valid ones.
const SetBody = Type.Object({ kind: Type.String({ maxLength: 40 }) });
const FormBody = Type.Object({ kind: Type.String({ maxLength: 40 }), _csrf: Type.Optional(Type.String({ maxLength: 200 })) });
const Count = Type.Integer({ minimum: 0 });
const Counts = Type.Object({ LIKE: Count, HAPPY: Count, SURPRISED: Count, ANGRY: Count, SAD: Count });
const Kind = Type.Union([Type.Literal('LIKE'), Type.Literal('HAPPY'), Type.Literal('SURPRISED'), Type.Literal('ANGRY'), Type.Literal('SAD')]);
const State = Type.Object({ counts: Counts, mine: Type.Union([Kind, Type.Null()]) });
const api = { tags: ['reactions'], params: ArticleParams, response: { 200: State } };

// A cached page's counts are refreshed at most this often after reactions change:
// a purge per reaction would re-render a popular article for every click.
const PURGE_DELAY_MS = 15_000;

async function reactionsModule(app: App) {
  // PGlite is one connection: one batch at a time gathers the most per batch.
  const reactions = createReactions({ db: app.database.db, clock: app.clock, concurrency: app.database.kind === 'pglite' ? 1 : 4 });
  app.decorate('reactions', reactions);
  // What statistics ask of reactions (audience/index.ts names the points).
  app.extensions.provide('article.reactionTotals', (ids) => reactions.totals(ids), 'reactions');
  app.extensions.provide('article.reactionCounts', (id) => reactions.counts(id), 'reactions');

  // A reader clicks a few times a minute at most; an office or a mobile carrier
  // puts many readers behind one IP, hence the wider per-IP allowance.
  const limits = limiter(app, 'reaction', [
    { per: 'reader', max: 30, window: MINUTE },
    { per: 'reader', max: 500, window: DAY },
    { per: 'ip', max: 120, window: MINUTE },
    { per: 'ip', max: 5000, window: DAY },
  ]);

  // The article from the data cache (content.readerArticle): a burst of reactions to a
  // hot article does not load it each time, and a change purges it on every instance.
  async function publishedArticle(req: FastifyRequest, raw: string): Promise<{ id: number; url: string }> {
    const article = /^[1-9]\d{0,8}$/.test(raw) ? await app.content.readerArticle(Number(raw)) : null;
    if (!article || !app.content.isPublished(article)) throw new HttpError(404, 'article_not_found', req.i18n.t('reactions.noArticle'));
    return article;
  }

  function kindOf(req: FastifyRequest, value: string): ReactionKind {
    if (!isReactionKind(value)) throw new HttpError(400, 'unknown_kind', req.i18n.t('reactions.unknownKind'));
    return value;
  }

  /** The reader making a write: the account, or this browser (the cookie is set now if new). */
  const writer = (req: FastifyRequest, reply: FastifyReply): Reader => (req.user ? { userId: req.user.id } : { anonId: anonymousReaderId(req, reply, app.secret) });
  /** The reader asking: no cookie is set for a mere read. */
  const asker = (req: FastifyRequest): Reader | null => {
    if (req.user) return { userId: req.user.id };
    const anonId = readerIdOf(req, app.secret);
    return anonId ? { anonId } : null;
  };

  const pendingPurges = new Map<number, NodeJS.Timeout>();
  function schedulePurge(articleId: number) {
    if (pendingPurges.has(articleId)) return;
    const timer = setTimeout(() => {
      pendingPurges.delete(articleId);
      void app.pageCache.purge([`article:${articleId}`]);
    }, PURGE_DELAY_MS);
    timer.unref();
    pendingPurges.set(articleId, timer);
  }
  app.addHook('onClose', async () => {
    for (const timer of pendingPurges.values()) clearTimeout(timer);
    pendingPurges.clear();
  });

  app.widgets.add('article.afterBody', 10, async ({ req, article }) => (article ? <ReactionBar articleId={article.id} counts={await reactions.counts(article.id)} i18n={req.i18n} /> : null), 'reactions', {
    ttlMs: 60_000,
  });

  app.get('/api/articles/:id/reaction', { schema: { ...api, summary: 'Reaction counts of an article and the reader’s own reaction' } }, async (req, reply) => {
    const article = await publishedArticle(req, req.params.id);
    reply.header('cache-control', 'no-store');
    return reactions.state(article.id, asker(req));
  });

  // The page's reader state (platform/reader-state.ts): the bar's counts and mine, null without a published article.
  app.readerState.add('reactions', State, async (ctx) => {
    const article = ctx.articleId ? await app.content.readerArticle(ctx.articleId) : null;
    if (!article || !app.content.isPublished(article)) return null;
    return reactions.state(article.id, ctx.user ? { userId: ctx.user.id } : ctx.anonymousId ? { anonId: ctx.anonymousId } : null);
  });

  app.put(
    '/api/articles/:id/reaction',
    { schema: { ...api, summary: 'Set (or switch) the reader’s reaction', body: SetBody }, preHandler: limits },
    async (req, reply) => {
      const article = await publishedArticle(req, req.params.id);
      const kind = kindOf(req, req.body.kind);
      const state = await reactions.set(article.id, writer(req, reply), kind);
      schedulePurge(article.id);
      return reply.header('cache-control', 'no-store').send(state);
    },
  );

  app.delete('/api/articles/:id/reaction', { schema: { ...api, summary: 'Withdraw the reader’s reaction' }, preHandler: limits }, async (req, reply) => {
    const article = await publishedArticle(req, req.params.id);
    const state = await reactions.withdraw(article.id, writer(req, reply));
    schedulePurge(article.id);
    return reply.header('cache-control', 'no-store').send(state);
  });

  // The bar without JavaScript: the same kind again withdraws, another switches.
  app.post(
    '/articles/:id/reaction',
    {
      schema: {
        tags: ['reactions'],
        summary: 'The bar without JavaScript: set a reaction, switch it, or withdraw it by choosing it again',
        params: ArticleParams,
        body: FormBody,
        response: { 303: redirect('Back to the article’s reactions') },
      },
      config: { csrf: 'origin' },
      preHandler: limits,
    },
    async (req, reply) => {
      const article = await publishedArticle(req, req.params.id);
      const kind = kindOf(req, req.body.kind);
      await reactions.toggle(article.id, writer(req, reply), kind);
      schedulePurge(article.id);
      return reply.redirect(`${article.url}#reactions`, 303);
    },
  );

  app.events.on('reader.signedIn', async ({ userId, anonymousId }) => {
    if (anonymousId) await reactions.adoptAnonymous(anonymousId, userId);
  });
  app.events.on('user.deleting', async ({ userId }) => reactions.anonymiseUser(userId));
}

export default fp(reactionsModule, { name: 'reactions', dependencies: ['content'], decorators: { fastify: ['content', 'events', 'extensions', 'widgets'] } });
