import { test } from 'node:test';
import assert from 'node:assert/strict';
import { i18n, zonedParts } from './index.js';
import { ru } from './ru.js';
import { en } from './en.js';

const t = i18n('ru', 'Asia/Novosibirsk');

test('Russian plural forms of comments', () => {
  assert.equal(t.plural('comments.count', 1), '1 комментарий');
  assert.equal(t.plural('comments.count', 3), '3 комментария');
  assert.equal(t.plural('comments.count', 5), '5 комментариев');
  assert.equal(t.plural('comments.count', 11), '11 комментариев');
  assert.equal(t.plural('comments.count', 21), '21 комментарий');
  assert.equal(t.plural('comments.count', 22), '22 комментария');
  assert.equal(t.plural('comments.count', 0), '0 комментариев');
});

test('dates are shown in the portal time zone', () => {
  // 18:30 UTC is 01:30 the next day in Novosibirsk (UTC+7).
  const d = new Date('2026-11-27T18:30:00Z');
  assert.equal(t.time(d), '01:30');
  assert.match(t.date(d), /^28 ноября 2026/);
  assert.deepEqual(zonedParts(d, 'Asia/Novosibirsk'), { yyyy: '2026', mm: '11', dd: '28' });
  assert.deepEqual(zonedParts(d, 'UTC'), { yyyy: '2026', mm: '11', dd: '27' });
});

test('relative times within a day, the date after', () => {
  const now = new Date('2026-11-27T12:00:00Z');
  assert.equal(t.relative(new Date('2026-11-27T11:55:00Z'), now), '5 минут назад');
  assert.equal(t.relative(new Date('2026-11-27T09:00:00Z'), now), '3 часа назад');
  assert.match(t.relative(new Date('2026-11-20T09:00:00Z'), now), /20 ноября 2026/);
});

test('English has every key the Russian catalog has', () => {
  assert.deepEqual(Object.keys(en).sort(), Object.keys(ru).sort());
  assert.equal(i18n('en', 'UTC').plural('comments.count', 1), '1 comment');
});

test('news lists show the time today and the date on other days', () => {
  const now = new Date('2026-11-27T12:00:00Z');
  assert.equal(t.short(new Date('2026-11-27T05:00:00Z'), now), '12:00');
  assert.match(t.short(new Date('2026-11-25T05:00:00Z'), now), /^25 нояб\.?,? 12:00$/);
});

test('one way to write a moment: today, yesterday, this year, before', () => {
  // 12:00 UTC is 19:00 in Novosibirsk.
  const now = new Date('2026-11-27T12:00:00Z');
  assert.equal(t.when(new Date('2026-11-27T11:32:00Z'), now), '18:32');
  assert.equal(t.when(new Date('2026-11-26T11:32:00Z'), now), 'вчера, 18:32');
  // 20:00 UTC on the 26th is already the 27th in Novosibirsk: today, not yesterday.
  assert.equal(t.when(new Date('2026-11-26T20:00:00Z'), now), '03:00');
  assert.equal(t.when(new Date('2026-11-26T16:59:00Z'), now), 'вчера, 23:59');
  assert.equal(t.when(new Date('2026-03-30T11:32:00Z'), now), '30 марта, 18:32');
  assert.equal(t.when(new Date('2025-11-30T11:32:00Z'), now), '30 ноября 2025');
  // Yesterday across a month and a year end.
  assert.equal(t.when(new Date('2026-12-31T11:32:00Z'), new Date('2027-01-01T05:00:00Z')), 'вчера, 18:32');
  assert.equal(t.when(new Date('2026-12-30T11:32:00Z'), new Date('2027-01-01T05:00:00Z')), '30 декабря 2026');
  const en = i18n('en', 'Asia/Novosibirsk');
  assert.equal(en.when(new Date('2026-11-26T11:32:00Z'), now), 'yesterday, 18:32');
  assert.equal(en.when(new Date('2026-03-30T11:32:00Z'), now), 'March 30, 18:32');
  assert.equal(en.when(new Date('2025-11-30T11:32:00Z'), now), 'November 30, 2025');
});

test('a calendar day is written as that day in any zone, Kamchatka and Samoa too', () => {
  assert.match(i18n('ru', 'Asia/Kamchatka').day('2026-12-06'), /^6 декабря 2026/);
  assert.match(i18n('ru', 'Pacific/Apia').day('2026-12-06'), /^6 декабря 2026/);
  assert.match(i18n('ru', 'America/Adak').day('2026-01-01'), /^1 января 2026/);
});
