// Moderation as a pipeline of small phases (after Coral Talk): each phase reads
// what it needs from the context and returns nothing, a hold with a reason, or
// throws a DomainError to refuse outright. Adding a rule is adding a phase; comments,
// forum posts, ads and dating profiles each run their own list of phases.
export type PhaseResult = void | undefined | { status: 'held'; reason: string };
export type Phase<C> = (ctx: C) => PhaseResult | Promise<PhaseResult>;

export interface Verdict {
  status: 'approved' | 'held';
  /** Why it is held, one reason per phase that held it (for the moderators' queue). */
  reasons: string[];
}

/**
 * Runs every phase in order. A refusal (a thrown error) stops the pipeline; holds
 * are collected so a moderator sees every reason at once.
 */
export async function moderate<C>(phases: readonly Phase<C>[], ctx: C): Promise<Verdict> {
  const reasons: string[] = [];
  for (const phase of phases) {
    const result = await phase(ctx);
    if (result?.status === 'held') reasons.push(result.reason);
  }
  return { status: reasons.length ? 'held' : 'approved', reasons };
}
