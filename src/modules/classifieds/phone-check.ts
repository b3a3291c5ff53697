// «Показать телефон» for a reader without an account: the check that stands for a
// captcha without a third-party service (README, «Телефон без входа»). A reveal
// needs all of:
//   1. a reader identity issued by an EARLIER request (the platform's signed
//      `gorod_reader` cookie, brought back by this one — a script that drops
//      cookies never has one), at least MIN_WAIT_MS old;
//   2. a signed token for THIS ad: the ad page's own (in its form; the page is
//      cached, so it is the same for every reader and names only the ad and the
//      time it was made, valid PAGE_TOKEN_MS), or a check token bound to the reader
//      identity, handed out by a first press that lacked something (valid
//      CHECK_TOKEN_MS, used no sooner than MIN_WAIT_MS after it was made);
//   3. the limits per reader identity and per address (an IPv6 /64 as one).
// What is missing decides the answer: a form from a browser without a cookie gets
// one more button (its cookie comes with that answer); a JSON call without one, or
// a check token presented without the cookie it was made for, is refused.
import { hmac, safeEqual } from '../../platform/secrets.js';

/** How long a cached ad page's token serves (a page stays cached minutes; a tab may stay open longer). */
export const PAGE_TOKEN_MS = 6 * 3600_000;
/** How long the check token of a first press serves. */
export const CHECK_TOKEN_MS = 10 * 60_000;
/** The small delay: the reader identity, and a check token, must be at least this old. */
export const MIN_WAIT_MS = 2_000;

const stamp = (ms: number) => Math.floor(ms / 1000).toString(36);
const mac = (secret: string, what: string) => hmac(secret, `ad-phone:${what}`).slice(0, 22);

/** The token an ad page carries in its «Показать телефон» form. */
export function pageToken(secret: string, adId: number, nowMs: number): string {
  const t = stamp(nowMs);
  return `p.${t}.${mac(secret, `page:${adId}:${t}`)}`;
}

/** A check token for one reader identity and one ad. */
export function checkToken(secret: string, adId: number, readerId: string, nowMs: number): string {
  const t = stamp(nowMs);
  return `r.${t}.${mac(secret, `reader:${adId}:${readerId}:${t}`)}`;
}

export type PhoneToken = { kind: 'page' | 'reader'; issuedAt: number };

/**
 * A token's kind and issue time, when it is genuine for this ad (and, for a check
 * token, for this reader identity) and still valid; null otherwise. A check token
 * read without a reader identity says `reader` with `bound: false`: it was made
 * for a cookie the request did not bring.
 */
export function readToken(secret: string, token: string | undefined, adId: number, readerId: string | null, nowMs: number): (PhoneToken & { bound: boolean }) | null {
  const m = /^([pr])\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/.exec(token ?? '');
  if (!m) return null;
  const [, kind, t, sig] = m as unknown as [string, 'p' | 'r', string, string];
  const issuedAt = parseInt(t, 36) * 1000;
  const age = nowMs - issuedAt;
  if (age < -60_000 || age > (kind === 'p' ? PAGE_TOKEN_MS : CHECK_TOKEN_MS)) return null;
  if (kind === 'p') return safeEqual(sig, mac(secret, `page:${adId}:${t}`)) ? { kind: 'page', issuedAt, bound: true } : null;
  // A check token looks the same to a request without the cookie: it cannot be verified, and is not trusted.
  if (!readerId) return { kind: 'reader', issuedAt, bound: false };
  return safeEqual(sig, mac(secret, `reader:${adId}:${readerId}:${t}`)) ? { kind: 'reader', issuedAt, bound: true } : null;
}

export type PhoneVerdict = { kind: 'reveal' } | { kind: 'check'; waitMs: number } | { kind: 'refuse'; code: 'ad.phone_no_cookie' };

/**
 * What an anonymous press gets. `cookieIssuedAt` is the issue time of the reader
 * cookie the request brought (0 for one from before issue times), null when it
 * brought none (or a forged one); `json` whether it is the island's call.
 */
export function phoneVerdict(input: { token: (PhoneToken & { bound: boolean }) | null; cookieIssuedAt: number | null; json: boolean; nowMs: number }): PhoneVerdict {
  const { token, cookieIssuedAt, json, nowMs } = input;
  if (cookieIssuedAt === null) {
    // A check token without its cookie, or a script's JSON call: a browser that keeps no cookies.
    if (json || token?.kind === 'reader') return { kind: 'refuse', code: 'ad.phone_no_cookie' };
    return { kind: 'check', waitMs: MIN_WAIT_MS };
  }
  if (!token || !token.bound) return { kind: 'check', waitMs: MIN_WAIT_MS };
  const since = Math.max(cookieIssuedAt, token.kind === 'reader' ? token.issuedAt : 0);
  const wait = since + MIN_WAIT_MS - nowMs;
  return wait > 0 ? { kind: 'check', waitMs: wait } : { kind: 'reveal' };
}
