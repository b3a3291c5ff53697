// The browser's own reading list: the articles it has read, newest first, kept in
// localStorage and sent with the page's reader-state call (`read=`), so that
// «Рекомендуем» for a reader not signed in needs no look-up of their reads. The
// portal keeps its own copy too (reader_reads): it follows the reader to their
// account on sign-in, and seeds this list in a browser that has none yet.
const KEY = 'gorod.reads';
/** As many as the server weighs (READS_SCORED) and the call accepts. */
const KEPT = 50;

/** The list, or null when this browser keeps none yet (or may not keep one). */
export function readHistory(): number[] | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (raw === null) return null;
    return raw
      .split(',')
      .map(Number)
      .filter((id) => Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647)
      .slice(0, KEPT);
  } catch {
    return null;
  }
}

function keep(ids: number[]): void {
  try {
    localStorage.setItem(KEY, [...new Set(ids)].slice(0, KEPT).join(','));
  } catch {
    // Storage full or refused: the portal's own copy still serves.
  }
}

/** An article read now goes first. */
export function rememberRead(articleId: number): void {
  keep([articleId, ...(readHistory() ?? [])]);
}

/** The portal's stored reads for a browser that had no list: added after what it has read since. */
export function seedHistory(stored: number[]): void {
  keep([...(readHistory() ?? []), ...stored]);
}
