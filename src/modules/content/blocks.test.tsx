import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderToString } from 'preact-render-to-string';
import { ArticleBlocks, BlockError, bodyText, validateBody } from './blocks.js';

const render = (body: unknown) => renderToString(<ArticleBlocks body={validateBody(body)} images={new Map()} photoLabel="Фото" videoLabel="Видео" />);

test('every block of the content model renders', () => {
  const html = render({
    blocks: [
      { type: 'paragraph', data: { text: 'Текст с <b>жирным</b>, <i>курсивом</i> и <a href="https://example.org/">ссылкой</a>.' } },
      { type: 'header', data: { text: 'Подзаголовок', level: 2 } },
      { type: 'quote', data: { text: 'Цитата', caption: 'Иван Петров, мэр' } },
      { type: 'list', data: { style: 'ordered', items: ['один', { content: 'два', items: [] }] } },
      { type: 'image', data: { file: { url: '/uploads/x/960.jpg' }, caption: 'Подпись', credit: 'Фото: автор' } },
      { type: 'embed', data: { service: 'youtube', source: 'https://www.youtube.com/watch?v=abcdefghijk', caption: 'Видео' } },
      { type: 'delimiter', data: {} },
    ],
  });
  assert.match(html, /<p>Текст с <b>жирным<\/b>, <i>курсивом<\/i> и <a href="https:\/\/example.org\/" rel="noopener" target="_blank">ссылкой<\/a>.<\/p>/);
  assert.match(html, /<h2>Подзаголовок<\/h2>/);
  assert.match(html, /<blockquote><p>Цитата<\/p><footer><span>Иван Петров, мэр<\/span><\/footer><\/blockquote>/);
  assert.match(html, /<ol><li>один<\/li><li>два<\/li><\/ol>/);
  assert.match(html, /<figure><img src="\/uploads\/x\/960.jpg" alt="Подпись"/);
  assert.match(html, /Фото: автор/);
  assert.match(html, /<iframe src="https:\/\/www.youtube-nocookie.com\/embed\/abcdefghijk"/);
  assert.match(html, /<hr\/?>/);
});

test('hostile text never becomes markup', () => {
  const html = render({
    blocks: [
      { type: 'paragraph', data: { text: '<script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">клик</a><svg onload=alert(4)>' } },
      { type: 'quote', data: { text: 'ok', caption: '<b onclick="x()">автор</b>' } },
      { type: 'image', data: { file: { url: 'javascript:alert(5)' }, caption: '"><script>alert(6)</script>', credit: '<i>кредит</i>' } },
      { type: 'list', data: { style: 'unordered', items: ['<iframe src="https://evil.example">'] } },
    ],
  });
  assert.doesNotMatch(html, /<script|onerror|onload|onclick|javascript:|<iframe|<svg/i);
  assert.match(html, /клик/);
  assert.match(html, /&lt;i>кредит&lt;\/i>|&lt;i&gt;кредит&lt;\/i&gt;|кредит/);
});

test('a bad block is named by its index and field', () => {
  const cases: [unknown, number, string][] = [
    [{ blocks: [{ type: 'paragraph', data: { text: 'ok' } }, { type: 'header', data: { text: 'x', level: 7 } }] }, 1, 'level'],
    [{ blocks: [{ type: 'paragraph', data: { text: 42 } }] }, 0, 'text'],
    [{ blocks: [{ type: 'paragraph', data: { text: 'ok' } }, { type: 'paragraph', data: { text: 'ok' } }, { type: 'marquee', data: {} }] }, 2, 'type'],
    [{ blocks: [{ type: 'embed', data: { service: 'youtube', source: 'https://evil.example/video' } }] }, 0, 'source'],
    [{ blocks: [{ type: 'list', data: { items: [] } }] }, 0, 'items'],
    [{ blocks: [{ type: 'image', data: { caption: 'без файла' } }] }, 0, 'file.url'],
  ];
  for (const [body, index, field] of cases) {
    assert.throws(
      () => validateBody(body),
      (err: unknown) => err instanceof BlockError && err.index === index && err.field === field && err.message.includes(`№${index + 1}`),
      `expected block ${index} field ${field}`,
    );
  }
  assert.throws(() => validateBody({ nope: true }), BlockError);
});

test('plain text of a body keeps words and drops markup', () => {
  const text = bodyText(validateBody({ blocks: [{ type: 'paragraph', data: { text: 'Мост <b>открыт</b> &amp; работает' } }, { type: 'list', data: { items: ['а', 'б'] } }] }));
  assert.equal(text, 'Мост открыт & работает\n\nа\nб');
});
