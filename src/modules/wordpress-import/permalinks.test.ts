import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cutSlug, lookupKeys, oldPathKey } from './permalinks.js';

test('a Cyrillic permalink has one key in any hex case, with or without the host and the final slash', () => {
  const key = '/2024/05/в-заречье-мост';
  for (const spelling of [
    'https://old.example/2024/05/%d0%b2-%d0%b7%d0%b0%d1%80%d0%b5%d1%87%d1%8c%d0%b5-%d0%bc%d0%be%d1%81%d1%82/',
    '/2024/05/%D0%B2-%D0%B7%D0%B0%D1%80%D0%B5%D1%87%D1%8C%D0%B5-%D0%BC%D0%BE%D1%81%D1%82',
    '/2024//05/%D0%B2-%d0%b7%D0%B0%d1%80%D0%B5%d1%87%D1%8C%d0%b5-%D0%BC%d0%be%D1%81%d1%82/#comments',
    '/index.php/2024/05/в-заречье-мост/',
  ]) assert.equal(oldPathKey(spelling), key, spelling);
});

test('query addresses are keyed on the parameter that names the thing, only on the front page', () => {
  assert.equal(oldPathKey('/?p=10'), '?p=10');
  assert.equal(oldPathKey('https://old.example/?utm_source=x&p=10'), '?p=10');
  assert.equal(oldPathKey('/index.php?cat=5'), '?cat=5');
  assert.equal(oldPathKey('/?feed=rss2'), '?feed=rss2');
  assert.equal(oldPathKey('/?utm_source=x'), null);
  assert.equal(oldPathKey('/2024/05/slug/?replytocom=5'), '/2024/05/slug');
  assert.equal(oldPathKey('/'), null);
});

test('a broken escape does not throw: the whole sequences are decoded, the rest kept', () => {
  assert.equal(oldPathKey('/%D0%BC%ZZ/'), '/м%zz');
});

test('slugs longer than WordPress keeps are cut at 200 bytes of their encoding, never inside a character', () => {
  const long = 'д'.repeat(60); // 6 encoded bytes each: 33 fit in 200
  assert.equal(cutSlug(long), 'д'.repeat(33));
  assert.deepEqual(lookupKeys(`/2024/05/${encodeURIComponent(long)}/`), [`/2024/05/${long}`, `/2024/05/${'д'.repeat(33)}`]);
});

test('archive pages and resized images fall back to their first page and their original', () => {
  assert.deepEqual(lookupKeys('/category/news/page/3/'), ['/category/news/page/3', '/category/news']);
  assert.deepEqual(lookupKeys('/wp-content/uploads/2024/05/most-300x200.png'), ['/wp-content/uploads/2024/05/most-300x200.png', '/wp-content/uploads/2024/05/most.png']);
  assert.deepEqual(lookupKeys('/wp-content/uploads/2024/05/big-scaled.jpg').at(-1), '/wp-content/uploads/2024/05/big.jpg');
});
