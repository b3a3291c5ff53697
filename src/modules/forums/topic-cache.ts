// A topic page's data, kept in the portal's data cache (app.memo) under the page
// cache. A page-cache miss — a query string of its own, a reader who is not served
// the cached page, the first view after a reply — still finds the topic with its
// board and the page's 20 posts already rendered (Markdown → sanitised HTML, the
// quotes' sources, the mentions' links), their authors, likes and pictures, and the
// plain texts the JSON-LD quotes, instead of a dozen queries and 20 Markdown parses.
//
// Everything here is tagged `forum-topic:<id>`, the tag every write to the topic
// purges (a post added, edited, hidden, liked; the topic moved, merged, closed): so
// it is dropped with the topic's pages, here and on every instance. A change to the
// boards purges everything (admin-routes.tsx). What can go stale for the minute an
// entry lives: a quoted post's author renamed, a picture re-encoded.
import type { Memo } from '../../platform/memo.js';
import type { ImageRef } from '../media/index.js';
import type { Board } from './boards.js';
import { postText } from './markdown.js';
import type { Post, TopicSummary } from './reading.js';
import type { Author, Forums } from './service.js';

export const TOPIC_KEPT_MS = 60_000;

export interface KeptTopic {
  topic: TopicSummary;
  /** Null when the board is gone (a topic the reader may not see). */
  board: Board | null;
  parent: Board | null;
}

export interface KeptPage {
  posts: Post[];
  html: Map<number, string>;
  /** Each published post's plain text (what JSON-LD quotes), by post id. */
  texts: Map<number, string>;
  authors: Map<number, Author>;
  likes: Map<number, number>;
  images: Map<number, ImageRef[]>;
}

export function createTopicCache({
  memo,
  forums,
  likeCounts,
  pictures,
}: {
  memo: Memo;
  forums: Forums;
  likeCounts: (ids: number[]) => Promise<Map<number, number>>;
  /** The media module's images by id. */
  pictures: (ids: number[]) => Promise<Map<number, ImageRef>>;
}) {
  const tags = (id: number) => [`forum-topic:${id}`];
  return {
    /** The topic with its board and the board's parent, or null when there is no such topic. */
    topic(id: number): Promise<KeptTopic | null> {
      return memo.get(`forum:topic:${id}`, { ttlMs: TOPIC_KEPT_MS, tags: tags(id) }, async () => {
        const topic = await forums.reading.topic(id);
        if (!topic) return null;
        const board = await forums.boards.byId(topic.boardId);
        const parent = board?.parentId ? await forums.boards.byId(board.parentId) : null;
        return { topic, board, parent };
      });
    },

    /** Page `page` of a topic; `wrote` is the quote's «…писал(а)» in the page's language, so the key holds it. */
    page(topicId: number, page: number, wrote: string): Promise<KeptPage> {
      return memo.get(`forum:topic:${topicId}:${page}:${wrote}`, { ttlMs: TOPIC_KEPT_MS, tags: tags(topicId) }, async () => {
        const posts = await forums.reading.posts(topicId, page);
        const published = posts.filter((p) => p.status === 'published');
        const [html, authors, likes, attached] = await Promise.all([
          forums.render(posts, wrote),
          forums.authors(posts.map((p) => p.authorId)),
          likeCounts(posts.map((p) => p.id)),
          forums.reading.imagesOf(published.map((p) => p.id)),
        ]);
        const found = await pictures([...attached.values()].flat());
        const images = new Map([...attached].map(([postId, ids]) => [postId, ids.flatMap((id) => (found.has(id) ? [found.get(id)!] : []))]));
        const texts = new Map(published.map((p) => [p.id, postText(p.body)]));
        return { posts, html, texts, authors, likes, images };
      });
    },
  };
}

export type TopicCache = ReturnType<typeof createTopicCache>;
