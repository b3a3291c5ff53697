// Ads in the one moderators' queue (modules/moderation): what the queue shows of an
// ad on moderation or reported, and what a decision does (approve publishes,
// reject returns it to the seller with the reason, delete blocks it).
import type { ModeratedKind, QueueItem } from '../moderation/index.js';
import { adPath } from './paths.js';
import type { Classifieds } from './service.js';

export function adQueue(svc: Classifieds): ModeratedKind {
  async function items(ids: number[]): Promise<QueueItem[]> {
    const [cat, ads] = await Promise.all([svc.catalogue(), svc.ads.byIds(ids)]);
    return ads.map((ad) => {
      const c = cat.byId.get(ad.category_id);
      return {
        kind: 'ad' as const,
        id: ad.id,
        body: `${ad.title}\n\n${ad.description}`,
        authorId: ad.user_id,
        authorName: null,
        createdAt: ad.created_at,
        held: ad.status === 'moderation',
        heldReasons: ad.status === 'moderation' && ad.reject_reason ? ad.reject_reason.split(', ') : [],
        context: c ? { title: `${c.title} · ${ad.title}`, url: `/ads/item/${ad.id}` } : null,
        scope: null,
      };
    });
  }
  return {
    kind: 'ad',
    held: async (limit) => items((await svc.ads.held(limit)).map((a) => a.id)),
    heldCount: () => svc.ads.heldCount(),
    items,
    async decide(id, decision) {
      await svc.ads.decide(id, decision);
    },
    async hold(id, reason) {
      await svc.ads.hold(id, reason);
    },
  };
}
export { adPath };
