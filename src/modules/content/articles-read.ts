// The read side of articles: cards and whole articles for pages, feeds, search and
// other modules; the lists of sections, authors, tags and stories; «По теме»; the
// back office's lists, the editor's stored fields and revisions; the cache tags an
// article's pages carry. Reads only; writes are in articles-write.ts.
import { sql, type Kysely } from 'kysely';
import type { ArticleStatus, ArticleType, DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { Extensions } from '../../platform/extensions.js';
import type { Memo } from '../../platform/memo.js';
import type { Media } from '../media/index.js';
import type { Section, SectionTree } from './sections.js';
import type { AdminListFilter, AdminListItem, ArticleCard, ArticleFacts, ArticleFull, EditableArticle, Page } from './types.js';
import { articlePath } from './urls.js';
import { bodyImageIds } from './blocks.js';
import './schema.js';

export const PAGE_SIZE = 20;

export interface ArticleReadDeps {
  db: Kysely<DB>;
  media: Media;
  clock: Clock;
  timezone: string;
  memo?: Memo;
  sections: () => Promise<SectionTree>;
  extensions?: Extensions;
}

export function createArticleReads({ db, media, clock, timezone, memo, sections, extensions }: ArticleReadDeps) {
  const published = () => db.selectFrom('articles as a').where('a.status', '=', 'published').where('a.published_at', '<=', clock.now());

  /** Cards for article ids, in the order given. Three queries whatever the count. */
  async function cards(ids: number[]): Promise<ArticleCard[]> {
    if (!ids.length) return [];
    const t = await sections();
    const rows = await db
      .selectFrom('articles as a')
      .select(['a.id', 'a.type', 'a.title', 'a.lead', 'a.published_at', 'a.created_at', 'a.cover_image_id', 'a.section_id'])
      .where('a.id', 'in', ids)
      .execute();
    const authorRows = await db
      .selectFrom('article_authors as aa')
      .innerJoin('authors as au', 'au.id', 'aa.author_id')
      .select(['aa.article_id', 'au.id', 'au.slug', 'au.name', 'au.position', 'au.photo_id'])
      .where('aa.article_id', 'in', ids)
      .orderBy('aa.position')
      .execute();
    const images = await media.get([...rows.map((r) => r.cover_image_id), ...authorRows.map((r) => r.photo_id)].filter((x): x is number => x !== null));
    const byId = new Map(
      rows.map((r) => {
        const section = t.get(r.section_id)!;
        const publishedAt = r.published_at ?? r.created_at;
        const card: ArticleCard = {
          id: r.id,
          type: r.type,
          title: r.title,
          lead: r.lead,
          publishedAt,
          url: articlePath({ id: r.id, sectionSlug: section.slug, publishedAt }, timezone),
          section: { id: section.id, slug: section.slug, title: section.title },
          cover: r.cover_image_id ? (images.get(r.cover_image_id) ?? null) : null,
          authors: authorRows
            .filter((x) => x.article_id === r.id)
            .map((x) => ({ id: x.id, slug: x.slug, name: x.name, position: x.position, photo: x.photo_id ? (images.get(x.photo_id) ?? null) : null })),
        };
        return [r.id, card] as const;
      }),
    );
    // The comments module (when installed) puts its counts on the cards: one query per list.
    const commentCounts = extensions?.get('article.commentCounts');
    if (commentCounts) {
      const counts = await commentCounts(ids);
      for (const card of byId.values()) card.commentCount = counts.get(card.id) ?? 0;
    }
    // The live module (when installed) marks live coverage running now.
    const liveNow = extensions?.get('article.liveNow');
    if (liveNow) {
      const live = await liveNow(ids);
      for (const card of byId.values()) if (live.has(card.id)) card.live = true;
    }
    return ids.map((id) => byId.get(id)).filter((c): c is ArticleCard => !!c);
  }

  async function pageOf(query: ReturnType<typeof published>, page: number, size = PAGE_SIZE): Promise<Page<ArticleCard>> {
    const [{ total }] = (await query.select((eb) => eb.fn.countAll<number>().as('total')).execute()) as [{ total: number }];
    const rows = await query
      .select('a.id')
      .orderBy('a.published_at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(size)
      .offset((page - 1) * size)
      .execute();
    return { items: await cards(rows.map((r) => r.id)), total, page, pages: Math.max(1, Math.ceil(total / size)) };
  }

  async function latestIds(opts: { sectionIds?: number[]; type?: ArticleType; notType?: ArticleType; limit: number; exclude?: number[] }): Promise<number[]> {
    let q = published().select('a.id');
    if (opts.sectionIds) q = q.where('a.section_id', 'in', opts.sectionIds);
    if (opts.type) q = q.where('a.type', '=', opts.type);
    if (opts.notType) q = q.where('a.type', '<>', opts.notType);
    if (opts.exclude?.length) q = q.where('a.id', 'not in', opts.exclude);
    const rows = await q.orderBy('a.published_at', 'desc').orderBy('a.id', 'desc').limit(opts.limit).execute();
    return rows.map((r) => r.id);
  }

  /** The whole article, whatever its status: the caller decides who may see it. */
  async function article(id: number): Promise<ArticleFull | null> {
    const row = await db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    const [card] = await cards([id]);
    const t = await sections();
    const tags = await db.selectFrom('article_tags as at').innerJoin('tags as t', 't.id', 'at.tag_id').select(['t.id', 't.slug', 't.title']).where('at.article_id', '=', id).orderBy('t.title').execute();
    const story = row.story_id ? ((await db.selectFrom('stories').select(['id', 'slug', 'title']).where('id', '=', row.story_id).executeTakeFirst()) ?? null) : null;
    return {
      ...card!,
      status: row.status,
      revision: row.revision,
      body: row.body,
      bodyText: row.body_text,
      bodyImages: await media.get(bodyImageIds(row.body)),
      coverCaption: row.cover_caption,
      coverCredit: row.cover_credit,
      seoTitle: row.seo_title,
      seoDescription: row.seo_description,
      updatedAt: row.updated_at,
      sectionPath: t.path(row.section_id),
      tags,
      story,
    };
  }

  return {
    cards,
    latestIds,

    async latest(opts: { sectionIds?: number[]; type?: ArticleType; limit: number; exclude?: number[] }): Promise<ArticleCard[]> {
      return cards(await latestIds(opts));
    },

    async sectionPage(section: Section, page: number): Promise<Page<ArticleCard>> {
      const ids = (await sections()).subtreeIds(section.id);
      return pageOf(published().where('a.section_id', 'in', ids), page);
    },

    authorPage(authorId: number, page: number) {
      return pageOf(published().where('a.id', 'in', db.selectFrom('article_authors').select('article_id').where('author_id', '=', authorId)), page);
    },

    tagPage(tagId: number, page: number) {
      return pageOf(published().where('a.id', 'in', db.selectFrom('article_tags').select('article_id').where('tag_id', '=', tagId)), page);
    },

    storyPage(storyId: number, page: number) {
      return pageOf(published().where('a.story_id', '=', storyId), page);
    },

    article,

    /**
     * The article for a reader's request: one copy for every reader, kept in the data
     * cache (platform/memo.ts) until a change purges `article:<id>`, or for a minute.
     * Never change what it returns.
     */
    readerArticle(id: number): Promise<ArticleFull | null> {
      return memo ? memo.get(`article:${id}`, { ttlMs: 60_000, tags: [`article:${id}`] }, () => article(id)) : article(id);
    },

    /** Cards for a reader's request (a personal list), each kept like `readerArticle`; in the order given. */
    async readerCards(ids: number[]): Promise<ArticleCard[]> {
      if (!memo) return cards(ids);
      const keep = (key: string) => ({ ttlMs: 60_000, tags: [`article:${key.slice('card:'.length)}`] });
      const loadMissing = async (keys: string[]) => {
        const loaded = await cards(keys.map((key) => Number(key.slice('card:'.length))));
        return new Map(loaded.map((card) => [`card:${card.id}`, card as ArticleCard | null]));
      };
      const list = await memo.getMany(ids.map((id) => `card:${id}`), keep, loadMissing, null);
      return list.filter((card) => card !== null);
    },

    /**
     * The few facts other modules weigh articles by (section, story, tags, status, time),
     * many at once: one query for those not kept, each kept like `readerArticle`. Cheap
     * enough for lists a reader sends (their reading history): an unknown id costs no
     * more than a known one and comes back as nothing.
     */
    async readerFacts(ids: number[]): Promise<ArticleFacts[]> {
      const load = async (wanted: number[]): Promise<ArticleFacts[]> => {
        if (!wanted.length) return [];
        const rows = await db.selectFrom('articles').select(['id', 'status', 'section_id', 'story_id', 'published_at', 'created_at']).where('id', 'in', wanted).execute();
        const tags = rows.length ? await db.selectFrom('article_tags').select(['article_id', 'tag_id']).where('article_id', 'in', rows.map((r) => r.id)).execute() : [];
        return rows.map((r) => ({
          id: r.id,
          status: r.status,
          publishedAt: r.published_at ?? r.created_at,
          sectionId: r.section_id,
          storyId: r.story_id,
          tagIds: tags.filter((t) => t.article_id === r.id).map((t) => t.tag_id),
        }));
      };
      if (!memo) return load(ids);
      const keep = (key: string) => ({ ttlMs: 60_000, tags: [`article:${key.slice('facts:'.length)}`] });
      const loadMissing = async (keys: string[]) => new Map((await load(keys.map((key) => Number(key.slice('facts:'.length))))).map((f) => [`facts:${f.id}`, f as ArticleFacts | null]));
      const list = await memo.getMany(ids.map((id) => `facts:${id}`), keep, loadMissing, null);
      return list.filter((f) => f !== null);
    },

    /** What search indexes of many articles, whatever their status: two queries whatever the count. */
    async indexTexts(ids: number[]) {
      if (!ids.length) return [];
      const rows = await db.selectFrom('articles').select(['id', 'type', 'status', 'section_id', 'title', 'lead', 'body_text', 'published_at', 'created_at']).where('id', 'in', ids).execute();
      const authors = rows.length ? await db.selectFrom('article_authors').select(['article_id', 'author_id']).where('article_id', 'in', rows.map((r) => r.id)).orderBy('article_id').orderBy('position').execute() : [];
      const authorsOf = new Map<number, number[]>();
      for (const a of authors) authorsOf.set(a.article_id, [...(authorsOf.get(a.article_id) ?? []), a.author_id]);
      return rows.map((r) => ({
        id: r.id,
        type: r.type,
        status: r.status,
        sectionId: r.section_id,
        title: r.title,
        lead: r.lead,
        bodyText: r.body_text,
        publishedAt: r.published_at ?? r.created_at,
        authorIds: authorsOf.get(r.id) ?? [],
      }));
    },

    /** `now`: one reading of the clock for a whole list. */
    isPublished(a: { status: ArticleStatus; publishedAt: Date }, now = clock.now()): boolean {
      return a.status === 'published' && a.publishedAt.getTime() <= now.getTime();
    },

    /**
     * «По теме»: the editor's picks in their order, then articles of the same
     * story, then those sharing most tags, then the closest by text (when search
     * is installed), then the same section; fresher first within each tier. Never
     * the article itself, never an unpublished one.
     */
    async related(article: { id: number; section: { id: number }; story: { id: number } | null }, limit = 5): Promise<ArticleCard[]> {
      const now = clock.now();
      const similarity = extensions?.get('article.similar');
      const similar = similarity ? await similarity(article.id, limit * 2) : [];
      const { rows } = await sql<{ id: number }>`
        with candidates as (
          select related_id as id, 0 as tier, position as score from article_related where article_id = ${article.id}
          union all
          select id, 1, 0 from articles where story_id = ${article.story?.id ?? null}::int
          union all
          select t2.article_id, 2, -count(*)::int from article_tags t1
            join article_tags t2 on t2.tag_id = t1.tag_id and t2.article_id <> t1.article_id
            where t1.article_id = ${article.id} group by t2.article_id
          union all
          select s.id, 3, s.rank::int from unnest(${similar}::int[]) with ordinality as s(id, rank)
          union all
          (select id, 4, 0 from articles where section_id = ${article.section.id} and status = 'published'
            order by published_at desc limit ${limit * 3})
        )
        select a.id from candidates c join articles a on a.id = c.id
        where a.id <> ${article.id} and a.status = 'published' and a.published_at <= ${now}
        group by a.id, a.published_at
        order by min(c.tier * 100000 + c.score), a.published_at desc
        limit ${limit}`.execute(db);
      return cards(rows.map((r) => r.id));
    },

    /** Articles published since a moment, newest first: feeds and the news sitemap. */
    async publishedSince(since: Date | null, limit: number, sectionIds?: number[]) {
      let q = published().select(['a.id']);
      if (since) q = q.where('a.published_at', '>=', since);
      if (sectionIds) q = q.where('a.section_id', 'in', sectionIds);
      const rows = await q.orderBy('a.published_at', 'desc').limit(limit).execute();
      return rows.map((r) => r.id);
    },

    /** Every published article's URL and last change, for the sitemap. */
    async sitemapEntries(limit = 50000) {
      const t = await sections();
      const rows = await published().select(['a.id', 'a.section_id', 'a.published_at', 'a.updated_at']).orderBy('a.published_at', 'desc').limit(limit).execute();
      return rows.map((r) => ({ url: articlePath({ id: r.id, sectionSlug: t.get(r.section_id)!.slug, publishedAt: r.published_at }, timezone), updatedAt: r.updated_at }));
    },
    /** The section of each article, by id (statistics by section); unknown ids are left out. */
    async sectionIdsOf(ids: number[]): Promise<Map<number, number>> {
      const unique = [...new Set(ids)];
      if (!unique.length) return new Map();
      const rows = await db.selectFrom('articles').select(['id', 'section_id']).where('id', 'in', unique).execute();
      return new Map(rows.map((r) => [r.id, r.section_id]));
    },

    async countArticles(): Promise<number> {
      const r = await db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },

    /** Cache tags of every page an article appears on: itself, home, feeds, its section and ancestors, authors, tags, story. */
    async articleCacheTags(id: number): Promise<string[]> {
      const row = await db.selectFrom('articles').select(['section_id', 'story_id']).where('id', '=', id).executeTakeFirst();
      if (!row) return [`article:${id}`];
      const [authors, tags, tree] = await Promise.all([
        db.selectFrom('article_authors').select('author_id').where('article_id', '=', id).execute(),
        db.selectFrom('article_tags').select('tag_id').where('article_id', '=', id).execute(),
        sections(),
      ]);
      return [
        `article:${id}`,
        'home',
        'feeds',
        ...tree.path(row.section_id).map((s) => `section:${s.id}`),
        ...authors.map((a) => `author:${a.author_id}`),
        ...tags.map((t) => `tag:${t.tag_id}`),
        ...(row.story_id ? [`story:${row.story_id}`] : []),
      ];
    },


    async editable(id: number): Promise<EditableArticle | null> {
      const row = await db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return null;
      const [authors, tags, related, tree] = await Promise.all([
        db.selectFrom('article_authors').select('author_id').where('article_id', '=', id).orderBy('position').execute(),
        db.selectFrom('article_tags').select('tag_id').where('article_id', '=', id).execute(),
        db.selectFrom('article_related').select('related_id').where('article_id', '=', id).orderBy('position').execute(),
        sections(),
      ]);
      return {
        id: row.id,
        status: row.status,
        revision: row.revision,
        type: row.type,
        sectionId: row.section_id,
        storyId: row.story_id,
        title: row.title,
        lead: row.lead,
        body: row.body,
        authorIds: authors.map((a) => a.author_id),
        tagIds: tags.map((t) => t.tag_id),
        relatedIds: related.map((r) => r.related_id),
        coverImageId: row.cover_image_id,
        coverCaption: row.cover_caption,
        coverCredit: row.cover_credit,
        seoTitle: row.seo_title,
        seoDescription: row.seo_description,
        createdBy: row.created_by,
        publishedAt: row.published_at,
        scheduledAt: row.scheduled_at,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        url: articlePath({ id: row.id, sectionSlug: tree.get(row.section_id)?.slug ?? 'text', publishedAt: row.published_at ?? row.created_at }, timezone),
      };
    },

    /** Whether a user started the article or is one of its authors (what the author role may edit). */
    async isOwnedBy(articleId: number, userId: number): Promise<boolean> {
      const row = await db
        .selectFrom('articles as a')
        .select('a.id')
        .where('a.id', '=', articleId)
        .where((eb) =>
          eb.or([
            eb('a.created_by', '=', userId),
            eb.exists(eb.selectFrom('article_authors as aa').innerJoin('authors as au', 'au.id', 'aa.author_id').select('aa.article_id').whereRef('aa.article_id', '=', 'a.id').where('au.user_id', '=', userId)),
          ]),
        )
        .executeTakeFirst();
      return !!row;
    },

    /** Every article a user started or is an author of (an author's statistics). */
    async articleIdsOfUser(userId: number): Promise<number[]> {
      const rows = await db
        .selectFrom('articles as a')
        .select('a.id')
        .where((eb) =>
          eb.or([
            eb('a.created_by', '=', userId),
            eb.exists(eb.selectFrom('article_authors as aa').innerJoin('authors as au', 'au.id', 'aa.author_id').select('aa.article_id').whereRef('aa.article_id', '=', 'a.id').where('au.user_id', '=', userId)),
          ]),
        )
        .execute();
      return rows.map((r) => r.id);
    },


    async adminList(f: AdminListFilter): Promise<{ items: AdminListItem[]; total: number; page: number; pages: number }> {
      const size = f.size ?? 30;
      let q = db.selectFrom('articles as a');
      if (f.status) q = q.where('a.status', '=', f.status);
      if (f.type) q = q.where('a.type', '=', f.type);
      if (f.sectionId) q = q.where('a.section_id', 'in', (await sections()).subtreeIds(f.sectionId));
      if (f.authorId) q = q.where('a.id', 'in', db.selectFrom('article_authors').select('article_id').where('author_id', '=', f.authorId));
      if (f.q?.trim()) q = q.where('a.title', 'ilike', `%${f.q.trim().replace(/[\\%_]/g, (m) => '\\' + m)}%`);
      if (f.ownerUserId) {
        const uid = f.ownerUserId;
        q = q.where((eb) =>
          eb.or([
            eb('a.created_by', '=', uid),
            eb('a.id', 'in', eb.selectFrom('article_authors as aa').innerJoin('authors as au', 'au.id', 'aa.author_id').select('aa.article_id').where('au.user_id', '=', uid)),
          ]),
        );
      }
      const { total } = await q.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow();
      let rows = q.select(['a.id', 'a.title', 'a.type', 'a.status', 'a.section_id', 'a.created_at', 'a.updated_at', 'a.published_at', 'a.scheduled_at']);
      if (f.sort === 'title') rows = rows.orderBy('a.title');
      else if (f.sort === 'published') rows = rows.orderBy(sql`a.published_at desc nulls last`);
      else if (f.sort === 'created') rows = rows.orderBy('a.created_at', 'desc');
      else rows = rows.orderBy('a.updated_at', 'desc');
      const list = await rows.orderBy('a.id', 'desc').limit(size).offset((f.page - 1) * size).execute();
      const ids = list.map((r) => r.id);
      const authorRows = ids.length
        ? await db.selectFrom('article_authors as aa').innerJoin('authors as au', 'au.id', 'aa.author_id').select(['aa.article_id', 'au.name']).where('aa.article_id', 'in', ids).orderBy('aa.position').execute()
        : [];
      const tree = await sections();
      const n = Number(total);
      return {
        total: n,
        page: f.page,
        pages: Math.max(1, Math.ceil(n / size)),
        items: list.map((r) => ({
          id: r.id,
          title: r.title,
          type: r.type,
          status: r.status,
          sectionTitle: tree.get(r.section_id)?.title ?? '',
          authors: authorRows.filter((x) => x.article_id === r.id).map((x) => x.name),
          createdAt: r.created_at,
          updatedAt: r.updated_at,
          publishedAt: r.published_at,
          scheduledAt: r.scheduled_at,
          url: articlePath({ id: r.id, sectionSlug: tree.get(r.section_id)?.slug ?? 'text', publishedAt: r.published_at ?? r.created_at }, timezone),
        })),
      };
    },

    /** Titles matching a query, for the «По теме» and home page pickers. */
    async findByTitle(q: string, opts: { publishedOnly?: boolean; limit?: number } = {}) {
      let query = db.selectFrom('articles').select(['id', 'title', 'status', 'published_at']);
      const text = q.trim();
      if (/^\d{1,9}$/.test(text)) query = query.where('id', '=', Number(text));
      else if (text) query = query.where('title', 'ilike', `%${text.replace(/[\\%_]/g, (m) => '\\' + m)}%`);
      if (opts.publishedOnly) query = query.where('status', '=', 'published');
      return query.orderBy(sql`published_at desc nulls last`).orderBy('id', 'desc').limit(opts.limit ?? 10).execute();
    },

    revisions: (id: number) => db.selectFrom('article_revisions').select(['revision', 'title', 'created_by', 'created_at']).where('article_id', '=', id).orderBy('revision', 'desc').execute(),
    revision: (id: number, revision: number) => db.selectFrom('article_revisions').select(['revision', 'title', 'lead', 'body', 'created_by', 'created_at']).where('article_id', '=', id).where('revision', '=', revision).executeTakeFirst(),

    /** Published cards of a slot, in the editor's order (unpublished ones drop out). */
    async slotCards(slots: Map<string, number[]>, slot: string): Promise<ArticleCard[]> {
      const ids = slots.get(slot) ?? [];
      if (!ids.length) return [];
      const live = await db.selectFrom('articles').select('id').where('id', 'in', ids).where('status', '=', 'published').where('published_at', '<=', clock.now()).execute();
      const ok = new Set(live.map((r) => r.id));
      return cards(ids.filter((id) => ok.has(id)));
    },

  };
}
export type ArticleReads = ReturnType<typeof createArticleReads>;
