// Forum search at scale: a million generated forum posts on PostgreSQL, indexed by
// the forums' own indexer, then 200 searches — common, middling and rare words,
// abbreviations, two-word queries, with and without filters (board, category,
// author, dates, page 2) — timed through the search service and through the page
// (GET /forum/search by app.inject: routing, the board tree, the render; every
// address different, so no kept result answers). Prints p50/p95/max.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/gorod_fsbench npx tsx bench/forum-search.ts
//
// FORUM_POSTS (1000000) sets the size; SEARCHES (200) the number of timed searches.
// The posts are written by SQL (insert … select generate_series) from a pool of
// sentences of bench/corpus.ts (inflected Russian city news), 1–4 sentences a post,
// 20 posts a topic, over three years, with a few rare phrases («ЖК», «ТО», «ТЦ»,
// «ёлка») sprinkled in; one post in a hundred deleted, one board archived. The
// database keeps what was made: a second run only searches (or finishes indexing).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connection.js';
import { buildApp } from '../src/server.js';
import { generateArticle, loadVocabulary } from './corpus.js';
import { ensurePostgresDatabase, redact } from './fixtures.js';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL=postgres://… is required (the benchmark is for PostgreSQL)');
  process.exit(2);
}
const POSTS = Number(process.env.FORUM_POSTS ?? 1_000_000);
const SEARCHES = Number(process.env.SEARCHES ?? 200);
const PER_TOPIC = 20;
const TOPICS = Math.ceil(POSTS / PER_TOPIC);
const AUTHORS = 2000;
const SPAN_DAYS = 3 * 365;
const CHUNK_TOPICS = 2500;

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

await ensurePostgresDatabase(url);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-fsbench-'));
const database = await openDatabase({ url, poolSize: 4 });
const config = { ...loadConfig({ DATA_DIR: dataDir, DATABASE_URL: url, LOG_LEVEL: 'warn', SEED_DEMO: 'false' }), trustProxy: '127.0.0.1' };
const app = await buildApp({ config, database, logger: { level: 'warn' } });
await app.ready();
const db = database.db;
log(`database ${redact(url)}`);

try {
  // ---------- the boards and the authors ----------
  let boards = (await app.forums.boards.tree({ archived: true })).flatMap((c) => [c, ...c.children]).filter((b) => b.slug.startsWith('fsb-'));
  if (!boards.length) {
    const make = (slug: string, title: string, parentId: number | null, position: number) =>
      app.forums.boards.create({ parentId, slug, title, description: '', position, startRole: 'reader', replyRole: 'reader', premoderation: false });
    const city = await make('fsb-gorod', 'Город', null, 1);
    const life = await make('fsb-zhizn', 'Жизнь', null, 2);
    const names = ['Транспорт', 'ЖКХ', 'Дороги', 'Стройки', 'Происшествия', 'Работа', 'Дети', 'Здоровье', 'Отдых', 'Барахолка'];
    for (const [i, name] of names.entries()) await make(`fsb-${i + 1}`, name, i < 5 ? city.id : life.id, i + 1);
    const archived = await make('fsb-arhiv', 'Архив выборов', null, 3);
    await app.forums.boards.archive(archived.id, true);
    boards = (await app.forums.boards.tree({ archived: true })).flatMap((c) => [c, ...c.children]).filter((b) => b.slug.startsWith('fsb-'));
  }
  // Topics go into the boards that hold topics (a category's own page too), the archive included.
  const topicBoards = boards.filter((b) => b.parentId !== null || b.slug === 'fsb-arhiv').map((b) => b.id);
  const authorsMade = Number((await sql<{ n: number }>`select count(*)::int as n from users where email like 'fsb-%@example.invalid'`.execute(db)).rows[0]!.n);
  if (authorsMade < AUTHORS) {
    await sql`insert into users (email, password_hash, display_name, role)
      select 'fsb-' || i || '@example.invalid', '!', 'Участник ' || i, 'reader' from generate_series(${authorsMade + 1}::int, ${AUTHORS}::int) i`.execute(db);
    await sql`insert into forum_members (user_id, handle)
      select id, 'fsb_' || split_part(split_part(email, '@', 1), '-', 2) from users where email like 'fsb-%@example.invalid'
      on conflict do nothing`.execute(db);
  }
  const authorIds = (await sql<{ id: number }>`select id from users where email like 'fsb-%@example.invalid' order by id`.execute(db)).rows.map((r) => r.id);

  // ---------- the posts ----------
  const have = Number((await sql<{ n: number }>`select count(*)::int as n from forum_posts p join forum_topics t on t.id = p.topic_id where t.slug like 'fsb-%'`.execute(db)).rows[0]!.n);
  if (have < POSTS) {
    const started = performance.now();
    await loadVocabulary();
    await sql`create table if not exists fsb_sentences (id integer primary key, text text not null)`.execute(db);
    const pool = Number((await sql<{ n: number }>`select count(*)::int as n from fsb_sentences`.execute(db)).rows[0]!.n);
    if (!pool) {
      const sentences: string[] = [];
      for (let n = 0; sentences.length < 60_000; n++) {
        const a = generateArticle(n);
        for (const p of [a.lead, ...a.paragraphs]) sentences.push(...p.split(/(?<=[.!?…])\s+/).filter((s) => s.length > 20));
      }
      for (let i = 0; i < sentences.length; i += 5000) {
        const part = sentences.slice(i, i + 5000);
        await sql`insert into fsb_sentences (id, text) select ${i} + n, s from unnest(${part}::text[]) with ordinality as x(s, n)`.execute(db);
      }
      log(`${sentences.length} sentences in the pool`);
    }
    const S = Number((await sql<{ n: number }>`select count(*)::int as n from fsb_sentences`.execute(db)).rows[0]!.n);
    const topicsHave = Number((await sql<{ n: number }>`select count(*)::int as n from forum_topics where slug like 'fsb-%'`.execute(db)).rows[0]!.n);
    // The newest topic started a day ago, so its last posts are not in the future.
    const now = Date.now() - 86_400_000;
    for (let from = topicsHave + 1; from <= TOPICS; from += CHUNK_TOPICS) {
      const to = Math.min(TOPICS, from + CHUNK_TOPICS - 1);
      // i: the topic's number in the benchmark; its posts over the next hours, oldest topics first.
      await db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ id: number; i: number }>`
          insert into forum_topics (board_id, author_id, title, slug, status, post_count, last_number, last_post_at, last_post_number, created_at)
          select (${topicBoards}::int[])[1 + (i * 7) % ${topicBoards.length}],
            (${authorIds}::int[])[1 + floor(${AUTHORS} * power(((i::bigint * 2654435761) % 1000003) / 1000003.0, 3))::int],
            left((select text from fsb_sentences where id = 1 + (i::bigint * 104729) % ${S}), 120),
            'fsb-' || i, 'visible', ${PER_TOPIC}, ${PER_TOPIC},
            ${new Date(now)}::timestamptz - (${TOPICS} - i) * (${SPAN_DAYS} * interval '1 day' / ${TOPICS}) + interval '20 hours',
            ${PER_TOPIC},
            ${new Date(now)}::timestamptz - (${TOPICS} - i) * (${SPAN_DAYS} * interval '1 day' / ${TOPICS})
          from generate_series(${from}::int, ${to}::int) i
          returning id, substr(slug, 5)::int as i`.execute(trx);
        const ids = rows.map((r) => r.id);
        const nums = rows.map((r) => r.i);
        await sql`
          insert into forum_posts (topic_id, number, author_id, body, status, created_at)
          select t.id, n,
            (${authorIds}::int[])[1 + floor(${AUTHORS} * power(((t.i::bigint * 40503 + n * 2654435761) % 1000003) / 1000003.0, 3))::int],
            (select string_agg(s.text, ' ' order by k) from generate_series(0, (t.i + n) % 4) k join fsb_sentences s on s.id = 1 + (t.i::bigint * 7919 + n * 104729 + k * 15485863) % ${S})
              || case when (t.i * 20 + n) % 101 = 0 then ' Где пройти ТО недорого?' else '' end
              || case when (t.i * 20 + n) % 211 = 0 then ' В ЖК «Северный» опять нет горячей воды.' else '' end
              || case when (t.i * 20 + n) % 307 = 0 then ' У ТЦ на Мира теперь платная парковка.' else '' end
              || case when (t.i * 20 + n) % 1009 = 0 then ' Ёлку на площади уже поставили.' else '' end,
            case when (t.i * 20 + n) % 100 = 37 then 'deleted' else 'published' end,
            ${new Date(now)}::timestamptz - (${TOPICS} - t.i) * (${SPAN_DAYS} * interval '1 day' / ${TOPICS}) + (n - 1) * interval '1 hour'
          from unnest(${ids}::int[], ${nums}::int[]) as t(id, i)
          cross join generate_series(1, ${PER_TOPIC}) n`.execute(trx);
      });
      if (to % 25_000 === 0 || to === TOPICS) log(`${to * PER_TOPIC} posts written (${seconds(performance.now() - started)})`);
    }
    log(`posts written in ${seconds(performance.now() - started)}`);
  }

  // ---------- the index ----------
  const pending = Number((await sql<{ n: number }>`select count(*)::int as n from forum_search_posts where indexed <> version`.execute(db)).rows[0]!.n);
  if (pending) {
    const started = performance.now();
    // A bulk load: the GIN index is built once at the end rather than row by row.
    const bulk = pending > 100_000;
    if (bulk) await sql`drop index if exists forum_search_posts_document_idx`.execute(db);
    let done = 0;
    for (;;) {
      const n = await app.forumSearch.backfill(60_000);
      done += n;
      log(`${done} of ${pending} posts indexed (${seconds(performance.now() - started)})`);
      if (!n) break;
    }
    const indexedIn = performance.now() - started;
    if (bulk) {
      const t = performance.now();
      await sql`set maintenance_work_mem = '512MB'`.execute(db);
      await sql`create index forum_search_posts_document_idx on forum_search_posts using gin (document) where visible`.execute(db);
      log(`GIN index built in ${seconds(performance.now() - t)}`);
    }
    await sql`vacuum analyze forum_search_posts`.execute(db);
    await sql`analyze forum_posts`.execute(db);
    await sql`analyze forum_topics`.execute(db);
    log(`indexed ${done} posts in ${seconds(indexedIn)}; total with the GIN index and vacuum ${seconds(performance.now() - started)}`);
  }
  const sizes = (await sql<{ posts: number; table: string; gin: string }>`
    select (select count(*)::int from forum_search_posts) as posts,
      pg_size_pretty(pg_table_size('forum_search_posts')) as table,
      pg_size_pretty(pg_relation_size('forum_search_posts_document_idx')) as gin`.execute(db)).rows[0]!;
  log(`index: ${sizes.posts} posts, table ${sizes.table}, GIN ${sizes.gin}`);

  // ---------- the searches ----------
  // The start-up job (rows missing after a restore, what is pending) runs in the
  // background: wait for it, as a portal serves a while after its start.
  while (!(await app.jobs.run('forums.search.backfill'))) await new Promise((resolve) => setTimeout(resolve, 200));
  // 41 queries × 5 kinds of filter: 205 different searches, the first SEARCHES of them timed.
  const queries = [
    // common (the corpus's city words)
    'город', 'улица', 'житель', 'район', 'администрация', 'проблема', 'решение', 'год', 'центр', 'власть',
    // middling
    'трамвай', 'остановка', 'мост', 'школа', 'больница', 'парковка', 'ремонт', 'пожар', 'стадион', 'библиотека', 'тариф', 'фабрика', 'бюджет',
    // rare, abbreviations, ё
    'ЖК', 'ТО', 'ТЦ', 'ёлка', 'елку', 'томограф', 'ледоход', 'квитанция', 'эвакуатор',
    // two and three words
    'ремонт дороги', 'житель жалоба', 'новый мост', 'школа учитель', 'ЖК вода', 'пройти ТО', 'городской бюджет', 'трамвай маршрут', 'платная парковка ТЦ',
  ];
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const active = (await sql<{ author_id: number }>`select author_id from forum_posts where author_id is not null group by author_id order by count(*) desc limit 50`.execute(db)).rows.map((r) => r.author_id);
  const handles = await app.forums.members.handles(active);
  const live = boards.filter((b) => !b.archived);
  const now = Date.now();
  const plans = Array.from({ length: 205 }, (_, i) => {
    const q = queries[i % queries.length]!;
    const kind = ['none', 'board', 'author', 'dates', 'page2'][i % 5]!;
    const board = live[i % live.length]!;
    const authorId = active[i % active.length]!;
    const fromMs = now - ((i * 37) % SPAN_DAYS) * 86_400_000 - 30 * 86_400_000;
    const toMs = fromMs + (i % 2 ? 30 : 365) * 86_400_000;
    const category = board.parentId === null ? live.filter((b) => b.parentId === board.id).map((b) => b.id) : [];
    return {
      label: `${q} [${kind}]`,
      params: {
        q,
        page: kind === 'page2' ? 2 : 1,
        boardIds: kind === 'board' ? [board.id, ...category] : undefined,
        authorId: kind === 'author' ? authorId : undefined,
        from: kind === 'dates' ? new Date(`${day(fromMs)}T00:00:00Z`) : undefined,
        to: kind === 'dates' ? new Date(new Date(`${day(toMs)}T00:00:00Z`).getTime() + 86_400_000) : undefined,
      },
      query: {
        q,
        ...(kind === 'page2' ? { page: '2' } : {}),
        ...(kind === 'board' ? { board: board.slug } : {}),
        ...(kind === 'author' ? { author: handles.get(authorId) ?? '' } : {}),
        ...(kind === 'dates' ? { from: day(fromMs), to: day(toMs) } : {}),
      },
    };
  }).slice(0, SEARCHES);

  const stats = (ms: number[]) => {
    const s = [...ms].sort((a, b) => a - b);
    const at = (p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
    return { n: s.length, p50: +at(50).toFixed(1), p95: +at(95).toFixed(1), max: +s.at(-1)!.toFixed(1), mean: +(s.reduce((a, b) => a + b, 0) / s.length).toFixed(1) };
  };

  // Warm-up: each query once without filters (the database's and the lemmatizer's caches).
  for (const q of queries) await app.forumSearch.search({ q: `${q} город`, page: 1 });

  const service: number[] = [];
  const byKind = new Map<string, number[]>();
  let found = 0;
  let capped = 0;
  for (const plan of plans) {
    const t = performance.now();
    const r = await app.forumSearch.search(plan.params);
    const ms = performance.now() - t;
    service.push(ms);
    const kind = plan.label.slice(plan.label.indexOf('[') + 1, -1);
    byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
    if (r.total) found++;
    if (r.more) capped++;
  }
  const page: number[] = [];
  let ip = 0;
  for (const plan of plans) {
    const t = performance.now();
    const res = await app.inject({ method: 'GET', url: `/forum/search?${new URLSearchParams(plan.query)}`, headers: { 'x-forwarded-for': `2001:db8:${(ip++).toString(16)}::1` } });
    page.push(performance.now() - t);
    if (res.statusCode !== 200) throw new Error(`${plan.label}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  }
  const slowest = plans.map((p, i) => ({ label: p.label, ms: +service[i]!.toFixed(1) })).sort((a, b) => b.ms - a.ms).slice(0, 5);
  const summary = {
    posts: sizes.posts,
    searches: plans.length,
    withResults: found,
    windowFull: capped,
    service: stats(service),
    page: stats(page),
    serviceByFilter: Object.fromEntries([...byKind].map(([k, v]) => [k, stats(v)])),
    slowest,
  };
  log(`search service: p50 ${summary.service.p50} ms, p95 ${summary.service.p95} ms, max ${summary.service.max} ms (${plans.length} searches, ${found} with results, ${capped} with more matches than the window)`);
  log(`the page (GET /forum/search): p50 ${summary.page.p50} ms, p95 ${summary.page.p95} ms, max ${summary.page.max} ms`);
  console.log(JSON.stringify(summary));
} finally {
  await app.close();
  await database.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
