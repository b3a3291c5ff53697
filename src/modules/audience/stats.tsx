// Statistics in the back office: views over time (by hour and by day, as charts),
// the most-read articles of the period with their reactions and comments, and
// views by section. Authors see their own articles; editors see everything.
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import { AdminLayout, adminNav } from '../../web/admin.js';
import { zonedParts } from '../../platform/i18n/index.js';
import { html, pageResponses } from '../../platform/openapi.js';

const Query = Type.Object({
  // A real date (format, not a pattern: 2026-13-45 is no day).
  from: Type.Optional(Type.String({ format: 'date' })),
  to: Type.Optional(Type.String({ format: 'date' })),
  article: Type.Optional(Type.Integer({ minimum: 1 })),
});

const DAY = 86400_000;

/** Optional counters from other modules (reactions, comments), when they are installed. */
interface ArticleCounters {
  reactionTotals?: (ids: number[]) => Promise<Map<number, number>>;
  commentCounts?: (ids: number[]) => Promise<Map<number, number>>;
}

function jsonData(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c');
}

async function statsRoutes(app: App) {
  app.admin.add({ href: '/admin/stats', label: (req) => req.i18n.t('audience.stats.title'), roles: ['author', 'editor'], order: 70 });

  app.get('/admin/stats', { config: { roles: ['author', 'editor'] }, schema: { tags: ['audience'], summary: 'Statistics: views over time, the most read articles, views by section (authors: their own articles)', querystring: Query, response: pageResponses({ 200: html('The statistics page'), 400: html('The page with an error: the period ends before it starts') }) } }, async (req, reply) => {
    const t = req.i18n.t;
    const now = app.clock.now();
    const to = req.query.to ? new Date(`${req.query.to}T23:59:59.999Z`) : now;
    const from = req.query.from ? new Date(`${req.query.from}T00:00:00Z`) : new Date(now.getTime() - 7 * DAY);
    const ctx = app.pages.context(req);
    const nav = await adminNav(req, app.admin);
    const badRange = from > to;
    // Authors see their own articles only.
    const own = req.user!.role === 'author' ? await ownArticleIds(app, req) : undefined;
    const hourly = badRange ? [] : await app.audience.siteViewsByHour(from, to, req.query.article ? [req.query.article] : own);
    const byDay = new Map<string, number>();
    for (const h of hourly) {
      const { yyyy, mm, dd } = zonedParts(h.hour, app.config.timezone);
      const key = `${yyyy}-${mm}-${dd}`;
      byDay.set(key, (byDay.get(key) ?? 0) + h.views);
    }
    const top = badRange ? [] : (await app.audience.topViewedBetween(from, to, 20, own));
    const cards = await app.content.cards(top.map((x) => x.id));
    const counters = app as unknown as ArticleCounters;
    const reactions = counters.reactionTotals ? await counters.reactionTotals(cards.map((c) => c.id)) : new Map<number, number>();
    const comments = counters.commentCounts ? await counters.commentCounts(cards.map((c) => c.id)) : new Map<number, number>();
    const viewsOf = new Map(top.map((x) => [x.id, x.views]));
    const sections = new Map<string, number>();
    for (const c of cards) sections.set(c.section.title, (sections.get(c.section.title) ?? 0) + (viewsOf.get(c.id) ?? 0));
    const fmt = (d: Date) => d.toISOString().slice(0, 10);
    return app.pages.send(
      req,
      reply.status(badRange ? 400 : 200),
      <AdminLayout ctx={ctx} title={t('audience.stats.title')} nav={nav}>
        <form class="filters" method="get" action="/admin/stats">
          <label>
            {t('audience.stats.from')}
            <input type="date" name="from" value={fmt(from)} />
          </label>
          <label>
            {t('audience.stats.to')}
            <input type="date" name="to" value={fmt(to)} />
          </label>
          {req.query.article && <input type="hidden" name="article" value={String(req.query.article)} />}
          <button class="button" type="submit">
            {t('audience.stats.show')}
          </button>
        </form>
        {badRange && (
          <p class="notice notice--error" role="alert">
            {t('audience.stats.badRange')}
          </p>
        )}
        {!badRange && !hourly.length && <p>{t('audience.stats.noData')}</p>}
        <h2>{t('audience.stats.viewsOverTime')}</h2>
        <div class="chart" data-admin-island="stats-chart">
          <script type="application/json" dangerouslySetInnerHTML={{ __html: jsonData({ label: t('audience.stats.viewsCol'), points: hourly.map((h) => [Math.floor(h.hour.getTime() / 1000), h.views]) }) }} />
        </div>
        <h2>{t('audience.stats.viewsByDay')}</h2>
        <div class="chart" data-admin-island="stats-chart">
          <script type="application/json" dangerouslySetInnerHTML={{ __html: jsonData({ label: t('audience.stats.viewsCol'), bars: true, points: [...byDay].map(([d, v]) => [Math.floor(new Date(`${d}T00:00:00Z`).getTime() / 1000), v]) }) }} />
        </div>
        <h2>{t('audience.stats.topArticles')}</h2>
        <table class="table stats-top">
          <thead>
            <tr>
              <th>{t('audience.stats.article')}</th>
              <th>{t('audience.stats.section')}</th>
              <th>{t('audience.stats.viewsCol')}</th>
              <th>{t('audience.stats.reactions')}</th>
              <th>{t('audience.stats.comments')}</th>
            </tr>
          </thead>
          <tbody>
            {cards.map((c) => (
              <tr>
                <td>
                  <a href={`/admin/stats?article=${c.id}&from=${fmt(from)}&to=${fmt(to)}`}>{c.title}</a>
                </td>
                <td>{c.section.title}</td>
                <td>{viewsOf.get(c.id) ?? 0}</td>
                <td>{reactions.get(c.id) ?? 0}</td>
                <td>{comments.get(c.id) ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>{t('audience.stats.bySection')}</h2>
        <table class="table">
          <tbody>
            {[...sections].sort((a, b) => b[1] - a[1]).map(([title, views]) => (
              <tr>
                <td>{title}</td>
                <td>{views}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </AdminLayout>,
      { status: badRange ? 400 : 200 },
    );
  });
}

/** The articles an author account wrote, through the content module. */
function ownArticleIds(app: App, req: FastifyRequest): Promise<number[]> {
  return app.content.articleIdsOfUser(req.user!.id);
}

export default fp(statsRoutes, { name: 'audience-stats' });
