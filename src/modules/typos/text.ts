// Finding a reader's selection in the article's own text. The browser's selection
// and the stored body text differ in whitespace (paragraph breaks, non-breaking
// spaces, a selection across blocks), so matching ignores whitespace; the
// fragment and its context are then cut from the article's text, never taken from
// the request — the editors' queue shows only the article's words.
export const FRAGMENT_MAX = 300;

/**
 * The texts of an article a reader can select on its page: the headline, the lead,
 * the cover's caption with its credit, and the body (its quotes and the captions of
 * its images are in the body's text). A report names its part and is looked for only
 * there, so its context never runs from the headline into the lead.
 */
export const PARTS = ['title', 'lead', 'caption', 'body'] as const;
export type TextPart = (typeof PARTS)[number];

export function partText(article: { title: string; lead: string; coverCaption: string; coverCredit: string; bodyText: string }, part: TextPart): string {
  if (part === 'title') return article.title;
  if (part === 'lead') return article.lead;
  if (part === 'caption') return `${article.coverCaption} ${article.coverCredit}`;
  return article.bodyText;
}

// The part is the head of the merge key (the same words in the headline and in the
// body are two places); body keys have none, as before parts existed.
export const partKey = (part: TextPart, key: string) => (part === 'body' ? key : `${part}:${key}`);
export function partOfKey(key: string): TextPart {
  const head = /^(title|lead|caption):/.exec(key)?.[1];
  return (head as TextPart | undefined) ?? 'body';
}
export const COMMENT_MAX = 500;
export const CONTEXT_MAX = 140;
export const CONTEXT_MIN = 60;
// How much of the reader's before/after text is compared to tell repeated words apart.
const HINT_CHARS = 40;
const MAX_OCCURRENCES = 2000;

// Soft hyphens and zero-width characters are invisible and never part of a typo.
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;

export function normalizeSpace(text: string): string {
  return text.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

const squash = (text: string) => text.replace(INVISIBLE, '').replace(/\s+/g, '');

export interface Located {
  fragment: string;
  before: string;
  after: string;
  /** Same place in the same text → same key: reports of it merge. */
  mergeKey: string;
}

/**
 * The occurrence of `fragment` in `bodyText` that best fits the reader's
 * surrounding text, with ~60–140 characters of context on each side; null when
 * the fragment is not in the text.
 */
export function locate(bodyText: string, fragment: string, hintBefore = '', hintAfter = ''): Located | null {
  const text = normalizeSpace(bodyText);
  const wanted = squash(fragment);
  if (!wanted) return null;
  // The squashed text and, for each of its characters, its index in `text`.
  let squashed = '';
  const positions: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== ' ') {
      squashed += text[i];
      positions.push(i);
    }
  }
  const before = squash(hintBefore).slice(-HINT_CHARS);
  const after = squash(hintAfter).slice(0, HINT_CHARS);
  let best = -1;
  let bestScore = -1;
  for (let at = squashed.indexOf(wanted), seen = 0; at !== -1 && seen < MAX_OCCURRENCES; at = squashed.indexOf(wanted, at + 1), seen++) {
    const score = commonSuffix(squashed.slice(Math.max(0, at - HINT_CHARS), at), before) + commonPrefix(squashed.slice(at + wanted.length, at + wanted.length + HINT_CHARS), after);
    if (score > bestScore) {
      best = at;
      bestScore = score;
    }
  }
  if (best === -1) return null;
  const start = positions[best]!;
  const end = positions[best + wanted.length - 1]! + 1;
  const contextBefore = cutBefore(text, start);
  const contextAfter = cutAfter(text, end);
  return {
    fragment: text.slice(start, end),
    before: contextBefore,
    after: contextAfter,
    mergeKey: `${wanted}|${squash(contextBefore).slice(-20)}|${squash(contextAfter).slice(0, 20)}`,
  };
}

function commonSuffix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

const SENTENCE_END = /[.!?…»"]\s/g;

/** Up to 140 characters before `start`, from a sentence start if that leaves at least 60, else from a word start. */
function cutBefore(text: string, start: number): string {
  const from = Math.max(0, start - CONTEXT_MAX);
  const window = text.slice(from, start);
  if (from === 0) return window;
  let cut = -1;
  for (const m of window.matchAll(SENTENCE_END)) {
    const at = m.index + m[0].length;
    if (window.length - at >= CONTEXT_MIN) cut = at;
  }
  if (cut === -1) cut = window.indexOf(' ') + 1;
  return window.slice(cut);
}

/** Up to 140 characters after `end`, to a sentence end if that keeps at least 60, else to a word end. */
function cutAfter(text: string, end: number): string {
  const to = Math.min(text.length, end + CONTEXT_MAX);
  const window = text.slice(end, to);
  if (to === text.length) return window;
  for (const m of window.matchAll(SENTENCE_END)) {
    const at = m.index + 1;
    if (at >= CONTEXT_MIN) return window.slice(0, at);
  }
  const space = window.lastIndexOf(' ');
  return space > 0 ? window.slice(0, space) : window;
}
