import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Memo } from './memo.js';

test('a value is loaded once, served until its time is up, then loaded again', async () => {
  let now = 0;
  const memo = new Memo({ now: () => now });
  let loads = 0;
  const load = async () => ++loads;
  assert.equal(await memo.get('a', { ttlMs: 1000 }, load), 1);
  assert.equal(await memo.get('a', { ttlMs: 1000 }, load), 1);
  now = 1001;
  assert.equal(await memo.get('a', { ttlMs: 1000 }, load), 2);
});

test('concurrent misses share one load', async () => {
  const memo = new Memo();
  let loads = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const load = async () => {
    loads++;
    await gate;
    return 'v';
  };
  const all = Promise.all(Array.from({ length: 20 }, () => memo.get('k', { ttlMs: 1000 }, load)));
  release();
  assert.deepEqual(await all, Array(20).fill('v'));
  assert.equal(loads, 1);
});

test('a purge drops the values with its tags, tags may come from the value', async () => {
  const memo = new Memo();
  await memo.get('article:1', { ttlMs: 60_000, tags: ['article:1'] }, async () => 'one');
  await memo.get('related:1', { ttlMs: 60_000, tags: (ids: number[]) => ids.map((id) => `article:${id}`) }, async () => [2, 3]);
  await memo.get('other', { ttlMs: 60_000, tags: ['article:9'] }, async () => 'nine');
  memo.purge(['article:3']);
  assert.equal(memo.size, 2);
  assert.equal(await memo.get('related:1', { ttlMs: 60_000 }, async () => [4]).then((v) => v.length), 1);
  memo.purge(['*']);
  assert.equal(memo.size, 0);
});

test('a load that began before a purge of its tags is answered but not kept', async () => {
  const memo = new Memo();
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const old = memo.get('article:1', { ttlMs: 60_000, tags: ['article:1'] }, async () => {
    await gate;
    return 'old text';
  });
  memo.purge(['article:1']);
  release();
  assert.equal(await old, 'old text');
  assert.equal(await memo.get('article:1', { ttlMs: 60_000, tags: ['article:1'] }, async () => 'new text'), 'new text');

  // A purge of other tags does not stop the keeping.
  const kept = memo.get('article:2', { ttlMs: 60_000, tags: ['article:2'] }, async () => 'two');
  memo.purge(['article:7']);
  await kept;
  assert.equal(await memo.get('article:2', { ttlMs: 60_000 }, async () => 'reloaded'), 'two');
});

test('a failed load is not kept', async () => {
  const memo = new Memo();
  await assert.rejects(memo.get('x', { ttlMs: 1000 }, async () => Promise.reject(new Error('db away'))));
  assert.equal(await memo.get('x', { ttlMs: 1000 }, async () => 'ok'), 'ok');
});

test('several keys: the ones not held are loaded in one call, absent ones kept as such, a purge during the load respected', async () => {
  const memo = new Memo();
  const calls: string[][] = [];
  const options = (key: string) => ({ ttlMs: 60_000, tags: [key] });
  const load = async (keys: string[]) => {
    calls.push(keys);
    return new Map(keys.filter((k) => k !== 'gone').map((k) => [k, `value of ${k}`]));
  };
  await memo.get('a', options('a'), async () => 'held a');
  assert.deepEqual(await memo.getMany(['a', 'b', 'gone', 'c', 'b'], options, load, null), ['held a', 'value of b', null, 'value of c', 'value of b']);
  assert.deepEqual(calls, [['b', 'gone', 'c']]);
  // All kept, the absent one too: nothing is loaded again.
  assert.deepEqual(await memo.getMany(['c', 'gone', 'b'], options, load, null), ['value of c', null, 'value of b']);
  assert.equal(calls.length, 1);

  // A key being loaded by `get` is shared, not loaded twice; a purge during the
  // batch's load answers the old value but does not keep it.
  memo.purge(['*']);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const single = memo.get('d', options('d'), async () => {
    await gate;
    return 'single d';
  });
  const many = memo.getMany(['d', 'e'], options, async (keys) => {
    calls.push(keys);
    await gate;
    return new Map(keys.map((k) => [k, `old ${k}`]));
  }, null);
  memo.purge(['e']);
  release();
  assert.deepEqual(await many, ['single d', 'old e']);
  assert.equal(await single, 'single d');
  assert.deepEqual(calls.at(-1), ['e']);
  assert.equal(await memo.get('e', options('e'), async () => 'new e'), 'new e');
});

test('forget drops one value by its key and leaves the others', async () => {
  const memo = new Memo();
  let loads = 0;
  const load = async () => ++loads;
  await memo.get('a', { ttlMs: 60_000 }, load);
  await memo.get('b', { ttlMs: 60_000 }, load);
  memo.forget('a');
  assert.equal(await memo.get('a', { ttlMs: 60_000 }, load), 3, 'loaded again');
  assert.equal(await memo.get('b', { ttlMs: 60_000 }, load), 2, 'still kept');
});
