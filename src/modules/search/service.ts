// Search: keeps one document per published article (reindexed when an article
// changes) and answers Russian queries with morphology, ranking by relevance with a
// freshness boost, filters, paging, snippets and «Возможно, вы искали …».
import { sql, type Kysely } from 'kysely';
import type { DB, ArticleType } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { Content, ArticleCard } from '../content/index.js';
import { lemmaText, lemmasOf, queryLemmas, tsqueryText, words } from './lemmas.js';
import { snippet, type SnippetPart } from './snippets.js';
import './schema.js';

export const PAGE_SIZE = 10;
export const MAX_QUERY = 200;
/** Articles indexed per statement by a bulk indexing (backfill, `articles.changed`). */
export const INDEX_BATCH = 200;

export interface SearchParams {
  q: string;
  sectionIds?: number[];
  type?: ArticleType;
  authorId?: number;
  from?: Date;
  to?: Date;
  page: number;
}

export interface SearchHit {
  card: ArticleCard;
  snippet: SnippetPart[];
  score: number;
}

export interface SearchResult {
  total: number;
  page: number;
  pages: number;
  hits: SearchHit[];
  /** A corrected query when some words are unknown to the corpus. */
  suggestion: string | null;
}

export class SearchInputError extends Error {
  constructor(readonly key: 'search.error.tooLong' | 'search.error.noWords' | 'search.error.badRange') {
    super(key);
  }
}

export function createSearch({ db, clock, content }: { db: Kysely<DB>; clock: Clock; content: Content }) {
  /**
   * Indexes articles, many per statement: their documents in one insert, the words of
   * all of them in another, and those no longer published removed in a third (a bulk
   * import indexes hundreds at once; one article is the same path with a list of one).
   */
  async function indexMany(articleIds: number[]): Promise<void> {
    const ids = [...new Set(articleIds)];
    if (!ids.length) return;
    const now = clock.now();
    const live = (await content.indexTexts(ids)).filter((a) => content.isPublished(a, now));
    const liveIds = new Set(live.map((a) => a.id));
    const gone = ids.filter((id) => !liveIds.has(id));
    const rows = live.map((a) => ({
      article_id: a.id,
      section_id: a.sectionId,
      type: a.type,
      author_ids: a.authorIds,
      published_at: a.publishedAt,
      title: a.title,
      lead: a.lead,
      body: a.bodyText,
      document: sql<string>`setweight(to_tsvector('russian', ${lemmaText(a.title)}), 'A')
      || setweight(to_tsvector('russian', ${lemmaText(a.lead)}), 'B')
      || setweight(to_tsvector('russian', ${lemmaText(a.bodyText)}), 'C')`,
    }));
    // Sorted: two batches indexed at once insert their shared words in the same
    // order, so they cannot deadlock on search_words' unique index.
    const corpus = [...new Set(live.flatMap((a) => words(`${a.title} ${a.lead} ${a.bodyText}`).filter((w) => w.length >= 3 && !/\d/.test(w))))].sort();
    // The documents in article order, for the same reason.
    rows.sort((x, y) => x.article_id - y.article_id);
    const excluded = (column: string) => sql.ref(`excluded.${column}`);
    await db.transaction().execute(async (trx) => {
      if (gone.length) await trx.deleteFrom('search_documents').where('article_id', 'in', gone).execute();
      if (rows.length)
        await trx
          .insertInto('search_documents')
          .values(rows as never)
          .onConflict((oc) =>
            oc.column('article_id').doUpdateSet(Object.fromEntries(['section_id', 'type', 'author_ids', 'published_at', 'title', 'lead', 'body', 'document'].map((c) => [c, excluded(c)])) as never),
          )
          .execute();
      if (corpus.length) await sql`insert into search_words (word) select unnest(${corpus}::text[]) on conflict do nothing`.execute(trx);
    });
  }
  const index = (articleId: number) => indexMany([articleId]);

  return {
    index,
    indexMany,

    async remove(articleId: number) {
      await db.deleteFrom('search_documents').where('article_id', '=', articleId).execute();
    },

    /** Indexes published articles that have no document yet (first start, demo, restore). */
    async backfill(): Promise<number> {
      const published = await content.publishedSince(null, 1_000_000);
      const have = new Set((await db.selectFrom('search_documents').select('article_id').execute()).map((r) => r.article_id));
      const missing = published.filter((id) => !have.has(id));
      for (let i = 0; i < missing.length; i += INDEX_BATCH) await indexMany(missing.slice(i, i + INDEX_BATCH));
      return missing.length;
    },

    /** Validates and normalises a query; throws SearchInputError with a message key. */
    check(q: string, from?: Date, to?: Date): string[][] {
      if (q.length > MAX_QUERY) throw new SearchInputError('search.error.tooLong');
      const lemmas = queryLemmas(q).slice(0, 12);
      if (!lemmas.length) throw new SearchInputError('search.error.noWords');
      if (from && to && from > to) throw new SearchInputError('search.error.badRange');
      return lemmas;
    },

    async search(params: SearchParams): Promise<SearchResult> {
      const lemmas = this.check(params.q, params.from, params.to);
      const query = sql`to_tsquery('russian', ${tsqueryText(lemmas)})`;
      const now = clock.now();
      let q = db
        .selectFrom('search_documents as d')
        .select([
          'd.article_id',
          'd.body',
          'd.lead',
          sql<number>`ts_rank_cd(d.document, ${query}, 32) * (0.5 + 0.5 * exp(-greatest(0, extract(epoch from (${now}::timestamptz - d.published_at))) / 86400 / 30))`.as('score'),
          sql<number>`count(*) over ()`.as('total'),
        ])
        .where(sql<boolean>`d.document @@ ${query}`)
        .where('d.published_at', '<=', now);
      if (params.sectionIds) q = q.where('d.section_id', 'in', params.sectionIds);
      if (params.type) q = q.where('d.type', '=', params.type);
      if (params.authorId) q = q.where(sql<boolean>`${params.authorId}::int = any(d.author_ids)`);
      if (params.from) q = q.where('d.published_at', '>=', params.from);
      if (params.to) q = q.where('d.published_at', '<', params.to);
      const rows = await q
        .orderBy('score', 'desc')
        .orderBy('d.published_at', 'desc')
        .limit(PAGE_SIZE)
        .offset((params.page - 1) * PAGE_SIZE)
        .execute();
      const total = rows.length ? Number(rows[0]!.total) : 0;
      const cards = new Map((await content.cards(rows.map((r) => r.article_id))).map((c) => [c.id, c]));
      const wanted = new Set(lemmas.flat());
      const hits = rows
        .filter((r) => cards.has(r.article_id))
        .map((r) => ({ card: cards.get(r.article_id)!, score: Number(r.score), snippet: snippet(`${r.lead}\n\n${r.body}`, wanted) }));
      return { total, page: params.page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)), hits, suggestion: total === 0 ? await this.suggest(params.q) : null };
    },

    /**
     * Articles whose text is closest to this one's: its title's and lead's lemmas as
     * an OR query ranked against every document, fresher first among equals. For the
     * automatic part of «По теме».
     */
    async similar(articleId: number, limit: number): Promise<number[]> {
      const doc = await db.selectFrom('search_documents').select(['title', 'lead']).where('article_id', '=', articleId).executeTakeFirst();
      if (!doc) return [];
      // Nouns and the like carry the topic; very short words are mostly noise.
      const lemmas = [...new Set(queryLemmas(`${doc.title} ${doc.lead}`).flat().filter((l) => l.length > 3))].slice(0, 24);
      if (!lemmas.length) return [];
      const query = sql`to_tsquery('russian', ${lemmas.join(' | ')})`;
      const rows = await db
        .selectFrom('search_documents as d')
        .select('d.article_id')
        .where(sql<boolean>`d.document @@ ${query}`)
        .where('d.article_id', '<>', articleId)
        .where('d.published_at', '<=', clock.now())
        .orderBy(sql`ts_rank_cd(d.document, ${query}, 32)`, 'desc')
        .orderBy('d.published_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => r.article_id);
    },

    /** The query with each word the corpus lacks replaced by its closest known word. */
    async suggest(q: string): Promise<string | null> {
      const original = words(q);
      let changed = false;
      const out: string[] = [];
      for (const w of original) {
        const known = await db.selectFrom('search_words').select('word').where('word', 'in', [w, ...lemmasOf(w)]).executeTakeFirst();
        if (known || w.length < 3) {
          out.push(w);
          continue;
        }
        const close = await sql<{ word: string }>`select word from search_words where word % ${w} order by similarity(word, ${w}) desc, word limit 1`.execute(db);
        const best = close.rows[0]?.word;
        if (best) {
          out.push(best);
          changed = true;
        } else out.push(w);
      }
      return changed ? out.join(' ') : null;
    },
  };
}
export type Search = ReturnType<typeof createSearch>;
