// The back office's side of dating: open reports per profile, staff decisions
// (dismiss, ban, lift), the figures per day, and the profiles' kind in the
// moderators' queue (`app.moderation.addKind`).
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { DatingReportReason, ReportedMessage } from './schema.js';
import './schema.js';

export interface ReportedProfile {
  userId: number;
  name: string;
  held: 'underage' | 'banned' | null;
  reports: { reason: DatingReportReason; text: string; at: Date; messages: ReportedMessage[] }[];
  firstAt: Date;
}

/** A report's copied messages (JSON written by service.report); a damaged value shows as none rather than breaking the queue. */
function messagesOf(json: string | null): ReportedMessage[] {
  if (!json) return [];
  try {
    const list = JSON.parse(json) as unknown;
    return Array.isArray(list) ? (list as ReportedMessage[]) : [];
  } catch {
    return [];
  }
}

export interface DayFigures {
  day: string;
  profiles: number;
  matches: number;
  reports: number;
  deletions: number;
}

export function createDatingAdmin({ db, clock, timezone }: { db: Kysely<DB>; clock: Clock; timezone: string }) {
  const admin = {
    /** Profiles with open reports or held as underage, oldest report first. */
    async reported(limit = 50, ids?: number[]): Promise<ReportedProfile[]> {
      if (ids && !ids.length) return [];
      let q = db
        .selectFrom('dating_profiles as c')
        .leftJoin('dating_reports as r', (j) => j.onRef('r.target_id', '=', 'c.user_id').on('r.status', '=', 'open'))
        .select(['c.user_id', 'c.display_name', 'c.held', 'c.created_at', 'r.reason', 'r.text', 'r.messages', 'r.created_at as reported_at'])
        .where((eb) => eb.or([eb('r.id', 'is not', null), eb('c.held', '=', 'underage')]));
      if (ids) q = q.where('c.user_id', 'in', ids);
      const rows = await q.orderBy('r.created_at').limit(limit * 10).execute();
      const out = new Map<number, ReportedProfile>();
      for (const r of rows) {
        const p = out.get(r.user_id) ?? { userId: r.user_id, name: r.display_name, held: r.held, reports: [], firstAt: r.reported_at ?? r.created_at };
        if (r.reason) p.reports.push({ reason: r.reason, text: r.text ?? '', at: r.reported_at!, messages: messagesOf(r.messages) });
        out.set(r.user_id, p);
      }
      return [...out.values()].slice(0, limit);
    },

    async reportedCount(): Promise<number> {
      const row = await sql<{ n: string }>`select count(*) as n from dating_profiles c where c.held = 'underage' or exists (select 1 from dating_reports r where r.target_id = c.user_id and r.status = 'open')`.execute(db);
      return Number(row.rows[0]!.n);
    },

    /** Staff looked: the reports are dismissed and an «underage» hold is lifted. */
    async dismiss(userId: number): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        await trx.updateTable('dating_reports').set({ status: 'dismissed', decided_at: clock.now() }).where('target_id', '=', userId).where('status', '=', 'open').execute();
        const row = await trx.updateTable('dating_profiles').set({ held: null }).where('user_id', '=', userId).where('held', '=', 'underage').returning('user_id').executeTakeFirst();
        const exists = await trx.selectFrom('dating_profiles').select('user_id').where('user_id', '=', userId).executeTakeFirst();
        return !!row || !!exists;
      });
    },

    /** A ban: the profile is hidden from everyone, its reports upheld. */
    async ban(userId: number): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const row = await trx.updateTable('dating_profiles').set({ held: 'banned' }).where('user_id', '=', userId).returning('user_id').executeTakeFirst();
        await trx.updateTable('dating_reports').set({ status: 'upheld', decided_at: clock.now() }).where('target_id', '=', userId).where('status', '=', 'open').execute();
        return !!row;
      });
    },

    async unban(userId: number): Promise<boolean> {
      const row = await db.updateTable('dating_profiles').set({ held: null }).where('user_id', '=', userId).where('held', '=', 'banned').returning('user_id').executeTakeFirst();
      return !!row;
    },

    async profileName(userId: number): Promise<string | null> {
      return (await db.selectFrom('dating_profiles').select('display_name').where('user_id', '=', userId).executeTakeFirst())?.display_name ?? null;
    },

    /**
     * New profiles, matches, reports and deletions per day (the portal's calendar), the
     * last `days` days: read from `dating_daily`, which each event writes in its own
     * transaction — so deleting a profile leaves the past days as they were.
     */
    async stats(days = 14): Promise<DayFigures[]> {
      const dayOf = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
      const first = dayOf(new Date(clock.now().getTime() - (days - 1) * 86400_000));
      const rows = await db
        .selectFrom('dating_daily')
        .select([sql<string>`day::text`.as('day'), 'profiles', 'matches', 'reports', 'deletions'])
        .where('day', '>=', first)
        .execute();
      const byDay = new Map(rows.map((r) => [r.day, r]));
      const out: DayFigures[] = [];
      for (let i = days - 1; i >= 0; i--) {
        const day = dayOf(new Date(clock.now().getTime() - i * 86400_000));
        const r = byDay.get(day);
        out.push({ day, profiles: r?.profiles ?? 0, matches: r?.matches ?? 0, reports: r?.reports ?? 0, deletions: r?.deletions ?? 0 });
      }
      return out;
    },

    async totals(): Promise<{ profiles: number; matches: number; openReports: number }> {
      const row = await sql<{ profiles: string; matches: string; reports: string }>`select
        (select count(*) from dating_profiles) as profiles,
        (select count(*) from dating_pairs where matched_at is not null) as matches,
        (select count(*) from dating_reports where status = 'open') as reports`.execute(db);
      const r = row.rows[0]!;
      return { profiles: Number(r.profiles), matches: Number(r.matches), openReports: Number(r.reports) };
    },
  };
  return admin;
}
export type DatingAdmin = ReturnType<typeof createDatingAdmin>;
