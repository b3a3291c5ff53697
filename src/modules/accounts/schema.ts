// What the reader's account adds to the platform's users table, merged into
// Kysely's DB. (Notifications and their preferences live in modules/notifications.)
import type { ColumnType } from 'kysely';

declare module '../../db/schema.js' {
  interface UsersTable {
    avatar_id: ColumnType<number | null, number | null | undefined, number | null>;
  }
}
