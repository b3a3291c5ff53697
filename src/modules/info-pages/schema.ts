// Tables of migration 0060, merged into Kysely's DB.
import type { ColumnType } from 'kysely';

type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

declare module '../../db/schema.js' {
  interface InfoPagesTable {
    slug: string;
    title: string;
    body: string;
    position: number;
    updated_at: DefaultTimestamp;
    updated_by: number | null;
  }
  interface InfoImprintTable {
    id: ColumnType<boolean, boolean | undefined, never>;
    founder: string;
    editor_in_chief: string;
    registration: string;
    updated_at: DefaultTimestamp;
    updated_by: number | null;
  }
  interface DB {
    info_pages: InfoPagesTable;
    info_imprint: InfoImprintTable;
  }
}
export {};
