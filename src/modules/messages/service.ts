// Messages: conversations between two parties (an account, or an organisation whose
// members answer) about one subject, plain-text messages, read marks and unread
// counts per side, blocks, and the policies of the modules whose subjects people
// write about. The only code touching the module's tables. Every write is one
// transaction; the event, the notifications and the streams' tick follow the commit
// (`after`, given by the routes).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { DomainError } from '../../platform/errors.js';
import type { Settings } from '../../platform/settings.js';
import type { SessionUser } from '../../platform/sessions.js';
import type { SubjectKind, SubjectRef } from '../../platform/subjects.js';
import type { Locale } from '../../platform/i18n/index.js';
import type { Draft, Moderation } from '../moderation/index.js';
import { normalizeText, pairKey, partyKey, partyOf, sameParty, type Party } from './parties.js';
import { MESSAGE_SETTINGS } from './settings.js';
import './schema.js';

export type { Party };

/** A module whose subjects people write about (classifieds: 'ad', dating: 'profile') says who may write. */
export interface ConversationPolicy {
  kind: SubjectKind;
  /** Throw a DomainError (4xx, Russian message key) to refuse; called inside start() and send() before anything is stored. */
  check(input: {
    subjectId: number;
    /** The account writing (a member of `from` when from is an organisation). */
    actorId: number;
    from: Party;
    to: Party;
    text: string;
    /** Null when this message would start the conversation. */
    conversationStartedAt: Date | null;
  }): Promise<void>;
  /** Optional: words for the conversation's header (ad title + url; dating: «Знакомства»), in the reader's locale when given. */
  describe?(subjectIds: number[], locale?: Locale): Promise<Map<number, { title: string; url: string }>>;
  /** Optional: the longest message for this kind (dating: 1,000); else the setting `messages.maxLength`. */
  maxLength?: number;
}

export interface StartInput {
  subject: SubjectRef;
  from: Party;
  to: Party;
  actorId: number;
  text: string;
  confirmed?: boolean;
  /** The writer's address as a keyed hash (platform/reader.ts ipHash), for the per-address limits. */
  ipHash?: string;
}

export interface SendInput {
  conversationId: number;
  actorId: number;
  text: string;
  confirmed?: boolean;
  ipHash?: string;
  /** The side to write as (`u:<id>` or `o:<id>`), for an account that could act for both; else the first it may. */
  as?: string;
}

/** What the module tells after a commit (the routes wire it: the event, notifications, the streams). */
export interface AfterSend {
  conversationId: number;
  messageId: number;
  subject: SubjectRef;
  from: Party;
  to: Party;
  senderId: number;
  first: boolean;
  at: Date;
  answersAfterMs: number | null;
  text: string;
  /** The receiving side had nothing unread in this conversation before: one notification per conversation until read. */
  firstUnread: boolean;
}

export interface Deps {
  db: Kysely<DB>;
  clock: Clock;
  settings: Settings;
  moderation: Moderation;
  /** The account behind an id (moderation's draft needs its role), or null. */
  user: (id: number) => Promise<SessionUser | null>;
  /** Whether an organisation exists. */
  organisationExists: (id: number) => Promise<boolean>;
  /** The organisations the account is a member of (any role). */
  membershipsOf: (userId: number) => Promise<number[]>;
  /** The accounts of an organisation (every role answers). */
  membersOf: (organisationId: number) => Promise<number[]>;
  /** A subject that exists, when nobody's policy describes it (the subjects registry). */
  after: {
    sent(a: AfterSend): Promise<void>;
    /** These parties' open pages should look again (a removal, a block, a read mark). */
    changed(parties: string[]): Promise<void>;
    /** A side read the conversation to its newest message: what it was told of it needs no mail any more. */
    readAll(party: string, conversationId: number): Promise<void>;
  };
}

/** A message one party received from another (`receivedFrom`, a report's evidence). */
export interface ReceivedMessage {
  id: number;
  conversationId: number;
  text: string;
  at: Date;
}

/** The rows of one page of a thread. */
export interface ThreadMessage {
  id: number;
  sender: string;
  senderId: number | null;
  body: string;
  flagged: boolean;
  erased: boolean;
  createdAt: Date;
}

export interface InboxRow {
  conversationId: number;
  /** The side the reader acts for here (`u:<me>` or `o:<storefront>`). */
  party: string;
  other: string;
  subject: SubjectRef;
  lastMessageAt: Date;
  unread: number;
  gone: boolean;
  otherGone: boolean;
  lastBody: string;
  lastSender: string | null;
}

export const THREAD_PAGE = 50;
export const INBOX_PAGE = 30;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function createMessages(deps: Deps) {
  const { db, clock, settings, moderation } = deps;
  const policies = new Map<SubjectKind, ConversationPolicy>();
  const ago = (ms: number) => new Date(clock.now().getTime() - ms);

  function policyOf(kind: string): ConversationPolicy {
    const p = policies.get(kind as SubjectKind);
    if (!p) throw new DomainError('message.no_policy', {}, 400);
    return p;
  }

  /** The parties an account acts for: itself and every organisation it belongs to. */
  async function partiesOf(userId: number): Promise<string[]> {
    const orgs = await deps.membershipsOf(userId);
    return [`u:${userId}`, ...orgs.map((id) => `o:${id}`)];
  }

  /** Whether the account may write as (and read for) the party. */
  async function actsFor(userId: number, party: Party): Promise<boolean> {
    if (party.kind === 'user') return party.id === userId;
    return (await deps.membershipsOf(userId)).includes(party.id);
  }

  /** The accounts behind parties (a storefront: each of its members). */
  async function usersOf(parties: string[]): Promise<number[]> {
    const ids = new Set<number>();
    for (const key of new Set(parties)) {
      const p = partyOf(key);
      if (p.kind === 'user') ids.add(p.id);
      else for (const id of await deps.membersOf(p.id)) ids.add(id);
    }
    return [...ids];
  }

  async function partyExists(p: Party): Promise<boolean> {
    return p.kind === 'user' ? (await deps.user(p.id)) !== null : deps.organisationExists(p.id);
  }

  async function checkText(text: string, policy: ConversationPolicy): Promise<string> {
    const body = normalizeText(text);
    if (!body) throw new DomainError('message.empty', {}, 400);
    const max = policy.maxLength ?? (await settings.get(MESSAGE_SETTINGS.maxLength));
    if ([...body].length > max) throw new DomainError('message.too_long', { max }, 400);
    return body;
  }

  /** Whether either side blocked the other: the blocked side may not write, nor the blocker until it unblocks. */
  async function checkBlocks(from: string, to: string) {
    const rows = await db
      .selectFrom('message_blocks')
      .select(['blocker'])
      .where((eb) => eb.or([eb.and([eb('blocker', '=', to), eb('blocked', '=', from)]), eb.and([eb('blocker', '=', from), eb('blocked', '=', to)])]))
      .execute();
    if (rows.some((r) => r.blocker === to)) throw new DomainError('message.blocked', {}, 403);
    if (rows.length) throw new DomainError('message.you_blocked', {}, 403);
  }

  async function checkRate(input: { actorId: number; from: Party; ipHash: string; starting: boolean }) {
    const count = async (q: 'account' | 'ip', since: Date, starting: boolean) => {
      let query = db.selectFrom('messages').select((eb) => eb.fn.countAll<string>().as('n')).where('created_at', '>', since);
      query = q === 'account' ? query.where('sender_id', '=', input.actorId).where('sender', '=', `u:${input.actorId}`) : query.where('ip_hash', '=', input.ipHash);
      if (starting) query = query.where(sql<boolean>`not exists (select 1 from messages m2 where m2.conversation_id = messages.conversation_id and m2.id < messages.id)`);
      return Number((await query.executeTakeFirstOrThrow()).n);
    };
    const [perDay, perDayIp, perHour, perHourIp] = await Promise.all([
      settings.get(MESSAGE_SETTINGS.conversationsPerDay),
      settings.get(MESSAGE_SETTINGS.conversationsPerDayPerIp),
      settings.get(MESSAGE_SETTINGS.messagesPerHour),
      settings.get(MESSAGE_SETTINGS.messagesPerHourPerIp),
    ]);
    const asUser = input.from.kind === 'user';
    if (input.starting) {
      if (asUser && (await count('account', ago(DAY), true)) >= perDay) throw new DomainError('message.conversations_per_day', { max: perDay }, 429);
      if (input.ipHash && (await count('ip', ago(DAY), true)) >= perDayIp) throw new DomainError('message.conversations_per_day', { max: perDayIp }, 429);
    }
    if (asUser && (await count('account', ago(HOUR), false)) >= perHour) throw new DomainError('message.messages_per_hour', { max: perHour }, 429);
    if (input.ipHash && (await count('ip', ago(HOUR), false)) >= perHourIp) throw new DomainError('message.messages_per_hour', { max: perHourIp }, 429);
  }

  /**
   * The moderation pipeline (bans, stop words, links, repeated text…). Only a stop
   * word asks the writer «Вы уверены?» (409 `message.confirm`); confirmed, the
   * message goes out flagged. The other holds (a new account's first posts, typing
   * speed, pre-moderation) are for public texts and do not apply to private ones.
   */
  async function judge(user: SessionUser, ipHash: string, body: string, confirmed: boolean): Promise<string[]> {
    const draft: Draft = { kind: 'message', user, ipHash, body, scope: null, premoderation: false };
    const verdict = await moderation.moderate(moderation.pipeline([], 'new'), draft);
    const reasons = verdict.reasons.filter((r) => r.startsWith('stop_word'));
    if (reasons.length && !confirmed) throw new DomainError('message.confirm', {}, 409);
    return reasons;
  }

  /** Stores one message and updates both sides, in the caller's transaction. */
  async function store(trx: Transaction<DB>, c: { id: number; lastSender: string | null; lastMessageAt: Date | null }, from: string, to: string, actorId: number, body: string, flags: string[], ipHash: string) {
    const now = clock.now();
    const msg = await trx
      .insertInto('messages')
      .values({ conversation_id: c.id, sender: from, sender_id: actorId, body, flagged: flags.length > 0, flag_reasons: flags.join(','), ip_hash: ipHash, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.updateTable('message_conversations').set({ last_message_at: now, last_sender: from }).where('id', '=', c.id).execute();
    // The writer has read everything up to its own message.
    await trx.updateTable('message_participants').set({ last_message_at: now, last_read_id: msg.id, unread: 0 }).where('conversation_id', '=', c.id).where('party', '=', from).execute();
    const before = await trx
      .updateTable('message_participants')
      .set((eb) => ({ last_message_at: now, unread: eb('unread', '+', 1) }))
      .where('conversation_id', '=', c.id)
      .where('party', '=', to)
      .returning('unread')
      .executeTakeFirst();
    const answersAfterMs = c.lastSender && c.lastSender !== from && c.lastMessageAt ? now.getTime() - new Date(c.lastMessageAt).getTime() : null;
    return { messageId: msg.id, at: now, answersAfterMs, firstUnread: (before?.unread ?? 1) === 1 };
  }

  async function writer(actorId: number): Promise<SessionUser> {
    const user = await deps.user(actorId);
    if (!user) throw new DomainError('message.not_signed_in', {}, 401);
    return user;
  }

  /** The conversation row and its two sides, or null. */
  async function conversation(id: number) {
    const c = await db.selectFrom('message_conversations').selectAll().where('id', '=', id).where('removed_at', 'is', null).executeTakeFirst();
    if (!c) return null;
    const sides = await db.selectFrom('message_participants').selectAll().where('conversation_id', '=', id).execute();
    if (sides.length !== 2) return null;
    return { ...c, sides };
  }

  /** The conversation as one of its parties sees it: the side the account acts for (`as`, or the first it may), else a 404. */
  async function asParty(userId: number, conversationId: number, as?: string) {
    const c = await conversation(conversationId);
    if (!c) throw new DomainError('message.not_found', {}, 404);
    const mine = await partiesOf(userId);
    const side = c.sides.find((s) => (as ? s.party === as : true) && mine.includes(s.party));
    if (!side) throw new DomainError('message.not_found', {}, 404);
    const other = c.sides.find((s) => s !== side)!;
    return { c, side, other };
  }

  const service = {
    policies: {
      add(p: ConversationPolicy): void {
        if (policies.has(p.kind)) throw new Error(`conversation policy added twice: ${p.kind}`);
        policies.set(p.kind, p);
      },
      get: (kind: string) => policies.get(kind as SubjectKind),
      kinds: () => [...policies.keys()],
    },

    partiesOf,
    actsFor,
    usersOf,

    /** Opens (or reuses: one conversation per subject and pair of parties) and sends the first message. */
    async start(input: StartInput): Promise<{ conversationId: number; messageId: number; created: boolean }> {
      const policy = policyOf(input.subject.kind);
      if (!Number.isSafeInteger(input.subject.id) || input.subject.id < 1) throw new DomainError('message.subject_not_found', {}, 404);
      const from = partyKey(input.from);
      const to = partyKey(input.to);
      if (sameParty(input.from, input.to)) throw new DomainError('message.self', {}, 400);
      const user = await writer(input.actorId);
      if (!(await actsFor(input.actorId, input.from))) throw new DomainError('message.not_member', {}, 403);
      // Writing to one's own storefront is writing to oneself.
      if (input.to.kind === 'organisation' && (await actsFor(input.actorId, input.to))) throw new DomainError('message.self', {}, 400);
      if (!(await partyExists(input.to))) throw new DomainError('message.no_recipient', {}, 404);
      if (policy.describe && !(await policy.describe([input.subject.id])).has(input.subject.id)) throw new DomainError('message.subject_not_found', {}, 404);
      const pair = pairKey(input.from, input.to);
      const existing = await db
        .selectFrom('message_conversations')
        .select(['id', 'created_at'])
        .where('subject_kind', '=', input.subject.kind)
        .where('subject_id', '=', input.subject.id)
        .where('pair', '=', pair)
        .executeTakeFirst();
      if (existing) {
        const { messageId } = await service.send({ conversationId: existing.id, actorId: input.actorId, text: input.text, confirmed: input.confirmed, ipHash: input.ipHash, as: from });
        return { conversationId: existing.id, messageId, created: false };
      }
      const body = await checkText(input.text, policy);
      await checkBlocks(from, to);
      await checkRate({ actorId: input.actorId, from: input.from, ipHash: input.ipHash ?? '', starting: true });
      await policy.check({ subjectId: input.subject.id, actorId: input.actorId, from: input.from, to: input.to, text: body, conversationStartedAt: null });
      const flags = await judge(user, input.ipHash ?? '', body, !!input.confirmed);
      const now = clock.now();
      const done = await db.transaction().execute(async (trx) => {
        // Two first messages at once: the unique index decides, the loser writes into the winner's conversation.
        const row = await trx
          .insertInto('message_conversations')
          .values({ subject_kind: input.subject.kind, subject_id: input.subject.id, pair, started_by: input.actorId, created_at: now, last_message_at: now, last_sender: null })
          .onConflict((oc) => oc.doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!row) return null;
        await trx
          .insertInto('message_participants')
          .values([
            { conversation_id: row.id, party: from, other: to, last_message_at: now },
            { conversation_id: row.id, party: to, other: from, last_message_at: now },
          ])
          .execute();
        const stored = await store(trx, { id: row.id, lastSender: null, lastMessageAt: null }, from, to, input.actorId, body, flags, input.ipHash ?? '');
        return { conversationId: row.id, ...stored };
      });
      if (!done) return service.start(input);
      await deps.after.sent({ conversationId: done.conversationId, messageId: done.messageId, subject: input.subject, from: input.from, to: input.to, senderId: input.actorId, first: true, at: done.at, answersAfterMs: null, text: body, firstUnread: true });
      return { conversationId: done.conversationId, messageId: done.messageId, created: true };
    },

    /** A message in a conversation the account takes part in (as itself or as a member of the storefront). */
    async send(input: SendInput): Promise<{ messageId: number }> {
      const user = await writer(input.actorId);
      const { c, side, other } = await asParty(input.actorId, input.conversationId, input.as);
      const policy = policyOf(c.subject_kind);
      const body = await checkText(input.text, policy);
      if (side.gone || other.gone) throw new DomainError('message.party_gone', {}, 409);
      await checkBlocks(side.party, other.party);
      const from = partyOf(side.party);
      const to = partyOf(other.party);
      await checkRate({ actorId: input.actorId, from, ipHash: input.ipHash ?? '', starting: false });
      const subject = { kind: c.subject_kind as SubjectKind, id: c.subject_id };
      await policy.check({ subjectId: c.subject_id, actorId: input.actorId, from, to, text: body, conversationStartedAt: new Date(c.created_at) });
      const flags = await judge(user, input.ipHash ?? '', body, !!input.confirmed);
      const stored = await db.transaction().execute(async (trx) => {
        // Locked, so two answers at once each see the other's as the last one (the first-response time).
        const locked = await trx.selectFrom('message_conversations').select(['id', 'last_sender', 'last_message_at', 'removed_at']).where('id', '=', c.id).forUpdate().executeTakeFirst();
        if (!locked || locked.removed_at) throw new DomainError('message.not_found', {}, 404);
        return store(trx, { id: c.id, lastSender: locked.last_sender, lastMessageAt: locked.last_message_at }, side.party, other.party, input.actorId, body, flags, input.ipHash ?? '');
      });
      await deps.after.sent({ conversationId: c.id, messageId: stored.messageId, subject, from, to, senderId: input.actorId, first: false, at: stored.at, answersAfterMs: stored.answersAfterMs, text: body, firstUnread: stored.firstUnread });
      return { messageId: stored.messageId };
    },

    /** Unmatch (dating): the conversation disappears for both sides; its messages stay a while for reports and moderators. */
    async remove(conversationId: number): Promise<void> {
      const sides = await db.transaction().execute(async (trx) => {
        // The pair key gets the id appended: the subject and pair are free for a new conversation (a later rematch).
        const done = await trx
          .updateTable('message_conversations')
          .set({ removed_at: clock.now(), pair: sql`pair || '~' || id` })
          .where('id', '=', conversationId)
          .where('removed_at', 'is', null)
          .executeTakeFirst();
        if (!Number(done.numUpdatedRows)) return [];
        const rows = await trx.deleteFrom('message_participants').where('conversation_id', '=', conversationId).returning('party').execute();
        return rows.map((r) => r.party);
      });
      if (sides.length) await deps.after.changed(sides);
    },

    /** A party is gone (dating profile deleted): its side shows «Профиль удалён», the other side can no longer write. */
    async partyGone(party: Party, subject?: SubjectRef): Promise<void> {
      const key = partyKey(party);
      let q = db.updateTable('message_participants').set({ gone: true }).where('party', '=', key).where('gone', '=', false);
      if (subject) q = q.where('conversation_id', 'in', db.selectFrom('message_conversations').select('id').where('subject_kind', '=', subject.kind).where('subject_id', '=', subject.id));
      const rows = await q.returning(['other']).execute();
      if (rows.length) await deps.after.changed([key, ...rows.map((r) => r.other)]);
    },

    /** Conversation ids between two parties about a subject kind (dating: find the chat of a match). */
    async between(a: Party, b: Party, kind: SubjectKind): Promise<number[]> {
      const rows = await db.selectFrom('message_conversations').select('id').where('pair', '=', pairKey(a, b)).where('subject_kind', '=', kind).where('removed_at', 'is', null).orderBy('id').execute();
      return rows.map((r) => r.id);
    },

    /**
     * The evidence for a report (dating): messages `sender` wrote to `reader` in their
     * conversations about a subject kind, newest first, removed conversations included
     * while they are kept (an unmatch), erased texts left out. `ids` narrows to those
     * messages: an id that is not one of them is simply not returned (the caller
     * compares). The caller copies what it gets: pruning or erasure later does not
     * reach its copy.
     */
    async receivedFrom(reader: Party, sender: Party, kind: SubjectKind, opts: { ids?: readonly number[]; limit?: number } = {}): Promise<ReceivedMessage[]> {
      if (opts.ids && !opts.ids.length) return [];
      const pair = pairKey(reader, sender);
      let q = db
        .selectFrom('messages as m')
        .innerJoin('message_conversations as c', 'c.id', 'm.conversation_id')
        .select(['m.id', 'm.conversation_id', 'm.body', 'm.created_at'])
        .where('m.sender', '=', partyKey(sender))
        .where('m.erased', '=', false)
        .where('c.subject_kind', '=', kind)
        // A removed conversation's pair has `~<id>` appended (remove()).
        .where((eb) => eb.or([eb('c.pair', '=', pair), eb('c.pair', 'like', `${pair}~%`)]));
      if (opts.ids) q = q.where('m.id', 'in', [...opts.ids]);
      const rows = await q.orderBy('m.id', 'desc').limit(Math.min(opts.limit ?? 20, 100)).execute();
      return rows.map((r) => ({ id: r.id, conversationId: r.conversation_id, text: r.body, at: r.created_at }));
    },

    /** Unread messages in every conversation the account answers (its own and its storefronts'). */
    async unreadCount(userId: number): Promise<number> {
      const parties = await partiesOf(userId);
      const row = await db.selectFrom('message_participants').select((eb) => eb.fn.sum<string>('unread').as('n')).where('party', 'in', parties).where('unread', '>', 0).executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    /**
     * The inbox: the newest conversations of the given parties (the account's own
     * and its storefronts'). Each party's newest come from its own short range of the
     * index (party, last_message_at desc), so 50 storefronts cost 50 short scans, not
     * a sort of everything they ever had.
     */
    async inbox(parties: string[], opts: { limit?: number; before?: { at: Date; id: number } | null } = {}): Promise<InboxRow[]> {
      if (!parties.length) return [];
      const limit = Math.min(opts.limit ?? INBOX_PAGE, 100);
      const before = opts.before;
      const cut = before ? sql`and (p.last_message_at, p.conversation_id) < (${before.at}, ${before.id})` : sql``;
      const { rows } = await sql<{
        conversation_id: number;
        party: string;
        other: string;
        last_message_at: Date;
        unread: number;
        gone: boolean;
      }>`select t.* from unnest(${sql.val(parties)}::text[]) as q(party)
         cross join lateral (
           select p.conversation_id, p.party, p.other, p.last_message_at, p.unread, p.gone
           from message_participants p
           where p.party = q.party ${cut}
           order by p.last_message_at desc, p.conversation_id desc
           limit ${limit}
         ) t
         order by t.last_message_at desc, t.conversation_id desc
         limit ${limit}`.execute(db);
      if (!rows.length) return [];
      const ids = rows.map((r) => r.conversation_id);
      const [convs, others, lasts] = await Promise.all([
        db.selectFrom('message_conversations').select(['id', 'subject_kind', 'subject_id', 'last_sender']).where('id', 'in', ids).execute(),
        db.selectFrom('message_participants').select(['conversation_id', 'party', 'gone']).where('conversation_id', 'in', ids).execute(),
        db
          .selectFrom('messages')
          .select(['conversation_id', 'body', 'erased'])
          .where('id', 'in', db.selectFrom('messages').select((eb) => eb.fn.max('id').as('id')).where('conversation_id', 'in', ids).groupBy('conversation_id'))
          .execute(),
      ]);
      const conv = new Map(convs.map((c) => [c.id, c]));
      const last = new Map(lasts.map((m) => [m.conversation_id, m]));
      return rows.flatMap((r) => {
        const c = conv.get(r.conversation_id);
        if (!c) return [];
        const o = others.find((x) => x.conversation_id === r.conversation_id && x.party === r.other);
        const m = last.get(r.conversation_id);
        return [
          {
            conversationId: r.conversation_id,
            party: r.party,
            other: r.other,
            subject: { kind: c.subject_kind as SubjectKind, id: c.subject_id },
            lastMessageAt: new Date(r.last_message_at),
            unread: Number(r.unread),
            gone: r.gone,
            otherGone: o?.gone ?? false,
            lastBody: m && !m.erased ? m.body : '',
            lastSender: c.last_sender,
          },
        ];
      });
    },

    /** Unread counts of the given parties, by party (the inbox's filter shows them). */
    async unreadByParty(parties: string[]): Promise<Map<string, number>> {
      if (!parties.length) return new Map();
      const rows = await db.selectFrom('message_participants').select(['party', (eb) => eb.fn.sum<string>('unread').as('n')]).where('party', 'in', parties).where('unread', '>', 0).groupBy('party').execute();
      return new Map(rows.map((r) => [r.party, Number(r.n)]));
    },

    /** One conversation as a party sees it: its messages after `after` (else the newest THREAD_PAGE, before `before` when given), both sides' state, blocks. */
    async thread(userId: number, conversationId: number, opts: { after?: number; before?: number; as?: string } = {}) {
      const { c, side, other } = await asParty(userId, conversationId, opts.as);
      let q = db.selectFrom('messages').select(['id', 'sender', 'sender_id', 'body', 'flagged', 'erased', 'created_at']).where('conversation_id', '=', c.id);
      if (opts.before && !opts.after) q = q.where('id', '<', opts.before);
      q = opts.after ? q.where('id', '>', opts.after).orderBy('id').limit(200) : q.orderBy('id', 'desc').limit(THREAD_PAGE);
      const rows = await q.execute();
      if (!opts.after) rows.reverse();
      const blocks = await db
        .selectFrom('message_blocks')
        .select(['blocker'])
        .where((eb) => eb.or([eb.and([eb('blocker', '=', side.party), eb('blocked', '=', other.party)]), eb.and([eb('blocker', '=', other.party), eb('blocked', '=', side.party)])]))
        .execute();
      const messages: ThreadMessage[] = rows.map((m) => ({ id: m.id, sender: m.sender, senderId: m.sender_id, body: m.erased ? '' : m.body, flagged: m.flagged, erased: m.erased, createdAt: new Date(m.created_at) }));
      return {
        id: c.id,
        subject: { kind: c.subject_kind as SubjectKind, id: c.subject_id },
        createdAt: new Date(c.created_at),
        party: side.party,
        other: other.party,
        gone: side.gone,
        otherGone: other.gone,
        unread: side.unread,
        /** The other side read my messages up to this id («Прочитано»). */
        otherReadId: other.last_read_id,
        myReadId: side.last_read_id,
        iBlocked: blocks.some((b) => b.blocker === side.party),
        blockedMe: blocks.some((b) => b.blocker === other.party),
        messages,
      };
    },

    /** The party read the conversation up to a message (never backwards); the other side's «Прочитано» follows. */
    async markRead(userId: number, conversationId: number, upTo: number, as?: string): Promise<boolean> {
      const { c, side, other } = await asParty(userId, conversationId, as);
      const unreadAfter = await db.selectFrom('messages').select((eb) => eb.fn.countAll<string>().as('n')).where('conversation_id', '=', c.id).where('id', '>', upTo).where('sender', '=', other.party).executeTakeFirstOrThrow();
      const res = await db
        .updateTable('message_participants')
        .set({ last_read_id: sql`greatest(last_read_id, ${upTo})`, unread: Number(unreadAfter.n) })
        .where('conversation_id', '=', c.id)
        .where('party', '=', side.party)
        .where((eb) => eb.or([eb('last_read_id', '<', upTo), eb('unread', '>', Number(unreadAfter.n))]))
        .executeTakeFirst();
      const changed = Number(res.numUpdatedRows) > 0;
      if (changed) await deps.after.changed([side.party, other.party]);
      if (changed && Number(unreadAfter.n) === 0) await deps.after.readAll(side.party, c.id);
      return changed;
    },

    /** The reader's side blocks the other side of a conversation (or lifts its block). */
    async block(userId: number, conversationId: number, blocked: boolean, as?: string): Promise<void> {
      const { side, other } = await asParty(userId, conversationId, as);
      if (blocked) {
        await db.insertInto('message_blocks').values({ blocker: side.party, blocked: other.party, by_user: userId, created_at: clock.now() }).onConflict((oc) => oc.doNothing()).execute();
      } else {
        await db.deleteFrom('message_blocks').where('blocker', '=', side.party).where('blocked', '=', other.party).execute();
      }
      await deps.after.changed([side.party, other.party]);
    },

    /** The parties the given parties blocked (the inbox's «Заблокированные»). */
    blocksOf: (parties: string[]) => (parties.length ? db.selectFrom('message_blocks').select(['blocker', 'blocked', 'created_at']).where('blocker', 'in', parties).orderBy('created_at', 'desc').limit(200).execute() : Promise.resolve([])),

    async unblockParty(userId: number, blocker: string, blocked: string): Promise<void> {
      if (!(await partiesOf(userId)).includes(blocker)) throw new DomainError('message.not_found', {}, 404);
      await db.deleteFrom('message_blocks').where('blocker', '=', blocker).where('blocked', '=', blocked).execute();
      await deps.after.changed([blocker, blocked]);
    },

    /** A message a party of its conversation may report (someone else's, not erased), or a 404. */
    async reportable(userId: number, messageId: number) {
      const m = await db.selectFrom('messages').select(['id', 'conversation_id', 'sender', 'erased']).where('id', '=', messageId).executeTakeFirst();
      if (!m) throw new DomainError('message.not_found', {}, 404);
      const { side } = await asParty(userId, m.conversation_id);
      if (m.sender === side.party) throw new DomainError('message.own_message', {}, 400);
      return { conversationId: m.conversation_id };
    },

    // ---------- moderators: messages as a subject of reports ----------

    /** Messages by id, for the moderators (text included) and the subject registry (without it). */
    async byIds(ids: readonly number[]) {
      if (!ids.length) return [];
      return db
        .selectFrom('messages')
        .innerJoin('message_conversations as c', 'c.id', 'messages.conversation_id')
        .select(['messages.id', 'messages.conversation_id', 'messages.sender', 'messages.sender_id', 'messages.body', 'messages.flagged', 'messages.flag_reasons', 'messages.erased', 'messages.created_at', 'c.subject_kind', 'c.subject_id'])
        .where('messages.id', 'in', [...ids])
        .execute();
    },

    /** A moderator's decision on a reported message: rejected or deleted, its text goes; approved, its flag goes. */
    async decide(id: number, decision: 'approve' | 'reject' | 'delete'): Promise<string[]> {
      const row = await db
        .updateTable('messages')
        .set(decision === 'approve' ? { flagged: false } : { body: '', erased: true })
        .where('id', '=', id)
        .returning('conversation_id')
        .executeTakeFirst();
      if (!row) return [];
      const sides = await db.selectFrom('message_participants').select('party').where('conversation_id', '=', row.conversation_id).execute();
      return sides.map((s) => s.party);
    },

    // ---------- the account's data and its deletion; retention ----------

    /** The account's own conversations (not its storefronts'), every message in them, for «export my data». */
    async exportFor(userId: number) {
      const me = `u:${userId}`;
      const convs = await db
        .selectFrom('message_participants as p')
        .innerJoin('message_conversations as c', 'c.id', 'p.conversation_id')
        .select(['c.id', 'c.subject_kind', 'c.subject_id', 'c.created_at', 'p.other'])
        .where('p.party', '=', me)
        .orderBy('c.id')
        .execute();
      const messages = convs.length
        ? await db.selectFrom('messages').select(['id', 'conversation_id', 'sender', 'body', 'erased', 'created_at']).where('conversation_id', 'in', convs.map((c) => c.id)).orderBy('id').execute()
        : [];
      return convs.map((c) => ({
        id: c.id,
        subject: { kind: c.subject_kind, id: c.subject_id },
        with: c.other,
        startedAt: c.created_at,
        messages: messages.filter((m) => m.conversation_id === c.id).map((m) => ({ id: m.id, mine: m.sender === me, text: m.erased ? '' : m.body, at: m.created_at })),
      }));
    },

    /**
     * The account is being deleted (in the platform's forget transaction): the texts
     * it wrote as itself are erased, its side of its conversations is gone
     * («Профиль удалён»: the other side keeps its own messages and can no longer
     * write), its blocks go. What it wrote for a storefront stays the storefront's
     * (the author becomes nobody: `sender_id` is set null with the account row).
     */
    async forget(trx: Transaction<DB>, userId: number): Promise<string[]> {
      const me = `u:${userId}`;
      await trx.updateTable('messages').set({ body: '', erased: true }).where('sender', '=', me).execute();
      const rows = await trx.updateTable('message_participants').set({ gone: true, unread: 0 }).where('party', '=', me).returning('other').execute();
      await trx.deleteFrom('message_blocks').where((eb) => eb.or([eb('blocker', '=', me), eb('blocked', '=', me)])).execute();
      return rows.map((r) => r.other);
    },

    /** The retention job: messages older than `messages.retentionDays` (0: kept), removed conversations after their keep. */
    async prune(): Promise<{ messages: number; conversations: number }> {
      const [days, keepDays] = await Promise.all([settings.get(MESSAGE_SETTINGS.retentionDays), settings.get(MESSAGE_SETTINGS.removedKeepDays)]);
      let messages = 0;
      let conversations = 0;
      if (days > 0) {
        const cut = ago(days * DAY);
        messages += Number((await db.deleteFrom('messages').where('created_at', '<', cut).executeTakeFirst()).numDeletedRows);
        // A conversation nothing is left of goes too.
        conversations += Number((await db.deleteFrom('message_conversations').where('last_message_at', '<', cut).executeTakeFirst()).numDeletedRows);
      }
      conversations += Number((await db.deleteFrom('message_conversations').where('removed_at', '<', ago(keepDays * DAY)).executeTakeFirst()).numDeletedRows);
      return { messages, conversations };
    },
  };
  return service;
}

export type MessagesService = ReturnType<typeof createMessages>;

/** What other modules get as `app.messages` (the contract; the routes use the whole service). */
export interface Messages {
  policies: { add(p: ConversationPolicy): void };
  start(input: StartInput): Promise<{ conversationId: number; messageId: number; created: boolean }>;
  send(input: SendInput): Promise<{ messageId: number }>;
  remove(conversationId: number): Promise<void>;
  partyGone(party: Party, subject?: SubjectRef): Promise<void>;
  between(a: Party, b: Party, kind: SubjectKind): Promise<number[]>;
  /** What `sender` wrote to `reader` about a subject kind, newest first, removed conversations too (a report's evidence). */
  receivedFrom(reader: Party, sender: Party, kind: SubjectKind, opts?: { ids?: readonly number[]; limit?: number }): Promise<ReceivedMessage[]>;
  unreadCount(userId: number): Promise<number>;
}
