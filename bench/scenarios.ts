// What `npm run bench` measures: one row per scenario — a name, a line on what it
// shows, the request wrk repeats (built once the portal is up, from the fixtures
// bench/fixtures.ts made), the bare-server group its req/s is divided by, and its
// goal from the issues.
import crypto from 'node:crypto';
import { READER_COOKIE, signReaderId } from '../src/platform/reader.js';
import type { Fixtures } from './fixtures.js';
import type { LoadRequest } from './wrk.js';
import { searchPath, searchQueries } from './search.js';
import { HOT_WRITERS, postBody, random } from './forum-fixtures.js';

export interface BenchContext {
  /** The portal's base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Path of the newest demo article (from /rss.xml). */
  articlePath: string;
  fixtures: Fixtures;
  /** A signed CSRF token and the cookie that carries it, as the comments island gets them. */
  csrf: { token: string; cookie: string };
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

// Enough new readers for a run of reaction writes at several thousand a second.
const WRITERS_PER_RUN = 100_000;
// Issued two days before: readers who read the portal for a while (older than the
// new-reader cap's day, platform/reader-cap.ts) and now react, as most do.
const WRITER_AGE_MS = 2 * 86_400_000;

/** Cookie headers of n new readers, each with the CSRF cookie: browsers an earlier page view gave their reader cookie. */
export function newReaders(ctx: BenchContext, n: number): string[] {
  const issuedAt = Date.now() - WRITER_AGE_MS;
  return Array.from({ length: n }, () => `${ctx.csrf.cookie}; ${READER_COOKIE}=${signReaderId(ctx.fixtures.secret, crypto.randomUUID(), issuedAt)}`);
}

/** A request relative to the portal: the runner turns `path` into a full URL. */
export type Target = Omit<LoadRequest, 'url'> & { path: string };

export interface Goal {
  /** req/s at least this share of the bare server's in the same run. */
  minRatio?: number;
  /** req/s at least this. */
  minRps?: number;
  /** The goal holds on this database only (elsewhere the row says so). */
  only?: 'PostgreSQL';
  /** For writes: and the stored counts are exact (see the runner's check). */
  exactCounts?: boolean;
  /** The p95 of the scenario's request sent one at a time (the runner's sequential probe) below this many ms. */
  maxP95Ms?: number;
  source: string;
}

export interface Scenario {
  name: string;
  about: string;
  target(ctx: BenchContext): Target;
  /** Scenarios with the same key share one bare-server run, shaped like the first one's answer. */
  baseline: string;
  /** The page cache should answer it (the runner checks `x-cache: hit` before measuring). */
  expectCacheHit?: boolean;
  /** Reaction writes: the runner counts answers and checks the stored counts afterwards. */
  writesTo?(ctx: BenchContext): number;
  /** Forum replies to these reply topics of the fixtures: the runner counts answers and checks the stored posts and counts afterwards. */
  forumWrites?: 'load' | 'hot';
  /** Before the load: this many requests one at a time (after one not counted), for p50/p95 as one reader waits. */
  sequential?: number;
  goal?: Goal;
}

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
const KINDS = ['LIKE', 'HAPPY', 'SURPRISED', 'ANGRY', 'SAD'];

/**
 * A GET an island makes after the page loads: 1,000 readers' cookies, each with the
 * CSRF cookie the page's first call gave that browser, the 200 newest articles in turn.
 */
const islandGet =
  (pathOf: (articleId: number, n: number, all: number[]) => string) =>
  (ctx: BenchContext): Target => {
    const ids = ctx.fixtures.beaconArticleIds;
    const paths = [...new Set(ids.map((id, n) => pathOf(id, n, ids)))];
    const cookies = ctx.fixtures.readerCookies.map((reader) => `${ctx.csrf.cookie}; ${reader}`);
    return { path: paths[0]!, paths, headers: { accept: 'application/json', 'user-agent': BROWSER }, cookies };
  };

/**
 * The reader-state call as an article page makes it: the article, the six other
 * articles the page shows (ТОП 5, «По теме»), and the browser's own reading list
 * (client/history.ts), 0 to 30 articles long.
 */
const readerStatePath = (id: number, n: number, all: number[]) => {
  const others = all.filter((other) => other !== id);
  const shown = others.slice(n % 50, (n % 50) + 6);
  const read = others.slice(100 - (n % 31), 100);
  return `/api/reader-state?article=${id}&shown=${shown.join(',')}&read=${read.join(',')}`;
};

/** The mark wrk replaces in every reply with its own `<run>-<thread>-<n>` (wrk.ts uniqueBody). */
export const UNIQUE_MARK = '@@UNIQUE@@';

/**
 * Bodies of forum replies as the topic page's reply box posts them, `perTopic` for
 * each topic in turn (body j replies in topics[j % topics.length]), every other one
 * quoting one of the topic's first posts; each ends with a mark that makes every
 * request's text its own.
 */
export function forumReplyBodies(ctx: BenchContext, topics: number[], perTopic: number, seed: number): string[] {
  const rand = random(seed);
  return Array.from({ length: topics.length * perTopic }, (_, j) => {
    const quotable = ctx.fixtures.forum.quotable[topics[j % topics.length]!] ?? [];
    const quote = j % 2 === 1 && quotable.length ? quotable[j % quotable.length] : undefined;
    return JSON.stringify({ body: `${postBody(rand, quote)} (${UNIQUE_MARK})` });
  });
}

/** A forum reply request: writers' sessions with the CSRF cookie, the CSRF header, a new address each. */
const forumReplies = (ctx: BenchContext, topics: number[], writers: string[], bodies: string[]): Target => {
  const paths = topics.map((id) => `/api/forum/topics/${id}/posts`);
  return {
    path: paths[0]!,
    paths,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': ctx.csrf.token, 'user-agent': BROWSER },
    // Writer w is a regular of topic w % 50: the lists' lengths are multiples of the
    // topics', so wrk (which takes the n-th of each list) sends each writer's replies
    // to their own topic.
    cookies: writers.map((session) => `${ctx.csrf.cookie}; ${session}`),
    bodies,
    uniqueBody: UNIQUE_MARK,
    forwardedFor: true,
    countResponses: true,
  };
};

export const scenarios: Scenario[] = [
  {
    name: 'article (cached)',
    about: 'the newest article page, answered from the page cache after the first hit',
    target: (ctx) => ({ path: ctx.articlePath }),
    baseline: 'article',
    expectCacheHit: true,
    goal: { minRatio: 0.7, source: 'issue 6' },
  },
  {
    name: 'article (uncached)',
    about: 'the same page with a unique ?b=… on every request: every request misses the cache and renders from the database',
    target: (ctx) => ({ path: ctx.articlePath, uniqueQuery: true }),
    baseline: 'article',
    goal: { minRps: 1000, only: 'PostgreSQL', source: 'issue 6' },
  },
  {
    name: 'home (cached)',
    about: 'the home page, answered from the page cache after the first hit',
    target: () => ({ path: '/' }),
    baseline: 'home',
    expectCacheHit: true,
  },
  {
    name: 'reaction writes',
    about: 'PUT /api/articles/:id/reaction on one article, each request a new reader (a reader cookie an earlier page view gave it, made fresh for every run) from another address (X-Forwarded-For), the five kinds in turn, with the CSRF cookie and header: every request stores a reaction',
    target: (ctx) => ({
      path: `/api/articles/${ctx.fixtures.reactionArticleIds.load}/reaction`,
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-csrf-token': ctx.csrf.token, 'user-agent': BROWSER },
      cookies: () => newReaders(ctx, WRITERS_PER_RUN),
      uniqueCookies: true,
      bodies: KINDS.map((kind) => JSON.stringify({ kind })),
      forwardedFor: true,
      countResponses: true,
    }),
    writesTo: (ctx) => ctx.fixtures.reactionArticleIds.load,
    baseline: 'reaction',
    goal: { minRps: 2000, only: 'PostgreSQL', exactCounts: true, source: 'issue 6' },
  },
  {
    name: 'comment list',
    about: 'GET /api/articles/:id/comments (JSON, not cached): the first page of threads with their replies, on an article with 1,000 comments',
    target: (ctx) => ({ path: `/api/articles/${ctx.fixtures.commentsArticleId}/comments` }),
    baseline: 'comments',
  },
  {
    name: 'reaction bar',
    about: 'GET /api/articles/:id/reaction as the reaction bar asks after the page loads (the counts and the reader’s own reaction, never cached): 1,000 readers (signed reader cookies) × the 200 newest articles in turn',
    target: islandGet((id) => `/api/articles/${id}/reaction`),
    baseline: 'island',
  },
  {
    name: 'account corner',
    about: 'GET /api/me as the header asks on every page (who is signed in, and a CSRF token): 1,000 readers not signed in (signed reader cookies), no database work',
    target: islandGet(() => '/api/me'),
    baseline: 'island',
  },
  {
    name: 'comment island',
    about: 'GET /api/articles/:id/comments/me as the comments island asks on every article page (may this reader comment, their votes): 1,000 readers not signed in (signed reader cookies) × the 200 newest articles in turn',
    target: islandGet((id) => `/api/articles/${id}/comments/me`),
    baseline: 'island',
  },
  {
    name: 'recommendations',
    about: 'GET /api/recommendations?exclude=:id as the «Рекомендуем» island asks on an article page (for this reader, never cached): 1,000 readers (signed reader cookies) × the 200 newest articles in turn',
    target: islandGet((id) => `/api/recommendations?exclude=${id}`),
    baseline: 'island',
  },
  {
    name: 'reader state',
    about: 'GET /api/reader-state?article=:id&shown=…&read=…, the one call an article page makes after load for every island (account corner, reaction bar, comment island, «Рекомендуем»), answered by its front door: 1,000 readers not signed in (signed reader and CSRF cookies; they read, and have not reacted or voted, as most readers; their browsers send their reading lists, 0–30 articles) × the 200 newest articles in turn. An article view is the cached page plus this call: views/s = 1 / (1/page + 1/state)',
    target: islandGet(readerStatePath),
    baseline: 'island',
  },
  {
    name: 'beacon ingest',
    about: 'POST /api/views as article pages send it: 1,000 readers (signed reader cookies) × the 200 newest articles in turn, each from another address; answered 204',
    target: (ctx) => ({
      path: '/api/views',
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ctx.url, 'sec-fetch-site': 'same-origin', 'user-agent': BROWSER },
      bodies: ctx.fixtures.beaconArticleIds.map((articleId) => JSON.stringify({ articleId })),
      cookies: ctx.fixtures.readerCookies,
      forwardedFor: true,
    }),
    baseline: 'beacon',
    goal: { minRps: 10_000, source: 'issue 5' },
  },
  {
    name: 'forum topic (cached)',
    about: 'page 125 of 250 of a forum topic of 5,000 posts (bench/forum-fixtures.ts: 20 posts, some quoting earlier ones, some with bold), answered from the page cache after the first hit',
    target: (ctx) => ({ path: `${ctx.fixtures.forum.longTopic.path}?page=${ctx.fixtures.forum.longTopic.page}` }),
    baseline: 'forum topic',
    expectCacheHit: true,
    goal: { minRatio: 0.8, source: 'issue 12' },
  },
  {
    name: 'forum topic (uncached)',
    about: 'the same page with a unique &b=… on every request: every request misses the cache and renders its 20 posts from the database (the posts, their quotes\' sources, authors, likes)',
    target: (ctx) => ({ path: `${ctx.fixtures.forum.longTopic.path}?page=${ctx.fixtures.forum.longTopic.page}`, uniqueQuery: true }),
    baseline: 'forum topic',
    goal: { minRps: 1500, only: 'PostgreSQL', source: 'issue 12' },
  },
  {
    name: 'forum replies',
    about: 'POST /api/forum/topics/:id/posts (JSON {"body"}) into 50 topics of a board, by 500 signed-in writers (new accounts, the flood limits off as an operator sets them), each a regular of one topic who watches it with its nine other regulars (a reply notifies them); texts of a few sentences, every other one quoting an earlier post, each request\'s text its own; a new address each; every answer 201 adds a numbered post',
    target: (ctx) => forumReplies(ctx, ctx.fixtures.forum.replyTopics.load, ctx.fixtures.forum.writerSessions, forumReplyBodies(ctx, ctx.fixtures.forum.replyTopics.load, 4, 56)),
    forumWrites: 'load',
    baseline: 'forum reply',
    goal: { minRps: 500, only: 'PostgreSQL', exactCounts: true, source: 'issue 12' },
  },
  {
    name: 'forum replies (hot topic)',
    about: 'the same replies, all 50 connections into one topic by its 20 regulars: every reply waits for the topic row (the lock that numbers its posts)',
    target: (ctx) => {
      const hot = ctx.fixtures.forum.replyTopics.hot;
      return forumReplies(ctx, [hot], ctx.fixtures.forum.writerSessions.slice(0, HOT_WRITERS), forumReplyBodies(ctx, [hot], HOT_WRITERS, 78));
    },
    forumWrites: 'hot',
    baseline: 'forum reply',
  },
  {
    name: 'forum unread',
    about: '«Непрочитанные» (GET /forum/unread/, never cached) of a signed-in reader who follows 200 topics, 120 of them with unread posts (the page lists 50), and visited 62 more; p95 measured one request at a time before the load',
    target: (ctx) => ({ path: '/forum/unread/', headers: { 'user-agent': BROWSER }, cookies: [`${ctx.csrf.cookie}; ${ctx.fixtures.forum.reader.session}`] }),
    sequential: 200,
    baseline: 'forum unread',
    goal: { maxP95Ms: 20, source: 'issue 12' },
  },
  {
    name: 'search',
    about: 'GET /api/search over 20,000 generated Russian articles: the 16 queries of bench/search.ts in turn (words in several forms, two words, misspellings, filters, page 3)',
    target: (ctx) => {
      const paths = searchQueries(ctx.fixtures.search).map(searchPath);
      return { path: paths[0]!, paths };
    },
    baseline: 'search',
  },
];
