// The sending portal of the newsletter benchmark (bench/newsletter.ts), in a process
// of its own started with `npm start`'s Node options (scripts/start-flags.ts): the
// demo portal on PGlite in a fresh folder, or on DATABASE_URL (a fresh database the
// parent made), with BENCH_NEWSLETTER_SUBSCRIBERS confirmed subscribers of one daily
// list and BENCH_NEWSLETTER_PERSONAL of them confirmed accounts with a saved search
// that has new ads (their digest carries the personal part, asked per batch through
// `newsletter.savedSearchAds` as in production).
// BENCH_NEWSLETTER_ROLE says what this process is:
// - `portal` (PGlite, one process): it serves the portal on 127.0.0.1 (the parent's
//   wrk asks for the cached article) and, when told, queues the digest and runs the
//   module's own sender into SMTP_URL (the parent's sink process);
// - `web` (PostgreSQL): an instance with JOBS=off — it serves the portal, sends nothing;
// - `sender` (PostgreSQL): what `gorod worker` is (src/cli/worker.ts) — no listener,
//   its CPU priority lowered to WORKER_NICE the same way — and, when told, the send.
// It runs first with BENCH_NEWSLETTER_FILL=1, which seeds and fills the database and
// exits; then each role is a freshly started process, as a newsroom's portal is, so
// its memory is the serving or sending process's, not the seed's.
// IPC: the process first answers { port, personal, rss }; { send } queues and sends, and answers
// { sent, queueMs, sendMs, peakRss, … } — this process's own RSS, sampled every 100 ms
// during the send; { close } closes the app and exits. BENCH_NEWSLETTER_PROFILE=file:
// a CPU profile of the send alone (node:inspector), written to that file.
import fs from 'node:fs';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/server.js';
import { renderDigest } from '../src/modules/newsletter/index.js';
import { i18n } from '../src/platform/i18n/index.js';
import type { ArticleCard } from '../src/modules/content/index.js';
import { lowerPriority } from '../src/platform/priority.js';

const count = Number(process.env.BENCH_NEWSLETTER_SUBSCRIBERS ?? 100_000);
const personalShare = Number(process.env.BENCH_NEWSLETTER_PERSONAL ?? 0.1);
const profileFile = process.env.BENCH_NEWSLETTER_PROFILE || '';
const fill = process.env.BENCH_NEWSLETTER_FILL === '1';
const role = (process.env.BENCH_NEWSLETTER_ROLE ?? 'portal') as 'portal' | 'web' | 'sender';
const dataDir = process.env.BENCH_NEWSLETTER_DIR!;
const log = (line: string) => process.stderr.write(`bench newsletter (portal): ${line}\n`);
const config = loadConfig({ ...process.env, DATA_DIR: dataDir, SEED_DEMO: 'true', LOG_LEVEL: 'warn', NEWSLETTER_DAILY_CAP: '5', DATABASE_URL: process.env.DATABASE_URL || undefined, PORT: '0' } as NodeJS.ProcessEnv);
const app = await buildApp({ config: { ...config, jobs: role !== 'web' }, logger: false });
await app.ready();
const { db } = app.database;
// The module's sender is driven here alone: the periodic jobs would send (and make
// the bench list's scheduled issue when its 07:00 has come) beside it.
await app.jobs.stop();
if (fill) {
  // The demo portal: the articles (one of them for wrk) and the classifieds' catalogue.
  await (await import('../demo/seed.js')).seedDemoIfEmpty(app);
  await fillSubscribers();
  if (app.database.kind === 'postgres') await sql`analyze`.execute(db);
  await app.close();
  process.exit(0);
}
const list = await db.selectFrom('newsletter_lists').select(['id', 'name']).where('slug', '=', 'bench').executeTakeFirstOrThrow();
const personal = Number((await sql<{ n: number }>`select count(*)::int as n from ad_saved_searches where label = 'Мой поиск'`.execute(db)).rows[0]!.n);

async function fillSubscribers() {
const list = await app.newsletter.service.createList({ slug: 'bench', name: 'Утренний дайджест', description: '', kind: 'daily', sendTime: '07:00', weekday: null, sectionIds: [], maxItems: 8, minNewItems: 0, active: true, position: 0 });
const t = Date.now();
await sql`insert into newsletter_subscribers (email, email_hash) select 'reader' || g || '@example.ru', md5(g::text) from generate_series(1, ${count}) g`.execute(db);
await sql`insert into newsletter_subscriptions (subscriber_id, list_id, status, confirmed_at) select id, ${list.id}, 'confirmed', now() from newsletter_subscribers`.execute(db);
log(`${count} subscribers in ${((Date.now() - t) / 1000).toFixed(1)} s`);
// The personal part: every 1/share-th address is a confirmed account with a saved
// search of a category that has three ads of the last hour.
const every = personalShare > 0 ? Math.round(1 / personalShare) : 0;
let personal = 0;
if (every) {
  const category = await db.selectFrom('ad_categories as c').select(['c.id', 'c.slug']).where(({ not, exists, selectFrom }) => not(exists(selectFrom('ad_categories as k').select('k.id').whereRef('k.parent_id', '=', 'c.id')))).orderBy('c.id').limit(1).executeTakeFirstOrThrow();
  await sql`insert into ads (category_id, status, title, description, price, published_at, sort_at, expires_at) select ${category.id}, 'active', 'Свежее объявление для дайджеста ' || g, 'Описание объявления', 1000 * g, now(), now() - interval '1 hour', now() + interval '30 days' from generate_series(1, 3) g`.execute(db);
  await sql`insert into users (email, password_hash, display_name, role, email_confirmed_at) select 'reader' || g || '@example.ru', 'x', 'Читатель ' || g, 'reader', now() from generate_series(${every}::int, ${count}::int, ${every}::int) g on conflict do nothing`.execute(db);
  await sql`insert into ad_saved_searches (user_id, query, label, seen_until, token, created_at) select u.id, ${`/ads/${category.slug}/`}, 'Мой поиск', now() - interval '2 days', md5(u.id::text || 'bench'), now() - interval '2 days' from users u where u.email like 'reader%@example.ru'`.execute(db);
  personal = Number((await sql<{ n: number }>`select count(*)::int as n from ad_saved_searches where label = 'Мой поиск'`.execute(db)).rows[0]!.n);
  log(`${personal} of them with a saved search that has new ads`);
}
}
let port = 0;
if (role === 'sender') lowerPriority(config.workerNice, log);
else {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : 0;
}

async function send() {
  // Eight articles as the digest shows them (the content module's cards).
  const cards: ArticleCard[] = Array.from({ length: 8 }, (_, i) => ({ id: i + 1, type: 'news', title: `Заголовок новости номер ${i + 1} о жизни города`, lead: 'Короткий лид в две строки: что случилось, где и что будет дальше. '.repeat(2), url: `/gorod/2026/12/06/${i + 1}`, publishedAt: new Date(), section: { id: 1, slug: 'gorod', title: 'Город' }, cover: null, authors: [] }) as ArticleCard);
  const mail = renderDigest({ listName: list.name, cards, i18n: i18n('ru', config.timezone), site: { name: config.siteName, url: config.publicUrl }, now: new Date() });
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  let t = Date.now();
  const row = await db.insertInto('newsletter_sends').values({ list_id: list.id, issue_key: 'bench', kind: 'digest', status: 'queued', subject: mail.subject, html: mail.html, text: mail.text, article_ids: '[]', created_by: null }).returning('id').executeTakeFirstOrThrow();
  await sql`insert into newsletter_queue (send_id, subscriber_id) select ${row.id}, subscriber_id from newsletter_subscriptions where list_id = ${list.id} and status = 'confirmed'`.execute(db);
  const queueMs = Date.now() - t;
  let session: import('node:inspector/promises').Session | undefined;
  if (profileFile) {
    const { Session } = await import('node:inspector/promises');
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  // On PostgreSQL, the transactions the send commits (each statement outside a transaction is one): statements per mail.
  const commits = async () => (app.database.kind === 'postgres' ? Number((await sql<{ n: string }>`select xact_commit as n from pg_stat_database where datname = current_database()`.execute(db)).rows[0]!.n) : NaN);
  await sql`select pg_stat_clear_snapshot()`.execute(db).catch(() => {});
  const commitsBefore = await commits();
  t = Date.now();
  const sent = await app.newsletter.sender.run();
  const sendMs = Date.now() - t;
  // The statistics reach pg_stat_database within a second (stats_fetch_consistency, the backends' flush).
  if (app.database.kind === 'postgres') await new Promise((r) => setTimeout(r, 1500));
  await sql`select pg_stat_clear_snapshot()`.execute(db).catch(() => {});
  const commitsAfter = await commits();
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(profileFile, JSON.stringify(profile));
    session.disconnect();
  }
  clearInterval(sampler);
  const carried = Number((await sql<{ n: number }>`select count(*)::int as n from ad_saved_searches where label = 'Мой поиск' and seen_until > now() - interval '1 hour'`.execute(db)).rows[0]!.n);
  return { sent, queueMs, sendMs, rssBefore, peakRss: peak, carried, database: app.database.kind, commitsPerMail: +((commitsAfter - commitsBefore) / sent).toFixed(3) };
}

process.on('message', (m: { send?: boolean; close?: boolean }) => {
  if (m.send) void send().then((r) => process.send!({ result: r }), (err: unknown) => process.send!({ error: String((err as Error)?.stack ?? err) }));
  if (m.close) void app.close().finally(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
process.send!({ port, personal, rss: process.memoryUsage().rss });
