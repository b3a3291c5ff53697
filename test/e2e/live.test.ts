// Live coverage in Chromium: a reader at the top sees a new entry appear (with its
// highlight); a reader scrolled down gets «1 новое» and «(1)» in the tab's title,
// clicks it and lands on the entry; an edit replaces the entry in place.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startPortal, type Portal } from '../support/portal.js';
import { browserSkip, launchBrowser, watchErrors } from '../support/browser.js';

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
