import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchWhileBusy, inKeyOrder } from './batch.js';

test('loads made while a read is in flight go out together in the next one; each gets its own answer', async () => {
  const batches: number[][] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const square = batchWhileBusy(async (keys: readonly number[]) => {
    batches.push([...keys]);
    if (batches.length === 1) await gate;
    return keys.map((k) => k * k);
  });
  const first = square(2);
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(batches, [[2]], 'a lone load goes out at once');
  const later = [3, 4, 5, 4].map((k) => square(k));
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(batches, [[2]], 'the next batch waits for the read in flight');
  release();
  assert.deepEqual(await Promise.all([first, ...later]), [4, 9, 16, 25, 16]);
  assert.deepEqual(batches, [[2], [3, 4, 5, 4]]);
});

test('a failed read fails its own loads, and the loader goes on', async () => {
  let fail = true;
  const read = batchWhileBusy(async (keys: readonly string[]) => {
    if (fail) throw new Error('the database went away');
    return keys.map((k) => k.toUpperCase());
  });
  await assert.rejects(Promise.all([read('a'), read('b')]), /went away/);
  fail = false;
  assert.deepEqual(await Promise.all([read('c'), read('d')]), ['C', 'D']);
});

test('at most maxBatch keys a read', async () => {
  const sizes: number[] = [];
  const read = batchWhileBusy(
    async (keys: readonly number[]) => {
      sizes.push(keys.length);
      return [...keys];
    },
    { maxBatch: 3 },
  );
  assert.deepEqual(await Promise.all([1, 2, 3, 4, 5, 6, 7].map(read)), [1, 2, 3, 4, 5, 6, 7]);
  assert.ok(Math.max(...sizes) <= 3, `sizes ${sizes}`);
});

test('inKeyOrder answers every key, a missing one with the default', () => {
  assert.deepEqual(
    inKeyOrder([3, 1, 2], [{ id: 1, v: 'a' }, { id: 3, v: 'c' }], (r) => r.id, (r) => r.v, null),
    ['c', 'a', null],
  );
});
