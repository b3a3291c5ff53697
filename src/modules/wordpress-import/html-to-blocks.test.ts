import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandShortcodes, htmlToBlocks, plainText } from './html-to-blocks.js';

const noImages = { image: () => null };
const withImages = { image: (src: string) => (src.includes('/wp-content/uploads/') ? { url: '/uploads/2024-05/abc/1600.jpg', imageId: 7 } : null) };
const types = (html: string, opts = noImages) => htmlToBlocks(html, opts).map((b) => b.type);

test('classic editor text: blank lines make paragraphs, single line breaks stay as <br>', () => {
  const blocks = htmlToBlocks('Первый абзац.\n\nВторой абзац,\nв две строки.', noImages);
  assert.deepEqual(blocks.map((b) => b.data.text), ['Первый абзац.', 'Второй абзац,<br>в две строки.']);
});

test('headings, lists and quotes with their attribution become blocks', () => {
  const blocks = htmlToBlocks('<h1>Главное</h1><h3>Детали</h3><h6>Мелко</h6><ol><li>раз</li><li><b>два</b></li></ol><blockquote><p>Слова</p><cite>Автор</cite></blockquote>', noImages);
  assert.deepEqual(blocks.map((b) => [b.type, b.data.level ?? b.data.style ?? b.data.caption ?? '']), [['header', 2], ['header', 3], ['header', 4], ['list', 'ordered'], ['quote', 'Автор']]);
  assert.deepEqual(blocks[3]!.data.items, ['раз', '<b>два</b>']);
});

test('scripts, styles and event handlers never pass; links keep only their address', () => {
  const blocks = htmlToBlocks('<script>alert(1)</script><style>p{}</style><p onclick="x()" style="color:red" class="c">Текст <a href="javascript:alert(1)">плохая</a> <a href="https://example.ru/a" onmouseover="y()">хорошая</a><img src=x onerror=alert(2)></p><iframe src="https://evil.example/"></iframe><form><input></form>', noImages);
  const all = JSON.stringify(blocks);
  assert.doesNotMatch(all, /alert|onclick|onmouseover|onerror|style=|class=|javascript:|<script|<iframe|<form/);
  assert.equal(blocks[0]!.data.text, 'Текст плохая <a href="https://example.ru/a">хорошая</a>');
});

test('images with captions: [caption] shortcodes and Gutenberg figures, resized variants resolved by the caller', () => {
  const blocks = htmlToBlocks('[caption id="attachment_5" width="300"]<img src="https://old.example/wp-content/uploads/2024/05/a-300x200.jpg" alt="" /> Подпись к фото[/caption]<figure class="wp-block-image"><img src="https://old.example/wp-content/uploads/2024/05/b.jpg"/><figcaption>Вторая</figcaption></figure>', withImages);
  assert.deepEqual(blocks.map((b) => [b.type, b.data.caption]), [['image', 'Подпись к фото'], ['image', 'Вторая']]);
  assert.deepEqual(blocks[0]!.data.file, { url: '/uploads/2024-05/abc/1600.jpg', imageId: 7 });
});

test('an image that did not come over leaves its words, not a link to the old site', () => {
  const blocks = htmlToBlocks('<figure><img src="https://elsewhere.example/x.jpg" alt="Мост"><figcaption>Мост ночью</figcaption></figure>', noImages);
  assert.deepEqual(blocks, [{ type: 'paragraph', data: { text: 'Мост ночью' } }]);
});

test('video: bare lines, [embed] shortcodes, Gutenberg embeds and iframes of YouTube, VK and Rutube', () => {
  const html = [
    'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
    '[embed]https://rutube.ru/video/0123456789abcdef0123456789abcdef/[/embed]',
    '<!-- wp:embed {"url":"https://vk.com/video-1_2"} --><figure class="wp-block-embed"><div class="wp-block-embed__wrapper">https://vk.com/video-1_2</div></figure><!-- /wp:embed -->',
    '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>',
    'https://example.ru/not-a-video',
  ].join('\n\n');
  const blocks = htmlToBlocks(html, noImages);
  assert.deepEqual(blocks.map((b) => b.data.service ?? b.type), ['youtube', 'rutube', 'vk', 'youtube', 'paragraph']);
});

test('Gutenberg separators become delimiters; unknown shortcodes lose their brackets, not their words', () => {
  assert.deepEqual(types('<!-- wp:separator --><hr class="wp-block-separator"/><!-- /wp:separator -->'), ['delimiter', 'delimiter']);
  const warned: string[] = [];
  assert.equal(expandShortcodes('[gallery ids="1,2"] До [highlight]важно[/highlight] после', (c, d) => warned.push(`${c}:${d}`)).trim(), 'До важно после');
  assert.deepEqual(warned, ['shortcode:gallery', 'shortcode:highlight', 'shortcode:highlight']);
});

test('tables and unknown elements are kept as plain text', () => {
  const blocks = htmlToBlocks('<table><tr><th>Улица</th><td>Садовая</td></tr></table><marquee>Бегущая <blink>строка</blink></marquee>', noImages);
  assert.deepEqual(blocks.map((b) => b.data.text), ['Улица — Садовая', 'Бегущая строка']);
});

test('plain text of an excerpt or a comment: tags gone, entities decoded', () => {
  assert.equal(plainText('<p>Один &amp; <b>два</b></p><p>три<br>четыре</p><script>x</script>'), 'Один & два\n\nтри\nчетыре');
});
