import { test } from 'node:test';
import assert from 'node:assert/strict';
import { passwordProblem } from './password-rule.js';

const ME = ['ivan.petrov@example.ru', 'Иван Петров'];

test('the commonest passwords are refused, in Latin and in Russian', async () => {
  for (const p of ['12345678', 'password', '        ', 'qwerty123', 'password1', '11111111', 'iloveyou', '1q2w3e4r', 'йцукенгш', 'пароль123', 'пароль12', 'Password!']) {
    assert.equal(await passwordProblem(p, ME), 'common', p);
  }
});

test('the e-mail, its name part, or a password built on them is refused', async () => {
  assert.equal(await passwordProblem('ivan.petrov@example.ru', ME), 'email');
  assert.equal(await passwordProblem('IVAN.PETROV@EXAMPLE.RU', ME), 'email');
  assert.equal(await passwordProblem('ivan.petrov', ME), 'email');
  assert.equal(await passwordProblem('petrov2024', ME), 'common');
});

test('short and over-long passwords are refused as such', async () => {
  assert.equal(await passwordProblem('abc', ME), 'short');
  assert.equal(await passwordProblem('x'.repeat(201), ME), 'short');
});

test('a passphrase of a few words passes', async () => {
  for (const p of ['длинный-пароль', 'очень-секретно', 'мост через реку ночью', 'correct horse battery', 'Вечерний-трамвай-7']) assert.equal(await passwordProblem(p, ME), null, p);
});
