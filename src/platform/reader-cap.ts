// The anti-stuffing rule, shared by what a stranger can count: views, reactions and
// anonymous comment votes (the figures and the reasoning: modules/audience/README.md).
//
// - A reader counts only once their identity was issued by an EARLIER request: a
//   signed-in account, or a reader cookie the request brought. A script that drops
//   cookies, or takes a fresh one for every request, is never counted.
// - An identity issued less than a day ago is new. One address (an IPv6 /64 counts
//   as one) may add at most NEW_READERS_PER_HOUR counts from new identities to one
//   subject in an hour, so minting cookies first buys little; a carrier NAT with a
//   hundred real readers of a story still counts them all, and readers whose cookie
//   is older than a day are never capped.
import type { FastifyRequest } from 'fastify';
import type { App } from '../types.js';
import { clientKey, type ReaderStanding } from './reader.js';

export const NEW_READER_MS = 24 * 3600_000;
export const NEW_READERS_PER_HOUR = 150;
const HOUR_MS = 3600_000;

export type CountVerdict = 'counted' | 'unproven' | 'capped';

/** What a counted action needs to know: the reader's standing, the client's address and the subject. */
export interface CountAsk {
  standing: ReaderStanding;
  ip: string;
  /** `article:42`, `comment:7`: the cap is per subject. */
  subject: string;
}

/**
 * `name` keeps the caps of views, reactions and votes apart. The counter lives in
 * the platform's rate-limit store (Redis when there, so every instance shares it).
 */
export function newReaderCap(app: App, name: string, { max = NEW_READERS_PER_HOUR } = {}) {
  const check = app.createRateLimit({
    max,
    timeWindow: HOUR_MS,
    keyGenerator: (req: FastifyRequest) => (req as unknown as { capKey: string }).capKey,
  });
  return async function verdict(ask: CountAsk): Promise<CountVerdict> {
    const { standing } = ask;
    if (standing.kind === 'account') return 'counted';
    if (standing.kind === 'unproven') return 'unproven';
    if (app.clock.now().getTime() - standing.issuedAt >= NEW_READER_MS) return 'counted';
    // The rate limiter takes a request; it reads only the key from it.
    const key = `newreaders:${name}:${ask.subject}:${clientKey(app.secret, ask.ip)}`;
    const result = await check({ capKey: key, ip: ask.ip, routeOptions: { config: {} } } as unknown as FastifyRequest);
    return !result.isAllowed && result.isExceeded ? 'capped' : 'counted';
  };
}
export type NewReaderCap = ReturnType<typeof newReaderCap>;
