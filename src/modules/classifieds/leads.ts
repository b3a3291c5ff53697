// Lead analytics («Статистика»): counters per ad and day (views, unique viewers,
// phone reveals, conversations started, favourites), kept with the ad's storefront
// and author so a storefront's or an operator's totals are one index range, and the
// answers to conversations per storefront, member and day (the first-response
// time comes from messages' `message.sent` event; messages' tables are never read).
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import './schema.js';

export type Counter = 'views' | 'uniques' | 'reveals' | 'conversations' | 'favourites';
export type Grouping = 'day' | 'week' | 'month';
export interface Row {
  period: string;
  views: number;
  uniques: number;
  reveals: number;
  conversations: number;
  favourites: number;
}
export interface Scope {
  adIds?: number[];
  organisationIds?: number[];
  /** A private seller: their ads without a storefront. */
  userId?: number;
  /** The whole classifieds (staff). */
  all?: boolean;
}

export const dayOf = (d: Date) => d.toISOString().slice(0, 10);

export function createLeads({ db, clock }: { db: Kysely<DB>; clock: Clock }) {
  async function bump(ad: { id: number; organisation_id: number | null; user_id: number | null }, counter: Counter, at = clock.now(), by = 1) {
    await db
      .insertInto('ad_stats')
      .values({ ad_id: ad.id, day: dayOf(at), organisation_id: ad.organisation_id, user_id: ad.user_id, [counter]: by })
      .onConflict((oc) => oc.columns(['ad_id', 'day']).doUpdateSet((eb) => ({ [counter]: sql`${eb.ref(`ad_stats.${counter}`)} + ${by}` })))
      .execute();
    if (ad.organisation_id !== null) await shopDay(ad.organisation_id, at, { [counter]: by });
  }
  /** The storefront's own row of the day follows every count of its ads. */
  async function shopDay(organisationId: number, at: Date, add: Partial<Record<Counter, number>>) {
    const entries = Object.entries(add) as [Counter, number][];
    await db
      .insertInto('ad_shop_days')
      .values({ organisation_id: organisationId, day: dayOf(at), ...add })
      .onConflict((oc) => oc.columns(['organisation_id', 'day']).doUpdateSet((eb) => Object.fromEntries(entries.map(([k, v]) => [k, sql`${eb.ref(`ad_shop_days.${k}`)} + ${v}`]))))
      .execute();
  }

  function scoped<Q extends { where: any }>(q: Q, s: Scope): Q {
    if (s.all) return q;
    if (s.adIds) return q.where('ad_id', 'in', s.adIds.length ? s.adIds : [0]);
    if (s.organisationIds) return q.where('organisation_id', 'in', s.organisationIds.length ? s.organisationIds : [0]);
    return q.where('user_id', '=', s.userId ?? 0).where('organisation_id', 'is', null);
  }

  return {
    bump,

    /** A page view; the first of this reader on this ad today is also a unique viewer. */
    async view(ad: { id: number; organisation_id: number | null; user_id: number | null }, reader: string) {
      const at = clock.now();
      const fresh = await db.insertInto('ad_viewers').values({ ad_id: ad.id, day: dayOf(at), reader }).onConflict((oc) => oc.doNothing()).returning('ad_id').executeTakeFirst();
      // Each reader is counted once per ad per day: a repeat counts nothing.
      if (!fresh) return false;
      await db
        .insertInto('ad_stats')
        .values({ ad_id: ad.id, day: dayOf(at), organisation_id: ad.organisation_id, user_id: ad.user_id, views: 1, uniques: 1 })
        .onConflict((oc) => oc.columns(['ad_id', 'day']).doUpdateSet((eb) => ({ views: sql`${eb.ref('ad_stats.views')} + 1`, uniques: sql`${eb.ref('ad_stats.uniques')} + 1` })))
        .execute();
      if (ad.organisation_id !== null) await shopDay(ad.organisation_id, at, { views: 1, uniques: 1 });
      return true;
    },

    /** An answer to a conversation about an ad, by a member of its storefront (0: a private seller). */
    async answered(organisationId: number | null, userId: number, ms: number, at = clock.now()) {
      await db
        .insertInto('ad_responses')
        .values({ organisation_id: organisationId ?? 0, user_id: userId, day: dayOf(at), answers: 1, total_ms: Math.round(ms) })
        .onConflict((oc) => oc.columns(['organisation_id', 'user_id', 'day']).doUpdateSet((eb) => ({ answers: sql`${eb.ref('ad_responses.answers')} + 1`, total_ms: sql`${eb.ref('ad_responses.total_ms')} + ${Math.round(ms)}` })))
        .execute();
    },

    /** Totals per period over the last `days` days. */
    async series(s: Scope, days: number, grouping: Grouping): Promise<Row[]> {
      const since = dayOf(new Date(clock.now().getTime() - (days - 1) * 86_400_000));
      const period = grouping === 'day' ? sql<string>`to_char(day, 'YYYY-MM-DD')` : grouping === 'week' ? sql<string>`to_char(date_trunc('week', day), 'YYYY-MM-DD')` : sql<string>`to_char(date_trunc('month', day), 'YYYY-MM')`;
      // Storefronts read their own daily rows; an ad, a private seller and the whole site sum the ads' rows.
      const table = s.organisationIds && !s.adIds ? 'ad_shop_days' : 'ad_stats';
      const rows = await (table === 'ad_shop_days' ? (q: any) => q.where('organisation_id', 'in', s.organisationIds!.length ? s.organisationIds! : [0]) : (q: any) => scoped(q, s))(
        db
          .selectFrom(table as 'ad_stats')
          .select([
            period.as('period'),
            sql<number>`sum(views)::int`.as('views'),
            sql<number>`sum(uniques)::int`.as('uniques'),
            sql<number>`sum(reveals)::int`.as('reveals'),
            sql<number>`sum(conversations)::int`.as('conversations'),
            sql<number>`sum(favourites)::int`.as('favourites'),
          ])
          .where('day', '>=', since),
      )
        .groupBy(sql`1`)
        .orderBy(sql`1`)
        .execute();
      return rows.map((r: any) => ({ period: r.period, views: Number(r.views), uniques: Number(r.uniques), reveals: Number(r.reveals), conversations: Number(r.conversations), favourites: Number(r.favourites) }));
    },

    /** Totals per ad over the last `days` days, most viewed first. */
    async perAd(s: Scope, days: number, limit = 200) {
      const since = dayOf(new Date(clock.now().getTime() - (days - 1) * 86_400_000));
      const rows = await scoped(
        db
          .selectFrom('ad_stats')
          .select(['ad_id', sql<number>`sum(views)::int`.as('views'), sql<number>`sum(uniques)::int`.as('uniques'), sql<number>`sum(reveals)::int`.as('reveals'), sql<number>`sum(conversations)::int`.as('conversations'), sql<number>`sum(favourites)::int`.as('favourites')])
          .where('day', '>=', since),
        s,
      )
        .groupBy('ad_id')
        .orderBy(sql`2 desc`)
        .limit(limit)
        .execute();
      return rows as { ad_id: number; views: number; uniques: number; reveals: number; conversations: number; favourites: number }[];
    },

    /** Answers and the mean first-response time per member of these storefronts. */
    async perMember(organisationIds: number[], days: number) {
      const since = dayOf(new Date(clock.now().getTime() - (days - 1) * 86_400_000));
      if (!organisationIds.length) return [];
      return db
        .selectFrom('ad_responses')
        .select(['organisation_id', 'user_id', sql<number>`sum(answers)::int`.as('answers'), sql<number>`(sum(total_ms) / greatest(sum(answers), 1))::bigint`.as('mean_ms')])
        .where('organisation_id', 'in', organisationIds)
        .where('day', '>=', since)
        .groupBy(['organisation_id', 'user_id'])
        .execute();
    },

    /** The last day with a lead (a reveal or a conversation) per storefront, for «нет обращений 30 дней». */
    async lastLead(organisationIds: number[]): Promise<Map<number, string>> {
      if (!organisationIds.length) return new Map();
      const rows = await db.selectFrom('ad_stats').select(['organisation_id', sql<string>`to_char(max(day), 'YYYY-MM-DD')`.as('day')]).where('organisation_id', 'in', organisationIds).where((eb) => eb.or([eb('reveals', '>', 0), eb('conversations', '>', 0)])).groupBy('organisation_id').execute();
      return new Map(rows.map((r) => [r.organisation_id!, r.day]));
    },
  };
}
export type Leads = ReturnType<typeof createLeads>;
