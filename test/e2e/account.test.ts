// The reader's account in Chromium: a reply shows as a counter in the header of a
// cached page, the list opens from it and «mark all read» clears it; the profile
// renames the reader. (The mail channel: notifications.test.ts.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startPortal, type Portal } from '../support/portal.js';
import { browserSkip, launchBrowser } from '../support/browser.js';

const skip = browserSkip();
let portal: Portal;
let browser: Browser;

before(async () => {
  if (skip) return;
  portal = await startPortal({ config: { trustProxy: '127.0.0.1' } });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await portal?.close();
});

test('a reply lights the header counter; the list marks it read; a new display name shows at once', { skip }, async () => {
  const article = (await portal.app.content.latest({ limit: 1 }))[0]!;
  await portal.app.accounts.createUser({ email: 'lena@example.ru', password: 'пароль-лены', displayName: 'Лена', role: 'reader' });
  await portal.app.accounts.createUser({ email: 'petya@example.ru', password: 'пароль-пети', displayName: 'Петя', role: 'reader' });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

  await page.goto(portal.url + '/login');
  await page.fill('input[name=email]', 'lena@example.ru');
  await page.fill('input[name=password]', 'пароль-лены');
  await page.click('form[action="/login"] button[type=submit]');
  await page.goto(portal.url + article.url);
  await page.locator('#comments textarea[name=body]').fill('Кто был на месте?');
  await page.locator('#comments form.comment-form button[type=submit]').click();
  await page.waitForSelector('#comments li.comment');
  const rootId = Number(await page.locator('#comments li.comment').first().getAttribute('data-comment-id'));
  assert.equal(await page.locator('.site-header__badge').count(), 0);

  const petya = portal.client({ 'x-forwarded-for': '203.0.113.77' });
  await petya.signIn('petya@example.ru', 'пароль-пети');
  assert.equal((await petya.api('POST', '/api/comments', { articleId: article.id, parentId: rootId, body: 'Я был, всё спокойно.' })).status, 201);

  await page.reload();
  const badge = page.locator('.site-header__badge');
  await badge.waitFor();
  assert.equal((await badge.textContent())!.trim(), '1');
  await badge.click();
  await page.waitForURL(/\/me\/notifications$/);
  assert.match((await page.locator('.notification-list').textContent())!, /Петя ответил\(а\) на ваш комментарий/);
  assert.match((await page.locator('.notification-list').textContent())!, /Я был, всё спокойно/);
  await page.click('form[action="/me/notifications/read-all"] button[type=submit]');
  await page.waitForSelector('form[action="/me/notifications/read-all"]', { state: 'detached' });
  await page.goto(portal.url + '/');
  await page.waitForSelector('.site-header__account a[href="/account"]');
  assert.equal(await page.locator('.site-header__badge').count(), 0);

  await page.goto(portal.url + '/account');
  await page.fill('input[name=displayName]', 'Елена');
  await page.click('form[action="/account/profile"] button[type=submit]');
  await page.waitForSelector('text=Сохранено.');
  await page.waitForSelector('.site-header__account a[href="/account"]:has-text("Елена")');
  assert.deepEqual(errors, []);
  await page.close();
});
