// Sending: a send (a digest issue, a breaking article) puts one queue row per
// confirmed, unsuppressed subscriber in newsletter_queue in one statement; the
// jobs runner's `newsletter.send` (one instance at a time: platform/jobs.ts) works
// through the queue. A row's id is the mail's Message-ID, and its state says how
// far it got, committed before each step:
//
//   queued → claimed (this sender took a batch) → handing (about to go to SMTP)
//          → sent | failed | capped (the address's daily cap) | suppressed
//
// A sender that dies leaves claimed rows — never handed to SMTP, so the next run
// puts them back in the queue — and at most one chunk (the pool's connections) of
// handing rows, which may or may not have reached the server: those become
// `uncertain` and are never sent again. So after a crash every remaining mail goes
// out exactly once, and none twice; the price is that the few in flight may be lost.
//
// Few statements per mail (a digest goes to 100,000 addresses): one statement marks
// a chunk's mails sent and the next chunk's handing at once (one commit, the same
// order of states), and what a batch's digests carried of other modules' alerts is
// told once a batch; a send's mail is encoded once and each address's mail joined
// from it (compiled-mail.ts). Between chunks the sender yields to the event loop, so
// the portal's pages are served while it sends.
import { sql, type Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { Mailer, PreparedMail } from '../../platform/mail.js';
import { compileSend, type CompiledMail } from './compiled-mail.js';
import type { Personal, SendInfo } from './mail-parts.js';

export interface SenderDeps {
  db: Kysely<DB>;
  clock: Clock;
  mailer: Mailer;
  secret: string;
  publicUrl: () => string;
  dailyCap: number;
  log: FastifyBaseLogger;
  /** Rows claimed at a time. */
  batch?: number;
  /** Mails handed to the transport at once (the SMTP pool's connections). */
  concurrency?: number;
  /** A digest's part of its own for each of these addresses that has one (by the address in lower case); `lastDigest`: when the address was last sent a digest. */
  personalFor?: (readers: { email: string; lastDigest: Date | null }[]) => Promise<Map<string, Personal>>;
  /** The personal parts whose mails went to SMTP (and are marked sent), a batch at a time. */
  carried?: (parts: Personal[]) => Promise<void>;
  /** Opens and clicks counted (the back office's setting, read once a pass); off without it. */
  tracking?: () => Promise<boolean>;
}

type Compiled = SendInfo & { mail: CompiledMail };

export function createSender(deps: SenderDeps) {
  const { db, clock, mailer, log } = deps;
  const batch = deps.batch ?? 200;
  const concurrency = deps.concurrency ?? 5;
  let running: Promise<number> | null = null;

  /** The sends of these ids, each with its mail compiled once for the pass (compiled-mail.ts). */
  async function sendInfo(ids: number[], cache: Map<number, Compiled>, opts: { publicUrl: string; track: boolean }): Promise<void> {
    const missing = ids.filter((id) => !cache.has(id));
    if (!missing.length) return;
    const rows = await db
      .selectFrom('newsletter_sends as s')
      .innerJoin('newsletter_lists as l', 'l.id', 's.list_id')
      .select(['s.id', 's.kind', 's.list_id', 'l.slug', 'l.name', 's.subject', 's.html', 's.text'])
      .where('s.id', 'in', missing)
      .execute();
    for (const r of rows) {
      const info: SendInfo = { id: r.id, kind: r.kind, listId: r.list_id, listSlug: r.slug, listName: r.name, subject: r.subject, html: r.html, text: r.text };
      cache.set(r.id, { ...info, mail: await compileSend(info, { secret: deps.secret, publicUrl: opts.publicUrl, from: mailer.from, track: opts.track && r.kind !== 'test' }) });
    }
  }

  /** Rows a dead sender left: claimed ones go back to the queue, handing ones become uncertain. */
  async function recover(): Promise<void> {
    await db.updateTable('newsletter_queue').set({ status: 'queued', claimed_at: null }).where('status', '=', 'claimed').execute();
    await db.updateTable('newsletter_queue').set({ status: 'uncertain', error: 'the sender stopped while handing it to SMTP' }).where('status', '=', 'handing').execute();
  }

  async function pass(): Promise<number> {
    await recover();
    const track = deps.tracking ? await deps.tracking() : false;
    const publicUrl = deps.publicUrl();
    const sends = new Map<number, Compiled>();
    let sent = 0;
    for (;;) {
      const now = clock.now();
      const claimed = await db
        .updateTable('newsletter_queue')
        .set({ status: 'claimed', claimed_at: now })
        .where('id', 'in', (eb) => eb.selectFrom('newsletter_queue').select('id').where('status', '=', 'queued').orderBy('id').limit(batch).forUpdate().skipLocked())
        .returning(['id', 'send_id', 'subscriber_id'])
        .execute();
      if (!claimed.length) break;
      claimed.sort((a, b) => a.id - b.id);
      await sendInfo([...new Set(claimed.map((c) => c.send_id))], sends, { publicUrl, track });
      const subscriberIds = [...new Set(claimed.map((c) => c.subscriber_id))];
      const [subs, subscriptions, counts, direct] = await Promise.all([
        db.selectFrom('newsletter_subscribers').select(['id', 'email', 'suppressed_at']).where('id', 'in', subscriberIds).execute(),
        db.selectFrom('newsletter_subscriptions').select(['subscriber_id', 'list_id']).where('subscriber_id', 'in', subscriberIds).where('status', '=', 'confirmed').execute(),
        db
          .selectFrom('newsletter_queue')
          .select(['subscriber_id', (eb) => eb.fn.countAll<number>().as('n')])
          .where('subscriber_id', 'in', subscriberIds)
          .where('status', '=', 'sent')
          .where('sent_at', '>', new Date(now.getTime() - 86400_000))
          .groupBy('subscriber_id')
          .execute(),
        // Confirmation, test and re-permission mails count in the same cap.
        db
          .selectFrom('newsletter_direct_mails as d')
          .innerJoin('newsletter_subscribers as u', 'u.email_hash', 'd.email_hash')
          .select(['u.id as subscriber_id', (eb) => eb.fn.countAll<number>().as('n')])
          .where('u.id', 'in', subscriberIds)
          .where('d.at', '>', new Date(now.getTime() - 86400_000))
          .groupBy('u.id')
          .execute(),
      ]);
      const subById = new Map(subs.map((s) => [s.id, s]));
      // The personal part of digests: asked once a batch, for the addresses that get a digest.
      const digestRows = claimed.filter((c) => sends.get(c.send_id)?.kind === 'digest' && subById.has(c.subscriber_id));
      let personal = new Map<string, Personal>();
      if (deps.personalFor && digestRows.length) {
        const ids = [...new Set(digestRows.map((c) => c.subscriber_id))];
        const last = await db
          .selectFrom('newsletter_queue as q')
          .innerJoin('newsletter_sends as s', 's.id', 'q.send_id')
          .select(['q.subscriber_id', (eb) => eb.fn.max('q.sent_at').as('at')])
          .where('q.subscriber_id', 'in', ids)
          .where('q.status', '=', 'sent')
          .where('s.kind', '=', 'digest')
          .groupBy('q.subscriber_id')
          .execute();
        const lastBy = new Map(last.map((r) => [r.subscriber_id, r.at ? new Date(r.at) : null]));
        personal = await deps.personalFor(ids.map((id) => ({ email: subById.get(id)!.email.toLowerCase(), lastDigest: lastBy.get(id) ?? null })));
      }
      const confirmed = new Set(subscriptions.map((s) => `${s.subscriber_id}:${s.list_id}`));
      const today = new Map(counts.map((c) => [c.subscriber_id, Number(c.n)]));
      for (const d of direct) today.set(d.subscriber_id, (today.get(d.subscriber_id) ?? 0) + Number(d.n));
      // Accepted by SMTP, not yet marked sent: marked with the next chunk's `handing`, or at the batch's end.
      let accepted: number[] = [];
      const carried: Personal[] = [];
      const markSent = async (handing: number[]) => {
        if (!accepted.length && !handing.length) return;
        if (!handing.length) await db.updateTable('newsletter_queue').set({ status: 'sent', sent_at: clock.now() }).where('id', 'in', accepted).execute();
        else if (!accepted.length) await db.updateTable('newsletter_queue').set({ status: 'handing' }).where('id', 'in', handing).execute();
        else {
          const done = sql.join(accepted);
          await db
            .updateTable('newsletter_queue')
            .set({ status: sql<'sent' | 'handing'>`case when id in (${done}) then 'sent' else 'handing' end`, sent_at: sql<Date | null>`case when id in (${done}) then ${clock.now()}::timestamptz else sent_at end` })
            .where('id', 'in', [...accepted, ...handing])
            .execute();
        }
        sent += accepted.length;
        accepted = [];
      };
      for (let i = 0; i < claimed.length; i += concurrency) {
        // The pages first: whatever the loop has waiting runs before the next chunk is built.
        if (i) await new Promise<void>((resolve) => setImmediate(resolve));
        const chunk = claimed.slice(i, i + concurrency);
        const go: { row: (typeof chunk)[number]; mail: PreparedMail; own?: Personal }[] = [];
        const capped: number[] = [];
        const dropped: number[] = [];
        for (const row of chunk) {
          const send = sends.get(row.send_id);
          const sub = subById.get(row.subscriber_id);
          // Unsubscribed or suppressed since the send was queued: not sent.
          if (!send || !sub || sub.suppressed_at || !confirmed.has(`${row.subscriber_id}:${send.listId}`)) {
            dropped.push(row.id);
            continue;
          }
          const n = today.get(row.subscriber_id) ?? 0;
          if (n >= deps.dailyCap) {
            capped.push(row.id);
            continue;
          }
          today.set(row.subscriber_id, n + 1);
          const own = send.kind === 'digest' ? personal.get(sub.email.toLowerCase()) : undefined;
          go.push({ row, own, mail: send.mail.mailFor({ subscriberId: sub.id, email: sub.email }, row.id, own) });
        }
        if (dropped.length) await db.updateTable('newsletter_queue').set({ status: 'suppressed' }).where('id', 'in', dropped).execute();
        if (capped.length) await db.updateTable('newsletter_queue').set({ status: 'capped' }).where('id', 'in', capped).execute();
        if (!go.length) continue;
        // The previous chunk's mails are marked sent, and this chunk's handing, before any of these goes to SMTP.
        await markSent(go.map((g) => g.row.id));
        const results = await Promise.allSettled(go.map((g) => mailer.send(g.mail)));
        for (let k = 0; k < go.length; k++) {
          const r = results[k]!;
          if (r.status === 'fulfilled') {
            accepted.push(go[k]!.row.id);
            if (go[k]!.own?.carries) carried.push(go[k]!.own!);
            continue;
          }
          const message = r.reason instanceof Error ? r.reason.message : String(r.reason);
          // A refused mail is not retried: a transport that failed after delivering would make a second copy.
          await db.updateTable('newsletter_queue').set({ status: 'failed', error: message.slice(0, 500) }).where('id', '=', go[k]!.row.id).execute();
          log.warn({ err: message, queueId: go[k]!.row.id }, 'newsletter mail failed');
        }
      }
      await markSent([]);
      if (carried.length && deps.carried) await deps.carried(carried).catch((err: unknown) => log.warn({ err, count: carried.length }, 'newsletter: the alerts digests carried were not marked'));
    }
    // Sends with nothing left to do are done.
    const open = await db.selectFrom('newsletter_sends').select('id').where('status', '=', 'queued').execute();
    for (const { id } of open) {
      const left = await db.selectFrom('newsletter_queue').select('id').where('send_id', '=', id).where('status', 'in', ['queued', 'claimed', 'handing']).limit(1).executeTakeFirst();
      if (!left) await db.updateTable('newsletter_sends').set({ status: 'done', finished_at: clock.now() }).where('id', '=', id).execute();
    }
    return sent;
  }

  return {
    /** One pass through the queue; a second call while one runs waits for it (one sender per process). */
    async run(): Promise<number> {
      while (running) await running.catch(() => 0);
      running = pass();
      try {
        return await running;
      } finally {
        running = null;
      }
    },
  };
}
export type Sender = ReturnType<typeof createSender>;
