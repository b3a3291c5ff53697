// An editor in Chromium: signs in, writes an article with a heading, a quote and an
// image in the Editor.js block editor, adds a cover, publishes it, and finds it on
// the home page and its section page with the image's srcset.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Browser } from 'playwright-core';
import { startPortal, type Portal } from '../support/portal.js';
import { addEditorBlock, browserSkip, launchBrowser } from '../support/browser.js';

const skip = browserSkip();
let portal: Portal;
let browser: Browser;
let imagePath: string;
let coverPath: string;

before(async () => {
  if (skip) return;
  portal = await startPortal();
  browser = await launchBrowser();
  await portal.app.accounts.createUser({ email: 'chief@example.ru', password: 'пароль-редактора', displayName: 'Главный редактор', role: 'editor' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-e2e-'));
  imagePath = path.join(dir, 'most.jpg');
  coverPath = path.join(dir, 'cover.jpg');
  fs.writeFileSync(imagePath, await sharp({ create: { width: 1800, height: 1200, channels: 3, background: '#2a6f97' } }).jpeg().toBuffer());
  fs.writeFileSync(coverPath, await sharp({ create: { width: 1600, height: 900, channels: 3, background: '#c1121f' } }).jpeg().toBuffer());
});
after(async () => {
  await browser?.close();
  await portal?.close();
});


test('an editor writes, illustrates and publishes an article in the block editor', { skip, timeout: 120_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

  await page.goto(`${portal.url}/admin`);
  await page.waitForURL(/\/login\?next=/);
  await page.fill('input[name="email"]', 'chief@example.ru');
  await page.fill('input[name="password"]', 'пароль-редактора');
  await page.click('form[action="/login"] button[type="submit"]');
  await page.waitForURL(`${portal.url}/admin`);

  await page.click('a[href="/admin/articles"]');
  await page.click('a[href="/admin/articles/new"]');
  const title = 'Мост через Обь открыли после ремонта';
  await page.fill('input[name="title"]', title);
  const section = (await portal.app.content.sections()).roots().find((s) => s.slug !== 'mnenie')!;
  await page.selectOption('select[name="sectionId"]', String(section.id));
  await page.click('form[action="/admin/articles"] button[type="submit"]');
  await page.waitForURL(/\/admin\/articles\/\d+$/);
  const id = Number(/(\d+)$/.exec(page.url())![1]);

  // The body, block by block.
  await page.waitForSelector('.codex-editor .ce-paragraph');
  await page.fill('textarea[name="lead"]', 'Движение по мосту открыли на неделю раньше срока.');
  await page.click('.ce-paragraph');
  await page.keyboard.type('Мост открыли в субботу утром.');
  await page.keyboard.press('Enter');
  await addEditorBlock(page, 'header');
  await page.keyboard.type('Что изменилось');
  await page.keyboard.press('Enter');

  // Both awaited together: a failed pick must not leave the chooser's wait to reject after the test.
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), addEditorBlock(page, 'image')]);
  await chooser.setFiles(imagePath);
  await page.waitForSelector('.image-tool--filled img.image-tool__image-picture');
  await page.click('.image-tool__caption');
  await page.keyboard.type('Мост утром');
  await page.keyboard.press('Enter');

  // An autosave while the new quote is still empty saves the rest (it used to fail
  // with 400: the server refuses empty blocks).
  await page.evaluate(() => (document.getElementById('save-state')!.textContent = ''));
  await addEditorBlock(page, 'quote');
  await page.waitForFunction(() => /Сохранено в/.test(document.getElementById('save-state')!.textContent ?? ''), null, { timeout: 15_000 });
  await page.keyboard.type('Мы успели до морозов');
  await page.click('.cdx-quote__caption');
  await page.keyboard.type('Глава мостотреста');
  await page.fill('.image-credit', 'Фото: Иван Петров');

  // A cover, uploaded from the same page.
  await page.setInputFiles('#cover-file', coverPath);
  await page.waitForSelector('#cover-preview:not([hidden])');
  await page.fill('input[name="coverCredit"]', 'Фото: редакция');

  // Autosave runs by itself within a few seconds and says so.
  await page.waitForFunction(() => /Сохранено в/.test(document.getElementById('save-state')!.textContent ?? ''), null, { timeout: 15_000 });
  const saved = await portal.app.content.editable(id);
  assert.ok(saved!.revision > 1, 'autosave made a revision');

  // Preview: the public page's view of the draft.
  const preview = await context.newPage();
  await preview.goto(`${portal.url}/admin/articles/${id}/preview`);
  assert.equal((await preview.locator('h1.article__title').textContent())!.trim(), title);
  assert.match((await preview.locator('.notice').textContent())!, /Черновик/);
  await preview.close();

  await Promise.all([page.waitForEvent('load'), page.click('[data-action="publish"]')]);
  await page.waitForSelector('.status--published');

  const article = (await portal.app.content.article(id))!;
  assert.equal(article.status, 'published');
  const blocks = article.body.blocks.map((b) => b.type);
  assert.deepEqual(blocks, ['paragraph', 'header', 'image', 'quote']);
  const image = article.body.blocks[2]!.data as { file: { imageId: number }; caption: string; credit: string };
  assert.ok(image.file.imageId > 0);
  assert.equal(image.caption, 'Мост утром');
  assert.equal(image.credit, 'Фото: Иван Петров');
  assert.deepEqual(article.body.blocks[3]!.data, { text: 'Мы успели до морозов', caption: 'Глава мостотреста' });

  // The home page and the section page show it, with the cover's responsive srcset.
  const reader = await browser.newPage();
  await reader.goto(`${portal.url}/`);
  assert.ok((await reader.locator(`a[href="${article.url}"]`, { hasText: title }).count()) >= 1, 'a link with the title');
  // Fresh and with a cover, it is the lead story (or a card in its section's block).
  const homeItem = reader.locator('article', { has: reader.locator(`a[href="${article.url}"]`) }).first();
  assert.match((await homeItem.locator('source[type="image/webp"]').getAttribute('srcset'))!, /480\.webp 480w/);

  await reader.goto(`${portal.url}/text/${section.slug}/`);
  const card = reader.locator('.card', { has: reader.locator(`a[href="${article.url}"]`) }).first();
  assert.equal((await card.locator('.card__title a').textContent())!.trim(), title);
  assert.match((await card.locator('img').getAttribute('srcset'))!, /480\.jpg 480w, .*960\.jpg 960w/);

  // The article page: heading, quote with attribution, body image with srcset and credit.
  await reader.goto(portal.url + article.url);
  assert.equal((await reader.locator('.article__body h2').textContent())!.trim(), 'Что изменилось');
  assert.equal((await reader.locator('.article__body blockquote footer').textContent())!.trim(), 'Глава мостотреста');
  const bodyImage = reader.locator('.article__body figure img');
  assert.match((await bodyImage.getAttribute('srcset'))!, /480\.jpg 480w/);
  // It loads lazily: bring it into view, then wait for it.
  await bodyImage.scrollIntoViewIfNeeded();
  const loaded = await bodyImage.evaluate(
    (img: HTMLImageElement) => (img.complete && img.naturalWidth > 0) || new Promise<boolean>((resolve) => img.addEventListener('load', () => resolve(img.naturalWidth > 0), { once: true })),
  );
  assert.ok(loaded, 'the body image loads');
  assert.match((await reader.locator('.article__body figcaption').textContent())!, /Фото: Иван Петров/);

  assert.deepEqual(errors, [], 'no script errors and nothing blocked by the CSP');
  await reader.close();
  await context.close();
});

test('a save on top of someone else’s newer save shows the conflict and keeps the text', { skip, timeout: 60_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${portal.url}/login?next=/admin/articles`);
  await page.fill('input[name="email"]', 'chief@example.ru');
  await page.fill('input[name="password"]', 'пароль-редактора');
  await page.click('form[action="/login"] button[type="submit"]');
  await page.waitForURL(/\/admin\/articles$/);
  const sectionId = (await portal.app.content.sections()).roots()[0]!.id;
  const id = await portal.app.content.createArticle({ type: 'news', status: 'draft', sectionId, title: 'Общий черновик', lead: '', body: { blocks: [] }, authorIds: [] });
  await page.goto(`${portal.url}/admin/articles/${id}`);
  await page.waitForSelector('.codex-editor');

  // Another editor saves first (revision 2).
  const current = (await portal.app.content.editable(id))!;
  await portal.app.content.updateArticle(id, { ...current, title: 'Версия коллеги', body: { blocks: [] } }, { baseRevision: 1, userId: null });

  await page.fill('input[name="title"]', 'Моя версия заголовка');
  await page.click('#save-now');
  await page.waitForFunction(() => document.getElementById('save-state')!.dataset.state === 'error');
  assert.match((await page.locator('#save-state').textContent())!, /Конфликт/);
  assert.equal(await page.inputValue('input[name="title"]'), 'Моя версия заголовка', 'my text stays on screen');
  assert.equal((await portal.app.content.editable(id))!.title, 'Версия коллеги', 'the colleague’s save stays');
  assert.deepEqual(errors, []);
  await context.close();
});
