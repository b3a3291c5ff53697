// What other modules may use of notifications: tell a reader something
// (`app.notifications.notify`), declare a kind, ask the unread count.
import type { NotificationKinds } from './kinds.js';
import type { NotificationInput } from './service.js';

export type { NotificationInput } from './service.js';
export type { NotificationKind, Channel } from './kinds.js';

export interface Notifications {
  /** Where kinds are declared (`reply` is built in). */
  kinds: NotificationKinds;
  /** Stores a notification for the recipient's channels; its mail, if wanted, waits for the job. Null: the reader turned the kind off. */
  notify(n: NotificationInput): Promise<number | null>;
  /** Several at once, in one read of the preferences and one insert (a forum reply's watchers); how many were stored. */
  notifyMany(list: NotificationInput[]): Promise<number>;
  unreadCount(userId: number): Promise<number>;
  /** What these readers were told of a kind about one place (its link) was seen there: read, and no mail for it (messages: a thread opened). */
  readAbout(userIds: number[], kind: string, url: string): Promise<void>;
  /** What these readers were told of a kind about one place reached them in another mail (the newsletter's digest): no mail of its own, still unread on the site. */
  skipMail(userIds: number[], kind: string, url: string): Promise<void>;
  /** Every mail still waiting is dropped, its notifications kept on the site (the demo seed: its people are fictional); how many. */
  dropWaitingMail(): Promise<number>;
  /** The mail job's pass, run now (tests and the CLI; the job runs it periodically). */
  sendDueMail(): Promise<number>;
}

export { default as notificationsModule } from './routes.js';

/** The tables notifications owns; no other module queries them. */
export const tables = ['notifications', 'notification_mails', 'notification_preferences'] as const;
