// What the scenarios need in the database, made before the portal starts, with
// the app's own code (buildApp in this process, then closed: PGlite allows one
// process at a time):
//
// - the demo portal (seedDemoIfEmpty, as `gorod serve` does on a first start);
// - the search corpus: 20,000 generated Russian articles (bench/corpus.ts),
//   published before the demo's, spread over about two years, indexed by the search
//   module's own `index()` — made once and kept (a `settings` row marks it), so a
//   rerun on the same BENCH_DATA_DIR or PostgreSQL database starts in seconds;
// - an article with 1,000 comments (300 threads with replies) for the comment list;
// - two articles nobody has reacted to yet, fresh each run, for the reaction writes;
// - a pool of signed reader cookies for the view beacons.
//
// The app's modules are imported from `source`: this checkout, or the tree of
// BENCH_REF, so the fixtures are made by the same code the portal runs. That runs
// in a child process whose working directory is `source` (tsx compiles the app's
// TSX with that tree's tsconfig), which also keeps PGlite out of the runner.
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnChild } from './process.js';
import { sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../src/db/connection.js';
import type { App } from '../src/types.js';
import { generateArticle, loadVocabulary } from './corpus.js';
import { forumFixtures, forumIntegrity, type ForumFixtures, type ForumIntegrity } from './forum-fixtures.js';

interface AppModules {
  loadConfig: typeof import('../src/config.js').loadConfig;
  openDatabase: typeof import('../src/db/connection.js').openDatabase;
  buildApp: typeof import('../src/server.js').buildApp;
  signReaderId: typeof import('../src/platform/reader.js').signReaderId;
  READER_COOKIE: string;
  seedDemoIfEmpty: typeof import('../demo/seed.js').seedDemoIfEmpty;
}

async function appModules(source: string): Promise<AppModules> {
  const load = (file: string) => import(pathToFileURL(path.join(source, file)).href);
  const [config, connection, server, reader, seed] = await Promise.all([load('src/config.ts'), load('src/db/connection.ts'), load('src/server.tsx'), load('src/platform/reader.ts'), load('demo/seed.ts')]);
  return { loadConfig: config.loadConfig, openDatabase: connection.openDatabase, buildApp: server.buildApp, signReaderId: reader.signReaderId, READER_COOKIE: reader.READER_COOKIE, seedDemoIfEmpty: seed.seedDemoIfEmpty };
}

export interface DatabaseTarget {
  kind: 'PGlite' | 'PostgreSQL';
  /** postgres:// URL for PostgreSQL. */
  url?: string;
  redisUrl?: string;
  /** The portal's DATA_DIR (PGlite's files, uploaded images). */
  dataDir: string;
}

export interface Fixtures {
  corpus: { articles: number; firstId: number; lastId: number; builtNow: boolean; buildSeconds?: number };
  commentsArticleId: number;
  comments: number;
  /** Two articles without reactions: one for the wrk load, one for the bounded exact burst. */
  reactionArticleIds: { load: number; exact: number };
  beaconArticleIds: number[];
  readerCookies: string[];
  /**
   * The portal's signing key, so the runner can sign reader cookies for the writes:
   * each reaction write is a new reader whose cookie an earlier page view gave it
   * (the anti-stuffing rule counts nothing else), made fresh for every run.
   */
  secret: string;
  /** Filter values for the search queries, taken from the corpus. */
  search: { section: string; author: string; from: string; to: string };
  /** The forums' board, topics, writers and reader (bench/forum-fixtures.ts). */
  forum: ForumFixtures;
}

const MARKER = 'bench.corpus';
const CORPUS_VERSION = 2;
const COMMENTS = { threads: 300, replies: 700 };

const pgOptions = (target: DatabaseTarget) => ({ url: target.url, pgliteDir: target.kind === 'PGlite' ? path.join(target.dataDir, 'pglite') : undefined });

/** Creates the PostgreSQL database named in the URL when it does not exist yet. */
export async function ensurePostgresDatabase(url: string): Promise<void> {
  const probe = new pg.Client({ connectionString: url });
  try {
    await probe.connect();
    return;
  } catch (err) {
    if ((err as { code?: string }).code !== '3D000') throw new Error(`cannot connect to ${redact(url)}: ${(err as Error).message}`);
  } finally {
    await probe.end().catch(() => {});
  }
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

export const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

export async function prepare(target: DatabaseTarget, source: string, corpusSize: number, log: (line: string) => void): Promise<Fixtures> {
  if (target.url) await ensurePostgresDatabase(target.url);
  const { loadConfig, openDatabase, buildApp, signReaderId, READER_COOKIE, seedDemoIfEmpty } = await appModules(source);
  const database = await openDatabase(pgOptions(target));
  // No Redis and no listening: this app only writes the fixtures.
  const config = loadConfig({ DATA_DIR: target.dataDir, DATABASE_URL: target.url, LOG_LEVEL: 'warn', SEED_DEMO: 'true' });
  const app = await buildApp({ config, database, logger: { level: 'warn' } });
  try {
    await app.ready();
    if (await seedDemoIfEmpty(app)) log('demo portal loaded');
    const corpus = await ensureCorpus(app, corpusSize, log);
    const db = database.db;
    const commentsArticleId = corpus.firstId + 10;
    const comments = await ensureComments(database, commentsArticleId);
    const fresh = await db
      .selectFrom('articles as a')
      .select('a.id')
      .where('a.id', '>=', corpus.firstId + 20)
      .where('a.id', '<=', corpus.lastId)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('reactions as r').select('r.id').where('r.subject_kind', '=', 'article').whereRef('r.subject_id', '=', 'a.id'))))
      .orderBy('a.id')
      .limit(2)
      .execute();
    if (fresh.length < 2) throw new Error('every corpus article already has reactions: start from a fresh BENCH_DATA_DIR / database');
    const forum = await forumFixtures(app, source, log);
    // Fresh planner statistics, as autovacuum keeps them on a server (PGlite has no
    // autovacuum): without them, right after the corpus is written, PostgreSQL
    // plans search as if most documents were missing and takes 3–4 times longer.
    await sql`analyze`.execute(db);
    const beacon = await db.selectFrom('articles').select('id').where('status', '=', 'published').orderBy('published_at', 'desc').limit(200).execute();
    // Readers as the portal issues them now (with their issue time), two days ago —
    // past the new-reader cap's day, as most readers — who read but have not reacted
    // or voted, as most readers: no `gorod_wrote` hint.
    const issuedAt = Date.now() - 2 * 86_400_000;
    const readerCookies = Array.from({ length: 1000 }, () => `${READER_COOKIE}=${signReaderId(app.secret, crypto.randomUUID(), issuedAt)}`);
    return {
      corpus,
      commentsArticleId,
      comments,
      reactionArticleIds: { load: fresh[0]!.id, exact: fresh[1]!.id },
      beaconArticleIds: beacon.map((r) => r.id),
      readerCookies,
      secret: app.secret,
      search: await searchFilters(database, corpus),
      forum,
    };
  } finally {
    await app.close();
    await database.close();
  }
}

interface CorpusState {
  version: number;
  articles: number;
  firstId: number;
  /** Articles written and indexed so far (a stopped run goes on from here). */
  written: number;
}

// Written and indexed 100 at a time: the search module indexes published
// articles that lack a document when the app starts (an onReady hook with
// Fastify's 10 s plugin timeout), so a run stopped halfway must not leave
// thousands of them for the next start.
const BATCH = 100;

async function ensureCorpus(app: App, size: number, log: (line: string) => void): Promise<Fixtures['corpus']> {
  const db = app.database.db;
  const marker = await db.selectFrom('settings').select('value').where('key', '=', MARKER).executeTakeFirst();
  let state = marker ? (JSON.parse(marker.value) as CorpusState) : undefined;
  if (state && (state.version !== CORPUS_VERSION || state.articles !== size)) {
    throw new Error(`this database holds a search corpus of ${state.articles} articles (version ${state.version}), not ${size} (version ${CORPUS_VERSION}): use another BENCH_DATA_DIR or PostgreSQL database`);
  }
  if (state && state.written >= size) return { articles: size, firstId: state.firstId, lastId: state.firstId + size - 1, builtNow: false };

  const started = Date.now();
  const vocab = await loadVocabulary();
  log(`writing the search corpus: ${size.toLocaleString('en-US')} generated articles (${vocab.nouns} nouns, ${vocab.adjectives} adjectives, ${vocab.verbs} verbs, inflected), indexed by the search module${state ? `, from article ${state.written}` : ''}…`);
  const sections = (await db.selectFrom('articles').select('section_id').distinct().execute()).map((r) => r.section_id).sort((x, y) => x - y);
  const authors = (await db.selectFrom('authors').select('id').orderBy('id').execute()).map((r) => r.id);
  if (!sections.length || !authors.length) throw new Error('the demo portal is not loaded (no sections or authors)');
  // The corpus is older than the demo, so the home page and the feeds stay the demo's.
  const oldest = await db.selectFrom('articles').select((eb) => eb.fn.min('published_at').as('t')).where('id', '<', state?.firstId ?? 2 ** 31 - 1).executeTakeFirst();
  const start = new Date(oldest?.t ?? Date.now()).getTime() - 3600_000;
  const STEP = 50 * 60_000; // one article every 50 minutes: 20,000 span about two years
  const workers = app.database.kind === 'postgres' ? 4 : 1;
  let deadlocks = 0;
  let lastLog = Date.now();

  for (let from = state?.written ?? 0; from < size; from += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, size - from) }, (_, k) => from + k);
    const ids = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .insertInto('articles')
        .values(
          batch.map((n) => {
            const a = generateArticle(n);
            const at = new Date(start - n * STEP);
            const blocks = a.paragraphs.map((text) => ({ type: 'paragraph', data: { text } }));
            return { type: a.type, status: 'published', section_id: sections[n % sections.length]!, title: a.title, lead: a.lead, body: JSON.stringify({ blocks, version: '2' }), body_text: a.paragraphs.join('\n\n'), published_at: at, created_at: at, updated_at: at } as never;
          }),
        )
        .returning('id')
        .execute();
      await trx.insertInto('article_authors').values(rows.map((r, k) => ({ article_id: r.id, author_id: authors[(batch[k]! * 7) % authors.length]!, position: 0 }))).execute();
      return rows.map((r) => r.id).sort((x, y) => x - y);
    });
    if (ids.some((id, k) => id !== ids[0]! + k) || (state && ids[0] !== state.firstId + from)) throw new Error('corpus ids are not consecutive: was something else writing articles?');
    // The search module's own indexing, article by article.
    const todo = [...ids];
    await Promise.all(
      Array.from({ length: workers }, async () => {
        for (let id = todo.shift(); id !== undefined; id = todo.shift()) {
          // Concurrent index() calls can deadlock on PostgreSQL while they add the same
          // new words to search_words in different orders: try again, as a job would.
          for (let attempt = 1; ; attempt++) {
            try {
              await app.articleSearch.index(id);
              break;
            } catch (err) {
              if ((err as { code?: string }).code !== '40P01' || attempt >= 5) throw err;
              deadlocks++;
            }
          }
        }
      }),
    );
    state = { version: CORPUS_VERSION, articles: size, firstId: state?.firstId ?? ids[0]!, written: from + batch.length };
    await db.insertInto('settings').values({ key: MARKER, value: JSON.stringify(state) }).onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(state) })).execute();
    if (Date.now() - lastLog > 15_000) {
      lastLog = Date.now();
      log(`corpus: ${state.written.toLocaleString('en-US')} of ${size.toLocaleString('en-US')} written and indexed…`);
    }
  }
  const buildSeconds = Math.round((Date.now() - started) / 1000);
  log(`search corpus ready: ${size.toLocaleString('en-US')} articles in ${buildSeconds} s${deadlocks ? ` (${deadlocks} deadlocks between concurrent index() calls, retried)` : ''}`);
  return { articles: size, firstId: state!.firstId, lastId: state!.firstId + size - 1, builtNow: true, buildSeconds };
}

/** 1,000 approved comments on one article: 300 threads, 700 replies one and two levels deep. */
async function ensureComments(database: Database, articleId: number): Promise<number> {
  const db = database.db;
  const count = async () => Number((await db.selectFrom('comments').select((eb) => eb.fn.countAll<string>().as('n')).where('subject_kind', '=', 'article').where('subject_id', '=', articleId).executeTakeFirstOrThrow()).n);
  const have = await count();
  if (have >= COMMENTS.threads + COMMENTS.replies) return have;
  const article = await db.selectFrom('articles').select('published_at').where('id', '=', articleId).executeTakeFirstOrThrow();
  const t0 = new Date(article.published_at!).getTime();
  const text = (n: number) => {
    const a = generateArticle(100_000 + n);
    return a.lead.slice(0, 600);
  };
  await loadVocabulary();
  await db.transaction().execute(async (trx) => {
    const roots = await trx
      .insertInto('comments')
      .values(Array.from({ length: COMMENTS.threads }, (_, n) => ({ subject_kind: 'article', subject_id: articleId, depth: 0, guest_name: `Читатель ${n + 1}`, body: text(n), status: 'approved', up: n % 7, down: n % 3, created_at: new Date(t0 + n * 60_000) }) as never))
      .returning('id')
      .execute();
    const replies = Array.from({ length: COMMENTS.replies }, (_, n) => {
      const root = roots[(n * 37) % roots.length]!.id;
      return { subject_kind: 'article', subject_id: articleId, parent_id: root, root_id: root, depth: 1, guest_name: `Собеседник ${n + 1}`, body: text(COMMENTS.threads + n), status: 'approved', created_at: new Date(t0 + (COMMENTS.threads + n) * 60_000) };
    });
    await trx.insertInto('comments').values(replies as never).execute();
  });
  return count();
}

async function searchFilters(database: Database, corpus: Fixtures['corpus']): Promise<Fixtures['search']> {
  const db = database.db;
  const section = await db
    .selectFrom('articles as a')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select(['s.slug', (eb) => eb.fn.countAll<string>().as('n')])
    .where('a.id', '>=', corpus.firstId)
    .groupBy('s.slug')
    .orderBy('n', 'desc')
    .orderBy('s.slug')
    .executeTakeFirstOrThrow();
  const author = await db
    .selectFrom('article_authors as aa')
    .innerJoin('authors as au', 'au.id', 'aa.author_id')
    .select(['au.slug', (eb) => eb.fn.countAll<string>().as('n')])
    .where('aa.article_id', '>=', corpus.firstId)
    .groupBy('au.slug')
    .orderBy('n', 'desc')
    .orderBy('au.slug')
    .executeTakeFirstOrThrow();
  // A month of the corpus: articles 1,000 to about 1,860 back.
  const at = async (id: number) => new Date((await db.selectFrom('articles').select('published_at').where('id', '=', id).executeTakeFirstOrThrow()).published_at!).toISOString().slice(0, 10);
  const nth = (n: number) => Math.min(corpus.firstId + n, corpus.lastId);
  return { section: section.slug, author: author.slug, from: await at(nth(1860)), to: await at(nth(1000)) };
}

/** After the portal has stopped: stored reaction rows and counters per article. */
export async function reactionCounts(target: DatabaseTarget, source: string, articleIds: number[]): Promise<Map<number, { rows: number; counters: number }>> {
  const { openDatabase } = await appModules(source);
  const database = await openDatabase(pgOptions(target));
  try {
    const out = new Map<number, { rows: number; counters: number }>();
    for (const id of articleIds) {
      const rows = await sql<{ n: number }>`select count(*)::int as n from reactions where subject_kind = 'article' and subject_id = ${id}`.execute(database.db);
      const counters = await sql<{ n: number }>`select coalesce(sum(n), 0)::int as n from reaction_counts where subject_kind = 'article' and subject_id = ${id}`.execute(database.db);
      out.set(id, { rows: rows.rows[0]!.n, counters: counters.rows[0]!.n });
    }
    return out;
  } finally {
    await database.close();
  }
}

// ---------- as a child process ----------

type Command =
  | { command: 'prepare'; target: DatabaseTarget; corpusSize: number }
  | { command: 'counts'; target: DatabaseTarget; articleIds: number[] }
  | { command: 'forumCounts'; target: DatabaseTarget; forum: Pick<ForumFixtures, 'board' | 'replyTopics' | 'writerIds'> };

/** After the portal has stopped: the forum's stored posts and counts (bench/forum-fixtures.ts forumIntegrity). */
async function forumCounts(target: DatabaseTarget, source: string, forum: Pick<ForumFixtures, 'board' | 'replyTopics' | 'writerIds'>): Promise<ForumIntegrity> {
  const { openDatabase } = await appModules(source);
  const database = await openDatabase(pgOptions(target));
  try {
    return await forumIntegrity(database.db, forum.board.id, forum.replyTopics, forum.writerIds);
  } finally {
    await database.close();
  }
}

/** Runs `prepare`, `reactionCounts` or `forumCounts` in a child process working in `source`; its log lines go to `log`. */
export async function inChild<T>(source: string, job: Command, log: (line: string) => void): Promise<T> {
  const child = spawnChild('fixtures', process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    cwd: source,
    env: { ...process.env, GORODBENCH_FIXTURES: JSON.stringify({ ...job, source }) },
  });
  let result: T | undefined;
  let partial = '';
  child.proc.stdout!.on('data', (d: Buffer) => {
    const lines = (partial + d.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('RESULT ')) result = JSON.parse(line.slice(7)) as T;
      else if (line.startsWith('LOG ')) log(line.slice(4));
    }
  });
  const code = await new Promise<number | null>((resolve) => child.proc.once('exit', (c) => resolve(c)));
  if (code !== 0 || result === undefined) throw new Error(`making the fixtures failed (exit ${code}):\n${child.tail()}`);
  return result;
}

if (process.env.GORODBENCH_FIXTURES && process.argv[1] === fileURLToPath(import.meta.url)) {
  const job = JSON.parse(process.env.GORODBENCH_FIXTURES) as Command & { source: string };
  const log = (line: string) => process.stdout.write(`LOG ${line}\n`);
  const work =
    job.command === 'prepare'
      ? prepare(job.target, job.source, job.corpusSize, log)
      : job.command === 'forumCounts'
        ? forumCounts(job.target, job.source, job.forum)
        : reactionCounts(job.target, job.source, job.articleIds).then((m) => [...m.entries()]);
  work.then(
    (result) => process.stdout.write(`RESULT ${JSON.stringify(result)}\n`, () => process.exit(0)),
    (err: Error) => {
      process.stderr.write(`${err.stack ?? err.message}\n`);
      process.exit(1);
    },
  );
}
