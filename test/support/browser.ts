// Debian's Chromium driven by playwright-core. A newcomer without Chromium gets
// the browser tests skipped with a reason; CI (CI=true) must have it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startPortal, type Portal, type PortalOptions } from './portal.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The reason to skip browser tests, or false when they can run. */
export function browserSkip(): string | false {
  if (fs.existsSync(CHROMIUM)) return false;
  if (process.env.CI) throw new Error(`CI needs Chromium at ${CHROMIUM} (apt-get install chromium)`);
  return `no Chromium at ${CHROMIUM}: apt-get install chromium to run the browser tests`;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/**
 * A portal and, where Chromium is, a browser for one test file: started before its
 * tests, closed after them. `skip` is the reason to skip browser tests, or false.
 */
export function portalAndBrowser(options?: PortalOptions): { skip: string | false; portal: Portal; browser: Browser } {
  const held = { skip: browserSkip() } as { skip: string | false; portal: Portal; browser: Browser };
  before(async () => {
    held.portal = await startPortal(options);
    if (!held.skip) held.browser = await launchBrowser();
  });
  after(async () => {
    await held.browser?.close();
    await held.portal?.close();
  });
  return held;
}

/** The page's script errors and console errors, collected as they come: a test asserts the list stays empty. */
export function watchErrors(page: Page, { ignore }: { ignore?: RegExp } = {}): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !ignore?.test(m.text()) && errors.push(`${m.text()} (${page.url()})`));
  return errors;
}

/** A new browser context signed in through the sign-in form, with its page and that page's errors (`watchErrors`). */
export async function signedInPage(browser: Browser, portalUrl: string, email: string, password: string, { width = 1366, ignore }: { width?: number; ignore?: RegExp } = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const errors = watchErrors(page, { ignore });
  await page.goto(portalUrl + '/login');
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('form[action="/login"] button[type=submit]')]);
  return { context, page, errors };
}

/** Full-page screenshots at 390 and 1366 px into `dir` (`<name>-<width>.png`), failing when the page is wider than the viewport. */
export async function shootBothWidths(page: Page, dir: string, name: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(dir, `${name}-${width}.png`), fullPage: true });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= width, `${name} at ${width}px is ${wide}px wide`);
  }
  await page.setViewportSize({ width: 1366, height: 900 });
}

/**
 * In Editor.js, «/» typed into an empty block opens the toolbox; pick `tool` from
 * it. Editor.js makes the new block a moment after Enter, and a loaded machine
 * draws the toolbox late, so this retries. A failed try erases its «/» only
 * where the «/» stayed as text: a Backspace in an empty block would remove the
 * block and leave the caret at the end of the one before, where every later «/»
 * is text (CI failed on exactly that once). If the caret ends up in a block with
 * text, Enter at its end makes the empty block to try in.
 */
export async function addEditorBlock(page: Page, tool: string): Promise<void> {
  const item = page.locator(`.ce-popover--opened [data-item-name="${tool}"]`).first();
  const focusedText = () => page.evaluate(() => document.activeElement?.textContent ?? '');
  for (let attempt = 0; attempt < 6; attempt++) {
    await page.waitForTimeout(250);
    await page.keyboard.type('/');
    try {
      await item.waitFor({ state: 'visible', timeout: 4000 });
      await item.click();
      return;
    } catch {
      await page.keyboard.press('Escape');
      if ((await focusedText()).endsWith('/')) await page.keyboard.press('Backspace');
      if ((await focusedText()).trim() !== '') {
        await page.keyboard.press('End');
        await page.keyboard.press('Enter');
      }
    }
  }
  throw new Error(`the toolbox did not offer ${tool}`);
}
