// Content: sections, authors, tags, stories and articles. The only code that reads
// or writes these tables; pages, feeds and other modules ask it.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ArticleBody, ArticleStatus, ArticleType, DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { Memo } from '../../platform/memo.js';
import type { ImageRef, Media } from '../media/service.js';
import { SectionTree, type Section } from './sections.js';
import { articlePath, slugify } from './urls.js';
import { bodyImageIds, bodyText, validateBody } from './blocks.js';
import { createEditing } from './articles-write.js';
import './schema.js';

export interface AuthorRef {
  id: number;
  slug: string;
  name: string;
  position: string;
  photo: ImageRef | null;
}

export interface ArticleCard {
  id: number;
  type: ArticleType;
  title: string;
  lead: string;
  url: string;
  publishedAt: Date;
  section: { id: number; slug: string; title: string };
  cover: ImageRef | null;
  authors: AuthorRef[];
  /** Approved comments, when the comments module is installed. */
  commentCount?: number;
}

export interface ArticleFull extends ArticleCard {
  status: ArticleStatus;
  revision: number;
  body: ArticleBody;
  bodyText: string;
  bodyImages: Map<number, ImageRef>;
  coverCaption: string;
  coverCredit: string;
  seoTitle: string;
  seoDescription: string;
  updatedAt: Date;
  sectionPath: Section[];
  tags: { id: number; slug: string; title: string }[];
  story: { id: number; slug: string; title: string } | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pages: number;
}

export interface NewArticle {
  type: ArticleType;
  status: ArticleStatus;
  sectionId: number;
  storyId?: number | null;
  title: string;
  lead: string;
  body: unknown;
  authorIds: number[];
  tagIds?: number[];
  relatedIds?: number[];
  coverImageId?: number | null;
  coverCaption?: string;
  coverCredit?: string;
  publishedAt?: Date | null;
  scheduledAt?: Date | null;
  seoTitle?: string;
  seoDescription?: string;
  createdBy?: number | null;
}

export const PAGE_SIZE = 20;

export function createContent({ db, media, clock, timezone, memo }: { db: Kysely<DB>; media: Media; clock: Clock; timezone: string; memo?: Memo }) {
  let tree: SectionTree | undefined;
  let similarity: ((articleId: number, limit: number) => Promise<number[]>) | undefined;
  let commentCounts: ((articleIds: number[]) => Promise<Map<number, number>>) | undefined;

  async function sections(): Promise<SectionTree> {
    tree ??= await SectionTree.load(db);
    return tree;
  }

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
    if (commentCounts) {
      const counts = await commentCounts(ids);
      for (const card of byId.values()) card.commentCount = counts.get(card.id) ?? 0;
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
    ...createEditing({ db, clock, timezone, sections, cards, invalidateSections: () => (tree = undefined) }),
    sections,
    cards,
    latestIds,
    invalidateSections() {
      tree = undefined;
    },

    async latest(opts: { sectionIds?: number[]; type?: ArticleType; limit: number; exclude?: number[] }): Promise<ArticleCard[]> {
      return cards(await latestIds(opts));
    },

    async sectionPage(section: Section, page: number): Promise<Page<ArticleCard>> {
      const ids = (await sections()).subtreeIds(section.id);
      return pageOf(published().where('a.section_id', 'in', ids), page);
    },

    async author(slug: string) {
      const row = await db.selectFrom('authors').selectAll().where('slug', '=', slug).executeTakeFirst();
      if (!row) return null;
      const photo = row.photo_id ? ((await media.get([row.photo_id])).get(row.photo_id) ?? null) : null;
      return { id: row.id, slug: row.slug, name: row.name, position: row.position, bio: row.bio, photo };
    },
    authorPage(authorId: number, page: number) {
      return pageOf(published().where('a.id', 'in', db.selectFrom('article_authors').select('article_id').where('author_id', '=', authorId)), page);
    },

    tag: (slug: string) => db.selectFrom('tags').selectAll().where('slug', '=', slug).executeTakeFirst(),
    tagPage(tagId: number, page: number) {
      return pageOf(published().where('a.id', 'in', db.selectFrom('article_tags').select('article_id').where('tag_id', '=', tagId)), page);
    },

    story: (slug: string) => db.selectFrom('stories').selectAll().where('slug', '=', slug).executeTakeFirst(),
    storyPage(storyId: number, page: number) {
      return pageOf(published().where('a.story_id', '=', storyId), page);
    },

    async sectionRedirect(oldSlug: string): Promise<Section | undefined> {
      const row = await db.selectFrom('section_redirects').select('section_id').where('old_slug', '=', oldSlug).executeTakeFirst();
      return row ? (await sections()).get(row.section_id) : undefined;
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

    isPublished(a: { status: ArticleStatus; publishedAt: Date }): boolean {
      return a.status === 'published' && a.publishedAt.getTime() <= clock.now().getTime();
    },

    /** Lets the comments module put its counts on article cards (one query per list). */
    setCommentCounts(fn: (articleIds: number[]) => Promise<Map<number, number>>) {
      commentCounts = fn;
    },

    /** Lets the search module rank articles by text similarity for «По теме». */
    setSimilarity(fn: (articleId: number, limit: number) => Promise<number[]>) {
      similarity = fn;
    },

    /**
     * «По теме»: the editor's picks in their order, then articles of the same
     * story, then those sharing most tags, then the closest by text (when search
     * is installed), then the same section; fresher first within each tier. Never
     * the article itself, never an unpublished one.
     */
    async related(article: { id: number; section: { id: number }; story: { id: number } | null }, limit = 5): Promise<ArticleCard[]> {
      const now = clock.now();
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
    allAuthors: () => db.selectFrom('authors').select(['slug', 'name']).orderBy('name').execute(),
    allTags: () => db.selectFrom('tags').select(['slug', 'title']).orderBy('title').execute(),
    allStories: () => db.selectFrom('stories').select(['slug', 'title']).orderBy('title').execute(),

    // ---------- writes used by the demo loader and the back office ----------

    async createSection(input: { slug?: string; title: string; parentId?: number | null; description?: string; position?: number }) {
      const row = await db
        .insertInto('sections')
        .values({ slug: input.slug ?? slugify(input.title), title: input.title, parent_id: input.parentId ?? null, description: input.description ?? '', position: input.position ?? 0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      tree = undefined;
      return row.id;
    },

    async createAuthor(input: { slug?: string; name: string; position?: string; bio?: string; photoId?: number | null; userId?: number | null }) {
      const row = await db
        .insertInto('authors')
        .values({ slug: input.slug ?? slugify(input.name), name: input.name, position: input.position ?? '', bio: input.bio ?? '', photo_id: input.photoId ?? null, user_id: input.userId ?? null })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async ensureTag(title: string, trx: Kysely<DB> = db): Promise<number> {
      const slug = slugify(title);
      await trx.insertInto('tags').values({ slug, title: title.trim().toLowerCase() }).onConflict((oc) => oc.column('slug').doNothing()).execute();
      return (await trx.selectFrom('tags').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
    },

    async createStory(input: { slug?: string; title: string; description?: string }) {
      const row = await db.insertInto('stories').values({ slug: input.slug ?? slugify(input.title), title: input.title, description: input.description ?? '' }).returning('id').executeTakeFirstOrThrow();
      return row.id;
    },

    /** Creates an article with its authors, tags, picks and first revision, in one transaction. */
    async createArticle(input: NewArticle): Promise<number> {
      const body = validateBody(input.body);
      return db.transaction().execute(async (trx: Transaction<DB>) => {
        const now = clock.now();
        const { id } = await trx
          .insertInto('articles')
          .values({
            type: input.type,
            status: input.status,
            section_id: input.sectionId,
            story_id: input.storyId ?? null,
            title: input.title,
            lead: input.lead,
            body: JSON.stringify(body),
            body_text: bodyText(body),
            cover_image_id: input.coverImageId ?? null,
            cover_caption: input.coverCaption ?? '',
            cover_credit: input.coverCredit ?? '',
            seo_title: input.seoTitle ?? '',
            seo_description: input.seoDescription ?? '',
            published_at: input.publishedAt ?? (input.status === 'published' ? now : null),
            scheduled_at: input.scheduledAt ?? null,
            created_by: input.createdBy ?? null,
            created_at: now,
            updated_at: input.publishedAt ?? now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        if (input.authorIds.length) await trx.insertInto('article_authors').values(input.authorIds.map((author_id, position) => ({ article_id: id, author_id, position }))).execute();
        if (input.tagIds?.length) await trx.insertInto('article_tags').values([...new Set(input.tagIds)].map((tag_id) => ({ article_id: id, tag_id }))).execute();
        if (input.relatedIds?.length) await trx.insertInto('article_related').values(input.relatedIds.map((related_id, position) => ({ article_id: id, related_id, position }))).execute();
        await trx.insertInto('article_revisions').values({ article_id: id, revision: 1, title: input.title, lead: input.lead, body: JSON.stringify(body), created_by: input.createdBy ?? null, created_at: now }).execute();
        return id;
      });
    },

    async setRelated(articleId: number, relatedIds: number[]) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('article_related').where('article_id', '=', articleId).execute();
        if (relatedIds.length) await trx.insertInto('article_related').values(relatedIds.map((related_id, position) => ({ article_id: articleId, related_id, position }))).execute();
      });
    },

    async countArticles(): Promise<number> {
      const r = await db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
export type Content = ReturnType<typeof createContent>;
