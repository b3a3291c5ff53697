// The forums' fixtures for `npm run bench` (issue 12), made by bench/fixtures.ts's
// `prepare` with the app it builds, before the portal starts:
//
// - a board «Городской разговор» (`bench-forum`) with
//   - a long topic of 5,000 posts (the topic page's scenarios read page 125 of 250),
//   - 50 topics the writers reply to under wrk, 10 for the bounded exact-count burst
//     and one hot topic (every writer of the hot scenario in the same topic),
//   - 200 topics a reader follows;
// - 500 writers — new accounts (trust level 0) with their forum names — each a regular
//   of one of the 50 topics (10 per topic: they have written there and watch it, so
//   a reply notifies the topic's other nine, as on a live forum), and the reader;
// - sessions for all of them, made fresh on every run (below);
// - the forum's flood limits off, as an operator sets them (below).
//
// Posts are written by SQL in batches (the forum's own code writes one post at a
// time: 5,000 would take minutes on PGlite), with the counts the forum keeps —
// topics' post_count, last_number and last post, the board's counts, the members'
// post and topic counts — and the search index brought up to date by the forum
// search's own backfill. Their texts are sentences of the demo forum's posts
// (demo/data/forums.ts, our own texts), one to three of them, some with a
// `**bold**` phrase, a quarter quoting an earlier post of the same topic with
// `[quote=ID]…[/quote]`, as readers quote. Made once per database (a `settings` row
// `bench.forum` remembers the ids) and found again by later runs.
//
// Every run:
// - **sessions**: the bench accounts' old sessions are deleted and new ones written,
//   the rows a sign-in makes (platform/sessions.ts: a random token in the
//   `gorod_session` cookie, its SHA-256 as the row's id, a 30-day expiry);
// - **the flood limits off** through the settings store, as an operator does in the
//   back office (the forums' FORUM_SETTINGS): `forum.postIntervalSeconds` and
//   `forum.newPostIntervalSeconds` 0, `forum.newRepliesPerDay` 10,000 (its maximum),
//   `forum.repeatWindowMinutes` 0.
//   A load generator's writers post several times a second each, which no interval
//   allows, and trust (rows in `moderation_activity`) would not lift the intervals:
//   trust level 1 and up still waits `forum.postIntervalSeconds`. So the writers stay
//   new accounts (every rule of the pipeline still runs for them), and every reply
//   the runner sends has a text of its own (the moderation pipeline holds the same
//   text from the same author within 24 hours as repeated);
// - the reader's progress reset: 200 followed topics (level 2 or 3), 120 of them with
//   posts past the last one read, and the other 62 topics merely visited (level 1);
// - the stored post counts of the reply topics, for the runner's exact-count check.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql, type Kysely } from 'kysely';
import type { App } from '../src/types.js';
import type { DB } from '../src/db/schema.js';
import { topics as demoTopics } from '../demo/data/forums.js';
import { rng } from './corpus.js';

export interface ForumFixtures {
  board: { id: number; slug: string };
  /** The 5,000-post topic: its address (page 1) and the page the scenarios read. */
  longTopic: { id: number; path: string; posts: number; page: number };
  /** Topics replied to: under wrk (writer w is a regular of load[w % 50]), by the bounded burst, and one hot topic. */
  replyTopics: { load: number[]; burst: number[]; hot: number };
  /** Published posts of each reply topic (its first five: id and text), for replies that quote them. */
  quotable: Record<number, { id: number; text: string }[]>;
  /** `gorod_session=…` of each writer, writer w at index w. */
  writerSessions: string[];
  writerIds: number[];
  /** The reader of «Непрочитанные»: `gorod_session=…`, topics followed and with unread posts. */
  reader: { session: string; followed: number; unread: number; visited: number };
  /** Posts stored in the reply topics when the run began (the exact-count check's start). */
  rowsBefore: { load: number; burst: number; hot: number };
}

const MARKER = 'bench.forum';
const VERSION = 2;
const BOARD_SLUG = 'bench-forum';
const LONG_POSTS = 5000;
const LONG_PAGE = 125;
export const LOAD_TOPICS = 50;
const BURST_TOPICS = 10;
export const WRITERS_PER_TOPIC = 10;
export const FORUM_WRITERS = LOAD_TOPICS * WRITERS_PER_TOPIC;
/** Writers of the hot topic: the first 20. */
export const HOT_WRITERS = 20;
const FOLLOWED = 200;
const UNREAD = 120;
const BATCH = 500;

interface Marker {
  version: number;
  boardId: number;
  longTopicId: number;
  load: number[];
  burst: number[];
  hot: number;
  followed: number[];
  writerIds: number[];
  readerId: number;
}

// ---------- texts ----------

/** The corpus's seeded generator, so every machine writes the same forum. */
export const random = rng;

let sentences: string[] | undefined;
/** Sentences of the demo forum's posts, without links and @mentions (a reply mentioning someone notifies them). */
function demoSentences(): string[] {
  sentences ??= demoTopics
    .flatMap((t) => t.posts.map((p) => p.body))
    .filter((b) => !b.includes('http') && !b.includes('@'))
    .flatMap((b) => b.split(/(?<=[.!?…])\s+(?=[А-ЯЁA-Z«])/u))
    .map((s) => s.trim())
    .filter((s) => s.length >= 20 && !s.includes('\n'));
  return sentences;
}

/**
 * A post's text: two to five demo sentences, sometimes in two paragraphs, a third
 * with a **bold** phrase; with `quote`, an excerpt of that post first.
 */
export function postBody(rand: () => number, quote?: { id: number; text: string }): string {
  const pool = demoSentences();
  const n = 2 + Math.floor(rand() * 4);
  const picked = Array.from({ length: n }, () => pool[Math.floor(rand() * pool.length)]!);
  if (rand() < 0.33) {
    const i = Math.floor(rand() * picked.length);
    const words = picked[i]!.split(' ');
    const at = Math.floor(rand() * Math.max(1, words.length - 2));
    words[at] = `**${words[at]}`;
    words[Math.min(words.length - 1, at + 1)] += '**';
    picked[i] = words.join(' ').replace(/\*\*([^*]*?)([.,!?…:;»]+)\*\*/u, '**$1**$2');
  }
  const split = picked.length > 3 ? 2 : picked.length;
  const text = picked.length > 3 ? `${picked.slice(0, split).join(' ')}\n\n${picked.slice(split).join(' ')}` : picked.join(' ');
  return quote ? quoting(quote, text) : text;
}

/** `text` after a quote of post `id`: the beginning of its own words (not what it quoted), as readers cut a quote. */
function quoting(quote: { id: number; text: string }, text: string): string {
  const excerpt = quote.text.replace(/\[quote=\d+\][\s\S]*?\[\/quote\]\s*/g, '').split('\n\n')[0]!.slice(0, 160).replace(/\s+\S*$/, '') + '…';
  return `[quote=${quote.id}]\n${excerpt}\n[/quote]\n\n${text}`;
}

const FIRST_NAMES = ['Марина', 'Сергей', 'Ольга', 'Андрей', 'Ирина', 'Дмитрий', 'Наталья', 'Алексей', 'Елена', 'Павел', 'Татьяна', 'Игорь', 'Светлана', 'Михаил', 'Анна', 'Виктор', 'Юлия', 'Николай', 'Ксения', 'Роман', 'Людмила', 'Артём', 'Вера', 'Глеб', 'Дарья'];
const INITIALS = 'АБВГДЕЖЗИКЛМНОПРСТУФХЧШЯ';
const writerName = (w: number) => `${FIRST_NAMES[w % FIRST_NAMES.length]} ${INITIALS[Math.floor(w / FIRST_NAMES.length) % INITIALS.length]}.`;

const SUBJECTS = ['Ремонт двора', 'Новая остановка', 'Парковка у поликлиники', 'Детская площадка', 'Вывоз мусора', 'Освещение', 'Капремонт крыши', 'Светофор на перекрёстке', 'Сквер', 'Велодорожка', 'Отключение горячей воды', 'Ямы на дороге', 'Шум по ночам', 'Новый магазин', 'Автобус № 12', 'Каток', 'Бездомные собаки', 'Лифт в подъезде', 'Школьный стадион', 'Рынок'];
const PLACES = ['на Ленина', 'на Садовой', 'в Заречье', 'на Северном', 'у вокзала', 'на Гагарина', 'в центре', 'на Мира', 'у набережной', 'в Сосновке'];
const topicTitle = (n: number) => `${SUBJECTS[n % SUBJECTS.length]} ${PLACES[Math.floor(n / SUBJECTS.length) % PLACES.length]}${n >= SUBJECTS.length * PLACES.length ? ` (${Math.floor(n / (SUBJECTS.length * PLACES.length)) + 1})` : ''}`;

// ---------- making them ----------

type Db = Kysely<DB>;

/**
 * Posts of one topic in batches; a quarter quote one of the 20 before them (added
 * once the quoted post's id is known, by a second statement). Returns the ids by number.
 */
async function writePosts(db: Db, topicId: number, count: number, authorOf: (n: number) => number, timeOf: (n: number) => Date, rand: () => number): Promise<number[]> {
  const ids: number[] = [];
  const texts = Array.from({ length: count }, () => postBody(rand));
  const quotes = texts.map((_, i) => (i > 0 && rand() < 0.25 ? Math.max(0, i - 1 - Math.floor(rand() * Math.min(20, i))) : -1));
  for (let from = 0; from < count; from += BATCH) {
    const rows = texts.slice(from, from + BATCH).map((body, k) => ({ topic_id: topicId, number: from + k + 1, author_id: authorOf(from + k + 1), body, created_at: timeOf(from + k + 1) }));
    const made = await db.insertInto('forum_posts').values(rows as never).returning(['id', 'number']).execute();
    for (const r of made) ids[r.number - 1] = r.id;
  }
  const quoted = quotes.flatMap((q, i) => (q < 0 ? [] : [{ id: ids[i]!, body: quoting({ id: ids[q]!, text: texts[q]! }, texts[i]!) }]));
  for (let from = 0; from < quoted.length; from += BATCH) {
    const part = quoted.slice(from, from + BATCH);
    await sql`update forum_posts p set body = v.body from (values ${sql.join(part.map((q) => sql`(${q.id}::int, ${q.body}::text)`))}) as v(id, body) where p.id = v.id`.execute(db);
  }
  return ids;
}

async function newTopic(db: Db, boardId: number, title: string, slug: string, authorId: number, created: Date): Promise<number> {
  const row = await db
    .insertInto('forum_topics')
    .values({ board_id: boardId, author_id: authorId, title, slug, last_post_at: created, last_poster_id: authorId, created_at: created } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The counts the forum keeps, from the rows: topics, the board, the members. */
async function recount(db: Db, boardId: number, userIds: number[]): Promise<void> {
  await sql`
    update forum_topics t set
      post_count = s.n, last_number = s.last, last_post_number = s.last, last_post_at = s.at,
      last_poster_id = (select author_id from forum_posts where topic_id = t.id and number = s.last)
    from (select topic_id, count(*)::int as n, max(number) as last, max(created_at) as at from forum_posts where status = 'published' group by topic_id) s
    where s.topic_id = t.id and t.board_id = ${boardId}`.execute(db);
  // As boards.ts recountBoards does.
  await sql`
    update forum_boards b set
      topic_count = t.topics, post_count = t.posts, last_post_at = t.last_at,
      last_topic_id = (select id from forum_topics where board_id = b.id and status = 'visible' order by last_post_at desc limit 1)
    from (select count(*)::int as topics, coalesce(sum(post_count), 0)::int as posts, max(last_post_at) as last_at from forum_topics where status = 'visible' and board_id = ${boardId}) t
    where b.id = ${boardId}`.execute(db);
  await sql`
    update forum_members m set
      post_count = (select count(*)::int from forum_posts p where p.author_id = m.user_id and p.status = 'published'),
      topic_count = (select count(*)::int from forum_topics t where t.author_id = m.user_id and t.status = 'visible')
    where m.user_id in (${sql.join(userIds)})`.execute(db);
}

async function build(app: App, log: (line: string) => void): Promise<Marker> {
  const started = Date.now();
  const now = app.clock.now().getTime();
  const HOUR = 3600_000;
  const DAY = 24 * HOUR;
  const marker = await app.database.db.transaction().execute(async (db) => {
    const board = await db
      .insertInto('forum_boards')
      .values({ slug: BOARD_SLUG, title: 'Городской разговор', description: 'Обо всём, что происходит в городе (доска бенчмарка)', position: 100 } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    const boardId = board.id;

    // Accounts: new readers who cannot sign in with a password (no hash matches '!').
    const accounts = Array.from({ length: FORUM_WRITERS + 1 }, (_, w) =>
      w < FORUM_WRITERS
        ? { email: `forum-writer-${w}@bench.invalid`, display_name: writerName(w) }
        : { email: 'forum-reader@bench.invalid', display_name: 'Читатель форума' },
    );
    const users = await db
      .insertInto('users')
      .values(accounts.map((a) => ({ ...a, password_hash: '!', role: 'reader', email_confirmed_at: new Date(now - 400 * DAY), created_at: new Date(now - 400 * DAY) })) as never)
      .returning(['id', 'email'])
      .execute();
    const idOf = new Map(users.map((u) => [u.email, u.id]));
    const writerIds = accounts.slice(0, FORUM_WRITERS).map((a) => idOf.get(a.email)!);
    const readerId = idOf.get('forum-reader@bench.invalid')!;
    await db
      .insertInto('forum_members')
      .values([...writerIds.map((id, w) => ({ user_id: id, handle: `${writerName(w).replace(/[ .]+/g, '_').replace(/_$/, '')}_${w}`, joined_at: new Date(now - 400 * DAY) })), { user_id: readerId, handle: 'Читатель_форума', joined_at: new Date(now - 400 * DAY) }] as never)
      .execute();

    // The long topic: 5,000 posts over 200 days by 50 regulars.
    const rand = random(12);
    const longStart = now - 200 * DAY;
    const longTopicId = await newTopic(db, boardId, 'Трамвайная линия на Северный: обсуждаем проект', 'tramvaynaya-liniya-na-severnyy-obsuzhdaem-proekt', writerIds[0]!, new Date(longStart));
    await writePosts(db, longTopicId, LONG_POSTS, (n) => writerIds[(n * 7) % 50]!, (n) => new Date(longStart + Math.floor(((n - 1) * 199 * DAY) / LONG_POSTS)), rand);
    log(`forum: the long topic of ${LONG_POSTS.toLocaleString('en-US')} posts written in ${Math.round((Date.now() - started) / 1000)} s`);

    // Reply topics: 20 posts each by their 10 regulars (the hot one: by the first 20 writers).
    const replyTopic = async (k: number, writers: number[], title: string) => {
      const start = now - (3 + k) * DAY;
      const id = await newTopic(db, boardId, title, `tema-${k + 1}`, writers[0]!, new Date(start));
      await writePosts(db, id, 20, (n) => writers[(n - 1) % writers.length]!, (n) => new Date(start + n * HOUR), rand);
      // Taking part watches the topic (posting.ts follow()): each regular at their own last post.
      await db
        .insertInto('forum_topic_readers')
        .values(writers.map((uid, i) => ({ user_id: uid, topic_id: id, last_read: 20, level: 3, reason: i === 0 ? 'created' : 'replied', first_seen_at: new Date(start), updated_at: new Date(start + 20 * HOUR) })) as never)
        .execute();
      return id;
    };
    const regularsOf = (t: number) => writerIds.filter((_, w) => w % LOAD_TOPICS === t);
    const load: number[] = [];
    for (let t = 0; t < LOAD_TOPICS; t++) load.push(await replyTopic(t, regularsOf(t), topicTitle(t)));
    const burst: number[] = [];
    for (let b = 0; b < BURST_TOPICS; b++) burst.push(await replyTopic(LOAD_TOPICS + b, regularsOf(b), topicTitle(LOAD_TOPICS + b)));
    const hot = await replyTopic(LOAD_TOPICS + BURST_TOPICS, writerIds.slice(0, HOT_WRITERS), 'Перекрытие моста на три месяца: как теперь ездить?');

    // The topics the reader follows: 3 to 30 posts each, last active over the past 30 days.
    const followed: number[] = [];
    for (let k = 0; k < FOLLOWED; k++) {
      const n = 3 + Math.floor(rand() * 28);
      const lastAt = now - Math.floor(rand() * 30 * DAY);
      const start = lastAt - n * 3 * HOUR;
      const id = await newTopic(db, boardId, topicTitle(100 + k), `sledim-${k + 1}`, writerIds[(k * 13) % FORUM_WRITERS]!, new Date(start));
      await writePosts(db, id, n, (m) => writerIds[(k * 13 + m * 17) % FORUM_WRITERS]!, (m) => new Date(start + m * 3 * HOUR), rand);
      followed.push(id);
    }
    await recount(db, boardId, [...writerIds, readerId]);
    const made: Marker = { version: VERSION, boardId, longTopicId, load, burst, hot, followed, writerIds, readerId };
    await db.insertInto('settings').values({ key: MARKER, value: JSON.stringify(made) }).execute();
    return made;
  });
  log(`forum: board, ${(1 + LOAD_TOPICS + BURST_TOPICS + 1 + FOLLOWED).toLocaleString('en-US')} topics and ${FORUM_WRITERS + 1} accounts written in ${Math.round((Date.now() - started) / 1000)} s`);
  return marker;
}

/** The forum search's backfill (when the source tree has it), until nothing is pending: the portal's start-up job then has nothing to do. */
async function indexForSearch(app: App, log: (line: string) => void): Promise<void> {
  const search = (app as unknown as { forumSearch?: { backfill(budgetMs?: number): Promise<number> } }).forumSearch;
  if (!search) return;
  const started = Date.now();
  let total = 0;
  for (let n = await search.backfill(60_000); n > 0; n = await search.backfill(60_000)) {
    total += n;
    log(`forum: ${total.toLocaleString('en-US')} posts indexed for search…`);
  }
  if (total) log(`forum: ${total.toLocaleString('en-US')} posts indexed for search in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** The forums' fixtures: made once per database, the per-run parts every run (see the top of this file). */
export async function forumFixtures(app: App, source: string, log: (line: string) => void): Promise<ForumFixtures> {
  const db = app.database.db;
  const row = await db.selectFrom('settings').select('value').where('key', '=', MARKER).executeTakeFirst();
  let m = row ? (JSON.parse(row.value) as Marker) : undefined;
  if (m && m.version !== VERSION) throw new Error(`this database holds the forum fixtures of version ${m.version}, not ${VERSION}: use another BENCH_DATA_DIR or PostgreSQL database`);
  m ??= await build(app, log);
  await indexForSearch(app, log);

  // The flood limits off, as an operator sets them (the settings of this source tree).
  const { FORUM_SETTINGS } = (await import(pathToFileURL(path.join(source, 'src/modules/forums/index.ts')).href)) as typeof import('../src/modules/forums/index.js');
  await app.settings.set(FORUM_SETTINGS.postIntervalSeconds, 0);
  await app.settings.set(FORUM_SETTINGS.newPostIntervalSeconds, 0);
  await app.settings.set(FORUM_SETTINGS.newRepliesPerDay, 10_000);
  await app.settings.set(FORUM_SETTINGS.repeatWindowMinutes, 0);

  // Sessions as a sign-in writes them (platform/sessions.ts create(), with its
  // helpers from this source tree): the cookie's random token, its SHA-256 stored.
  const { randomToken, sha256 } = (await import(pathToFileURL(path.join(source, 'src/platform/secrets.ts')).href)) as typeof import('../src/platform/secrets.js');
  const { SESSION_DAYS } = (await import(pathToFileURL(path.join(source, 'src/platform/sessions.ts')).href)) as typeof import('../src/platform/sessions.js');
  const accounts = [...m.writerIds, m.readerId];
  await db.deleteFrom('sessions').where('user_id', 'in', accounts).execute();
  const now = app.clock.now();
  const tokens = accounts.map(() => randomToken(32));
  await db
    .insertInto('sessions')
    .values(tokens.map((token, i) => ({ id: sha256(token), user_id: accounts[i]!, csrf_token: randomToken(), user_agent: 'bench', created_at: now, last_seen_at: now, expires_at: new Date(now.getTime() + SESSION_DAYS * 86_400_000) })))
    .execute();
  const sessionOf = (i: number) => `gorod_session=${tokens[i]}`;

  // The reader's progress, the same on every run: 200 followed topics, 120 of them
  // with unread posts (1 to 20, never all), and 100 topics only visited.
  const followed = await db.selectFrom('forum_topics').select(['id', 'last_number']).where('id', 'in', m.followed).orderBy('id').execute();
  const visited = [m.longTopicId, ...m.load, ...m.burst, m.hot];
  const rand = random(34);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('forum_topic_readers').where('user_id', '=', m.readerId).execute();
    await trx.updateTable('forum_members').set({ read_all_at: null }).where('user_id', '=', m.readerId).execute();
    const readRows = followed.map((t, k) => {
      const unread = k % 5 < 3 ? Math.min(t.last_number - 1, 1 + Math.floor(rand() * 20)) : 0;
      return { user_id: m.readerId, topic_id: t.id, last_read: t.last_number - unread, level: k % 3 === 0 ? 3 : 2, reason: k % 3 === 0 ? 'replied' : k % 3 === 1 ? 'read_long' : 'manual', first_seen_at: now, updated_at: now };
    });
    await trx.insertInto('forum_topic_readers').values([...readRows, ...visited.map((id) => ({ user_id: m.readerId, topic_id: id, last_read: 1, level: 1, reason: 'visited', first_seen_at: now, updated_at: now }))] as never).execute();
  });
  const unread = followed.filter((_, k) => k % 5 < 3).length;
  if (unread !== UNREAD) throw new Error(`forum fixtures: ${unread} unread topics, expected ${UNREAD}`);

  const count = async (ids: number[]) => Number((await db.selectFrom('forum_posts').select((eb) => eb.fn.countAll<string>().as('n')).where('topic_id', 'in', ids).executeTakeFirstOrThrow()).n);
  const quotableRows = await db
    .selectFrom('forum_posts')
    .select(['id', 'topic_id', 'body'])
    .where('topic_id', 'in', [...m.load, ...m.burst, m.hot])
    .where('number', '<=', 5)
    .where('status', '=', 'published')
    .orderBy('id')
    .execute();
  const quotable: Record<number, { id: number; text: string }[]> = {};
  for (const r of quotableRows) (quotable[r.topic_id] ??= []).push({ id: r.id, text: r.body });
  const board = await db.selectFrom('forum_boards').select(['id', 'slug']).where('id', '=', m.boardId).executeTakeFirstOrThrow();
  const long = await db.selectFrom('forum_topics').select(['id', 'slug', 'post_count']).where('id', '=', m.longTopicId).executeTakeFirstOrThrow();
  return {
    board,
    longTopic: { id: long.id, path: `/forum/${board.slug}/${long.id}-${long.slug}/`, posts: long.post_count, page: LONG_PAGE },
    replyTopics: { load: m.load, burst: m.burst, hot: m.hot },
    quotable,
    writerSessions: m.writerIds.map((_, w) => sessionOf(w)),
    writerIds: m.writerIds,
    reader: { session: sessionOf(m.writerIds.length), followed: followed.length, unread, visited: visited.length },
    rowsBefore: { load: await count(m.load), burst: await count(m.burst), hot: await count([m.hot]) },
  };
}

// ---------- after the run: the exact-count check ----------

export interface ForumIntegrity {
  /** Posts stored now in each group of reply topics. */
  rows: { load: number; burst: number; hot: number };
  /** Topics of the board whose counts disagree with their rows: how many, and the first 10. */
  badCount: number;
  badTopics: { id: number; postCount: number; lastNumber: number; lastPostNumber: number; rows: number; published: number; distinct: number; min: number; max: number }[];
  topics: number;
  /** Posts not published (held by the moderation pipeline, for instance). */
  notPublished: number;
  board: { postCount: number; sum: number; topicCount: number; topics: number };
  /** The writers' post counts (forum_members) against their published posts. */
  members: { counted: number; rows: number };
}

/**
 * After the portal has stopped: every topic of the board numbers its posts 1..n
 * without a gap or a duplicate, its post_count and last_number equal its rows (all
 * published) and last_post_number its highest; the board's post_count is the sum of
 * its topics'; the writers' post counts equal their posts.
 */
export async function forumIntegrity(db: Db, boardId: number, topics: { load: number[]; burst: number[]; hot: number }, writerIds: number[]): Promise<ForumIntegrity> {
  const count = async (ids: number[]) => Number((await db.selectFrom('forum_posts').select((eb) => eb.fn.countAll<string>().as('n')).where('topic_id', 'in', ids).executeTakeFirstOrThrow()).n);
  const per = await sql<{ id: number; post_count: number; last_number: number; last_post_number: number; rows: number; published: number; distinct: number; min: number | null; max: number | null }>`
    select t.id, t.post_count, t.last_number, t.last_post_number,
      count(p.id)::int as rows, (count(p.id) filter (where p.status = 'published'))::int as published,
      count(distinct p.number)::int as distinct, min(p.number) as min, max(p.number) as max
    from forum_topics t left join forum_posts p on p.topic_id = t.id
    where t.board_id = ${boardId}
    group by t.id order by t.id`.execute(db);
  const bad = per.rows.filter((t) => !(t.post_count === t.rows && t.published === t.rows && t.last_number === t.rows && t.distinct === t.rows && t.min === 1 && t.max === t.rows && t.last_post_number === t.rows));
  const board = await sql<{ post_count: number; topic_count: number; sum: number; topics: number }>`
    select b.post_count, b.topic_count,
      (select coalesce(sum(post_count), 0)::int from forum_topics where board_id = b.id and status = 'visible') as sum,
      (select count(*)::int from forum_topics where board_id = b.id and status = 'visible') as topics
    from forum_boards b where b.id = ${boardId}`.execute(db);
  const members = await sql<{ counted: number; rows: number }>`
    select (select coalesce(sum(post_count), 0)::int from forum_members where user_id in (${sql.join(writerIds)})) as counted,
      (select count(*)::int from forum_posts where author_id in (${sql.join(writerIds)}) and status = 'published') as rows`.execute(db);
  const b = board.rows[0]!;
  return {
    rows: { load: await count(topics.load), burst: await count(topics.burst), hot: await count([topics.hot]) },
    badCount: bad.length,
    badTopics: bad.slice(0, 10).map((t) => ({ id: t.id, postCount: t.post_count, lastNumber: t.last_number, lastPostNumber: t.last_post_number, rows: t.rows, published: t.published, distinct: t.distinct, min: t.min ?? 0, max: t.max ?? 0 })),
    topics: per.rows.length,
    notPublished: per.rows.reduce((a, t) => a + t.rows - t.published, 0),
    board: { postCount: b.post_count, sum: b.sum, topicCount: b.topic_count, topics: b.topics },
    members: members.rows[0]!,
  };
}
