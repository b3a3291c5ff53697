// Storefronts: an organisation's shop window on the classifieds (description,
// address, hours, logo, phone, the INN and who verified it), the invites that make
// members, and the hand-over of a storefront an operator made for a business. Who
// holds which role is the organisations module's (user, organisation, role) grants;
// this file only asks it.
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { DomainError } from '../../platform/errors.js';
import type { Organisations, OrganisationRole } from '../organisations/index.js';
import { normalisePhone } from './fields.js';
import './schema.js';

export const INVITE_DAYS = 7;

/** A Russian taxpayer number: 10 digits (a company) or 12 (a person), with its check digits. */
export function innValid(inn: string): boolean {
  if (!/^\d{10}(\d{2})?$/.test(inn)) return false;
  const d = [...inn].map(Number);
  const check = (coefs: number[]) => (coefs.reduce((s, c, i) => s + c * d[i]!, 0) % 11) % 10;
  if (d.length === 10) return check([2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[9];
  return check([7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[10] && check([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[11];
}

export interface Storefront {
  id: number;
  slug: string;
  name: string;
  description: string;
  address: string;
  hours: string;
  phone: string | null;
  logoId: number | null;
  inn: string | null;
  verifiedAt: Date | null;
  verifiedBy: number | null;
  verificationNote: string;
  createdBy: number | null;
  handedOverAt: Date | null;
  createdAt: Date;
}

const hashToken = (t: string) => crypto.createHash('sha256').update(t).digest('base64url');

export function createStorefronts({ db, clock, organisations }: { db: Kysely<DB>; clock: Clock; organisations: Organisations }) {
  async function get(id: number): Promise<Storefront | null> {
    const row = await db.selectFrom('ad_storefronts').selectAll().where('organisation_id', '=', id).executeTakeFirst();
    return row ? toStorefront(row) : null;
  }
  const toStorefront = (row: any): Storefront => ({
    id: row.organisation_id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    address: row.address,
    hours: row.hours,
    phone: row.phone,
    logoId: row.logo_id,
    inn: row.inn,
    verifiedAt: row.verified_at,
    verifiedBy: row.verified_by,
    verificationNote: row.verification_note,
    createdBy: row.created_by,
    handedOverAt: row.handed_over_at,
    createdAt: row.created_at,
  });
  const line = (s: string | undefined, max: number) => (s ?? '').replace(/\s+/g, ' ').trim().slice(0, max);

  return {
    get,
    async bySlug(slug: string): Promise<Storefront | null> {
      const row = await db.selectFrom('ad_storefronts').selectAll().where('slug', '=', slug).executeTakeFirst();
      return row ? toStorefront(row) : null;
    },
    async byIds(ids: number[]): Promise<Map<number, Storefront>> {
      if (!ids.length) return new Map();
      const rows = await db.selectFrom('ad_storefronts').selectAll().where('organisation_id', 'in', [...new Set(ids)]).execute();
      return new Map(rows.map((r) => [r.organisation_id, toStorefront(r)]));
    },
    all: async () => (await db.selectFrom('ad_storefronts').selectAll().orderBy('name').execute()).map(toStorefront),

    /** A new storefront; its creator is the owner (an operator creating it for a business, until the hand-over). */
    async create(input: { slug: string; name: string; description?: string; address?: string; hours?: string; phone?: string | null; inn?: string | null }, userId: number): Promise<Storefront> {
      const phone = input.phone ? normalisePhone(input.phone) : null;
      const inn = input.inn?.trim() || null;
      if (inn && !innValid(inn)) throw new DomainError('storefront.bad_inn', {}, 400);
      // The organisation and its owner first (its own transaction), then the window; undone if the window fails.
      const org = await organisations.create({ slug: input.slug, name: input.name, ownerId: userId });
      try {
        await db.insertInto('ad_storefronts').values({ organisation_id: org.id, slug: org.slug, name: org.name, description: (input.description ?? '').trim().slice(0, 3000), address: line(input.address, 200), hours: line(input.hours, 200), phone, inn, created_by: userId, created_at: clock.now() }).execute();
      } catch (err) {
        await db.deleteFrom('ad_storefronts').where('organisation_id', '=', org.id).execute();
        throw err;
      }
      return (await get(org.id))!;
    },

    async update(id: number, input: { description?: string; address?: string; hours?: string; phone?: string | null; inn?: string | null; logoId?: number | null }): Promise<Storefront> {
      const before = await get(id);
      if (!before) throw new DomainError('storefront.not_found', {}, 404);
      const phone = input.phone === undefined ? before.phone : input.phone ? normalisePhone(input.phone) : null;
      const inn = input.inn === undefined ? before.inn : input.inn?.trim() || null;
      if (inn && !innValid(inn)) throw new DomainError('storefront.bad_inn', {}, 400);
      // A changed INN is no longer the one staff checked.
      const reverify = inn !== before.inn;
      await db
        .updateTable('ad_storefronts')
        .set({
          description: input.description === undefined ? before.description : input.description.trim().slice(0, 3000),
          address: input.address === undefined ? before.address : line(input.address, 200),
          hours: input.hours === undefined ? before.hours : line(input.hours, 200),
          phone,
          inn,
          ...(input.logoId !== undefined ? { logo_id: input.logoId } : {}),
          ...(reverify ? { verified_at: null, verified_by: null } : {}),
        })
        .where('organisation_id', '=', id)
        .execute();
      return (await get(id))!;
    },

    /** Staff checked the INN against the registry: recorded with who and a note; `ok: false` takes the mark away. */
    async verify(id: number, staffId: number, ok: boolean, note: string): Promise<Storefront> {
      const sf = await get(id);
      if (!sf) throw new DomainError('storefront.not_found', {}, 404);
      if (ok && (!sf.inn || !innValid(sf.inn))) throw new DomainError('storefront.bad_inn', {}, 400);
      await db.updateTable('ad_storefronts').set({ verified_at: ok ? clock.now() : null, verified_by: staffId, verification_note: note.trim().slice(0, 500) }).where('organisation_id', '=', id).execute();
      return (await get(id))!;
    },

    /** An invite by e-mail for a role; the token (in the mail's link) is shown once and stored hashed. */
    async invite(id: number, email: string, role: OrganisationRole, byUserId: number): Promise<{ token: string; expiresAt: Date }> {
      const mail = email.trim().toLowerCase();
      if (!/^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,}$/.test(mail)) throw new DomainError('storefront.bad_email', {}, 400);
      if (!['owner', 'manager', 'member'].includes(role)) throw new DomainError('organisation.bad_role', { role: String(role).slice(0, 40) }, 400);
      const token = crypto.randomBytes(18).toString('base64url');
      const expiresAt = new Date(clock.now().getTime() + INVITE_DAYS * 86_400_000);
      await db.insertInto('ad_invites').values({ organisation_id: id, email: mail, role, token_hash: hashToken(token), created_by: byUserId, expires_at: expiresAt, created_at: clock.now() }).execute();
      return { token, expiresAt };
    },
    invites: (id: number) => db.selectFrom('ad_invites').select(['id', 'email', 'role', 'expires_at', 'accepted_at', 'created_at']).where('organisation_id', '=', id).orderBy('created_at', 'desc').limit(50).execute(),
    async inviteByToken(token: string) {
      return (await db.selectFrom('ad_invites').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst()) ?? null;
    },

    /** Accepting gives the role (an owner's invite is the hand-over: recorded on the storefront). */
    async accept(token: string, user: { id: number; email: string }): Promise<number> {
      const row = await db.selectFrom('ad_invites').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
      if (!row || row.accepted_at) throw new DomainError('storefront.invite_invalid', {}, 404);
      if (row.expires_at.getTime() < clock.now().getTime()) throw new DomainError('storefront.invite_expired', {}, 410);
      if (row.email !== user.email.toLowerCase()) throw new DomainError('storefront.invite_other_email', {}, 403);
      await organisations.setRole(row.organisation_id, user.id, row.role);
      await db.updateTable('ad_invites').set({ accepted_at: clock.now(), accepted_by: user.id }).where('id', '=', row.id).execute();
      if (row.role === 'owner') await db.updateTable('ad_storefronts').set({ handed_over_at: clock.now() }).where('organisation_id', '=', row.organisation_id).execute();
      return row.organisation_id;
    },
  };
}
export type Storefronts = ReturnType<typeof createStorefronts>;
