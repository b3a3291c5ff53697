// The back office's writes to the catalogue: categories (limits, premoderation,
// verified businesses only) and their fields, and the districts. A field is
// retired, never deleted, and its type never changes, so an existing ad's stored
// value always still reads; a district is archived, never deleted, for the same reason.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { DomainError } from '../../platform/errors.js';
import { FIELD_TYPES, type FieldType } from './schema.js';
import './schema.js';

export interface FieldInput {
  code: string;
  label: string;
  type: FieldType;
  unit?: string;
  required?: boolean;
  searchable?: boolean;
  rangeSearchable?: boolean;
  min?: number | null;
  max?: number | null;
  options?: { value: string; label: string }[];
}

const DISTRICT_SLUG = /^[a-z0-9][a-z0-9-]{0,59}$/;
const districtTitle = (raw: string) => {
  const title = raw.replace(/\s+/g, ' ').trim();
  if (title.length < 1 || title.length > 80) throw new DomainError('ad.admin_bad_district', {}, 400);
  return title;
};

export function createAdmin({ db, clock }: { db: Kysely<DB>; clock: Clock }) {
  return {
    // ---------- districts: added, renamed, moved, archived — never deleted, so an ad's district always reads ----------

    /** A new district at the end of the list; its address (slug) is for filter links and never changes. */
    async addDistrict(input: { slug: string; title: string }): Promise<number> {
      const slug = input.slug.trim().toLowerCase();
      if (!DISTRICT_SLUG.test(slug)) throw new DomainError('ad.admin_bad_district_slug', {}, 400);
      const title = districtTitle(input.title);
      return db.transaction().execute(async (trx) => {
        const taken = await trx.selectFrom('ad_districts').select(['slug', 'title']).execute();
        if (taken.some((d) => d.slug === slug || d.title.toLowerCase() === title.toLowerCase())) throw new DomainError('ad.admin_district_taken', {}, 409);
        const last = await trx.selectFrom('ad_districts').select((eb) => eb.fn.max('position').as('p')).executeTakeFirst();
        const row = await trx.insertInto('ad_districts').values({ slug, title, position: Number(last?.p ?? -1) + 1 }).returning('id').executeTakeFirstOrThrow();
        return row.id;
      });
    },

    /** A new title (ads show it at once; the slug, in filter links, stays). */
    async renameDistrict(id: number, rawTitle: string): Promise<{ before: string; title: string }> {
      const title = districtTitle(rawTitle);
      return db.transaction().execute(async (trx) => {
        const rows = await trx.selectFrom('ad_districts').select(['id', 'title']).execute();
        const d = rows.find((r) => r.id === id);
        if (!d) throw new DomainError('ad.admin_no_district', {}, 404);
        if (rows.some((r) => r.id !== id && r.title.toLowerCase() === title.toLowerCase())) throw new DomainError('ad.admin_district_taken', {}, 409);
        await trx.updateTable('ad_districts').set({ title }).where('id', '=', id).execute();
        return { before: d.title, title };
      });
    },

    /** One place up or down the list: the whole list is numbered again in one transaction. */
    async moveDistrict(id: number, step: -1 | 1): Promise<string> {
      return db.transaction().execute(async (trx) => {
        const rows = await trx.selectFrom('ad_districts').select(['id', 'title']).orderBy('position').orderBy('id').forUpdate().execute();
        const i = rows.findIndex((r) => r.id === id);
        if (i < 0) throw new DomainError('ad.admin_no_district', {}, 404);
        const j = i + step;
        if (j >= 0 && j < rows.length) [rows[i], rows[j]] = [rows[j]!, rows[i]!];
        for (const [position, r] of rows.entries()) await trx.updateTable('ad_districts').set({ position }).where('id', '=', r.id).execute();
        return rows[j >= 0 && j < rows.length ? j : i]!.title;
      });
    },

    /** Archived: off the new-ad form and (once no ad names it) off the filters; ads keep it. Or back. */
    async archiveDistrict(id: number, archived: boolean): Promise<string> {
      const row = await db.updateTable('ad_districts').set({ archived_at: archived ? clock.now() : null }).where('id', '=', id).returning('title').executeTakeFirst();
      if (!row) throw new DomainError('ad.admin_no_district', {}, 404);
      return row.title;
    },

    async updateCategory(id: number, input: { title?: string; maxPhotos?: number; lifetimeDays?: number; premoderation?: boolean; businessVerified?: boolean }) {
      const title = input.title?.replace(/\s+/g, ' ').trim();
      if (title !== undefined && (title.length < 1 || title.length > 120)) throw new DomainError('ad.admin_bad_title', {}, 400);
      if (input.maxPhotos !== undefined && (!Number.isInteger(input.maxPhotos) || input.maxPhotos < 0 || input.maxPhotos > 40)) throw new DomainError('ad.admin_bad_limit', {}, 400);
      if (input.lifetimeDays !== undefined && (!Number.isInteger(input.lifetimeDays) || input.lifetimeDays < 1 || input.lifetimeDays > 365)) throw new DomainError('ad.admin_bad_limit', {}, 400);
      const res = await db
        .updateTable('ad_categories')
        .set({ ...(title !== undefined ? { title } : {}), ...(input.maxPhotos !== undefined ? { max_photos: input.maxPhotos } : {}), ...(input.lifetimeDays !== undefined ? { lifetime_days: input.lifetimeDays } : {}), ...(input.premoderation !== undefined ? { premoderation: input.premoderation } : {}), ...(input.businessVerified !== undefined ? { business_verified: input.businessVerified } : {}) })
        .where('id', '=', id)
        .executeTakeFirst();
      if (!Number(res.numUpdatedRows)) throw new DomainError('ad.unknown_category', {}, 404);
    },

    /** A new field of a leaf; a range field takes the next free numeric column (at most four per category). */
    async addField(categoryId: number, f: FieldInput): Promise<number> {
      if (!/^[a-z][a-z0-9_]{0,39}$/.test(f.code)) throw new DomainError('ad.admin_bad_code', {}, 400);
      if (!FIELD_TYPES.includes(f.type)) throw new DomainError('ad.admin_bad_type', {}, 400);
      const label = f.label.replace(/\s+/g, ' ').trim();
      if (!label || label.length > 120) throw new DomainError('ad.admin_bad_title', {}, 400);
      const options = (f.options ?? []).filter((o) => /^[a-z0-9_-]{1,40}$/.test(o.value) && o.label.trim());
      if ((f.type === 'enum' || f.type === 'multi') && !options.length) throw new DomainError('ad.admin_no_options', {}, 400);
      const range = !!f.rangeSearchable && (f.type === 'number' || f.type === 'year');
      return db.transaction().execute(async (trx) => {
        const cat = await trx.selectFrom('ad_categories').select('id').where('id', '=', categoryId).forUpdate().executeTakeFirst();
        if (!cat) throw new DomainError('ad.unknown_category', {}, 404);
        const taken = await trx.selectFrom('ad_fields').select(['code', 'slot', 'position']).where('category_id', '=', categoryId).execute();
        if (taken.some((t) => t.code === f.code)) throw new DomainError('ad.admin_code_taken', {}, 409);
        const free = [1, 2, 3, 4].find((s) => !taken.some((t) => t.slot === s));
        if (range && !free) throw new DomainError('ad.admin_no_slot', {}, 409);
        const row = await trx
          .insertInto('ad_fields')
          .values({ category_id: categoryId, code: f.code, label, type: f.type, unit: (f.unit ?? '').trim().slice(0, 20), required: !!f.required, searchable: !!f.searchable || range, range_searchable: range, min_value: f.min ?? null, max_value: f.max ?? null, options: JSON.stringify(options), position: taken.length, slot: range ? free! : null })
          .returning('id')
          .executeTakeFirstOrThrow();
        return row.id;
      });
    },

    /** Label, unit, flags, bounds and new allowed values; an option in use is never taken away (ads keep it). */
    async updateField(id: number, input: { label?: string; unit?: string; required?: boolean; searchable?: boolean; retired?: boolean; min?: number | null; max?: number | null; addOptions?: { value: string; label: string }[] }) {
      const f = await db.selectFrom('ad_fields').selectAll().where('id', '=', id).executeTakeFirst();
      if (!f) throw new DomainError('ad.admin_no_field', {}, 404);
      const extra = (input.addOptions ?? []).filter((o) => /^[a-z0-9_-]{1,40}$/.test(o.value) && o.label.trim() && !f.options.some((x) => x.value === o.value));
      await db
        .updateTable('ad_fields')
        .set({
          ...(input.label !== undefined && input.label.trim() ? { label: input.label.trim().slice(0, 120) } : {}),
          ...(input.unit !== undefined ? { unit: input.unit.trim().slice(0, 20) } : {}),
          ...(input.required !== undefined ? { required: input.required } : {}),
          ...(input.searchable !== undefined ? { searchable: input.searchable || f.range_searchable } : {}),
          ...(input.retired !== undefined ? { retired: input.retired } : {}),
          ...(input.min !== undefined ? { min_value: input.min } : {}),
          ...(input.max !== undefined ? { max_value: input.max } : {}),
          ...(extra.length ? { options: JSON.stringify([...f.options, ...extra]) } : {}),
        })
        .where('id', '=', id)
        .execute();
    },
  };
}
