// Forum posts in the one moderators' queue (modules/moderation): what the queue
// shows of a held or reported post, and what a decision does — publish it (and
// tell its watchers and the mentioned, as a post published at once would), hide it
// or delete it, and purge the topic's pages.
import type { ModeratedKind, QueueItem } from '../moderation/index.js';
import type { Written } from './posting.js';
import { topicTags } from './posting.js';
import { mentionedHandles, postText } from './markdown.js';
import type { Forums } from './service.js';

type Posted = Written & { authorId: number; authorName: string; body: string; mentions: string[]; isTopic: boolean };

export function forumQueue(forums: Forums, purge: (tags: string[]) => Promise<void>, posted: (w: Posted) => Promise<void>): ModeratedKind {
  async function items(ids: number[]): Promise<QueueItem[]> {
    const located = await forums.locate(ids);
    const authors = await forums.authors([...located.values()].map((l) => l.post.authorId));
    return [...located.values()]
      .filter((l) => l.post.status !== 'deleted')
      .map((l) => ({
        kind: 'forum_post' as const,
        id: l.post.id,
        body: postText(l.post.body),
        authorId: l.post.authorId,
        authorName: l.post.authorId === null ? null : (authors.get(l.post.authorId)?.name ?? null),
        createdAt: l.post.createdAt,
        held: l.post.status === 'held',
        heldReasons: [],
        context: { title: `${l.topicTitle} · #${l.post.number}`, url: l.url },
        scope: { kind: 'board' as const, id: l.board.id },
      }));
  }
  return {
    kind: 'forum_post',
    held: async (limit) => items((await forums.reading.heldPosts(limit)).map((p) => p.id)),
    heldCount: () => forums.reading.heldCount(),
    items,
    async decide(id, decision) {
      const done = await forums.posting.decide(id, decision);
      if (!done) return;
      if (done.wasVisible) await purge(topicTags(done.topicId, done.boardId));
      const p = done.published;
      if (p && p.authorId !== null) {
        const name = (await forums.authors([p.authorId])).get(p.authorId)?.name ?? '';
        await posted({ topicId: done.topicId, postId: id, number: p.number, boardId: done.boardId, status: 'published', authorId: p.authorId, authorName: name, body: p.body, mentions: mentionedHandles(p.body, 10), isTopic: p.number === 1 });
      }
    },
    async hold(id, reason) {
      const done = await forums.posting.hold(id, reason);
      if (done) await purge(topicTags(done.topicId, done.boardId));
    },
  };
}
