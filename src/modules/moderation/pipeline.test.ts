import { test } from 'node:test';
import assert from 'node:assert/strict';
import { moderate, type Phase } from './pipeline.js';
import { HttpError } from '../../platform/errors.js';

type Ctx = { text: string; seen: string[] };
const mark = (name: string, result?: { status: 'held'; reason: string }): Phase<Ctx> => (ctx) => {
  ctx.seen.push(name);
  return result;
};

test('with no phase holding, the verdict is approved and every phase ran in order', async () => {
  const ctx = { text: 'ok', seen: [] as string[] };
  assert.deepEqual(await moderate([mark('a'), mark('b'), mark('c')], ctx), { status: 'approved', reasons: [] });
  assert.deepEqual(ctx.seen, ['a', 'b', 'c']);
});

test('holds are collected, so a moderator sees every reason at once', async () => {
  const ctx = { text: 'x', seen: [] as string[] };
  const verdict = await moderate([mark('a', { status: 'held', reason: 'stop_word:x' }), mark('b'), async (c: Ctx) => (c.seen.push('c'), { status: 'held', reason: 'premoderation' })], ctx);
  assert.deepEqual(verdict, { status: 'held', reasons: ['stop_word:x', 'premoderation'] });
  assert.deepEqual(ctx.seen, ['a', 'b', 'c']);
});

test('a refusal stops the pipeline: later phases do not run', async () => {
  const ctx = { text: '', seen: [] as string[] };
  const refuse: Phase<Ctx> = () => {
    throw new HttpError(400, 'empty', 'Напишите текст комментария');
  };
  await assert.rejects(moderate([mark('a'), refuse, mark('c')], ctx), (err: HttpError) => err.statusCode === 400 && err.code === 'empty');
  assert.deepEqual(ctx.seen, ['a']);
});
