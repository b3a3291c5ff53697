// Saved-search alerts: each saved search re-runs its address; ads published since it
// was last told go to its owner as one notification (the site at once, the mail
// after the kind's window — at most once a day), and the link in it unsubscribes.
// A reader who also gets the newsletter's digest finds them there instead
// (`digestAlerts`, the `newsletter.savedSearchAds` extension point): what a digest
// carried needs no mail of its own, and the job does not tell the same ads again.
import type { App } from '../../types.js';
import { parseFilters, type Card } from './finding.js';
import type { Classifieds } from './service.js';

export const ALERT_KIND = 'ad_saved_search';
/** Saved searches a digest names per reader. */
const DIGEST_SEARCHES = 5;

type Catalogue = Awaited<ReturnType<Classifieds['catalogue']>>;

/** The newest ads a saved search's address finds (one page, newest first). */
async function newestFor(svc: Classifieds, cat: Catalogue, saved: string): Promise<Card[]> {
  const url = new URL(saved, 'http://x');
  const slug = url.pathname.split('/')[2] ?? '';
  const category = slug === 'search' ? null : (cat.bySlug.get(slug) ?? null);
  const query: Record<string, unknown> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? [query[k], v].flat() : v;
  const f = { ...parseFilters(cat, category, query), sort: 'date' as const, page: 1 };
  return (await svc.finding.list(f)).cards;
}

export async function runAlerts(app: App, svc: Classifieds): Promise<number> {
  const cat = await svc.catalogue();
  let told = 0;
  for (const s of await svc.readers.allSearches(500)) {
    const cards = await newestFor(svc, cat, s.query);
    const fresh = cards.filter((c) => c.sort_at.getTime() > s.seen_until.getTime());
    const now = app.clock.now();
    if (fresh.length) {
      await app.notifications.notify({ recipientId: s.user_id, kind: ALERT_KIND, subject: { kind: 'ad', id: fresh[0]!.id }, url: s.query, actorName: s.label, excerpt: `${fresh.map((c) => c.title).slice(0, 3).join(' · ')}` });
      told++;
    }
    await svc.readers.seen(s.id, now);
  }
  return told;
}

/** The classifieds' answer to the newsletter's `newsletter.savedSearchAds`. */
export function digestAlerts(app: App, svc: Classifieds) {
  return {
    /** Per account, its saved searches with ads published after its `since` (and after the search was saved). */
    async find(wants: { userId: number; since: Date }[]): Promise<Map<number, { title: string; url: string; count: number }[]>> {
      const out = new Map<number, { title: string; url: string; count: number }[]>();
      if (!wants.length) return out;
      const cat = await svc.catalogue();
      for (const { userId, since } of wants) {
        const items = [];
        for (const s of await svc.readers.searches(userId)) {
          const from = Math.max(since.getTime(), new Date(s.created_at).getTime());
          const count = (await newestFor(svc, cat, s.query)).filter((c) => c.sort_at.getTime() > from).length;
          if (count) items.push({ title: s.label, url: s.query, count });
          if (items.length >= DIGEST_SEARCHES) break;
        }
        if (items.length) out.set(userId, items);
      }
      return out;
    },
    /** A digest carried these searches' ads (found at `at`): their waiting alert mail is dropped (the notice stays on the site), and the job will not tell them again. */
    async carried(userId: number, items: { url: string }[], at: Date): Promise<void> {
      const urls = [...new Set(items.map((i) => i.url))];
      if (!urls.length) return;
      await app.database.db.updateTable('ad_saved_searches').set({ seen_until: at }).where('user_id', '=', userId).where('query', 'in', urls).where('seen_until', '<', at).execute();
      for (const url of urls) await app.notifications.skipMail([userId], ALERT_KIND, url);
    },
  };
}
