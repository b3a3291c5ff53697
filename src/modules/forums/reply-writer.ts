// The write of a reply, with group commit: the replies that arrive while a write is
// in flight are written together by the next statement — one round trip, one commit
// (one WAL flush) for all of them, as a database's own group commit does. Each reply
// still gets its own answer (its post's id and number, or null when its topic took
// no reply) or its own error: a statement that fails is retried one reply at a time,
// so a bad reply fails alone and nothing is written twice (a failed statement wrote
// nothing). A quiet portal waits for nothing: a lone reply is written at once.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { PREPARED } from '../../db/connection.js';
import { batchWhileBusy } from '../../platform/batch.js';
import type { PostStatus } from './schema.js';
import './schema.js';

export interface ReplyToWrite {
  topicId: number;
  userId: number;
  body: string;
  status: PostStatus;
  heldReason: string;
  ipHash: string;
  /** Image ids in their order (checked by the caller). */
  images: number[];
  /** Staff and the board's moderators may reply in a closed topic. */
  staff: boolean;
  now: Date;
}

export interface ReplyWritten {
  post_id: number;
  number: number;
  board_id: number;
}

/** Replies per statement at most. */
const MAX_BATCH = 64;

/**
 * The replies as one statement. Every topic's row is updated first — its lock numbers
 * the posts of a topic one after another, across statements and instances — and the
 * replies of one topic take the numbers after its `last_number` in the order they
 * came (`j`). A topic hidden meanwhile takes none; a closed one only its staff's
 * replies. Then the posts, their pictures, the members' counts, the authors' watches
 * and last the boards' counters, each once per row however many replies it gets.
 */
async function writeMany(db: Kysely<DB>, replies: readonly ReplyToWrite[]): Promise<(ReplyWritten | null)[]> {
  const rows = replies.map((r, j) => ({ j, topic_id: r.topicId, user_id: r.userId, body: r.body, status: r.status, held_reason: r.heldReason, ip_hash: r.ipHash, staff: r.staff, at: r.now.toISOString() }));
  const images = replies.flatMap((r, j) => r.images.map((image_id, i) => ({ j, position: i + 1, image_id })));
  const { rows: written } = await sql<{ j: number; post_id: number; number: number; board_id: number }>`${sql.raw(PREPARED)}
    with r as (
      select r.*,
        row_number() over (partition by r.topic_id order by r.j)::int as rank_all,
        case when r.staff then row_number() over (partition by r.topic_id, r.staff order by r.j)::int end as rank_staff
      from json_to_recordset(${JSON.stringify(rows)}::json)
        as r(j int, topic_id int, user_id int, body text, status text, held_reason text, ip_hash text, staff boolean, at timestamptz)
    ), g as (
      -- Per topic, what it takes when open (all) and when closed (staff's only).
      select topic_id,
        count(*)::int as n_all,
        (count(*) filter (where staff))::int as n_staff,
        (count(*) filter (where status = 'published'))::int as pub_all,
        (count(*) filter (where staff and status = 'published'))::int as pub_staff,
        max(rank_all) filter (where status = 'published') as last_all,
        max(rank_staff) filter (where staff and status = 'published') as last_staff,
        (array_agg(user_id order by j desc) filter (where status = 'published'))[1] as user_all,
        (array_agg(user_id order by j desc) filter (where staff and status = 'published'))[1] as user_staff,
        (array_agg(at order by j desc) filter (where status = 'published'))[1] as at_all,
        (array_agg(at order by j desc) filter (where staff and status = 'published'))[1] as at_staff
      from r group by topic_id
    ), t as (
      update forum_topics ft set
        last_number = ft.last_number + case when ft.closed then g.n_staff else g.n_all end,
        post_count = ft.post_count + case when ft.closed then g.pub_staff else g.pub_all end,
        last_post_at = coalesce(case when ft.closed then g.at_staff else g.at_all end, ft.last_post_at),
        last_post_number = coalesce(ft.last_number + case when ft.closed then g.last_staff else g.last_all end, ft.last_post_number),
        last_poster_id = case when (case when ft.closed then g.last_staff else g.last_all end) is null then ft.last_poster_id
          else case when ft.closed then g.user_staff else g.user_all end end
      from g
      where ft.id = g.topic_id and ft.status = 'visible' and (not ft.closed or g.n_staff > 0)
      returning ft.id, ft.board_id, ft.closed, ft.last_number - case when ft.closed then g.n_staff else g.n_all end as base
    ), ok as (
      select r.j, r.topic_id, r.user_id, r.body, r.status, r.held_reason, r.ip_hash, r.at, t.board_id,
        t.base + case when t.closed then r.rank_staff else r.rank_all end as number
      from r join t on t.id = r.topic_id
      where not t.closed or r.staff
    ), p as (
      insert into forum_posts (topic_id, number, author_id, body, status, held_reason, ip_hash, created_at)
      select topic_id, number, user_id, body, status, held_reason, ip_hash, at from ok order by j
      returning id, topic_id, number
    ), pictures as (
      insert into forum_post_images (post_id, position, image_id)
      select p.id, i.position, i.image_id
      from json_to_recordset(${JSON.stringify(images)}::json) as i(j int, position int, image_id int)
        join ok on ok.j = i.j join p on p.topic_id = ok.topic_id and p.number = ok.number
    ), member as (
      update forum_members m set post_count = m.post_count + c.n
      from (select user_id, count(*)::int as n from ok where status = 'published' group by user_id) c
      where m.user_id = c.user_id
    ), follows as (
      insert into forum_topic_readers (user_id, topic_id, last_read, level, reason, updated_at)
      select user_id, topic_id, max(number), 3, 'replied', max(at) from ok group by user_id, topic_id
      on conflict (user_id, topic_id) do update set
        last_read = greatest(forum_topic_readers.last_read, excluded.last_read),
        -- Taking part watches the topic, unless the reader muted it on purpose.
        level = case when forum_topic_readers.level = 0 and forum_topic_readers.reason = 'manual' then 0 else 3 end,
        reason = case when forum_topic_readers.level = 0 and forum_topic_readers.reason = 'manual' then forum_topic_readers.reason when forum_topic_readers.level = 3 then forum_topic_readers.reason else excluded.reason end,
        updated_at = excluded.updated_at
    ), board as (
      update forum_boards b set post_count = b.post_count + c.n, last_topic_id = c.topic_id, last_post_at = c.at
      from (
        select board_id, count(*)::int as n, (array_agg(topic_id order by j desc))[1] as topic_id, (array_agg(at order by j desc))[1] as at
        from ok where status = 'published' group by board_id
      ) c
      where b.id = c.board_id
    )
    select ok.j, p.id as post_id, p.number, ok.board_id from ok join p on p.topic_id = ok.topic_id and p.number = ok.number`.execute(db);
  const byJ = new Map(written.map((w) => [w.j, { post_id: w.post_id, number: w.number, board_id: w.board_id }]));
  return replies.map((_, j) => byJ.get(j) ?? null);
}

/** `write(reply)`: the reply's post, or null when its topic took no reply (hidden, or closed to this author). */
export function createReplyWriter(db: Kysely<DB>) {
  const write = batchWhileBusy<ReplyToWrite, ReplyWritten | null>(
    async (replies) => {
      try {
        return await writeMany(db, replies);
      } catch (err) {
        if (replies.length === 1) return [err instanceof Error ? err : new Error(String(err))];
        // One bad reply (or a deadlock with another instance's batch) must not fail the
        // others: the statement wrote nothing, so each is written again by itself.
        // One after another, so a topic's replies keep the order they came in.
        const answers: (ReplyWritten | null | Error)[] = [];
        for (const r of replies) answers.push(await writeMany(db, [r]).then((one) => one[0]!, (e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
        return answers;
      }
    },
    { maxBatch: MAX_BATCH },
  );
  return { write };
}
