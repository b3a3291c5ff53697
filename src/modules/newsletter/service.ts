// The newsletter's lists, subscriptions and consent ledger: the only code (with
// sending.ts and stats.ts) that touches the module's tables. Every change of a
// subscription writes its ledger row in the same transaction.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { DomainError } from '../../platform/errors.js';
import { randomToken, sha256 } from '../../platform/secrets.js';
import type { ConsentAction, ListKind, NewsletterListsTable, SubscriptionStatus, SuppressReason } from './schema.js';

const DAY_MS = 86_400_000;
import { emailHash, normaliseEmail } from './tokens.js';

/** The version of the consent text a subscribe form shows; a new wording gets a new version. */
export const CONSENT_TEXT_VERSION = 'subscribe-2026-12';
/** How long a confirmation link works. */
export const CONFIRM_TTL_MS = 48 * 3600_000;
/** One confirmation mail per address in this time. */
export const CONFIRM_INTERVAL_MS = 3600_000;
/** Soft bounces after which an address is suppressed. */
export const SOFT_BOUNCE_LIMIT = 3;

export interface NewsletterList {
  id: number;
  slug: string;
  name: string;
  description: string;
  kind: ListKind;
  sendTime: string;
  weekday: number | null;
  sectionIds: number[];
  maxItems: number;
  minNewItems: number;
  active: boolean;
  position: number;
}

/** What the back office sets of a list: all of it but its id. */
export type ListInput = Omit<NewsletterList, 'id'>;

export interface Subscriber {
  id: number;
  email: string;
  suppressedAt: Date | null;
  suppressedReason: SuppressReason | null;
  softBounces: number;
}

type Db = Kysely<DB> | Transaction<DB>;

/** A jsonb array of ids, as either driver hands it back. */
export const jsonIds = (v: unknown): number[] => (Array.isArray(v) ? v : typeof v === 'string' ? (JSON.parse(v) as number[]) : []);

const toList = (r: Selectable<NewsletterListsTable>): NewsletterList => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  description: r.description,
  kind: r.kind,
  sendTime: r.send_time,
  weekday: r.weekday,
  sectionIds: jsonIds(r.section_ids),
  maxItems: r.max_items,
  minNewItems: r.min_new_items,
  active: r.active,
  position: r.position,
});

export function createNewsletterService({ db, clock, secret }: { db: Kysely<DB>; clock: Clock; secret: string }) {
  const hashOf = (email: string) => emailHash(secret, email);

  async function ledger(trx: Db, rows: { email: string | null; hash: string; listId: number | null; listName: string; action: ConsentAction; form: string; textVersion?: string | null; ipHash?: string | null }[]) {
    if (!rows.length) return;
    await trx
      .insertInto('newsletter_consents')
      .values(rows.map((r) => ({ email: r.email, email_hash: r.hash, list_id: r.listId, list_name: r.listName, action: r.action, form: r.form, text_version: r.textVersion ?? null, ip_hash: r.ipHash ?? null, at: clock.now() })))
      .execute();
  }

  async function listsByIds(trx: Db, ids: number[]): Promise<NewsletterList[]> {
    if (!ids.length) return [];
    return (await trx.selectFrom('newsletter_lists').selectAll().where('id', 'in', ids).orderBy('position').orderBy('id').execute()).map(toList);
  }

  async function subscriber(trx: Db, id: number): Promise<Subscriber | null> {
    const r = await trx.selectFrom('newsletter_subscribers').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? { id: r.id, email: r.email, suppressedAt: r.suppressed_at, suppressedReason: r.suppressed_reason, softBounces: r.soft_bounces } : null;
  }

  /** Mails to an address in the last 24 hours: the queue's sent ones and those sent outside it. */
  async function mailsToday(trx: Db, subscriberId: number | null, hash: string): Promise<number> {
    const since = new Date(clock.now().getTime() - DAY_MS);
    const [queued, direct] = await Promise.all([
      subscriberId === null
        ? { n: 0 }
        : trx.selectFrom('newsletter_queue').select((eb) => eb.fn.countAll<number>().as('n')).where('subscriber_id', '=', subscriberId).where('status', '=', 'sent').where('sent_at', '>', since).executeTakeFirstOrThrow(),
      trx.selectFrom('newsletter_direct_mails').select((eb) => eb.fn.countAll<number>().as('n')).where('email_hash', '=', hash).where('at', '>', since).executeTakeFirstOrThrow(),
    ]);
    return Number(queued.n) + Number(direct.n);
  }

  function validList(input: ListInput): void {
    if (!/^[a-z0-9][a-z0-9-]{0,59}$/.test(input.slug)) throw new DomainError('newsletter.bad_slug', {}, 400);
    if (!input.name.trim() || input.name.length > 120) throw new DomainError('newsletter.bad_name', {}, 400);
    if (!/^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(input.sendTime)) throw new DomainError('newsletter.bad_time', {}, 400);
    if (input.kind === 'weekly' && !input.weekday) throw new DomainError('newsletter.weekday_needed', {}, 400);
  }

  return {
    hashOf,

    // ---------- lists ----------
    async lists(opts: { activeOnly?: boolean } = {}): Promise<NewsletterList[]> {
      let q = db.selectFrom('newsletter_lists').selectAll();
      if (opts.activeOnly) q = q.where('active', '=', true);
      return (await q.orderBy('position').orderBy('id').execute()).map(toList);
    },
    async list(id: number): Promise<NewsletterList | null> {
      const r = await db.selectFrom('newsletter_lists').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toList(r) : null;
    },
    async listBySlug(slug: string): Promise<NewsletterList | null> {
      const r = await db.selectFrom('newsletter_lists').selectAll().where('slug', '=', slug).executeTakeFirst();
      return r ? toList(r) : null;
    },
    async createList(input: ListInput): Promise<NewsletterList> {
      validList(input);
      const taken = await db.selectFrom('newsletter_lists').select('id').where('slug', '=', input.slug).executeTakeFirst();
      if (taken) throw new DomainError('newsletter.slug_taken', {}, 409);
      const r = await db
        .insertInto('newsletter_lists')
        .values({ slug: input.slug, name: input.name.trim(), description: input.description.trim(), kind: input.kind, send_time: input.sendTime, weekday: input.kind === 'weekly' ? input.weekday : null, section_ids: JSON.stringify(input.sectionIds), max_items: input.maxItems, min_new_items: input.minNewItems, active: input.active, position: input.position })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toList(r);
    },
    async updateList(id: number, input: ListInput): Promise<NewsletterList> {
      validList(input);
      const taken = await db.selectFrom('newsletter_lists').select('id').where('slug', '=', input.slug).where('id', '<>', id).executeTakeFirst();
      if (taken) throw new DomainError('newsletter.slug_taken', {}, 409);
      const r = await db
        .updateTable('newsletter_lists')
        .set({ slug: input.slug, name: input.name.trim(), description: input.description.trim(), kind: input.kind, send_time: input.sendTime, weekday: input.kind === 'weekly' ? input.weekday : null, section_ids: JSON.stringify(input.sectionIds), max_items: input.maxItems, min_new_items: input.minNewItems, active: input.active, position: input.position })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (!r) throw new DomainError('newsletter.list_not_found', {}, 404);
      return toList(r);
    },
    /** Confirmed and pending subscriptions per list. */
    async counts(): Promise<Map<number, { confirmed: number; pending: number }>> {
      const rows = await db
        .selectFrom('newsletter_subscriptions')
        .select(['list_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('status', 'in', ['confirmed', 'pending'])
        .groupBy(['list_id', 'status'])
        .execute();
      const out = new Map<number, { confirmed: number; pending: number }>();
      for (const r of rows) {
        const c = out.get(r.list_id) ?? { confirmed: 0, pending: 0 };
        c[r.status as 'confirmed' | 'pending'] = Number(r.n);
        out.set(r.list_id, c);
      }
      return out;
    },

    // ---------- subscribing ----------
    /**
     * A subscribe form's request: the address and the lists, pending until the link
     * in the confirmation mail is followed. Returns the confirmation token to mail,
     * or null when nothing needs confirming (every list already confirmed, or the
     * address is suppressed: no mail, and the same answer, so the form tells nobody
     * which addresses are known).
     */
    async subscribe(input: { email: string; listIds: number[]; form: string; ipHash: string | null; textVersion?: string; dailyCap: number }): Promise<{ token: string | null; email: string; subscriberId: number; lists: NewsletterList[] }> {
      const email = normaliseEmail(input.email);
      if (!email) throw new DomainError('newsletter.bad_email', {}, 400);
      const wanted = [...new Set(input.listIds)];
      if (!wanted.length) throw new DomainError('newsletter.no_list', {}, 400);
      const hash = hashOf(email);
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const lists = (await listsByIds(trx, wanted)).filter((l) => l.active);
        if (lists.length !== wanted.length) throw new DomainError('newsletter.list_not_found', {}, 404);
        await trx.insertInto('newsletter_subscribers').values({ email, email_hash: hash, last_active_at: now }).onConflict((oc) => oc.column('email').doNothing()).execute();
        const sub = await trx.selectFrom('newsletter_subscribers').selectAll().where('email', '=', email).forUpdate().executeTakeFirstOrThrow();
        const current = await trx.selectFrom('newsletter_subscriptions').select(['list_id', 'status']).where('subscriber_id', '=', sub.id).execute();
        const confirmed = new Set(current.filter((c) => c.status === 'confirmed').map((c) => c.list_id));
        const toConfirm = lists.filter((l) => !confirmed.has(l.id));
        if (!toConfirm.length || sub.suppressed_at) return { token: null, email, subscriberId: sub.id, lists };
        const last = await trx.selectFrom('newsletter_confirmations').select('created_at').where('subscriber_id', '=', sub.id).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
        if (last && now.getTime() - new Date(last.created_at).getTime() < CONFIRM_INTERVAL_MS) throw new DomainError('newsletter.confirm_sent_recently', {}, 429);
        // The confirmation mail counts in the address's daily cap, as every mail does.
        if ((await mailsToday(trx, sub.id, hash)) >= input.dailyCap) throw new DomainError('newsletter.daily_cap', {}, 429);
        await trx.insertInto('newsletter_direct_mails').values({ email_hash: hash, kind: 'confirmation', at: now }).execute();
        for (const l of toConfirm) {
          await trx
            .insertInto('newsletter_subscriptions')
            .values({ subscriber_id: sub.id, list_id: l.id, status: 'pending', created_at: now })
            .onConflict((oc) => oc.columns(['subscriber_id', 'list_id']).doUpdateSet({ status: 'pending', unsubscribed_at: null }))
            .execute();
        }
        await ledger(trx, toConfirm.map((l) => ({ email, hash, listId: l.id, listName: l.name, action: 'requested' as const, form: input.form, textVersion: input.textVersion ?? CONSENT_TEXT_VERSION, ipHash: input.ipHash })));
        const token = randomToken(24);
        await trx
          .insertInto('newsletter_confirmations')
          .values({ token_hash: sha256(token), subscriber_id: sub.id, list_ids: JSON.stringify(toConfirm.map((l) => l.id)), created_at: now, expires_at: new Date(now.getTime() + CONFIRM_TTL_MS) })
          .execute();
        return { token, email, subscriberId: sub.id, lists: toConfirm };
      });
    },

    /** The link in the confirmation mail: 404 unknown, 410 used or expired. */
    async confirm(token: string, ipHash: string | null): Promise<{ subscriberId: number; email: string; lists: NewsletterList[] }> {
      if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) throw new DomainError('newsletter.link_unknown', {}, 404);
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('newsletter_confirmations').selectAll().where('token_hash', '=', sha256(token)).forUpdate().executeTakeFirst();
        if (!row) throw new DomainError('newsletter.link_unknown', {}, 404);
        if (row.used_at) throw new DomainError('newsletter.link_used', {}, 410);
        if (new Date(row.expires_at).getTime() < now.getTime()) throw new DomainError('newsletter.link_expired', {}, 410);
        const sub = (await subscriber(trx, row.subscriber_id))!;
        const listIds = jsonIds(row.list_ids);
        const pending = await trx.selectFrom('newsletter_subscriptions').select('list_id').where('subscriber_id', '=', sub.id).where('list_id', 'in', listIds.length ? listIds : [0]).where('status', '=', 'pending').execute();
        const lists = await listsByIds(trx, pending.map((p) => p.list_id));
        await trx.updateTable('newsletter_confirmations').set({ used_at: now }).where('token_hash', '=', row.token_hash).execute();
        await trx.updateTable('newsletter_subscribers').set({ last_active_at: now, recheck_sent_at: null }).where('id', '=', sub.id).execute();
        if (lists.length) {
          await trx.updateTable('newsletter_subscriptions').set({ status: 'confirmed', confirmed_at: now, unsubscribed_at: null }).where('subscriber_id', '=', sub.id).where('list_id', 'in', lists.map((l) => l.id)).execute();
          await ledger(trx, lists.map((l) => ({ email: sub.email, hash: hashOf(sub.email), listId: l.id, listName: l.name, action: 'confirmed' as const, form: 'mail-link', ipHash })));
        }
        return { subscriberId: sub.id, email: sub.email, lists };
      });
    },

    subscriber: (id: number) => subscriber(db, id),
    /** The subscriber of an address the caller has proven (a confirmed account's), made when new. */
    async ensureSubscriber(rawEmail: string): Promise<number> {
      const email = normaliseEmail(rawEmail);
      if (!email) throw new DomainError('newsletter.bad_email', {}, 400);
      await db.insertInto('newsletter_subscribers').values({ email, email_hash: hashOf(email), last_active_at: clock.now() }).onConflict((oc) => oc.column('email').doNothing()).execute();
      return (await db.selectFrom('newsletter_subscribers').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
    },
    /** A confirmation whose mail could not be sent: gone, so the reader may ask again at once. */
    async forgetConfirmation(token: string): Promise<void> {
      await db.deleteFrom('newsletter_confirmations').where('token_hash', '=', sha256(token)).execute();
    },
    async subscriberByEmail(email: string): Promise<Subscriber | null> {
      const e = normaliseEmail(email);
      if (!e) return null;
      const r = await db.selectFrom('newsletter_subscribers').select('id').where('email', '=', e).executeTakeFirst();
      return r ? subscriber(db, r.id) : null;
    },

    /** Every list with this address's standing on it (the page where a reader chooses). */
    async subscriptions(subscriberId: number): Promise<{ list: NewsletterList; status: SubscriptionStatus | null }[]> {
      const [lists, subs] = await Promise.all([this.lists({ activeOnly: true }), db.selectFrom('newsletter_subscriptions').select(['list_id', 'status']).where('subscriber_id', '=', subscriberId).execute()]);
      const by = new Map(subs.map((s) => [s.list_id, s.status]));
      return lists.map((list) => ({ list, status: by.get(list.id) ?? null }));
    },

    /** Unsubscribes at once; false when it was not subscribed (a second click). */
    async unsubscribe(subscriberId: number, listId: number, form: string, ipHash: string | null): Promise<{ changed: boolean; list: NewsletterList | null }> {
      return db.transaction().execute(async (trx) => {
        const [list] = await listsByIds(trx, [listId]);
        const sub = await subscriber(trx, subscriberId);
        if (!list || !sub) return { changed: false, list: list ?? null };
        const r = await trx
          .updateTable('newsletter_subscriptions')
          .set({ status: 'unsubscribed', unsubscribed_at: clock.now() })
          .where('subscriber_id', '=', subscriberId)
          .where('list_id', '=', listId)
          .where('status', 'in', ['confirmed', 'pending', 'paused'])
          .executeTakeFirst();
        const changed = Number(r.numUpdatedRows) > 0;
        if (changed) await ledger(trx, [{ email: sub.email, hash: hashOf(sub.email), listId, listName: list.name, action: 'unsubscribed', form, ipHash }]);
        return { changed, list };
      });
    },

    /**
     * The reader's choice on the page a mail's link opened: the signed link proves the
     * mailbox, so lists chosen there are confirmed at once; the others are left.
     */
    async choose(subscriberId: number, listIds: number[], ipHash: string | null, form = 'manage'): Promise<void> {
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const sub = await subscriber(trx, subscriberId);
        if (!sub) throw new DomainError('newsletter.link_unknown', {}, 404);
        const lists = (await trx.selectFrom('newsletter_lists').selectAll().where('active', '=', true).execute()).map(toList);
        if (listIds.some((id) => !lists.some((l) => l.id === id))) throw new DomainError('newsletter.list_not_found', {}, 404);
        const current = new Map((await trx.selectFrom('newsletter_subscriptions').select(['list_id', 'status']).where('subscriber_id', '=', subscriberId).execute()).map((s) => [s.list_id, s.status]));
        const hash = hashOf(sub.email);
        for (const l of lists) {
          const want = listIds.includes(l.id);
          const on = current.get(l.id) === 'confirmed';
          if (want && !on) {
            await trx
              .insertInto('newsletter_subscriptions')
              .values({ subscriber_id: subscriberId, list_id: l.id, status: 'confirmed', created_at: now, confirmed_at: now })
              .onConflict((oc) => oc.columns(['subscriber_id', 'list_id']).doUpdateSet({ status: 'confirmed', confirmed_at: now, unsubscribed_at: null }))
              .execute();
            await ledger(trx, [
              { email: sub.email, hash, listId: l.id, listName: l.name, action: 'requested', form, textVersion: CONSENT_TEXT_VERSION, ipHash },
              { email: sub.email, hash, listId: l.id, listName: l.name, action: 'confirmed', form, ipHash },
            ]);
          } else if (!want && current.has(l.id) && current.get(l.id) !== 'unsubscribed') {
            await trx.updateTable('newsletter_subscriptions').set({ status: 'unsubscribed', unsubscribed_at: now }).where('subscriber_id', '=', subscriberId).where('list_id', '=', l.id).execute();
            await ledger(trx, [{ email: sub.email, hash, listId: l.id, listName: l.name, action: 'unsubscribed', form, ipHash }]);
          }
        }
      });
    },

    // ---------- the ledger ----------
    /** Everything known of an address, for a complaint: its subscriptions and every ledger row (also those an erasure left). */
    async exportFor(rawEmail: string) {
      const email = normaliseEmail(rawEmail);
      if (!email) throw new DomainError('newsletter.bad_email', {}, 400);
      const hash = hashOf(email);
      const sub = await db.selectFrom('newsletter_subscribers').selectAll().where('email', '=', email).executeTakeFirst();
      const subscriptions = sub
        ? await db.selectFrom('newsletter_subscriptions as s').innerJoin('newsletter_lists as l', 'l.id', 's.list_id').select(['l.name as list', 's.status', 's.created_at', 's.confirmed_at', 's.unsubscribed_at']).where('s.subscriber_id', '=', sub.id).orderBy('l.position').execute()
        : [];
      const consents = await db.selectFrom('newsletter_consents').select(['list_name as list', 'action', 'form', 'text_version', 'ip_hash', 'at']).where('email_hash', '=', hash).orderBy('at').orderBy('id').execute();
      return {
        email,
        subscriber: sub ? { createdAt: sub.created_at, suppressedAt: sub.suppressed_at, suppressedReason: sub.suppressed_reason, softBounces: sub.soft_bounces } : null,
        subscriptions: subscriptions.map((s) => ({ list: s.list, status: s.status, createdAt: s.created_at, confirmedAt: s.confirmed_at, unsubscribedAt: s.unsubscribed_at })),
        consents: consents.map((c) => ({ list: c.list, action: c.action, form: c.form, textVersion: c.text_version, ipHash: c.ip_hash, at: c.at })),
      };
    },

    /**
     * Deletes an address on request: the subscriber, its subscriptions, queue and
     * ledger rows go; one row per list it ever consented to stays, saying the consent
     * was withdrawn and erased, with the keyed hash instead of the address.
     */
    async erase(rawEmail: string, form: string): Promise<boolean> {
      const email = normaliseEmail(rawEmail);
      if (!email) throw new DomainError('newsletter.bad_email', {}, 400);
      const hash = hashOf(email);
      return db.transaction().execute(async (trx) => {
        const rows = await trx.selectFrom('newsletter_consents').select(['list_id', 'list_name']).where('email_hash', '=', hash).where('email', 'is not', null).execute();
        const sub = await trx.selectFrom('newsletter_subscribers').select('id').where('email', '=', email).executeTakeFirst();
        if (!sub && !rows.length) return false;
        const lists = new Map<string, { listId: number | null; listName: string }>();
        for (const r of rows) lists.set(`${r.list_id}:${r.list_name}`, { listId: r.list_id, listName: r.list_name });
        await trx.deleteFrom('newsletter_consents').where('email_hash', '=', hash).where('email', 'is not', null).execute();
        await trx.deleteFrom('newsletter_direct_mails').where('email_hash', '=', hash).execute();
        if (sub) await trx.deleteFrom('newsletter_subscribers').where('id', '=', sub.id).execute();
        await ledger(trx, [...lists.values()].map((l) => ({ email: null, hash, listId: l.listId, listName: l.listName, action: 'erased' as const, form })));
        return true;
      });
    },

    // ---------- bounces and complaints ----------
    /** Suppresses an address at once: nothing is queued for it any more. */
    async suppress(subscriberId: number, reason: SuppressReason, form: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const sub = await subscriber(trx, subscriberId);
        if (!sub || sub.suppressedAt) return;
        await trx.updateTable('newsletter_subscribers').set({ suppressed_at: clock.now(), suppressed_reason: reason }).where('id', '=', subscriberId).execute();
        const subs = await trx.selectFrom('newsletter_subscriptions as s').innerJoin('newsletter_lists as l', 'l.id', 's.list_id').select(['l.id', 'l.name']).where('s.subscriber_id', '=', subscriberId).where('s.status', '=', 'confirmed').execute();
        await ledger(trx, subs.map((l) => ({ email: sub.email, hash: hashOf(sub.email), listId: l.id, listName: l.name, action: 'suppressed' as const, form: `${form}:${reason}` })));
      });
    },

    /** A soft bounce: counted; SOFT_BOUNCE_LIMIT of them suppress. Returns the new count. */
    async softBounce(subscriberId: number): Promise<number> {
      const r = await db.updateTable('newsletter_subscribers').set((eb) => ({ soft_bounces: eb('soft_bounces', '+', 1) })).where('id', '=', subscriberId).returning('soft_bounces').executeTakeFirst();
      const n = r?.soft_bounces ?? 0;
      if (n >= SOFT_BOUNCE_LIMIT) await this.suppress(subscriberId, 'soft_bounces', 'bounce');
      return n;
    },

    async recordEvent(e: { subscriberId: number | null; sendId: number | null; kind: 'soft_bounce' | 'hard_bounce' | 'complaint'; detail: string }): Promise<void> {
      await db.insertInto('newsletter_events').values({ subscriber_id: e.subscriberId, send_id: e.sendId, kind: e.kind, detail: e.detail.slice(0, 500), at: clock.now() }).execute();
    },

    // ---------- the daily cap, activity, the 180-day question ----------
    /**
     * A mail outside the queue (a test, a re-permission question) to this address:
     * refused over the daily cap, else counted in it.
     */
    async directMail(rawEmail: string, kind: 'test' | 'recheck', dailyCap: number): Promise<void> {
      const email = normaliseEmail(rawEmail);
      if (!email) throw new DomainError('newsletter.bad_email', {}, 400);
      const hash = hashOf(email);
      await db.transaction().execute(async (trx) => {
        const sub = await trx.selectFrom('newsletter_subscribers').select('id').where('email', '=', email).executeTakeFirst();
        if ((await mailsToday(trx, sub?.id ?? null, hash)) >= dailyCap) throw new DomainError('newsletter.daily_cap', {}, 429);
        await trx.insertInto('newsletter_direct_mails').values({ email_hash: hash, kind, at: clock.now() }).execute();
      });
    },

    /** The address was active (a visit through a mail's link, a sign-in, an open or click): the 180 days start again. */
    async touch(ref: { subscriberId: number } | { email: string }): Promise<void> {
      let q = db.updateTable('newsletter_subscribers').set({ last_active_at: clock.now(), recheck_sent_at: null });
      if ('subscriberId' in ref) q = q.where('id', '=', ref.subscriberId);
      else {
        const email = normaliseEmail(ref.email);
        if (!email) return;
        q = q.where('email', '=', email);
      }
      await q.execute();
    },

    /**
     * Addresses inactive since `inactiveBefore`, on a confirmed list, not asked yet:
     * marked asked (before the mail goes, so a crash never asks twice) and returned.
     */
    async claimInactive(inactiveBefore: Date, limit = 200): Promise<{ id: number; email: string }[]> {
      return db
        .updateTable('newsletter_subscribers')
        .set({ recheck_sent_at: clock.now() })
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('newsletter_subscribers as u')
            .select('u.id')
            .where('u.suppressed_at', 'is', null)
            .where('u.recheck_sent_at', 'is', null)
            .where('u.last_active_at', '<', inactiveBefore)
            .where((w) => w.exists(w.selectFrom('newsletter_subscriptions as s').select('s.list_id').whereRef('s.subscriber_id', '=', 'u.id').where('s.status', '=', 'confirmed')))
            .orderBy('u.id')
            .limit(limit),
        )
        .returning(['id', 'email'])
        .execute();
    },

    /** The question could not go (the daily cap, a refusing transport): asked again at the next pass. */
    async notAsked(subscriberId: number): Promise<void> {
      await db.updateTable('newsletter_subscribers').set({ recheck_sent_at: null }).where('id', '=', subscriberId).execute();
    },

    /** An open or a click of a mail (tracking on): one event of the send, naming no reader; the address was active. */
    async tracked(queueId: number, sendId: number, kind: 'open' | 'click'): Promise<void> {
      const row = await db.selectFrom('newsletter_queue').select('subscriber_id').where('id', '=', queueId).where('send_id', '=', sendId).executeTakeFirst();
      if (!row) return;
      await db.insertInto('newsletter_events').values({ subscriber_id: null, send_id: sendId, kind, at: clock.now() }).execute();
      await this.touch({ subscriberId: row.subscriber_id });
    },

    /** Asked before `askedBefore` and not active since: every confirmed list paused (not deleted), each in the ledger. How many addresses. */
    async pauseUnanswered(askedBefore: Date): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('newsletter_subscriptions as s')
          .innerJoin('newsletter_subscribers as u', 'u.id', 's.subscriber_id')
          .innerJoin('newsletter_lists as l', 'l.id', 's.list_id')
          .select(['u.id', 'u.email', 'u.email_hash', 'l.id as list_id', 'l.name'])
          .where('s.status', '=', 'confirmed')
          .where('u.recheck_sent_at', '<', askedBefore)
          .whereRef('u.last_active_at', '<', 'u.recheck_sent_at')
          .forUpdate()
          .execute();
        if (!rows.length) return 0;
        for (const id of new Set(rows.map((r) => r.id))) {
          await trx.updateTable('newsletter_subscriptions').set({ status: 'paused' }).where('subscriber_id', '=', id).where('status', '=', 'confirmed').execute();
        }
        await ledger(trx, rows.map((r) => ({ email: r.email, hash: r.email_hash, listId: r.list_id, listName: r.name, action: 'paused' as const, form: 'inactive' })));
        return new Set(rows.map((r) => r.id)).size;
      });
    },

    /** «Да, оставить»: active again, and lists paused for inactivity resume (in the ledger). The lists it stays on. */
    async stay(subscriberId: number, ipHash: string | null): Promise<{ email: string; lists: NewsletterList[] }> {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const sub = await subscriber(trx, subscriberId);
        if (!sub) throw new DomainError('newsletter.link_unknown', {}, 404);
        await trx.updateTable('newsletter_subscribers').set({ last_active_at: now, recheck_sent_at: null }).where('id', '=', subscriberId).execute();
        const paused = await trx.selectFrom('newsletter_subscriptions').select('list_id').where('subscriber_id', '=', subscriberId).where('status', '=', 'paused').execute();
        if (paused.length) {
          await trx.updateTable('newsletter_subscriptions').set({ status: 'confirmed' }).where('subscriber_id', '=', subscriberId).where('status', '=', 'paused').execute();
          const lists = await listsByIds(trx, paused.map((p) => p.list_id));
          await ledger(trx, lists.map((l) => ({ email: sub.email, hash: hashOf(sub.email), listId: l.id, listName: l.name, action: 'resumed' as const, form: 'stay-link', ipHash })));
        }
        const on = await trx.selectFrom('newsletter_subscriptions').select('list_id').where('subscriber_id', '=', subscriberId).where('status', '=', 'confirmed').execute();
        return { email: sub.email, lists: await listsByIds(trx, on.map((o) => o.list_id)) };
      });
    },

    /** Forgets confirmation links long expired (daily). */
    async forgetOldLinks(): Promise<number> {
      const r = await db.deleteFrom('newsletter_confirmations').where('expires_at', '<', new Date(clock.now().getTime() - 30 * 86400_000)).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
export type NewsletterService = ReturnType<typeof createNewsletterService>;
