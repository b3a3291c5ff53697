import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import { phpStrings, readWxr, WxrError, type WxrRecord } from './wxr-reader.js';

const fixture = (name: string) => path.join(import.meta.dirname, '../../../test/fixtures/wordpress', name);

async function readAll(file: string | AsyncIterable<string>): Promise<WxrRecord[]> {
  const out: WxrRecord[] = [];
  for await (const r of readWxr(file)) out.push(r);
  return out;
}
async function refusal(file: string): Promise<WxrError> {
  try {
    await readAll(file);
  } catch (err) {
    assert.ok(err instanceof WxrError, `not a WxrError: ${(err as Error).message}`);
    return err;
  }
  assert.fail(`${file} was read without complaint`);
}

test('a Cyrillic export is read record by record: channel, authors, terms, items with meta and comments', async () => {
  const records = await readAll(fixture('zarechye.xml'));
  const channel = records.find((r) => r.kind === 'channel');
  assert.ok(channel && channel.kind === 'channel');
  assert.equal(channel.channel.version, '1.2');
  assert.equal(channel.channel.baseSiteUrl, 'https://vestnik-zarechya.example');
  const authors = records.filter((r) => r.kind === 'author');
  assert.deepEqual(authors.map((a) => a.kind === 'author' && a.author.displayName), ['Анна Ключевская', 'Пётр Заозёрный']);
  const terms = records.flatMap((r) => (r.kind === 'term' ? [r.term] : []));
  assert.deepEqual(terms.map((t) => `${t.taxonomy}:${t.slug}:${t.parent}`), ['category:%d0%bd%d0%be%d0%b2%d0%be%d1%81%d1%82%d0%b8:', 'category:zhkh:%d0%bd%d0%be%d0%b2%d0%be%d1%81%d1%82%d0%b8', 'category:petlya:petlya', 'post_tag:%d0%bc%d0%be%d1%81%d1%82:']);
  const post = records.flatMap((r) => (r.kind === 'item' && r.item.id === '10' ? [r.item] : []))[0]!;
  assert.equal(post.title, 'В Заречье открыли мост');
  assert.equal(post.dateGmt, '2024-05-12 04:30:00');
  assert.equal(post.sticky, '1');
  assert.match(post.content, /<!-- wp:paragraph -->/);
  assert.deepEqual(post.categories.map((c) => c.domain), ['category', 'post_tag', 'post_tag']);
  assert.deepEqual(post.meta.filter((m) => m.key === '_wp_old_slug').map((m) => m.value), ['%D0%BC%D0%BE%D1%81%D1%82-%D0%BE%D1%82%D0%BA%D1%80%D1%8B%D1%82', 'most-otkryt']);
  assert.deepEqual(post.comments.map((c) => `${c.id}/${c.parent}/${c.approved}`), ['101/0/1', '102/101/1', '103/0/spam', '104/0/0']);
  assert.equal(records.filter((r) => r.kind === 'item').length, 10);
});

test('bad files are refused with a reason: not XML, cut short, not WordPress, an unknown version', async () => {
  assert.equal((await refusal(fixture('not-xml.txt'))).code, 'not_xml');
  assert.equal((await refusal(fixture('truncated.xml'))).code, 'truncated');
  assert.equal((await refusal(fixture('not-wxr.xml'))).code, 'not_wxr');
  const version = await refusal(fixture('version-9.xml'));
  assert.equal(version.code, 'version');
  assert.match(version.message, /9\.9/);
});

test('an entity bomb and an external entity are refused, and nothing is expanded or read', async () => {
  const bomb = await refusal(fixture('bomb.xml'));
  assert.equal(bomb.code, 'entities');
  // An external entity naming a file of ours: its words never come out.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxr-'));
  const secret = path.join(dir, 'secret.txt');
  fs.writeFileSync(secret, 'СЕКРЕТ-42');
  const file = path.join(dir, 'x.xml');
  fs.writeFileSync(file, fs.readFileSync(fixture('external-entity.xml'), 'utf8').replace('file:///etc/passwd', `file://${secret}`));
  assert.equal((await refusal(file)).code, 'entities');
  // An entity used without a declaration is not XML either.
  assert.equal((await refusal(fixture('undeclared-entity.xml'))).code, 'not_xml');
  fs.rmSync(dir, { recursive: true });
});

test('saxes itself expands no declared entity: a bomb or an external entity is an "undefined entity" error', () => {
  for (const name of ['bomb.xml', 'external-entity.xml']) {
    const parser = new SaxesParser({ xmlns: false });
    const errors: string[] = [];
    let text = '';
    parser.on('error', (e) => errors.push(e.message));
    parser.on('text', (t) => (text += t));
    parser.write(fs.readFileSync(fixture(name), 'utf8')).close();
    assert.ok(errors.some((e) => /undefined entity/i.test(e)), `${name}: ${errors.join('; ')}`);
    assert.ok(text.length < 1000, `${name} expanded to ${text.length} characters`);
    assert.doesNotMatch(text, /root:/);
  }
});

test('a 50,000-item export is read as a stream, in flat memory', async () => {
  const chunkOf = (i: number) =>
    `<item><title>Новость ${i}</title><link>https://big.example/2024/01/novost-${i}/</link><content:encoded><![CDATA[<p>${'Текст новости. '.repeat(20)}</p>]]></content:encoded><wp:post_id>${i}</wp:post_id><wp:post_date_gmt>2024-01-01 00:00:00</wp:post_date_gmt><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>\n`;
  async function* source() {
    yield '<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><wp:wxr_version>1.1</wp:wxr_version><wp:base_site_url>https://big.example</wp:base_site_url>\n';
    for (let i = 1; i <= 50_000; i += 100) {
      let chunk = '';
      for (let j = i; j < i + 100; j++) chunk += chunkOf(j);
      yield chunk;
    }
    yield '</channel></rss>';
  }
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  let items = 0;
  let lastId = '';
  for await (const r of readWxr(source())) {
    if (r.kind !== 'item') continue;
    items++;
    lastId = r.item.id;
    if (items % 5000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  assert.equal(items, 50_000);
  assert.equal(lastId, '50000');
  // Some 30 MB of XML went through; what is held at any time is one chunk's items.
  assert.ok(peak - before < 60 * 1024 * 1024, `heap grew by ${Math.round((peak - before) / 1048576)} MB`);
});

test('PHP-serialized meta values give their strings, counted in UTF-8 bytes', () => {
  assert.deepEqual(phpStrings('a:2:{i:0;s:10:"мост";i:1;s:4:"most";}'.replace('s:10', 's:8')), ['мост', 'most']);
  assert.deepEqual(phpStrings('plain'), ['plain']);
});
