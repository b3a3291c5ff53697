// The newsletter's changed pages in Chromium at 390 and 1366 px (.tmp/newsletter/):
// the back office's settings and statistics (tracking on), and the page «Да, оставить»
// opens. No sideways scroll at 390.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { portalAndBrowser, shootBothWidths, signedInPage, watchErrors } from '../../../test/support/browser.js';
import { stayToken } from './tokens.js';
import { NEWSLETTER_SETTINGS } from './settings.js';

const DIR = '.tmp/newsletter';
const held = portalAndBrowser();

test('the settings, the statistics with tracking on, and the «оставаться подписанным» page', { skip: held.skip }, async () => {
  const { portal, browser } = held;
  const email = `nl-editor-${Date.now()}@example.ru`;
  await portal.app.accounts.createUser({ email, password: 'пароль-редактора', displayName: 'Редактор рассылок', role: 'editor' });
  await portal.app.settings.set(NEWSLETTER_SETTINGS.tracking, true);
  const nl = portal.app.newsletter;
  const digest = (await nl.service.lists()).find((l) => l.kind === 'daily')!;
  const sub = await nl.service.ensureSubscriber(`читатель-${Date.now()}@пример.рф`);
  await nl.service.choose(sub, [digest.id], null, 'test');
  await nl.issues.sendDigest(digest, null);
  const { page, errors, context } = await signedInPage(browser, portal.url, email, 'пароль-редактора');
  await page.goto(`${portal.url}/admin/newsletter/settings`);
  assert.match(await page.content(), /Считать открытия и переходы/);
  await shootBothWidths(page, DIR, 'admin-settings');
  await page.goto(`${portal.url}/admin/newsletter/stats`);
  assert.match(await page.content(), /Открытия/);
  await shootBothWidths(page, DIR, 'admin-stats');
  assert.deepEqual(errors, []);
  await context.close();

  const reader = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const stay = await reader.newPage();
  const readerErrors = watchErrors(stay);
  await stay.goto(`${portal.url}/newsletter/stay/${stayToken(portal.app.secret, sub)}`);
  assert.match(await stay.content(), /Рассылки продолжат приходить на читатель-\d+@пример\.рф/);
  await shootBothWidths(stay, DIR, 'stay');
  assert.deepEqual(readerErrors, []);
  await reader.close();
});
