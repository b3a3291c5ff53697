// What other modules may use of search: the service's type. It answers content's
// `article.similar` extension point («По теме»).
export type { Search, SearchHit, SearchParams, SearchResult } from './service.js';
// The Russian morphology and the snippet helpers, for other modules' own search (the forums').
export { lemmasOf, lemmaText, loadMorphology, normalize, words } from './lemmas.js';
export { joinBlocks, snippet, type SnippetPart } from './snippets.js';

/** The tables search owns; no other module queries them. */
export const tables = ['search_documents', 'search_words'] as const;
