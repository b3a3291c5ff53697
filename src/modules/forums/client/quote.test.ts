// The browser's «Цитировать» builds what the server's quoteSource builds, and what
// it builds renders as one quote of the post holding exactly the text the reader saw
// — whatever quote tags that text holds as words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { quoteSource, quotedPostIds, renderPost } from '../markdown.js';
import { quoteOf } from './quote.js';

const ctx = { quotes: new Map([[7, { authorName: 'Анна', url: '/forum/dvor/1-t/#post-7' }]]), mentions: new Map() };

test('text without quote tags is quoted as the server quotes it', () => {
  for (const text of ['Фонари не горят', '  вокруг пробелы  \n', 'строка\r\nещё строка', '', '**жирно** и `код`']) {
    assert.equal(quoteOf(7, text), quoteSource(7, text), JSON.stringify(text));
  }
});

test('quote tags in the seen text stay words: one quote, its text as seen', () => {
  const seen = '[quote=7]\nвнутри\n[/quote] и [/quote]\n[QUOTE=12]';
  const source = quoteOf(7, seen);
  assert.deepEqual(quotedPostIds(source), [7]);
  const html = renderPost(source, ctx);
  assert.equal(html.match(/<blockquote/g)?.length, 1);
  assert.ok(html.includes('[quote=7]<br />\nвнутри<br />\n[/quote] и [/quote]<br />\n[QUOTE=12]'), html);
});

test('any text: the quote renders as one blockquote of the post', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[a-zа-я \n[\]=\/0-9quoteQUOTE]{0,80}$/), (text) => {
      const source = quoteOf(7, text);
      assert.deepEqual(quotedPostIds(source), [7]);
      assert.equal(renderPost(source, ctx).match(/<blockquote/g)?.length ?? 0, 1);
    }),
    { numRuns: 300 },
  );
});

test('a bad post id is refused', () => {
  assert.throws(() => quoteOf(0, 'x'), RangeError);
  assert.throws(() => quoteOf(2_147_483_648, 'x'), RangeError);
});
