// Trust levels (after Discourse's): computed from what an account did, never set by
// hand. Level 0 is a new account (or a guest), 3 a long-standing regular; staff are
// trusted fully. The limits of a text (links, images) grow with the level.
import type { Kysely } from 'kysely';
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

export async function activityOf(db: Kysely<DB>, userId: number): Promise<Activity> {
  const [row, upheld] = await Promise.all([
    db
      .selectFrom('moderation_activity')
      .select((eb) => [eb.fn.countAll<string>().as('days'), eb.fn.coalesce(eb.fn.sum<string>('reads'), eb.lit(0)).as('reads'), eb.fn.coalesce(eb.fn.sum<string>('posts'), eb.lit(0)).as('posts')])
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow(),
    db.selectFrom('reports').select((eb) => eb.fn.count<string>('subject_id').distinct().as('n')).where('subject_author_id', '=', userId).where('status', '=', 'upheld').executeTakeFirstOrThrow(),
  ]);
  return { daysVisited: Number(row.days), reads: Number(row.reads), posts: Number(row.posts), upheldReports: Number(upheld.n) };
}

/** Links and image links in a plain text. */
export function linksIn(text: string, find: (text: string) => { href: string; type: string }[]): { links: number; images: number } {
  const urls = find(text).filter((l) => l.type === 'url');
  const images = urls.filter((l) => /\.(jpe?g|png|gif|webp|avif|svg|bmp)([?#].*)?$/i.test(l.href)).length;
  return { links: urls.length, images };
}
