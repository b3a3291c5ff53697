// Migrations 0250, 0251, 0303 and 0402 (subjects and one reader form) on a database
// filled BEFORE them: the migrations of the last release applied (RELEASED), rows
// inserted in the old form (user_id / anon_id, `voter`, `reader_key`, comments on
// `article_id`, complaints), then every migration since applied in the order a
// portal's upgrade applies them — these four together with the comments' move to
// subjects (0350, 0801) and the moderation module's (0800). Runs on PGlite, and on
// PostgreSQL with DATABASE_URL.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { openDatabase, type Database } from './connection.js';
import { migrate, migrationFiles } from './migrator.js';
import { adminQuery, withDatabase } from '../../test/support/template.js';

const MINE = ['0250_reactions_subjects.sql', '0251_typos_reader.sql', '0303_comment_votes_reader.sql', '0402_audience_readers.sql'];
/** The migrations of the last release (commit 1ec4777), the schema a portal upgrades from. */
const RELEASED = ['0000_platform.sql', '0001_accounts.sql', '0002_media.sql', '0003_content.sql', '0100_newsroom.sql', '0200_reactions.sql', '0201_typos.sql', '0300_accounts_profile.sql', '0301_comments.sql', '0302_comment_vote_ips.sql', '0399_comments_recent_idx.sql', '0400_audience.sql', '0401_search.sql'];
const SINCE = migrationFiles().filter((f) => !RELEASED.includes(f));
const base = process.env.DATABASE_URL;
const dbName = `gorod_m_${crypto.randomBytes(6).toString('hex')}`;
let database: Database;

before(async () => {
  if (base) await adminQuery(base, `create database ${dbName}`);
  database = await openDatabase({ url: base ? withDatabase(base, dbName) : undefined, poolSize: 2 });
});
after(async () => {
  await database.close();
  if (base) await adminQuery(base, `drop database if exists ${dbName} with (force)`);
});

const anonA = '00000000-0000-4000-8000-00000000000a';
const anonB = '00000000-0000-4000-8000-00000000000b';
const rowsOf = async (query: string) => (await sql.raw(query).execute(database.db)).rows as Record<string, unknown>[];

test('reactions, comment votes, typo reports and reading histories made before the migrations keep their rows and counts', async () => {
  const applied = await migrate(database, { except: SINCE });
  assert.deepEqual(applied, RELEASED);
  assert.ok(MINE.every((f) => SINCE.includes(f)));

  // A portal of the previous release: two accounts, two articles, reactions of both
  // kinds of reader, comments with votes, typo reports and reading histories.
  await sql.raw(`
    insert into users (id, email, password_hash, display_name) overriding system value values
      (1, 'anna@example.ru', 'x', 'Анна'), (2, 'boris@example.ru', 'x', 'Борис');
    insert into sections (id, slug, title) overriding system value values (1, 'gorod', 'Город');
    insert into articles (id, section_id, title, status, published_at) values
      (10, 1, 'Мост откроют в декабре', 'published', now()), (11, 1, 'Трамвай пойдёт по новому маршруту', 'published', now());
    insert into reactions (article_id, user_id, anon_id, kind) values
      (10, 1, null, 'LIKE'), (10, null, '${anonA}', 'LIKE'), (10, null, '${anonB}', 'SAD'), (11, 2, null, 'ANGRY');
    insert into reaction_counts (article_id, kind, n) values (10, 'LIKE', 2), (10, 'SAD', 1), (11, 'ANGRY', 1);
    insert into comments (id, article_id, body, status, author_id, up, down) overriding system value values
      (100, 10, 'Наконец-то!', 'approved', 1, 2, 1);
    insert into comment_votes (comment_id, voter, value, ip_hash) values
      (100, 'u:2', 1, ''), (100, 'a:${anonA}', 1, 'h1'), (100, 'a:${anonB}', -1, 'h2');
    insert into comment_complaints (comment_id, reporter, reason) values (100, 'a:${anonB}', 'spam');
    insert into typo_reports (article_id, revision, fragment, merge_key, user_id, anon_id, ip_hash) values
      (10, 1, 'мостт', 'k1', 1, null, 'h'), (10, 1, 'декабрее', 'k2', null, '${anonA}', 'h'), (11, 1, 'трамвйа', 'k3', null, null, 'h');
    insert into reader_reads (reader_key, article_id, section_id, read_at) values ('u:1', 10, 1, now()), ('a:${anonA}', 11, 1, now());
    insert into article_views_hourly (article_id, hour, views) values (10, date_trunc('hour', now()), 80);
  `).execute(database.db);

  const rest = await migrate(database);
  assert.deepEqual(rest, SINCE);

  const reactions = await rowsOf(`select subject_kind, subject_id, reader, kind from reactions order by subject_id, reader`);
  assert.deepEqual(reactions, [
    { subject_kind: 'article', subject_id: 10, reader: `a:${anonA}`, kind: 'LIKE' },
    { subject_kind: 'article', subject_id: 10, reader: `a:${anonB}`, kind: 'SAD' },
    { subject_kind: 'article', subject_id: 10, reader: 'u:1', kind: 'LIKE' },
    { subject_kind: 'article', subject_id: 11, reader: 'u:2', kind: 'ANGRY' },
  ]);
  const counts = await rowsOf(`select subject_kind, subject_id, kind, n from reaction_counts order by subject_id, kind`);
  assert.deepEqual(counts, [
    { subject_kind: 'article', subject_id: 10, kind: 'LIKE', n: 2 },
    { subject_kind: 'article', subject_id: 10, kind: 'SAD', n: 1 },
    { subject_kind: 'article', subject_id: 11, kind: 'ANGRY', n: 1 },
  ]);
  // Counts still equal rows.
  const fromRows = await rowsOf(`select subject_id, kind, count(*)::int as n from reactions group by subject_id, kind order by subject_id, kind`);
  assert.deepEqual(fromRows, counts.map(({ subject_id, kind, n }) => ({ subject_id, kind, n })));

  const votes = await rowsOf(`select reader, value from comment_votes order by reader`);
  assert.deepEqual(votes, [
    { reader: `a:${anonA}`, value: 1 },
    { reader: `a:${anonB}`, value: -1 },
    { reader: 'u:2', value: 1 },
  ]);
  assert.deepEqual(await rowsOf(`select up, down from comments where id = 100`), [{ up: 2, down: 1 }]);
  assert.deepEqual(await rowsOf(`select subject_kind, subject_id, reader, status from reports`), [{ subject_kind: 'comment', subject_id: 100, reader: `a:${anonB}`, status: 'open' }], 'the complaint is a report of the moderation module (0800)');
  assert.deepEqual(await rowsOf(`select subject_kind, subject_id from comments where id = 100`), [{ subject_kind: 'article', subject_id: 10 }]);

  const typos = await rowsOf(`select fragment, reader from typo_reports order by fragment`);
  assert.deepEqual(typos, [
    { fragment: 'декабрее', reader: `a:${anonA}` },
    { fragment: 'мостт', reader: 'u:1' },
    { fragment: 'трамвйа', reader: null },
  ]);
  assert.deepEqual(await rowsOf(`select reader, article_id from reader_reads order by reader`), [
    { reader: `a:${anonA}`, article_id: 11 },
    { reader: 'u:1', article_id: 10 },
  ]);
  assert.deepEqual(await rowsOf(`select views, signed_views from article_views_hourly`), [{ views: 80, signed_views: 0 }]);

  // The new form holds: one reaction per reader and subject, and only stored reader keys.
  await assert.rejects(sql.raw(`insert into reactions (subject_kind, subject_id, reader, kind) values ('article', 10, 'u:1', 'SAD')`).execute(database.db));
  await assert.rejects(sql.raw(`insert into reactions (subject_kind, subject_id, reader, kind) values ('article', 11, 'someone', 'SAD')`).execute(database.db));
  await assert.rejects(sql.raw(`insert into comment_votes (comment_id, reader, value) values (100, '42', 1)`).execute(database.db));
  // An article's reactions are no longer held by a foreign key (content's event removes them).
  await sql.raw(`delete from articles where id = 11`).execute(database.db);
  assert.equal((await rowsOf(`select 1 from reactions where subject_id = 11`)).length, 1);
});
