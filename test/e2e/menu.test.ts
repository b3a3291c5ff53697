// Every rubric is reachable from the header: «Все рубрики» is a <details> that
// opens with a click or the keyboard and works without JavaScript, on a phone and
// on a desktop. Subrubrics («Транспорт», «ЖКХ», …) used to be display:none.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startPortal, type Portal } from '../support/portal.js';
import { browserSkip, launchBrowser } from '../support/browser.js';
import { sectionPath } from '../../src/modules/content/urls.js';

const skip = browserSkip();
let portal: Portal;
let browser: Browser;
let rubrics: { title: string; href: string }[];

before(async () => {
  if (skip) return;
  portal = await startPortal();
  browser = await launchBrowser();
  rubrics = (await portal.app.content.sections()).all().map((s) => ({ title: s.title, href: sectionPath(s.slug) }));
});
after(async () => {
  await browser?.close();
  await portal?.close();
});

for (const width of [390, 1366]) {
  test(`without JavaScript every rubric is a visible link in the menu at ${width} px`, { skip }, async () => {
    const context = await browser.newContext({ viewport: { width, height: 800 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(portal.url + '/');
    assert.ok(rubrics.some((r) => r.title === 'Транспорт'), 'the demo has the subrubric «Транспорт»');
    await page.getByText('Все рубрики').click();
    const hidden: string[] = [];
    for (const r of rubrics) {
      const link = page.locator(`.rubrics-menu a[href="${r.href}"]`);
      const box = await link.boundingBox();
      if (!box || box.x < 0 || box.x + box.width > width || !(await link.isVisible())) hidden.push(r.title);
      else assert.equal((await link.textContent())!.trim(), r.title);
    }
    assert.deepEqual(hidden, []);
    await page.locator('.rubrics-menu a', { hasText: 'Транспорт' }).click();
    await page.waitForURL(/\/text\/[a-z-]+\/$/);
    assert.equal((await page.locator('h1').textContent())!.trim(), 'Транспорт');
    await context.close();
  });
}

test('the menu opens from the keyboard and its links take focus', { skip }, async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  await page.goto(portal.url + '/');
  await page.locator('.rubrics-menu summary').focus();
  assert.equal(await page.locator('.rubrics-menu').getAttribute('open'), null);
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('.rubrics-menu').getAttribute('open'), '');
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => ({ href: document.activeElement?.getAttribute('href'), inMenu: !!document.activeElement?.closest('.rubrics-menu') }));
  assert.deepEqual(first, { href: rubrics.find((r) => r.href === portal.app.pages.nav[0]!.href)!.href, inMenu: true });
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Space');
  assert.equal(await page.locator('.rubrics-menu').getAttribute('open'), null, 'Space on the summary closes it again');
  await context.close();
});
