// Comments move to subjects, and complaints, bans and stop words to the moderation
// tables (0350, 0800, 0801): a database filled the old way before them keeps every
// row. On PGlite, and on PostgreSQL too when DATABASE_URL is set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../../db/connection.js';
import { migrate } from '../../db/migrator.js';
import { adminQuery, withDatabase } from '../../../test/support/template.js';

// Before comments' move to subjects (0350) and after the votes' reader column (0303).
const BEFORE = '0349';
const anon = crypto.randomUUID();

async function fillTheOldWay(database: Database) {
  const run = (text: string) => sql.raw(text).execute(database.db);
  await run(`insert into users (id, email, password_hash, display_name) overriding system value values
    (1, 'anna@example.ru', 'x', 'Анна'), (2, 'boris@example.ru', 'x', 'Борис'), (3, 'mod@example.ru', 'x', 'Модератор')`);
  await run(`insert into sections (id, slug, title) overriding system value values (1, 'gorod', 'Город')`);
  await run(`insert into articles (id, section_id, title, status, published_at) values (10, 1, 'Мост откроют весной', 'published', now()), (11, 1, 'Новый сквер', 'published', now())`);
  await run(`insert into comments (id, article_id, parent_id, root_id, depth, author_id, body, status, complaints, created_at, reviewed_at) overriding system value values
    (100, 10, null, null, 0, 1, 'Наконец-то!', 'approved', 2, '2026-11-20T10:00:00Z', null),
    (101, 10, 100, 100, 1, 2, 'Не верю, перенесут', 'approved', 0, '2026-11-20T11:00:00Z', null),
    (102, 11, null, null, 0, 2, 'Спам про окна', 'rejected', 1, '2026-11-21T09:00:00Z', '2026-11-21T12:00:00Z'),
    (103, 11, null, null, 0, 1, 'Сквер хороший', 'approved', 1, '2026-11-21T10:00:00Z', '2026-11-21T12:00:00Z')`);
  await run(`insert into comment_votes (comment_id, reader, value) values (100, 'u:2', 1), (100, 'a:${anon}', 1)`);
  await run(`insert into comment_complaints (comment_id, reporter, reason, note, created_at) values
    (100, 'u:2', 'abuse', 'грубо', '2026-11-20T12:00:00Z'),
    (100, 'a:${anon}', 'spam', '', '2026-11-20T12:30:00Z'),
    (102, 'u:1', 'spam', 'реклама', '2026-11-21T10:00:00Z'),
    (103, 'u:2', 'offtopic', '', '2026-11-21T11:00:00Z')`);
  await run(`insert into comment_bans (user_id, reason, until, created_by, created_at, lifted_at) values
    (2, 'реклама', '2030-01-01T00:00:00Z', 3, '2026-11-21T12:00:00Z', null),
    (2, 'флуд', null, 3, '2026-11-01T12:00:00Z', '2026-11-02T12:00:00Z')`);
  await run(`insert into comment_stop_words (word) values ('казино*'), ('плохое слово')`);
  await run(`insert into settings (key, value) values ('comments.holdFirst', '2')`);
}

async function checkMoved(database: Database) {
  const db = database.db;
  const comments = await db.selectFrom('comments').select(['id', 'subject_kind', 'subject_id', 'parent_id', 'status']).orderBy('id').execute();
  assert.deepEqual(comments, [
    { id: 100, subject_kind: 'article', subject_id: 10, parent_id: null, status: 'approved' },
    { id: 101, subject_kind: 'article', subject_id: 10, parent_id: 100, status: 'approved' },
    { id: 102, subject_kind: 'article', subject_id: 11, parent_id: null, status: 'rejected' },
    { id: 103, subject_kind: 'article', subject_id: 11, parent_id: null, status: 'approved' },
  ]);
  assert.equal((await db.selectFrom('comment_votes').select('comment_id').execute()).length, 2);
  const reports = await db.selectFrom('reports').select(['subject_kind', 'subject_id', 'subject_author_id', 'reader', 'reason', 'text', 'status']).orderBy('subject_id').orderBy('reason').execute();
  assert.deepEqual(reports, [
    { subject_kind: 'comment', subject_id: 100, subject_author_id: 1, reader: 'u:2', reason: 'abuse', text: 'грубо', status: 'open' },
    { subject_kind: 'comment', subject_id: 100, subject_author_id: 1, reader: `a:${anon}`, reason: 'spam', text: '', status: 'open' },
    // Looked at and removed: upheld; looked at and kept: dismissed.
    { subject_kind: 'comment', subject_id: 102, subject_author_id: 2, reader: 'u:1', reason: 'spam', text: 'реклама', status: 'upheld' },
    { subject_kind: 'comment', subject_id: 103, subject_author_id: 1, reader: 'u:2', reason: 'offtopic', text: '', status: 'dismissed' },
  ]);
  const bans = await db.selectFrom('moderation_bans').select(['user_id', 'scope_kind', 'reason', 'ends_at', 'lifted_at', 'created_by']).orderBy('created_at').execute();
  assert.deepEqual(
    bans.map((b) => [b.user_id, b.scope_kind, b.reason, b.ends_at?.toISOString() ?? null, b.lifted_at !== null, b.created_by]),
    [
      [2, null, 'флуд', null, true, 3],
      [2, null, 'реклама', '2030-01-01T00:00:00.000Z', false, 3],
    ],
  );
  assert.deepEqual((await db.selectFrom('moderation_stop_words').select('word').orderBy('word').execute()).map((r) => r.word), ['казино*', 'плохое слово']);
  assert.deepEqual(await db.selectFrom('settings').select(['key', 'value']).where('key', 'like', '%holdFirst').execute(), [{ key: 'moderation.holdFirst', value: '2' }]);
  // Approved comments count as posts made, for trust levels.
  const activity = await db.selectFrom('moderation_activity').select(['user_id', sql<string>`day::text`.as('day'), 'posts']).orderBy('user_id').orderBy('day').execute();
  assert.deepEqual(activity, [
    { user_id: 1, day: '2026-11-20', posts: 1 },
    { user_id: 1, day: '2026-11-21', posts: 1 },
    { user_id: 2, day: '2026-11-20', posts: 1 },
  ]);
  // The old tables and column are gone.
  for (const table of ['comment_complaints', 'comment_bans', 'comment_stop_words']) {
    const row = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_name = ${table}`.execute(db);
    assert.equal(row.rows[0]!.n, 0, table);
  }
  const column = await sql<{ n: number }>`select count(*)::int as n from information_schema.columns where table_name = 'comments' and column_name in ('article_id', 'complaints')`.execute(db);
  assert.equal(column.rows[0]!.n, 0);
}

async function scenario(database: Database) {
  const before = await migrate(database, { upTo: BEFORE });
  assert.ok(before.includes('0302_comment_vote_ips.sql') && !before.some((f) => f >= '0350'), before.join(' '));
  await fillTheOldWay(database);
  const rest = await migrate(database);
  assert.ok(rest.includes('0350_comments_subjects.sql') && rest.includes('0800_moderation.sql') && rest.includes('0801_comments_article_column.sql'), rest.join(' '));
  await checkMoved(database);
}

test('comments, complaints, bans and stop words made before the migrations move to subjects and moderation (PGlite)', async () => {
  const database = await openDatabase({});
  try {
    await scenario(database);
  } finally {
    await database.close();
  }
});

test('the same on PostgreSQL', { skip: !process.env.DATABASE_URL && 'needs DATABASE_URL' }, async () => {
  const base = process.env.DATABASE_URL!;
  const name = `gorod_moderation_migration_${process.pid}`;
  await adminQuery(base, `create database ${name}`);
  const database = await openDatabase({ url: withDatabase(base, name), poolSize: 2 });
  try {
    await scenario(database);
  } finally {
    await database.close();
    await adminQuery(base, `drop database ${name}`);
  }
});
