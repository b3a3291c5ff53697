// The notifications module's tables, merged into Kysely's DB.
import type { ColumnType, Generated } from 'kysely';

type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface NotificationsTable {
  id: Generated<number>;
  /** The recipient. */
  user_id: number;
  kind: string;
  subject_kind: string | null;
  subject_id: number | null;
  /** What to show without asking other modules: who, what, where. */
  actor_name: string;
  excerpt: string;
  url: string;
  on_site: Generated<boolean>;
  created_at: DefaultTimestamp;
  read_at: Timestamp | null;
  mail_due_at: Timestamp | null;
  mail_id: number | null;
}

export interface NotificationMailsTable {
  id: Generated<number>;
  user_id: number;
  kind: string;
  items: number;
  state: 'sending' | 'sent' | 'failed' | 'capped';
  created_at: DefaultTimestamp;
  sent_at: Timestamp | null;
}

export interface NotificationPreferencesTable {
  user_id: number;
  kind: string;
  channel: 'site' | 'mail';
  enabled: boolean;
}

declare module '../../db/schema.js' {
  interface DB {
    notifications: NotificationsTable;
    notification_mails: NotificationMailsTable;
    notification_preferences: NotificationPreferencesTable;
  }
}
