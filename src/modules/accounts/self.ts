// What a signed-in reader does with their own account: profile (name, avatar,
// reply e-mails), password change and reset by e-mail, sessions, notifications,
// export of their data and deletion of the account.
import { hash, verify } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { Events } from '../../platform/events.js';
import { DomainError, HttpError } from '../../platform/errors.js';
import { passwordProblem } from './password-rule.js';
import { randomToken, sha256 } from '../../platform/secrets.js';
import './schema.js';

const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 };
const RESET_HOURS = 2;
/** Reset mails to one address: at most this many an hour (the answer does not change). */
export const RESET_MAILS_PER_ADDRESS = 3;
const RESET_WINDOW_MS = 3600_000;

export type Exporter = (userId: number) => Promise<unknown>;

export interface NotificationInput {
  kind: 'reply';
  actorName: string;
  excerpt: string;
  url: string;
}

/** The password rule (password-rule.ts); `personal` is what the account is known by. */
export function checkPassword(password: string, personal: string[]): void {
  const problem = passwordProblem(password, personal);
  if (problem) throw new DomainError(`password.${problem}`, {}, 400, { field: 'password' });
}

export function checkName(name: string): string {
  const clean = name.replace(/\s+/g, ' ').trim();
  if ([...clean].length < 2 || [...clean].length > 40) throw new HttpError(400, 'bad_name', 'Имя должно быть от 2 до 40 символов');
  return clean;
}

export function createSelf({ db, clock, events }: { db: Kysely<DB>; clock: Clock; events: Events }) {
  const exporters = new Map<string, Exporter>();

  return {
    /** Modules add their part of «export my data» (comments, reactions, …). */
    addExport(name: string, fn: Exporter) {
      exporters.set(name, fn);
    },

    profile: (userId: number) =>
      db.selectFrom('users').select(['id', 'email', 'display_name', 'role', 'avatar_id', 'notify_replies', 'created_at', 'email_confirmed_at']).where('id', '=', userId).executeTakeFirstOrThrow(),

    async updateProfile(userId: number, input: { displayName: string; notifyReplies: boolean }) {
      const displayName = checkName(input.displayName);
      await db.updateTable('users').set({ display_name: displayName, notify_replies: input.notifyReplies }).where('id', '=', userId).execute();
    },

    async setAvatar(userId: number, imageId: number | null) {
      await db.updateTable('users').set({ avatar_id: imageId }).where('id', '=', userId).execute();
    },

    /** Changes the password after checking the current one; other sessions end. */
    async changePassword(userId: number, current: string, next: string, keepSessionId: string | null) {
      const row = await db.selectFrom('users').select(['password_hash', 'email', 'display_name']).where('id', '=', userId).executeTakeFirstOrThrow();
      const ok = await verify(row.password_hash, current.slice(0, 200)).catch(() => false);
      if (!ok) throw new HttpError(400, 'wrong_password', 'Текущий пароль указан неверно');
      checkPassword(next, [row.email, row.display_name]);
      const passwordHash = await hash(next, ARGON2);
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
        let q = trx.deleteFrom('sessions').where('user_id', '=', userId);
        if (keepSessionId) q = q.where('id', '!=', keepSessionId);
        await q.execute();
      });
    },

    /** A reset token for a known, confirmed e-mail under its hourly limit; null otherwise (the caller answers alike). */
    async requestReset(email: string): Promise<{ token: string; email: string; displayName: string } | null> {
      const user = await db
        .selectFrom('users')
        .select(['id', 'email', 'display_name', 'email_confirmed_at'])
        .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
        .executeTakeFirst();
      if (!user || !user.email_confirmed_at) return null;
      // Per address, besides the route's per-IP limit: ten addresses (or ten
      // machines) must not fill one victim's mailbox. Counted from the tokens
      // themselves, so every instance sees the same count without Redis.
      const since = new Date(clock.now().getTime() + (RESET_HOURS * 3600_000 - RESET_WINDOW_MS));
      const recent = await db.selectFrom('email_tokens').select((eb) => eb.fn.countAll<string>().as('n')).where('user_id', '=', user.id).where('purpose', '=', 'reset').where('expires_at', '>', since).executeTakeFirstOrThrow();
      if (Number(recent.n) >= RESET_MAILS_PER_ADDRESS) return null;
      const token = randomToken(32);
      await db
        .insertInto('email_tokens')
        .values({ token_hash: sha256(token), user_id: user.id, purpose: 'reset', expires_at: new Date(clock.now().getTime() + RESET_HOURS * 3600_000), used_at: null })
        .execute();
      return { token, email: user.email, displayName: user.display_name };
    },

    async resetTokenValid(token: string): Promise<boolean> {
      if (token.length > 100) return false;
      const row = await db
        .selectFrom('email_tokens')
        .select('user_id')
        .where('token_hash', '=', sha256(token))
        .where('purpose', '=', 'reset')
        .where('used_at', 'is', null)
        .where('expires_at', '>', clock.now())
        .executeTakeFirst();
      return !!row;
    },

    /** Sets a new password by a reset token (once); every session of the account ends. */
    async resetPassword(token: string, password: string): Promise<number> {
      const owner = await db
        .selectFrom('email_tokens')
        .innerJoin('users', 'users.id', 'email_tokens.user_id')
        .select(['users.email', 'users.display_name'])
        .where('token_hash', '=', sha256(token))
        .where('purpose', '=', 'reset')
        .executeTakeFirst();
      checkPassword(password, owner ? [owner.email, owner.display_name] : []);
      const passwordHash = await hash(password, ARGON2);
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('email_tokens')
          .set({ used_at: clock.now() })
          .where('token_hash', '=', sha256(token))
          .where('purpose', '=', 'reset')
          .where('used_at', 'is', null)
          .where('expires_at', '>', clock.now())
          .returning('user_id')
          .executeTakeFirst();
        if (!row) throw new HttpError(400, 'bad_token', 'Ссылка недействительна или устарела. Запросите новую.');
        // The link came by e-mail, so the address is proven as well.
        await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', row.user_id).execute();
        await trx.updateTable('users').set({ email_confirmed_at: clock.now() }).where('id', '=', row.user_id).where('email_confirmed_at', 'is', null).execute();
        await trx.deleteFrom('sessions').where('user_id', '=', row.user_id).execute();
        await trx.updateTable('email_tokens').set({ used_at: clock.now() }).where('user_id', '=', row.user_id).where('purpose', '=', 'reset').where('used_at', 'is', null).execute();
        return row.user_id;
      });
    },

    sessions: (userId: number) =>
      db.selectFrom('sessions').select(['id', 'user_agent', 'created_at', 'last_seen_at', 'expires_at']).where('user_id', '=', userId).where('expires_at', '>', clock.now()).orderBy('created_at', 'desc').execute(),

    /** Ends one of my sessions; another reader's session id does nothing. */
    async endSession(userId: number, sessionId: string): Promise<boolean> {
      const res = await db.deleteFrom('sessions').where('user_id', '=', userId).where('id', '=', sessionId).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },

    async endOtherSessions(userId: number, keepSessionId: string) {
      await db.deleteFrom('sessions').where('user_id', '=', userId).where('id', '!=', keepSessionId).execute();
    },

    // ---------- notifications ----------

    /** Stores an on-site notification; returns where to mail it, if the reader wants mail. */
    async notify(userId: number, n: NotificationInput) {
      const user = await db.selectFrom('users').select(['email', 'display_name', 'notify_replies', 'email_confirmed_at']).where('id', '=', userId).executeTakeFirst();
      if (!user) return null;
      await db.insertInto('notifications').values({ user_id: userId, kind: n.kind, actor_name: n.actorName, excerpt: n.excerpt, url: n.url, created_at: clock.now(), read_at: null }).execute();
      return { email: user.email, displayName: user.display_name, notifyReplies: user.notify_replies && !!user.email_confirmed_at };
    },

    async unreadCount(userId: number): Promise<number> {
      const row = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<string>().as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
      return Number(row.n);
    },

    notifications: (userId: number, limit = 50) =>
      db.selectFrom('notifications').select(['id', 'kind', 'actor_name', 'excerpt', 'url', 'created_at', 'read_at']).where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute(),

    async markAllRead(userId: number) {
      await db.updateTable('notifications').set({ read_at: clock.now() }).where('user_id', '=', userId).where('read_at', 'is', null).execute();
    },

    // ---------- personal data ----------

    /** Everything we hold about the reader, as one JSON document. */
    async exportData(userId: number) {
      const [account, sessions, notifications] = await Promise.all([
        db.selectFrom('users').select(['id', 'email', 'display_name', 'role', 'avatar_id', 'notify_replies', 'created_at', 'email_confirmed_at']).where('id', '=', userId).executeTakeFirstOrThrow(),
        db.selectFrom('sessions').select(['user_agent', 'created_at', 'last_seen_at', 'expires_at']).where('user_id', '=', userId).execute(),
        db.selectFrom('notifications').select(['kind', 'actor_name', 'excerpt', 'url', 'created_at', 'read_at']).where('user_id', '=', userId).execute(),
      ]);
      const modules: Record<string, unknown> = {};
      for (const [name, fn] of exporters) modules[name] = await fn(userId);
      return { exportedAt: clock.now().toISOString(), account, sessions, notifications, ...modules };
    },

    /**
     * Deletes the account after checking the password. Other modules first
     * anonymise what they keep (comments stay, shown as «Удалённый пользователь»).
     */
    async deleteAccount(userId: number, password: string) {
      const row = await db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow();
      const ok = await verify(row.password_hash, password.slice(0, 200)).catch(() => false);
      if (!ok) throw new HttpError(400, 'wrong_password', 'Пароль указан неверно');
      await events.emit('user.deleting', { userId });
      // Sessions, tokens and notifications go with the row (on delete cascade).
      await db.deleteFrom('users').where('id', '=', userId).execute();
    },
  };
}
export type Self = ReturnType<typeof createSelf>;
