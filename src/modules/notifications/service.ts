// Notifications: the only code that touches their tables. A notification is stored
// once per recipient and serves both channels: the site (counter and list) reads the
// rows, the mail channel (mail-channel.ts) claims the due ones here in one
// transaction before it sends, so a mail is never sent twice for the same rows.
import { sql, type Kysely } from 'kysely';
import { batchWhileBusy } from '../../platform/batch.js';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { DomainError } from '../../platform/errors.js';
import type { SubjectRef } from '../../platform/subjects.js';
import { isChannel, type Channel, type NotificationKinds } from './kinds.js';
import './schema.js';

const DAY_MS = 86_400_000;

export interface NotificationInput {
  recipientId: number;
  kind: string;
  subject: SubjectRef;
  /** Where the reader goes from the notification: a path on this portal. */
  url: string;
  actorName: string;
  excerpt: string;
}

export interface Preference {
  kind: string;
  site: boolean;
  mail: boolean;
}

/** The notifications one mail carries. */
export interface ClaimedMail {
  mailId: number;
  state: 'sending' | 'capped';
  items: { id: number; actorName: string; excerpt: string; url: string; createdAt: Date }[];
}

export function createNotificationsService({ db, clock, kinds }: { db: Kysely<DB>; clock: Clock; kinds: NotificationKinds }) {
  function kindOf(kind: string) {
    const k = kinds.get(kind);
    if (!k) throw new DomainError('notifications.unknown_kind', { kind: kind.slice(0, 40) }, 400);
    return k;
  }

  async function preferences(userId: number): Promise<Preference[]> {
    const rows = await db.selectFrom('notification_preferences').select(['kind', 'channel', 'enabled']).where('user_id', '=', userId).execute();
    return kinds.list().map((k) => {
      const own = (channel: Channel) => rows.find((r) => r.kind === k.kind && r.channel === channel)?.enabled ?? k.defaults[channel];
      return { kind: k.kind, site: own('site'), mail: own('mail') };
    });
  }

  /**
   * Stores the notifications the recipients' preferences let through: their
   * preferences in one read, the rows in one insert. Per notification, its id, or
   * null where the recipient turned both channels of its kind off.
   */
  async function store(list: readonly NotificationInput[]): Promise<(number | null)[]> {
    if (!list.length) return [];
    const saved = await db
      .selectFrom('notification_preferences')
      .select(['user_id', 'kind', 'channel', 'enabled'])
      .where(sql<boolean>`user_id = any(${[...new Set(list.map((n) => n.recipientId))]}::int[])`)
      .execute();
    const now = clock.now();
    const stored: number[] = [];
    const rows = list.flatMap((n, i) => {
      const kind = kindOf(n.kind);
      const wants = (channel: Channel) => saved.find((r) => r.user_id === n.recipientId && r.kind === kind.kind && r.channel === channel)?.enabled ?? kind.defaults[channel];
      const site = wants('site');
      const mail = wants('mail');
      if (!site && !mail) return [];
      const row = {
        user_id: n.recipientId,
        kind: kind.kind,
        subject_kind: n.subject.kind,
        subject_id: n.subject.id,
        actor_name: n.actorName,
        excerpt: n.excerpt,
        url: n.url,
        on_site: site,
        created_at: now,
        read_at: null,
        mail_due_at: mail ? new Date(now.getTime() + kind.mailWindowMs) : null,
        mail_id: null,
      };
      stored.push(i);
      return [row];
    });
    const ids = rows.length ? await db.insertInto('notifications').values(rows).returning('id').execute() : [];
    const out: (number | null)[] = list.map(() => null);
    stored.forEach((i, k) => (out[i] = ids[k]!.id));
    return out;
  }

  // Many callers' lists at once under load (forum replies' watchers): one read of
  // preferences and one insert for all of them; each caller gets its own rows back.
  const storeTogether = batchWhileBusy(async (lists: readonly NotificationInput[][]) => {
    const ids = await store(lists.flat());
    let at = 0;
    return lists.map((l) => ids.slice(at, (at += l.length)));
  });

  const unreadOnSite = (userId: number) => db.selectFrom('notifications').where('user_id', '=', userId).where('on_site', '=', true).where('read_at', 'is', null);

  return {
    /** Stores a notification as the recipient's preferences say; null when both channels are off. */
    async notify(n: NotificationInput): Promise<number | null> {
      const [id] = await store([n]);
      return id ?? null;
    },

    /**
     * Several at once (a forum reply's watchers): the recipients' preferences in one
     * read and the rows in one insert. How many were stored (a recipient may have
     * turned both channels of that kind off).
     */
    async notifyMany(list: NotificationInput[]): Promise<number> {
      if (!list.length) return 0;
      // An unknown kind fails its own caller here, not everyone batched with it.
      for (const n of list) kindOf(n.kind);
      return (await storeTogether(list)).filter((id) => id !== null).length;
    },

    async unreadCount(userId: number): Promise<number> {
      const row = await unreadOnSite(userId).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },

    list: (userId: number, limit = 50) =>
      db
        .selectFrom('notifications')
        .select(['id', 'kind', 'subject_kind', 'subject_id', 'actor_name', 'excerpt', 'url', 'created_at', 'read_at'])
        .where('user_id', '=', userId)
        .where('on_site', '=', true)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute(),

    /**
     * Marks one of my notifications read and returns its link; null when it is not
     * mine. Read on the site, it needs no mail any more.
     */
    async markRead(userId: number, id: number): Promise<string | null> {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('notifications').select('url').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
        if (!row) return null;
        await trx.updateTable('notifications').set({ read_at: now }).where('id', '=', id).where('read_at', 'is', null).execute();
        await trx.updateTable('notifications').set({ mail_due_at: null }).where('id', '=', id).where('mail_id', 'is', null).execute();
        return row.url;
      });
    },

    /** Notifications of a kind about one place (their link) read there: marked read, their mail no longer due. */
    async readAbout(userIds: number[], kind: string, url: string): Promise<void> {
      const users = [...new Set(userIds)];
      if (!users.length) return;
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('notifications').set({ read_at: now }).where('user_id', 'in', users).where('kind', '=', kind).where('url', '=', url).where('read_at', 'is', null).execute();
        await trx.updateTable('notifications').set({ mail_due_at: null }).where('user_id', 'in', users).where('kind', '=', kind).where('url', '=', url).where('mail_id', 'is', null).where('mail_due_at', 'is not', null).execute();
      });
    },

    /** Notifications of a kind about one place that reached these readers another way (the newsletter's digest): no mail of their own; still unread on the site. */
    async skipMail(userIds: number[], kind: string, url: string): Promise<void> {
      const users = [...new Set(userIds)];
      if (!users.length) return;
      await db.updateTable('notifications').set({ mail_due_at: null }).where('user_id', 'in', users).where('kind', '=', kind).where('url', '=', url).where('mail_id', 'is', null).where('mail_due_at', 'is not', null).execute();
    },

    async dropWaitingMail(): Promise<number> {
      const res = await db.updateTable('notifications').set({ mail_due_at: null }).where('mail_id', 'is', null).where('mail_due_at', 'is not', null).executeTakeFirst();
      return Number(res.numUpdatedRows);
    },

    async markAllRead(userId: number): Promise<void> {
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('notifications').set({ read_at: now }).where('user_id', '=', userId).where('on_site', '=', true).where('read_at', 'is', null).execute();
        await trx.updateTable('notifications').set({ mail_due_at: null }).where('user_id', '=', userId).where('on_site', '=', true).where('mail_id', 'is', null).where('mail_due_at', 'is not', null).execute();
      });
    },

    preferences,

    /**
     * Choices per kind and channel, all or nothing: an unknown kind or channel is
     * refused before anything is stored.
     */
    async setPreferences(userId: number, changes: { kind: string; channel: string; enabled: boolean }[]): Promise<Preference[]> {
      // The last word per kind and channel (one statement may not upsert a row twice).
      const byKey = new Map<string, { user_id: number; kind: string; channel: Channel; enabled: boolean }>();
      for (const c of changes) {
        const k = kindOf(c.kind);
        if (!isChannel(c.channel)) throw new DomainError('notifications.unknown_channel', { channel: c.channel.slice(0, 40) }, 400);
        byKey.set(`${k.kind}:${c.channel}`, { user_id: userId, kind: k.kind, channel: c.channel, enabled: c.enabled });
      }
      const rows = [...byKey.values()];
      if (rows.length) {
        await db
          .insertInto('notification_preferences')
          .values(rows)
          .onConflict((oc) => oc.columns(['user_id', 'kind', 'channel']).doUpdateSet((eb) => ({ enabled: eb.ref('excluded.enabled') })))
          .execute();
      }
      return preferences(userId);
    },

    /** Who has mail due now, per kind: the first waiting notification's window has passed. */
    async dueMail(limit = 200): Promise<{ userId: number; kind: string }[]> {
      const rows = await db
        .selectFrom('notifications')
        .select(['user_id', 'kind'])
        .where('mail_due_at', '<=', clock.now())
        .where('mail_id', 'is', null)
        .where('read_at', 'is', null)
        .groupBy(['user_id', 'kind'])
        .orderBy(sql`min(mail_due_at)`)
        .limit(limit)
        .execute();
      return rows.map((r) => ({ userId: r.user_id, kind: r.kind }));
    },

    /**
     * Claims every unread notification of a kind waiting for a mail to this reader
     * (also those whose own window has not passed yet: they go in the same mail) and
     * records the mail before it is sent. Over the daily cap across every kind the
     * mail is recorded as capped and not sent. Null when nothing is waiting.
     */
    async claimMail(userId: number, kind: string, dailyCap: number): Promise<ClaimedMail | null> {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('notifications')
          .select(['id', 'actor_name', 'excerpt', 'url', 'created_at'])
          .where('user_id', '=', userId)
          .where('kind', '=', kind)
          .where('mail_due_at', 'is not', null)
          .where('mail_id', 'is', null)
          .where('read_at', 'is', null)
          .orderBy('created_at')
          .orderBy('id')
          .forUpdate()
          .execute();
        if (!rows.length) return null;
        const sent = await trx
          .selectFrom('notification_mails')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('user_id', '=', userId)
          .where('state', 'in', ['sending', 'sent'])
          .where('created_at', '>', new Date(now.getTime() - DAY_MS))
          .executeTakeFirstOrThrow();
        const state = Number(sent.n) >= dailyCap ? 'capped' : 'sending';
        const mail = await trx.insertInto('notification_mails').values({ user_id: userId, kind, items: rows.length, state, created_at: now, sent_at: null }).returning('id').executeTakeFirstOrThrow();
        await trx.updateTable('notifications').set({ mail_id: mail.id }).where('id', 'in', rows.map((r) => r.id)).execute();
        return { mailId: mail.id, state, items: rows.map((r) => ({ id: r.id, actorName: r.actor_name, excerpt: r.excerpt, url: r.url, createdAt: r.created_at })) };
      });
    },

    /** The reader has no confirmed address: what waited for a mail will not get one. */
    async dropMail(userId: number, kind: string): Promise<void> {
      await db.updateTable('notifications').set({ mail_due_at: null }).where('user_id', '=', userId).where('kind', '=', kind).where('mail_id', 'is', null).execute();
    },

    async finishMail(mailId: number, state: 'sent' | 'failed'): Promise<void> {
      await db.updateTable('notification_mails').set({ state, sent_at: state === 'sent' ? clock.now() : null }).where('id', '=', mailId).execute();
    },

    /** My part of «export my data». */
    async exportFor(userId: number) {
      const [notifications, prefs] = await Promise.all([
        db.selectFrom('notifications').select(['kind', 'subject_kind', 'subject_id', 'actor_name', 'excerpt', 'url', 'created_at', 'read_at']).where('user_id', '=', userId).orderBy('id').execute(),
        preferences(userId),
      ]);
      return { items: notifications, preferences: prefs };
    },
  };
}
export type NotificationsService = ReturnType<typeof createNotificationsService>;
