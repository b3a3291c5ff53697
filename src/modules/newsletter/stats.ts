// The back office's figures: subscribers per list over time (from the consent
// ledger: the running total of confirmations less unsubscriptions, day by day),
// and per send what happened to its mails and the bounces and complaints fed back.
// Opens and clicks are not tracked (no pixel, no redirect): tracking is off.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';

export interface ListStats {
  id: number;
  name: string;
  subscribers: number;
  confirmations: number;
  unsubscribes: number;
  days: { day: string; subscribers: number; confirmations: number; unsubscribes: number }[];
}

export interface SendStats {
  id: number;
  listName: string;
  subject: string;
  status: 'queued' | 'skipped' | 'done';
  createdAt: Date;
  recipients: number;
  sent: number;
  waiting: number;
  failed: number;
  capped: number;
  dropped: number;
  uncertain: number;
  softBounces: number;
  hardBounces: number;
  complaints: number;
  /** Counted only while tracking is on (per send, not per person). */
  opens: number;
  clicks: number;
}

export function createStats({ db, clock, timezone }: { db: Kysely<DB>; clock: Clock; timezone: string }) {
  return {
    /** Each list's last `days` days, newest first. */
    async lists(days = 30): Promise<ListStats[]> {
      const lists = await db.selectFrom('newsletter_lists').select(['id', 'name']).orderBy('position').orderBy('id').execute();
      const rows = await db
        .selectFrom('newsletter_consents')
        .select(['list_id', 'action', sql<string>`to_char(at at time zone ${timezone}, 'YYYY-MM-DD')`.as('day'), (eb) => eb.fn.countAll<number>().as('n')])
        .where('action', 'in', ['confirmed', 'unsubscribed', 'suppressed'])
        .where('list_id', 'is not', null)
        .groupBy(['list_id', 'action', 'day'])
        .execute();
      const current = await db.selectFrom('newsletter_subscriptions as s').innerJoin('newsletter_subscribers as u', 'u.id', 's.subscriber_id').select(['s.list_id', (eb) => eb.fn.countAll<number>().as('n')]).where('s.status', '=', 'confirmed').where('u.suppressed_at', 'is', null).groupBy('s.list_id').execute();
      const now = clock.now();
      const dayKeys: string[] = [];
      const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: timezone });
      for (let i = 0; i < days; i++) dayKeys.push(fmt.format(new Date(now.getTime() - i * 86400_000)));
      return lists.map((l) => {
        const mine = rows.filter((r) => r.list_id === l.id);
        const per = (day: string, action: string) => Number(mine.find((r) => r.day === day && r.action === action)?.n ?? 0);
        const total = (action: string) => mine.filter((r) => r.action === action).reduce((a, r) => a + Number(r.n), 0);
        let subscribers = Number(current.find((c) => c.list_id === l.id)?.n ?? 0);
        const out: ListStats['days'] = [];
        // Walk back from today's total: a day's total is the next day's minus what changed on it.
        for (const day of dayKeys) {
          const confirmations = per(day, 'confirmed');
          const unsubscribes = per(day, 'unsubscribed') + per(day, 'suppressed');
          out.push({ day, subscribers, confirmations, unsubscribes });
          subscribers = Math.max(0, subscribers - confirmations + unsubscribes);
        }
        return { id: l.id, name: l.name, subscribers: out[0]?.subscribers ?? 0, confirmations: total('confirmed'), unsubscribes: total('unsubscribed') + total('suppressed'), days: out };
      });
    },

    async sends(limit = 30): Promise<SendStats[]> {
      const sends = await db.selectFrom('newsletter_sends as s').innerJoin('newsletter_lists as l', 'l.id', 's.list_id').select(['s.id', 'l.name', 's.subject', 's.status', 's.created_at', 's.recipients']).orderBy('s.id', 'desc').limit(limit).execute();
      const ids = sends.map((s) => s.id);
      const [queue, events] = ids.length
        ? await Promise.all([
            db.selectFrom('newsletter_queue').select(['send_id', 'status', (eb) => eb.fn.countAll<number>().as('n')]).where('send_id', 'in', ids).groupBy(['send_id', 'status']).execute(),
            db.selectFrom('newsletter_events').select(['send_id', 'kind', (eb) => eb.fn.countAll<number>().as('n')]).where('send_id', 'in', ids).groupBy(['send_id', 'kind']).execute(),
          ])
        : [[], []];
      return sends.map((s) => {
        const q = (...st: string[]) => queue.filter((r) => r.send_id === s.id && st.includes(r.status)).reduce((a, r) => a + Number(r.n), 0);
        const e = (kind: string) => Number(events.find((r) => r.send_id === s.id && r.kind === kind)?.n ?? 0);
        return {
          id: s.id,
          listName: s.name,
          subject: s.subject,
          status: s.status,
          createdAt: s.created_at,
          recipients: s.recipients,
          sent: q('sent'),
          waiting: q('queued', 'claimed', 'handing'),
          failed: q('failed'),
          capped: q('capped'),
          dropped: q('suppressed'),
          uncertain: q('uncertain'),
          softBounces: e('soft_bounce'),
          hardBounces: e('hard_bounce'),
          complaints: e('complaint'),
          opens: e('open'),
          clicks: e('click'),
        };
      });
    },
  };
}
export type Stats = ReturnType<typeof createStats>;
