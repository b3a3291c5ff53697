// Audience: ТОП 5 from the hourly view buckets, «Рекомендуем» for a reader, the
// editors' pins, and the figures behind the statistics pages.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { runPrepared } from '../../db/connection.js';
import type { Clock } from '../../platform/clock.js';
import type { Memo } from '../../platform/memo.js';
import type { ReaderRowsOwner } from '../../platform/reader-rows.js';
import type { Content } from '../content/index.js';
import './schema.js';

export interface ArticleMeta {
  id: number;
  published: boolean;
  sectionId: number;
  storyId: number | null;
  tagIds: number[];
  publishedAt: Date;
}

export interface ScoringWeights {
  section: number;
  tag: number;
  story: number;
  /** Hours for freshness to fall to 1/e. */
  freshnessHours: number;
}
export const DEFAULT_WEIGHTS: ScoringWeights = { section: 3, tag: 1, story: 3, freshnessHours: 72 };

export interface Candidate {
  id: number;
  views: number;
  meta: ArticleMeta;
}
export interface ReaderProfile {
  read: Set<number>;
  sections: Map<number, number>;
  tags: Map<number, number>;
  stories: Map<number, number>;
  total: number;
}

/**
 * The score of one candidate for one reader (see docs/audience.md):
 * popularity × freshness × (1 + affinity), where popularity is the candidate's share
 * of the most-read candidate's views, freshness decays exponentially with age, and
 * affinity is how much of the reader's recent reading shared its section, tags and
 * story, weighted.
 */
export function score(c: Candidate, maxViews: number, profile: ReaderProfile, now: Date, w: ScoringWeights = DEFAULT_WEIGHTS): number {
  // A floor, so a fresh piece in the reader's section is not buried by the day's hit.
  const popularity = maxViews > 0 ? 0.3 + 0.7 * Math.sqrt(c.views / maxViews) : 1;
  const ageHours = Math.max(0, (now.getTime() - c.meta.publishedAt.getTime()) / 3600_000);
  const freshness = Math.exp(-ageHours / w.freshnessHours);
  const total = Math.max(1, profile.total);
  const section = (profile.sections.get(c.meta.sectionId) ?? 0) / total;
  const story = c.meta.storyId ? (profile.stories.get(c.meta.storyId) ?? 0) / total : 0;
  const tags = c.meta.tagIds.reduce((sum, t) => sum + (profile.tags.get(t) ?? 0), 0) / total;
  return popularity * freshness * (1 + w.section * section + w.tag * tags + w.story * story);
}

export function profileOf(reads: { article_id: number; section_id: number; story_id: number | null; tag_ids: number[] }[]): ReaderProfile {
  const bump = (m: Map<number, number>, k: number) => m.set(k, (m.get(k) ?? 0) + 1);
  const p: ReaderProfile = { read: new Set(), sections: new Map(), tags: new Map(), stories: new Map(), total: reads.length };
  for (const r of reads) {
    p.read.add(r.article_id);
    bump(p.sections, r.section_id);
    if (r.story_id) bump(p.stories, r.story_id);
    for (const t of r.tag_ids) bump(p.tags, t);
  }
  return p;
}

/** How many of a reader's latest reads «Рекомендуем» weighs. */
export const READS_SCORED = 50;

/** In ТОП 5 a signed-in reader's view weighs this many anonymous ones (README.md). */
export const SIGNED_VIEW_WEIGHT = 3;

export function createAudience({ db, clock, content, memo, topWindowHours }: { db: Kysely<DB>; clock: Clock; content: Content; memo: Memo; topWindowHours: number }) {
  // Article facts needed per beacon and per candidate, from the data cache
  // (content.readerFacts): a change of the article purges them on every instance.
  async function metas(ids: number[]): Promise<ArticleMeta[]> {
    const facts = await content.readerFacts(ids);
    const now = clock.now();
    return facts.map((f) => ({ id: f.id, published: content.isPublished(f, now), sectionId: f.sectionId, storyId: f.storyId, tagIds: f.tagIds, publishedAt: f.publishedAt }));
  }
  async function meta(id: number): Promise<ArticleMeta | null> {
    return (await metas([id]))[0] ?? null;
  }

  // ТОП 5, the generic «Рекомендуем» and the parts of a reader's own that are the same
  // for every reader change slowly: computed at most every 30 s per instance, not on
  // every page render or every reader's request. Kept in the data cache under the
  // `recommended` tag, which a pin or an unpin purges on every instance.
  const shared = <T>(key: string, compute: () => Promise<T>): Promise<T> => memo.get(`audience:${key}`, { ttlMs: 30_000, tags: ['recommended'] }, compute);
  // A list of articles kept so is also dropped when one of them changes (its
  // `article:<id>` tag): a piece taken down leaves it at once.
  const sharedList = <T>(key: string, idOf: (item: T) => number, compute: () => Promise<T[]>): Promise<T[]> =>
    memo.get(`audience:${key}`, { ttlMs: 30_000, tags: (list) => ['recommended', ...list.map((item) => `article:${idOf(item)}`)] }, compute);
  const sharedIds = (key: string, compute: () => Promise<number[]>) => sharedList(key, (id: number) => id, compute);
  const sharedCandidates = (key: string, compute: () => Promise<Candidate[]>) => sharedList(`candidates:${key}`, (c: Candidate) => c.id, compute);

  /**
   * The most read of the last `hours`. `weighed`: a signed-in reader's view counts
   * SIGNED_VIEW_WEIGHT times (ТОП 5: an account costs a script far more than a cookie).
   */
  async function topViewed(hours: number, limit: number, { weighed = false } = {}): Promise<{ id: number; views: number }[]> {
    const since = new Date(clock.now().getTime() - hours * 3600_000);
    const rows = await db
      .selectFrom('article_views_hourly')
      .select([
        'article_id',
        (eb) => eb.fn.sum<number>('views').as('views'),
        (eb) => (weighed ? sql<number>`sum(views + ${SIGNED_VIEW_WEIGHT - 1} * signed_views)` : eb.fn.sum<number>('views')).as('score'),
      ])
      .where('hour', '>=', since)
      .groupBy('article_id')
      .orderBy('score', 'desc')
      .orderBy('article_id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.article_id, views: Number(r.views) }));
  }

  return {
    meta,
    topViewed,

    /** ТОП 5: most read in the window, published only, topped up with the freshest. */
    top(limit = 5, hours = topWindowHours): Promise<number[]> {
      return sharedIds(`top:${limit}:${hours}`, () => this.computeTop(limit, hours));
    },

    async computeTop(limit: number, hours: number): Promise<number[]> {
      const viewed = await topViewed(hours, limit * 3, { weighed: true });
      const published = new Set((await metas(viewed.map((v) => v.id))).filter((m) => m.published).map((m) => m.id));
      const ids = viewed.filter((v) => published.has(v.id)).slice(0, limit).map((v) => v.id);
      if (ids.length < limit) for (const id of await content.latestIds({ limit: limit * 2 })) if (ids.length < limit && !ids.includes(id)) ids.push(id);
      return ids;
    },

    /** A reader's last 50 reads, newest first: «Рекомендуем» of a signed-in reader, or of a browser that keeps no list of its own yet. */
    async readIds(readerKey: string): Promise<number[]> {
      const reads = await runPrepared(db, db.selectFrom('reader_reads').select('article_id').where('reader', '=', readerKey).orderBy('read_at', 'desc').limit(READS_SCORED));
      return reads.map((r) => r.article_id);
    },

    /** What a reader's reads say about them, from the articles' facts in the data cache (an unknown id is left out). */
    async readerProfile(readIds: number[]): Promise<ReaderProfile> {
      const read = await metas(readIds.slice(0, READS_SCORED));
      return profileOf(read.map((m) => ({ article_id: m.id, section_id: m.sectionId, story_id: m.storyId, tag_ids: m.tagIds })));
    },

    /** «Рекомендуем» for a reader: pins first, then scored candidates not yet read. */
    async recommend(readerKey: string | null, opts: { exclude?: number[]; limit?: number } = {}): Promise<number[]> {
      return this.recommendAfter(readerKey ? await this.readIds(readerKey) : [], opts);
    },

    /** «Рекомендуем» for a reader who has read these (newest first). */
    async recommendAfter(readIds: number[], opts: { exclude?: number[]; limit?: number } = {}): Promise<number[]> {
      if (!readIds.length) {
        // The generic list: one shared computation, what the page shows taken out after.
        const exclude = new Set(opts.exclude ?? []);
        // Long enough that the page's lead, ТОП 5 and «По теме» can all be taken out.
        const generic = await sharedIds(`recommend:${opts.limit ?? 5}`, () => this.computeRecommend(profileOf([]), { limit: (opts.limit ?? 5) + 20 }));
        return generic.filter((id) => !exclude.has(id)).slice(0, opts.limit ?? 5);
      }
      return this.computeRecommend(await this.readerProfile(readIds), opts);
    },

    async computeRecommend(profile: ReaderProfile, opts: { exclude?: number[]; limit?: number } = {}): Promise<number[]> {
      const limit = opts.limit ?? 5;
      const now = clock.now();
      const skip = new Set([...(opts.exclude ?? []), ...profile.read]);
      // The candidates every reader shares (the most read, the newest) and those of a
      // section, with their facts, kept as one list each.
      const [allPins, common, tree] = await Promise.all([shared('pins', () => this.pins()), sharedCandidates('common', async () => {
        const [popular, fresh] = await Promise.all([topViewed(72, 60), content.latestIds({ limit: 30 })]);
        const views = new Map(popular.map((p) => [p.id, p.views]));
        return (await metas([...new Set([...popular.map((p) => p.id), ...fresh])])).map((m) => ({ id: m.id, views: views.get(m.id) ?? 0, meta: m }));
      }), content.sections()]);
      const pins = allPins.filter((id) => !skip.has(id));
      // The freshest of the reader's favourite sections, which may be neither popular nor newest.
      const favourite = [...profile.sections].sort((a, b) => b[1] - a[1]).slice(0, 3);
      const inFavourites = await Promise.all(
        favourite.map(([id]) => sharedCandidates(`section:${id}`, async () => (await metas(await content.latestIds({ sectionIds: tree.subtreeIds(id), limit: 10 }))).map((m) => ({ id: m.id, views: 0, meta: m })))),
      );
      const seen = new Set<number>();
      const candidates: Candidate[] = [];
      for (const c of [...common, ...inFavourites.flat()]) {
        if (seen.has(c.id)) continue;
        seen.add(c.id);
        // A piece both popular and in a favourite section comes from `common`, with its views.
        if (c.meta.published && !skip.has(c.id) && !pins.includes(c.id)) candidates.push(c);
      }
      const maxViews = Math.max(0, ...candidates.map((c) => c.views));
      const ranked = candidates.map((c) => ({ id: c.id, s: score(c, maxViews, profile, now) })).sort((a, b) => b.s - a.s || b.id - a.id);
      return [...pins, ...ranked.map((r) => r.id)].slice(0, limit);
    },

    async pins(): Promise<number[]> {
      const rows = await db
        .selectFrom('recommended_pins')
        .select('article_id')
        .where((eb) => eb.or([eb('until', 'is', null), eb('until', '>', clock.now())]))
        .orderBy('position')
        .orderBy('pinned_at', 'desc')
        .execute();
      return rows.map((r) => r.article_id);
    },

    // After the write: a list computed while it ran would keep the old pins.
    async pin(articleId: number, userId: number, until: Date | null) {
      await db
        .insertInto('recommended_pins')
        .values({ article_id: articleId, pinned_by: userId, until, pinned_at: clock.now() })
        .onConflict((oc) => oc.column('article_id').doUpdateSet({ pinned_by: userId, until, pinned_at: clock.now() }))
        .execute();
      memo.purge(['recommended']);
    },

    async unpin(articleId: number) {
      await db.deleteFrom('recommended_pins').where('article_id', '=', articleId).execute();
      memo.purge(['recommended']);
    },

    /** Forgets reading history older than a moment; returns how many reads went. */
    async forgetReadsBefore(before: Date): Promise<number> {
      const done = await db.deleteFrom('reader_reads').where('read_at', '<', before).executeTakeFirst();
      return Number(done.numDeletedRows);
    },

    /** How reading histories follow their reader (platform/reader-rows.ts). */
    readerRows: {
      owner: 'audience.reads',
      /** An anonymous reader's history joins the account's; a piece both read keeps the later read. */
      async move(trx, from, to) {
        await sql`insert into reader_reads (reader, article_id, section_id, story_id, tag_ids, read_at)
          select ${to.key}, article_id, section_id, story_id, tag_ids, read_at from reader_reads where reader = ${from.key}
          on conflict (reader, article_id) do update set read_at = greatest(reader_reads.read_at, excluded.read_at)`.execute(trx);
        await trx.deleteFrom('reader_reads').where('reader', '=', from.key).execute();
      },
      /** A deleted account's reading history goes (views stay in the hourly sums, which name nobody). */
      async forget(trx, account) {
        await trx.deleteFrom('reader_reads').where('reader', '=', account.key).execute();
      },
    } satisfies ReaderRowsOwner,

    // ---------- statistics ----------

    async viewsByHour(articleId: number, from: Date, to: Date) {
      return db.selectFrom('article_views_hourly').select(['hour', 'views']).where('article_id', '=', articleId).where('hour', '>=', from).where('hour', '<', to).orderBy('hour').execute();
    },

    async totalViews(articleIds: number[], from: Date, to: Date): Promise<Map<number, number>> {
      if (!articleIds.length) return new Map();
      const rows = await db
        .selectFrom('article_views_hourly')
        .select(['article_id', (eb) => eb.fn.sum<number>('views').as('views')])
        .where('article_id', 'in', articleIds)
        .where('hour', '>=', from)
        .where('hour', '<', to)
        .groupBy('article_id')
        .execute();
      return new Map(rows.map((r) => [r.article_id, Number(r.views)]));
    },

    /** The most-read articles between two moments, optionally among some articles. */
    async topViewedBetween(from: Date, to: Date, limit: number, among?: number[]) {
      let q = db.selectFrom('article_views_hourly').select(['article_id', (eb) => eb.fn.sum<number>('views').as('views')]).where('hour', '>=', from).where('hour', '<', to);
      if (among) q = q.where('article_id', 'in', among.length ? among : [0]);
      const rows = await q.groupBy('article_id').orderBy('views', 'desc').limit(limit).execute();
      return rows.map((r) => ({ id: r.article_id, views: Number(r.views) }));
    },

    /** Views per section over a period (every article's, not only the most read). */
    async viewsBySection(from: Date, to: Date, among?: number[]) {
      let q = db.selectFrom('article_views_hourly').select(['article_id', (eb) => eb.fn.sum<number>('views').as('views')]).where('hour', '>=', from).where('hour', '<', to);
      if (among) q = q.where('article_id', 'in', among.length ? among : [0]);
      const rows = await q.groupBy('article_id').execute();
      // Which section each article is in is content's to say.
      const sectionOf = await content.sectionIdsOf(rows.map((r) => r.article_id));
      const bySection = new Map<number, number>();
      for (const r of rows) {
        const section = sectionOf.get(r.article_id);
        if (section !== undefined) bySection.set(section, (bySection.get(section) ?? 0) + Number(r.views));
      }
      return [...bySection].map(([sectionId, views]) => ({ sectionId, views })).sort((a, b) => b.views - a.views);
    },

    /** Site-wide views per hour over a period (the statistics chart). */
    async siteViewsByHour(from: Date, to: Date, articleIds?: number[]) {
      let q = db.selectFrom('article_views_hourly').select(['hour', (eb) => eb.fn.sum<number>('views').as('views')]).where('hour', '>=', from).where('hour', '<', to);
      if (articleIds) q = q.where('article_id', 'in', articleIds.length ? articleIds : [0]);
      const rows = await q.groupBy('hour').orderBy('hour').execute();
      return rows.map((r) => ({ hour: r.hour, views: Number(r.views) }));
    },
  };
}
export type Audience = ReturnType<typeof createAudience>;
