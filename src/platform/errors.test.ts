import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from './errors.js';
import { domainMessage, i18n } from './i18n/index.js';

test('a domain error is told in the reader\'s language, with its parameters', () => {
  const err = new DomainError('validation', { details: 'body: too long' });
  assert.equal(domainMessage(i18n('ru', 'UTC'), err), 'Неверные данные: body: too long');
  assert.equal(domainMessage(i18n('en', 'UTC'), err).startsWith('Invalid'), true);
});

test('a code without words falls back to the generic text, never to nothing', () => {
  assert.equal(domainMessage(i18n('ru', 'UTC'), new DomainError('no.such.code')), 'Неверный запрос');
});
