// Organisations and their members: who owns, manages or belongs to one. An
// organisation always keeps an owner (the last one can be neither demoted nor
// removed), and a role is checked here, on the server, by rank: an owner may do what
// a manager may, a manager what a member may.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { DomainError } from '../../platform/errors.js';
import type { OrganisationRole } from './schema.js';
import './schema.js';

export const ORGANISATION_ROLES: readonly OrganisationRole[] = ['owner', 'manager', 'member'];
const RANK: Record<OrganisationRole, number> = { member: 0, manager: 1, owner: 2 };
export const isOrganisationRole = (value: unknown): value is OrganisationRole => typeof value === 'string' && (ORGANISATION_ROLES as readonly string[]).includes(value);

export interface Organisation {
  id: number;
  slug: string;
  name: string;
}

export function createOrganisations({ db, clock, userExists }: { db: Kysely<DB>; clock: Clock; userExists: (userId: number) => Promise<boolean> }) {
  function checkRole(role: unknown): asserts role is OrganisationRole {
    if (!isOrganisationRole(role)) throw new DomainError('organisation.bad_role', { role: String(role).slice(0, 40) }, 400);
  }

  async function organisation(id: number, executor: Kysely<DB> = db): Promise<Organisation> {
    const row = await executor.selectFrom('organisations').select(['id', 'slug', 'name']).where('id', '=', id).executeTakeFirst();
    if (!row) throw new DomainError('organisation.not_found', {}, 404);
    return row;
  }

  async function roleOf(organisationId: number, userId: number, executor: Kysely<DB> = db): Promise<OrganisationRole | null> {
    const row = await executor.selectFrom('memberships').select('role').where('organisation_id', '=', organisationId).where('user_id', '=', userId).executeTakeFirst();
    return row?.role ?? null;
  }

  /** Throws 409 when the change would leave the organisation without an owner. */
  async function keepAnOwner(trx: Kysely<DB>, organisationId: number, userId: number) {
    const owners = await trx.selectFrom('memberships').select('user_id').where('organisation_id', '=', organisationId).where('role', '=', 'owner').forUpdate().execute();
    if (owners.length === 1 && owners[0]!.user_id === userId) throw new DomainError('organisation.last_owner', {}, 409);
  }

  return {
    /** A new organisation with its first owner, in one transaction. */
    async create(input: { slug: string; name: string; ownerId: number }): Promise<Organisation> {
      const slug = input.slug.trim();
      const name = input.name.replace(/\s+/g, ' ').trim();
      if (!/^[a-z0-9-]{1,80}$/.test(slug)) throw new DomainError('organisation.bad_slug', {}, 400);
      if ([...name].length < 2 || [...name].length > 120) throw new DomainError('organisation.bad_name', {}, 400);
      if (!(await userExists(input.ownerId))) throw new DomainError('organisation.no_user', {}, 404);
      return db.transaction().execute(async (trx) => {
        const taken = await trx.selectFrom('organisations').select('id').where('slug', '=', slug).executeTakeFirst();
        if (taken) throw new DomainError('organisation.slug_taken', { slug }, 409);
        const row = await trx.insertInto('organisations').values({ slug, name, created_at: clock.now() }).returning(['id', 'slug', 'name']).executeTakeFirstOrThrow();
        await trx.insertInto('memberships').values({ organisation_id: row.id, user_id: input.ownerId, role: 'owner', created_at: clock.now() }).execute();
        return row;
      });
    },

    get: (id: number) => organisation(id),
    roleOf,

    /** Whether the user holds `role` or a higher one in the organisation. */
    async can(organisationId: number, userId: number, role: OrganisationRole): Promise<boolean> {
      const held = await roleOf(organisationId, userId);
      return held !== null && RANK[held] >= RANK[role];
    },

    /** Adds a member or changes a member's role; the last owner keeps the role. */
    async setRole(organisationId: number, userId: number, role: unknown): Promise<void> {
      checkRole(role);
      await organisation(organisationId);
      if (!(await userExists(userId))) throw new DomainError('organisation.no_user', {}, 404);
      await db.transaction().execute(async (trx) => {
        if (role !== 'owner') await keepAnOwner(trx, organisationId, userId);
        await trx
          .insertInto('memberships')
          .values({ organisation_id: organisationId, user_id: userId, role, created_at: clock.now() })
          .onConflict((oc) => oc.columns(['organisation_id', 'user_id']).doUpdateSet({ role }))
          .execute();
      });
    },

    async remove(organisationId: number, userId: number): Promise<void> {
      await organisation(organisationId);
      await db.transaction().execute(async (trx) => {
        await keepAnOwner(trx, organisationId, userId);
        const res = await trx.deleteFrom('memberships').where('organisation_id', '=', organisationId).where('user_id', '=', userId).executeTakeFirst();
        if (!Number(res.numDeletedRows)) throw new DomainError('organisation.not_member', {}, 404);
      });
    },

    members: (organisationId: number) => db.selectFrom('memberships').select(['user_id', 'role', 'created_at']).where('organisation_id', '=', organisationId).orderBy('created_at').orderBy('user_id').execute(),

    /** The organisations an account belongs to, with its role in each. */
    ofUser: (userId: number) =>
      db.selectFrom('memberships as m').innerJoin('organisations as o', 'o.id', 'm.organisation_id').select(['o.id', 'o.slug', 'o.name', 'm.role']).where('m.user_id', '=', userId).orderBy('o.name').execute(),
  };
}
export type Organisations = ReturnType<typeof createOrganisations>;
