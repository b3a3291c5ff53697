// Sign-in throttling against password guessing: failures are counted per account
// (whatever the IP) and per client address (whatever the account). Past a few free
// failures every further one makes the next attempt wait, twice as long each time,
// up to a cap; while a key waits, attempts are refused before the password is
// checked (so they cost no argon2 time and do not count again).
//
// Why these numbers (docs/operations.md): a cap keeps a victim's account usable
// after at most 15 minutes, and a browser that has signed in to the account before
// (it holds a signed device cookie, OWASP's "device cookie" scheme) counts on its
// own key, so a stranger failing on purpose never locks the owner's own browsers
// out. The IP rule allows more failures than the account rule because mobile
// carriers put many readers behind one address.
//
// Counts live in Redis when REDIS_URL is set, so every instance sees them, and in
// this instance's memory otherwise or while Redis is away. Time is the app's clock.
import crypto from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Clock } from '../../platform/clock.js';
import { hmac, safeEqual, sha256 } from '../../platform/secrets.js';

export interface ThrottleRule {
  /** Failures allowed before any wait. */
  free: number;
  /** The wait after the first failure past `free`; each further one doubles it. */
  baseMs: number;
  capMs: number;
}

export const ACCOUNT_RULE: ThrottleRule = { free: 5, baseMs: 30_000, capMs: 15 * 60_000 };
export const IP_RULE: ThrottleRule = { free: 10, baseMs: 60_000, capMs: 15 * 60_000 };
/** A key with no failure for this long starts again from zero. */
export const FORGET_MS = 24 * 3600_000;
export const DEVICE_COOKIE = 'gorod_device';
const DEVICE_COOKIE_DAYS = 365;
const MEMORY_KEYS_MAX = 100_000;

interface Failures {
  count: number;
  /** Epoch ms of the latest failure. */
  last: number;
}

/** When a key may try again (epoch ms), or 0 when it may now. */
export function retryAt(rule: ThrottleRule, f: Failures | null, now: number): number {
  if (!f || f.count < rule.free || now - f.last > FORGET_MS) return 0;
  const wait = Math.min(rule.baseMs * 2 ** Math.min(f.count - rule.free, 30), rule.capMs);
  return f.last + wait > now ? f.last + wait : 0;
}

/** Failure counts in Redis, with this process's memory as the fallback. */
function failureStore(redis: Redis | undefined, prefix: string) {
  const memory = new Map<string, Failures>();
  const shared = () => redis?.status === 'ready';

  const local = {
    get: (key: string) => memory.get(key) ?? null,
    fail(key: string, now: number): void {
      const f = memory.get(key);
      const fresh = !f || now - f.last > FORGET_MS;
      memory.delete(key); // re-inserted last: the Map's order is then oldest failure first
      memory.set(key, { count: fresh ? 1 : f.count + 1, last: now });
      // Keys sprayed by a script must not grow the map without end: drop the stalest.
      if (memory.size > MEMORY_KEYS_MAX) memory.delete(memory.keys().next().value!);
    },
    reset: (key: string) => void memory.delete(key),
  };

  return {
    async get(key: string): Promise<Failures | null> {
      if (!shared()) return local.get(key);
      try {
        const h = await redis!.hgetall(prefix + key);
        return h.count ? { count: Number(h.count), last: Number(h.last) } : null;
      } catch {
        return local.get(key);
      }
    },
    async fail(key: string, now: number): Promise<void> {
      if (!shared()) return local.fail(key, now);
      try {
        const before = await redis!.hget(prefix + key, 'last');
        // A count forgotten by our clock (tests move it) starts again, as in memory.
        if (before && now - Number(before) > FORGET_MS) await redis!.del(prefix + key);
        await redis!.multi().hincrby(prefix + key, 'count', 1).hset(prefix + key, 'last', String(now)).pexpire(prefix + key, FORGET_MS).exec();
      } catch {
        local.fail(key, now);
      }
    },
    async reset(key: string): Promise<void> {
      local.reset(key);
      if (shared()) await redis!.del(prefix + key).catch(() => {});
    },
  };
}

export interface SignInAttempt {
  email: string;
  /** The client address, already reduced to what counts as one client (see clientKey). */
  client: string;
  /** The device cookie this browser sent, if any. */
  device: string | undefined;
}

export function createSignInThrottle({ redis, prefix, clock, secret }: { redis: Redis | undefined; prefix: string; clock: Clock; secret: string }) {
  const store = failureStore(redis, `${prefix}signin:`);
  const emailKey = (email: string) => sha256(email.trim().toLowerCase()).slice(0, 32);
  const deviceMac = (email: string, nonce: string) => hmac(secret, `device:${emailKey(email)}:${nonce}`).slice(0, 32);

  /** The nonce of a device cookie issued for this account, or null. */
  function trustedDevice(email: string, cookie: string | undefined): string | null {
    if (!cookie || cookie.length > 100) return null;
    const [nonce = '', mac = ''] = cookie.split('.');
    return /^[0-9a-f]{32}$/.test(nonce) && safeEqual(mac, deviceMac(email, nonce)) ? nonce : null;
  }

  function keysOf(a: SignInAttempt) {
    const device = trustedDevice(a.email, a.device);
    return { account: device ? `acct:${emailKey(a.email)}:dev:${device}` : `acct:${emailKey(a.email)}`, ip: `ip:${a.client}` };
  }

  return {
    /** When this attempt may be made (a Date), or null when it may be made now. */
    async refusedUntil(a: SignInAttempt): Promise<Date | null> {
      const keys = keysOf(a);
      const now = clock.now().getTime();
      const [account, ip] = await Promise.all([store.get(keys.account), store.get(keys.ip)]);
      const until = Math.max(retryAt(ACCOUNT_RULE, account, now), retryAt(IP_RULE, ip, now));
      return until ? new Date(until) : null;
    },

    /** A wrong password, or an e-mail nobody has: counted alike. */
    async failed(a: SignInAttempt): Promise<void> {
      const keys = keysOf(a);
      const now = clock.now().getTime();
      await Promise.all([store.fail(keys.account, now), store.fail(keys.ip, now)]);
    },

    /** The right password: the account's counts start again; the IP's stays (one known password must not clear it). */
    async succeeded(a: SignInAttempt): Promise<void> {
      const keys = keysOf(a);
      await Promise.all([store.reset(`acct:${emailKey(a.email)}`), store.reset(keys.account)]);
    },

    /** A device cookie for this account (kept by the browser after a successful sign-in). */
    deviceCookie(email: string): { value: string; maxAge: number } {
      const nonce = crypto.randomBytes(16).toString('hex');
      return { value: `${nonce}.${deviceMac(email, nonce)}`, maxAge: DEVICE_COOKIE_DAYS * 86400 };
    },
  };
}
export type SignInThrottle = ReturnType<typeof createSignInThrottle>;
