import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface ArticleViewsHourlyTable {
  article_id: number;
  hour: Timestamp;
  views: number;
  /** Of `views`, those of signed-in readers. */
  signed_views: ColumnType<number, number | undefined, number>;
}
export interface ReaderReadsTable {
  /** platform/reader.ts: `u:<user id>` or `a:<reader cookie id>`. */
  reader: string;
  article_id: number;
  section_id: number;
  story_id: number | null;
  tag_ids: ColumnType<number[], number[] | string, number[] | string>;
  read_at: Timestamp;
}
export interface RecommendedPinsTable {
  article_id: number;
  position: Generated<number>;
  pinned_by: number | null;
  pinned_at: ColumnType<Date, Date | string | undefined, Date | string>;
  until: Timestamp | null;
}

declare module '../../db/schema.js' {
  interface DB {
    article_views_hourly: ArticleViewsHourlyTable;
    reader_reads: ReaderReadsTable;
    recommended_pins: RecommendedPinsTable;
  }
}
