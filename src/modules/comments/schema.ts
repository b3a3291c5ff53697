// The comments module's tables, merged into Kysely's DB.
import type { ColumnType, Generated } from 'kysely';

type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type CommentStatus = 'approved' | 'held' | 'rejected' | 'deleted';

export interface CommentsTable {
  id: Generated<number>;
  /** What it is under: a subject's kind and id (platform/subjects.ts). */
  subject_kind: string;
  subject_id: number;
  parent_id: number | null;
  root_id: number | null;
  depth: Generated<number>;
  author_id: number | null;
  guest_name: string | null;
  body: string;
  status: CommentStatus;
  held_reason: Generated<string>;
  up: Generated<number>;
  down: Generated<number>;
  ip_hash: Generated<string>;
  created_at: DefaultTimestamp;
  edited_at: Timestamp | null;
  reviewed_at: Timestamp | null;
}
export interface CommentVotesTable {
  comment_id: number;
  reader: string;
  value: number;
  ip_hash: Generated<string>;
  created_at: DefaultTimestamp;
}
declare module '../../db/schema.js' {
  interface DB {
    comments: CommentsTable;
    comment_votes: CommentVotesTable;
  }
}
