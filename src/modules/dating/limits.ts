// Flood limits of the dating section, per account and per IP, whose figures are
// site settings (settings.ts): the platform's limiter (platform/limits.ts) takes
// fixed numbers, so this one asks the settings store on each count — the store
// keeps them in memory, and @fastify/rate-limit takes `max` as a function.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import { HttpError } from '../../platform/errors.js';
import { clientKeyOf, readerKey } from '../../platform/reader.js';
import { waitText } from '../../platform/limits.js';
import type { Setting } from '../../platform/settings.js';

export interface DatingLimitRule {
  per: 'account' | 'ip';
  max: Setting<number>;
  /** In milliseconds. */
  window: number;
}

/** A preHandler counting the request against every rule; 429 in the reader's language past any. */
export function datingLimiter(app: App, name: string, rules: DatingLimitRule[]) {
  const checks = rules.map((rule) =>
    app.createRateLimit({
      max: () => app.settings.get(rule.max),
      timeWindow: rule.window,
      keyGenerator: (req: FastifyRequest) => `dating.${name}:${rule.per}:${rule.window}:${rule.per === 'account' ? (readerKey(req, app.secret) ?? 'none') : clientKeyOf(req, app.secret)}`,
    }),
  );
  return async function checkDatingLimits(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    let wait = 0;
    for (const result of await Promise.all(checks.map((check) => check(req)))) {
      if (!result.isAllowed && result.isExceeded) wait = Math.max(wait, result.ttl);
    }
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      reply.header('retry-after', String(seconds));
      throw new HttpError(429, 'rate_limited', req.i18n.t('limits.tooMany', { wait: waitText(req, seconds) }));
    }
  };
}
