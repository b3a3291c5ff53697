// The home page on a phone, in the order a reader scans a city portal: the lead, a
// few latest, ТОП 5, opinions, then the rubrics — «Мнения» and «ТОП 5» used to come
// after some 7,800 px of cards on a 10,650 px page. On a desktop they stand beside.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
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

const PARTS = { lead: '.lead-story', latest: '#latest-title', top5: '#top5-title', opinions: '#opinions-title', rubric: '#section-0' };

async function boxes(page: Page) {
  // No named functions inside: the test loader would wrap them in a helper the page lacks.
  const at = await page.evaluate((parts) =>
    Object.fromEntries(
      Object.entries(parts).map(([name, sel]) => {
        const r = document.querySelector(sel)!.getBoundingClientRect();
        return [name, { x: Math.round(r.left + scrollX), y: Math.round(r.top + scrollY) }];
      }),
    ), PARTS) as Record<keyof typeof PARTS, { x: number; y: number }>;
  const latestShown = await page.locator('#latest-title ~ .news-list li:visible').count();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  return { ...at, latestShown, height };
}

test('on a phone: lead, a few latest, ТОП 5, opinions, then rubrics, on a shorter page', { skip }, async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(portal.url + '/');
  const b = await boxes(page);
  assert.ok(b.lead.y < b.latest.y && b.latest.y < b.top5.y && b.top5.y < b.opinions.y && b.opinions.y < b.rubric.y, JSON.stringify(b));
  assert.ok(b.latestShown >= 3 && b.latestShown <= 6, `${b.latestShown} latest news shown`);
  assert.ok(b.top5.y < 2500, `ТОП 5 at ${b.top5.y} px`);
  assert.ok(b.height < 8000, `the page is ${b.height} px tall`);
  await context.close();
});

test('on a desktop: ТОП 5 and opinions beside the latest news, rubrics under them', { skip }, async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await page.goto(portal.url + '/');
  const b = await boxes(page);
  assert.ok(b.top5.x > b.latest.x + 400 && Math.abs(b.top5.y - b.latest.y) < 5, JSON.stringify(b));
  assert.ok(b.opinions.x === b.top5.x && b.opinions.y > b.top5.y, JSON.stringify(b));
  assert.ok(b.rubric.x === b.latest.x && b.rubric.y > b.latest.y, JSON.stringify(b));
  assert.ok(b.latestShown > 6, 'the desktop shows every latest news');
  await context.close();
});
