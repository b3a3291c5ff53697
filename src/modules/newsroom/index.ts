// What other modules may use of the newsroom: the service's type (the audit log
// other back-office sections write to) and the extension point it asks for.
import type { TypoReport } from '../typos/index.js';

export type { Newsroom, ArticleInput } from './service.js';

/** The tables the newsroom owns; no other module queries them. */
export const tables = ['audit_log'] as const;

declare module '../../platform/extensions.js' {
  interface ExtensionPoints {
    /** A typo report by id, to mark it in the editor (the typos module answers). */
    'typos.report': (id: number) => Promise<TypoReport | null>;
  }
}
