// Forum search in Russian (issue 12): topics and posts with the portal's morphology
// (the search module's `az` lemmas, so «трамвай» finds «трамваями»), words of two
// letters («ЖК», «ТЦ»), «ё» as «е», and abbreviations in capitals that the
// `russian` configuration would drop as stop words («ТО», «IT»); filters by board,
// author and date; results grouped by topic, each with its best matching post and
// that post's snippet.
//
// The index is `forum_search_posts` (0501_forum_search.sql): a row per post, kept
// in step with the posts' and topics' status, board and author by triggers, its
// text lemmatized here. Writes leave a row pending; `index`/`indexTopic` bring it up
// to date right after the write, `backfill` catches up with whatever was missed.
//
// A search reads at most WINDOW matching posts, newest first: the query is asked
// of one time slice after another (the last 8 days, the rest of the last 64, 512,
// 4096 days, then everything older), every slice and filter being tokens in the
// same GIN index as the words, and stops once it has WINDOW posts. So a common
// word costs no more than a rare one — the index narrows it to a slice, and the
// table is read only for the posts that are ranked — and the ranking (relevance,
// the title counting most, with a boost for fresh posts) is over those posts.
import { sql, type ColumnType, type Generated, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { batchWhileBusy } from '../../platform/batch.js';
import type { Clock } from '../../platform/clock.js';
import { lemmasOf, lemmaText, loadMorphology, normalize, snippet, type SnippetPart } from '../search/index.js';
import { postText } from './markdown.js';
import './schema.js';

export interface ForumSearchPostsTable {
  post_id: number;
  topic_id: number;
  board_id: number;
  author_id: number | null;
  number: number;
  created_at: ColumnType<Date, Date | string, Date | string>;
  visible: boolean;
  version: Generated<number>;
  indexed: Generated<number>;
  pending: ColumnType<boolean, never, never>;
  document: ColumnType<string | null, never, never>;
}

declare module '../../db/schema.js' {
  interface DB {
    forum_search_posts: ForumSearchPostsTable;
  }
}

export const TOPICS_PER_PAGE = 20;
export const MAX_QUERY = 200;
const MAX_WORDS = 12;
/** The newest matching posts a search ranks and groups. */
export const WINDOW = 1000;
/** Pages there can be: WINDOW posts make at most this many pages of topics. */
export const MAX_PAGE = WINDOW / TOPICS_PER_PAGE;
const BATCH = 500;
const DAY_MS = 86_400_000;
/** The sizes of the day tokens, as powers of two (forum_search_tokens). */
const LEVELS = [12, 9, 6, 3, 0];
/** Fresh posts rank higher: a post loses half its boost in about two months. */
const FRESH_DAYS = 90;

const WORD = /[\p{L}\p{N}]+/gu;
/** A word written in capitals (and digits), 2–6 long: an abbreviation, indexed as it is. */
const ABBR = /^(?=.*\p{Lu})[\p{Lu}\p{N}]{2,6}$/u;

export class ForumSearchInputError extends Error {
  constructor(readonly key: 'forum.search.error.tooLong' | 'forum.search.error.noWords' | 'forum.search.error.badRange') {
    super(key);
  }
}

export interface ForumSearchParams {
  q: string;
  /** A board and, for a category, its boards. */
  boardIds?: number[];
  authorId?: number;
  /** From the start of this instant's UTC day. */
  from?: Date;
  /** Up to this instant, exclusive (the route gives the midnight after the last day). */
  to?: Date;
  page: number;
}

export interface ForumSearchHit {
  topicId: number;
  topicTitle: string;
  topicSlug: string;
  boardId: number;
  /** The topic's best matching post. */
  postId: number;
  number: number;
  authorId: number | null;
  createdAt: Date;
  score: number;
  /** The topic's title with the asked words marked. */
  title: SnippetPart[];
  /** A piece of the post around the first asked word, the words marked. */
  snippet: SnippetPart[];
  /** How many of the ranked posts are in this topic. */
  posts: number;
}

export interface ForumSearchResult {
  /** Topics found among the ranked posts. */
  total: number;
  /** More posts match than were ranked (WINDOW): the newest ones were. */
  more: boolean;
  /** Every word of the query is a stop word («и», «то»): nothing to look for. */
  commonOnly: boolean;
  page: number;
  pages: number;
  hits: ForumSearchHit[];
}

interface QueryWord {
  lemmas: string[];
  /** The word as an abbreviation, when written in capitals. */
  abbr: string | null;
}

const quote = (lexeme: string) => `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
const dayOf = (at: Date | number) => Math.floor((typeof at === 'number' ? at : at.getTime()) / DAY_MS);

/** The abbreviations of a text, lower-cased with «ё» as «е», for the `simple` configuration. */
export function abbreviations(text: string): string {
  return (text.match(WORD) ?? []).filter((w) => ABBR.test(w)).map(normalize).join(' ');
}

/** The words of a query with their lemmas, and as abbreviations when in capitals. */
export function queryWords(q: string): QueryWord[] {
  return (q.match(WORD) ?? []).slice(0, MAX_WORDS).map((w) => ({ lemmas: lemmasOf(w), abbr: ABBR.test(w) ? normalize(w) : null }));
}

/**
 * Days [lo, hi] as aligned blocks of the day tokens, the biggest that fit: the
 * tsquery alternatives of a time slice.
 */
export function dayTokens(lo: number, hi: number): string[] {
  const out: string[] = [];
  for (let day = lo; day <= hi; ) {
    const k = LEVELS.find((l) => day % 2 ** l === 0 && day + 2 ** l - 1 <= hi) ?? 0;
    out.push(`_t${k}_${Math.floor(day / 2 ** k)}`);
    day += 2 ** k;
  }
  return out;
}

/** Days [lo, hi] cut into slices, newest first: what is left of hi's block of 8 days, of 64, 512, 4096, then the rest. */
export function timeSlices(lo: number, hi: number): [number, number][] {
  const out: [number, number][] = [];
  let end = hi;
  for (const k of [3, 6, 9, 12, Infinity]) {
    if (end < lo) break;
    const start = k === Infinity ? lo : Math.max(lo, Math.floor(hi / 2 ** k) * 2 ** k);
    if (start <= end) out.push([start, end]);
    end = Math.min(end, start - 1);
  }
  return out;
}

/**
 * A piece of text around its first match, the matching words marked: the search
 * module's snippet, with the forum's own idea of a match (an abbreviation in
 * capitals matches only as such, not every «то» of the text).
 */
export function highlight(source: string, match: (word: string) => boolean, length = 240): SnippetPart[] {
  return snippet(source, match, length);
}

interface PendingRow {
  post_id: number;
  version: number;
  number: number;
  body: string;
  title: string;
}

interface WindowRow {
  post_id: number;
  topic_id: number;
  number: number;
  created_at: Date;
  rank: number;
}

export function createForumSearch({ db, clock }: { db: Kysely<DB>; clock: Clock }) {
  // ---------- indexing ----------

  /** Lemmatizes rows read together with their version; a row changed meanwhile stays pending. */
  async function write(rows: PendingRow[]): Promise<void> {
    if (!rows.length) return;
    await loadMorphology();
    const ids: number[] = [];
    const versions: number[] = [];
    const titles: string[] = [];
    const titleAbbr: string[] = [];
    const bodies: string[] = [];
    const bodyAbbr: string[] = [];
    for (const r of rows) {
      const title = r.number === 1 ? r.title : '';
      const body = postText(r.body);
      ids.push(r.post_id);
      versions.push(r.version);
      titles.push(lemmaText(title));
      titleAbbr.push(abbreviations(title));
      bodies.push(lemmaText(body));
      bodyAbbr.push(abbreviations(body));
    }
    await sql`
      update forum_search_posts s set
        document = setweight(to_tsvector('russian', v.title) || to_tsvector('simple', v.title_abbr), 'A')
          || to_tsvector('russian', v.body) || to_tsvector('simple', v.body_abbr)
          || array_to_tsvector(forum_search_tokens(s.board_id, s.author_id, s.created_at)),
        indexed = v.version
      from unnest(${ids}::int[], ${versions}::int[], ${titles}::text[], ${titleAbbr}::text[], ${bodies}::text[], ${bodyAbbr}::text[]) as v(post_id, version, title, title_abbr, body, body_abbr)
      where s.post_id = v.post_id and s.version = v.version`.execute(db);
  }

  /**
   * Pending rows where asked, past `after` in post id order, with the text they are
   * made from, read in one statement (so the version matches the text). The rows
   * are found first and joined after: a join planned over the whole table would
   * walk the posts from the start on every batch.
   */
  async function pending(where: { postIds?: readonly number[]; topicId?: number }, after: number, limit: number): Promise<PendingRow[]> {
    const only = where.postIds !== undefined ? sql`and post_id = any(${[...where.postIds]}::int[])` : where.topicId !== undefined ? sql`and topic_id = ${where.topicId}` : sql``;
    const { rows } = await sql<PendingRow>`
      select s.post_id, s.version, s.number, p.body, t.title
      from (
        select post_id, version, number, topic_id from forum_search_posts
        where pending and post_id > ${after} ${only}
        order by post_id
        limit ${limit}
      ) s
      join forum_posts p on p.id = s.post_id
      join forum_topics t on t.id = s.topic_id
      order by s.post_id`.execute(db);
    return rows;
  }

  /** Indexes what is pending where asked, a batch at a time, for at most `budgetMs`; the number indexed. */
  async function catchUp(where: { postIds?: readonly number[]; topicId?: number }, budgetMs = Infinity): Promise<number> {
    const until = Date.now() + budgetMs;
    let done = 0;
    let after = 0;
    for (;;) {
      const rows = await pending(where, after, BATCH);
      await write(rows);
      done += rows.length;
      if (rows.length < BATCH || Date.now() > until) return done;
      after = rows.at(-1)!.post_id;
    }
  }

  /** The ids of archived boards, left out of every search. */
  async function archivedBoards(): Promise<number[]> {
    const { rows } = await sql<{ id: number }>`select id from forum_boards where archived_at is not null`.execute(db);
    return rows.map((r) => r.id);
  }

  // The stemmed lexemes of lemmas, as the documents have them ('трамвай' → 'трамва'); none for a stop word.
  const lexemeCache = new Map<string, string[]>();
  async function lexemesOf(lemmas: string[]): Promise<Map<string, string[]>> {
    const missing = [...new Set(lemmas)].filter((l) => !lexemeCache.has(l));
    if (missing.length) {
      const { rows } = await sql<{ lemma: string; lexemes: string[] }>`select l as lemma, tsvector_to_array(to_tsvector('russian', l)) as lexemes from unnest(${missing}::text[]) as l`.execute(db);
      if (lexemeCache.size > 50_000) lexemeCache.clear();
      for (const r of rows) lexemeCache.set(r.lemma, r.lexemes);
    }
    return new Map(lemmas.map((l) => [l, lexemeCache.get(l) ?? []]));
  }

  return {
    /** Brings a post's row up to date (after it was written, edited or approved). */
    index: batchWhileBusy(async (postIds: readonly number[]) => {
      // New posts of many replies at once under load: one read, one write.
      await catchUp({ postIds });
      return postIds.map(() => undefined);
    }),

    /**
     * A new reply's row, from the text the caller just wrote: one statement for many
     * replies, no read of the posts first. The row is written only if the post still
     * holds that text (an edit meanwhile leaves it to `index`, asked here at once).
     */
    indexReply: batchWhileBusy(async (replies: readonly { postId: number; body: string }[]) => {
      await loadMorphology();
      const ids = replies.map((r) => r.postId);
      const texts = replies.map((r) => postText(r.body));
      const { rows } = await sql<{ post_id: number }>`
        update forum_search_posts s set
          document = to_tsvector('russian', v.body) || to_tsvector('simple', v.body_abbr)
            || array_to_tsvector(forum_search_tokens(s.board_id, s.author_id, s.created_at)),
          indexed = s.version
        from unnest(${ids}::int[], ${replies.map((r) => r.body)}::text[], ${texts.map(lemmaText)}::text[], ${texts.map(abbreviations)}::text[]) as v(post_id, source, body, body_abbr),
          forum_posts p
        where s.post_id = v.post_id and p.id = v.post_id and p.body = v.source and s.number > 1 and s.pending
        returning s.post_id`.execute(db);
      const done = new Set(rows.map((r) => r.post_id));
      const left = ids.filter((id) => !done.has(id));
      if (left.length) await catchUp({ postIds: left });
      return replies.map(() => undefined);
    }),

    /** Brings a topic's rows up to date (an edit, a new title, an imported topic). */
    async indexTopic(topicId: number): Promise<void> {
      await catchUp({ topicId });
    },

    /** After the forums' pages were purged with these tags: the topics they name, up to date. */
    async refresh(tags: string[]): Promise<void> {
      for (const tag of tags) {
        const m = /^forum-topic:(\d+)$/.exec(tag);
        if (m) await catchUp({ topicId: Number(m[1]) });
      }
    },

    /** Whatever is pending, for at most `budgetMs` (the periodic job, a restore, the benchmark); the number indexed. */
    backfill(budgetMs = 20_000): Promise<number> {
      return catchUp({}, budgetMs);
    },

    /** Rows for posts that have none (a restore of a backup made before this index); they start pending. */
    async addMissing(): Promise<number> {
      // Counting is cheap (index-only scans); the anti-join over every post is not.
      const { rows } = await sql<{ missing: boolean }>`select (select count(*) from forum_posts) > (select count(*) from forum_search_posts) as missing`.execute(db);
      if (!rows[0]?.missing) return 0;
      const result = await sql`
        insert into forum_search_posts (post_id, topic_id, board_id, author_id, number, created_at, visible)
        select p.id, p.topic_id, t.board_id, p.author_id, p.number, p.created_at, p.status = 'published' and t.status = 'visible'
        from forum_posts p
        join forum_topics t on t.id = p.topic_id
        where not exists (select 1 from forum_search_posts s where s.post_id = p.id)
        on conflict (post_id) do nothing`.execute(db);
      return Number(result.numAffectedRows ?? 0);
    },

    /** Validates a query; throws ForumSearchInputError with a message key. */
    check(q: string, from?: Date, to?: Date): QueryWord[] {
      if ([...q].length > MAX_QUERY) throw new ForumSearchInputError('forum.search.error.tooLong');
      const words = queryWords(q);
      if (!words.length) throw new ForumSearchInputError('forum.search.error.noWords');
      if (from && to && from >= to) throw new ForumSearchInputError('forum.search.error.badRange');
      return words;
    },

    async search(params: ForumSearchParams): Promise<ForumSearchResult> {
      await loadMorphology();
      const words = this.check(params.q, params.from, params.to);
      const empty = (commonOnly: boolean): ForumSearchResult => ({ total: 0, more: false, commonOnly, page: params.page, pages: 1, hits: [] });
      if (params.boardIds && !params.boardIds.length) return empty(false);

      // Each word: its lemmas' lexemes, or its abbreviation; a stop word asks nothing.
      const lexemes = await lexemesOf(words.flatMap((w) => w.lemmas));
      const wantedLemmas = new Set<string>();
      const wantedAbbr = new Set<string>();
      const parts: string[] = [];
      for (const w of words) {
        const alternatives = new Set<string>();
        for (const lemma of w.lemmas) {
          const lex = lexemes.get(lemma) ?? [];
          if (!lex.length) continue;
          wantedLemmas.add(lemma);
          alternatives.add(lex.length === 1 ? quote(lex[0]!) : `( ${lex.map(quote).join(' & ')} )`);
        }
        if (w.abbr) {
          wantedAbbr.add(w.abbr);
          alternatives.add(quote(w.abbr));
        }
        if (alternatives.size) parts.push(`( ${[...alternatives].join(' | ')} )`);
      }
      if (!parts.length) return empty(true);
      const wordsQuery = parts.join(' & ');

      const filters: string[] = [];
      if (params.boardIds) filters.push(`( ${params.boardIds.map((id) => quote(`_b${id}`)).join(' | ')} )`);
      else for (const id of await archivedBoards()) filters.push(`!${quote(`_b${id}`)}`);
      if (params.authorId !== undefined) filters.push(quote(`_a${params.authorId}`));

      const now = clock.now().getTime();
      const lo = params.from ? dayOf(params.from) : 0;
      // A day ahead of the clock: an instance whose clock runs a little behind still sees the newest posts.
      const hi = params.to ? dayOf(params.to.getTime() - 1) : dayOf(now) + 1;
      if (lo > hi) return empty(false);
      const slices = timeSlices(lo, hi).map(([a, b]) => [wordsQuery, ...filters, `( ${dayTokens(a, b).map(quote).join(' | ')} )`].join(' & '));

      // Newest slice first; each stops reading the table once the window is full.
      const selects = slices.map((q) => sql`(select post_id, topic_id, number, created_at, document from forum_search_posts where visible and document @@ ${q}::tsquery limit ${WINDOW})`);
      const { rows } = await sql<WindowRow>`
        select post_id, topic_id, number, created_at, ts_rank_cd(document, ${wordsQuery}::tsquery, 32) as rank
        from (${sql.join(selects, sql` union all `)}) w
        limit ${WINDOW}`.execute(db);

      // The best post of each topic; topics by their best post.
      const best = new Map<number, { row: WindowRow; score: number; posts: number }>();
      for (const row of rows) {
        const age = Math.max(0, now - new Date(row.created_at).getTime()) / DAY_MS;
        const score = Number(row.rank) * (0.5 + 0.5 * Math.exp(-age / FRESH_DAYS));
        const held = best.get(row.topic_id);
        if (!held) best.set(row.topic_id, { row, score, posts: 1 });
        else {
          held.posts++;
          if (score > held.score || (score === held.score && row.number < held.row.number)) Object.assign(held, { row, score });
        }
      }
      const topics = [...best.values()].sort((a, b) => b.score - a.score || new Date(b.row.created_at).getTime() - new Date(a.row.created_at).getTime() || b.row.post_id - a.row.post_id);
      const total = topics.length;
      const shown = topics.slice((params.page - 1) * TOPICS_PER_PAGE, params.page * TOPICS_PER_PAGE);

      const match = (word: string) => lemmasOf(word).some((l) => wantedLemmas.has(l)) || (ABBR.test(word) && wantedAbbr.has(normalize(word)));
      const details = new Map<number, { body: string; author_id: number | null; created_at: Date; title: string; slug: string; board_id: number }>();
      if (shown.length) {
        const ids = shown.map((t) => t.row.post_id);
        const { rows: found } = await sql<{ id: number; body: string; author_id: number | null; created_at: Date; title: string; slug: string; board_id: number }>`
          select p.id, p.body, p.author_id, p.created_at, t.title, t.slug, t.board_id
          from forum_posts p
          join forum_topics t on t.id = p.topic_id
          where p.id = any(${ids}::int[])`.execute(db);
        for (const r of found) details.set(r.id, r);
      }
      const hits = shown.flatMap((t): ForumSearchHit[] => {
        const d = details.get(t.row.post_id);
        if (!d) return [];
        return [
          {
            topicId: t.row.topic_id,
            topicTitle: d.title,
            topicSlug: d.slug,
            boardId: d.board_id,
            postId: t.row.post_id,
            number: t.row.number,
            authorId: d.author_id,
            createdAt: new Date(d.created_at),
            score: t.score,
            title: highlight(d.title, match, 1000),
            snippet: highlight(postText(d.body), match),
            posts: t.posts,
          },
        ];
      });
      return { total, more: rows.length >= WINDOW, commonOnly: false, page: params.page, pages: Math.max(1, Math.ceil(total / TOPICS_PER_PAGE)), hits };
    },
  };
}

export type ForumSearch = ReturnType<typeof createForumSearch>;
