// The five reactions in the order the bar shows them; the codes are the API enum.
export const REACTION_KINDS = ['LIKE', 'HAPPY', 'SURPRISED', 'ANGRY', 'SAD'] as const;
export type ReactionKind = (typeof REACTION_KINDS)[number];

export const isReactionKind = (value: unknown): value is ReactionKind => typeof value === 'string' && (REACTION_KINDS as readonly string[]).includes(value);

export type ReactionCounts = Record<ReactionKind, number>;
export const emptyCounts = (): ReactionCounts => ({ LIKE: 0, HAPPY: 0, SURPRISED: 0, ANGRY: 0, SAD: 0 });
