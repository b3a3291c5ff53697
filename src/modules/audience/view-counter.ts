// Counting views without a write per view: beacons are deduplicated (one per reader
// and article in 30 minutes), summed in memory per article and hour, and flushed to
// the hourly buckets every few seconds in one transaction. Flushes add to what is
// there, so several instances each flushing their own sums stay exact. A failed
// flush puts its sums back; closing the app flushes what is left (SIGTERM loses
// nothing that was accepted).
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Redis } from 'ioredis';
import type { DB } from '../../db/schema.js';
import './schema.js';

export const DEDUPE_MS = 30 * 60_000;
const HOUR_MS = 3600_000;

export interface ReadRecord {
  readerKey: string;
  articleId: number;
  sectionId: number;
  storyId: number | null;
  tagIds: number[];
  at: Date;
}

export function hourOf(d: Date): Date {
  return new Date(Math.floor(d.getTime() / HOUR_MS) * HOUR_MS);
}

/**
 * The view beacon's two Redis steps in one round trip: count the address against
 * the beacon limit (a fixed window, as the platform's limits count), and, when the
 * address is within it and the beacon is a countable view, tell whether it is the
 * reader's first view of the article in the dedupe window (values and times as in
 * `first`). Returns [1, 1] count it, [1, 0] a repeat or no view, [0, ttl] limited.
 * Two keys in one script need one Redis (the portal's setup), not a Redis Cluster.
 */
const ADMIT_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
if n > tonumber(ARGV[2]) then return {0, ttl} end
if ARGV[5] ~= '1' then return {1, 0} end
local last = redis.call('GET', KEYS[2])
if last and tonumber(ARGV[3]) - tonumber(last) < tonumber(ARGV[4]) then return {1, 0} end
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
return {1, 1}`;

type WithAdmit = Redis & { gorodAdmitView(limitKey: string, seenKey: string, windowMs: number, max: number, now: number, dedupeMs: number, view: string): Promise<[number, number]> };

export interface BeaconLimit {
  /** The address's counter (a keyed hash of it). */
  key: string;
  max: number;
  windowMs: number;
  /** The same limit in this instance's memory, for when Redis is away: null when allowed, else the seconds to wait. */
  local(): Promise<number | null>;
}

/** Remembers which reader saw which article recently: Redis when there, memory otherwise. */
export class ViewDedupe {
  private seen = new Map<string, number>();
  constructor(
    private readonly now: () => number,
    private readonly redis?: Redis,
    private readonly prefix = 'gorod:seen:',
  ) {}

  /** True the first time in the window; false for a repeat. */
  async first(readerKey: string, articleId: number): Promise<boolean> {
    const key = `${readerKey}:${articleId}`;
    const now = this.now();
    if (this.redis?.status === 'ready') {
      try {
        // The value is when the view counted, by our clock (tests move it); Redis's
        // own expiry only cleans up.
        if ((await this.redis.set(this.prefix + key, String(now), 'PX', DEDUPE_MS, 'NX')) === 'OK') return true;
        const last = Number(await this.redis.get(this.prefix + key));
        if (now - last < DEDUPE_MS) return false;
        await this.redis.set(this.prefix + key, String(now), 'PX', DEDUPE_MS);
        return true;
      } catch {
        // Redis went away mid-call: fall back to this instance's memory.
      }
    }
    const last = this.seen.get(key);
    if (last !== undefined && now - last < DEDUPE_MS) return false;
    this.seen.set(key, now);
    if (this.seen.size > 200_000) this.prune(now);
    return true;
  }

  /**
   * A beacon: counted against its address's limit, then (when `view` is given)
   * checked for a repeat — one Redis round trip. `wait` is the seconds to wait when
   * the address is over its limit; `first` whether the view counts.
   */
  async admit(limit: BeaconLimit, view: { readerKey: string; articleId: number } | null): Promise<{ wait: number | null; first: boolean }> {
    if (this.redis?.status === 'ready') {
      const redis = this.redis as WithAdmit;
      if (!redis.gorodAdmitView) redis.defineCommand('gorodAdmitView', { numberOfKeys: 2, lua: ADMIT_SCRIPT });
      try {
        const seenKey = view ? `${this.prefix}${view.readerKey}:${view.articleId}` : `${this.prefix}-`;
        const [allowed, n] = await redis.gorodAdmitView(`${this.prefix}limit:${limit.key}`, seenKey, limit.windowMs, limit.max, this.now(), DEDUPE_MS, view ? '1' : '0');
        return allowed ? { wait: null, first: n === 1 } : { wait: Math.max(1, Math.ceil(n / 1000)), first: false };
      } catch {
        // Redis went away mid-call: this instance's memory, as below.
      }
    }
    const wait = await limit.local();
    if (wait !== null) return { wait, first: false };
    return { wait: null, first: view ? await this.first(view.readerKey, view.articleId) : false };
  }

  private prune(now: number) {
    for (const [key, at] of this.seen) if (now - at >= DEDUPE_MS) this.seen.delete(key);
  }
}

export class ViewCounter {
  /** Per `article|hour`: all views, and of them the signed-in readers'. */
  private counts = new Map<string, { views: number; signed: number }>();
  private reads = new Map<string, ReadRecord>();
  private flushing: Promise<void> | undefined;
  accepted = 0;

  constructor(private readonly db: Kysely<DB>) {}

  add(articleId: number, at: Date, read?: ReadRecord, signedIn = false): void {
    const key = `${articleId}|${hourOf(at).toISOString()}`;
    const sum = this.counts.get(key);
    if (sum) {
      sum.views++;
      if (signedIn) sum.signed++;
    } else this.counts.set(key, { views: 1, signed: signedIn ? 1 : 0 });
    if (read) this.reads.set(`${read.readerKey}|${read.articleId}`, read);
    this.accepted++;
  }

  get pending(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v.views;
    return n;
  }

  /** Writes the sums gathered so far; concurrent calls share one flush. */
  flush(): Promise<void> {
    this.flushing ??= this.flushNow().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async flushNow(): Promise<void> {
    if (!this.counts.size && !this.reads.size) return;
    const counts = this.counts;
    const reads = this.reads;
    this.counts = new Map();
    this.reads = new Map();
    try {
      // Each table in one statement whatever the number of rows: the rows travel as
      // a few arrays and `unnest` turns them back into rows (a VALUES list would
      // be thousands of parameters to build and parse on every flush).
      await this.db.transaction().execute(async (trx) => {
        if (counts.size) {
          const keys = [...counts.keys()].map((key) => key.split('|'));
          const sums = [...counts.values()];
          await sql`insert into article_views_hourly (article_id, hour, views, signed_views)
            select * from unnest(${keys.map(([id]) => Number(id))}::int[], ${keys.map(([, hour]) => hour)}::timestamptz[], ${sums.map((v) => v.views)}::int[], ${sums.map((v) => v.signed)}::int[])
            on conflict (article_id, hour) do update set views = article_views_hourly.views + excluded.views,
              signed_views = article_views_hourly.signed_views + excluded.signed_views`.execute(trx);
        }
        if (reads.size) {
          const rows = [...reads.values()];
          // tag_ids is an array per row; unnest would flatten an array of arrays, so
          // each travels as its array literal and is cast back.
          await sql`insert into reader_reads (reader, article_id, section_id, story_id, tag_ids, read_at)
            select k, a, s, st, t::int[], at from unnest(
              ${rows.map((r) => r.readerKey)}::text[], ${rows.map((r) => r.articleId)}::int[], ${rows.map((r) => r.sectionId)}::int[],
              ${rows.map((r) => r.storyId)}::int[], ${rows.map((r) => `{${r.tagIds.join(',')}}`)}::text[], ${rows.map((r) => r.at)}::timestamptz[]
            ) as u(k, a, s, st, t, at)
            on conflict (reader, article_id) do update set read_at = excluded.read_at`.execute(trx);
        }
      });
    } catch (err) {
      // Put the sums back: the next flush retries them.
      for (const [key, n] of counts) {
        const now = this.counts.get(key);
        this.counts.set(key, now ? { views: now.views + n.views, signed: now.signed + n.signed } : n);
      }
      for (const [key, r] of reads) if (!this.reads.has(key)) this.reads.set(key, r);
      throw err;
    }
  }
}
