// Ads: posting, editing, renewing, closing and the moderators' decisions. Every
// write is one transaction (the ad, its photos, its search document), and every
// input is checked before anything is stored: the category and its fields
// (fields.ts), price, phone, photos (the author's own uploads, no more than the
// category allows), and who may post for a storefront. A new or edited ad goes
// through the moderation pipeline: the category's premoderation and the duplicate
// check (the same text, or the same photo, from the same account or phone) hold it.
import crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { DomainError } from '../../platform/errors.js';
import type { SessionUser } from '../../platform/sessions.js';
import { hasRole } from '../../platform/roles.js';
import { ADS_STAFF as STAFF_ROLES } from './staff.js';
import type { Draft, Moderation, Phase } from '../moderation/index.js';
import type { Organisations } from '../organisations/index.js';
import { lemmaText, loadMorphology } from '../search/index.js';
import { isLeaf, type Catalogue, type Category } from './catalogue.js';
import { checkFields, checkPrice, normalisePhone } from './fields.js';
import type { AdStatus, FieldValue } from './schema.js';
import './schema.js';

const DAY_MS = 86_400_000;
export const TITLE_MAX = 100;
export const DESCRIPTION_MAX = 5000;

export interface AdInput {
  categoryId: number;
  title: string;
  description: string;
  price?: number | string | null;
  negotiable?: boolean;
  salaryFrom?: number | string | null;
  salaryTo?: number | string | null;
  districtId?: number | null;
  phone?: string | null;
  fields?: Record<string, unknown>;
  /** Image ids in order (the first is the cover): the author's uploads or the ad's own photos. */
  photos?: number[];
  /** Keep it as a draft instead of publishing. */
  draft?: boolean;
}
export interface Actor {
  user: SessionUser;
  ipHash: string;
  /** Posting for a storefront (the account must be its manager or owner). */
  organisationId?: number | null;
  openedAt?: number | null;
}
export interface AdRow {
  id: number;
  category_id: number;
  user_id: number | null;
  organisation_id: number | null;
  status: AdStatus;
  reject_reason: string | null;
  closed_outcome: 'sold' | 'not_sold' | null;
  title: string;
  description: string;
  price: number | null;
  negotiable: boolean;
  salary_from: number | null;
  salary_to: number | null;
  district_id: number | null;
  phone: string | null;
  field_values: Record<string, FieldValue>;
  photo_count: number;
  cover_id: number | null;
  highlighted_until: Date | null;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
  sort_at: Date;
  expires_at: Date | null;
  closed_at: Date | null;
  external_id: string | null;
}
export const AD_COLUMNS = ['id', 'category_id', 'user_id', 'organisation_id', 'status', 'reject_reason', 'closed_outcome', 'title', 'description', 'price', 'negotiable', 'salary_from', 'salary_to', 'district_id', 'phone', 'field_values', 'photo_count', 'cover_id', 'highlighted_until', 'created_at', 'updated_at', 'published_at', 'sort_at', 'expires_at', 'closed_at', 'external_id'] as const;

const textHashOf = (title: string, description: string) => crypto.createHash('sha256').update(`${title}\n${description}`.toLowerCase().replace(/ё/g, 'е').replace(/[^\p{L}\p{N}]+/gu, ' ').trim()).digest('base64url').slice(0, 22);
const cleanLine = (s: string) => s.replace(/\s+/g, ' ').trim();
// Plain text with line breaks: trailing spaces and runs of blank lines go.
const cleanText = (s: string) => s.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim();
const hamming = (a: string, b: string) => {
  let d = 0;
  for (let i = 0; i < a.length; i += 8) {
    let x = parseInt(a.slice(i, i + 8), 16) ^ parseInt(b.slice(i, i + 8), 16);
    while (x) {
      d += x & 1;
      x >>>= 1;
    }
  }
  return d;
};

export interface AdEvents {
  /** After a committed change of what readers may see (purge its pages, tell favourites of a price drop). */
  changed(ad: AdRow, before: AdRow | null): Promise<void>;
}

export function createAdWrites({ db, clock, moderation, organisations, catalogue, events }: { db: Kysely<DB>; clock: Clock; moderation: Moderation; organisations: Organisations; catalogue: () => Promise<Catalogue>; events: AdEvents }) {
  async function byId(id: number, executor: Kysely<DB> = db): Promise<AdRow | null> {
    return ((await executor.selectFrom('ads').select([...AD_COLUMNS]).where('id', '=', id).executeTakeFirst()) as AdRow | undefined) ?? null;
  }

  /** Whether the account may change the ad: its private author, the storefront's managers, the staff. */
  async function mayManage(user: SessionUser, ad: Pick<AdRow, 'user_id' | 'organisation_id'>): Promise<boolean> {
    if (hasRole(user, STAFF_ROLES)) return true;
    if (ad.organisation_id !== null) return organisations.can(ad.organisation_id, user.id, 'manager');
    return ad.user_id === user.id;
  }
  async function managed(user: SessionUser, id: number): Promise<AdRow> {
    const ad = await byId(id);
    // Someone else's ad is «not found», not «forbidden»: nobody learns which ids exist.
    if (!ad || !(await mayManage(user, ad))) throw new DomainError('ad.not_found', {}, 404);
    return ad;
  }

  // Duplicates: the same text, or a photo within a few bits of the same picture, in an
  // ad of the same account or phone that is live or waiting.
  const duplicates = (photoHashes: string[], phone: string | null, textHash: string, exceptId: number | null, userId: number): Phase<Draft> => async () => {
    const same = (q: any) => q.where('a.status', 'in', ['active', 'moderation']).where((eb: any) => eb.or([eb('a.user_id', '=', userId), ...(phone ? [eb('a.phone', '=', phone)] : [])])).$if(exceptId !== null, (qb: any) => qb.where('a.id', '<>', exceptId));
    const text = await same(db.selectFrom('ads as a').select('a.id').where('a.text_hash', '=', textHash)).executeTakeFirst();
    if (text) return { status: 'held', reason: 'duplicate_text' };
    if (!photoHashes.length) return;
    const theirs: { hash: string }[] = await same(db.selectFrom('ad_photos as p').innerJoin('ads as a', 'a.id', 'p.ad_id').select('p.hash').where('p.hash', '<>', '')).limit(2000).execute();
    if (theirs.some((t) => photoHashes.some((h) => h.length === t.hash.length && hamming(h, t.hash) <= 4))) return { status: 'held', reason: 'duplicate_photo' };
  };

  /** Everything about the input that needs no writing, checked; the row's columns. */
  async function prepare(actor: Actor, input: AdInput, before: AdRow | null) {
    const cat = await catalogue();
    const category = cat.byId.get(input.categoryId);
    if (!category || !isLeaf(category)) throw new DomainError('ad.unknown_category', {}, 400);
    const title = cleanLine(input.title ?? '');
    const description = cleanText(input.description ?? '');
    if ([...title].length < 3 || [...title].length > TITLE_MAX) throw new DomainError('ad.bad_title', { max: TITLE_MAX }, 400);
    if ([...description].length < 10 || [...description].length > DESCRIPTION_MAX) throw new DomainError('ad.bad_description', { max: DESCRIPTION_MAX }, 400);
    const now = clock.now();
    const fields = checkFields(category, input.fields ?? {}, now, before?.field_values ?? {});
    let price: number | null = null;
    let salaryFrom: number | null = null;
    let salaryTo: number | null = null;
    let negotiable = false;
    if (category.priceKind === 'salary') {
      salaryFrom = input.salaryFrom === undefined || input.salaryFrom === null || input.salaryFrom === '' ? null : checkPrice(input.salaryFrom, 'ad.bad_salary');
      salaryTo = input.salaryTo === undefined || input.salaryTo === null || input.salaryTo === '' ? null : checkPrice(input.salaryTo, 'ad.bad_salary');
      if (salaryFrom !== null && salaryTo !== null && salaryTo < salaryFrom) throw new DomainError('ad.bad_salary', {}, 400);
      price = salaryFrom ?? salaryTo;
      negotiable = price === null;
    } else if (category.priceKind === 'price') {
      if (input.price === undefined || input.price === null || input.price === '') {
        if (!input.negotiable) throw new DomainError('ad.price_required', {}, 400);
        negotiable = true;
      } else price = checkPrice(input.price);
    }
    if (input.districtId !== undefined && input.districtId !== null) {
      const district = cat.districtById.get(input.districtId);
      // An archived district stays on the ad that already names it; it is not chosen anew.
      if (!district || (district.archived && before?.district_id !== district.id)) throw new DomainError('ad.unknown_district', {}, 400);
    }
    const phone = input.phone ? normalisePhone(input.phone) : null;
    const photos = [...new Set(input.photos ?? [])];
    if (photos.length > category.maxPhotos) throw new DomainError('ad.too_many_photos', { max: category.maxPhotos }, 400);
    // Photos: the author's own uploads, or those the ad already has.
    const hashes = new Map<number, string>();
    if (photos.length) {
      const [uploads, own] = await Promise.all([
        db.selectFrom('ad_uploads').select(['image_id', 'hash']).where('image_id', 'in', photos).where('user_id', '=', actor.user.id).execute(),
        before ? db.selectFrom('ad_photos').select(['image_id', 'hash']).where('ad_id', '=', before.id).where('image_id', 'in', photos).execute() : [],
      ]);
      for (const r of [...uploads, ...own]) hashes.set(r.image_id, r.hash);
      if (photos.some((p) => !hashes.has(p))) throw new DomainError('ad.photo_not_found', {}, 400);
    }
    // Whose: a storefront's (its manager posts) or the account's own.
    const organisationId = before ? before.organisation_id : (actor.organisationId ?? null);
    if (organisationId !== null) {
      if (!(await organisations.can(organisationId, actor.user.id, 'manager')) && !hasRole(actor.user, STAFF_ROLES)) throw new DomainError('ad.not_manager', {}, 403);
      if (category.businessVerified) {
        const sf = await db.selectFrom('ad_storefronts').select('verified_at').where('organisation_id', '=', organisationId).executeTakeFirst();
        if (!sf?.verified_at) throw new DomainError('ad.needs_verified', {}, 403);
      }
    } else if (category.businessVerified) throw new DomainError('ad.needs_verified', {}, 403);
    const tokens = [`c${category.id}`, ...(category.parentId ? [`c${category.parentId}`] : []), organisationId !== null ? 'biz' : 'private', ...(photos.length ? ['photo'] : []), ...(input.districtId ? [`d${input.districtId}`] : []), ...fields.tokens];
    return { category, title, description, price, negotiable, salaryFrom, salaryTo, phone, photos, hashes, organisationId, fields, tokens, districtId: input.districtId ?? null };
  }

  async function judge(actor: Actor, p: Awaited<ReturnType<typeof prepare>>, mode: 'new' | 'edit', exceptId: number | null) {
    const draft: Draft = { kind: 'ad', user: actor.user, ipHash: actor.ipHash, body: `${p.title}\n${p.description}`, scope: null, premoderation: p.category.premoderation, openedAt: actor.openedAt ?? null };
    const own = [duplicates([...p.hashes.values()].filter(Boolean), p.phone, textHashOf(p.title, p.description), exceptId, actor.user.id)];
    const phases = moderation.pipeline(own as Phase<Draft>[], mode);
    return { draft, verdict: await moderation.moderate(phases, draft) };
  }

  async function writeRow(trx: Kysely<DB>, id: number, p: Awaited<ReturnType<typeof prepare>>) {
    await loadMorphology();
    await trx.deleteFrom('ad_photos').where('ad_id', '=', id).execute();
    if (p.photos.length) await trx.insertInto('ad_photos').values(p.photos.map((imageId, i) => ({ ad_id: id, position: i, image_id: imageId, hash: p.hashes.get(imageId) ?? '' }))).execute();
    await trx.deleteFrom('ad_uploads').where('image_id', 'in', p.photos.length ? p.photos : [0]).execute();
    await sql`update ads set document = setweight(to_tsvector('russian', ${lemmaText(p.title)}), 'A') || to_tsvector('russian', ${lemmaText(p.description)}) where id = ${id}`.execute(trx);
  }

  const columns = (p: Awaited<ReturnType<typeof prepare>>) => ({
    category_id: p.category.id,
    title: p.title,
    description: p.description,
    price: p.price,
    negotiable: p.negotiable,
    salary_from: p.salaryFrom,
    salary_to: p.salaryTo,
    district_id: p.districtId,
    phone: p.phone,
    field_values: JSON.stringify(p.fields.values),
    tokens: p.tokens,
    ...p.fields.numbers,
    photo_count: p.photos.length,
    cover_id: p.photos[0] ?? null,
    text_hash: textHashOf(p.title, p.description),
  });

  const lifetime = (c: Category, from: Date) => new Date(from.getTime() + c.lifetimeDays * DAY_MS);

  return {
    byId,
    mayManage,
    managed,

    async create(actor: Actor, input: AdInput): Promise<AdRow> {
      const p = await prepare(actor, input, null);
      const { draft, verdict } = input.draft ? { draft: null, verdict: null } : await judge(actor, p, 'new', null);
      const now = clock.now();
      const status: AdStatus = input.draft ? 'draft' : verdict!.status === 'approved' ? 'active' : 'moderation';
      const ad = await db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('ads')
          .values({ ...columns(p), user_id: actor.user.id, organisation_id: p.organisationId, status, reject_reason: verdict?.reasons.join(', ') || null, closed_outcome: null, external_id: null, highlighted_until: null, created_at: now, updated_at: now, published_at: status === 'active' ? now : null, sort_at: now, expires_at: status === 'active' ? lifetime(p.category, now) : null, closed_at: null })
          .returning('id')
          .executeTakeFirstOrThrow();
        await writeRow(trx, row.id, p);
        return (await byId(row.id, trx))!;
      });
      if (draft) await moderation.posted(draft, status === 'active');
      if (status === 'active') await events.changed(ad, null);
      return ad;
    },

    /** Saves an edit; an ad on moderation stays there, an active one goes back when the category or the pipeline says so. */
    async update(actor: Actor, id: number, input: AdInput): Promise<AdRow> {
      const before = await managed(actor.user, id);
      if (before.status === 'blocked') throw new DomainError('ad.blocked', {}, 409);
      const p = await prepare(actor, input, before);
      const live = before.status === 'active' || before.status === 'moderation' || (before.status === 'draft' && !input.draft);
      const judged = live ? await judge(actor, p, before.status === 'draft' ? 'new' : 'edit', id) : null;
      const now = clock.now();
      let status: AdStatus = before.status;
      if (judged) status = judged.verdict.status === 'approved' ? 'active' : 'moderation';
      const ad = await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('ads')
          .set({ ...columns(p), status, reject_reason: judged?.verdict.reasons.join(', ') || null, updated_at: now, ...(status === 'active' && before.status !== 'active' ? { published_at: now, sort_at: now, expires_at: lifetime(p.category, now) } : {}) })
          .where('id', '=', id)
          .execute();
        await writeRow(trx, id, p);
        return (await byId(id, trx))!;
      });
      if (judged) await moderation.posted(judged.draft, status === 'active');
      await events.changed(ad, before);
      return ad;
    },

    /**
     * The seller's new order of the ad's photos (the first is the cover everywhere:
     * lists, the page, JSON-LD). Exactly the photos the ad has, each once: an unknown
     * or missing one refuses the whole order. Not an edit of the content, so it does
     * not go back to moderation.
     */
    async reorderPhotos(user: SessionUser, id: number, order: number[]): Promise<AdRow> {
      const before = await managed(user, id);
      if (before.status === 'blocked') throw new DomainError('ad.blocked', {}, 409);
      const ad = await db.transaction().execute(async (trx) => {
        const rows = await trx.selectFrom('ad_photos').select(['image_id', 'hash']).where('ad_id', '=', id).orderBy('position').forUpdate().execute();
        const hashes = new Map(rows.map((r) => [r.image_id, r.hash]));
        if (order.length !== rows.length || new Set(order).size !== order.length || order.some((p) => !hashes.has(p))) throw new DomainError('ad.photo_order_bad', {}, 400);
        await trx.deleteFrom('ad_photos').where('ad_id', '=', id).execute();
        if (order.length) await trx.insertInto('ad_photos').values(order.map((imageId, position) => ({ ad_id: id, position, image_id: imageId, hash: hashes.get(imageId)! }))).execute();
        await trx.updateTable('ads').set({ cover_id: order[0] ?? null, updated_at: clock.now() }).where('id', '=', id).execute();
        return (await byId(id, trx))!;
      });
      await events.changed(ad, before);
      return ad;
    },

    /**
     * Takes one saved photo off the ad (the edit page's «Удалить»): the rest keep their
     * order, the next one becomes the cover. Not an edit of the content: the ad does not
     * go back to moderation. `orphan` says no other ad shows that image (the caller
     * removes it through media). A photo the ad does not have is 400, nothing changed.
     */
    async removePhoto(user: SessionUser, id: number, imageId: number): Promise<{ ad: AdRow; orphan: boolean }> {
      const before = await managed(user, id);
      if (before.status === 'blocked') throw new DomainError('ad.blocked', {}, 409);
      const ad = await db.transaction().execute(async (trx) => {
        const rows = await trx.selectFrom('ad_photos').select(['image_id', 'hash']).where('ad_id', '=', id).orderBy('position').forUpdate().execute();
        if (!rows.some((r) => r.image_id === imageId)) throw new DomainError('ad.photo_unknown', {}, 400);
        const rest = rows.filter((r) => r.image_id !== imageId);
        await trx.deleteFrom('ad_photos').where('ad_id', '=', id).execute();
        if (rest.length) await trx.insertInto('ad_photos').values(rest.map((r, position) => ({ ad_id: id, position, image_id: r.image_id, hash: r.hash }))).execute();
        const { tokens } = await trx.selectFrom('ads').select('tokens').where('id', '=', id).executeTakeFirstOrThrow();
        // «с фото» is a token: the last photo gone, the ad leaves that filter.
        const next = rest.length ? tokens : tokens.filter((t) => t !== 'photo');
        await trx.updateTable('ads').set({ cover_id: rest[0]?.image_id ?? null, photo_count: rest.length, tokens: next, updated_at: clock.now() }).where('id', '=', id).execute();
        return (await byId(id, trx))!;
      });
      const other = await db.selectFrom('ad_photos').select('ad_id').where('image_id', '=', imageId).executeTakeFirst();
      await events.changed(ad, before);
      return { ad, orphan: !other };
    },

    /** An expired (or active) ad lives another lifetime from now, at the top of its lists. */
    async renew(user: SessionUser, id: number): Promise<AdRow> {
      const before = await managed(user, id);
      if (before.status !== 'expired' && before.status !== 'active' && before.status !== 'closed') throw new DomainError('ad.cannot_renew', {}, 409);
      const cat = await catalogue();
      const category = cat.byId.get(before.category_id)!;
      const now = clock.now();
      await db.updateTable('ads').set({ status: 'active', sort_at: now, expires_at: lifetime(category, now), closed_outcome: null, closed_at: null, updated_at: now }).where('id', '=', id).execute();
      const ad = (await byId(id))!;
      await events.changed(ad, before);
      return ad;
    },

    /** Closing asks whether it sold. */
    async close(user: SessionUser, id: number, outcome: 'sold' | 'not_sold'): Promise<AdRow> {
      const before = await managed(user, id);
      if (before.status === 'blocked' || before.status === 'closed') throw new DomainError('ad.cannot_close', {}, 409);
      const now = clock.now();
      await db.updateTable('ads').set({ status: 'closed', closed_outcome: outcome, closed_at: now, updated_at: now }).where('id', '=', id).execute();
      const ad = (await byId(id))!;
      await events.changed(ad, before);
      return ad;
    },

    /** A moderator's decision: approve publishes, reject returns it with the reason, delete blocks it. */
    async decide(id: number, decision: 'approve' | 'reject' | 'delete', reason = ''): Promise<AdRow | null> {
      const before = await byId(id);
      if (!before) return null;
      const cat = await catalogue();
      const now = clock.now();
      const set =
        decision === 'approve'
          ? { status: 'active' as const, reject_reason: null, published_at: before.published_at ?? now, sort_at: before.status === 'active' ? before.sort_at : now, expires_at: before.status === 'active' && before.expires_at ? before.expires_at : lifetime(cat.byId.get(before.category_id)!, now) }
          : decision === 'reject'
            ? { status: 'rejected' as const, reject_reason: reason || 'rejected' }
            : { status: 'blocked' as const };
      await db.updateTable('ads').set({ ...set, updated_at: now }).where('id', '=', id).execute();
      const ad = (await byId(id))!;
      await events.changed(ad, before);
      return ad;
    },

    /** Reported by enough readers: off the lists until a moderator decides. */
    async hold(id: number, reason: string): Promise<AdRow | null> {
      const before = await byId(id);
      if (!before || before.status !== 'active') return null;
      await db.updateTable('ads').set({ status: 'moderation', reject_reason: reason, updated_at: clock.now() }).where('id', '=', id).execute();
      const ad = (await byId(id))!;
      await events.changed(ad, before);
      return ad;
    },

    held: (limit: number) => db.selectFrom('ads').select([...AD_COLUMNS]).where('status', '=', 'moderation').orderBy('created_at').limit(limit).execute() as Promise<AdRow[]>,
    heldCount: async () => Number((await db.selectFrom('ads').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'moderation').executeTakeFirstOrThrow()).n),
    byIds: async (ids: number[]) => (ids.length ? ((await db.selectFrom('ads').select([...AD_COLUMNS]).where('id', 'in', ids).execute()) as AdRow[]) : []),

    /** Active ads past their lifetime become expired; their authors may renew them. */
    async expire(): Promise<number[]> {
      const rows = await db.updateTable('ads').set({ status: 'expired', updated_at: clock.now() }).where('status', '=', 'active').where('expires_at', '<', clock.now()).returning(['id', 'category_id', 'organisation_id']).execute();
      return rows.map((r) => r.id);
    },

    byExternal: async (organisationId: number, externalId: string) => ((await db.selectFrom('ads').select([...AD_COLUMNS]).where('organisation_id', '=', organisationId).where('external_id', '=', externalId).executeTakeFirst()) as AdRow | undefined) ?? null,
    externalOf: async (organisationId: number) => (await db.selectFrom('ads').select(['id', 'external_id', 'status']).where('organisation_id', '=', organisationId).where('external_id', 'is not', null).execute()) as { id: number; external_id: string; status: AdStatus }[],
    setExternalId: (id: number, externalId: string) => db.updateTable('ads').set({ external_id: externalId }).where('id', '=', id).execute(),

    /** An importer's (the demo's, a feed's) ad that was published earlier: its dates moved back, its lifetime from then. */
    async backdate(id: number, at: Date): Promise<void> {
      const ad = await byId(id);
      if (!ad) return;
      const c = (await catalogue()).byId.get(ad.category_id)!;
      await db.updateTable('ads').set({ created_at: at, updated_at: at, sort_at: at, ...(ad.status === 'active' ? { published_at: at, expires_at: lifetime(c, at) } : {}) }).where('id', '=', id).execute();
    },

    /** «Выделено» until a moment, or «Поднять»: to the top of the lists now. */
    async promote(id: number, input: { highlightUntil?: Date | null; raise?: boolean }): Promise<AdRow> {
      const before = await byId(id);
      if (!before) throw new DomainError('ad.not_found', {}, 404);
      if (before.status !== 'active') throw new DomainError('ad.not_active', {}, 409);
      await db
        .updateTable('ads')
        .set({ ...(input.highlightUntil !== undefined ? { highlighted_until: input.highlightUntil } : {}), ...(input.raise ? { sort_at: clock.now() } : {}) })
        .where('id', '=', id)
        .execute();
      const ad = (await byId(id))!;
      await events.changed(ad, before);
      return ad;
    },
  };
}
export type AdWrites = ReturnType<typeof createAdWrites>;
