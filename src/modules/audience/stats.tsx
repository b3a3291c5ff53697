// Statistics in the back office: views over time (by hour and by day, as charts),
// the most-read articles of the period with their reactions and comments, and
// views by section; for one article (?article=) also its reactions by kind.
// Authors see their own articles; editors see everything. Reactions come from the
// reactions module when it is installed (app.reactions), comment counts with the
// article cards.
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import { AdminLayout, adminNav } from '../../web/admin.js';
import { zonedParts } from '../../platform/i18n/index.js';
import { html, pageResponses, RowId } from '../../platform/openapi.js';
import { REACTION_KINDS, type ReactionCounts } from '../reactions/kinds.js';

const Query = Type.Object({
  // A real date (format, not a pattern: 2026-13-45 is no day).
  from: Type.Optional(Type.String({ format: 'date' })),
  to: Type.Optional(Type.String({ format: 'date' })),
  article: Type.Optional(RowId()),
});

const DAY = 86400_000;

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
    const article = req.query.article && (!own || own.includes(req.query.article)) ? (await app.content.cards([req.query.article]))[0] : undefined;
    const scope = req.query.article ? [req.query.article].filter((id) => !own || own.includes(id)) : own;
    const hourly = badRange ? [] : await app.audience.siteViewsByHour(from, to, scope);
    const byDay = new Map<string, number>();
    for (const h of hourly) {
      const { yyyy, mm, dd } = zonedParts(h.hour, app.config.timezone);
      const key = `${yyyy}-${mm}-${dd}`;
      byDay.set(key, (byDay.get(key) ?? 0) + h.views);
    }
    const top = badRange ? [] : await app.audience.topViewedBetween(from, to, 20, own);
    const cards = await app.content.cards(top.map((x) => x.id));
    const withReactions = app.hasDecorator('reactions');
    const reactions = withReactions ? await app.reactions.totals(cards.map((c) => c.id)) : new Map<number, number>();
    const byKind = withReactions && article ? await app.reactions.counts({ kind: 'article', id: article.id }) : undefined;
    const viewsOf = new Map(top.map((x) => [x.id, x.views]));
    const tree = await app.content.sections();
    const sections = badRange ? [] : (await app.audience.viewsBySection(from, to, own)).map((s) => ({ title: tree.get(s.sectionId)?.title ?? '—', views: s.views }));
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
        {article && (
          <p>
            {t('audience.stats.article')}: <a href={article.url}>{article.title}</a> · {t('audience.stats.comments')}: {article.commentCount ?? 0}
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
                <td>{c.commentCount ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {byKind && <ReactionsByKind counts={byKind} t={t} />}
        <h2>{t('audience.stats.bySection')}</h2>
        <table class="table stats-sections">
          <tbody>
            {sections.map(({ title, views }) => (
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

/** One article's reactions by kind: a bar per kind (a native meter, no script needed). */
function ReactionsByKind({ counts, t }: { counts: ReactionCounts; t: FastifyRequest['i18n']['t'] }) {
  const max = Math.max(1, ...Object.values(counts));
  return (
    <>
      <h2>{t('audience.stats.reactionsByKind')}</h2>
      <table class="table stats-reactions">
        <tbody>
          {REACTION_KINDS.map((kind) => (
            <tr>
              <th scope="row">{t(`reactions.${kind}`)}</th>
              <td>
                <meter min={0} max={max} value={counts[kind]} />
              </td>
              <td>{counts[kind]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The articles an author account wrote, through the content module. */
function ownArticleIds(app: App, req: FastifyRequest): Promise<number[]> {
  return app.content.articleIdsOfUser(req.user!.id);
}

export default fp(statsRoutes, { name: 'audience-stats' });
