import { test } from 'node:test';
import assert from 'node:assert/strict';
import { articlePath, slugify } from './urls.js';

test('slugs are transliterated Latin', () => {
  assert.equal(slugify('Страна и мир'), 'strana-i-mir');
  assert.equal(slugify('Происшествия'), 'proisshestviya');
  assert.equal(slugify('  ЖКХ!  '), 'zhkh');
  assert.equal(slugify('Ёлки — на площади'), 'elki-na-ploshchadi');
});

test('the canonical article URL carries the section and the local date', () => {
  const publishedAt = new Date('2026-03-31T20:00:00Z'); // 1 April, 03:00 in Novosibirsk
  assert.equal(articlePath({ id: 42, sectionSlug: 'gorod', publishedAt }, 'Asia/Novosibirsk'), '/text/gorod/2026/04/01/42/');
  assert.equal(articlePath({ id: 42, sectionSlug: 'gorod', publishedAt }, 'UTC'), '/text/gorod/2026/03/31/42/');
});
