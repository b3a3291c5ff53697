// Comments in Chromium: a newcomer registers, confirms the e-mail through the
// outbox, comments and replies, and the count follows; classic XSS vectors sent as
// comments and display names stay literal text and never run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startPortal, type Portal } from '../support/portal.js';
import { browserSkip, launchBrowser, watchErrors } from '../support/browser.js';
import type { ArticleCard } from '../../src/modules/content/index.js';

const skip = browserSkip();
let portal: Portal;
let browser: Browser;
let articles: ArticleCard[];

before(async () => {
  if (skip) return;
  portal = await startPortal({ config: { trustProxy: '127.0.0.1' } });
  browser = await launchBrowser();
  articles = (await portal.app.content.latest({ limit: 10 })).filter((a) => a.section.slug !== 'mnenie');
});
after(async () => {
  await browser?.close();
  await portal?.close();
});

function outbox(): string[] {
  const dir = path.join(portal.dataDir, 'outbox');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort().map((f) => fs.readFileSync(path.join(dir, f), 'utf8')) : [];
}

test('a newcomer registers, confirms through the outbox, comments and replies; the count reads «1 комментарий», then «2 комментария»', { skip }, async () => {
  const article = articles[0]!;
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(portal.url + '/register');
  await page.fill('input[name=displayName]', 'Вера');
  await page.fill('input[name=email]', 'vera@example.ru');
  await page.fill('input[name=password]', 'пароль-веры-123');
  await page.click('form[action="/register"] button[type=submit]');
  await page.waitForSelector('text=Мы отправили письмо на vera@example.ru');
  const mail = outbox().find((m) => m.includes('To: vera@example.ru'))!;
  const link = /http:\/\/\S+\/confirm\/\S+/.exec(mail)![0];
  await page.goto(link);
  await page.click('form[action^="/confirm/"] button[type=submit]');
  await page.waitForSelector('text=Адрес подтверждён');

  await page.goto(portal.url + article.url);
  const block = page.locator('#comments');
  assert.equal((await block.locator('.comments__count').textContent())!.trim(), '0 комментариев');
  assert.match((await block.locator('.comments__empty').textContent())!, /Начните обсуждение первым/);
  // The island knows the reader: the sign-in prompt goes, the header shows the name.
  await page.waitForSelector('#comments .comments__members', { state: 'detached' });
  await page.waitForSelector('.site-header__account a[href="/account"]:has-text("Вера")');

  await block.locator('textarea[name=body]').fill('Хорошая новость.\nСпасибо редакции! Подробности на https://example.ru/novost');
  await block.locator('form.comment-form button[type=submit]').click();
  await page.waitForFunction(() => document.querySelector('#comments .comments__count')?.textContent === '1 комментарий');
  const first = block.locator('li.comment').first();
  assert.match((await first.locator('.comment__body').innerText()), /Хорошая новость.\nСпасибо редакции!/);
  const link0 = first.locator('.comment__body a');
  assert.equal(await link0.getAttribute('rel'), 'nofollow ugc noopener');
  assert.equal(await link0.getAttribute('href'), 'https://example.ru/novost');
  assert.equal(await block.locator('.comments__empty').count(), 0);

  await first.locator('button[data-action=reply]').click();
  const replyForm = first.locator('form.comment-form');
  await replyForm.locator('textarea[name=body]').fill('И ещё одно замечание.');
  await replyForm.locator('button[type=submit]').click();
  await page.waitForFunction(() => document.querySelector('#comments .comments__count')?.textContent === '2 комментария');
  assert.equal((await block.locator('.comment__replies li.comment .comment__body').textContent())!.trim(), 'И ещё одно замечание.');

  // A fresh load of the cached page agrees.
  await page.reload();
  assert.equal((await block.locator('.comments__count').textContent())!.trim(), '2 комментария');
  assert.deepEqual(errors, [], 'no script errors and nothing blocked by the CSP');
  await page.close();
});

test('a reader votes on someone else’s comment in the browser and sees the count at once', { skip }, async () => {
  const article = articles[1]!;
  await portal.app.accounts.createUser({ email: 'author@example.ru', password: 'пароль-автора', displayName: 'Автор', role: 'reader' });
  const author = portal.client({ 'x-forwarded-for': '203.0.113.50' });
  await author.signIn('author@example.ru', 'пароль-автора');
  assert.equal((await author.api('POST', '/api/comments', { articleId: article.id, body: 'Голосуйте за меня' })).status, 201);
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(portal.url + article.url);
  const up = page.locator('#comments button.comment__vote--up').first();
  await up.click();
  await page.waitForFunction(() => document.querySelector('#comments .comment__vote--up')?.getAttribute('aria-pressed') === 'true');
  assert.equal((await up.textContent())!.trim(), '▲ 1');
  assert.deepEqual(errors, []);
  await page.close();
});

const VECTORS = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=2">',
  '<svg onload="window.__xss=3"><circle r=1 /></svg>',
  '<a href="javascript:window.__xss=4">жми</a>',
  'javascript:window.__xss=5',
  '"><script>window.__xss=6</script>',
  "'><img src=x onerror=window.__xss=7>",
  '<iframe src="javascript:window.parent.__xss=8"></iframe>',
  '<div style="background:url(javascript:alert(9))">',
  '<b onmouseover=window.__xss=10>наведи</b',
  '</textarea><script>window.__xss=11</script>',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=12>',
];
const NAMES = ['<img src=x onerror=window.__xss=20>', '<script>window.__xss=21</script>', '"><svg onload=window.__xss=22>'];

test('classic XSS vectors in comments and display names are shown as literal text and never run', { skip }, async () => {
  const article = articles[2]!;
  let n = 0;
  for (const name of NAMES) {
    const email = `xss${++n}@example.ru`;
    await portal.app.accounts.createUser({ email, password: 'пароль-взломщика', displayName: name, role: 'reader' });
    const c = portal.client({ 'x-forwarded-for': `203.0.113.${100 + n}` });
    await c.signIn(email, 'пароль-взломщика');
    for (const vector of VECTORS.slice((n - 1) * 4, n * 4)) {
      const res = await c.api('POST', '/api/comments', { articleId: article.id, body: vector });
      assert.equal(res.status, 201, vector);
    }
  }
  // The CSP would stop inline scripts anyway; with it off, only escaping protects.
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(portal.url + article.url);
  await page.waitForSelector('#comments li.comment');
  const shown = await page.locator('#comments .comment__body').allTextContents();
  for (const vector of VECTORS) assert.ok(shown.some((t) => t.includes(vector.trim())), `shown literally: ${vector}`);
  const names = await page.locator('#comments .comment__author').allTextContents();
  for (const name of NAMES) assert.ok(names.includes(name), `name shown literally: ${name}`);
  // Hover and click everything that could carry a handler.
  for (const b of await page.locator('#comments .comment__body, #comments .comment__author').all()) await b.hover();
  assert.equal(await page.locator('#comments .comment__body a').count(), 0, 'no vector became a link');
  assert.equal(await page.locator('#comments script, #comments img[src=x], #comments svg, #comments iframe, #comments math').count(), 0, 'no element made from input');
  assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined, 'no script ran');
  assert.deepEqual(dialogs, []);

  // And after the island swaps the thread in from the server.
  await page.click('#comments a[data-sort=old]');
  await page.waitForSelector('#comments a[data-sort=old][aria-current]');
  await page.waitForTimeout(300);
  assert.equal(await page.locator('#comments script, #comments img[src=x], #comments svg, #comments iframe').count(), 0);
  assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
  await context.close();
});

test('a guest sees «Войдите, чтобы комментировать», not a form that answers 401, and the typed draft survives the sign-in', { skip }, async () => {
  const article = articles[3]!;
  await portal.app.accounts.createUser({ email: 'guest-draft@example.ru', password: 'пароль-гостя', displayName: 'Гость', role: 'reader' });
  const page = await browser.newPage();
  const errors = watchErrors(page);
  const posts: string[] = [];
  page.on('request', (r) => r.method() === 'POST' && r.url().includes('/comments') && posts.push(r.url()));
  await page.goto(portal.url + article.url);
  const block = page.locator('#comments');
  assert.match((await block.locator('.comments__members').innerText()), /Войдите, чтобы комментировать/);
  // The island takes «Отправить» away from a guest and offers the sign-in instead.
  const signIn = block.locator('form.comment-form a.comment-form__sign-in');
  await signIn.waitFor();
  assert.equal(await block.locator('form.comment-form button[type=submit]').count(), 0);
  assert.equal((await signIn.textContent())!.trim(), 'Войти и отправить');
  await block.locator('textarea[name=body]').fill('Черновик гостя: остановку перенесли?');
  await block.locator('textarea[name=body]').press('Control+Enter'); // neither sends nor loses it
  await block.locator('.comments__members a.comments__sign-in').click();
  await page.waitForURL(/\/login\?next=/);
  await page.fill('input[name=email]', 'guest-draft@example.ru');
  await page.fill('input[name=password]', 'пароль-гостя');
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL((url) => url.pathname === article.url && url.hash === '#comments');
  await page.waitForSelector('#comments .comments__members', { state: 'detached' });
  assert.equal(await block.locator('textarea[name=body]').inputValue(), 'Черновик гостя: остановку перенесли?');
  assert.deepEqual(posts, [], 'nothing was posted while a guest');
  await block.locator('form.comment-form button[type=submit]').click();
  await page.waitForFunction(() => document.querySelector('#comments .comments__count')?.textContent === '1 комментарий');
  assert.equal((await block.locator('li.comment .comment__body').first().textContent())!.trim(), 'Черновик гостя: остановку перенесли?');
  // Sent, so the draft is gone: a reload shows an empty form.
  await page.reload();
  await page.waitForSelector('#comments form.comment-form button[type=submit]');
  assert.equal(await block.locator('textarea[name=body]').inputValue(), '');
  assert.deepEqual(errors, []);
  await page.close();
});
