// What `npm run bench` measures: one row per scenario. Later issues add rows here
// (reaction writes, the comment list, beacon ingest, search): a name, a line on what
// it shows, how to build the request once the portal is up, and which bare-server
// baseline its req/s is divided by.
import type { LoadRequest } from './wrk.js';

export interface BenchContext {
  /** The portal's base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Path of the newest demo article (from /rss.xml). */
  articlePath: string;
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

/** A request relative to the portal: the runner turns `path` into a full URL. */
export type Target = Omit<LoadRequest, 'url'> & { path: string };

export interface Baseline {
  /** Shown in the table: "bare (<label>)". */
  label: string;
  /** The body the bare server answers with: its size in bytes and whether it is JSON. */
  body(ctx: BenchContext): Promise<{ bytes: number; json?: boolean }>;
}

export interface Scenario {
  name: string;
  about: string;
  target(ctx: BenchContext): Target | Promise<Target>;
  /** Key in `baselines`: the bare server answering with a body of the same size. */
  baseline: string;
  /** The page cache should answer it (the runner checks `x-cache: hit` before measuring). */
  expectCacheHit?: boolean;
  /** A goal: req/s at least this share of the baseline's (printed as met / NOT met; `--check` exits 1 when not met). */
  goal?: { minRatio: number; source: string };
}

async function sizeOf(ctx: BenchContext, path: string): Promise<number> {
  const res = await ctx.fetch(path);
  if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
  return (await res.arrayBuffer()).byteLength;
}

export const baselines: Record<string, Baseline> = {
  article: { label: 'article-sized', body: async (ctx) => ({ bytes: await sizeOf(ctx, ctx.articlePath) }) },
  home: { label: 'home-sized', body: async (ctx) => ({ bytes: await sizeOf(ctx, '/') }) },
};

export const scenarios: Scenario[] = [
  {
    name: 'article (cached)',
    about: 'the newest article page, answered from the in-process page cache after the first hit',
    target: (ctx) => ({ path: ctx.articlePath }),
    baseline: 'article',
    expectCacheHit: true,
    goal: { minRatio: 0.5, source: 'issue 2' },
  },
  {
    name: 'article (uncached)',
    about: 'the same page with a unique ?b=… on every request: every request misses the cache and renders from the database',
    target: (ctx) => ({ path: ctx.articlePath, uniqueQuery: true }),
    baseline: 'article',
  },
  {
    name: 'home (cached)',
    about: 'the home page, answered from the page cache after the first hit',
    target: () => ({ path: '/' }),
    baseline: 'home',
    expectCacheHit: true,
  },
];
