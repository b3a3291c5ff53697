// Reaction writes in batches: how they are gathered, and the batch statement on
// the real database (PGlite, or PostgreSQL with DATABASE_URL).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import { batcher, setMany, subjectKey, type BatchResult, type SetItem } from './batch.js';
import { emptyCounts } from './kinds.js';
import { accountReader, anonymousReader } from '../../platform/reader.js';

const anon = () => anonymousReader(crypto.randomUUID());
const art = (id: number) => ({ kind: 'article' as const, id });
/** Lets the batcher's end-of-turn start (and a finished batch's next one) happen. */
const settle = () => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

describe('gathering writes into batches', () => {
  /** A fake writer that records its batches and answers when told to. */
  function recorder() {
    const batches: SetItem[][] = [];
    const pending: { items: SetItem[]; done(r: BatchResult): void; fail(e: unknown): void }[] = [];
    const write = (items: SetItem[]) =>
      new Promise<BatchResult>((done, fail) => {
        batches.push(items);
        pending.push({ items, done, fail });
      });
    const finish = (k = 0) => {
      const { items, done } = pending.splice(k, 1)[0]!;
      done({ applied: items.map(() => true), counts: new Map(items.map((i) => [subjectKey(i.subject), { ...emptyCounts(), LIKE: items.length }])) });
    };
    return { batches, pending, write, finish };
  }

  test('writes of one turn of the event loop go together; what arrives while a batch runs goes in the next', async () => {
    const r = recorder();
    const set = batcher(r.write, { concurrency: 1 });
    const first = set({ subject: art(1), reader: anon(), kind: 'LIKE' });
    assert.equal(r.batches.length, 0, 'the batch starts at the end of the turn');
    await settle();
    assert.equal(r.batches.length, 1);
    const more = Array.from({ length: 30 }, () => set({ subject: art(1), reader: anon(), kind: 'SAD' }));
    await settle();
    assert.equal(r.batches.length, 1, 'the next batch waits for the running one');
    r.finish();
    assert.equal((await first)!.LIKE, 1);
    await settle();
    assert.deepEqual(r.batches.map((b) => b.length), [1, 30]);
    r.finish();
    assert.ok((await Promise.all(more)).every((c) => c!.LIKE === 30));
  });

  test('a reader’s row never goes in two batches at once, nor twice in one', async () => {
    const r = recorder();
    const set = batcher(r.write, { concurrency: 2 });
    const reader = anon();
    const a = set({ subject: art(1), reader, kind: 'LIKE' });
    const b = set({ subject: art(1), reader, kind: 'SAD' });
    const c = set({ subject: art(2), reader, kind: 'SAD' });
    await settle();
    // One batch takes the reader's row under each article once; the second write to
    // article 1 waits, even though another batch could run.
    assert.deepEqual(r.batches.map((x) => x.map((i) => `${i.subject.id}${i.kind}`)), [['1LIKE', '2SAD']]);
    r.finish(0);
    await Promise.all([a, c]);
    await settle();
    assert.deepEqual(r.batches.map((x) => x.map((i) => `${i.subject.id}${i.kind}`)), [['1LIKE', '2SAD'], ['1SAD']]);
    r.finish(0);
    await b;
  });

  test('a deadlock sends the batch’s writes one by one (null); any other failure is the caller’s', async () => {
    const r = recorder();
    const set = batcher(r.write, { concurrency: 1 });
    const deadlocked = set({ subject: art(1), reader: anon(), kind: 'LIKE' });
    await settle();
    r.pending.shift()!.fail(Object.assign(new Error('deadlock detected'), { code: '40P01' }));
    assert.equal(await deadlocked, null);
    await settle();
    const broken = set({ subject: art(1), reader: anon(), kind: 'LIKE' });
    await settle();
    r.pending.shift()!.fail(new Error('connection terminated'));
    await assert.rejects(broken, /connection terminated/);
  });
});

describe('the batch statement', () => {
  let portal: Portal;
  before(async () => {
    portal = await startPortal();
  });
  after(() => portal.close());

  test('new reactions, switches and repeats of several readers and articles in one statement keep counts equal to rows', async () => {
    const [a, b] = await portal.app.content.latest({ limit: 2 });
    const { reactions } = portal.app;
    const switcher = anon();
    const repeater = anon();
    const user = await portal.app.accounts.createUser({ email: 'batch@example.ru', password: 'пароль-пакета', displayName: 'Пакет', role: 'reader' });
    await reactions.set(art(a!.id), switcher, 'LIKE');
    await reactions.set(art(a!.id), repeater, 'HAPPY');
    const before = await reactions.counts(art(a!.id));

    const items: SetItem[] = [
      { subject: art(a!.id), reader: anon(), kind: 'LIKE' },
      { subject: art(a!.id), reader: switcher, kind: 'SAD' },
      { subject: art(a!.id), reader: repeater, kind: 'HAPPY' },
      { subject: art(b!.id), reader: accountReader(user.id), kind: 'ANGRY' },
      { subject: art(b!.id), reader: anon(), kind: 'ANGRY' },
    ];
    const result = await setMany(portal.database.db, items, new Date());
    // The repeat changes nothing, so the statement leaves it to the per-item path.
    assert.deepEqual(result.applied, [true, true, false, true, true]);
    assert.deepEqual(result.counts.get(subjectKey(art(a!.id))), { ...before, LIKE: before.LIKE, SAD: before.SAD + 1 });
    assert.equal(result.counts.get(subjectKey(art(b!.id)))!.ANGRY, 2);
    for (const article of [a!, b!]) {
      assert.deepEqual(await reactions.counts(art(article.id)), await reactions.countRows(art(article.id)));
      assert.deepEqual(result.counts.get(subjectKey(art(article.id))), await reactions.counts(art(article.id)));
    }
    assert.equal((await reactions.state(art(a!.id), switcher)).mine, 'SAD');
    assert.equal((await reactions.state(art(b!.id), accountReader(user.id))).mine, 'ANGRY');
  });

  test('400 readers at once, some switching, through the service: counts equal rows', async () => {
    const [, , c] = await portal.app.content.latest({ limit: 3 });
    const { reactions } = portal.app;
    const readers = Array.from({ length: 200 }, anon);
    const kinds = ['LIKE', 'HAPPY', 'SURPRISED', 'ANGRY', 'SAD'] as const;
    await Promise.all(readers.map((r, i) => reactions.set(art(c!.id), r, kinds[i % 5]!)));
    // Every reader again at once, half of them with another kind, and 200 new ones.
    await Promise.all([
      ...readers.map((r, i) => reactions.set(art(c!.id), r, kinds[(i + (i % 2)) % 5]!)),
      ...Array.from({ length: 200 }, (_, i) => reactions.set(art(c!.id), anon(), kinds[i % 5]!)),
    ]);
    const counts = await reactions.counts(art(c!.id));
    assert.equal(Object.values(counts).reduce((x, y) => x + y, 0), 400);
    assert.deepEqual(counts, await reactions.countRows(art(c!.id)));
  });
});
