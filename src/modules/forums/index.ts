// What other modules may use of the forums: the service's type (`app.forums`), the
// addresses of boards, topics and members, and the extension point the forums ask
// the reactions module for (likes on posts).
import type { Reader } from '../../platform/reader.js';
import type { SubjectKind } from '../../platform/subjects.js';

export type { Forums, Author } from './service.js';
export { memberPath } from './service.js';
export { boardPath, topicPath } from './reading.js';
export { FORUM_SETTINGS } from './settings.js';
export { default } from './routes.js';

/** The tables the forums own; no other module queries them. */
export const tables = ['forum_boards', 'forum_members', 'forum_topics', 'forum_posts', 'forum_post_images', 'forum_post_revisions', 'forum_topic_readers', 'forum_board_readers', 'forum_board_moderators', 'forum_blocks', 'forum_search_posts'] as const;

declare module '../../platform/extensions.js' {
  interface ExtensionPoints {
    /** Reactions per subject of a kind, all kinds of reaction together (a forum post's likes; the reactions module answers). */
    'subject.reactionTotals': (kind: SubjectKind, ids: number[]) => Promise<Map<number, number>>;
    /** A reader's own reactions to subjects of a kind, by subject id (the likes a topic page's reader gave). */
    'subject.readerReactions': (kind: SubjectKind, ids: number[], reader: Reader) => Promise<Map<number, string>>;
  }
}
