// Signed links of the newsletter: a per-recipient, per-list unsubscribe token and a
// per-address token for the page where a reader chooses lists. Both are HMACs with
// the app's secret over the ids; nothing is stored, nothing expires (a mail from a
// year ago still unsubscribes), and a forged or altered token is refused.
import { domainToASCII, domainToUnicode } from 'node:url';
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

/** «Да, оставить» in the 180-day question: the address stays (and its paused lists resume). */
export function stayToken(secret: string, subscriberId: number): string {
  return `${subscriberId}.${mac(secret, `stay:${subscriberId}`)}`;
}

export function readStayToken(secret: string, token: string): number | null {
  const m = /^([1-9][0-9]{0,9})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!m) return null;
  const subscriberId = Number(m[1]);
  if (subscriberId > 2147483647) return null;
  return safeEqual(m[2]!, mac(secret, `stay:${subscriberId}`)) ? subscriberId : null;
}

/** The counting image of one mail (tracking on): queue row and send, signed. */
export function openToken(secret: string, queueId: number, sendId: number): string {
  return `${queueId}.${sendId}.${mac(secret, `open:${queueId}:${sendId}`)}`;
}

/** A link of one mail through the portal (tracking on): the signature covers the target, so nobody can make it lead elsewhere. */
export function clickToken(secret: string, queueId: number, sendId: number, target: string): string {
  return `${queueId}.${sendId}.${mac(secret, `click:${queueId}:${sendId}:${target}`)}`;
}

/** The queue row and send of a counting image's or a link's token; null when forged (for a link, `target` is part of what is signed). */
export function readTrackToken(secret: string, token: string, target?: string): { queueId: number; sendId: number } | null {
  const m = /^([1-9][0-9]{0,14})\.([1-9][0-9]{0,9})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!m) return null;
  const queueId = Number(m[1]);
  const sendId = Number(m[2]);
  if (!Number.isSafeInteger(queueId) || sendId > 2147483647) return null;
  const what = target === undefined ? `open:${queueId}:${sendId}` : `click:${queueId}:${sendId}:${target}`;
  return safeEqual(m[3]!, mac(secret, what)) ? { queueId, sendId } : null;
}

/** The keyed hash an address is known by in the ledger (and after an erasure). */
export const emailHash = (secret: string, email: string) => hmac(secret, `newsletter:email:${email}`).slice(0, 32);

/**
 * A practical check of an address, and its one stored form: one @, a dotted domain,
 * no spaces or controls, at most 254 characters. Internationalised addresses
 * (`почта@пример.рф`, RFC 6531) are accepted: the domain is stored in Unicode
 * (`пример.рф`, also when given as `xn--e1afmkfd.xn--p1ai`), so an address is stored
 * once and shown as its owner writes it; `smtpAddress` gives the punycode form.
 */
export function normaliseEmail(raw: string): string | null {
  const email = raw.trim().normalize('NFC').toLowerCase();
  if (email.length > 254 || email.length < 6) return null;
  const at = email.lastIndexOf('@');
  if (at < 1) return null;
  const local = email.slice(0, at);
  const ascii = domainToASCII(email.slice(at + 1));
  if (!/^[\p{L}\p{N}.!#$%&'*+/=?^_`{|}~-]{1,64}$/u.test(local)) return null;
  if (!ascii || ascii.length > 253 || !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/.test(ascii)) return null;
  if (local.startsWith('.') || local.includes('..') || local.endsWith('.')) return null;
  const domain = domainToUnicode(ascii);
  if (domain.split('.').some((label) => !label || label.startsWith('-') || label.endsWith('-'))) return null;
  const stored = `${local}@${domain}`;
  return stored.length > 254 ? null : stored;
}

/** The address as SMTP takes it: the domain in punycode (a Unicode local part needs the server's SMTPUTF8). */
export function smtpAddress(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0 ? email : `${email.slice(0, at)}@${domainToASCII(email.slice(at + 1)) || email.slice(at + 1)}`;
}
