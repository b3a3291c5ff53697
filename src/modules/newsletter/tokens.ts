// Signed links of the newsletter: a per-recipient, per-list unsubscribe token and a
// per-address token for the page where a reader chooses lists. Both are HMACs with
// the app's secret over the ids; nothing is stored, nothing expires (a mail from a
// year ago still unsubscribes), and a forged or altered token is refused.
import { hmac, safeEqual } from '../../platform/secrets.js';

const MAC_LENGTH = 32;
const mac = (secret: string, what: string) => hmac(secret, `newsletter:${what}`).slice(0, MAC_LENGTH);

export function unsubscribeToken(secret: string, subscriberId: number, listId: number): string {
  return `${subscriberId}.${listId}.${mac(secret, `unsubscribe:${subscriberId}:${listId}`)}`;
}

export function readUnsubscribeToken(secret: string, token: string): { subscriberId: number; listId: number } | null {
  const m = /^([1-9][0-9]{0,9})\.([1-9][0-9]{0,9})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!m) return null;
  const subscriberId = Number(m[1]);
  const listId = Number(m[2]);
  if (subscriberId > 2147483647 || listId > 2147483647) return null;
  return safeEqual(m[3]!, mac(secret, `unsubscribe:${subscriberId}:${listId}`)) ? { subscriberId, listId } : null;
}

export function manageToken(secret: string, subscriberId: number): string {
  return `${subscriberId}.${mac(secret, `manage:${subscriberId}`)}`;
}

export function readManageToken(secret: string, token: string): number | null {
  const m = /^([1-9][0-9]{0,9})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!m) return null;
  const subscriberId = Number(m[1]);
  if (subscriberId > 2147483647) return null;
  return safeEqual(m[2]!, mac(secret, `manage:${subscriberId}`)) ? subscriberId : null;
}

/** The keyed hash an address is known by in the ledger (and after an erasure). */
export const emailHash = (secret: string, email: string) => hmac(secret, `newsletter:email:${email}`).slice(0, 32);

/** A practical check of an address: one @, a dotted domain, no spaces or controls, at most 254 characters. */
export function normaliseEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || email.length < 6) return null;
  if (!/^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/.test(email)) return null;
  if (email.startsWith('.') || email.includes('..') || email.split('@')[0]!.endsWith('.')) return null;
  return email;
}
