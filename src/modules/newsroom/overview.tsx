// The overview page's newsroom panel: each figure from the service that owns it
// (audience for views, typos, comments, content for the workflow), none from
// another module's tables. Shown to editors; authors keep the plain menu.
import type { FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import { NewsroomOverview } from './views/overview.js';
import { isEditor } from './service.js';

const MOST_READ = 5;
const LISTED = 10;

/** Midnight in the portal's zone, as an instant (the «today» of the figures). */
export function startOfDay(now: Date, timeZone: string): Date {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return new Date(now.getTime() - ((get('hour') * 60 + get('minute')) * 60 + get('second')) * 1000 - now.getMilliseconds());
}

export function addNewsroomOverview(app: App) {
  app.admin.addPanel(10, async (req: FastifyRequest) => {
    if (!req.user || !isEditor(req.user)) return null;
    const now = app.clock.now();
    const [byHour, top, openTypos, queue, review, scheduled] = await Promise.all([
      app.audience.siteViewsByHour(startOfDay(now, app.config.timezone), now),
      app.audience.topViewedBetween(startOfDay(now, app.config.timezone), now, MOST_READ),
      app.typos.openCount(),
      app.moderation.queueCount(),
      app.content.adminList({ status: 'review', page: 1, size: LISTED }),
      app.content.adminList({ status: 'scheduled', page: 1, size: LISTED }),
    ]);
    const cards = new Map((await app.content.cards(top.map((t) => t.id))).map((c) => [c.id, c]));
    const data = {
      viewsToday: byHour.reduce((sum, h) => sum + h.views, 0),
      mostRead: top.flatMap((t) => {
        const card = cards.get(t.id);
        return card ? [{ id: t.id, title: card.title, url: card.url, views: t.views }] : [];
      }),
      openTypos,
      heldComments: queue,
      inReview: review.items.map((a) => ({ id: a.id, title: a.title })),
      scheduled: scheduled.items
        .filter((a) => a.scheduledAt)
        .map((a) => ({ id: a.id, title: a.title, at: a.scheduledAt! }))
        .sort((a, b) => a.at.getTime() - b.at.getTime()),
    };
    return <NewsroomOverview i18n={req.i18n} data={data} />;
  });
}
