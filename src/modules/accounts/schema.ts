// What the reader's account adds to the platform's users table, and its own
// notifications table, merged into Kysely's DB.
import type { ColumnType, Generated } from 'kysely';

type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface NotificationsTable {
  id: Generated<number>;
  user_id: number;
  kind: 'reply';
  actor_name: string;
  excerpt: string;
  url: string;
  created_at: DefaultTimestamp;
  read_at: Timestamp | null;
}

declare module '../../db/schema.js' {
  interface UsersTable {
    avatar_id: ColumnType<number | null, number | null | undefined, number | null>;
    notify_replies: Generated<boolean>;
  }
  interface DB {
    notifications: NotificationsTable;
  }
}
