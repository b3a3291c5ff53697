// Saved-search alerts: each saved search re-runs its address; ads published since it
// was last told go to its owner as one notification (the site at once, the mail
// after the kind's window — at most once a day), and the link in it unsubscribes.
import type { App } from '../../types.js';
import { parseFilters } from './finding.js';
import type { Classifieds } from './service.js';

export async function runAlerts(app: App, svc: Classifieds): Promise<number> {
  const cat = await svc.catalogue();
  let told = 0;
  for (const s of await svc.readers.allSearches(500)) {
    const url = new URL(s.query, 'http://x');
    const slug = url.pathname.split('/')[2] ?? '';
    const category = slug === 'search' ? null : (cat.bySlug.get(slug) ?? null);
    const query: Record<string, unknown> = {};
    for (const [k, v] of url.searchParams) query[k] = k in query ? [query[k], v].flat() : v;
    const f = { ...parseFilters(cat, category, query), sort: 'date' as const, page: 1 };
    const { cards } = await svc.finding.list(f);
    const fresh = cards.filter((c) => c.sort_at.getTime() > s.seen_until.getTime());
    const now = app.clock.now();
    if (fresh.length) {
      await app.notifications.notify({ recipientId: s.user_id, kind: 'ad_saved_search', subject: { kind: 'ad', id: fresh[0]!.id }, url: s.query, actorName: s.label, excerpt: `${fresh.map((c) => c.title).slice(0, 3).join(' · ')}` });
      told++;
    }
    await svc.readers.seen(s.id, now);
  }
  return told;
}
