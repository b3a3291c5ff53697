// `npm run bench -- --only newsletter`: the newsletter's send at scale — a digest to
// BENCH_NEWSLETTER_SUBSCRIBERS (default 100,000) confirmed subscribers, queued in one
// statement and handed by the module's own sender through the pooled SMTP mailer to
// a local SMTP sink (smtp-server, test/support/smtp-sink.ts), in this process, on
// PGlite (or DATABASE_URL). BENCH_NEWSLETTER_PERSONAL (default 0.1) of the addresses
// are confirmed accounts with a saved search in the classifieds that has new ads, so
// their digest carries the personal part (asked per batch through
// `newsletter.savedSearchAds`, as in production). With the demo portal loaded, wrk
// measures the cached article page (p99) idle and then during the send, against the
// same process. Reports the queueing time, mails per second, the page latencies and
// the process's peak resident memory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/server.js';
import { renderDigest } from '../src/modules/newsletter/index.js';
import { i18n } from '../src/platform/i18n/index.js';
import { startSmtpSink } from '../test/support/smtp-sink.js';
import { runWrk, wrkVersion, type LoadResult } from './wrk.js';
import { findArticlePath } from './portal.js';
import type { ArticleCard } from '../src/modules/content/index.js';

export async function benchNewsletter(): Promise<void> {
  const count = Number(process.env.BENCH_NEWSLETTER_SUBSCRIBERS ?? 100_000);
  const personalShare = Number(process.env.BENCH_NEWSLETTER_PERSONAL ?? 0.1);
  const wrkSeconds = Number(process.env.BENCH_NEWSLETTER_WRK_SECONDS ?? 10);
  const connections = process.env.SMTP_POOL_CONNECTIONS ?? '10';
  const sink = await startSmtpSink({ keep: false });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-bench-newsletter-'));
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, SEED_DEMO: 'true', LOG_LEVEL: 'warn', SMTP_URL: sink.url, SMTP_POOL_CONNECTIONS: connections, NEWSLETTER_DAILY_CAP: '5' });
  const app = await buildApp({ config, logger: false });
  await app.ready();
  // The demo portal: the articles (one of them for wrk) and the classifieds' catalogue.
  await (await import('../demo/seed.js')).seedDemoIfEmpty(app);
  // The module's sender is driven here alone: the periodic jobs would send (and make
  // the bench list's scheduled issue when its 07:00 has come) beside it.
  await app.jobs.stop();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  try {
    const { db } = app.database;
    const list = await app.newsletter.service.createList({ slug: 'bench', name: 'Утренний дайджест', description: '', kind: 'daily', sendTime: '07:00', weekday: null, sectionIds: [], maxItems: 8, minNewItems: 0, active: true, position: 0 });
    let t = Date.now();
    await sql`insert into newsletter_subscribers (email, email_hash) select 'reader' || g || '@example.ru', md5(g::text) from generate_series(1, ${count}) g`.execute(db);
    await sql`insert into newsletter_subscriptions (subscriber_id, list_id, status, confirmed_at) select id, ${list.id}, 'confirmed', now() from newsletter_subscribers`.execute(db);
    process.stderr.write(`bench: ${count} subscribers in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
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
      process.stderr.write(`bench: ${personal} of them with a saved search that has new ads\n`);
    }
    // The cached article page, idle, from the same process that will send.
    const wrk = wrkVersion();
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const article = wrk ? await findArticlePath(base) : null;
    const load = (sec: number): Promise<LoadResult> | null => (wrk && article ? runWrk({ url: base + article }, { durationSec: sec, connections: 10, threads: 1 }) : null);
    if (article) await fetch(base + article);
    const idle = await load(wrkSeconds);
    // Eight articles as the digest shows them (the content module's cards).
    const cards: ArticleCard[] = Array.from({ length: 8 }, (_, i) => ({ id: i + 1, type: 'news', title: `Заголовок новости номер ${i + 1} о жизни города`, lead: 'Короткий лид в две строки: что случилось, где и что будет дальше. '.repeat(2), url: `/gorod/2026/12/06/${i + 1}`, publishedAt: new Date(), section: { id: 1, slug: 'gorod', title: 'Город' }, cover: null, authors: [] }) as ArticleCard);
    const mail = renderDigest({ listName: list.name, cards, i18n: i18n('ru', config.timezone), site: { name: config.siteName, url: config.publicUrl }, now: new Date() });
    t = Date.now();
    const send = await db.insertInto('newsletter_sends').values({ list_id: list.id, issue_key: 'bench', kind: 'digest', status: 'queued', subject: mail.subject, html: mail.html, text: mail.text, article_ids: '[]', created_by: null }).returning('id').executeTakeFirstOrThrow();
    await sql`insert into newsletter_queue (send_id, subscriber_id) select ${send.id}, subscriber_id from newsletter_subscriptions where list_id = ${list.id} and status = 'confirmed'`.execute(db);
    const queueMs = Date.now() - t;
    t = Date.now();
    const sending = app.newsletter.sender.run();
    // The same page while the sender works (it starts a second in, when the queue is being worked).
    const busy = await new Promise<Promise<LoadResult> | null>((resolve) => setTimeout(() => resolve(load(wrkSeconds)), 1000));
    const sent = await sending;
    const sendMs = Date.now() - t;
    const during = busy ? await busy : null;
    const withPart = Number((await sql<{ n: number }>`select count(*)::int as n from ad_saved_searches where label = 'Мой поиск' and seen_until > now() - interval '1 hour'`.execute(db)).rows[0]!.n);
    await sink.until(() => sink.messages.length >= sent, 60_000);
    const rate = sent / (sendMs / 1000);
    const ms = (r: LoadResult | null) => (r ? { p50_ms: +r.latency.p50.toFixed(1), p99_ms: +r.latency.p99.toFixed(1), rps: Math.round(r.rps), non2xx3xx: r.non2xx3xx } : null);
    const report = { subscribers: count, with_personal_part: personal, personal_parts_carried: withPart, queued_ms: queueMs, sent, received: sink.messages.length, send_s: +(sendMs / 1000).toFixed(1), mails_per_s: Math.round(rate), peak_rss_mb: Math.round(peak / 1024 / 1024), smtp_pool_connections: Number(connections), database: app.database.kind, article, article_idle: ms(idle), article_during_send: ms(during) };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`newsletter: ${sent} mails in ${report.send_s} s = ${report.mails_per_s} mails/s (goal ≥ 500), peak RSS ${report.peak_rss_mb} MB (goal < 300)\n`);
    if (idle && during) process.stdout.write(`cached article p99: idle ${idle.latency.p99.toFixed(1)} ms, during the send ${during.latency.p99.toFixed(1)} ms (${((during.latency.p99 / idle.latency.p99 - 1) * 100).toFixed(0)} %, goal within 20 %)\n`);
  } finally {
    clearInterval(sampler);
    await app.close();
    await sink.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
