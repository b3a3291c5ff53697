// Debian's Chromium driven by playwright-core. A newcomer without Chromium gets
// the browser tests skipped with a reason; CI (CI=true) must have it.
import fs from 'node:fs';
import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
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
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return errors;
}
