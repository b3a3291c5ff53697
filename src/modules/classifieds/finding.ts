// Finding ads: the filters of a category page (fields, price, district, photo,
// seller, full text in Russian), the page of cards, the total and the counts per
// filter value. Every filter is an index condition: the category and the order are
// the btree `ads_category_sort_idx`, enum values, districts, photo and seller are
// tokens in the GIN `ads_tokens_idx`, ranges are the typed columns n1…n4 and price,
// the text is the GIN `ads_document_idx`, the price orders are `ads_price_idx`,
// `ads_price_desc_idx` and `ads_category_price_desc_idx` (migration 0604, which also
// keeps the GIN indexes without a pending list) — all on active ads only (partial
// indexes).
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { DB } from '../../db/schema.js';
import { words, lemmasOf } from '../search/index.js';
import { fieldToken } from './fields.js';
import type { Catalogue, Category } from './catalogue.js';
import type { AdStatus } from './schema.js';
import type { Memo } from '../../platform/memo.js';
import './schema.js';

export const PER_PAGE = 20;
export const MAX_PAGE = 100;
/** Totals are counted up to this («больше 1 000»), and counts per value over at most this many matching ads: a broad list stays as quick as a narrow one. */
export const COUNT_CAP = 1000;
export type Sort = 'date' | 'price' | 'price_desc';

export interface Filters {
  category: Category | null;
  q: string;
  districts: number[];
  priceMin: number | null;
  priceMax: number | null;
  photo: boolean;
  seller: 'biz' | 'private' | null;
  /** Enum, multi-enum and boolean values by field id: any of the values (OR), fields together (AND). */
  values: Map<number, string[]>;
  /** Range fields by slot (n1…n4). */
  ranges: Map<number, { min: number | null; max: number | null }>;
  organisationId: number | null;
  sort: Sort;
  page: number;
}

export interface Card {
  id: number;
  title: string;
  category_id: number;
  price: number | null;
  negotiable: boolean;
  salary_from: number | null;
  salary_to: number | null;
  district_id: number | null;
  cover_id: number | null;
  photo_count: number;
  organisation_id: number | null;
  user_id: number | null;
  sort_at: Date;
  highlighted_until: Date | null;
  status: AdStatus;
}
const CARD = ['id', 'title', 'category_id', 'price', 'negotiable', 'salary_from', 'salary_to', 'district_id', 'cover_id', 'photo_count', 'organisation_id', 'user_id', 'sort_at', 'highlighted_until', 'status'] as const;

const num = (v: unknown): number | null => {
  if (typeof v !== 'string' || !/^\s*-?\d{1,13}([.,]\d{1,4})?\s*$/.test(v)) return null;
  return Number(v.replace(',', '.'));
};
// Prices are whole roubles (a bigint column, which refuses 1.5): a fractional bound
// becomes the whole one that picks the same ads — a minimum up, a maximum down.
const rouble = (n: number | null, round: (x: number) => number): number | null => (n === null ? null : round(n));
const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');

/** The query string of a category page as filters; what does not apply to the category is dropped. */
export function parseFilters(cat: Catalogue, category: Category | null, query: Record<string, unknown>): Filters {
  const fields = category ? cat.leavesOf(category.id).length === 1 ? category.fields.filter((f) => !f.retired) : [] : [];
  const byCode = new Map(fields.map((f) => [f.code, f]));
  const values = new Map<number, string[]>();
  for (const pair of list(query.f)) {
    const dot = pair.indexOf('.');
    const f = byCode.get(pair.slice(0, dot));
    const value = pair.slice(dot + 1);
    if (!f || !f.searchable) continue;
    if ((f.type === 'enum' || f.type === 'multi') && !f.options.some((o) => o.value === value)) continue;
    if (f.type === 'boolean' && value !== '1' && value !== '0') continue;
    if (f.type !== 'enum' && f.type !== 'multi' && f.type !== 'boolean') continue;
    values.set(f.id, [...new Set([...(values.get(f.id) ?? []), value])]);
  }
  const ranges = new Map<number, { min: number | null; max: number | null }>();
  for (const f of fields) {
    if (!f.slot || !f.rangeSearchable) continue;
    const min = num(query[`n${f.slot}_min`]);
    const max = num(query[`n${f.slot}_max`]);
    if (min !== null || max !== null) ranges.set(f.slot, { min, max });
  }
  const sort = query.sort === 'price' || query.sort === 'price_desc' ? query.sort : 'date';
  return {
    category,
    q: typeof query.q === 'string' ? query.q.slice(0, 200).trim() : '',
    districts: list(query.district).flatMap((s) => cat.districtBySlug.get(s)?.id ?? []),
    priceMin: rouble(num(query.price_min), Math.ceil),
    priceMax: rouble(num(query.price_max), Math.floor),
    photo: query.photo === '1',
    seller: query.seller === 'biz' || query.seller === 'private' ? query.seller : null,
    values,
    ranges,
    organisationId: null,
    sort,
    page: Math.min(MAX_PAGE, Math.max(1, Number(query.page) || 1)),
  };
}

/** The tsquery text of a reader's words: each word's lemmas as alternatives, words together. */
export function queryText(q: string): string | null {
  const ws = words(q).slice(0, 12);
  if (!ws.length) return null;
  return ws.map((w) => `(${lemmasOf(w).join(' | ')})`).join(' & ');
}

/** How long a list's result is served from the data cache without a write (every write that changes a list purges `ads`). */
export const LIST_KEPT_MS = 30_000;
/** The data cache's tag of every list: purged by every ad write (routes.tsx `adTags`, the expiry job, the catalogue). */
export const LIST_TAG = 'ads';

/** The data cache's key of a list: the filters in one canonical order (so `f=a&f=b` and `f=b&f=a` share it). */
export function listKey(f: Filters, cat: Catalogue): string {
  const p = [...new URLSearchParams(filterQuery(f, cat, { page: String(f.page) }))].map(([k, v]) => `${k}=${v}`).sort();
  return `ads:list:${f.category?.id ?? ''}:${f.organisationId ?? ''}:${p.join('&')}`;
}

export function createFinding({ db, catalogue, memo }: { db: Kysely<DB>; catalogue: () => Promise<Catalogue>; memo: Memo }) {
  function filtered<O>(qb: SelectQueryBuilder<DB, 'ads', O>, f: Filters, cat: Catalogue, skipValuesOf: number | null = null) {
    let q = qb.where('ads.status', '=', 'active');
    if (f.category) {
      const leaves = cat.leavesOf(f.category.id).map((c) => c.id);
      q = leaves.length === 1 ? q.where('ads.category_id', '=', leaves[0]!) : q.where('ads.category_id', 'in', leaves.length ? leaves : [0]);
    }
    if (f.organisationId !== null) q = q.where('ads.organisation_id', '=', f.organisationId);
    // Every single-valued filter in one containment (one GIN scan with several keys);
    // each field with several values ticked is an overlap (any of them).
    const all: string[] = [];
    if (f.photo) all.push('photo');
    if (f.seller) all.push(f.seller);
    const anyOf: string[][] = [];
    if (f.districts.length) anyOf.push(f.districts.map((d) => `d${d}`));
    for (const [fieldId, vs] of f.values) if (fieldId !== skipValuesOf) anyOf.push(vs.map((v) => fieldToken(fieldId, v)));
    for (const tokens of anyOf) if (tokens.length === 1) all.push(tokens[0]!);
    if (all.length && f.category) all.push(`c${f.category.id}`);
    if (all.length) q = q.where(sql<boolean>`ads.tokens @> ${sql.val(all)}::text[]`);
    for (const tokens of anyOf) if (tokens.length > 1) q = q.where(sql<boolean>`ads.tokens && ${sql.val(tokens)}::text[]`);
    if (f.priceMin !== null) q = q.where('ads.price', '>=', f.priceMin);
    if (f.priceMax !== null) q = q.where('ads.price', '<=', f.priceMax);
    for (const [slot, r] of f.ranges) {
      const col = `ads.n${slot}` as 'ads.n1';
      if (r.min !== null) q = q.where(col, '>=', r.min);
      if (r.max !== null) q = q.where(col, '<=', r.max);
    }
    const text = f.q ? queryText(f.q) : null;
    if (text) q = q.where(sql<boolean>`ads.document @@ to_tsquery('russian', ${text})`);
    else if (f.q) q = q.where(sql<boolean>`false`);
    return q;
  }

  /** A list's two queries: the page of cards, and the counts per token (the total among them). */
  async function load(f: Filters, cat: Catalogue): Promise<{ cards: Card[]; total: number; counts: Map<string, number> }> {
    let q = filtered(db.selectFrom('ads').select(CARD.map((c) => `ads.${c}` as const)), f, cat);
    q = f.sort === 'price' ? q.orderBy(sql`ads.price asc nulls last`).orderBy('ads.id') : f.sort === 'price_desc' ? q.orderBy(sql`ads.price desc nulls last`).orderBy('ads.id') : q.orderBy('ads.sort_at', 'desc').orderBy('ads.id', 'desc');
    const matched = filtered(db.selectFrom('ads').select('ads.tokens'), f, cat).limit(COUNT_CAP + 1).as('m');
    const tokens = db.selectFrom(matched).select(sql<string>`unnest(m.tokens)`.as('t')).as('x');
    const [cards, rows] = await Promise.all([q.limit(PER_PAGE).offset((f.page - 1) * PER_PAGE).execute() as Promise<Card[]>, db.selectFrom(tokens).select(['x.t', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('x.t').execute()]);
    const counts = new Map(rows.map((r) => [r.t, Number(r.n)]));
    return { cards, total: (counts.get('private') ?? 0) + (counts.get('biz') ?? 0), counts };
  }

  return {
    /**
     * One page of cards, the total and the counts per filter value, in two queries:
     * every ad carries `private` or `biz`, so the total is the sum of those two counts
     * (both over at most COUNT_CAP + 1 matching ads: «больше 1 000» past that).
     * Kept in the data cache for LIST_KEPT_MS under the canonical filters, tagged
     * LIST_TAG: a write purges it at once; only time-driven changes (a highlight
     * running out) may show up to 30 s late. The result is shared: do not change it.
     */
    async list(f: Filters): Promise<{ cards: Card[]; total: number; counts: Map<string, number> }> {
      const cat = await catalogue();
      return memo.get(listKey(f, cat), { ttlMs: LIST_KEPT_MS, tags: [LIST_TAG] }, () => load(f, cat));
    },
    /** The same without the data cache (the benchmark's baseline, a check of freshness). */
    listUncached: async (f: Filters) => load(f, await catalogue()),

    /** The freshest active ads (the home of the classifieds). */
    fresh: (limit: number) => db.selectFrom('ads').select([...CARD]).where('status', '=', 'active').orderBy('sort_at', 'desc').orderBy('id', 'desc').limit(limit).execute() as Promise<Card[]>,

    /** Active ads per category (for the home's category list). */
    async perCategory(): Promise<Map<number, number>> {
      const rows = await db.selectFrom('ads').select(['category_id', (eb) => eb.fn.countAll<number>().as('n')]).where('status', '=', 'active').groupBy('category_id').execute();
      return new Map(rows.map((r) => [r.category_id, Number(r.n)]));
    },

    /** Ads like this one: the same category, nearest in price, newest first among them. */
    async similar(ad: { id: number; category_id: number; price: number | null }, limit = 6): Promise<Card[]> {
      let q = db.selectFrom('ads').select([...CARD]).where('status', '=', 'active').where('category_id', '=', ad.category_id).where('id', '<>', ad.id);
      if (ad.price !== null) q = q.where('price', '>=', Math.floor(ad.price * 0.5)).where('price', '<=', Math.ceil(ad.price * 1.5));
      return (await q.orderBy('sort_at', 'desc').limit(limit).execute()) as Card[];
    },

    /** An account's or a storefront's ads in every state (the seller's own list). */
    mine: (who: { userId?: number; organisationIds?: number[] }, limit = 200) =>
      db
        .selectFrom('ads')
        .select([...CARD, 'expires_at', 'reject_reason', 'closed_outcome'])
        .$if(!!who.organisationIds, (q) => q.where('organisation_id', 'in', who.organisationIds!.length ? who.organisationIds! : [0]))
        .$if(!who.organisationIds, (q) => q.where('user_id', '=', who.userId!).where('organisation_id', 'is', null))
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute(),

    cardsByIds: async (ids: number[]) => (ids.length ? ((await db.selectFrom('ads').select([...CARD]).where('id', 'in', ids).execute()) as Card[]) : []),
  };
}
export type Finding = ReturnType<typeof createFinding>;

/** The query string of filters (for links: a sort, a page, a removed filter). */
export function filterQuery(f: Filters, cat: Catalogue, over: Partial<Record<'sort' | 'page', string>> = {}): string {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  const fields = f.category?.fields ?? [];
  for (const [fieldId, vs] of f.values) {
    const code = fields.find((x) => x.id === fieldId)?.code;
    if (code) for (const v of vs) p.append('f', `${code}.${v}`);
  }
  for (const [slot, r] of f.ranges) {
    if (r.min !== null) p.set(`n${slot}_min`, String(r.min));
    if (r.max !== null) p.set(`n${slot}_max`, String(r.max));
  }
  if (f.priceMin !== null) p.set('price_min', String(f.priceMin));
  if (f.priceMax !== null) p.set('price_max', String(f.priceMax));
  for (const d of f.districts) {
    const slug = cat.districtById.get(d)?.slug;
    if (slug) p.append('district', slug);
  }
  if (f.photo) p.set('photo', '1');
  if (f.seller) p.set('seller', f.seller);
  const sort = over.sort ?? f.sort;
  if (sort !== 'date') p.set('sort', sort);
  const page = over.page ?? (f.page > 1 ? String(f.page) : undefined);
  if (page && page !== '1') p.set('page', page);
  const s = p.toString();
  return s ? `?${s}` : '';
}
