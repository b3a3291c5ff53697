// kill -9 of one of two instances in the middle of a stream of reader writes
// (reactions, comments, comment votes, typo reports). Readers stick to an instance
// as behind a balancer and move to the survivor when theirs stops answering.
// Afterwards: every write that was answered 2xx is in the database, and every
// stored counter equals a count of its rows. Needs PostgreSQL (two processes share
// one database); uses Redis too when REDIS_URL is set, as in production.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../../src/db/connection.js';
import { Client } from '../support/client.js';
import { sharedDataDir, startInstance, templateDatabase, within, type Instance } from '../support/processes.js';

const skip = process.env.DATABASE_URL ? false : 'needs DATABASE_URL: two `gorod serve` processes share one PostgreSQL database (CI runs it)';

const READERS = 24;
const STEPS = 12;
/** The kill comes after this many 2xx answers, so both instances have taken writes. */
const KILL_AFTER = 80;

let fresh: Awaited<ReturnType<typeof templateDatabase>>;
let database: Database;
let dataDir: string;
let a: Instance;
let b: Instance;
let articles: { id: number; revision: number; words: string[] }[];

before(async () => {
  if (skip) return;
  fresh = await templateDatabase();
  database = await openDatabase({ url: fresh.url, poolSize: 2 });
  // Guests may comment, so every reader can write everything without signing in.
  await database.db.updateTable('sections').set({ comments_mode: 'guests' }).execute();
  const rows = await database.db.selectFrom('articles').select(['id', 'revision', 'body_text']).where('status', '=', 'published').where('body_text', '!=', '').orderBy('published_at', 'desc').limit(4).execute();
  articles = rows.map((r) => ({ id: r.id, revision: r.revision, words: uniqueWords(r.body_text) }));
  assert.ok(articles.length >= 2 && articles.every((x) => x.words.length >= 6), 'the demo has articles with text');
  dataDir = sharedDataDir(fresh.uploadsDir);
  const env: Record<string, string> = {
    DATABASE_URL: fresh.url,
    DATA_DIR: dataDir,
    // Every reader comes from its own address (X-Forwarded-For from the test, trusted).
    TRUST_PROXY: '127.0.0.1',
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `gorod-fault:${crypto.randomBytes(4).toString('hex')}:` } : {}),
  };
  [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
});

after(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await database?.close();
  await fresh?.drop().catch(() => {});
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Words that occur once in the text: a typo report of one of them names one place. */
function uniqueWords(text: string): string[] {
  const words = text.match(/[А-Яа-яЁё]{7,}/g) ?? [];
  const seen = new Map<string, number>();
  for (const w of words) seen.set(w, (seen.get(w) ?? 0) + 1);
  return [...seen].filter(([w, n]) => n === 1 && text.split(w).length === 2).map(([w]) => w);
}

type Write =
  | { kind: 'reaction'; articleId: number; reaction: string | null }
  | { kind: 'comment'; articleId: number; body: string }
  | { kind: 'vote'; commentId: number; value: 1 | -1 }
  | { kind: 'typo'; articleId: number; revision: number; fragment: string };

interface Outcome {
  reader: number;
  write: Write;
  /** The HTTP status, or null when no answer came (the instance died with it). */
  status: number | null;
  body?: any;
  instance: 'a' | 'b';
}

test('kill -9 of one instance mid-stream loses no acknowledged write and leaves every count equal to its rows', { skip }, async () => {
  const outcomes: Outcome[] = [];
  let acknowledged = 0;
  let killed: Promise<void> | undefined;
  // A few comments to vote on from the first step; readers' own comments join them.
  const seeded = await database.db
    .insertInto('comments')
    .values(articles.map((x) => ({ subject_kind: 'article', subject_id: x.id, guest_name: 'Гость', body: 'Первый комментарий', status: 'approved' as const, ip_hash: 'seed' })))
    .returning('id')
    .execute();
  const commentIds = seeded.map((r) => r.id);

  async function reader(n: number) {
    const ip = `10.77.${Math.floor(n / 200)}.${(n % 200) + 1}`;
    let home: 'a' | 'b' = n % 2 ? 'a' : 'b';
    let client = new Client((home === 'a' ? a : b).url, { 'x-forwarded-for': ip });
    for (let step = 0; step < STEPS; step++) {
      const article = articles[(n + step) % articles.length]!;
      const write = plan(n, step, article, commentIds);
      let status: number | null = null;
      let body: any;
      try {
        const res = await within(60_000, `a ${write.kind} write`, send(client, write));
        status = res.status;
        body = res.text ? res.json() : undefined;
      } catch (err) {
        if (/no answer within/.test((err as Error).message)) throw err;
        // Connection refused or reset: this instance is gone. Go to the survivor with
        // the same cookies, as the balancer would send this browser.
        if (home === 'a' && a.exit) {
          home = 'b';
          const moved = new Client(b.url, { 'x-forwarded-for': ip });
          for (const [k, v] of client.cookies) moved.cookies.set(k, v);
          client = moved;
        }
      }
      outcomes.push({ reader: n, write, status, body, instance: client.base === a.url ? 'a' : 'b' });
      if (status !== null && status >= 200 && status < 300) {
        if (write.kind === 'comment' && body?.status === 'approved') commentIds.push(body.id);
        if (++acknowledged === KILL_AFTER) killed = a.kill();
      }
    }
    return client;
  }

  const clients = await Promise.all(Array.from({ length: READERS }, (_, n) => reader(n)));
  await killed;
  assert.equal(a.exit?.signal, 'SIGKILL', 'instance A was killed mid-stream');
  assert.equal(b.exit, undefined, `instance B is still running:\n${b.output()}`);

  const answered = outcomes.filter((o) => o.status !== null);
  const errors = answered.filter((o) => o.status! >= 500);
  assert.deepEqual(errors.map((o) => `${o.write.kind} → ${o.status} ${JSON.stringify(o.body)}`), [], 'no 5xx from the survivor');
  const ok = answered.filter((o) => o.status! < 300);
  assert.ok(ok.length >= READERS * STEPS * 0.8, `most writes were accepted: ${ok.length} of ${outcomes.length}; others: ${[...new Set(answered.filter((o) => o.status! >= 300).map((o) => `${o.write.kind} ${o.status} ${JSON.stringify(o.body)}`))].slice(0, 5).join('; ')}`);
  assert.ok(outcomes.some((o) => o.status === null), 'some writes to A got no answer: the kill came mid-stream');
  assert.ok(outcomes.some((o, i) => o.instance === 'b' && o.status !== null && o.status < 300 && outcomes.slice(0, i).some((x) => x.status === null)), 'writes went on through B after the kill');

  // ---- every acknowledged write is stored ----
  const anonOf = (n: number) => decodeURIComponent(clients[n]!.cookies.get('gorod_reader') ?? '').split('.')[0]!;
  for (const o of ok) {
    const w = o.write;
    if (w.kind === 'comment') {
      const row = await database.db.selectFrom('comments').select(['subject_id', 'body']).where('id', '=', o.body.id).executeTakeFirst();
      assert.deepEqual(row, { subject_id: w.articleId, body: w.body }, `comment ${o.body.id} answered ${o.status} is stored`);
    }
    if (w.kind === 'typo') {
      const row = await database.db.selectFrom('typo_reports').select(['article_id', 'fragment', 'reports']).where('id', '=', o.body.id).executeTakeFirst();
      assert.equal(row?.fragment, w.fragment, `typo report ${o.body.id} is stored`);
      assert.ok(row!.reports >= o.body.reports, 'a stored report count never goes back');
    }
  }
  // The last answer a reader got for an article's reaction (or a comment's vote) is
  // what the database holds, unless a later write of theirs got no answer (it may or
  // may not have committed when the process died).
  const lastOf = new Map<string, Outcome>();
  for (const o of outcomes) {
    const key = o.write.kind === 'reaction' ? `r:${o.reader}:${o.write.articleId}` : o.write.kind === 'vote' ? `v:${o.reader}:${o.write.commentId}` : undefined;
    if (key && (o.status === null || o.status < 300)) lastOf.set(key, o);
  }
  let checked = 0;
  for (const o of lastOf.values()) {
    if (o.status === null) continue;
    const anon = anonOf(o.reader);
    if (o.write.kind === 'reaction') {
      const row = await database.db.selectFrom('reactions').select('kind').where('subject_kind', '=', 'article').where('subject_id', '=', o.write.articleId).where('reader', '=', `a:${anon}`).executeTakeFirst();
      assert.equal(row?.kind ?? null, o.write.reaction, `reader ${o.reader}'s reaction to ${o.write.articleId}`);
    } else if (o.write.kind === 'vote') {
      const row = await database.db.selectFrom('comment_votes').select('value').where('comment_id', '=', o.write.commentId).where('reader', '=', `a:${anon}`).executeTakeFirst();
      assert.equal(row?.value, o.write.value, `reader ${o.reader}'s vote on comment ${o.write.commentId}`);
    }
    checked++;
  }
  assert.ok(checked > READERS, `checked ${checked} readers' final reactions and votes`);

  // ---- every stored counter equals its rows ----
  const reactionDrift = await sql<{ subject_id: number; kind: string; stored: number; rows: number }>`
    select coalesce(c.subject_kind, r.subject_kind) as subject_kind, coalesce(c.subject_id, r.subject_id) as subject_id, coalesce(c.kind, r.kind) as kind, coalesce(c.n, 0) as stored, coalesce(r.n, 0)::int as rows
    from reaction_counts c
    full join (select subject_kind, subject_id, kind, count(*) as n from reactions group by subject_kind, subject_id, kind) r
      on r.subject_kind = c.subject_kind and r.subject_id = c.subject_id and r.kind = c.kind
    where coalesce(c.n, 0) <> coalesce(r.n, 0)`.execute(database.db);
  assert.deepEqual(reactionDrift.rows, [], 'reaction_counts = count(reactions) for every subject and kind');
  const voteDrift = await sql<{ id: number }>`
    select c.id, c.up, c.down, coalesce(v.up, 0)::int as rows_up, coalesce(v.down, 0)::int as rows_down
    from comments c
    left join (select comment_id, count(*) filter (where value = 1) as up, count(*) filter (where value = -1) as down from comment_votes group by comment_id) v on v.comment_id = c.id
    where c.up <> coalesce(v.up, 0) or c.down <> coalesce(v.down, 0)`.execute(database.db);
  assert.deepEqual(voteDrift.rows, [], 'comments.up/down = count(comment_votes) for every comment');
  // A typo report has no row per report: its count is bounded by what readers sent,
  // and is at least what they were told.
  const typoAcks = new Map<number, number>();
  const typoSent = new Map<string, number>();
  for (const o of outcomes) {
    if (o.write.kind !== 'typo') continue;
    const key = `${o.write.articleId}|${o.write.fragment}`;
    if (o.status === null || o.status < 300) typoSent.set(key, (typoSent.get(key) ?? 0) + 1);
    if (o.status === 201) typoAcks.set(o.body.id, (typoAcks.get(o.body.id) ?? 0) + 1);
  }
  const reports = await database.db.selectFrom('typo_reports').select(['id', 'article_id', 'fragment', 'reports']).where('id', 'in', [...typoAcks.keys()]).execute();
  for (const r of reports) {
    assert.ok(r.reports >= typoAcks.get(r.id)!, `typo report ${r.id}: ${r.reports} ≥ ${typoAcks.get(r.id)} acknowledged`);
    assert.ok(r.reports <= typoSent.get(`${r.article_id}|${r.fragment}`)!, `typo report ${r.id}: ${r.reports} ≤ sent`);
  }
  // The comment counts readers see are counted from the rows: the survivor shows them.
  for (const article of articles) {
    const res = await new Client(b.url).get(`/api/articles/${article.id}/comments`);
    assert.equal(res.status, 200);
    const stored = await database.db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).where('subject_kind', '=', 'article').where('subject_id', '=', article.id).where('status', '=', 'approved').executeTakeFirstOrThrow();
    assert.equal(res.json().count, Number(stored.n), `the comment count of article ${article.id}`);
  }
});

/** What reader n writes at a step: mostly reactions, with comments, votes and typo reports between. */
function plan(n: number, step: number, article: { id: number; revision: number; words: string[] }, commentIds: number[]): Write {
  switch (step % 6) {
    case 1:
      return { kind: 'comment', articleId: article.id, body: `Комментарий читателя ${n}, шаг ${step}: ${crypto.randomUUID()}` };
    case 3:
      return { kind: 'vote', commentId: commentIds[(n * 7 + step) % commentIds.length]!, value: (n + step) % 3 ? 1 : -1 };
    case 5:
      return { kind: 'typo', articleId: article.id, revision: article.revision, fragment: article.words[(n + step) % 6]! };
    default: {
      const kinds = ['LIKE', 'HAPPY', 'SURPRISED', 'ANGRY', 'SAD'];
      return { kind: 'reaction', articleId: article.id, reaction: (n + step) % 7 === 0 ? null : kinds[(n * 3 + step) % 5]! };
    }
  }
}

function send(c: Client, w: Write) {
  switch (w.kind) {
    case 'reaction':
      return w.reaction ? c.api('PUT', `/api/articles/${w.articleId}/reaction`, { kind: w.reaction }) : c.api('DELETE', `/api/articles/${w.articleId}/reaction`);
    case 'comment':
      return c.api('POST', '/api/comments', { articleId: w.articleId, body: w.body, guestName: 'Читатель' });
    case 'vote':
      return c.api('PUT', `/api/comments/${w.commentId}/vote`, { value: w.value });
    case 'typo':
      return c.api('POST', `/api/articles/${w.articleId}/typos`, { fragment: w.fragment, revision: w.revision });
  }
}
