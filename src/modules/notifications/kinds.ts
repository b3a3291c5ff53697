// The kinds of notification and their defaults. A module that notifies declares its
// kind once (its words live in this module's i18n under `notifications.kind.<kind>`
// and `notifications.mail.<kind>.*`); a preference or a notification of a kind
// nobody declared is refused.
export const CHANNELS = ['site', 'mail'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface NotificationKind {
  kind: string;
  /** On unless the reader turns it off. */
  defaults: Record<Channel, boolean>;
  /** How long a mail waits for more of its kind (and for the reader to see it on the site). */
  mailWindowMs: number;
}

export class NotificationKinds {
  private kinds = new Map<string, NotificationKind>();

  define(kind: NotificationKind): void {
    if (this.kinds.has(kind.kind)) throw new Error(`notification kind defined twice: ${kind.kind}`);
    this.kinds.set(kind.kind, kind);
  }

  get(kind: string): NotificationKind | undefined {
    return this.kinds.get(kind);
  }

  list(): NotificationKind[] {
    return [...this.kinds.values()];
  }
}

export const isChannel = (value: string): value is Channel => (CHANNELS as readonly string[]).includes(value);
