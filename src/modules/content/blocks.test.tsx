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
      { type: 'image', data: { file: { url: '/uploads/2026-12/a1/960.jpg' }, caption: '"><script>alert(6)</script>', credit: '<i>кредит</i>' } },
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

test('an image block takes only our own uploads: no other host, no //host, no javascript:', () => {
  for (const url of ['//evil.example/x.png', 'javascript:alert(1)', 'https://evil.example/x.png', 'http://evil.example/x.png', '/\\evil.example/x.png', '/\t/evil.example/x.png', 'data:image/png;base64,AAAA', '/api/me', ' /uploads/x.png']) {
    assert.throws(
      () => validateBody({ blocks: [{ type: 'image', data: { file: { url }, caption: '' } }] }),
      (err: unknown) => err instanceof BlockError && err.field === 'file.url' && /загруженные на портал/.test(err.message),
      url,
    );
  }
  const ok = validateBody({ blocks: [{ type: 'image', data: { file: { url: '/uploads/2026-12/ab12/960.jpg' }, caption: '' } }] });
  assert.equal((ok.blocks[0]!.data.file as { url: string }).url, '/uploads/2026-12/ab12/960.jpg');
  // A body stored before the rule (or written around it) shows no foreign picture.
  const stored = { blocks: [{ type: 'image', data: { file: { url: '//evil.example/x.png' }, caption: 'подпись' } }, { type: 'image', data: { file: { url: 'javascript:alert(1)' }, caption: '' } }] };
  const html = renderToString(<ArticleBlocks body={stored as never} images={new Map()} photoLabel="Фото" videoLabel="Видео" />);
  assert.doesNotMatch(html, /evil\.example|javascript:/);
});

test('a video block and its «Видео» link keep to YouTube, Rutube and VK', () => {
  for (const [service, source] of [['youtube', 'https://evil.example/watch?v=abcdefghijk'], ['youtube', 'https://youtube.com.evil.example/watch?v=abcdefghijk'], ['rutube', 'https://evil.example/video/0123456789abcdef0123456789abcdef/'], ['vk', 'https://evil.example/video-1_2']]) {
    assert.throws(() => validateBody({ blocks: [{ type: 'embed', data: { service, source } }] }), BlockError, source);
  }
  assert.ok(validateBody({ blocks: [{ type: 'embed', data: { service: 'youtube', source: 'https://youtu.be/abcdefghijk' } }] }));
  const stored = { blocks: [{ type: 'embed', data: { service: 'youtube', source: 'https://evil.example/watch?v=abcdefghijk', caption: '' } }] };
  const html = renderToString(<ArticleBlocks body={stored as never} images={new Map()} photoLabel="Фото" videoLabel="Видео" />);
  assert.doesNotMatch(html, /evil\.example/);
});
