// What other modules may use of moderation: `app.moderation` (its service type),
// the pipeline's types to write their own phases, and the queue's extension point.
export type { Moderation, Draft, ModeratedKind, QueueItem, Decision, Scope, BanTerm } from './service.js';
export type { Phase, PhaseResult, Verdict } from './pipeline.js';
export type { ReportReason } from './schema.js';
export { REPORT_REASONS } from './schema.js';
export { DEFAULT_SETTINGS, type ModerationSettings } from './settings.js';
export { default } from './routes.js';

/** The tables moderation owns; no other module queries them. */
export const tables = ['reports', 'moderation_bans', 'moderation_stop_words', 'moderation_activity', 'moderation_recent_texts'] as const;

declare module '../../platform/extensions.js' {
  interface ExtensionPoints {
    /** Whether a forum board exists, for bans scoped to it (the forums module answers). */
    'forum.boardExists': (id: number) => Promise<boolean>;
  }
}
