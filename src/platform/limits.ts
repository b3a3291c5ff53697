// Flood limits for writes a stranger can make (reactions, typo reports), counted
// both per reader (account or reader cookie) and per IP. The IP is req.ip, which
// honours X-Forwarded-For only from TRUST_PROXY, so a forged header never buys a
// fresh allowance; the limiter keys on a keyed hash of it, never the IP itself.
//
// One route needs several limits (per reader and per IP, per minutes and per
// day), more than `config.rateLimit` holds, so each is a limiter of the platform's
// @fastify/rate-limit (`createRateLimit`) checked in the route's preHandler, after
// CSRF: a forged request does not eat the reader's allowance.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../types.js';
import { HttpError } from './errors.js';
import { anonymousReaderId, clientKeyOf, readerKey } from './reader.js';

export interface LimitRule {
  /** What the count is kept for. */
  per: 'reader' | 'ip';
  max: number;
  /** In milliseconds. */
  window: number;
}

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

/** A preHandler that counts the request against every rule and answers 429 (in Russian) past any of them. */
export function limiter(app: App, name: string, rules: LimitRule[]) {
  const checks = rules.map((rule) => ({
    rule,
    check: app.createRateLimit({
      max: rule.max,
      timeWindow: rule.window,
      // The window is part of the key: every rule shares one store (Redis in production).
      keyGenerator: (req: FastifyRequest) => `${name}:${rule.per}:${rule.window}:${rule.per === 'reader' ? readerKey(req, app.secret) : clientKeyOf(req, app.secret)}`,
    }),
  }));
  return async function checkLimits(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    // The write gives a new browser its reader cookie anyway; giving it now lets the
    // per-reader rules count this request. A script that drops cookies is a new
    // reader every time, which is what the per-IP rules are for.
    if (!req.user) anonymousReaderId(req, reply, app.secret, app.clock.now().getTime());
    // Every rule counts this request, so they are asked at once (one round trip to Redis, not four).
    let wait = 0;
    for (const result of await Promise.all(checks.map(({ check }) => check(req)))) {
      if (!result.isAllowed && result.isExceeded) wait = Math.max(wait, result.ttl);
    }
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      reply.header('retry-after', String(seconds));
      throw new HttpError(429, 'rate_limited', req.i18n.t('limits.tooMany', { wait: waitText(req, seconds) }));
    }
  };
}

export function waitText(req: FastifyRequest, seconds: number): string {
  if (seconds < 120) return req.i18n.plural('limits.seconds', seconds);
  if (seconds < 2 * 3600) return req.i18n.plural('limits.minutes', Math.ceil(seconds / 60));
  return req.i18n.plural('limits.hours', Math.ceil(seconds / 3600));
}
