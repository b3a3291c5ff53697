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
    /**
     * Per account, its saved searches with ads published after its `since` (and after
     * the search was saved). Asked for a batch of a digest's readers at once: their
     * searches in one statement, and each distinct search address run once for all
     * of them (many readers save the same category page).
     */
    async find(wants: { userId: number; since: Date }[]): Promise<Map<number, { title: string; url: string; count: number }[]>> {
      const out = new Map<number, { title: string; url: string; count: number }[]>();
      if (!wants.length) return out;
      const cat = await svc.catalogue();
      const searches = await svc.readers.searchesOf(wants.map((w) => w.userId));
      const newest = new Map<string, Promise<Card[]>>();
      for (const s of searches) if (!newest.has(s.query)) newest.set(s.query, newestFor(svc, cat, s.query));
      const found = new Map<string, Card[]>();
      for (const [query, cards] of newest) found.set(query, await cards);
      const byUser = new Map<number, typeof searches>();
      for (const s of searches) byUser.set(s.user_id, [...(byUser.get(s.user_id) ?? []), s]);
      for (const { userId, since } of wants) {
        const items = [];
        for (const s of byUser.get(userId) ?? []) {
          const from = Math.max(since.getTime(), new Date(s.created_at).getTime());
          const count = found.get(s.query)!.filter((c) => c.sort_at.getTime() > from).length;
          if (count) items.push({ title: s.label, url: s.query, count });
          if (items.length >= DIGEST_SEARCHES) break;
        }
        if (items.length) out.set(userId, items);
      }
      return out;
    },
    /** Digests carried these accounts' searches' ads (found at `at`): their waiting alert mails are dropped (the notices stay on the site), and the job will not tell them again. Two statements per distinct search address. */
    async carried(entries: { userId: number; items: { url: string }[] }[], at: Date): Promise<void> {
      const byUrl = new Map<string, Set<number>>();
      for (const { userId, items } of entries) for (const { url } of items) byUrl.set(url, (byUrl.get(url) ?? new Set()).add(userId));
      for (const [url, users] of byUrl) {
        await app.database.db.updateTable('ad_saved_searches').set({ seen_until: at }).where('query', '=', url).where('user_id', 'in', [...users]).where('seen_until', '<', at).execute();
        await app.notifications.skipMail([...users], ALERT_KIND, url);
      }
    },
  };
}
