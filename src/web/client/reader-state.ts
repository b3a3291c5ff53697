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

/** The page's article, if it shows one (the same element the view beacon reads). */
function pageArticleId(): string | null {
  return document.querySelector<HTMLElement>('article[data-article-id]')?.dataset.articleId ?? null;
}

export function readerState(): Promise<ReaderStateParts | null> {
  if (!pending) {
    const article = pageArticleId();
    pending = fetch(`/api/reader-state${article ? `?article=${encodeURIComponent(article)}` : ''}`, { credentials: 'same-origin', headers: { accept: 'application/json' } })
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
