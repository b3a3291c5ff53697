// The forums' tables, merged into Kysely's DB.
import type { ColumnType, Generated } from 'kysely';

type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** Who may start topics or reply in a board. */
export type BoardRole = 'reader' | 'trusted' | 'staff';
export const BOARD_ROLES: readonly BoardRole[] = ['reader', 'trusted', 'staff'];
export type TopicStatus = 'visible' | 'held' | 'hidden';
export type PostStatus = 'published' | 'held' | 'hidden' | 'deleted';
/** Discourse's levels: muted, normal, tracking (counts only), watching (every reply notifies). */
export type Level = 0 | 1 | 2 | 3;
export const LEVELS = { muted: 0, normal: 1, tracking: 2, watching: 3 } as const;
export type LevelName = keyof typeof LEVELS;
export type LevelReason = 'visited' | 'created' | 'replied' | 'read_long' | 'board' | 'manual';

export interface ForumBoardsTable {
  id: Generated<number>;
  parent_id: number | null;
  slug: string;
  title: string;
  description: Generated<string>;
  position: Generated<number>;
  start_role: Generated<BoardRole>;
  reply_role: Generated<BoardRole>;
  premoderation: Generated<boolean>;
  discussion_section_id: number | null;
  archived_at: Timestamp | null;
  topic_count: Generated<number>;
  post_count: Generated<number>;
  last_topic_id: number | null;
  last_post_at: Timestamp | null;
  created_at: DefaultTimestamp;
}
export interface ForumMembersTable {
  user_id: number;
  handle: string;
  topic_count: Generated<number>;
  post_count: Generated<number>;
  read_all_at: Timestamp | null;
  joined_at: DefaultTimestamp;
}
export interface ForumTopicsTable {
  id: Generated<number>;
  board_id: number;
  author_id: number | null;
  title: string;
  slug: string;
  status: Generated<TopicStatus>;
  pinned: Generated<boolean>;
  closed: Generated<boolean>;
  post_count: Generated<number>;
  last_number: Generated<number>;
  view_count: Generated<number>;
  last_post_at: Timestamp;
  last_post_number: Generated<number>;
  last_poster_id: number | null;
  article_id: number | null;
  moved_to: number | null;
  created_at: DefaultTimestamp;
}
export interface ForumPostsTable {
  id: Generated<number>;
  topic_id: number;
  number: number;
  author_id: number | null;
  body: string;
  status: Generated<PostStatus>;
  held_reason: Generated<string>;
  ip_hash: Generated<string>;
  created_at: DefaultTimestamp;
  edited_at: Timestamp | null;
  edit_count: Generated<number>;
}
export interface ForumPostImagesTable {
  post_id: number;
  position: number;
  image_id: number;
}
export interface ForumPostRevisionsTable {
  id: Generated<number>;
  post_id: number;
  body: string;
  editor_id: number | null;
  replaced_at: DefaultTimestamp;
}
export interface ForumTopicReadersTable {
  user_id: number;
  topic_id: number;
  last_read: Generated<number>;
  level: Generated<Level>;
  reason: Generated<LevelReason>;
  first_seen_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}
export interface ForumBoardReadersTable {
  user_id: number;
  board_id: number;
  level: Level;
}
export interface ForumBoardModeratorsTable {
  user_id: number;
  board_id: number;
}
export interface ForumBlocksTable {
  user_id: number;
  blocked_id: number;
  created_at: DefaultTimestamp;
}

declare module '../../db/schema.js' {
  interface DB {
    forum_boards: ForumBoardsTable;
    forum_members: ForumMembersTable;
    forum_topics: ForumTopicsTable;
    forum_posts: ForumPostsTable;
    forum_post_revisions: ForumPostRevisionsTable;
    forum_post_images: ForumPostImagesTable;
    forum_topic_readers: ForumTopicReadersTable;
    forum_board_readers: ForumBoardReadersTable;
    forum_board_moderators: ForumBoardModeratorsTable;
    forum_blocks: ForumBlocksTable;
  }
}
