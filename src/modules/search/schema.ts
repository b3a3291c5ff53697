import type { ColumnType } from 'kysely';

export interface SearchDocumentsTable {
  article_id: number;
  section_id: number;
  type: string;
  author_ids: ColumnType<number[], number[] | string, number[] | string>;
  published_at: ColumnType<Date, Date | string, Date | string>;
  title: string;
  lead: string;
  body: string;
  document: ColumnType<string, never, never>;
}
export interface SearchWordsTable {
  word: string;
}

declare module '../../db/schema.js' {
  interface DB {
    search_documents: SearchDocumentsTable;
    search_words: SearchWordsTable;
  }
}
