// The live module's tables (migration 1000_live.sql), merged into Kysely's DB.
import type { ColumnType, Generated } from 'kysely';
import type { Block } from '../../db/schema.js';

type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type EntryOrder = 'newest' | 'oldest';
export type EntryStatus = 'draft' | 'published' | 'deleted';

export interface LiveArticlesTable {
  article_id: number;
  starts_at: Timestamp;
  ends_at: Timestamp | null;
  entry_order: Generated<EntryOrder>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface LiveEntriesTable {
  id: Generated<number>;
  article_id: number;
  created_by: number | null;
  created_at: DefaultTimestamp;
}

export interface LiveEntryVersionsTable {
  id: Generated<number>;
  entry_id: number;
  article_id: number;
  version: number;
  status: EntryStatus;
  title: Generated<string>;
  blocks: ColumnType<{ blocks: Block[] }, string, string>;
  body_text: Generated<string>;
  key_event: Generated<boolean>;
  pinned: Generated<boolean>;
  at: Timestamp;
  author_id: number | null;
  author_name: Generated<string>;
  created_by: number | null;
  created_at: DefaultTimestamp;
}

declare module '../../db/schema.js' {
  interface DB {
    live_articles: LiveArticlesTable;
    live_entries: LiveEntriesTable;
    live_entry_versions: LiveEntryVersionsTable;
  }
}
