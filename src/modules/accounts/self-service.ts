// What a signed-in reader does with their own account: profile (name, avatar),
// password change and reset by e-mail, sessions, export of their data and deletion
// of the account. Other modules add to it: their part of the export, a counter in
// the account corner (unread notifications, …), a section of the profile page.
import { hash, verify } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import type { FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { Events } from '../../platform/events.js';
import { DomainError, HttpError } from '../../platform/errors.js';
import { passwordProblem } from './password-rule.js';
import { randomToken, sha256 } from '../../platform/secrets.js';
import type { Sessions } from '../../platform/sessions.js';
import './schema.js';

const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 };
const RESET_HOURS = 2;
/** Reset mails to one address: at most this many an hour (the answer does not change). */
export const RESET_MAILS_PER_ADDRESS = 3;
const RESET_WINDOW_MS = 3600_000;

export type Exporter = (userId: number) => Promise<unknown>;

/** A number in the account corner (e.g. unread notifications), summed into one badge. */
export type Counter = (userId: number) => Promise<number>;
/** A part of the profile page under the reader's own settings (e.g. which notifications to get). */
export type ProfileSection = (req: FastifyRequest) => Promise<VNode | null>;

/** The password rule (password-rule.ts); `personal` is what the account is known by. */
export async function checkPassword(password: string, personal: string[]): Promise<void> {
  const problem = await passwordProblem(password, personal);
  if (problem) throw new DomainError(`password.${problem}`, {}, 400, { field: 'password' });
}

export function checkName(name: string): string {
  const clean = name.replace(/\s+/g, ' ').trim();
  if ([...clean].length < 2 || [...clean].length > 40) throw new HttpError(400, 'bad_name', 'Имя должно быть от 2 до 40 символов');
  return clean;
}

export function createSelf({ db, clock, events, sessions }: { db: Kysely<DB>; clock: Clock; events: Events; sessions: Sessions }) {
  const exporters = new Map<string, Exporter>();
  const counters = new Map<string, Counter>();
  const profileSections = new Map<string, ProfileSection>();

  return {
    /** Modules add their part of «export my data» (comments, reactions, …). */
    addExport(name: string, fn: Exporter) {
      exporters.set(name, fn);
    },

    /** Modules add a number to the account corner's badge. */
    addCounter(name: string, fn: Counter) {
      counters.set(name, fn);
    },

    /** What the account corner's badge shows: every module's counter, summed. */
    async unread(userId: number): Promise<number> {
      const counts = await Promise.all([...counters.values()].map((fn) => fn(userId)));
      return counts.reduce((a, b) => a + b, 0);
    },

    /** Modules add a part of the profile page, in the order added. */
    addProfileSection(name: string, render: ProfileSection) {
      profileSections.set(name, render);
    },

    profileSections: (req: FastifyRequest) => Promise.all([...profileSections.values()].map((render) => render(req))),

    /** Where to write to a reader (notification mails); null for an account that is gone. */
    async contact(userId: number): Promise<{ email: string; displayName: string; confirmed: boolean } | null> {
      const row = await db.selectFrom('users').select(['email', 'display_name', 'email_confirmed_at']).where('id', '=', userId).executeTakeFirst();
      return row ? { email: row.email, displayName: row.display_name, confirmed: !!row.email_confirmed_at } : null;
    },

    profile: (userId: number) =>
      db.selectFrom('users').select(['id', 'email', 'display_name', 'role', 'avatar_id', 'created_at', 'email_confirmed_at']).where('id', '=', userId).executeTakeFirstOrThrow(),

    async updateProfile(userId: number, input: { displayName: string }) {
      const displayName = checkName(input.displayName);
      await db.updateTable('users').set({ display_name: displayName }).where('id', '=', userId).execute();
    },

    async setAvatar(userId: number, imageId: number | null) {
      await db.updateTable('users').set({ avatar_id: imageId }).where('id', '=', userId).execute();
    },

    /** Changes the password after checking the current one; other sessions end. */
    async changePassword(userId: number, current: string, next: string, keepSessionId: string | null) {
      const row = await db.selectFrom('users').select(['password_hash', 'email', 'display_name']).where('id', '=', userId).executeTakeFirstOrThrow();
      const ok = await verify(row.password_hash, current.slice(0, 200)).catch(() => false);
      if (!ok) throw new HttpError(400, 'wrong_password', 'Текущий пароль указан неверно');
      await checkPassword(next, [row.email, row.display_name]);
      const passwordHash = await hash(next, ARGON2);
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
        await sessions.destroyAllOf(userId, { except: keepSessionId, executor: trx });
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
      await checkPassword(password, owner ? [owner.email, owner.display_name] : []);
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
        await sessions.destroyAllOf(row.user_id, { executor: trx });
        await trx.updateTable('email_tokens').set({ used_at: clock.now() }).where('user_id', '=', row.user_id).where('purpose', '=', 'reset').where('used_at', 'is', null).execute();
        return row.user_id;
      });
    },

    sessions: (userId: number) => sessions.liveOf(userId),

    /** Ends one of my sessions; another reader's session id does nothing. */
    endSession: (userId: number, sessionId: string): Promise<boolean> => sessions.destroyOne(userId, sessionId),

    async endOtherSessions(userId: number, keepSessionId: string) {
      await sessions.destroyAllOf(userId, { except: keepSessionId });
    },

    // ---------- personal data ----------

    /** Everything we hold about the reader, as one JSON document. */
    async exportData(userId: number) {
      const [account, sessionList] = await Promise.all([
        db.selectFrom('users').select(['id', 'email', 'display_name', 'role', 'avatar_id', 'created_at', 'email_confirmed_at']).where('id', '=', userId).executeTakeFirstOrThrow(),
        sessions.allOf(userId),
      ]);
      const modules: Record<string, unknown> = {};
      for (const [name, fn] of exporters) modules[name] = await fn(userId);
      return { exportedAt: clock.now().toISOString(), account, sessions: sessionList, ...modules };
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
      // Sessions, tokens, notifications and their preferences go with the row (on delete cascade).
      await db.deleteFrom('users').where('id', '=', userId).execute();
    },
  };
}
export type Self = ReturnType<typeof createSelf>;
