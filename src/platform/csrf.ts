// CSRF protection for cookie-authenticated writes (double submit, signed):
// the `gorod_csrf` cookie holds `random.hmac`, and a write must send the same
// value in the `_csrf` form field or the `x-csrf-token` header. An attacker's page
// can neither read the cookie nor forge a signed one.
//
// Routes marked `csrf: 'origin'` are no-JS forms on cached pages (identical HTML for
// every reader, so no per-reader token can be in them); they accept proof of the
// same origin instead: Sec-Fetch-Site or Origin, which browsers set on every POST.
import type { FastifyRequest } from 'fastify';
import { hmac, randomToken, safeEqual } from './secrets.js';

export const CSRF_COOKIE = 'gorod_csrf';

export function makeCsrfToken(secret: string): string {
  const nonce = randomToken(18);
  return `${nonce}.${hmac(secret, `csrf:${nonce}`)}`;
}

export function isSignedCsrfToken(secret: string, token: string | undefined): token is string {
  if (!token || token.length > 200) return false;
  const [nonce, mac] = token.split('.');
  return !!nonce && !!mac && safeEqual(mac, hmac(secret, `csrf:${nonce}`));
}

export function submittedToken(req: FastifyRequest): string | undefined {
  const header = req.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = req.body as Record<string, unknown> | undefined;
  return body && typeof body === 'object' && typeof body._csrf === 'string' ? body._csrf : undefined;
}

export function isSameOrigin(req: FastifyRequest, publicUrl: string): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin' || site === 'none';
  const origin = req.headers.origin;
  if (typeof origin !== 'string') return false;
  const host = req.headers.host;
  return origin === new URL(publicUrl).origin || (!!host && (origin === `http://${host}` || origin === `https://${host}`));
}
