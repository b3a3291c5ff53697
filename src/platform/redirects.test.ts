import { test } from 'node:test';
import assert from 'node:assert/strict';
import { localTarget, safeNext } from './redirects.js';

const ORIGIN = 'https://gorod.example.ru';

test('a path of this portal is kept, with its query and fragment', () => {
  assert.equal(safeNext('/news/2026/12/01/most?x=1#c5', ORIGIN), '/news/2026/12/01/most?x=1#c5');
  assert.equal(safeNext('/поиск?q=мост', ORIGIN), '/%D0%BF%D0%BE%D0%B8%D1%81%D0%BA?q=%D0%BC%D0%BE%D1%81%D1%82');
});

test('an address that a browser reads as another site goes to the home page', () => {
  for (const next of ['/\t/evil.example/phish', '/%09/evil.example/phish'.replace('%09', '\t'), '//evil.example', '/\\evil.example', '\\\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '/\n/evil.example', ' //evil.example', 'evil.example', `${ORIGIN}/news`]) {
    assert.equal(localTarget(next, ORIGIN), null, JSON.stringify(next));
    assert.equal(safeNext(next, ORIGIN), '/', JSON.stringify(next));
  }
});

test('control characters are refused rather than dropped', () => {
  for (const next of ['/\nx', '/\r\nSet-Cookie: a=b', '/x\u007f', '/a\u0000']) assert.equal(localTarget(next, ORIGIN), null, JSON.stringify(next));
});

test('missing and over-long values go to the home page', () => {
  assert.equal(safeNext(undefined, ORIGIN), '/');
  assert.equal(safeNext('', ORIGIN), '/');
  assert.equal(safeNext(`/${'a'.repeat(3000)}`, ORIGIN), '/');
});
