// The moderation module's tables, merged into Kysely's DB.
import type { ColumnType, Generated } from 'kysely';

type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export const REPORT_REASONS = ['spam', 'abuse', 'offtopic', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];
export type ReportStatus = 'open' | 'upheld' | 'dismissed';

export interface ReportsTable {
  id: Generated<number>;
  subject_kind: string;
  subject_id: number;
  subject_author_id: number | null;
  reader: string;
  reason: ReportReason;
  text: Generated<string>;
  status: Generated<ReportStatus>;
  created_at: DefaultTimestamp;
  decided_at: Timestamp | null;
}
export interface ModerationBansTable {
  id: Generated<number>;
  user_id: number;
  scope_kind: 'section' | 'board' | null;
  scope_id: number | null;
  reason: string;
  ends_at: Timestamp | null;
  step: Generated<number>;
  created_by: number | null;
  created_at: DefaultTimestamp;
  lifted_at: Timestamp | null;
}
export interface ModerationStopWordsTable {
  word: string;
}
export interface ModerationRecentTextsTable {
  author: string;
  hash: string;
  created_at: DefaultTimestamp;
}
export interface ModerationActivityTable {
  user_id: number;
  day: ColumnType<string, string, string>;
  reads: Generated<number>;
  posts: Generated<number>;
}

declare module '../../db/schema.js' {
  interface DB {
    reports: ReportsTable;
    moderation_bans: ModerationBansTable;
    moderation_stop_words: ModerationStopWordsTable;
    moderation_recent_texts: ModerationRecentTextsTable;
    moderation_activity: ModerationActivityTable;
  }
}
