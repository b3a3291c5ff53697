// Every role in one place: the site-wide roles of an account, which of them are
// staff (the back office), which edit, their order for lists, and the one check the
// server makes (`hasRole`). The roles an account holds in an organisation (owner /
// manager / member) are the organisations module's (modules/organisations).
import { sql } from 'kysely';
import type { Role } from '../db/schema.js';

export type { Role };

/** Every site-wide role, from the least to the most trusted. */
export const ROLES: readonly Role[] = ['reader', 'author', 'editor', 'moderator', 'admin'];
export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

export const ROLE_RANK: Record<Role, number> = { reader: 0, author: 1, moderator: 2, editor: 3, admin: 4 };
/** Who may open the back office at all. */
export const STAFF_ROLES: Role[] = ['author', 'editor', 'moderator', 'admin'];
/** Who publishes, schedules, unpublishes and restores articles. */
export const EDITOR_ROLES: Role[] = ['editor', 'admin'];

/** Whether a signed-in user holds one of the roles; admin always does. */
export function hasRole(user: { role: Role } | null, roles: readonly Role[]): boolean {
  return !!user && (user.role === 'admin' || roles.includes(user.role));
}
export const isEditor = (user: { role: Role }) => EDITOR_ROLES.includes(user.role);

/** Staff lists: admins first, readers last. */
export const roleOrderSql = sql<number>`case role when 'admin' then 0 when 'editor' then 1 when 'moderator' then 2 when 'author' then 3 else 4 end`;
