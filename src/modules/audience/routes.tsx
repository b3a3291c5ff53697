// Audience: the view beacon, ТОП 5 by views, «Рекомендуем» (widget and per-reader
// API), editors' pins and statistics in the back office.
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import { isbot } from 'isbot';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import { pendingReader, READER_COOKIE } from '../../platform/reader.js';
import { Top5 } from '../content/index.js';
import { newReaderCap } from '../../platform/reader-cap.js';
import { createAudience, type Audience } from './service.js';
import { ViewCounter, ViewDedupe } from './view-counter.js';
import { beaconFrontDoor, UNPROVEN_HEADER, type BeaconHandling } from './beacon-door.js';
import { HttpError } from '../../platform/errors.js';
import { tooManyRequests } from '../../platform/http.js';
import { IdList, parseIdList, RowId } from '../../platform/openapi.js';
import { counterKey } from '../../platform/secrets.js';
import { MostDiscussed, Recommended } from './views/widgets.js';
import type { WidgetArgs } from '../../web/widgets.js';

import adminRoutes from './pins-routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    audience: Audience;
    viewCounter: ViewCounter;
  }
}

const FLUSH_EVERY_MS = 5000;

const Beacon = Type.Object({ articleId: RowId() }, { additionalProperties: false });
/** «Рекомендуем» shows five; for a page that does not say what it shows, the reader-state part carries spares the island leaves out. */
const RECOMMENDED_SHOWN = 5;
const RECOMMENDED_SPARE = 15;
const Recommendations = Type.Object({
  items: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String(), url: Type.String(), label: Type.Union([Type.String(), Type.Null()]) })),
  /** The reader's stored reads, newest first, for a browser that sent no list of its own: it keeps them from now on. */
  history: Type.Optional(Type.Array(Type.Integer())),
});

/** How long a reader's reading history is kept for «Рекомендуем». */
export const READS_KEPT_DAYS = 90;

async function audienceModule(app: App) {
  const audience = createAudience({ db: app.database.db, clock: app.clock, content: app.content, memo: app.memo, topWindowHours: app.config.topWindowHours });
  const counter = new ViewCounter(app.database.db);
  const dedupe = new ViewDedupe(() => app.clock.now().getTime(), app.redis, `${app.config.redisPrefix}seen:`);
  app.decorate('audience', audience);
  app.decorate('viewCounter', counter);

  // Reading histories feed «Рекомендуем» (a reader's last 50 reads). A portal with a
  // million readers a day writes millions of them, so older ones are forgotten
  // (docs/capacity.md); one instance does it, hourly.
  app.jobs.define('audience.forget-reads', 3600_000, async () => {
    const gone = await audience.forgetReadsBefore(new Date(app.clock.now().getTime() - READS_KEPT_DAYS * 86400_000));
    if (gone) app.log.info({ gone }, 'old reading history forgotten');
  });

  // Every instance flushes its own sums (they add up); not a one-instance job.
  const timer = setInterval(() => counter.flush().catch((err: Error) => app.log.warn({ err: err.message }, 'view flush failed; will retry')), FLUSH_EVERY_MS);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await counter.flush();
  });

  app.readerRows.add(audience.readerRows);

  // The beacon: taken by the route below and, for the common case, by the front
  // door before Fastify (beacon-door.ts); both go through `beacons.take`.
  const BEACONS_PER_MINUTE = 600;
  const localLimit = app.createRateLimit({ max: BEACONS_PER_MINUTE, timeWindow: 60_000, keyGenerator: (req) => counterKey(app.secret, req.ip) });
  const bots = new Map<string, boolean>();
  const isBot = (ua: string) => {
    let bot = bots.get(ua);
    if (bot === undefined) {
      bot = isbot(ua);
      if (bots.size >= 1000) bots.clear();
      bots.set(ua, bot);
    }
    return bot;
  };
  const beaconResults = app.metrics.viewBeacons;
  // Only readers issued before this beacon count, and only so many new ones per
  // address and article an hour (platform/reader-cap.ts, README.md).
  const cap = newReaderCap(app, 'view');
  const beacons: BeaconHandling = {
    async take(ip, articleId, userAgent, reader, standing) {
      const meta = isBot(userAgent) ? null : await audience.meta(articleId);
      const readerKey = meta?.published ? reader() : null;
      const limit = {
        key: counterKey(app.secret, ip),
        max: BEACONS_PER_MINUTE,
        windowMs: 60_000,
        local: async () => {
          const result = await localLimit({ ip, routeOptions: { config: {} } } as unknown as FastifyRequest);
          return !result.isAllowed && result.isExceeded ? Math.max(1, Math.ceil(result.ttl / 1000)) : null;
        },
      };
      // An unproven reader's beacon is not a view: it does not even mark one as seen.
      const view = meta && readerKey && standing.kind !== 'unproven' ? { readerKey, articleId: meta.id } : null;
      const { wait, first } = await dedupe.admit(limit, view);
      const counted = first && view !== null && (await cap({ standing, ip, subject: `article:${view.articleId}` })) === 'counted';
      beaconResults.labels(wait !== null ? 'limited' : counted ? 'counted' : 'not_counted').inc();
      if (wait !== null) return { wait };
      if (counted && meta && readerKey) {
        const now = app.clock.now();
        counter.add(meta.id, now, { readerKey, articleId: meta.id, sectionId: meta.sectionId, storyId: meta.storyId, tagIds: meta.tagIds, at: now }, standing.kind === 'account');
      }
      return { counted };
    },
  };
  app.frontDoors.add(beaconFrontDoor(app, beacons));

  app.post(
    '/api/views',
    {
      schema: { tags: ['audience'], summary: 'View beacon from an article page', body: Beacon, response: { 204: Type.Null() } },
      config: { csrf: 'origin' },
    },
    async (req, reply) => {
      // A new reader's cookie goes out only with an accepted beacon, as from the door.
      const anonymous = pendingReader(app.secret, req.cookies[READER_COOKIE], req.protocol === 'https', app.clock.now().getTime());
      const taken = await beacons.take(req.ip, req.body.articleId, req.headers['user-agent'] ?? '', () => (req.user ? `u:${req.user.id}` : anonymous.key()), req.readerStanding());
      if ('wait' in taken) {
        reply.header('retry-after', String(taken.wait));
        throw new HttpError(429, 'rate_limited', tooManyRequests(req.i18n, taken.wait));
      }
      const fresh = anonymous.fresh;
      if (fresh) reply.setCookie(READER_COOKIE, fresh.value, fresh.options).header(UNPROVEN_HEADER, 'unproven');
      reply.status(204);
      return null;
    },
  );

  app.get(
    '/api/recommendations',
    {
      schema: {
        tags: ['audience'],
        summary: '«Рекомендуем» for this reader',
        // The articles the page already shows (its lead or article, ТОП 5, «По теме»), comma-separated.
        querystring: Type.Object({ exclude: Type.Optional(IdList(40, 'The articles the page already shows (its lead or article, ТОП 5, «По теме»)')) }),
        response: { 200: Recommendations },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'private, no-store');
      const exclude = parseIdList(req.query.exclude ?? '', 40) ?? [];
      return recommendedFor(req.reader()?.key ?? null, exclude, req.i18n);
    },
  );

  async function recommendedFor(reader: string | null, exclude: number[], i18n: FastifyRequest['i18n'], limit = 5) {
    return cardsOf(await audience.recommend(reader, { exclude, limit }), i18n);
  }
  async function cardsOf(ids: number[], i18n: FastifyRequest['i18n']) {
    const cards = await app.content.readerCards(ids);
    const label = (type: string) => (type === 'opinion' ? i18n.t('type.opinion') : type === 'feature' ? i18n.t('type.feature') : null);
    return { items: cards.map((c) => ({ id: c.id, title: c.title, url: c.url, label: label(c.type) })) };
  }
  // The page's reader state (platform/reader-state.ts): «Рекомендуем» for this reader,
  // without this article and what the page shows. A page that does not say what it
  // shows gets a few more, and the island leaves out those it lists in data-exclude.
  //
  // An anonymous browser keeps its own reading list and sends it (client/history.ts),
  // so most article views ask the database nothing here. A signed-in reader's
  // history follows the account (the stored reads); a browser without a list yet is
  // answered from the stored reads, and given them (`history`) to keep from now on.
  app.readerState.add('recommendations', Recommendations, async (ctx) => {
    const exclude = [...(ctx.articleId ? [ctx.articleId] : []), ...(ctx.shown ?? [])];
    const limit = RECOMMENDED_SHOWN + (ctx.shown ? 0 : RECOMMENDED_SPARE);
    const stored = () => (ctx.fresh ? Promise.resolve([]) : audience.readIds(ctx.reader.key));
    const reads = ctx.user ? await stored() : (ctx.reads ?? (await stored()));
    const answer = await cardsOf(await audience.recommendAfter(reads, { exclude, limit }), ctx.i18n);
    return ctx.user || ctx.reads ? answer : { ...answer, history: reads };
  });

  // ТОП 5 by views replaces content's ТОП 5 by recency (same widget name).
  const top5 = async ({ req }: { req: FastifyRequest }) => <Top5 cards={await app.content.cards(await audience.top(5))} i18n={req.i18n} />;
  // Kept briefly: views move them slowly, and every article page shows them.
  const briefly = { ttlMs: 30_000, shared: true };
  app.widgets.add('home.aside', 50, top5, 'top5', briefly);
  app.widgets.lists('top5', () => audience.top(5));
  app.widgets.add('article.aside', 50, top5, 'top5', briefly);
  // «Рекомендуем» leaves out what is already on the page — its lead or article,
  // «По теме», ТОП 5 — so it never repeats another block; the island asks the
  // reader's own list without the same articles.
  const recommended = async ({ req, article, onPage }: WidgetArgs) => {
    const exclude = [...new Set([...(onPage ?? []), ...(article ? [article.id] : []), ...(await audience.top(5))])];
    return <Recommended cards={await app.content.cards(await audience.recommend(null, { exclude }))} i18n={req.i18n} exclude={exclude} />;
  };
  app.widgets.add('home.aside', 60, recommended, 'recommended', briefly);
  app.widgets.add(
    'home.aside',
    55,
    async ({ req }) => {
      const mostDiscussed = app.extensions.get('article.mostDiscussed');
      if (!mostDiscussed) return null;
      const since = new Date(app.clock.now().getTime() - app.config.topWindowHours * 3600_000);
      const top = (await mostDiscussed(since, 10)).filter((t) => t.comments > 0);
      const cards = new Map((await app.content.cards(top.map((t) => t.articleId))).map((c) => [c.id, c]));
      const items = top.filter((t) => cards.has(t.articleId)).slice(0, 5).map((t) => ({ card: cards.get(t.articleId)!, comments: t.comments }));
      return <MostDiscussed items={items} i18n={req.i18n} />;
    },
    'most-discussed',
    briefly,
  );
  app.widgets.add('article.aside', 60, recommended, 'recommended', { ttlMs: 30_000 });

  await app.register(adminRoutes);
}

export default fp(audienceModule, { name: 'audience', dependencies: ['content'], decorators: { fastify: ['content', 'extensions', 'frontDoors', 'memo', 'widgets'] } });
