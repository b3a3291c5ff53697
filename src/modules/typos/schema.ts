// Table of migration 0201, merged into Kysely's DB.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type TypoStatus = 'open' | 'fixed' | 'rejected';

declare module '../../db/schema.js' {
  interface TypoReportsTable {
    id: Generated<number>;
    article_id: number;
    revision: number;
    fragment: string;
    before: string;
    after: string;
    comment: string;
    merge_key: string;
    reports: Generated<number>;
    status: Generated<TypoStatus>;
    /** platform/reader.ts: `u:<user id>` or `a:<reader cookie id>`; null once the account is deleted. */
    reader: string | null;
    ip_hash: string;
    created_at: DefaultTimestamp;
    last_reported_at: DefaultTimestamp;
    resolved_at: Timestamp | null;
    resolved_by: number | null;
  }
  interface DB {
    typo_reports: TypoReportsTable;
  }
}
export {};
