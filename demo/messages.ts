// Demo conversations, for the modules whose subjects people write about: the
// classifieds' and dating's demo seeds call `seedConversations` with their ads or
// profiles and their demo accounts (messages seeds none of its own: it has no
// subjects). Each conversation goes through the real service (policies, moderation,
// read marks); the flood limits are lifted while the demo is written, then put back.
import type { App } from '../src/types.js';
import type { SubjectRef } from '../src/platform/subjects.js';
import { MESSAGE_SETTINGS, partyKey, type Party } from '../src/modules/messages/index.js';

export interface DemoConversation {
  subject: SubjectRef;
  /** Who writes first, and to whom (an organisation: a storefront whose members answer). */
  from: Party;
  to: Party;
  /** In order; `side` says who writes; `actorId` is the account (for an organisation, one of its members). */
  messages: { side: 'from' | 'to'; actorId: number; text: string }[];
}

const LIMITS = [MESSAGE_SETTINGS.conversationsPerDay, MESSAGE_SETTINGS.conversationsPerDayPerIp, MESSAGE_SETTINGS.messagesPerHour, MESSAGE_SETTINGS.messagesPerHourPerIp];

/** Writes the conversations; their ids in the order given. */
export async function seedConversations(app: App, list: DemoConversation[]): Promise<number[]> {
  const kept = await Promise.all(LIMITS.map((s) => app.settings.get(s)));
  await Promise.all(LIMITS.map((s) => app.settings.set(s, 100_000)));
  const ids: number[] = [];
  try {
    for (const c of list) {
      const [first, ...rest] = c.messages;
      if (!first || first.side !== 'from') throw new Error('a demo conversation starts with a message of its `from` side');
      const { conversationId } = await app.messages.start({ subject: c.subject, from: c.from, to: c.to, actorId: first.actorId, text: first.text, confirmed: true });
      for (const m of rest) await app.messages.send({ conversationId, actorId: m.actorId, text: m.text, confirmed: true, as: partyKey(m.side === 'from' ? c.from : c.to) });
      ids.push(conversationId);
    }
  } finally {
    await Promise.all(LIMITS.map((s, i) => app.settings.set(s, kept[i]!)));
  }
  return ids;
}
