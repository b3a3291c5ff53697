// The forums' service: the structure (boards.ts), the members (members.ts), the
// write side (posting.ts) and the read side (reading.ts) put together, with what
// pages need from several of them at once — posts rendered with their quotes'
// sources and mentions' links, authors' names. `app.forums` is this.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { Memo } from '../../platform/memo.js';
import type { Settings } from '../../platform/settings.js';
import type { Moderation } from '../moderation/index.js';
import { createBoards, type Board } from './boards.js';
import { mentionedHandles, quotedPostIds, renderPost, type QuoteSource } from './markdown.js';
import { createMembers } from './members.js';
import { createPosting, type PostEvents } from './posting.js';
import { createTopicViews } from './topic-views.js';
import { boardPath, createReading, topicPath, type Post } from './reading.js';
import './schema.js';

export interface Author {
  id: number;
  name: string;
  handle: string | null;
}

export const memberPath = (handle: string) => `/forum/u/${encodeURIComponent(handle)}/`;

export function createForums({
  db,
  clock,
  settings,
  moderation,
  displayNames,
  events,
  onError,
  ownImages,
  memo,
}: {
  db: Kysely<DB>;
  clock: Clock;
  settings: Settings;
  moderation: Moderation;
  /** Accounts' names (accounts.displayNames): the forums keep no copy. */
  displayNames: (ids: number[]) => Promise<Map<number, string>>;
  events: PostEvents;
  /** A background write that failed (the view counts' flush). */
  onError: (err: Error) => void;
  /** Which of these images the account uploaded (media.uploadedBy). */
  ownImages: (ids: number[], userId: number) => Promise<Set<number>>;
  /** The data cache: boards' rules and moderators are kept there for the writes. */
  memo?: Memo;
}) {
  const boards = createBoards({ db, now: () => clock.now(), memo });
  const members = createMembers({ db });
  const reading = createReading({ db, clock });
  const posting = createPosting({ db, clock, settings, boards, members, moderation, events, ownImages });
  const views = createTopicViews(db, onError);

  async function authors(ids: (number | null)[]): Promise<Map<number, Author>> {
    const known = [...new Set(ids.filter((id): id is number => id !== null))];
    const [names, handles] = await Promise.all([displayNames(known), members.handles(known)]);
    return new Map(known.filter((id) => names.has(id)).map((id) => [id, { id, name: names.get(id)!, handle: handles.get(id) ?? null }]));
  }

  /** Where each post is read, by id (for quotes, the queue, notifications). */
  async function locate(postIds: number[]): Promise<Map<number, { url: string; post: Post; topicTitle: string; board: Board }>> {
    const posts = await reading.postsByIds(postIds);
    const topics = await reading.topicsByIds(posts.map((p) => p.topicId));
    const boardMap = await boards.byIds([...topics.values()].map((t) => t.boardId));
    const out = new Map<number, { url: string; post: Post; topicTitle: string; board: Board }>();
    for (const post of posts) {
      const topic = topics.get(post.topicId);
      const board = topic && boardMap.get(topic.boardId);
      if (topic && board) out.set(post.id, { url: topicPath(board.slug, topic, post.number), post, topicTitle: topic.title, board });
    }
    return out;
  }

  /** The HTML of posts, their quotes naming the quoted post's author and linking to it. */
  async function render(posts: Pick<Post, 'id' | 'body' | 'status'>[], wrote: string): Promise<Map<number, string>> {
    const live = posts.filter((p) => p.status !== 'deleted');
    const quoteIds = [...new Set(live.flatMap((p) => quotedPostIds(p.body)))];
    const handles = [...new Set(live.flatMap((p) => mentionedHandles(p.body)))];
    const [quoted, mentioned] = await Promise.all([locate(quoteIds), members.byHandles(handles)]);
    const quotedAuthors = await authors([...quoted.values()].map((q) => q.post.authorId));
    const quotes = new Map<number, QuoteSource>();
    for (const [id, q] of quoted) {
      if (q.post.status !== 'published') continue;
      quotes.set(id, { authorName: (q.post.authorId !== null && quotedAuthors.get(q.post.authorId)?.name) || '—', url: q.url });
    }
    const mentions = new Map([...mentioned].map(([lower, m]) => [lower, memberPath(m.handle)]));
    return new Map(live.map((p) => [p.id, renderPost(p.body, { quotes, mentions, wrote })]));
  }

  return { boards, members, reading, posting, views, authors, locate, render, topicPath, boardPath };
}

export type Forums = ReturnType<typeof createForums>;
