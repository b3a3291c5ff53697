// The search benchmark's queries, and its sequential latency: one request at a
// time through HTTP `/api/search`, so the figure is what one reader waits, not a
// queue. The same queries are then loaded with wrk (the `search` scenario).
import type { Fixtures } from './fixtures.js';

export interface SearchQuery {
  /** What the query tries: shown in the per-query table. */
  label: string;
  params: Record<string, string>;
}

/**
 * A fixed set: single words in several forms (the «провал» family that the stemmer
 * alone splits, ё), two-word queries, misspellings that find nothing and so ask
 * for «Возможно, вы искали …», each filter, and a later page.
 */
export function searchQueries(filters: Fixtures['search']): SearchQuery[] {
  return [
    { label: 'word, dictionary form', params: { q: 'провал' } },
    { label: 'word, instrumental', params: { q: 'провалом' } },
    { label: 'word, plural', params: { q: 'провалы' } },
    { label: 'word, genitive', params: { q: 'фабрики' } },
    { label: 'word, plural', params: { q: 'проекты' } },
    { label: 'word with ё', params: { q: 'ёлки' } },
    { label: 'two words', params: { q: 'новый мост' } },
    { label: 'two words', params: { q: 'ремонт дорог' } },
    { label: 'two words, genitive', params: { q: 'городского бюджета' } },
    { label: 'misspelt → suggestion', params: { q: 'фабрека' } },
    { label: 'misspelt → suggestion', params: { q: 'больнеца' } },
    { label: 'filter: type', params: { q: 'ремонт', type: 'opinion' } },
    { label: 'filter: section', params: { q: 'мост', section: filters.section } },
    { label: 'filter: dates', params: { q: 'школа', from: filters.from, to: filters.to } },
    { label: 'filter: author', params: { q: 'выставка', author: filters.author } },
    { label: 'page 3', params: { q: 'ремонт', page: '3' } },
  ];
}

export const searchPath = (q: SearchQuery) => `/api/search?${new URLSearchParams(q.params)}`;

export interface SearchLatency {
  rounds: number;
  requests: number;
  p50: number;
  p95: number;
  max: number;
  /** The first pass: a fresh portal's first answer to each query (its first planning, a cold dictionary). */
  cold: { p50: number; p95: number; max: number };
  perQuery: { query: string; label: string; total: number; suggestion: string | null; bytes: number; coldMs: number; p50: number; p95: number }[];
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Every query once (the first pass: run it before anything else asks these queries), then `rounds` passes over the set, one request at a time. */
/** `stopped` is asked before each request (Ctrl+C); no AbortSignal, as fetch leaves a listener on it per request. */
export async function sequentialLatency(baseUrl: string, queries: SearchQuery[], rounds: number, stopped: () => boolean): Promise<SearchLatency> {
  const times = queries.map(() => [] as number[]);
  const first: { total: number; suggestion: string | null; bytes: number; coldMs: number }[] = [];
  const get = async (q: SearchQuery) => {
    if (stopped()) throw new Error('interrupted');
    const t0 = performance.now();
    const res = await fetch(new URL(searchPath(q), baseUrl));
    const body = await res.arrayBuffer();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`search ${JSON.stringify(q.params)}: ${res.status} ${Buffer.from(body).toString('utf8').slice(0, 200)}`);
    return { ms, body };
  };
  for (const q of queries) {
    const { body, ms } = await get(q);
    const json = JSON.parse(Buffer.from(body).toString('utf8')) as { total: number; suggestion: string | null };
    first.push({ total: json.total, suggestion: json.suggestion, bytes: body.byteLength, coldMs: ms });
  }
  // Every later pass asks each query with another far-future `to` date: the same
  // articles, the same ranking work, but a key no earlier pass kept, so each answer
  // is ranked by the database again (search results live in a data cache since
  // issue 18). A query with its own `to` keeps it, and its later passes are kept answers.
  for (let r = 0; r < rounds; r++) {
    for (const [i, q] of queries.entries()) times[i]!.push((await get(q.params.to ? q : { ...q, params: { ...q.params, to: `2100-01-${String((r % 28) + 1).padStart(2, '0')}` } })).ms);
  }
  const all = times.flat().sort((a, b) => a - b);
  const cold = first.map((f) => f.coldMs).sort((a, b) => a - b);
  return {
    cold: { p50: percentile(cold, 50), p95: percentile(cold, 95), max: cold.at(-1) ?? NaN },
    rounds,
    requests: all.length,
    p50: percentile(all, 50),
    p95: percentile(all, 95),
    max: all.at(-1) ?? NaN,
    perQuery: queries.map((q, i) => {
      const t = [...times[i]!].sort((a, b) => a - b);
      const query = Object.entries(q.params)
        .map(([k, v]) => (k === 'q' ? v : `${k}=${v}`))
        .join(' ');
      return { query, label: q.label, ...first[i]!, p50: percentile(t, 50), p95: percentile(t, 95) };
    }),
  };
}
