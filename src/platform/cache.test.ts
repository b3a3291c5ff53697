import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PageCache } from './cache.js';

const page = (text: string) => ({ status: 200, type: 'text/html; charset=utf-8', body: text, tags: ['home'] });

test('the least recently read page is evicted first; a read moves a page up at most once a second', () => {
  let now = 0;
  const cache = new PageCache({ maxEntries: 2, now: () => now });
  cache.set('a', page('A'));
  cache.set('b', page('B'));
  now = 1000;
  assert.equal(cache.get('a')?.body.toString(), 'A'); // a is now the most recent
  cache.set('c', page('C')); // evicts b, the least recent
  assert.equal(cache.get('b'), undefined);
  assert.equal(cache.get('a')?.body.toString(), 'A');
  // Read again within a second of its move: a keeps its place, before c.
  now = 1500;
  cache.get('a');
  cache.set('d', page('D')); // so a, not c, is the least recent
  assert.equal(cache.get('a'), undefined);
  assert.equal(cache.get('c')?.body.toString(), 'C');
  assert.equal(cache.get('d')?.body.toString(), 'D');
});

test('a page older than its age is a miss and is dropped', () => {
  let now = 0;
  const cache = new PageCache({ maxAgeMs: 5000, now: () => now });
  cache.set('a', page('A'));
  now = 5000;
  assert.ok(cache.get('a'));
  now = 5001;
  assert.equal(cache.get('a'), undefined);
  assert.equal(cache.size, 0);
});
