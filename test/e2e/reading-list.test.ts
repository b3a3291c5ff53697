// The browser's own reading list (audience/client/history.ts): an article whose view
// counted goes first in it, the page's one reader-state call sends it with what the
// page shows, and the reader's «Рекомендуем» leaves the read article out — with no
// look-up of the stored reads. A browser without a list is given the stored one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { portalAndBrowser } from '../support/browser.js';

const env = portalAndBrowser();
const { skip } = env;

/** Opens an article and waits for its view to count and its reader-state call; the call's query. */
async function read(page: Page, url: string): Promise<URLSearchParams> {
  const state = page.waitForRequest((r) => r.url().includes('/api/reader-state'));
  const counted = page.waitForResponse((r) => r.url().endsWith('/api/views') && r.status() === 204);
  await page.goto(env.portal.url + url);
  const query = new URL((await state).url()).searchParams;
  await counted;
  await page.waitForSelector('.widget-recommended[data-personal="true"]');
  return query;
}

test('a read article is kept by the browser, sent with the next page’s call, and left out of its «Рекомендуем»', { skip }, async () => {
  const [first, second] = await env.portal.app.content.latest({ limit: 2 });
  // Headless Chromium says so in its user agent, and a bot's views do not count.
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, userAgent: 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36' });
  const page = await context.newPage();

  const firstQuery = await read(page, first!.url);
  assert.equal(firstQuery.get('read'), null, 'a new browser keeps no list yet');
  await page.waitForFunction((id) => localStorage.getItem('gorod.reads')?.split(',')[0] === String(id), first!.id);

  const asked: string[] = [];
  const readIds = env.portal.app.audience.readIds;
  env.portal.app.audience.readIds = (key) => (asked.push(key), readIds.call(env.portal.app.audience, key));
  try {
    const secondQuery = await read(page, second!.url);
    assert.equal(secondQuery.get('article'), String(second!.id));
    assert.equal(secondQuery.get('read')!.split(',')[0], String(first!.id));
    const shown = (await page.locator('.widget-recommended').getAttribute('data-exclude'))!;
    assert.equal(secondQuery.get('shown'), shown, 'what the page shows');
    assert.deepEqual(asked, [], 'the stored reads were not asked for');
  } finally {
    env.portal.app.audience.readIds = readIds;
  }
  const recommended = await page.locator('.widget-recommended a').evaluateAll((links) => links.map((a) => Number(a.getAttribute('href')!.split('/').at(-2))));
  assert.ok(recommended.length >= 3, `«Рекомендуем» has ${recommended.length}`);
  assert.ok(!recommended.includes(first!.id), 'the article read is not recommended');
  assert.ok(!recommended.includes(second!.id), 'nor the one being read');
  await page.waitForFunction((ids) => localStorage.getItem('gorod.reads')?.startsWith(ids), `${second!.id},${first!.id}`);

  // A browser that lost its list (or kept none before) is given the stored reads.
  await page.evaluate(() => localStorage.removeItem('gorod.reads'));
  await env.portal.app.viewCounter.flush(); // reads are stored in batches
  await read(page, first!.url);
  await page.waitForFunction((id) => (localStorage.getItem('gorod.reads') ?? '').split(',').includes(String(id)), second!.id);
  await context.close();
});
