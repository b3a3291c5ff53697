// Accounts: registration with e-mail confirmation, sign-in by password (argon2id),
// and the admin's `gorod user create`. Sessions themselves are the platform's.
import { hash, verify } from '@node-rs/argon2';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, Role } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { Sessions } from '../../platform/sessions.js';
import { HttpError } from '../../platform/errors.js';
import { randomToken, sha256 } from '../../platform/secrets.js';
import type { MessageKey } from '../../platform/i18n/index.js';
import { passwordProblem } from './password-rule.js';

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. (2 is Algorithm.Argon2id, a
// const enum that isolated modules cannot import.)
const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 };
const CONFIRM_HOURS = 48;
import { ROLES, roleOrderSql } from '../../platform/roles.js';
export { ROLES };
/** The advisory lock key of role changes (any constant no other lock uses). */
const ROLE_CHANGE_LOCK = 7_390_001;
const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;

export interface RegisterInput {
  email: string;
  password: string;
  displayName: string;
}

export function createAccounts({ db, clock, sessions }: { db: Kysely<DB>; clock: Clock; sessions: Sessions }) {
  // A hash to verify against when the e-mail is unknown, so a wrong e-mail takes
  // as long as a wrong password and does not reveal who has an account.
  const dummyHash = hash('not-a-password', ARGON2);

  async function checkInput(input: RegisterInput): Promise<MessageKey | null> {
    if (!EMAIL.test(input.email) || input.email.length > 254) return 'auth.register.badEmail';
    const password = await passwordProblem(input.password, [input.email, input.displayName]);
    if (password) return `error.password.${password}`;
    const name = input.displayName.trim();
    if (name.length < 2 || name.length > 40) return 'auth.register.badName';
    return null;
  }

  async function insertUser(input: RegisterInput & { role?: Role; confirmed?: boolean }) {
    const existing = await db.selectFrom('users').select('id').where((eb) => eb(eb.fn('lower', ['email']), '=', input.email.toLowerCase())).executeTakeFirst();
    if (existing) throw new HttpError(409, 'email_taken', 'auth.register.taken');
    return db
      .insertInto('users')
      .values({
        email: input.email.trim(),
        password_hash: await hash(input.password, ARGON2),
        display_name: input.displayName.trim(),
        role: input.role ?? 'reader',
        email_confirmed_at: input.confirmed ? clock.now() : null,
        created_at: clock.now(),
      })
      .returning(['id', 'email', 'display_name', 'role'])
      .executeTakeFirstOrThrow();
  }

  return {
    checkInput,

    /**
     * A new reader and a confirmation token to mail them. An address that already
     * has an account is not an error — the answer must not tell who is registered:
     * an unconfirmed account gets a new confirmation token, a confirmed one is
     * returned so its owner can be told by mail (`existing`). The password is
     * hashed either way, so the two take the same time.
     */
    async register(input: RegisterInput): Promise<{ userId: number; token: string | null; existing: { email: string; displayName: string } | null }> {
      const problem = await checkInput(input);
      if (problem) throw new HttpError(400, 'invalid', problem);
      const known = await db.selectFrom('users').select(['id', 'email', 'display_name', 'email_confirmed_at']).where((eb) => eb(eb.fn('lower', ['email']), '=', input.email.trim().toLowerCase())).executeTakeFirst();
      if (known?.email_confirmed_at) {
        await hash(input.password, ARGON2);
        return { userId: known.id, token: null, existing: { email: known.email, displayName: known.display_name } };
      }
      const userId = known ? (await hash(input.password, ARGON2), known.id) : (await insertUser(input)).id;
      const token = randomToken(32);
      await db
        .insertInto('email_tokens')
        .values({ token_hash: sha256(token), user_id: userId, purpose: 'confirm', expires_at: new Date(clock.now().getTime() + CONFIRM_HOURS * 3600_000), used_at: null })
        .execute();
      return { userId, token, existing: null };
    },

    /** Marks the e-mail confirmed; the user id on success, null for a bad or used token. */
    async confirm(token: string): Promise<number | null> {
      if (token.length > 100) return null;
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('email_tokens')
          .set({ used_at: clock.now() })
          .where('token_hash', '=', sha256(token))
          .where('purpose', '=', 'confirm')
          .where('used_at', 'is', null)
          .where('expires_at', '>', clock.now())
          .returning('user_id')
          .executeTakeFirst();
        if (!row) return null;
        await trx.updateTable('users').set({ email_confirmed_at: clock.now() }).where('id', '=', row.user_id).execute();
        return row.user_id;
      });
    },

    /** The user for a correct e-mail and password, else null. */
    async verifyPassword(email: string, password: string) {
      const user = await db
        .selectFrom('users')
        .select(['id', 'email', 'display_name', 'role', 'password_hash', 'email_confirmed_at'])
        .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
        .executeTakeFirst();
      const ok = await verify(user?.password_hash ?? (await dummyHash), password.slice(0, 200)).catch(() => false);
      return user && ok ? user : null;
    },

    /** For the CLI and the admin: a confirmed user with a role. */
    async createUser(input: RegisterInput & { role: Role }) {
      const problem = await checkInput(input);
      if (problem) throw new HttpError(400, 'invalid', problem);
      if (!ROLES.includes(input.role)) throw new HttpError(400, 'invalid_role', `unknown role ${input.role}`);
      return insertUser({ ...input, confirmed: true });
    },

    /**
     * The one way to change a user's role (the admin's «Пользователи и роли»). The
     * portal never loses its last admin, and an admin does not demote themselves
     * (another admin must). On a change, the user's sessions end — all but
     * `keepSessionId`, the caller's own — so every browser signs in again under the
     * new role. `record` runs in the same transaction, so the audit entry and the
     * change are written together or not at all.
     */
    async changeRole(
      input: { actorId: number; userId: number; role: Role; keepSessionId?: string },
      record?: (trx: Transaction<DB>, change: { before: Role; after: Role }) => Promise<void>,
    ): Promise<{ before: Role; changed: boolean }> {
      if (!ROLES.includes(input.role)) throw new HttpError(400, 'invalid_role', 'Неизвестная роль', { field: 'role' });
      return db.transaction().execute(async (trx) => {
        // One role change at a time, so two admins demoting each other at once cannot both succeed.
        await sql`select pg_advisory_xact_lock(${ROLE_CHANGE_LOCK})`.execute(trx);
        const user = await trx.selectFrom('users').select(['id', 'role']).where('id', '=', input.userId).executeTakeFirst();
        if (!user) throw new HttpError(404, 'not_found', 'Пользователь не найден');
        if (user.role === input.role) return { before: user.role, changed: false };
        if (user.role === 'admin') {
          if (input.actorId === input.userId) throw new HttpError(409, 'own_role', 'Свою роль администратора может снять только другой администратор', { field: 'role' });
          const admins = await trx.selectFrom('users').select('id').where('role', '=', 'admin').execute();
          if (admins.length <= 1) throw new HttpError(409, 'last_admin', 'Нельзя снять роль с последнего администратора', { field: 'role' });
        }
        await trx.updateTable('users').set({ role: input.role }).where('id', '=', input.userId).execute();
        await sessions.destroyAllOf(input.userId, { except: input.keepSessionId, executor: trx });
        await record?.(trx, { before: user.role, after: input.role });
        return { before: user.role, changed: true };
      });
    },

    byId: (id: number) => db.selectFrom('users').select(['id', 'email', 'display_name', 'role', 'email_confirmed_at']).where('id', '=', id).executeTakeFirst(),

    /** The names accounts show under, by id, for lists that name people (the audit log, comments); unknown ids are left out. */
    /** Accounts by e-mail, keyed by the address in lower case (the demo seed and importers find the readers they made before; `confirmed`: only proven addresses). */
    async idsByEmail(emails: string[], opts: { confirmed?: boolean } = {}): Promise<Map<string, number>> {
      if (!emails.length) return new Map();
      let q = db
        .selectFrom('users')
        .select(['id', 'email'])
        .where((eb) => eb(eb.fn('lower', ['email']), 'in', emails.map((e) => e.trim().toLowerCase())));
      // Only accounts whose owner proved the address (the newsletter's personal part).
      if (opts.confirmed) q = q.where('email_confirmed_at', 'is not', null);
      const rows = await q.execute();
      return new Map(rows.map((r) => [r.email.toLowerCase(), r.id]));
    },

    /** When the account was registered («на сайте с» beside a seller's name), or null for no such account. */
    async registeredAt(id: number): Promise<Date | null> {
      const row = await db.selectFrom('users').select('created_at').where('id', '=', id).executeTakeFirst();
      return row ? new Date(row.created_at) : null;
    },

    async displayNames(ids: number[]): Promise<Map<number, string>> {
      const unique = [...new Set(ids)];
      if (!unique.length) return new Map();
      const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', unique).execute();
      return new Map(rows.map((r) => [r.id, r.display_name]));
    },

    /** Accounts for the admin's «Пользователи и роли», admins first. Role changes go through `changeRole`. */
    staffList: (limit = 500) => db.selectFrom('users').select(['id', 'email', 'display_name', 'role', 'created_at']).orderBy(roleOrderSql).orderBy('display_name').limit(limit).execute(),
  };
}
export type Accounts = ReturnType<typeof createAccounts>;
