// Who a reader is, without making them sign up: a signed first-party cookie
// (`gorod_reader`, a random id and its HMAC) for everyone, and the account for a
// signed-in reader. IPs are never stored as they are, only as keyed hashes.
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hmac, safeEqual } from './secrets.js';

export const READER_COOKIE = 'gorod_reader';
const READER_COOKIE_DAYS = 400;

/**
 * A hint, not a proof: a browser that has reacted or voted carries it (set by that
 * write). The reader state of a browser without it skips looking for its own
 * reactions and votes — most readers never make one, and those look-ups were two of
 * the three queries of every article view. Unsigned on purpose: removing it only
 * hides one's own reaction from oneself, adding it only costs the look-ups. A reader
 * cookie of the first form (no issue time) was issued before the hint existed: it
 * counts as having written, so nobody's earlier reaction disappears; every cookie
 * with an issue time comes from code that sets the hint.
 */
export const WROTE_COOKIE = 'gorod_wrote';

/** Whether this browser may have reactions or votes of its own to look up (always, for an account). */
export function mayHaveWritten(cookies: Record<string, string | undefined>, secret: string, signedIn: boolean): boolean {
  if (signedIn || cookies[WROTE_COOKIE] === '1') return true;
  const reader = readReaderCookie(secret, cookies[READER_COOKIE]);
  return !!reader && reader.issuedAt === 0;
}

/** After a browser's reaction or vote: the hint that it has one (a no-op for accounts and browsers that carry it). */
export function markWrote(req: FastifyRequest, reply: FastifyReply): void {
  if (req.user || req.cookies[WROTE_COOKIE] === '1') return;
  reply.setCookie(WROTE_COOKIE, '1', { path: '/', httpOnly: true, sameSite: 'lax', secure: req.protocol === 'https', maxAge: READER_COOKIE_DAYS * 86400 });
}

/**
 * The cookie's value: the reader id, when it was issued (seconds, base 36) and an
 * HMAC of both. The issue time is what the anti-stuffing rule reads (a reader
 * identity counts only once it was issued by an earlier request, and only so many
 * new ones per address: modules/audience/README.md). A cookie of the first form,
 * `<id>.<mac>` without a time, was issued before the time was kept: it counts as old.
 */
export function signReaderId(secret: string, id: string, issuedAtMs?: number): string {
  if (issuedAtMs === undefined) return `${id}.${hmac(secret, `reader:${id}`).slice(0, 22)}`;
  const t = Math.floor(issuedAtMs / 1000).toString(36);
  return `${id}.${t}.${hmac(secret, `reader:${id}:${t}`).slice(0, 22)}`;
}

/** A valid reader cookie's content: the id and when it was issued (0: before issue times were kept). */
export interface ReaderCookie {
  id: string;
  issuedAt: number;
}

/** This request's anonymous reader id from a valid cookie (or the one just given), or null. */
export function readerIdOf(req: FastifyRequest, secret: string): string | null {
  return verifyReaderCookie(secret, req.cookies[READER_COOKIE]);
}

/** Whom per-reader limits and histories count for: `u:<account>`, `a:<reader cookie>`, or null for a browser without one yet. */
export function readerKey(req: FastifyRequest, secret: string): string | null {
  if (req.user) return `u:${req.user.id}`;
  const anon = readerIdOf(req, secret);
  return anon ? `a:${anon}` : null;
}

// Cookies known to be valid, per secret: a reader sends the same cookie with every
// beacon and write, and a write asks for its reader several times (the limits, then
// the write), so an HMAC each time was a tenth of a beacon's CPU. Only cookies we
// verified or made are kept, so forged ones cannot fill it; it is emptied when full.
const verified = new Map<string, Map<string, ReaderCookie>>();
const VERIFIED_KEPT = 50_000;

function rememberValid(secret: string, value: string, cookie: ReaderCookie): void {
  let known = verified.get(secret);
  if (!known) verified.set(secret, (known = new Map()));
  if (known.size >= VERIFIED_KEPT) known.clear();
  known.set(value, cookie);
}

/** The id and issue time inside a valid cookie, or null for a missing or forged one. */
export function readReaderCookie(secret: string, value: string | undefined): ReaderCookie | null {
  if (!value || value.length > 100) return null;
  const hit = verified.get(secret)?.get(value);
  if (hit) return hit;
  const id = value.slice(0, 36);
  if (!/^[0-9a-f-]{36}$/.test(id) || value[36] !== '.') return null;
  const rest = value.slice(37);
  const dot = rest.indexOf('.');
  const t = dot < 0 ? undefined : rest.slice(0, dot);
  if (t !== undefined && !/^[0-9a-z]{1,10}$/.test(t)) return null;
  const issuedAt = t === undefined ? 0 : parseInt(t, 36) * 1000;
  if (!safeEqual(value, signReaderId(secret, id, t === undefined ? undefined : issuedAt))) return null;
  const cookie = { id, issuedAt };
  rememberValid(secret, value, cookie);
  return cookie;
}

/** The reader id inside a valid cookie, or null for a missing or forged one. */
export function verifyReaderCookie(secret: string, value: string | undefined): string | null {
  return readReaderCookie(secret, value)?.id ?? null;
}

// Requests whose reader cookie was made by this very request: their reader was not
// issued before, so what they do is not counted (the anti-stuffing rule).
const issuedNow = new WeakSet<FastifyRequest>();

/**
 * This browser's anonymous reader id; sets the cookie when it is new. Call only
 * on requests that need it (writes, beacons, per-reader JSON): cached pages must
 * not set cookies.
 */
export function anonymousReaderId(req: FastifyRequest, reply: FastifyReply, secret: string, now = Date.now()): string {
  const existing = readerIdOf(req, secret);
  if (existing) return existing;
  const { id, value, options } = newReaderCookie(secret, req.protocol === 'https', now);
  reply.setCookie(READER_COOKIE, value, options);
  req.cookies[READER_COOKIE] = value;
  issuedNow.add(req);
  return id;
}

/**
 * How far this request's reader is known (the anti-stuffing rule,
 * modules/audience/README.md): `account` a signed-in reader; `anonymous` a reader
 * cookie this request brought, with when it was issued; `unproven` none, or one
 * this very request was given (a script that drops cookies is always here).
 */
export type ReaderStanding = { kind: 'account' } | { kind: 'anonymous'; issuedAt: number } | { kind: 'unproven' };

export function readerStanding(req: FastifyRequest, secret: string): ReaderStanding {
  if (req.user) return { kind: 'account' };
  if (issuedNow.has(req)) return { kind: 'unproven' };
  const cookie = readReaderCookie(secret, req.cookies[READER_COOKIE]);
  return cookie ? { kind: 'anonymous', issuedAt: cookie.issuedAt } : { kind: 'unproven' };
}

/**
 * The anonymous reader of a request that may be refused (a beacon over its limit):
 * `key()` names the reader, making a new one if the cookie is missing or forged,
 * and `fresh` is that new reader's cookie, for the caller to send only if it
 * accepts the request. `issuedAt` is the brought cookie's issue time, null when
 * the request brought none (its reader is unproven).
 */
export function pendingReader(secret: string, cookie: string | undefined, https: boolean, now = Date.now()) {
  let fresh: ReturnType<typeof newReaderCookie> | undefined;
  const known = readReaderCookie(secret, cookie);
  return {
    key(): string {
      if (known) return `a:${known.id}`;
      fresh ??= newReaderCookie(secret, https, now);
      return `a:${fresh.id}`;
    },
    issuedAt: known ? known.issuedAt : null,
    get fresh() {
      return fresh;
    },
  };
}

/** A new reader: the id, and the cookie that carries it. */
export function newReaderCookie(secret: string, https: boolean, now = Date.now()) {
  const id = crypto.randomUUID();
  const value = signReaderId(secret, id, now);
  rememberValid(secret, value, { id, issuedAt: Math.floor(now / 1000) * 1000 });
  return { id, value, options: { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: https, maxAge: READER_COOKIE_DAYS * 86400 } };
}

/** A keyed hash of the client IP (req.ip honours TRUST_PROXY only). */
export function ipHash(secret: string, ip: string): string {
  return hmac(secret, `ip:${ip}`).slice(0, 22);
}

/**
 * The client address a per-IP limit counts for, as a keyed hash: an IPv6 client
 * owns a whole /64 and could step through it, so the /64 counts as one address.
 */
export function clientKey(secret: string, ip: string): string {
  return ipHash(secret, clientNetwork(ip));
}

const clientKeys = new WeakMap<FastifyRequest, string>();

/** clientKey of this request's address, worked out once per request. */
export function clientKeyOf(req: FastifyRequest, secret: string): string {
  let key = clientKeys.get(req);
  if (key === undefined) {
    key = clientKey(secret, req.ip);
    clientKeys.set(req, key);
  }
  return key;
}

/**
 * What counts as one client: an IPv4 address as it is (an IPv4-mapped IPv6 address
 * as its IPv4), an IPv6 address as its /64 network ("2001:db8:1:2::/64"). The
 * address is a valid one (req.ip); this only rewrites it, cheaply (a general IP
 * library took 6 % of a reaction write's CPU).
 */
export function clientNetwork(ip: string): string {
  if (!ip.includes(':')) return ip;
  let s = ip.toLowerCase();
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  // A dotted IPv4 tail (::ffff:1.2.3.4) becomes the last two groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    s = `${s.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = s.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const n = groups.map((g) => parseInt(g, 16));
  if (n.length !== 8 || n.some((g) => !(g >= 0 && g <= 0xffff))) return s;
  if (n.slice(0, 5).every((g) => g === 0) && n[5] === 0xffff) return `${n[6]! >> 8}.${n[6]! & 255}.${n[7]! >> 8}.${n[7]! & 255}`;
  return `${n.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/**
 * A reader as every module sees it: a signed-in account or an anonymous browser
 * (the reader cookie's id). Every table that remembers a reader stores its `key`,
 * `u:<user id>` or `a:<uuid>`, in a `reader text` column (checked by READER_KEY_CHECK),
 * so one index serves both and sign-in moves a browser's rows with one update.
 */
export type Reader = { key: `u:${number}`; userId: number; anonId: null } | { key: `a:${string}`; anonId: string; userId: null };

export const accountReader = (userId: number): Reader => ({ key: `u:${userId}`, userId, anonId: null });
export const anonymousReader = (anonId: string): Reader => ({ key: `a:${anonId}`, anonId, userId: null });

/** The SQL check a `reader` column carries. */
export const READER_KEY_CHECK = `reader ~ '^(u:[0-9]+|a:[0-9a-f-]{36})$'`;

/** A stored key back as a Reader, or null if it is not one. */
export function parseReaderKey(key: string): Reader | null {
  if (/^u:[0-9]{1,10}$/.test(key)) return accountReader(Number(key.slice(2)));
  if (/^a:[0-9a-f-]{36}$/.test(key)) return anonymousReader(key.slice(2));
  return null;
}

/** This request's reader: the account, the browser of a valid reader cookie, or null (a read sets no cookie). */
export function readerOf(req: FastifyRequest, secret: string): Reader | null {
  if (req.user) return accountReader(req.user.id);
  const anon = readerIdOf(req, secret);
  return anon ? anonymousReader(anon) : null;
}

/** The reader making a write: the account, or this browser, which gets its cookie now when it has none. */
export function writerOf(req: FastifyRequest, reply: FastifyReply, secret: string, now = Date.now()): Reader {
  return req.user ? accountReader(req.user.id) : anonymousReader(anonymousReaderId(req, reply, secret, now));
}

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The one reader of this request (platform/reader.ts): a signed-in account or
     * the signed anonymous cookie. Without `reply`, null for a browser that has no
     * cookie yet; with it, such a browser is given one now (writes, island calls).
     */
    reader(): Reader | null;
    reader(reply: FastifyReply): Reader;
    /** How far the reader is known: signed in, a cookie brought from before (when issued), or unproven. */
    readerStanding(): ReaderStanding;
  }
}

/** Gives every request `req.reader()` and `req.readerStanding()`, made here and nowhere else. */
export function installReader(app: FastifyInstance): void {
  app.decorateRequest('reader', function reader(this: FastifyRequest, reply?: FastifyReply) {
    const { secret, clock } = this.server;
    return (reply ? writerOf(this, reply, secret, clock.now().getTime()) : readerOf(this, secret)) as Reader;
  } as FastifyRequest['reader']);
  app.decorateRequest('readerStanding', function standing(this: FastifyRequest) {
    return readerStanding(this, this.server.secret);
  });
}
