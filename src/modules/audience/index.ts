// What other modules may use of audience: the service's type (views, «ТОП 5»,
// «Рекомендуем», statistics), and the extension points audience asks others for.
import type { ReactionCounts } from '../reactions/index.js';

export type { Audience } from './service.js';

/** The tables audience owns; no other module queries them. */
export const tables = ['article_views_hourly', 'reader_reads', 'recommended_pins'] as const;

declare module '../../platform/extensions.js' {
  interface ExtensionPoints {
    /** The articles with the most comments since a moment, most first («Самое обсуждаемое»; the comments module answers). */
    'article.mostDiscussed': (since: Date, limit: number) => Promise<{ articleId: number; comments: number }[]>;
    /** Reactions per article, all kinds together (statistics; the reactions module answers). */
    'article.reactionTotals': (articleIds: number[]) => Promise<Map<number, number>>;
    /** One article's reactions by kind (statistics; the reactions module answers). */
    'article.reactionCounts': (articleId: number) => Promise<ReactionCounts>;
  }
}
