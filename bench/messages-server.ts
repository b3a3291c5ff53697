// One portal instance for the messages benchmark (bench/messages.ts), in its own
// process: an empty portal (PGlite in a fresh folder, or DATABASE_URL; REDIS_URL when
// given), a test policy for the bench's subject kind, the limits raised for the run.
// The first instance (without BENCH_MESSAGES_READY) fills the database: one writer,
// N receivers each in a conversation with the writer, a session per receiver (the
// parent opens their streams), and an operator who is a member of 50 storefronts
// with many conversations each. Talks to the parent over IPC: { send: i } sends a
// message in conversation i through the service and answers { sent }; { inbox } times
// the operator's inbox (the JSON route, through HTTP); { memory } answers the RSS.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connection.js';
import { buildApp } from '../src/server.js';
import { MESSAGE_SETTINGS } from '../src/modules/messages/index.js';

const KIND = 'forum_topic';
const receivers = Number(process.env.MESSAGES_STREAMS ?? 2000);
const storefronts = Number(process.env.MESSAGES_STOREFRONTS ?? 50);
const perStorefront = Number(process.env.MESSAGES_PER_STOREFRONT ?? 200);
const dataDir = process.env.BENCH_MESSAGES_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-messages-bench-'));
const config = { ...loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', SEED_DEMO: 'false', PORT: process.env.PORT ?? '0' }), databaseUrl: process.env.DATABASE_URL || undefined, redisUrl: process.env.REDIS_URL || undefined };
const database = await openDatabase({ url: config.databaseUrl, pgliteDir: path.join(dataDir, 'pglite') });
const app = await buildApp({ config, database, logger: { level: 'warn' } });
app.messages.policies.add({ kind: KIND, async check() {} });
await app.ready();
await (await import('esbuild')).stop();
const db = app.database.db;

interface Fixture {
  writerId: number;
  conversations: number[];
  cookies: string[];
  operatorCookie: string;
}
const fixtureFile = path.join(dataDir, 'messages-fixture.json');

async function fill(): Promise<Fixture> {
  for (const [s, v] of [
    [MESSAGE_SETTINGS.maxStreams, 100_000],
    [MESSAGE_SETTINGS.messagesPerHour, 100_000],
    [MESSAGE_SETTINGS.messagesPerHourPerIp, 1_000_000],
    [MESSAGE_SETTINGS.conversationsPerDay, 100_000],
    [MESSAGE_SETTINGS.conversationsPerDayPerIp, 1_000_000],
    [MESSAGE_SETTINGS.streamMinutes, 60],
  ] as const)
    await app.settings.set(s, v);
  // Accounts in bulk: one hashed password shared (argon2 for each would take minutes).
  const writer = await app.accounts.createUser({ email: 'writer@bench.example', password: 'пароль-замера-1', displayName: 'Продавец', role: 'reader' });
  const hash = (await db.selectFrom('users').select('password_hash').where('id', '=', writer.id).executeTakeFirstOrThrow()).password_hash;
  const { rows } = await sql<{ id: number }>`insert into users (email, password_hash, display_name, role, created_at)
    select 'r' || g || '@bench.example', ${hash}, 'Покупатель ' || g, 'reader', now() from generate_series(1, ${receivers + perStorefront}) g returning id`.execute(db);
  const ids = rows.map((r) => r.id);
  const streamUsers = ids.slice(0, receivers);
  const buyers = ids.slice(receivers);
  const conversations: number[] = [];
  for (let i = 0; i < streamUsers.length; i += 20) {
    const batch = streamUsers.slice(i, i + 20);
    const made = await Promise.all(batch.map((id, j) => app.messages.start({ subject: { kind: KIND, id: i + j + 1 }, from: { kind: 'user', id: writer.id }, to: { kind: 'user', id }, actorId: writer.id, text: 'Здравствуйте! Замер.' })));
    conversations.push(...made.map((m) => m.conversationId));
  }
  const cookies = await Promise.all(streamUsers.map(async (id) => `gorod_session=${await app.sessions.create(id, 'bench')}`));
  // The operator: a member of every storefront; each storefront has conversations with the buyers.
  const operator = await app.accounts.createUser({ email: 'operator@bench.example', password: 'пароль-замера-1', displayName: 'Оператор', role: 'reader' });
  for (let s = 1; s <= storefronts; s++) {
    const org = await app.organisations.create({ slug: `bench-shop-${s}`, name: `Магазин ${s}`, ownerId: writer.id });
    await app.organisations.setRole(org.id, operator.id, 'member');
    // Filled in SQL: storefront s × each buyer, a message each, spread over a month.
    await sql`with c as (
        insert into message_conversations (subject_kind, subject_id, pair, started_by, created_at, last_message_at, last_sender)
        select ${KIND}, 100000 + ${s} * 10000 + g, 'o:' || ${org.id} || '|u:' || b.id, b.id, now() - (g || ' hours')::interval, now() - (g || ' hours')::interval, 'u:' || b.id
        from unnest(${sql.val(buyers)}::int[]) with ordinality as b(id, g)
        returning id, pair, last_message_at, started_by)
      , p as (
        insert into message_participants (conversation_id, party, other, last_message_at, unread)
        select id, 'o:' || ${org.id}, 'u:' || started_by, last_message_at, 1 from c
        union all select id, 'u:' || started_by, 'o:' || ${org.id}, last_message_at, 0 from c
        returning 1)
      insert into messages (conversation_id, sender, sender_id, body, created_at)
      select id, 'u:' || started_by, started_by, 'Добрый день! Товар ещё в наличии?', last_message_at from c`.execute(db);
  }
  if (database.kind === 'pglite') await sql`analyze`.execute(db);
  else await sql`analyze message_participants, message_conversations, messages`.execute(db);
  const operatorCookie = `gorod_session=${await app.sessions.create(operator.id, 'bench')}`;
  return { writerId: writer.id, conversations, cookies, operatorCookie };
}

const fixture: Fixture = process.env.BENCH_MESSAGES_READY ? (JSON.parse(fs.readFileSync(process.env.BENCH_MESSAGES_READY, 'utf8')) as Fixture) : await fill();
if (!process.env.BENCH_MESSAGES_READY) fs.writeFileSync(fixtureFile, JSON.stringify(fixture));
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.send!({ ready: true, port, fixtureFile, cookies: fixture.cookies.length });

let n = 0;
process.on('message', async (m: { send?: number; inbox?: number; memory?: boolean; stop?: boolean }) => {
  if (m.send !== undefined) {
    const conversationId = fixture.conversations[m.send]!;
    await app.messages.send({ conversationId, actorId: fixture.writerId, text: `Сообщение замера ${++n}` });
    process.send!({ sent: m.send });
  }
  if (m.inbox) {
    const times: number[] = [];
    for (let i = 0; i < m.inbox; i++) {
      const t0 = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}/api/messages/inbox`, { headers: { cookie: fixture.operatorCookie, accept: 'application/json' } });
      const body = (await res.json()) as { items: unknown[] };
      if (res.status !== 200 || body.items.length !== 30) throw new Error(`inbox answered ${res.status} with ${body.items?.length} items`);
      times.push(performance.now() - t0);
    }
    process.send!({ inboxMs: times });
  }
  if (m.memory) (globalThis as { gc?: () => void }).gc?.();
  if (m.memory) process.send!({ rss: process.memoryUsage().rss, streams: app.messageStreams.count, slow: app.messageStreams.stats.slow });
  if (m.stop) {
    await app.close();
    await database.close();
    if (!process.env.BENCH_MESSAGES_DIR && !process.env.BENCH_MESSAGES_READY) fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  }
});
