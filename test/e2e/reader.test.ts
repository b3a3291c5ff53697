// A reader in Chromium: opens the home page, clicks into an article, and finds the
// breadcrumb, headline, body and «По теме».
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startPortal, type Portal } from '../support/portal.js';
import { browserSkip, launchBrowser } from '../support/browser.js';

const skip = browserSkip();
let portal: Portal;
let browser: Browser;

before(async () => {
  if (skip) return;
  portal = await startPortal();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await portal?.close();
});

test('a reader opens the home page and clicks into the lead story', { skip }, async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(portal.url + '/');
  assert.equal(await page.title(), 'Город');
  const lead = page.locator('.lead-story__title a');
  const title = (await lead.textContent())!.trim();
  await lead.click();
  await page.waitForURL(/\/text\/[a-z-]+\/\d{4}\/\d{2}\/\d{2}\/\d+\/$/);
  assert.equal((await page.locator('h1').textContent())!.trim(), title);
  assert.ok((await page.locator('nav.breadcrumb a').count()) >= 1, 'breadcrumb');
  assert.ok((await page.locator('.article__body p').count()) >= 2, 'body paragraphs');
  assert.equal(await page.locator('#related-title').textContent(), 'По теме');
  assert.ok((await page.locator('.related li a').count()) >= 1, '«По теме» has items');
  // The cover image really loads (a responsive variant chosen by the browser).
  const cover = page.locator('.article header picture img');
  assert.ok(await cover.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0));
  assert.deepEqual(errors, [], 'no script errors and nothing blocked by the CSP');
  await page.close();
});

test('keyboard users get a skip link and a visible focus', { skip }, async () => {
  const page = await browser.newPage();
  await page.goto(portal.url + '/');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => ({ text: document.activeElement?.textContent, outline: getComputedStyle(document.activeElement!).outlineStyle }));
  assert.equal(focused.text, 'Перейти к содержанию');
  assert.notEqual(focused.outline, 'none');
  await page.close();
});
