// `npm run bench -- --only newsletter`: the newsletter's send at scale — a digest to
// BENCH_NEWSLETTER_SUBSCRIBERS (default 100,000) confirmed subscribers, queued in one
// statement and handed by the module's own sender through the pooled SMTP mailer to
// a local SMTP sink (smtp-server, test/support/smtp-sink.ts), in this process, on
// PGlite (or DATABASE_URL). Reports the queueing time, mails per second and the
// process's peak resident memory. Not measured here: the personal alerts part (not
// built) and the page latency during the send.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/server.js';
import { renderDigest } from '../src/modules/newsletter/index.js';
import { i18n } from '../src/platform/i18n/index.js';
import { startSmtpSink } from '../test/support/smtp-sink.js';
import type { ArticleCard } from '../src/modules/content/index.js';

export async function benchNewsletter(): Promise<void> {
  const count = Number(process.env.BENCH_NEWSLETTER_SUBSCRIBERS ?? 100_000);
  const connections = process.env.SMTP_POOL_CONNECTIONS ?? '10';
  const sink = await startSmtpSink({ keep: false });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-bench-newsletter-'));
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, SEED_DEMO: 'false', LOG_LEVEL: 'warn', SMTP_URL: sink.url, SMTP_POOL_CONNECTIONS: connections, NEWSLETTER_DAILY_CAP: '5' });
  const app = await buildApp({ config, logger: false });
  await app.ready();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  try {
    const { db } = app.database;
    const list = await app.newsletter.service.createList({ slug: 'bench', name: 'Утренний дайджест', description: '', kind: 'daily', sendTime: '07:00', weekday: null, sectionIds: [], maxItems: 8, minNewItems: 0, active: true, position: 0 });
    let t = Date.now();
    await sql`insert into newsletter_subscribers (email, email_hash) select 'reader' || g || '@example.ru', md5(g::text) from generate_series(1, ${count}) g`.execute(db);
    await sql`insert into newsletter_subscriptions (subscriber_id, list_id, status, confirmed_at) select id, ${list.id}, 'confirmed', now() from newsletter_subscribers`.execute(db);
    process.stderr.write(`bench: ${count} subscribers in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
    // Eight articles as the digest shows them (the content module's cards).
    const cards: ArticleCard[] = Array.from({ length: 8 }, (_, i) => ({ id: i + 1, type: 'news', title: `Заголовок новости номер ${i + 1} о жизни города`, lead: 'Короткий лид в две строки: что случилось, где и что будет дальше. '.repeat(2), url: `/gorod/2026/12/06/${i + 1}`, publishedAt: new Date(), section: { id: 1, slug: 'gorod', title: 'Город' }, cover: null, authors: [] }) as ArticleCard);
    const mail = renderDigest({ listName: list.name, cards, i18n: i18n('ru', config.timezone), site: { name: config.siteName, url: config.publicUrl }, now: new Date() });
    t = Date.now();
    const send = await db.insertInto('newsletter_sends').values({ list_id: list.id, issue_key: 'bench', kind: 'digest', status: 'queued', subject: mail.subject, html: mail.html, text: mail.text, article_ids: '[]', created_by: null }).returning('id').executeTakeFirstOrThrow();
    await sql`insert into newsletter_queue (send_id, subscriber_id) select ${send.id}, subscriber_id from newsletter_subscriptions where list_id = ${list.id} and status = 'confirmed'`.execute(db);
    const queueMs = Date.now() - t;
    t = Date.now();
    const sent = await app.newsletter.sender.run();
    const sendMs = Date.now() - t;
    await sink.until(() => sink.messages.length >= sent, 60_000);
    const rate = sent / (sendMs / 1000);
    const report = { subscribers: count, queued_ms: queueMs, sent, received: sink.messages.length, send_s: +(sendMs / 1000).toFixed(1), mails_per_s: Math.round(rate), peak_rss_mb: Math.round(peak / 1024 / 1024), smtp_pool_connections: Number(connections), database: app.database.kind };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`newsletter: ${sent} mails in ${report.send_s} s = ${report.mails_per_s} mails/s (goal ≥ 500), peak RSS ${report.peak_rss_mb} MB (goal < 300)\n`);
  } finally {
    clearInterval(sampler);
    await app.close();
    await sink.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
