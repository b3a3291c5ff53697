// Messages' pages and API, every one per reader (`Cache-Control: private, no-store`,
// never page-cached):
//  - /me/messages: the inbox of every party the reader acts for (self and each
//    storefront where they hold a membership), filter `?party=o:<id>`;
//  - /me/messages/<id>: the thread (who answered, read marks, block, report, a form to
//    answer; the `messages-thread` island adds live updates through the stream);
//  - /me/messages/start: the «Написать» form (GET, the no-JS fallback) and its POST,
//    which classifieds' and dating's pages post to (same-origin proof: their pages are
//    cached and hold no CSRF token);
//  - /me/messages/stream: server-sent events ticking when the reader's messages change
//    (streams.ts), across instances through the page cache's purge;
//  - /api/messages/…: the JSON equivalents.
// It registers the `message` subject (reports; its text only in the moderators'
// queue), the `message` notification kind, the badge counter, the reader-state part,
// the data export, the account-deletion rows and the retention job.
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import { DomainError } from '../../platform/errors.js';
import { openEventStream } from '../../platform/event-streams.js';
import { domainMessage, type Locale } from '../../platform/i18n/index.js';
import { html, redirect, RowId } from '../../platform/openapi.js';
import { ipHash } from '../../platform/reader.js';
import type { SubjectKind, SubjectRef } from '../../platform/subjects.js';
import { REPORT_REASONS, type ReportReason } from '../moderation/index.js';
import { parseParty, partyKey } from './parties.js';
import { threadPath } from './paths.js';
import { createMessages, INBOX_PAGE, THREAD_PAGE, type AfterSend, type InboxRow, type Messages, type MessagesService } from './service.js';
import { MESSAGE_SETTINGS } from './settings.js';
import { MessageStreams, TAG_PREFIX, userTag } from './streams.js';
import { InboxPage } from './views/inbox.js';
import { StartPage } from './views/start.js';
import { ThreadPage, type ThreadData } from './views/thread.js';
import './schema.js';

declare module 'fastify' {
  interface FastifyInstance {
    messages: Messages;
  }
}

const tags = ['messages'];
const signedIn = { roles: ['reader', 'author', 'editor', 'moderator'] as ('reader' | 'author' | 'editor' | 'moderator')[] };
const writes = { max: 30, timeWindow: '1 minute' };
const IdParams = Type.Object({ id: RowId() });
const Csrf = { _csrf: Type.Optional(Type.String({ maxLength: 200 })) };
const PartyText = Type.String({ maxLength: 24, description: '`u:<user id>` or `o:<organisation id>`' });
const Text = Type.String({ maxLength: 25_000 });
const Confirmed = Type.Optional(Type.Union([Type.Boolean(), Type.String({ maxLength: 5 })], { description: 'true: send over the «Вы уверены?» of a stop word (flagged)' }));
const StartFields = { kind: Type.String({ maxLength: 40 }), id: Type.Union([Type.Integer({ minimum: 1, maximum: 2_147_483_647 }), Type.String({ maxLength: 12 })]), to: PartyText, as: Type.Optional(PartyText), text: Text, confirmed: Confirmed };
const StartForm = Type.Object({ ...Csrf, ...StartFields });
const StartQuery = Type.Object({ kind: Type.Optional(Type.String({ maxLength: 40 })), id: Type.Optional(Type.String({ maxLength: 12 })), to: Type.Optional(PartyText), as: Type.Optional(PartyText) });
const SendForm = Type.Object({ ...Csrf, text: Text, confirmed: Confirmed, as: Type.Optional(PartyText) });
const ReportForm = Type.Object({ ...Csrf, message: Type.Union([Type.Integer({ minimum: 1, maximum: 2_147_483_647 }), Type.String({ maxLength: 12 })]), reason: Type.Optional(Type.String({ maxLength: 20 })), text: Type.Optional(Type.String({ maxLength: 500 })) });
const BlockForm = Type.Object({ ...Csrf, as: Type.Optional(PartyText) });
const UnblockForm = Type.Object({ ...Csrf, blocker: PartyText, blocked: PartyText });
const InboxQuery = Type.Object({ party: Type.Optional(PartyText), before: Type.Optional(Type.String({ maxLength: 30, pattern: '^[0-9]{1,15}\\.[0-9]{1,10}$', description: 'the next page: `<ms>.<conversation id>` of the last one shown' })), notice: Type.Optional(Type.String({ maxLength: 20 })) });
const ThreadQuery = Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_147_483_647 })), before: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'earlier messages: the newest page before this id' })), as: Type.Optional(PartyText), notice: Type.Optional(Type.String({ maxLength: 20 })) });

const MessageOut = Type.Object({
  id: Type.Integer(),
  mine: Type.Boolean(),
  text: Type.String({ description: 'plain text; never HTML' }),
  senderName: Type.String(),
  memberName: Type.Union([Type.String(), Type.Null()], { description: 'for a storefront: the member who answered' }),
  flagged: Type.Boolean(),
  erased: Type.Boolean(),
  read: Type.Boolean({ description: 'mine, and the other side read it' }),
  at: Type.String({ format: 'date-time' }),
  when: Type.String({ description: 'the moment as the pages write it («18:32», «вчера, 18:32», «30 ноября, 18:32»)' }),
});
const ThreadOut = Type.Object({
  id: Type.Integer(),
  party: Type.String(),
  other: Type.String(),
  otherName: Type.String(),
  otherGone: Type.Boolean(),
  subject: Type.Object({ kind: Type.String(), id: Type.Integer(), title: Type.String(), url: Type.String() }),
  iBlocked: Type.Boolean(),
  blockedMe: Type.Boolean(),
  otherReadId: Type.Integer(),
  unread: Type.Integer(),
  messages: Type.Array(MessageOut),
});
const InboxOut = Type.Object({
  unread: Type.Integer(),
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      party: Type.String(),
      partyName: Type.String(),
      other: Type.String(),
      otherName: Type.String(),
      subject: Type.Object({ kind: Type.String(), id: Type.Integer(), title: Type.String(), url: Type.String() }),
      lastText: Type.String(),
      lastAt: Type.String({ format: 'date-time' }),
      unread: Type.Integer(),
      gone: Type.Boolean(),
    }),
  ),
});
const Started = Type.Object({ conversationId: Type.Integer(), messageId: Type.Integer(), created: Type.Boolean(), url: Type.String() });
const Sent = Type.Object({ messageId: Type.Integer() });
const Unread = Type.Object({ unread: Type.Integer() });
const Ok = Type.Object({ ok: Type.Boolean() });
const StreamRefused = Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String() }) }, { description: '406: not asked as text/event-stream; 503: too many streams on this instance' });

const yes = (v: boolean | string | undefined) => v === true || v === 'true' || v === '1' || v === 'on';
const toId = (v: number | string) => {
  const n = typeof v === 'number' ? v : /^[1-9]\d{0,9}$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n > 2_147_483_647) throw new DomainError('message.subject_not_found', {}, 404);
  return n;
};
const party = (text: string | undefined) => {
  if (text === undefined) return undefined;
  const p = parseParty(text);
  if (!p) throw new DomainError('message.bad_party', {}, 400);
  return p;
};

async function messagesModule(app: App) {
  const { organisations, accounts } = app;
  const streams = new MessageStreams();
  app.addHook('preClose', async () => streams.closeAll());

  // Every purge of `messages:u:<id>`, here or from another instance, ticks that account's streams.
  app.pageCache.onPurge((purged) => {
    if (purged.includes('*')) return streams.notifyAll();
    const ids = purged.flatMap((t) => (t.startsWith(TAG_PREFIX) ? [Number(t.slice(TAG_PREFIX.length))] : []));
    if (ids.length) streams.notify(ids);
  });

  const service: MessagesService = createMessages({
    db: app.database.db,
    clock: app.clock,
    settings: app.settings,
    moderation: app.moderation,
    user: async (id) => {
      const u = await accounts.byId(id);
      return u ? { id: u.id, email: u.email, displayName: u.display_name, role: u.role } : null;
    },
    organisationExists: async (id) => (await organisations.get(id).catch(() => null)) !== null,
    membershipsOf: async (userId) => (await organisations.ofUser(userId)).map((o) => o.id),
    membersOf: async (orgId) => (await organisations.members(orgId)).map((m) => m.user_id),
    after: { sent, changed, readAll },
  });
  app.decorate('messages', service);

  /** Read on the site: the mail a new message's notification would send 10 minutes later is not sent (to any member of a storefront's side). */
  async function readAll(party: string, conversationId: number) {
    await app.notifications.readAbout(await service.usersOf([party]), 'message', threadPath(conversationId));
  }

  /** The accounts behind these parties look again (their streams tick, on every instance). */
  async function changed(parties: string[]) {
    const users = await service.usersOf(parties);
    if (users.length) await app.pageCache.purge(users.map(userTag));
  }

  /** After a committed send: the event, the streams' tick, the notification. The message is stored and
   * delivered whatever fails here, so a failure is logged, not answered as an error (the writer would send it twice). */
  async function sent(a: AfterSend) {
    const { text, firstUnread, ...event } = a;
    const from = partyKey(a.from);
    const to = partyKey(a.to);
    const steps: [string, () => Promise<unknown>][] = [
      ['message.sent listeners', () => app.events.emit('message.sent', event)],
      ['streams', () => changed([from, to])],
      [
        'notification',
        async () => {
          // One notification per conversation until the receiver reads it (the notifications module batches the mail).
          if (!firstUnread) return;
          const [names, recipients] = await Promise.all([partyNames([from]), service.usersOf([to])]);
          const actorName = names.get(from) ?? '';
          await app.notifications.notifyMany(
            recipients.filter((id) => id !== a.senderId).map((recipientId) => ({ recipientId, kind: 'message', subject: { kind: 'message' as SubjectKind, id: a.messageId }, url: threadPath(a.conversationId), actorName, excerpt: [...text].slice(0, 140).join('') })),
          );
        },
      ],
    ];
    for (const [what, step] of steps) {
      await step().catch((err: Error) => app.log.error({ err, conversationId: a.conversationId, messageId: a.messageId }, `messages: ${what} failed after a send`));
    }
  }

  /** What the pages call the parties: an account's display name, a storefront's name (`known`: names the caller has already). */
  async function partyNames(keys: string[], known: Map<string, string> = new Map()): Promise<Map<string, string>> {
    const out = new Map<string, string>(known);
    const users: number[] = [];
    const orgs: number[] = [];
    for (const k of new Set(keys)) {
      if (known.has(k)) continue;
      const p = parseParty(k);
      if (p?.kind === 'user') users.push(p.id);
      else if (p) orgs.push(p.id);
    }
    const [userNames, orgNames] = await Promise.all([accounts.displayNames(users), Promise.all(orgs.map((id) => organisations.get(id).catch(() => null)))]);
    for (const id of users) out.set(`u:${id}`, userNames.get(id) ?? '');
    for (const o of orgNames) if (o) out.set(`o:${o.id}`, o.name);
    return out;
  }

  /** Titles and addresses of subjects: the kind's policy says, else the subject registry. */
  async function subjectWords(refs: SubjectRef[], locale: Locale): Promise<Map<string, { title: string; url: string }>> {
    const out = new Map<string, { title: string; url: string }>();
    const byKind = new Map<SubjectKind, number[]>();
    for (const r of refs) byKind.set(r.kind, [...new Set([...(byKind.get(r.kind) ?? []), r.id])]);
    for (const [kind, ids] of byKind) {
      const policy = policyOf(kind);
      let found: Map<number, { title: string; url: string }> = new Map();
      if (policy?.describe) found = await policy.describe(ids, locale).catch(() => new Map());
      else if (app.subjects.has(kind)) found = await app.subjects.describeMany(kind, ids).catch(() => new Map());
      for (const [id, w] of found) out.set(`${kind}:${id}`, { title: w.title, url: w.url });
    }
    return out;
  }
  const policyOf = (kind: string) => service.policies.get(kind);

  // ---------- the platform's extension points ----------

  app.subjects.register({
    kind: 'message',
    owner: 'messages',
    // A message is private: the public registry knows none (no comment or reaction can
    // attach to one, no stranger can probe ids), and only a party of its conversation
    // may report it; its text is shown only in the moderators' queue (items below).
    describe: async () => new Map(),
    async reportable(id, userId) {
      if (userId === null) return null;
      const { conversationId } = await service.reportable(userId, id).catch((err: unknown) => {
        if (err instanceof DomainError && err.statusCode < 500) return { conversationId: null };
        throw err;
      });
      const m = conversationId === null ? undefined : (await service.byIds([id]))[0];
      return m && !m.erased ? { kind: 'message' as const, id: m.id, title: `#${m.id}`, url: threadPath(m.conversation_id), tags: [], scope: null, authorId: m.sender_id } : null;
    },
  });

  app.moderation.addKind({
    kind: 'message',
    // Nothing waits: a message over a stop word is sent flagged after «Вы уверены?»; only reports bring one here.
    held: async () => [],
    heldCount: async () => 0,
    async items(ids) {
      const rows = (await service.byIds(ids)).filter((m) => !m.erased);
      const names = await partyNames(rows.map((m) => m.sender));
      const members = await accounts.displayNames(rows.flatMap((m) => (m.sender_id ? [m.sender_id] : [])));
      return rows.map((m) => ({
        kind: 'message' as const,
        id: m.id,
        body: m.body,
        authorId: m.sender_id,
        authorName: m.sender.startsWith('o:') ? `${names.get(m.sender) ?? ''} (${m.sender_id ? (members.get(m.sender_id) ?? '') : ''})` : (names.get(m.sender) ?? null),
        createdAt: new Date(m.created_at),
        held: false,
        heldReasons: m.flag_reasons ? m.flag_reasons.split(',') : [],
        context: null,
        scope: null,
      }));
    },
    async decide(id, decision) {
      await changed(await service.decide(id, decision));
    },
    // Enough reports: the text stays (it is a private conversation) until a moderator decides.
    hold: async () => {},
  });

  // Mail only by default: on the site the inbox and the badge (our counter) already tell; a site notification
  // as well would count every new conversation twice in the account corner.
  app.notifications.kinds.define({ kind: 'message', defaults: { site: false, mail: true }, mailWindowMs: app.config.notifyMailWindowMinutes * 60_000 });
  app.accounts.addCounter('messages', (userId) => service.unreadCount(userId));
  app.accounts.addExport('messages', (userId) => service.exportFor(userId));
  // The profile page links the inbox (the account pages' navigation is accounts' own).
  app.accounts.addProfileSection('messages', async (req) => {
    const unread = await service.unreadCount(req.user!.id);
    return (
      <section class="profile-section" id="messages">
        <h2>{req.i18n.t('messages.inbox.title')}</h2>
        <p>
          <a href="/me/messages">{req.i18n.t('messages.nav')}</a>
          {unread ? ` · ${req.i18n.plural('messages.inbox.unread', unread)}` : ''}
        </p>
      </section>
    );
  });
  app.readerRows.add({
    owner: 'messages',
    // Messages are an account's only: an anonymous browser never has any.
    move: async () => {},
    forget: async (trx, account) => {
      if (account.userId !== null) await service.forget(trx, account.userId);
    },
  });
  app.readerState.add('messages', Type.Union([Type.Object({ unread: Type.Integer() }), Type.Null()]), async (ctx) => (ctx.user ? { unread: await service.unreadCount(ctx.user.id) } : null));
  app.jobs.define('messages.retention', 3_600_000, async () => {
    await service.prune();
  });

  // Per reader, always: never kept by a browser, a proxy or the page cache.
  app.addHook('onSend', async (req, reply) => {
    const url = req.routeOptions.url ?? '';
    if (url.startsWith('/me/messages') || url.startsWith('/api/messages')) reply.header('cache-control', 'private, no-store');
  });

  // ---------- helpers of the pages ----------

  const me = (req: FastifyRequest) => req.user!.id;
  const addressHash = (req: FastifyRequest) => ipHash(app.secret, req.ip);

  async function myParties(userId: number) {
    const orgs = await organisations.ofUser(userId);
    return [{ key: `u:${userId}`, name: '', kind: 'user' as const }, ...orgs.map((o) => ({ key: `o:${o.id}`, name: o.name, kind: 'organisation' as const }))];
  }

  async function inboxData(userId: number, locale: Locale, filter?: string, before?: string) {
    const parties = await myParties(userId);
    const keys = parties.map((p) => p.key);
    if (filter && !keys.includes(filter)) throw new DomainError('message.not_member', {}, 403);
    const cursor = before ? { at: new Date(Number(before.split('.')[0])), id: Number(before.split('.')[1]) } : null;
    const rows = await service.inbox(filter ? [filter] : keys, { before: cursor && Number.isFinite(cursor.at.getTime()) ? cursor : null });
    const [names, words, unread, blocks] = await Promise.all([
      partyNames([...rows.map((r) => r.other), ...rows.map((r) => r.party)], new Map(parties.filter((p) => p.kind === 'organisation').map((p) => [p.key, p.name]))),
      subjectWords(rows.map((r) => r.subject), locale),
      service.unreadByParty(keys),
      service.blocksOf(keys),
    ]);
    const blockedNames = await partyNames(blocks.map((b) => b.blocked));
    return { parties, rows, names, words, unread, blocks: blocks.map((b) => ({ blocker: b.blocker, blocked: b.blocked, name: blockedNames.get(b.blocked) ?? '' })) };
  }

  const inboxItem = (r: InboxRow, d: Awaited<ReturnType<typeof inboxData>>) => {
    const w = d.words.get(`${r.subject.kind}:${r.subject.id}`);
    return {
      id: r.conversationId,
      party: r.party,
      partyName: d.names.get(r.party) ?? '',
      other: r.other,
      otherName: d.names.get(r.other) ?? '',
      subject: { ...r.subject, title: w?.title ?? '', url: w?.url ?? '' },
      lastText: r.lastBody,
      lastAt: r.lastMessageAt.toISOString(),
      unread: r.unread,
      gone: r.otherGone,
    };
  };

  async function threadData(userId: number, id: number, opts: { after?: number; before?: number; as?: string; locale: Locale }): Promise<ThreadData> {
    const t = await service.thread(userId, id, opts);
    const [names, words, members] = await Promise.all([
      partyNames([t.party, t.other]),
      subjectWords([t.subject], opts.locale),
      accounts.displayNames([...new Set(t.messages.flatMap((m) => (m.sender.startsWith('o:') && m.senderId ? [m.senderId] : [])))]),
    ]);
    const w = words.get(`${t.subject.kind}:${t.subject.id}`);
    return {
      id: t.id,
      party: t.party,
      partyName: names.get(t.party) ?? '',
      other: t.other,
      otherName: names.get(t.other) ?? '',
      otherGone: t.otherGone,
      gone: t.gone,
      subject: { ...t.subject, title: w?.title ?? '', url: w?.url ?? '' },
      iBlocked: t.iBlocked,
      blockedMe: t.blockedMe,
      otherReadId: t.otherReadId,
      unread: t.unread,
      maxLength: policyOf(t.subject.kind)?.maxLength ?? (await app.settings.get(MESSAGE_SETTINGS.maxLength)),
      messages: t.messages.map((m) => ({
        id: m.id,
        mine: m.sender === t.party,
        text: m.body,
        senderName: names.get(m.sender) ?? '',
        memberName: m.sender.startsWith('o:') ? (m.senderId ? (members.get(m.senderId) ?? '') : '') : null,
        flagged: m.flagged,
        erased: m.erased,
        read: m.sender === t.party && m.id <= t.otherReadId,
        at: m.createdAt,
      })),
    };
  }

  /** The newest message the reader sees has been read (opening the thread, or the island after new ones came). */
  async function readUpTo(userId: number, t: ThreadData) {
    const last = t.messages.at(-1);
    if (last && t.unread > 0) await service.markRead(userId, t.id, last.id, t.party);
  }

  const notices = (req: FastifyRequest, notice: string | undefined) => (notice && ['reported', 'blocked', 'unblocked', 'sent'].includes(notice) ? req.i18n.t(`messages.notice.${notice}` as 'messages.notice.sent') : undefined);

  // ---------- pages ----------

  app.get('/me/messages', { config: signedIn, schema: { tags, summary: 'My conversations and my storefronts’, newest first; `?party=o:<id>` one party only', querystring: InboxQuery, response: { 200: html('The inbox') } } }, async (req, reply) => {
    const d = await inboxData(me(req), req.i18n.locale, req.query.party, req.query.before);
    const total = [...d.unread.values()].reduce((a, b) => a + b, 0);
    const last = d.rows.length === INBOX_PAGE ? d.rows.at(-1) : undefined;
    const more = last ? `/me/messages?${new URLSearchParams({ ...(req.query.party ? { party: req.query.party } : {}), before: `${last.lastMessageAt.getTime()}.${last.conversationId}` })}` : null;
    return app.pages.send(req, reply, <InboxPage ctx={app.pages.context(req)} csrf={req.csrfToken()} filter={req.query.party ?? null} parties={d.parties} unread={d.unread} total={total} items={d.rows.map((r) => inboxItem(r, d))} blocks={d.blocks} more={more} notice={notices(req, req.query.notice)} />);
  });

  async function startPage(req: FastifyRequest, reply: FastifyReply, q: { kind?: string; id?: string | number; to?: string; as?: string; text?: string }, error?: { message: string; confirm: boolean; status: number }) {
    const userId = me(req);
    if (!q.kind || !policyOf(q.kind)) throw new DomainError('message.no_policy', {}, 400);
    const id = toId(q.id ?? '');
    const to = party(q.to);
    if (!to) throw new DomainError('message.bad_party', {}, 400);
    const [words, names, parties] = await Promise.all([subjectWords([{ kind: q.kind as SubjectKind, id }], req.i18n.locale), partyNames([partyKey(to)]), myParties(userId)]);
    const w = words.get(`${q.kind}:${id}`);
    if (policyOf(q.kind)?.describe && !w) throw new DomainError('message.subject_not_found', {}, 404);
    const max = policyOf(q.kind)?.maxLength ?? (await app.settings.get(MESSAGE_SETTINGS.maxLength));
    return app.pages.send(
      req,
      reply.status(error?.status ?? 200),
      <StartPage ctx={app.pages.context(req)} csrf={req.csrfToken()} kind={q.kind} id={id} to={partyKey(to)} toName={names.get(partyKey(to)) ?? ''} subject={w ?? null} as={q.as ?? null} parties={parties} text={q.text ?? ''} maxLength={max} error={error?.message} confirm={error?.confirm ?? false} />,
      { status: error?.status ?? 200 },
    );
  }

  app.get('/me/messages/start', { config: signedIn, schema: { tags, summary: '«Написать»: the form that starts (or continues) a conversation about a subject with a party', querystring: StartQuery, response: { 200: html('The form') } } }, async (req, reply) => startPage(req, reply, req.query));

  app.post(
    '/me/messages/start',
    {
      // Posted from classifieds' and dating's cached pages, which hold no per-reader token: same-origin proof.
      // Not `roles`: a signed-out reader is sent to sign in and back to this form, its subject kept.
      config: { csrf: 'origin', rateLimit: writes },
      schema: { tags, summary: 'Start a conversation (or write into the existing one about the subject with the party) and go to it; 409 `message.confirm` re-shows the form; signed out: to the sign-in page and back to the form', body: StartForm, response: { 303: redirect('The thread, or the sign-in page') } },
    },
    async (req, reply) => {
      const b = req.body;
      if (!req.user) {
        const back = `/me/messages/start?${new URLSearchParams({ kind: b.kind, id: String(b.id), to: b.to, ...(b.as ? { as: b.as } : {}) })}`;
        return reply.redirect(`/login?next=${encodeURIComponent(back)}`, 303);
      }
      try {
        const r = await startFrom(req, b);
        return reply.redirect(`${threadPath(r.conversationId)}#m-${r.messageId}`, 303);
      } catch (err) {
        if (!(err instanceof DomainError) || err.statusCode === 404 || err.code === 'message.no_policy') throw err;
        return startPage(req, reply, { ...b, id: b.id }, { message: domainMessage(req.i18n, err), confirm: err.code === 'message.confirm', status: err.statusCode });
      }
    },
  );

  async function startFrom(req: FastifyRequest, b: { kind: string; id: number | string; to: string; as?: string; text: string; confirmed?: boolean | string }) {
    if (!policyOf(b.kind)) throw new DomainError('message.no_policy', {}, 400);
    const to = party(b.to)!;
    const from = party(b.as) ?? { kind: 'user' as const, id: me(req) };
    return service.start({ subject: { kind: b.kind as SubjectKind, id: toId(b.id) }, from, to, actorId: me(req), text: b.text, confirmed: yes(b.confirmed), ipHash: addressHash(req) });
  }

  app.get(
    '/me/messages/stream',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'Server-sent events (ask with Accept: text/event-stream, else 406): a tick whenever the reader’s messages change (a new message, a read mark, a block); the page then asks /api/messages/… for what is new. 503 past the instance’s ceiling, 429 past the account’s.',
        response: { 200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, 406: StreamRefused, 503: StreamRefused },
      },
    },
    async (req, reply) => {
      // Only an event-stream client (EventSource sends this) is held open; anything else would hang on it.
      if (!/text\/event-stream/.test(req.headers.accept ?? '')) {
        return reply.code(406).header('cache-control', 'private, no-store').send({ error: { code: 'message.stream_only', message: req.i18n.t('error.message.stream_only') } });
      }
      const [maxStreams, maxPerUser, minutes] = await Promise.all([app.settings.get(MESSAGE_SETTINGS.maxStreams), app.settings.get(MESSAGE_SETTINGS.maxStreamsPerUser), app.settings.get(MESSAGE_SETTINGS.streamMinutes)]);
      const admitted = streams.admit(me(req), { maxStreams, maxPerUser });
      if (admitted === 'owner') throw new DomainError('message.too_many_streams', {}, 429);
      if (admitted === 'instance') return reply.code(503).header('retry-after', '60').header('cache-control', 'private, no-store').send({ error: { code: 'message.streams_full', message: req.i18n.t('error.message.too_many_streams') } });
      streams.open(openEventStream(req, reply, 'private, no-store, no-transform'), me(req), minutes * 60_000);
    },
  );

  async function threadPage(req: FastifyRequest, reply: FastifyReply, id: number, opts: { as?: string; before?: number; notice?: string; error?: { message: string; confirm: boolean; status: number }; text?: string }) {
    const userId = me(req);
    const t = await threadData(userId, id, { as: opts.as, before: opts.before, locale: req.i18n.locale });
    // An earlier page is history: reading it reads nothing new, and it gets no live updates.
    if (!opts.before) await readUpTo(userId, t);
    const first = t.messages[0];
    const earlier = t.messages.length === THREAD_PAGE && first ? `${threadPath(id)}?${new URLSearchParams({ ...(opts.as ? { as: opts.as } : {}), before: String(first.id) })}` : null;
    return app.pages.send(
      req,
      reply.status(opts.error?.status ?? 200),
      <ThreadPage ctx={app.pages.context(req)} csrf={req.csrfToken()} t={t} earlier={earlier} history={!!opts.before} notice={notices(req, opts.notice)} error={opts.error?.message} confirm={opts.error?.confirm ?? false} text={opts.text ?? ''} />,
      { status: opts.error?.status ?? 200 },
    );
  }

  app.get('/me/messages/:id', { config: signedIn, schema: { tags, summary: 'One conversation (opening it reads it); 404 to anyone not on one of its sides', params: IdParams, querystring: ThreadQuery, response: { 200: html('The thread') } } }, async (req, reply) =>
    threadPage(req, reply, req.params.id, { as: req.query.as, before: req.query.before, notice: req.query.notice }),
  );

  app.post('/me/messages/:id', { config: { ...signedIn, rateLimit: writes }, schema: { tags, summary: 'Answer in a conversation; a refusal or «Вы уверены?» re-shows the thread with the text kept', params: IdParams, body: SendForm, response: { 303: redirect('The thread, at the new message') } } }, async (req, reply) => {
    try {
      const r = await service.send({ conversationId: req.params.id, actorId: me(req), text: req.body.text, confirmed: yes(req.body.confirmed), ipHash: addressHash(req), as: req.body.as });
      return reply.redirect(`${threadPath(req.params.id)}#m-${r.messageId}`, 303);
    } catch (err) {
      if (!(err instanceof DomainError) || err.statusCode === 404) throw err;
      return threadPage(req, reply, req.params.id, { as: req.body.as, error: { message: domainMessage(req.i18n, err), confirm: err.code === 'message.confirm', status: err.statusCode }, text: req.body.text });
    }
  });

  app.post('/me/messages/:id/block', { config: { ...signedIn, rateLimit: writes }, schema: { tags, summary: 'Block the other side of a conversation: it can no longer write to me', params: IdParams, body: BlockForm, response: { 303: redirect('The thread') } } }, async (req, reply) => {
    await service.block(me(req), req.params.id, true, req.body.as);
    return reply.redirect(`${threadPath(req.params.id)}?notice=blocked`, 303);
  });

  app.post('/me/messages/:id/unblock', { config: { ...signedIn, rateLimit: writes }, schema: { tags, summary: 'Lift my block of the other side of a conversation', params: IdParams, body: BlockForm, response: { 303: redirect('The thread') } } }, async (req, reply) => {
    await service.block(me(req), req.params.id, false, req.body.as);
    return reply.redirect(`${threadPath(req.params.id)}?notice=unblocked`, 303);
  });

  app.post('/me/messages/unblock', { config: { ...signedIn, rateLimit: writes }, schema: { tags, summary: 'Lift a block from the inbox’s list of blocked correspondents', body: UnblockForm, response: { 303: redirect('The inbox') } } }, async (req, reply) => {
    await service.unblockParty(me(req), req.body.blocker, req.body.blocked);
    return reply.redirect('/me/messages?notice=unblocked', 303);
  });

  async function report(req: FastifyRequest, reply: FastifyReply, messageId: number, reason: string | undefined, text: string | undefined) {
    const { conversationId } = await service.reportable(me(req), messageId);
    const r = (reason ?? 'abuse') as ReportReason;
    if (!REPORT_REASONS.includes(r)) throw new DomainError('moderation.bad_reason_code', {}, 400);
    await app.moderation.report({ kind: 'message', id: messageId, reader: req.reader(reply), reason: r, text });
    return conversationId;
  }

  app.post('/me/messages/report', { config: { ...signedIn, rateLimit: writes }, schema: { tags, summary: 'Report a message of the other side to the moderators (one click: reason `abuse`)', body: ReportForm, response: { 303: redirect('The thread') } } }, async (req, reply) => {
    const conversationId = await report(req, reply, toId(req.body.message), req.body.reason, req.body.text);
    return reply.redirect(`${threadPath(conversationId)}?notice=reported`, 303);
  });

  // ---------- JSON ----------

  app.get('/api/messages/inbox', { config: signedIn, schema: { tags, summary: 'My conversations and my storefronts’, newest first; `?party=` one party', querystring: InboxQuery, response: { 200: InboxOut } } }, async (req) => {
    const d = await inboxData(me(req), req.i18n.locale, req.query.party, req.query.before);
    return { unread: [...d.unread.values()].reduce((a, b) => a + b, 0), items: d.rows.map((r) => inboxItem(r, d)) };
  });

  app.get('/api/messages/unread', { config: signedIn, schema: { tags, summary: 'Unread messages in every conversation I answer', response: { 200: Unread } } }, async (req) => ({ unread: await service.unreadCount(me(req)) }));

  app.post(
    '/api/messages/start',
    { config: { ...signedIn, rateLimit: writes }, schema: { tags, summary: 'Start a conversation about a subject (or write into the existing one); 409 `message.confirm`: resend with confirmed=true', body: Type.Object(StartFields), response: { 201: Started, 200: Started } } },
    async (req, reply) => {
      const r = await startFrom(req, req.body);
      return reply.code(r.created ? 201 : 200).send({ ...r, url: threadPath(r.conversationId) });
    },
  );

  // Each moment goes out written as the page writes it, so an island's new message reads like the ones around it.
  const threadJson = (t: ThreadData, i18n: FastifyRequest['i18n']) => {
    const now = app.clock.now();
    return { ...t, messages: t.messages.map((m) => ({ ...m, at: m.at.toISOString(), when: i18n.when(m.at, now) })), maxLength: undefined, partyName: undefined, gone: undefined };
  };

  app.get('/api/messages/:id', { config: signedIn, schema: { tags, summary: 'One conversation: its newest messages, or those after `after` (the island after a tick); 404 to anyone not on one of its sides', params: IdParams, querystring: ThreadQuery, response: { 200: ThreadOut } } }, async (req) =>
    threadJson(await threadData(me(req), req.params.id, { after: req.query.after, before: req.query.before, as: req.query.as, locale: req.i18n.locale }), req.i18n),
  );

  app.post('/api/messages/:id', { config: { ...signedIn, rateLimit: writes }, schema: { tags, summary: 'Answer in a conversation; 409 `message.confirm`: resend with confirmed=true', params: IdParams, body: Type.Object({ text: Text, confirmed: Confirmed, as: Type.Optional(PartyText) }), response: { 201: Sent } } }, async (req, reply) => {
    const r = await service.send({ conversationId: req.params.id, actorId: me(req), text: req.body.text, confirmed: yes(req.body.confirmed), ipHash: addressHash(req), as: req.body.as });
    return reply.code(201).send(r);
  });

  app.post('/api/messages/:id/read', { config: { ...signedIn, rateLimit: { max: 120, timeWindow: '1 minute' } }, schema: { tags, summary: 'I read the conversation up to a message', params: IdParams, body: Type.Object({ upTo: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }), as: Type.Optional(PartyText) }), response: { 200: Unread } } }, async (req) => {
    await service.markRead(me(req), req.params.id, req.body.upTo, req.body.as);
    return { unread: await service.unreadCount(me(req)) };
  });

  app.post('/api/messages/:id/block', { config: { ...signedIn, rateLimit: writes }, schema: { tags, summary: 'Block (or unblock) the other side of a conversation', params: IdParams, body: Type.Object({ blocked: Type.Boolean(), as: Type.Optional(PartyText) }), response: { 200: Ok } } }, async (req) => {
    await service.block(me(req), req.params.id, req.body.blocked, req.body.as);
    return { ok: true };
  });

  app.post('/api/messages/report', { config: { ...signedIn, rateLimit: writes }, schema: { tags, summary: 'Report a message of the other side to the moderators', body: ReportForm, response: { 200: Ok } } }, async (req, reply) => {
    await report(req, reply, toId(req.body.message), req.body.reason, req.body.text);
    return { ok: true };
  });

  app.decorate('messageStreams', streams);
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The instance's open message streams (tests and the bench read its stats). */
    messageStreams: MessageStreams;
  }
}

export default fp(messagesModule, { name: 'messages', dependencies: ['accounts', 'organisations', 'notifications', 'moderation'], decorators: { fastify: ['accounts', 'organisations', 'notifications', 'moderation', 'jobs', 'pageCache', 'settings'] } });
