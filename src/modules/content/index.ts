// What other modules may use of content: the service's type and the shapes it hands
// out, the article workflow, addresses, the card widgets other pages show, and the
// extension points content asks other modules for.
export type { Content } from './service.js';
export type { AdminListFilter, AdminListItem, ArticleCard, ArticleFacts, ArticleFields, ArticleFull, AuthorRef, EditableArticle, NewArticle, Page } from './types.js';
export { TRANSITIONS, type Transition } from './workflow.js';
export { articlePath, authorPath, sectionPath, slugify, storyPath, tagPath } from './urls.js';
export { articleBodyHtml, BlockError, bodyImageIds, bodyText, embedUrl, validateBody } from './blocks.js';
export { ArticlePage } from './views/article.js';
export { Top5, TypeLabel, When } from './views/cards.js';

/** The tables content owns; no other module queries them. */
export const tables = ['sections', 'section_redirects', 'authors', 'tags', 'stories', 'articles', 'article_authors', 'article_tags', 'article_related', 'article_revisions', 'home_slots'] as const;

/** Events content emits (platform/events.ts): `article.changed` after every committed write of an article; `articles.changed` for a bulk write's batch (`changedTogether`). */
export const events = ['article.changed', 'articles.changed'] as const;

declare module '../../platform/extensions.js' {
  interface ExtensionPoints {
    /** Approved comments per article, put on every card list in one call (the comments module answers). */
    'article.commentCounts': (articleIds: number[]) => Promise<Map<number, number>>;
    /** Articles closest by text, best first, for «По теме» (the search module answers). */
    'article.similar': (articleId: number, limit: number) => Promise<number[]>;
    /** The articles among these that are live coverage running now: cards show «Онлайн» (the live module answers). */
    'article.liveNow': (articleIds: number[]) => Promise<Set<number>>;
  }
}
