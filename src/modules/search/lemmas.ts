// Russian morphology for search: each word becomes its dictionary lemmas
// (OpenCorpora dictionaries through `az`): «провалом», «провала», «провалы» all
// become «провал», which Postgres's Snowball stemmer alone cannot do (it cuts
// «провала» to «прова»). An ambiguous word keeps every lemma («стали» → «стать»,
// «сталь»); a word the dictionary does not know stays as it is, and the `russian`
// text search configuration stems it, the same on PGlite and PostgreSQL.
import { createRequire } from 'node:module';
import path from 'node:path';
import Az from 'az';

const require = createRequire(import.meta.url);
let ready: Promise<void> | undefined;

/** Loads the dictionaries (about 11 MB, a quarter of a second) once per process. */
export function loadMorphology(): Promise<void> {
  ready ??= new Promise<void>((resolve, reject) => {
    const dicts = path.join(path.dirname(require.resolve('az/package.json')), 'dicts');
    Az.Morph.init(dicts, (err?: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()));
  });
  return ready;
}

// Hyphenated words are split («северо-восток» → «северо», «восток») the same way
// in documents and queries.
const WORD = /[\p{L}\p{N}]+/gu;

export const normalize = (word: string) => word.toLowerCase().replace(/ё/g, 'е');

export function words(text: string): string[] {
  return (text.match(WORD) ?? []).map(normalize);
}

const cache = new Map<string, string[]>();

/** The lemmas of one word (lowercase, ё as е). */
export function lemmasOf(word: string): string[] {
  const w = normalize(word);
  const hit = cache.get(w);
  if (hit) return hit;
  let out = [w];
  if (/\p{Script=Cyrillic}/u.test(w) && !/\d/.test(w)) {
    const parses = (Az.Morph(w) as { parser: string; normalize(): { word: string } }[]).filter((p) => p.parser === 'Dictionary');
    const lemmas = [...new Set(parses.map((p) => normalize(p.normalize().word)))];
    if (lemmas.length) out = lemmas;
  }
  if (cache.size > 200_000) cache.clear();
  cache.set(w, out);
  return out;
}

/** Text of lemmas for to_tsvector: every lemma of every word, in order. */
export function lemmaText(text: string): string {
  return words(text)
    .flatMap((w) => lemmasOf(w))
    .join(' ');
}

/** A query as alternatives per word: [['провал'], ['стать', 'сталь']]. */
export function queryLemmas(query: string): string[][] {
  return words(query).map(lemmasOf);
}

/** A tsquery text: words joined by &, a word's lemmas by |. Tokens are letters and digits only. */
export function tsqueryText(lemmas: string[][]): string {
  return lemmas.map((alts) => `(${alts.join(' | ')})`).join(' & ');
}
