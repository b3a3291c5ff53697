// The WordPress import's tables, merged into Kysely's DB (migration 0900).
import type { ColumnType, Generated } from 'kysely';

type Json<T> = ColumnType<T, string, string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type ImportKind = 'author' | 'category' | 'tag' | 'post' | 'attachment' | 'comment';
export type RedirectTargetKind = 'article' | 'section' | 'path';
export type RunState = 'queued' | 'running' | 'done' | 'failed' | 'interrupted';

export interface WpImportSitesTable {
  id: Generated<number>;
  base_url: string;
  created_at: DefaultTimestamp;
}
export interface WpImportItemsTable {
  site_id: number;
  kind: ImportKind;
  wp_key: string;
  target_id: number | null;
  fingerprint: Generated<string>;
  failed: Generated<string>;
  updated_at: DefaultTimestamp;
}
export interface WpImportRedirectsTable {
  old_key: string;
  site_id: number;
  target_kind: RedirectTargetKind;
  target_id: number | null;
  target_path: Generated<string>;
}
export interface WpImportRunsTable {
  id: Generated<number>;
  site_id: number | null;
  file: string;
  file_stamp: Generated<string>;
  dry_run: Generated<boolean>;
  accounts: Generated<boolean>;
  state: RunState;
  total: Generated<number>;
  done: Generated<number>;
  position: Generated<number>;
  report: Json<unknown> | null;
  error: Generated<string>;
  created_by: number | null;
  started_at: DefaultTimestamp;
  finished_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

declare module '../../db/schema.js' {
  interface DB {
    wp_import_sites: WpImportSitesTable;
    wp_import_items: WpImportItemsTable;
    wp_import_redirects: WpImportRedirectsTable;
    wp_import_runs: WpImportRunsTable;
  }
}
