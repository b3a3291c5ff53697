// What other modules may use of comments: the service's type and the shapes of a
// thread. It answers content's `article.commentCounts` and audience's
// `article.mostDiscussed` extension points.
export type { Comments, CommentNode, PublishedComment, Thread } from './service.js';

/** The tables comments owns; no other module queries them. */
export const tables = ['comments', 'comment_votes', 'comment_complaints', 'comment_bans', 'comment_stop_words'] as const;
