// Comments in the one moderators' queue (modules/moderation): what the queue shows
// of a held or reported comment, and what a decision does — publish, hide or delete
// it, and purge the pages of the subject it stands under and its thread's data.
import type { ModeratedKind } from '../moderation/index.js';
import type { Comments } from './service.js';
import { threadTag } from './thread-cache.js';

export function commentQueue(comments: Comments, purge: (tags: string[]) => Promise<void>): ModeratedKind {
  return {
    kind: 'comment',
    held: (limit) => comments.queueItems({ held: true, limit }),
    heldCount: () => comments.heldCount(),
    items: (ids) => comments.queueItems({ ids }),
    async decide(id, decision) {
      const [item] = await comments.queueItems({ ids: [id] });
      const done = await comments.decide(id, decision);
      if (done.wasVisible && item) await purge([...item.tags, threadTag(item.subject)]);
    },
    async hold(id, reason) {
      const [item] = await comments.queueItems({ ids: [id] });
      if ((await comments.hold(id, reason)) && item) await purge([...item.tags, threadTag(item.subject)]);
    },
  };
}
