// Sessions: a random token in an httpOnly cookie, its SHA-256 in the database. Each
// session carries its own CSRF token for the forms its user submits.
import { sql, type Kysely } from 'kysely';
import { batchWhileBusy, inKeyOrder } from './batch.js';
import type { DB, Role } from '../db/schema.js';
import type { Clock } from './clock.js';
import { randomToken, sha256 } from './secrets.js';

export const SESSION_COOKIE = 'gorod_session';
export const SESSION_DAYS = 30;

export interface SessionUser {
  id: number;
  email: string;
  displayName: string;
  role: Role;
}

export interface Session {
  id: string;
  csrfToken: string;
  user: SessionUser;
}

export function createSessions({ db, clock }: { db: Kysely<DB>; clock: Clock }) {
  // Every signed-in request reads its session: under load, many in one statement.
  const sessionRows = batchWhileBusy(async (ids: readonly string[]) => {
    const rows = await db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['sessions.id', 'sessions.csrf_token', 'sessions.expires_at', 'users.id as user_id', 'users.email', 'users.display_name', 'users.role'])
      .where(sql<boolean>`sessions.id = any(${[...new Set(ids)]}::text[])`)
      .execute();
    return inKeyOrder(ids, rows, (r) => r.id, (r) => r, undefined);
  });

  return {
    async create(userId: number, userAgent: string): Promise<string> {
      const token = randomToken(32);
      const now = clock.now();
      await db
        .insertInto('sessions')
        .values({
          id: sha256(token),
          user_id: userId,
          csrf_token: randomToken(),
          user_agent: userAgent.slice(0, 300),
          created_at: now,
          last_seen_at: now,
          expires_at: new Date(now.getTime() + SESSION_DAYS * 86400_000),
        })
        .execute();
      return token;
    },

    async lookup(token: string): Promise<Session | null> {
      if (!token || token.length > 100) return null;
      const row = await sessionRows(sha256(token));
      if (!row || row.expires_at.getTime() < clock.now().getTime()) return null;
      return {
        id: row.id,
        csrfToken: row.csrf_token,
        user: { id: row.user_id, email: row.email, displayName: row.display_name, role: row.role },
      };
    },

    async destroy(token: string): Promise<void> {
      await db.deleteFrom('sessions').where('id', '=', sha256(token)).execute();
    },

    /**
     * Ends every session of a user but `except`; with `executor` (a transaction) the
     * sign-out commits together with the change that needs it (a password reset, a role change).
     */
    async destroyAllOf(userId: number, opts: { except?: string | null; executor?: Kysely<DB> } = {}): Promise<void> {
      let q = (opts.executor ?? db).deleteFrom('sessions').where('user_id', '=', userId);
      if (opts.except) q = q.where('id', '!=', opts.except);
      await q.execute();
    },

    /** Ends one session of a user; another user's session id does nothing. */
    async destroyOne(userId: number, sessionId: string): Promise<boolean> {
      const res = await db.deleteFrom('sessions').where('user_id', '=', userId).where('id', '=', sessionId).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },

    /** A user's sessions that have not expired, newest first (the account page). */
    liveOf: (userId: number) =>
      db.selectFrom('sessions').select(['id', 'user_agent', 'created_at', 'last_seen_at', 'expires_at']).where('user_id', '=', userId).where('expires_at', '>', clock.now()).orderBy('created_at', 'desc').execute(),

    /** Every session of a user, expired too, without the secrets (their data export). */
    allOf: (userId: number) => db.selectFrom('sessions').select(['user_agent', 'created_at', 'last_seen_at', 'expires_at']).where('user_id', '=', userId).execute(),
  };
}
export type Sessions = ReturnType<typeof createSessions>;

// Roles live in platform/roles.ts; kept here for the files that import them from sessions.
export { ROLE_RANK, STAFF_ROLES, hasRole } from './roles.js';
