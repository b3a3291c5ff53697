// What other modules may use of typos: the service's type and its reports' shape.
export type { Typos, TypoReport } from './service.js';

/** The tables typos owns; no other module queries them. */
export const tables = ['typo_reports'] as const;
