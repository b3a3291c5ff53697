// The newsroom's helpers in Chromium: the typo queue opens the editor scrolled to
// the reported fragment and highlights it; the author photo picker uploads and
// previews without leaving the page; the home page picker finds articles by title
// and fills the block's field.
import crypto from 'node:crypto';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startPortal, type Portal } from '../support/portal.js';
import { browserSkip, launchBrowser } from '../support/browser.js';
import { locate } from '../../src/modules/typos/text.js';
import { anonymousReader } from '../../src/platform/reader.js';

const skip = browserSkip();
let portal: Portal;
let browser: Browser;

before(async () => {
  if (skip) return;
  portal = await startPortal();
  browser = await launchBrowser();
  await portal.app.accounts.createUser({ email: 'desk@example.ru', password: 'пароль-редактора', displayName: 'Выпускающий редактор', role: 'editor' });
});
after(async () => {
  await browser?.close();
  await portal?.close();
});

async function signedIn(next: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${portal.url}/login?next=${encodeURIComponent(next)}`);
  await page.fill('input[name="email"]', 'desk@example.ru');
  await page.fill('input[name="password"]', 'пароль-редактора');
  await page.click('form[action="/login"] button[type="submit"]');
  await page.waitForURL(`${portal.url}${next}`);
  return { context, page, errors };
}

test('from the typo queue, the editor opens at the reported fragment, highlighted and in view', { skip, timeout: 90_000 }, async () => {
  const { content, typos } = portal.app;
  const sectionId = (await content.sections()).roots()[0]!.id;
  // A long text where the words of the typo appear twice: the report is about the second time.
  const paragraphs = Array.from({ length: 30 }, (_, i) => `Абзац ${i + 1}: жители района обсуждают новости и планы на лето.`);
  paragraphs[2] = 'Мэрия обещала отремонтировать мост черз реку ещё весной.';
  paragraphs[24] = 'Подрядчик снова перенёс сроки, и мост черз реку закрыт до осени.';
  const id = await content.createArticle({ type: 'news', status: 'published', sectionId, title: 'Ремонт моста снова отложен', lead: 'Сроки перенесли.', body: { blocks: paragraphs.map((text) => ({ type: 'paragraph', data: { text } })) }, authorIds: [] });
  const article = (await content.article(id))!;
  const found = locate(article.bodyText, 'мост черз реку', 'Подрядчик снова перенёс сроки, и ', ' закрыт до осени.')!;
  const report = await typos.report({ ...found, articleId: id, revision: article.revision, comment: 'опечатка в «через»', reader: anonymousReader(crypto.randomUUID()), ipHash: 'e2e' });

  const { context, page, errors } = await signedIn('/admin/typos');
  await Promise.all([page.waitForURL(/\/admin\/articles\/\d+\/edit\?typo=/), page.click(`#typo-report-${report.id} a.typo-report__edit`)]);
  assert.match(page.url(), new RegExp(`/admin/articles/${id}/edit\\?typo=${report.id}#typo-${report.id}$`));
  await page.waitForFunction(() => CSS.highlights.get('typo')?.size === 1, null, { timeout: 15_000 });

  const shown = await page.evaluate(() => {
    const range = [...CSS.highlights.get('typo')!][0] as Range;
    const rect = range.getBoundingClientRect();
    const block = (range.startContainer.parentElement as HTMLElement).closest('.ce-block')!;
    const blocks = [...document.querySelectorAll('#editor .ce-block')];
    // What sits on top at the fragment's middle: the text itself, not the sticky bars.
    const top = document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
    return { text: range.toString(), block: blocks.indexOf(block), top: rect.top, bottom: rect.bottom, height: window.innerHeight, covered: !block.contains(top), scrolled: window.scrollY };
  });
  assert.equal(shown.text, 'мост черз реку');
  assert.equal(shown.block, 24, 'the occurrence the reader reported, not the first one');
  assert.ok(shown.scrolled > 0, 'the page scrolled down to it');
  assert.ok(shown.top >= 0 && shown.bottom <= shown.height, `in view: ${shown.top}–${shown.bottom} of ${shown.height}`);
  assert.equal(shown.covered, false, 'not hidden under the sticky bars');
  // Highlighting changed nothing in the text: no unsaved changes.
  assert.notEqual(await page.locator('#save-state').getAttribute('data-state'), 'dirty');
  assert.deepEqual(errors, []);
  await context.close();
});

test('an author photo is uploaded, previewed and removed without leaving the page; the form saves it', { skip, timeout: 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-e2e-'));
  const photo = path.join(dir, 'portrait.jpg');
  fs.writeFileSync(photo, await sharp({ create: { width: 900, height: 900, channels: 3, background: '#8a5a44' } }).jpeg().toBuffer());
  const { context, page, errors } = await signedIn('/admin/authors');
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

  const form = page.locator('.entity--new form');
  await page.click('.entity--new summary');
  await form.locator('input[name="name"]').fill('Ольга Северова');
  await form.locator('input[name="position"]').fill('Фотокорреспондент');
  await form.locator('.image-picker__file').setInputFiles(photo);
  const preview = form.locator('.image-picker__preview');
  await preview.waitFor({ state: 'visible' });
  assert.match((await preview.getAttribute('src'))!, /^\/uploads\/.+480\.jpg$/);
  const imageId = Number(await form.locator('input[name="photoId"]').inputValue());
  assert.ok(imageId > 0, 'the uploaded image’s number is in the form');
  assert.equal(await form.locator('input[name="photoId"]').getAttribute('type'), 'hidden', 'no number to type with JS');

  // «Убрать» empties it; a second upload fills it again.
  await form.locator('.image-picker__remove').click();
  assert.equal(await form.locator('input[name="photoId"]').inputValue(), '');
  assert.equal(await preview.isVisible(), false);
  await form.locator('.image-picker__file').setInputFiles(photo);
  await page.waitForFunction(() => (document.querySelector('.entity--new input[name="photoId"]') as HTMLInputElement).value !== '');
  const second = Number(await form.locator('input[name="photoId"]').inputValue());
  assert.ok(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed), 'no page load so far');

  await Promise.all([page.waitForURL(/\/admin\/authors\?saved=1$/), form.locator('button[type="submit"]').click()]);
  const saved = (await portal.app.content.listAuthors()).find((a) => a.name === 'Ольга Северова')!;
  assert.equal(saved.photo_id, second);
  // The list shows the photo in the profile's own form.
  assert.match((await page.locator(`li[data-id="${saved.id}"] .image-picker__preview`).getAttribute('src'))!, /^\/uploads\//);
  assert.deepEqual(errors, []);
  await context.close();
});

test('home page blocks: find an article by its title, pick it, remove another, save', { skip, timeout: 60_000 }, async () => {
  const [first, second, third] = await portal.app.content.latest({ limit: 3 });
  await portal.app.content.setHomeSlot('latest', [first!.id]);
  const { context, page, errors } = await signedIn('/admin/home');
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

  const lead = page.locator('[data-article-picker][data-max="1"]');
  await lead.locator('.picker__search').fill(second!.title.slice(0, 20));
  await lead.locator('.picker__pick', { hasText: `№${second!.id}` }).click();
  assert.equal(await lead.locator('input[name="slot:lead"]').inputValue(), String(second!.id));
  assert.equal(await lead.locator('.picker__chosen li').count(), 1);

  const latest = page.locator('.slot-field', { has: page.locator('input[name="slot:latest"]') });
  await latest.locator('.picker__search').fill(String(third!.id));
  await latest.locator('.picker__pick', { hasText: `№${third!.id}` }).click();
  await latest.locator(`.picker__chosen li[data-id="${first!.id}"] .picker__remove`).click();
  assert.equal(await latest.locator('input[name="slot:latest"]').inputValue(), String(third!.id));
  assert.ok(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed), 'no page load while picking');

  await Promise.all([page.waitForURL(/\/admin\/home\?saved=1$/), page.click('form[action="/admin/home"] button[type="submit"]')]);
  const slots = await portal.app.content.homeSlots();
  assert.deepEqual(slots.get('lead'), [second!.id]);
  assert.deepEqual(slots.get('latest'), [third!.id]);
  assert.equal((await page.locator('[data-article-picker][data-max="1"] .picker__chosen li span').first().textContent())!.trim(), second!.title);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a VK Video link pasted into the body becomes a video block, saved with the vk.com player', { skip, timeout: 60_000 }, async () => {
  const sectionId = (await portal.app.content.sections()).roots()[0]!.id;
  const id = await portal.app.content.createArticle({ type: 'news', status: 'draft', sectionId, title: 'Видео с парада', lead: '', body: { blocks: [{ type: 'paragraph', data: { text: 'Смотрите запись.' } }] }, authorIds: [] });
  const { context, page, errors } = await signedIn('/admin/articles');
  // No network in tests: the player answers with an empty page.
  await context.route(/^https:\/\/vk\.com\//, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>player</title>' }));
  await page.goto(`${portal.url}/admin/articles/${id}`);
  await page.click('.ce-paragraph');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('.ce-paragraph').length === 2);
  // A paste as the browser delivers it: plain text on the clipboard event.
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.setData('text/plain', 'https://vkvideo.ru/video-220754053_456243113');
    document.querySelectorAll<HTMLElement>('.ce-paragraph')[1]!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  const frame = page.locator('.embed-tool iframe');
  await frame.waitFor();
  assert.equal(await frame.getAttribute('src'), 'https://vk.com/video_ext.php?oid=-220754053&id=456243113&hd=2');
  await page.click('#save-now');
  await page.waitForFunction(() => document.getElementById('save-state')!.dataset.state === 'ok');
  const saved = (await portal.app.content.editable(id))!;
  const embed = saved.body.blocks.find((b) => b.type === 'embed')!;
  assert.equal(embed.data.service, 'vk');
  assert.equal(embed.data.source, 'https://vkvideo.ru/video-220754053_456243113');
  assert.deepEqual(errors, []);
  await context.close();
});
