import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { snippet } from './snippets.js';
import { loadMorphology } from './lemmas.js';

before(() => loadMorphology());

const plain = (parts: { text: string }[]) => parts.map((p) => p.text).join('');

test('a heading and the paragraph under it do not run together in a snippet', () => {
  const text = 'Вместо трёх маршрутов — один автобус\n\nОдин трамвай заменит два маршрута.\n\nЧто изменится: схема движения.';
  const out = plain(snippet(text, new Set(['трамвай'])));
  assert.match(out, /один автобус\. Один трамвай заменит два маршрута\. Что изменится: схема/);
  assert.doesNotMatch(out, /\n/);
});

test('a block that ends with its own punctuation keeps it', () => {
  assert.equal(plain(snippet('Кто виноват?\n\nНикто.', new Set(['никто']))), 'Кто виноват? Никто.');
});
