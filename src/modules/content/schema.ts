// Content tables added by the newsroom migration (0100): who started an article and
// the home page slots editors fill.
import type { ColumnType } from 'kysely';

declare module '../../db/schema.js' {
  interface ArticlesTable {
    created_by: ColumnType<number | null, number | null | undefined, number | null>;
  }
  interface HomeSlotsTable {
    slot: string;
    position: number;
    article_id: number;
  }
  interface DB {
    home_slots: HomeSlotsTable;
  }
}
export {};
