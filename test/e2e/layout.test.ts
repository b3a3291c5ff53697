// Phones to desktops: no page scrolls sideways at 320, 390, 768 or 1366 px. The
// header bar used to be a row that never wrapped (532 px at 390), so «Войти» was
// off-screen and every page scrolled.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { Portal } from '../support/portal.js';
import { browserSkip } from '../support/browser.js';
import { contextAs, openSite, visitEach, type SitePage } from './site-pages.js';

const skip = browserSkip();
const MEASURED = ['home', 'section', 'article', 'search', 'author', 'tag', 'story', 'sign-in', 'account', '404', 'admin'];
let portal: Portal;
let browser: Browser;
let pages: SitePage[];

before(async () => {
  if (skip) return;
  ({ portal, browser, pages } = await openSite(MEASURED));
});
after(async () => {
  await browser?.close();
  await portal?.close();
});

const WIDTHS = [320, 390, 768, 1366];

// Each page is loaded once and measured at every width (a resize re-applies the
// media queries as a fresh load would), so the test stays quick.
test(`no page scrolls sideways at ${WIDTHS.join(', ')} px`, { skip, timeout: 240_000 }, async () => {
  const wide: string[] = [];
  await visitEach(browser, portal, pages, WIDTHS[0]!, async (page, p) => {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      const { scroll, viewport, culprit } = await page.evaluate(() => {
        const viewport = document.documentElement.clientWidth;
        // The first element that sticks out, to say in the failure what it is.
        let culprit = '';
        for (const el of document.querySelectorAll('body *')) {
          const r = el.getBoundingClientRect();
          if (r.right > viewport + 1 && r.width > 0) {
            culprit = `${el.tagName.toLowerCase()}.${(el as HTMLElement).className}`;
            break;
          }
        }
        return { scroll: document.documentElement.scrollWidth, viewport, culprit };
      });
      if (scroll > viewport) wide.push(`${p.name} (${p.path}) at ${width} px: ${scroll} > ${viewport}, ${culprit}`);
    }
  });
  assert.deepEqual(wide, []);
});

test('the sign-in link is on screen on a phone', { skip }, async () => {
  const context = await contextAs(browser, portal, undefined, 320);
  const page = await context.newPage();
  await page.goto(portal.url + '/');
  const box = (await page.locator('.site-header__account a').boundingBox())!;
  assert.ok(box.x >= 0 && box.x + box.width <= 320, `«Войти» at ${box.x}..${box.x + box.width}`);
  await context.close();
});

// A select and a textarea in a form looked like the browser's own (a small grey box
// beside full-width inputs with borders) on the ad form, the forums' and dating's.
test('a form’s selects and text areas look like its inputs', { skip }, async () => {
  const context = await contextAs(browser, portal, 'reader', 390);
  const page = await context.newPage();
  await page.goto(portal.url + '/ads/new');
  const category = await page.locator('main .form select option[value]:not([value=""])').first().getAttribute('value');
  await page.goto(`${portal.url}/ads/new?category=${category}`);
  const look = (selector: string) =>
    page.locator(selector).first().evaluate((el) => {
      const s = getComputedStyle(el);
      return { padding: s.paddingLeft, border: `${s.borderTopWidth} ${s.borderTopColor}`, radius: s.borderTopLeftRadius, font: s.fontSize };
    });
  const input = await look('main .form input[type=text]');
  assert.deepEqual(await look('main .form select'), input);
  assert.deepEqual(await look('main .form textarea'), input);
  await context.close();
});
