// Highlighted snippets, made in code rather than by ts_headline: Postgres would
// stem the document's words with Snowball and miss forms whose stem differs from
// the lemma's («провала» → «прова»), so we mark every word whose lemma was asked for.
import { lemmasOf } from './lemmas.js';

export interface SnippetPart {
  text: string;
  mark?: true;
}

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Blocks of an article (a heading, the paragraph under it, the lead) come separated
 * by line breaks, which HTML shows as a mere space: «…автобус Один трамвай…». A
 * break after a block that ends without punctuation becomes «. », so the snippet
 * reads as sentences.
 */
export function joinBlocks(text: string): string {
  return text.replace(/([.!?…:;,])?[ \t]*(?:\r?\n[ \t]*)+/g, (_m, stop: string | undefined) => (stop ? `${stop} ` : '. ')).trim();
}

/** Around the first match: a word matches when one of its lemmas was asked for, or as `wanted` says (the forum's abbreviations). */
export function snippet(source: string, wanted: Set<string> | ((word: string) => boolean), length = 220): SnippetPart[] {
  const text = joinBlocks(source);
  const isMatch = typeof wanted === 'function' ? wanted : (word: string) => lemmasOf(word).some((l) => wanted.has(l));
  const matches: { start: number; end: number }[] = [];
  for (const m of text.matchAll(WORD)) {
    if (isMatch(m[0])) matches.push({ start: m.index!, end: m.index! + m[0].length });
  }
  if (!matches.length) return [{ text: text.slice(0, length).trimEnd() + (text.length > length ? '…' : '') }];
  // Start a little before the first match, at a word boundary.
  let from = Math.max(0, matches[0]!.start - 60);
  if (from > 0) from = text.indexOf(' ', from) + 1 || from;
  const to = Math.min(text.length, from + length);
  const parts: SnippetPart[] = [];
  let at = from;
  for (const m of matches) {
    if (m.start < from || m.end > to) continue;
    if (m.start > at) parts.push({ text: text.slice(at, m.start) });
    parts.push({ text: text.slice(m.start, m.end), mark: true });
    at = m.end;
  }
  if (at < to) parts.push({ text: text.slice(at, to) });
  if (from > 0) parts.unshift({ text: '…' });
  if (to < text.length) parts.push({ text: '…' });
  return parts;
}
