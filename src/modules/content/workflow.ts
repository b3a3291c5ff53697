// The article workflow: which transitions exist, from which statuses each may
// start and where it leads. Shared by the write side and the back office's buttons.
import type { ArticleStatus } from '../../db/schema.js';

export type Transition = 'submit' | 'publish' | 'schedule' | 'sendBack' | 'unpublish';

/** From which statuses each transition may start, and where it leads. */
export const TRANSITIONS: Record<Transition, { from: ArticleStatus[]; to: ArticleStatus }> = {
  submit: { from: ['draft', 'unpublished'], to: 'review' },
  publish: { from: ['draft', 'review', 'scheduled', 'unpublished'], to: 'published' },
  schedule: { from: ['draft', 'review', 'unpublished', 'scheduled'], to: 'scheduled' },
  sendBack: { from: ['review', 'scheduled'], to: 'draft' },
  unpublish: { from: ['published', 'scheduled'], to: 'unpublished' },
};
