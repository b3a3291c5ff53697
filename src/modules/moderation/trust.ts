// Trust levels (after Discourse's): computed from what an account did, never set by
// hand. Level 0 is a new account (or a guest), 3 a long-standing regular; staff are
// trusted fully. The limits of a text (links, images) grow with the level.
import { sql, type Kysely } from 'kysely';
import { PREPARED } from '../../db/connection.js';
import type { DB } from '../../db/schema.js';
import type { ModerationSettings } from './settings.js';

export interface Activity {
  daysVisited: number;
  reads: number;
  posts: number;
  /** Reports against this account's texts that a moderator upheld. */
  upheldReports: number;
}

export type TrustLevel = 0 | 1 | 2 | 3;

/** What it takes to reach levels 1, 2 and 3 (Discourse asks 5 topics / 30 posts read for 1, 15 days visited for 2). */
export const LEVELS: readonly { daysVisited: number; reads: number; posts: number }[] = [
  { daysVisited: 2, reads: 10, posts: 1 },
  { daysVisited: 10, reads: 100, posts: 10 },
  { daysVisited: 50, reads: 500, posts: 50 },
];

export function trustLevel(a: Activity, settings: Pick<ModerationSettings, 'maxUpheldReports'>): TrustLevel {
  if (a.upheldReports >= settings.maxUpheldReports) return 0;
  let level = 0;
  LEVELS.forEach((need, i) => {
    if (level === i && a.daysVisited >= need.daysVisited && a.reads >= need.reads && a.posts >= need.posts) level = i + 1;
  });
  return level as TrustLevel;
}

/** Each account's activity, in one statement however many (the pipeline batches them, platform/batch.ts). */
export async function activitiesOf(db: Kysely<DB>, userIds: readonly number[]): Promise<Activity[]> {
  const { rows } = await sql<{ id: number; days: number; reads: number; posts: number; upheld: number }>`${sql.raw(PREPARED)}
    select u.id, a.days, a.reads, a.posts,
      (select count(distinct r.subject_id)::int from reports r where r.subject_author_id = u.id and r.status = 'upheld') as upheld
    from unnest(${[...userIds]}::int[]) as u(id)
    cross join lateral (
      select count(*)::int as days, coalesce(sum(m.reads), 0)::int as reads, coalesce(sum(m.posts), 0)::int as posts
      from moderation_activity m where m.user_id = u.id
    ) a`.execute(db);
  const byId = new Map(rows.map((r) => [r.id, { daysVisited: Number(r.days), reads: Number(r.reads), posts: Number(r.posts), upheldReports: Number(r.upheld) }]));
  return userIds.map((id) => byId.get(id) ?? { daysVisited: 0, reads: 0, posts: 0, upheldReports: 0 });
}

export async function activityOf(db: Kysely<DB>, userId: number): Promise<Activity> {
  return (await activitiesOf(db, [userId]))[0]!;
}

/** Links and image links in a plain text. */
export function linksIn(text: string, find: (text: string) => { href: string; type: string }[]): { links: number; images: number } {
  const urls = find(text).filter((l) => l.type === 'url');
  const images = urls.filter((l) => /\.(jpe?g|png|gif|webp|avif|svg|bmp)([?#].*)?$/i.test(l.href)).length;
  return { links: urls.length, images };
}
