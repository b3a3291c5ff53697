// The console's text form of an entry: to blocks and back, escaped; moments in the portal's zone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blocksToText, parseLocal, textToBlocks } from './text.js';
import { validateEntryBlocks } from './service.js';

test('text becomes the block editor’s blocks, escaped, and comes back', () => {
  const text = 'Первый абзац <b>не</b> разметка & всё.\nВторая строка.\n\n> Цитата\n— Мэр\n\n- раз\n- два\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ';
  const blocks = textToBlocks(text);
  assert.deepEqual(blocks.map((b) => b.type), ['paragraph', 'quote', 'list', 'embed']);
  assert.equal(blocks[0]!.data.text, 'Первый абзац &lt;b&gt;не&lt;/b&gt; разметка &amp; всё.<br>Вторая строка.');
  const clean = validateEntryBlocks(blocks);
  assert.equal(clean.length, 4);
  assert.equal(blocksToText(clean), text);
});

test('refused: empty, too many blocks, a type entries do not take', () => {
  assert.throws(() => validateEntryBlocks(textToBlocks('   ')), { code: 'live.empty' });
  assert.throws(() => validateEntryBlocks(Array.from({ length: 31 }, () => ({ type: 'paragraph', data: { text: 'а' } }))), { code: 'live.too_many_blocks' });
  assert.throws(() => validateEntryBlocks([{ type: 'header', data: { text: 'З', level: 2 } }]), { code: 'live.block_type' });
  assert.throws(() => validateEntryBlocks({ blocks: 'нет' }), { code: 'live.bad_blocks' });
});

test('a datetime-local field is read in the portal’s zone', () => {
  assert.equal(parseLocal('2026-12-06T18:30', 'Asia/Novosibirsk')?.toISOString(), '2026-12-06T11:30:00.000Z');
  assert.equal(parseLocal('2026-07-01T12:00', 'Europe/Moscow')?.toISOString(), '2026-07-01T09:00:00.000Z');
  assert.equal(parseLocal('', 'Europe/Moscow'), null);
  assert.equal(parseLocal('вчера', 'Europe/Moscow'), undefined);
  assert.equal(parseLocal('1800-01-01T00:00', 'Europe/Moscow'), undefined);
});
