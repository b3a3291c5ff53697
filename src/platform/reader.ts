// Who a reader is, without making them sign up: a signed first-party cookie
// (`gorod_reader`, a random id and its HMAC) for everyone, and the account for a
// signed-in reader. IPs are never stored as they are, only as keyed hashes.
import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hmac, safeEqual } from './secrets.js';

export const READER_COOKIE = 'gorod_reader';
const READER_COOKIE_DAYS = 400;

export function signReaderId(secret: string, id: string): string {
  return `${id}.${hmac(secret, `reader:${id}`).slice(0, 22)}`;
}

/** The reader id inside a valid cookie, or null for a missing or forged one. */
export function verifyReaderCookie(secret: string, value: string | undefined): string | null {
  if (!value || value.length > 100) return null;
  const dot = value.lastIndexOf('.');
  const id = value.slice(0, dot);
  return dot > 0 && /^[0-9a-f-]{36}$/.test(id) && safeEqual(value, signReaderId(secret, id)) ? id : null;
}

/**
 * This browser's anonymous reader id; sets the cookie when it is new. Call only
 * on requests that need it (writes, beacons, per-reader JSON): cached pages must
 * not set cookies.
 */
export function anonymousReaderId(req: FastifyRequest, reply: FastifyReply, secret: string): string {
  const existing = verifyReaderCookie(secret, req.cookies[READER_COOKIE]);
  if (existing) return existing;
  const id = crypto.randomUUID();
  reply.setCookie(READER_COOKIE, signReaderId(secret, id), { path: '/', httpOnly: true, sameSite: 'lax', secure: req.protocol === 'https', maxAge: READER_COOKIE_DAYS * 86400 });
  req.cookies[READER_COOKIE] = signReaderId(secret, id);
  return id;
}

/** A keyed hash of the client IP (req.ip honours TRUST_PROXY only). */
export function ipHash(secret: string, ip: string): string {
  return hmac(secret, `ip:${ip}`).slice(0, 22);
}
