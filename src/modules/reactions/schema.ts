// Tables of migration 0200, merged into Kysely's DB.
import type { ColumnType, Generated } from 'kysely';
import type { ReactionKind } from './kinds.js';

type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

declare module '../../db/schema.js' {
  interface ReactionsTable {
    id: Generated<number>;
    article_id: number;
    user_id: number | null;
    anon_id: string | null;
    kind: ReactionKind;
    created_at: DefaultTimestamp;
    updated_at: DefaultTimestamp;
  }
  interface ReactionCountsTable {
    article_id: number;
    kind: ReactionKind;
    n: number;
  }
  interface DB {
    reactions: ReactionsTable;
    reaction_counts: ReactionCountsTable;
  }
}
export {};
