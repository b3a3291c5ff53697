// PostgreSQL restarted under load. The machine's PostgreSQL is shared with other
// tests, so the app reaches its database through a TCP proxy, and the "restart" is
// the proxy cutting every connection and refusing new ones for a while. Meanwhile
// /readyz says not ready and requests that need the database get a clean 503 (no
// hang, no 500, no crash); afterwards the same process is ready and takes writes.
// With Redis, a full purge from another instance arrives during the outage too.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import crypto from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import { Client } from '../support/client.js';
import { sharedDataDir, startInstance, templateDatabase, waitFor, within, type Instance } from '../support/processes.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const skip = process.env.DATABASE_URL ? false : 'needs DATABASE_URL (PostgreSQL; CI runs it)';
/** No request may wait longer than this, database or not (the pool gives up connecting after 5 s). */
const ANSWER_WITHIN_MS = 15_000;

let fresh: Awaited<ReturnType<typeof templateDatabase>>;
let proxy: TcpProxy;
let dataDir: string;
let portal: Instance;
let articleId: number;
/** With Redis (as in CI) the portal also hears purges from other instances. */
const redisPrefix = `gorod-pg-fault:${crypto.randomBytes(4).toString('hex')}:`;

before(async () => {
  if (skip) return;
  fresh = await templateDatabase();
  const target = new URL(fresh.url);
  proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const through = new URL(fresh.url);
  through.host = `127.0.0.1:${await proxy.up()}`;
  dataDir = sharedDataDir(fresh.uploadsDir);
  const redis: Record<string, string> = process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: redisPrefix } : {};
  portal = await startInstance({ DATABASE_URL: through.toString(), DATA_DIR: dataDir, TRUST_PROXY: '127.0.0.1', ...redis });
  articleId = (await query<{ id: number }>(`select id from articles where status = 'published' order by published_at desc limit 1`))[0]!.id;
});

after(async () => {
  await portal?.stop();
  await proxy?.down();
  await fresh?.drop().catch(() => {});
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Straight to the database, around the proxy. */
async function query<T extends object>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: fresh.url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

interface Answer {
  what: string;
  status: number;
  type: string;
  body: string;
}

function assertAlive() {
  assert.equal(portal.exit, undefined, `the portal process exited:\n${portal.output()}`);
}

/** Readers sending writes and uncached reads in a loop until stopped; every answer is kept. */
function startLoad(url: string, readers: number) {
  const answers: Answer[] = [];
  const failures: string[] = [];
  let stopped = false;
  let n = 0;
  const running = Array.from({ length: readers }, async (_, i) => {
    const c = new Client(url, { 'x-forwarded-for': `10.88.1.${i + 1}` });
    const work: [string, () => ReturnType<Client['get']>][] = [
      ['reaction', () => c.api('PUT', `/api/articles/${articleId}/reaction`, { kind: ['LIKE', 'SAD', 'HAPPY'][n++ % 3] })],
      ['comment list', () => c.get(`/api/articles/${articleId}/comments`)],
      ['uncached page', () => c.get(`/search?q=${encodeURIComponent(`мост ${n++}`)}`)],
      ['typo report', () => c.api('POST', `/api/articles/${articleId}/typos`, { fragment: 'нет такого слова', revision: 1 })],
    ];
    for (let k = 0; !stopped; k++) {
      const [what, request] = work[k % work.length]!;
      try {
        const res = await within(ANSWER_WITHIN_MS, what, request());
        answers.push({ what, status: res.status, type: res.headers.get('content-type') ?? '', body: res.text });
      } catch (err) {
        failures.push((err as Error).message);
      }
    }
  });
  return {
    answers,
    failures,
    /** Waits for `count` more answers than there are now. */
    more: (count: number) => {
      const from = answers.length + failures.length;
      return waitFor(`${count} more answers under load`, () => answers.length + failures.length >= from + count);
    },
    stop: async () => {
      stopped = true;
      await Promise.all(running);
    },
  };
}

test('while PostgreSQL restarts, /readyz is 503 and requests get a clean 503; afterwards the same process works again', { skip }, async () => {
  const reader = new Client(portal.url, { 'x-forwarded-for': '10.88.0.1' });
  assert.equal((await reader.get('/readyz')).status, 200);
  assert.equal((await reader.api('PUT', `/api/articles/${articleId}/reaction`, { kind: 'LIKE' })).status, 200);

  const load = startLoad(portal.url, 4);
  let outageFrom = 0;
  let recoveredFrom = 0;
  try {
    await load.more(20);

    // ---- the restart: connections cut, new ones refused ----
    outageFrom = load.answers.length;
    await proxy.down();
    await waitFor('/readyz to say not ready', async () => !!portal.exit || (await reader.get('/readyz')).status === 503);
    assertAlive();
    const ready = await reader.get('/readyz');
    assert.equal(ready.json().status, 'not ready');
    assert.equal(ready.json().reason, 'database unreachable');
    const write = await within(ANSWER_WITHIN_MS, 'a write while the database is away', reader.api('PUT', `/api/articles/${articleId}/reaction`, { kind: 'SAD' }));
    assert.equal(write.status, 503, write.text);
    assert.equal(write.json().error.code, 'unavailable');
    assert.equal(write.headers.get('retry-after'), '5');
    const page = await within(ANSWER_WITHIN_MS, 'a page while the database is away', reader.get('/search?q=%D0%B2%D0%BE%D0%B4%D0%B0'));
    assert.equal(page.status, 503);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(page.text, /<html lang="ru">/, 'the Russian error page');
    if (process.env.REDIS_URL) {
      // Another instance changes the sections meanwhile: its full purge makes this
      // one rebuild its navigation, which needs the database that is away.
      const other = new Redis(process.env.REDIS_URL);
      await other.publish(`${redisPrefix}purge`, JSON.stringify({ from: 'another instance', tags: ['*'] }));
      other.disconnect();
      await waitFor('the portal to hear the purge', () => !!portal.exit || portal.output().includes('navigation not rebuilt'));
    }
    await load.more(20);
    assertAlive();

    // ---- PostgreSQL is back: the same process recovers ----
    await proxy.up();
    await waitFor('/readyz to say ready again', async () => (await reader.get('/readyz')).status === 200);
    recoveredFrom = load.answers.length;
    const after = await reader.api('PUT', `/api/articles/${articleId}/reaction`, { kind: 'HAPPY' });
    assert.equal(after.status, 200, after.text);
    assert.equal(after.json().mine, 'HAPPY');
    assert.equal((await reader.get('/search?q=%D0%B3%D0%BE%D1%80%D0%BE%D0%B4')).status, 200);
    await load.more(20);
  } finally {
    await load.stop();
  }

  assert.deepEqual(load.failures, [], 'every request under load was answered in time');
  assertAlive();
  const unexpected = load.answers.filter((x) => x.status >= 500 && x.status !== 503);
  assert.deepEqual(unexpected.map((x) => `${x.what}: ${x.status} ${x.body.slice(0, 200)}`), [], 'no 500s: only 503 while the database was away');
  assert.ok(load.answers.slice(outageFrom, recoveredFrom).some((x) => x.status === 503), 'the load met the outage');
  assert.deepEqual(load.answers.slice(recoveredFrom).filter((x) => x.status >= 500).map((x) => x.what), [], 'after the restart nothing fails');
  // The database holds the write made after the restart, not the refused one.
  const anon = decodeURIComponent(reader.cookies.get('gorod_reader')!).split('.')[0];
  assert.deepEqual(await query(`select kind from reactions where subject_kind = 'article' and subject_id = $1 and reader = $2`, [articleId, `a:${anon}`]), [{ kind: 'HAPPY' }]);
});
