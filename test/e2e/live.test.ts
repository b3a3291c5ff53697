// Live coverage in Chromium: a reader at the top sees a new entry appear (with its
// highlight); a reader scrolled down gets «1 новое» and «(1)» in the tab's title,
// clicks it and lands on the entry; an edit replaces the entry in place; an editor
// writes an entry with an image in the console's block editor and readers see it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { startPortal, type Portal } from '../support/portal.js';
import { addEditorBlock, browserSkip, launchBrowser, shootBothWidths, signedInPage, watchErrors } from '../support/browser.js';

const skip = browserSkip();
let portal: Portal;
let browser: Browser;
let articleId: number;
let url: string;

const para = (text: string) => [{ type: 'paragraph', data: { text } }];
const writer = { id: 1, displayName: 'Дежурный редактор' };

/** Writes as the console does: the entry, then the purge that ticks the streams. */
async function post(text: string) {
  const v = await portal.app.live.add(articleId, { blocks: para(text) }, writer);
  await portal.app.pageCache.purge([`article:${articleId}`, `live:${articleId}`]);
  return v;
}

before(async () => {
  if (skip) return;
  portal = await startPortal();
  browser = await launchBrowser();
  const [card] = await portal.app.content.latest({ limit: 1 });
  articleId = card!.id;
  url = card!.url;
  await portal.app.live.configure(articleId, { startsAt: new Date(Date.now() - 3600_000), endsAt: null, order: 'newest' });
  for (let i = 1; i <= 12; i++) await post(`Запись для прокрутки ${i}. `.repeat(6));
});
after(async () => {
  await browser?.close();
  await portal?.close();
});

async function open(page: Page) {
  const streaming = page.waitForResponse((r) => r.url().includes(`/live/${articleId}/stream`));
  await page.goto(portal.url + url);
  await streaming;
  // The stream's first tick has come (the island knows the head).
  await page.waitForTimeout(200);
}

test('a reader at the top sees a new entry appear; an edit replaces it in place', { skip }, async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await open(page);
  await page.evaluate(() => document.querySelector('[data-live-entries]')!.scrollIntoView());
  const e = await post('Свежая запись наверху');
  const entry = page.locator(`#entry-${e.id}`);
  await entry.waitFor({ timeout: 5000 });
  assert.match((await entry.textContent()) ?? '', /Свежая запись наверху/);
  assert.match((await entry.getAttribute('class')) ?? '', /live-entry--fresh/);
  assert.equal(await page.locator('[data-live-entries] > .live-entry').first().getAttribute('id'), `entry-${e.id}`, 'at the top');
  assert.equal(await page.locator('[data-live-new]').isHidden(), true);
  // An edit: the same place, the new text.
  await portal.app.live.edit(articleId, e.id, { blocks: para('Исправленная запись наверху') }, writer);
  await portal.app.pageCache.purge([`article:${articleId}`, `live:${articleId}`]);
  await page.waitForFunction((id) => document.getElementById(`entry-${id}`)?.textContent?.includes('Исправленная'), e.id, { timeout: 5000 });
  assert.equal(await page.locator(`#entry-${e.id}`).count(), 1);
  // «Нравится» through the island: the page stays, the button is pressed, the count shows.
  const before = page.url();
  const like = page.locator(`#entry-${e.id} button[data-live-like]`);
  await like.click();
  await page.waitForFunction((id) => document.querySelector(`#entry-${id} button[data-live-like]`)?.getAttribute('aria-pressed') === 'true', e.id, { timeout: 5000 });
  assert.equal(page.url(), before, 'no page load: the form is the fallback only');
  assert.equal((await like.locator('[data-like-count]').textContent())?.trim(), '1');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a reader scrolled down sees «1 новое» and (1) in the title, clicks and lands on the entry', { skip }, async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 700 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await open(page);
  const title = await page.title();
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  const e = await post('Запись, пока читатель внизу');
  const button = page.locator('[data-live-new]');
  await button.waitFor({ state: 'visible', timeout: 5000 });
  assert.equal((await button.textContent())?.trim(), '1 новое');
  assert.equal(await page.title(), `(1) ${title}`);
  assert.equal(await page.locator(`#entry-${e.id}`).count(), 0, 'not put in while the reader reads below');
  await button.click();
  const entry = page.locator(`#entry-${e.id}`);
  await entry.waitFor();
  await page.waitForFunction((id) => {
    const r = document.getElementById(`entry-${id}`)!.getBoundingClientRect();
    return r.top >= -2 && r.top < window.innerHeight;
  }, e.id);
  assert.equal(await page.title(), title);
  assert.equal(await button.isHidden(), true);
  assert.deepEqual(errors, []);
  await context.close();
});


test('an editor writes an entry with an image in the console’s block editor; readers see it', { skip, timeout: 120_000 }, async () => {
  await portal.app.accounts.createUser({ email: 'live-editor@example.ru', password: 'пароль-редактора', displayName: 'Ведущий трансляции', role: 'editor' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-live-'));
  const photo = path.join(dir, 'sugrob.jpg');
  fs.writeFileSync(photo, await sharp({ create: { width: 1600, height: 1000, channels: 3, background: '#5b8bb8' } }).jpeg().toBuffer());
  const { context, page, errors } = await signedInPage(browser, portal.url, 'live-editor@example.ru', 'пароль-редактора', { ignore: /409 \(Conflict\)/ });
  await page.goto(`${portal.url}/admin/live/${articleId}`);
  const form = page.locator('form.live-console__new');
  await form.locator('.codex-editor .ce-paragraph').first().waitFor();
  assert.equal(await form.locator('textarea[name=text]').isHidden(), true, 'the text field is the page’s path without JavaScript');

  // The toolbox: the tools an entry takes, in Russian, each once.
  await form.locator('.ce-paragraph').first().click();
  await page.keyboard.type('/');
  await page.locator('.ce-popover--opened .ce-popover-item').first().waitFor();
  const names = (await page.locator('.ce-popover--opened .ce-popover-item__title').allTextContents()).map((t) => t.trim()).filter(Boolean);
  assert.deepEqual([...names].sort(), ['Изображение', 'Маркированный список', 'Нумерованный список', 'Текст', 'Цитата'].sort());
  await page.keyboard.press('Escape');
  await page.keyboard.press('Backspace');

  await form.locator('input[name=title]').fill('Фото из Заречного');
  await form.locator('.ce-paragraph').first().click();
  await page.keyboard.type('Дворы засыпаны по зеркала машин.');
  await page.keyboard.press('Enter');
  // Both awaited together: a failed pick must not leave the chooser's wait to reject after the test.
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), addEditorBlock(page, 'image')]);
  await chooser.setFiles(photo);
  await form.locator('.image-tool--filled img.image-tool__image-picture').waitFor({ timeout: 15_000 });
  await form.locator('.image-credit').fill('Фото: Мария Снегирёва');
  await form.locator('.image-tool__caption').click();
  await page.keyboard.type('Улица Строителей утром');
  await page.keyboard.press('Enter');
  await addEditorBlock(page, 'quote');
  await page.keyboard.type('Такого снега не помню');
  await shootBothWidths(page, '.tmp/live', 'console');

  await Promise.all([page.waitForEvent('load'), form.locator('button[value=published]').click()]);
  const [entry] = (await portal.app.live.current(articleId)).filter((e) => e.title === 'Фото из Заречного');
  assert.ok(entry, 'the entry is written');
  assert.deepEqual(entry.blocks.map((b) => b.type), ['paragraph', 'image', 'quote']);
  assert.equal((entry.blocks[1]!.data as { caption: string }).caption, 'Улица Строителей утром');
  assert.equal((entry.blocks[1]!.data as { credit: string }).credit, 'Фото: Мария Снегирёва', 'the credit line under the caption');

  // Editing it in the block editor: the edit form's editor opens with its blocks.
  const item = page.locator(`#console-entry-${entry.id}`);
  await item.locator('summary').click();
  await item.locator('.codex-editor .image-tool--filled').waitFor();
  await item.locator('.ce-paragraph').first().click();
  await page.keyboard.press('End');
  await page.keyboard.type(' Уборка идёт.');
  await Promise.all([page.waitForEvent('load'), item.locator('form[data-live-entry-form] button[type=submit]').click()]);
  const latest = (await portal.app.live.history(articleId, entry.id)).at(-1)!;
  assert.equal(latest.version, 2);
  assert.match(String(latest.blocks[0]!.data.text), /Уборка идёт\./);
  assert.equal(latest.blocks[1]!.type, 'image');

  // A refused entry: the message beside the buttons, the text kept (the browser logs the 409: expected).
  await form.locator('.ce-paragraph').first().click();
  await page.keyboard.type('Запись после конца');
  await portal.app.live.configure(articleId, { startsAt: new Date(Date.now() - 3600_000), endsAt: new Date(Date.now() - 1000), order: 'newest' });
  await form.locator('button[value=published]').click();
  await page.waitForFunction(() => /Не сохранено: Трансляция завершена/.test(document.querySelector('form.live-console__new [data-live-form-state]')?.textContent ?? ''));
  assert.match((await form.locator('.ce-paragraph').first().textContent()) ?? '', /Запись после конца/);
  await portal.app.live.configure(articleId, { startsAt: new Date(Date.now() - 3600_000), endsAt: null, order: 'newest' });
  await portal.app.pageCache.purge([`article:${articleId}`, `live:${articleId}`]);
  assert.deepEqual(errors, []);
  await context.close();

  // The reader: the picture from the media module, its caption, the quote.
  const reader = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const rp = await reader.newPage();
  const readerErrors = watchErrors(rp);
  await rp.goto(portal.url + url + `entry/${entry.id}/`);
  const shown = rp.locator(`#entry-${entry.id}`);
  await shown.scrollIntoViewIfNeeded();
  const img = shown.locator('picture img');
  await img.waitFor();
  await rp.waitForFunction((id) => {
    const i = document.querySelector<HTMLImageElement>(`#entry-${id} picture img`);
    return !!i && i.complete && i.naturalWidth > 0;
  }, entry.id);
  assert.match((await shown.textContent()) ?? '', /Улица Строителей утром/);
  assert.equal((await shown.locator('figcaption .credit').textContent())?.trim(), 'Фото: Мария Снегирёва');
  await shootBothWidths(rp, '.tmp/live', 'reader');
  assert.deepEqual(readerErrors, []);
  await reader.close();
});

test('the demo snowstorm: entries with pictures of our own, loaded for readers', { skip }, async () => {
  const lives = await portal.app.live.list();
  const snow = (await portal.app.content.cards(lives.map((l) => l.articleId))).find((c) => c.title.startsWith('Снегопад в городе'))!;
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(portal.url + snow.url);
  const pictures = page.locator('.live-entry picture img');
  assert.ok((await pictures.count()) >= 5, 'several entries have pictures');
  // At both widths (each picks its own variant from the srcset): loaded before the screenshots.
  for (const width of [1366, 390]) {
    await page.setViewportSize({ width, height: 900 });
    for (const img of await pictures.all()) await img.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.live-entry picture img')].every((i) => i.complete && i.naturalWidth > 0), null, { timeout: 15_000 });
  }
  await shootBothWidths(page, '.tmp/live', 'snowstorm');
  assert.deepEqual(errors, []);
  await context.close();
});
