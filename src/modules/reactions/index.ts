// What other modules may use of reactions: the kinds and their counts, and the
// service's type. It answers audience's `article.reactionTotals` and
// `article.reactionCounts` extension points.
export { REACTION_KINDS, type ReactionCounts, type ReactionKind } from './kinds.js';
export type { Reactions } from './service.js';

/** The tables reactions owns; no other module queries them. */
export const tables = ['reactions', 'reaction_counts'] as const;
