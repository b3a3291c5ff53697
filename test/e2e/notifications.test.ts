// Notifications in Chromium: a reader replies to a comment, the author sees the
// counter in the account corner go up, opens the list, and the mail arrives in the
// outbox once, after the window, only while the reply is unread. The portal's clock
// is moved by hand and the mail job's pass is run directly (the job runs the same).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startPortal, type Portal } from '../support/portal.js';
import { browserSkip, launchBrowser } from '../support/browser.js';
import { ManualClock } from '../../src/platform/clock.js';

const skip = browserSkip();
const MINUTE = 60_000;
const SHOTS = process.env.SCREENSHOT_DIR;
let portal: Portal;
let browser: Browser;
let clock: ManualClock;

before(async () => {
  if (skip) return;
  clock = new ManualClock(new Date());
  portal = await startPortal({ clock, config: { trustProxy: '127.0.0.1' } });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await portal?.close();
});

const mailsTo = (email: string) => {
  const dir = path.join(portal.dataDir, 'outbox');
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).filter((m) => m.includes(`To: ${email}`)) : [];
};

test('a reply: the counter goes up, the list shows it, one mail after the window while unread, none once read', { skip }, async () => {
  const article = (await portal.app.content.latest({ limit: 2 }))[1]!;
  await portal.app.accounts.createUser({ email: 'olga@example.ru', password: 'пароль-ольги', displayName: 'Ольга', role: 'reader' });
  await portal.app.accounts.createUser({ email: 'ivan@example.ru', password: 'пароль-ивана', displayName: 'Иван', role: 'reader' });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const stateCalls: string[] = [];
  page.on('request', (r) => r.url().includes('/api/') && stateCalls.push(new URL(r.url()).pathname));

  await page.goto(portal.url + '/login');
  await page.fill('input[name=email]', 'olga@example.ru');
  await page.fill('input[name=password]', 'пароль-ольги');
  await page.click('form[action="/login"] button[type=submit]');
  await page.goto(portal.url + article.url);
  await page.locator('#comments textarea[name=body]').fill('Когда откроют мост?');
  await page.locator('#comments form.comment-form button[type=submit]').click();
  await page.waitForSelector('#comments li.comment');
  const rootId = Number(await page.locator('#comments li.comment').first().getAttribute('data-comment-id'));
  assert.equal(await page.locator('.site-header__badge').count(), 0);

  const ivan = portal.client({ 'x-forwarded-for': '203.0.113.88' });
  await ivan.signIn('ivan@example.ru', 'пароль-ивана');
  const reply = (body: string) => ivan.api('POST', '/api/comments', { articleId: article.id, parentId: rootId, body });
  assert.equal((await reply('Обещают к выходным.')).status, 201);

  stateCalls.length = 0;
  await page.reload();
  const badge = page.locator('.site-header__badge');
  await badge.waitFor();
  assert.equal((await badge.textContent())!.trim(), '1');
  // One reader-state call for every island of the article page (and the view beacon).
  assert.deepEqual(stateCalls.filter((p) => p !== '/api/views'), ['/api/reader-state']);
  await badge.click();
  await page.waitForURL(/\/me\/notifications$/);
  const list = page.locator('.notification-list');
  assert.match((await list.textContent())!, /Иван ответил\(а\) на ваш комментарий/);
  assert.match((await list.textContent())!, /Обещают к выходным/);
  assert.equal(await page.locator('.notification--unread').count(), 1, 'opening the list reads nothing');
  if (SHOTS) for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(SHOTS, `notifications-${width}.png`), fullPage: true });
  }

  // Nothing before the window ends; one mail after it; never a second.
  clock.advance(9 * MINUTE);
  await portal.app.notifications.sendDueMail();
  assert.equal(mailsTo('olga@example.ru').length, 0);
  clock.advance(2 * MINUTE);
  await portal.app.notifications.sendDueMail();
  await portal.app.notifications.sendDueMail();
  const mails = mailsTo('olga@example.ru');
  assert.equal(mails.length, 1);
  assert.match(mails[0]!, /Обещают к выходным/);

  // A second reply, read on the site within the window: no mail for it.
  await page.click('form[action="/me/notifications/read-all"] button[type=submit]');
  await page.waitForSelector('form[action="/me/notifications/read-all"]', { state: 'detached' });
  assert.equal((await reply('Уже открыли!')).status, 201);
  await page.goto(portal.url + '/');
  await page.locator('.site-header__badge').waitFor();
  await page.click('.site-header__badge');
  await page.waitForURL(/\/me\/notifications$/);
  await page.click('.notification--unread a');
  await page.waitForURL((url) => url.pathname === article.url);
  clock.advance(11 * MINUTE);
  await portal.app.notifications.sendDueMail();
  assert.equal(mailsTo('olga@example.ru').length, 1, 'read on the site: no second mail');

  await page.goto(portal.url + '/account');
  if (SHOTS) for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(SHOTS, `profile-${width}.png`), fullPage: true });
  }
  assert.equal(await page.locator('#notification-preferences input[name=mail][value=reply]').isChecked(), true);
  assert.deepEqual(errors, []);
  await page.close();
});
