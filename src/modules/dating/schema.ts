// The dating module's tables (migration 0700_dating.sql), merged into Kysely's DB.
import type { ColumnType, Generated } from 'kysely';

type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A `date` column: read as text (YYYY-MM-DD) — the driver must not shift it by a time zone. */
type DateColumn = ColumnType<string, string, string>;

export const GENDERS = ['m', 'f'] as const;
export type Gender = (typeof GENDERS)[number];
/** Whom a person looks for. */
export const SEEKS = ['m', 'f', 'any'] as const;
export type Seek = (typeof SEEKS)[number];
export const INTENTIONS = ['friendship', 'communication', 'relationship', 'marriage'] as const;
export type Intention = (typeof INTENTIONS)[number];
export const VISIBILITIES = ['visible', 'hidden', 'paused'] as const;
export type Visibility = (typeof VISIBILITIES)[number];
export const REPORT_REASONS = ['fake', 'underage', 'spam', 'offensive', 'scam'] as const;
export type DatingReportReason = (typeof REPORT_REASONS)[number];
export const INTERESTS = ['music', 'cinema', 'books', 'sport', 'travel', 'cooking', 'games', 'art', 'nature', 'dogs', 'cats', 'theatre', 'dance', 'tech', 'cars', 'photo'] as const;
export type Interest = (typeof INTERESTS)[number];

export interface DatingProfilesTable {
  user_id: number;
  display_name: string;
  birth_date: DateColumn;
  gender: Gender;
  seek_enc: string;
  seek_key: string;
  intention_enc: string;
  intention_key: string;
  about_enc: string;
  age_min: number;
  age_max: number;
  district: string;
  interests: Generated<string>;
  visibility: Generated<Visibility>;
  teaser: Generated<boolean>;
  photo_count: Generated<number>;
  consent_version: string;
  consent_text: string;
  consent_at: Timestamp;
  consent_ip_hash: string;
  rules_at: Timestamp;
  held: 'underage' | 'banned' | null;
  verified_at: Timestamp | null;
  last_seen_at: DefaultTimestamp;
  created_at: DefaultTimestamp;
  /** The key version the row's ciphertexts and blind indexes were made with (migration 0701). */
  key_version: Generated<number>;
}

export interface DatingPhotosTable {
  id: Generated<number>;
  user_id: number;
  image_id: number;
  position: Generated<number>;
  status: Generated<'pending' | 'approved' | 'rejected'>;
  created_at: DefaultTimestamp;
}

export interface DatingPairsTable {
  low_id: number;
  high_id: number;
  low_like: Timestamp | null;
  high_like: Timestamp | null;
  low_skip: Timestamp | null;
  high_skip: Timestamp | null;
  matched_at: Timestamp | null;
}

export interface DatingBlocksTable {
  blocker_id: number;
  blocked_id: number;
  created_at: DefaultTimestamp;
}

export interface DatingReportsTable {
  id: Generated<number>;
  reporter_id: number;
  target_id: number;
  reason: DatingReportReason;
  text: Generated<string>;
  status: Generated<'open' | 'upheld' | 'dismissed'>;
  created_at: DefaultTimestamp;
  decided_at: Timestamp | null;
  /** The reported messages copied at the report (JSON of `ReportedMessage[]`, migration 0701). */
  messages: Generated<string>;
}

/** A message copied into a report: what the moderators see even after an unmatch or the sender's deletion. */
export interface ReportedMessage {
  id: number;
  text: string;
  /** ISO time the message was sent. */
  at: string;
  senderId: number;
}

/** Figures per day, written by each event in its own transaction (migration 0701). */
export interface DatingDailyTable {
  day: DateColumn;
  profiles: Generated<number>;
  matches: Generated<number>;
  reports: Generated<number>;
  deletions: Generated<number>;
}

export interface DatingVerificationsTable {
  id: Generated<number>;
  user_id: number;
  pose: string;
  image_id: number | null;
  status: Generated<'asked' | 'pending' | 'approved' | 'rejected'>;
  created_at: DefaultTimestamp;
  decided_at: Timestamp | null;
}

declare module '../../db/schema.js' {
  interface DB {
    dating_profiles: DatingProfilesTable;
    dating_photos: DatingPhotosTable;
    dating_pairs: DatingPairsTable;
    dating_blocks: DatingBlocksTable;
    dating_reports: DatingReportsTable;
    dating_verifications: DatingVerificationsTable;
    dating_daily: DatingDailyTable;
  }
}
