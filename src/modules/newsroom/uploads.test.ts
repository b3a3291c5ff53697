// Image uploads from the editor, with real image files: responsive variants exist
// on disk, are smaller than the original and carry no EXIF; served with a
// year-long cache; a body image gets srcset on the public page. Over the limit is
// 413, not an image is 415, and nothing is stored for either.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import type { Client } from '../../../test/support/client.js';
import { articlePayload, firstSectionId, staffClient, upload } from '../../../test/support/newsroom.js';

let portal: Portal;
let editor: Client;

/** A photo-like JPEG (noise compresses badly, like a real photo) with EXIF that must not survive. */
async function photo(width: number, height: number, quality = 95): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .jpeg({ quality })
    .withExif({ IFD0: { Make: 'SpyCam', Copyright: 'GPS 55.03N 82.92E' } })
    .toBuffer();
}

const imageCount = async (p: Portal) => Number((await p.database.db.selectFrom('images').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
const filesUnder = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name)) : []);

before(async () => {
  portal = await startPortal({ config: { trustProxy: '127.0.0.1' } });
  ({ client: editor } = await staffClient(portal, 'editor'));
});
after(() => portal.close());

describe('uploads', () => {
  test('a JPEG becomes WebP and JPEG variants at 480/960/1600, smaller than the original and without EXIF', async () => {
    const original = await photo(2400, 1600);
    assert.ok((await sharp(original).metadata()).exif, 'the test file has EXIF');
    const res = await upload(portal, editor, original, 'фото.jpg', 'image/jpeg');
    assert.equal(res.status, 201, res.text);
    const { success, file } = res.json();
    assert.equal(success, 1);
    assert.ok(file.imageId > 0);
    assert.match(file.url, /^\/uploads\/.+\/960\.jpg$/);
    const row = await portal.database.db.selectFrom('images').selectAll().where('id', '=', file.imageId).executeTakeFirstOrThrow();
    assert.deepEqual([...new Set(row.variants.map((v) => v.width))].sort((a, b) => a - b), [480, 960, 1600]);
    assert.deepEqual([...new Set(row.variants.map((v) => v.format))].sort(), ['jpeg', 'webp']);
    for (const v of row.variants) {
      const onDisk = path.join(portal.dataDir, 'uploads', row.storage_key, v.file);
      const bytes = fs.readFileSync(onDisk);
      assert.ok(bytes.length < original.length, `${v.file}: ${bytes.length} < ${original.length}`);
      const meta = await sharp(bytes).metadata();
      assert.equal(meta.width, v.width);
      assert.equal(meta.exif, undefined, `${v.file} has no EXIF`);
    }
    const served = await portal.client().get(file.url);
    assert.equal(served.status, 200);
    assert.match(served.headers.get('cache-control')!, /max-age=31536000/);
    assert.match(served.headers.get('cache-control')!, /immutable/);
  });

  test('a photo a camera took sideways (EXIF orientation 6) is stored upright, its size as it is seen', async () => {
    // 1200 × 600 pixels as stored, turned a quarter on display: 600 wide, 1200 high.
    const sideways = await sharp({ create: { width: 1200, height: 600, channels: 3, background: '#4a7' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    assert.equal((await sharp(sideways).metadata()).orientation, 6, 'the test file is turned');
    const res = await upload(portal, editor, sideways, 'боком.jpg', 'image/jpeg');
    assert.equal(res.status, 201, res.text);
    const row = await portal.database.db.selectFrom('images').selectAll().where('id', '=', res.json().file.imageId).executeTakeFirstOrThrow();
    assert.deepEqual([row.width, row.height], [600, 1200]);
    assert.deepEqual([...new Set(row.variants.map((v) => v.width))], [480, 600]);
    for (const v of row.variants) {
      const meta = await sharp(fs.readFileSync(path.join(portal.dataDir, 'uploads', row.storage_key, v.file))).metadata();
      assert.equal(meta.width, v.width, v.file);
      assert.equal(meta.height, v.width * 2, `${v.file} is upright`);
      assert.equal(meta.orientation ?? 1, 1, `${v.file} needs no turning`);
    }
  });

  test('PNG and WebP are accepted too', async () => {
    const png = await sharp({ create: { width: 800, height: 600, channels: 4, background: { r: 10, g: 120, b: 200, alpha: 0.5 } } }).png().toBuffer();
    const webp = await sharp({ create: { width: 700, height: 500, channels: 3, background: '#c33' } }).webp().toBuffer();
    assert.equal((await upload(portal, editor, png, 'схема.png', 'image/png')).status, 201);
    assert.equal((await upload(portal, editor, webp, 'кадр.webp', 'image/webp')).status, 201);
  });

  test('a file that is not an image is 415 with a Russian message, and nothing is stored', async () => {
    const before = await imageCount(portal);
    const filesBefore = filesUnder(path.join(portal.dataDir, 'uploads')).length;
    const res = await upload(portal, editor, Buffer.from('это не картинка, а текст'), 'photo.jpg', 'image/jpeg');
    assert.equal(res.status, 415);
    assert.equal(res.json().error.code, 'not_an_image');
    assert.match(res.json().error.message, /не является изображением/);
    assert.equal(await imageCount(portal), before);
    assert.equal(filesUnder(path.join(portal.dataDir, 'uploads')).length, filesBefore);
  });

  test('an inline image shows with srcset and sizes on the published page', async () => {
    const up = (await upload(portal, editor, await photo(1800, 1200, 80), 'мост.jpg', 'image/jpeg')).json();
    const sectionId = await firstSectionId(portal);
    const created = await editor.api('POST', '/api/admin/articles', { title: 'Мост после ремонта', sectionId, type: 'news' });
    assert.equal(created.status, 201);
    const id = created.json().id;
    const body = { blocks: [{ type: 'paragraph', data: { text: 'Вот так выглядит мост.' } }, { type: 'image', data: { file: up.file, caption: 'Мост утром', credit: 'Фото: Иван Петров' } }] };
    const saved = await editor.api('PUT', `/api/admin/articles/${id}`, { baseRevision: 1, ...articlePayload(sectionId, { title: 'Мост после ремонта', body, coverImageId: up.file.imageId, coverCaption: 'Обложка', coverCredit: 'Фото: редакция' }) });
    assert.equal(saved.status, 200, saved.text);
    assert.equal((await editor.api('POST', `/api/admin/articles/${id}/transition`, { action: 'publish' })).status, 200);
    const html = (await portal.client().get((await portal.app.content.article(id))!.url)).text;
    const figure = /<div class="article__body"[\s\S]*?<figure>([\s\S]*?)<\/figure>/.exec(html)![1]!;
    assert.match(figure, /<source type="image\/webp" srcset="[^"]*480\.webp 480w, [^"]*960\.webp 960w, [^"]*1600\.webp 1600w" sizes="[^"]+"/);
    assert.match(figure, /<img [^>]*srcset="[^"]*480\.jpg 480w/);
    assert.match(figure, /Фото: Иван Петров/);
  });
});

describe('the upload limit', () => {
  let small: Portal;
  before(async () => {
    small = await startPortal({ demo: false, config: { trustProxy: '127.0.0.1', maxUploadBytes: 1024 * 1024 } });
  });
  after(() => small.close());

  test('a file over the configured size is 413 with a Russian message, and nothing is stored', async () => {
    const { client } = await staffClient(small, 'author');
    const big = await photo(2600, 2000, 100);
    assert.ok(big.length > 1024 * 1024, `test file is ${big.length} bytes`);
    const res = await upload(small, client, big, 'большое.jpg', 'image/jpeg');
    assert.equal(res.status, 413, res.text);
    assert.equal(res.json().error.code, 'too_large');
    assert.match(res.json().error.message, /больше 1 МБ/);
    assert.equal(await imageCount(small), 0);
    assert.deepEqual(filesUnder(path.join(small.dataDir, 'uploads')), []);
    // Under the limit the same author uploads fine.
    assert.equal((await upload(small, client, await photo(800, 600, 70), 'маленькое.jpg', 'image/jpeg')).status, 201);
  });
});
