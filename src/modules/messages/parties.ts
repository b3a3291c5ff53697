// Parties as text: `u:<user id>` or `o:<organisation id>`, the form every table and
// form field of the module keeps them in.
import type { Party } from '../../platform/events.js';
import { DomainError } from '../../platform/errors.js';

export type { Party };

export const partyKey = (p: Party): string => `${p.kind === 'user' ? 'u' : 'o'}:${p.id}`;

export function parseParty(text: string): Party | null {
  const m = /^([uo]):([1-9]\d{0,9})$/.exec(text);
  if (!m) return null;
  const id = Number(m[2]);
  if (id > 2_147_483_647) return null;
  return m[1] === 'u' ? { kind: 'user', id } : { kind: 'organisation', id };
}

export function partyOf(key: string): Party {
  const p = parseParty(key);
  if (!p) throw new DomainError('message.bad_party', {}, 400);
  return p;
}

/** The two parties' keys in one order, so a pair has one spelling (the unique index). */
export const pairKey = (a: Party, b: Party): string => [partyKey(a), partyKey(b)].sort().join('|');

export const sameParty = (a: Party, b: Party) => a.kind === b.kind && a.id === b.id;

/** One kind of line break, no control or direction characters, trimmed; line breaks kept (three or more become two). */
export function normalizeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0009\u000B-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
