// Reactions in Chromium: a reader reacts and sees the count change at once,
// switches and withdraws; another reader's cached page shows fresh counts; and the
// bar works without JavaScript as a plain form.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startPortal, type Portal } from '../support/portal.js';
import { browserSkip, launchBrowser, watchErrors } from '../support/browser.js';
import type { ArticleCard } from '../../src/modules/content/index.js';

const skip = browserSkip();
let portal: Portal;
let browser: Browser;
let articles: ArticleCard[];

before(async () => {
  if (skip) return;
  portal = await startPortal();
  browser = await launchBrowser();
  articles = await portal.app.content.latest({ limit: 10 });
});
after(async () => {
  await browser?.close();
  await portal?.close();
});

const button = (page: Page, kind: string) => page.locator(`.reactions button[data-kind="${kind}"]`);
const count = async (page: Page, kind: string) => Number(await button(page, kind).locator('[data-count]').textContent());
const pressed = (page: Page, kind: string) => button(page, kind).getAttribute('aria-pressed');
/** The island has the reader's state once the page's one reader-state call came back. */
async function open(page: Page, url: string) {
  const loaded = page.waitForResponse((r) => r.url().includes('/api/reader-state') && r.request().method() === 'GET');
  await page.goto(portal.url + url);
  await loaded;
}

test('a reader reacts and sees the count change, switches, and withdraws', { skip }, async () => {
  const article = articles[0]!;
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await open(page, article.url);
  const bar = page.locator('.reactions');
  assert.deepEqual(await bar.locator('.reaction__label').allTextContents(), ['Лайк', 'Смех', 'Удивление', 'Гнев', 'Печаль']);
  assert.equal(await bar.locator('svg.reaction__icon').count(), 5);
  assert.equal(await count(page, 'LIKE'), 0);

  // The island marks the choice at once; the rows are checked once the server answered.
  const saved = page.waitForResponse((r) => r.url().includes('/reaction') && r.request().method() === 'PUT');
  await button(page, 'LIKE').click();
  await page.waitForFunction(() => document.querySelector('[data-kind="LIKE"]')?.getAttribute('aria-pressed') === 'true');
  assert.equal(await count(page, 'LIKE'), 1);
  await saved;
  assert.equal(page.url(), portal.url + article.url, 'no page reload: the island did it');
  // The server agrees, and a reload (the cached page) shows the reader's choice again.
  assert.deepEqual(await portal.app.reactions.countRows({ kind: 'article', id: article.id }), { LIKE: 1, HAPPY: 0, SURPRISED: 0, ANGRY: 0, SAD: 0 });
  await open(page, article.url);
  await page.waitForFunction(() => document.querySelector('[data-kind="LIKE"]')?.getAttribute('aria-pressed') === 'true');
  assert.equal(await count(page, 'LIKE'), 1);

  const switched = page.waitForResponse((r) => r.url().includes('/reaction') && r.request().method() === 'PUT');
  await button(page, 'HAPPY').click();
  await switched;
  await page.waitForFunction(() => document.querySelector('[data-kind="HAPPY"]')?.getAttribute('aria-pressed') === 'true');
  assert.equal(await pressed(page, 'LIKE'), 'false');
  assert.equal(await count(page, 'LIKE'), 0);
  assert.equal(await count(page, 'HAPPY'), 1);

  const withdrawn = page.waitForResponse((r) => r.url().includes('/reaction') && r.request().method() === 'DELETE');
  await button(page, 'HAPPY').click();
  await withdrawn;
  await page.waitForFunction(() => document.querySelector('[data-kind="HAPPY"]')?.getAttribute('aria-pressed') === 'false');
  assert.equal(await count(page, 'HAPPY'), 0);
  assert.deepEqual(await portal.app.reactions.countRows({ kind: 'article', id: article.id }), { LIKE: 0, HAPPY: 0, SURPRISED: 0, ANGRY: 0, SAD: 0 });
  assert.deepEqual(errors, [], 'no script errors and nothing blocked by the CSP');
  await context.close();
});

test('another reader’s cached page shows the fresh counts, without the first reader’s choice', { skip }, async () => {
  const article = articles[1]!;
  const first = await browser.newContext();
  const second = await browser.newContext();
  const a = await first.newPage();
  const b = await second.newPage();
  // The second reader's visit puts the page (with zero counts) in the cache.
  await open(b, article.url);
  await open(a, article.url);
  await button(a, 'SAD').click();
  await a.waitForFunction(() => document.querySelector('[data-kind="SAD"]')?.getAttribute('aria-pressed') === 'true');
  await open(b, article.url);
  await b.waitForFunction(() => document.querySelector('[data-kind="SAD"] [data-count]')?.textContent === '1');
  assert.equal(await pressed(b, 'SAD'), 'false');
  await first.close();
  await second.close();
});

test('without JavaScript the bar is a form: the first click asks once to confirm, then it reacts and comes back to the article', { skip }, async () => {
  const article = articles[2]!;
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(portal.url + article.url);
  // No island call gave this browser a reader cookie: its first post is not counted
  // but answered with one button more (the anti-stuffing rule).
  await button(page, 'SURPRISED').click();
  await page.getByRole('button', { name: 'Подтвердить' }).waitFor();
  assert.match(await page.locator('.notice').textContent() ?? '', /Подтвердите реакцию «Удивление»/);
  assert.equal((await portal.app.reactions.countRows({ kind: 'article', id: article.id })).SURPRISED, 0);
  await page.getByRole('button', { name: 'Подтвердить' }).click();
  await page.waitForURL(`${portal.url}${article.url}#reactions`);
  assert.equal((await portal.app.reactions.countRows({ kind: 'article', id: article.id })).SURPRISED, 1);
  // The same button again withdraws.
  const posted = page.waitForResponse((r) => r.request().method() === 'POST');
  await button(page, 'SURPRISED').click();
  assert.equal((await posted).status(), 303);
  assert.equal((await portal.app.reactions.countRows({ kind: 'article', id: article.id })).SURPRISED, 0);
  await context.close();
});
