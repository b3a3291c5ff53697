// The newsletter module's tables, merged into Kysely's DB.
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type ListKind = 'daily' | 'weekly' | 'breaking';
export const LIST_KINDS: ListKind[] = ['daily', 'weekly', 'breaking'];
export type SuppressReason = 'hard_bounce' | 'complaint' | 'soft_bounces' | 'manual';
export type ConsentAction = 'requested' | 'confirmed' | 'unsubscribed' | 'suppressed' | 'erased' | 'paused' | 'resumed';
export type SubscriptionStatus = 'pending' | 'confirmed' | 'unsubscribed' | 'paused';
export type DirectMailKind = 'confirmation' | 'test' | 'recheck';
export type QueueStatus = 'queued' | 'claimed' | 'handing' | 'sent' | 'failed' | 'capped' | 'suppressed' | 'uncertain';
export type EventKind = 'soft_bounce' | 'hard_bounce' | 'complaint' | 'open' | 'click';

export interface NewsletterListsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: Generated<string>;
  kind: ListKind;
  send_time: Generated<string>;
  weekday: number | null;
  section_ids: JSONColumnType<number[], string | undefined, string>;
  max_items: Generated<number>;
  min_new_items: Generated<number>;
  active: Generated<boolean>;
  position: Generated<number>;
  created_at: DefaultTimestamp;
}

export interface NewsletterSubscribersTable {
  id: Generated<number>;
  email: string;
  email_hash: string;
  created_at: DefaultTimestamp;
  suppressed_at: Timestamp | null;
  suppressed_reason: SuppressReason | null;
  soft_bounces: Generated<number>;
  /** A visit through a mail's link, a sign-in, an open or a click (tracking on), a confirmation. */
  last_active_at: DefaultTimestamp;
  /** When «оставаться подписанным?» was sent (null: not asked since the last activity). */
  recheck_sent_at: Timestamp | null;
}

export interface NewsletterSubscriptionsTable {
  subscriber_id: number;
  list_id: number;
  status: SubscriptionStatus;
  created_at: DefaultTimestamp;
  confirmed_at: Timestamp | null;
  unsubscribed_at: Timestamp | null;
}

export interface NewsletterConfirmationsTable {
  token_hash: string;
  subscriber_id: number;
  list_ids: JSONColumnType<number[], string, string>;
  created_at: DefaultTimestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface NewsletterConsentsTable {
  id: Generated<number>;
  email: string | null;
  email_hash: string;
  list_id: number | null;
  list_name: string;
  action: ConsentAction;
  form: string;
  text_version: string | null;
  ip_hash: string | null;
  at: DefaultTimestamp;
}

export interface NewsletterSendsTable {
  id: Generated<number>;
  list_id: number;
  issue_key: string;
  kind: 'digest' | 'breaking' | 'test';
  status: 'queued' | 'skipped' | 'done';
  subject: string;
  html: string;
  text: string;
  article_ids: JSONColumnType<number[], string | undefined, string>;
  recipients: Generated<number>;
  created_by: number | null;
  created_at: DefaultTimestamp;
  finished_at: Timestamp | null;
}

export interface NewsletterQueueTable {
  id: Generated<number>;
  send_id: number;
  subscriber_id: number;
  status: Generated<QueueStatus>;
  claimed_at: Timestamp | null;
  sent_at: Timestamp | null;
  error: string | null;
}

/** A mail sent outside the queue, for the daily cap per address. */
export interface NewsletterDirectMailsTable {
  id: Generated<number>;
  email_hash: string;
  kind: DirectMailKind;
  at: DefaultTimestamp;
}

export interface NewsletterEventsTable {
  id: Generated<number>;
  subscriber_id: number | null;
  send_id: number | null;
  kind: EventKind;
  detail: Generated<string>;
  at: DefaultTimestamp;
}

declare module '../../db/schema.js' {
  interface DB {
    newsletter_lists: NewsletterListsTable;
    newsletter_subscribers: NewsletterSubscribersTable;
    newsletter_subscriptions: NewsletterSubscriptionsTable;
    newsletter_confirmations: NewsletterConfirmationsTable;
    newsletter_consents: NewsletterConsentsTable;
    newsletter_sends: NewsletterSendsTable;
    newsletter_queue: NewsletterQueueTable;
    newsletter_events: NewsletterEventsTable;
    newsletter_direct_mails: NewsletterDirectMailsTable;
  }
}
