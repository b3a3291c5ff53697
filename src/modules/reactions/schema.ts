// Tables of migrations 0200 and 0250, merged into Kysely's DB.
import type { ColumnType, Generated } from 'kysely';
import type { ReactionKind } from './kinds.js';

type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

declare module '../../db/schema.js' {
  interface ReactionsTable {
    id: Generated<number>;
    /** A kind of platform/subjects.ts ('article', …) and its id. */
    subject_kind: string;
    subject_id: number;
    /** platform/reader.ts: `u:<user id>` or `a:<reader cookie id>`. */
    reader: string;
    kind: ReactionKind;
    created_at: DefaultTimestamp;
    updated_at: DefaultTimestamp;
  }
  interface ReactionCountsTable {
    subject_kind: string;
    subject_id: number;
    kind: ReactionKind;
    n: number;
  }
  interface DB {
    reactions: ReactionsTable;
    reaction_counts: ReactionCountsTable;
  }
}
export {};
