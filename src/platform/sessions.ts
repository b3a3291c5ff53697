// Sessions: a random token in an httpOnly cookie, its SHA-256 in the database. Each
// session carries its own CSRF token for the forms its user submits.
import type { Kysely } from 'kysely';
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
      const row = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select(['sessions.id', 'sessions.csrf_token', 'sessions.expires_at', 'users.id as user_id', 'users.email', 'users.display_name', 'users.role'])
        .where('sessions.id', '=', sha256(token))
        .executeTakeFirst();
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

    async destroyAllOf(userId: number): Promise<void> {
      await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
    },
  };
}
export type Sessions = ReturnType<typeof createSessions>;

/** Which roles may do what; every check on the server goes through these. */
export const ROLE_RANK: Record<Role, number> = { reader: 0, author: 1, moderator: 2, editor: 3, admin: 4 };
export const STAFF_ROLES: Role[] = ['author', 'editor', 'moderator', 'admin'];
export function hasRole(user: SessionUser | null, roles: Role[]): boolean {
  return !!user && (user.role === 'admin' || roles.includes(user.role));
}
