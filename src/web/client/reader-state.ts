// One request for every island of a page: what differs per reader (the account
// corner, my reaction, may I comment, «Рекомендуем» for me) comes from
// /api/reader-state, fetched once and shared; each island reads its part.
export interface ReaderStateParts {
  account: unknown;
  reactions: unknown;
  comments: unknown;
  recommendations: unknown;
  [part: string]: unknown;
}

let pending: Promise<ReaderStateParts | null> | null = null;
const params: [string, () => string | null][] = [];

/**
 * A module's addition to the query of the page's one call (e.g. `shown`, `read`):
 * registered when its client code loads, before any island starts; a value of
 * ids and commas, or null to leave it out.
 */
export function addReaderStateParam(name: string, value: () => string | null): void {
  params.push([name, value]);
}

function query(): string {
  const article = pageArticleId();
  const pairs = article ? [`article=${encodeURIComponent(article)}`] : [];
  for (const [name, value] of params) {
    const v = value();
    // Commas stay commas: shorter, and as valid in a query.
    if (v !== null) pairs.push(`${name}=${encodeURIComponent(v).replace(/%2C/g, ',')}`);
  }
  return pairs.length ? `?${pairs.join('&')}` : '';
}

/** The page's article, if it shows one (the same element the view beacon reads). */
function pageArticleId(): string | null {
  return document.querySelector<HTMLElement>('article[data-article-id]')?.dataset.articleId ?? null;
}

export function readerState(): Promise<ReaderStateParts | null> {
  if (!pending) {
    pending = fetch(`/api/reader-state${query()}`, { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then((res) => (res.ok ? (res.json() as Promise<ReaderStateParts>) : null))
      .catch(() => null);
  }
  return pending;
}

/** A part of the state for an island of this page's article; null when the island is about another one. */
export async function articlePart<T>(name: string, articleId: string | number | undefined): Promise<T | null> {
  if (articleId === undefined || String(articleId) !== pageArticleId()) return null;
  const state = await readerState();
  return (state?.[name] as T | undefined) ?? null;
}
