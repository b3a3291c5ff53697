// Zero axe-core violations on the pages readers and editors use, on a phone and a
// desktop. axe is injected into the page by playwright-core (the page's CSP allows
// no inline script, so it runs through the DevTools protocol, not a <script>).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import type { Portal } from '../support/portal.js';
import { browserSkip } from '../support/browser.js';
import { openSite, visitEach, type SitePage } from './site-pages.js';

const skip = browserSkip();
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const CHECKED = ['home', 'section', 'article', 'opinion', 'search', 'author', 'sign-in', 'account', 'admin', 'admin articles', 'admin editor', 'admin typos'];
let portal: Portal;
let browser: Browser;
let pages: SitePage[];

before(async () => {
  if (skip) return;
  ({ portal, browser, pages } = await openSite(CHECKED));
});
after(async () => {
  await browser?.close();
  await portal?.close();
});

interface Violation {
  id: string;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

// Each page is loaded once and checked at both widths (a resize re-applies the media queries).
test('no axe-core violations at 390 and 1366 px', { skip, timeout: 240_000 }, async () => {
  const found: string[] = [];
  await visitEach(browser, portal, pages, 390, async (page, p) => {
    // Islands and the block editor draw after load; check what the reader then sees.
    await page.waitForLoadState('networkidle');
    await page.evaluate(AXE);
    for (const width of [390, 1366]) {
      await page.setViewportSize({ width, height: 900 });
      const violations = (await page.evaluate(() => (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: unknown[] }> } }).axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations))) as Violation[];
      for (const v of violations) found.push(`${p.name} ${p.path} at ${width} px: ${v.id} (${v.help}) at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}${v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : ''}`);
    }
  });
  assert.deepEqual(found, []);
});
