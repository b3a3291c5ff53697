// Dating's conversation policy for the messages module: only a matched pair writes
// (neither blocked, neither held, the recipient not paused), at most 1,000
// characters, and for the first day of a match no links and no images. A
// conversation's subject is the profile written to (so a reply's subject may be
// the writer's own); new conversations are counted per account (the messages
// module counts per address).
import type { FastifyRequest } from 'fastify';
import * as linkify from 'linkifyjs';
import type { App } from '../../types.js';
import type { Clock } from '../../platform/clock.js';
import { DomainError } from '../../platform/errors.js';
import { i18n } from '../../platform/i18n/index.js';
import type { Settings } from '../../platform/settings.js';
import type { ConversationPolicy } from '../messages/index.js';
import type { DatingService } from './service.js';
import { DATING_SETTINGS } from './settings.js';

export const MESSAGE_MAX = 1000;
/** Markdown or HTML pictures, and addresses of image files, count as images. */
const IMAGE = /!\[[^\]]*\]\(|<img\b|\.(?:jpe?g|png|gif|webp|avif|heic)\b/i;

export function datingPolicy({ service, settings, clock, createRateLimit, timezone = 'Europe/Moscow' }: { service: DatingService; settings: Settings; clock: Clock; createRateLimit: App['createRateLimit']; timezone?: string }): ConversationPolicy {
  const perDay = createRateLimit({
    max: () => settings.get(DATING_SETTINGS.conversationsPerDay),
    timeWindow: 24 * 3600_000,
    keyGenerator: (req: FastifyRequest) => (req as unknown as { datingKey: string }).datingKey,
  });
  return {
    kind: 'profile',
    maxLength: MESSAGE_MAX,
    async check({ subjectId, actorId, from, to, text, conversationStartedAt }) {
      if (from.kind !== 'user' || to.kind !== 'user' || actorId !== from.id || (subjectId !== from.id && subjectId !== to.id)) throw new DomainError('dating.not_matched', {}, 403);
      if (text.length > MESSAGE_MAX) throw new DomainError('dating.message_too_long', { max: MESSAGE_MAX }, 400);
      const [matchedAt, blocked, writer, reader] = await Promise.all([service.matchedAt(from.id, to.id), service.blockedEither(from.id, to.id), service.me(from.id), service.own(to.id)]);
      if (!matchedAt || blocked || !writer) throw new DomainError('dating.not_matched', {}, 403);
      if (!reader || reader.held || reader.visibility === 'paused') throw new DomainError('dating.chat_paused', {}, 409);
      const quietMs = (await settings.get(DATING_SETTINGS.quietHours)) * 3600_000;
      if (clock.now().getTime() - matchedAt.getTime() < quietMs && (linkify.find(text).length > 0 || IMAGE.test(text))) throw new DomainError('dating.quiet_links', {}, 400);
      if (conversationStartedAt === null) {
        // A request of its own for the limiter (the plugin reads the route’s config and the key).
        const result = await perDay({ datingKey: `dating.conversations:u:${actorId}`, routeOptions: { config: {} }, ip: '' } as unknown as FastifyRequest);
        if (!result.isAllowed && result.isExceeded) throw new DomainError('dating.too_many_conversations', {}, 429);
      }
    },
    // Whose profile it is stays between the two: the header says only «Знакомства»,
    // in the reader's language (messages passes it; Russian when it does not).
    async describe(ids, locale = 'ru') {
      const words = i18n(locale, timezone);
      const out = new Map<number, { title: string; url: string }>();
      for (const id of ids) if (await service.exists(id)) out.set(id, { title: words.t('dating.chatTitle'), url: '/dating/matches' });
      return out;
    },
  };
}
