// Messages in Chromium: a reader writes from the «Написать» page, the other reads
// the thread while a new message arrives live (the stream, then the JSON), with
// hostile text staying text; «Прочитано» appears for the writer; «Вы уверены?» asks
// before a flagged message goes. Screenshots of the pages at 390 and 1366 px go to
// .tmp/messages/ (and nothing is wider than the phone's viewport).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { portalAndBrowser, shootBothWidths, signedInPage } from '../../../test/support/browser.js';
import { DEFAULT_SETTINGS } from '../moderation/index.js';

const env = portalAndBrowser({ config: { trustProxy: '127.0.0.1' } });
const { skip } = env;
const PASSWORD = 'пароль-переписки-1';
const KIND = 'forum_topic';
const SHOTS = path.resolve('.tmp/messages');
let n = 0;

async function user(displayName: string) {
  const email = `messages-e2e-${++n}-${Date.now()}@example.ru`;
  const made = await env.portal.app.accounts.createUser({ email, password: PASSWORD, displayName, role: 'reader' });
  return { id: made.id, email };
}

// A 409 is the «Вы уверены?» answer the test provokes on purpose, logged by the browser as a failed request.
const reader = (email: string, width = 1366) => signedInPage(env.browser, env.portal.url, email, PASSWORD, { width, ignore: /409/ });

const shoot = (page: Page, name: string) => shootBothWidths(page, SHOTS, name);

const XSS = '<img src=x onerror=window.__x=1>';

test('write from «Написать», the answer arrives live, «Прочитано», hostile text stays text, «Вы уверены?»', { skip }, async () => {
  const { portal } = env;
  portal.app.messages.policies.add({
    kind: KIND,
    async check() {},
    async describe(ids) {
      return new Map(ids.map((id) => [id, { title: `Продаю велосипед «Кама» №${id}`, url: `/forum/t/${id}` }]));
    },
  });
  const alice = await user('Алиса Петрова');
  const bob = await user(`Борис ${XSS}`);
  const shop = await portal.app.organisations.create({ slug: `e2e-shop-${Date.now()}`, name: 'Цветочный магазин «Ромашка»', ownerId: bob.id });
  const a = await reader(alice.email);
  const b = await reader(bob.email);
  try {
    // Alice writes from the «Написать» page (the no-JS form).
    await a.page.goto(`${portal.url}/me/messages/start?kind=${KIND}&id=7&to=u:${bob.id}`);
    assert.match(await a.page.textContent('main, body') ?? '', /Продаю велосипед «Кама» №7/);
    await shoot(a.page, 'start');
    await a.page.fill('textarea[name=text]', `Здравствуйте!\nВелосипед ещё продаётся? ${XSS}`);
    await Promise.all([a.page.waitForURL(/\/me\/messages\/\d+/), a.page.click('form.messages-start button[type=submit]')]);
    const id = Number(/\/me\/messages\/(\d+)/.exec(a.page.url())![1]);

    // Bob has the thread open; Alice's next message arrives without a reload.
    await b.page.goto(`${portal.url}/me/messages/${id}`);
    assert.equal(await b.page.locator('.message').count(), 1);
    assert.match((await b.page.locator('.message__text').first().textContent()) ?? '', /продаётся\? <img src=x/);
    await b.page.waitForTimeout(300);
    await a.page.fill('textarea[name=text]', `Могу забрать сегодня.\nВторая строка ${XSS}`);
    await a.page.click('form[data-messages-form] button[type=submit]');
    await b.page.waitForSelector('.message:nth-child(2)', { timeout: 3000 });
    const live = (await b.page.locator('.message__text').nth(1).textContent()) ?? '';
    assert.equal(live, `Могу забрать сегодня.\nВторая строка ${XSS}`);
    // Bob's open page read it: Alice's page shows «Прочитано» without a reload.
    await a.page.waitForSelector('.message__read', { timeout: 3000 });
    assert.equal(await b.page.evaluate(() => (window as unknown as { __x?: number }).__x), undefined);
    assert.equal(await a.page.evaluate(() => (window as unknown as { __x?: number }).__x), undefined);

    // Bob answers through the island; Alice gets it live.
    await b.page.fill('textarea[name=text]', 'Да, приезжайте к шести.');
    await b.page.click('form[data-messages-form] button[type=submit]');
    await a.page.waitForSelector('.message:nth-child(3)', { timeout: 3000 });
    assert.equal(await a.page.locator('.message').nth(2).locator('.message__text').textContent(), 'Да, приезжайте к шести.');

    // A stop word: the island asks «Вы уверены?»; accepted, the message goes flagged.
    await portal.app.moderation.saveSettings({ stopWords: ['жулик'], settings: DEFAULT_SETTINGS }, null);
    let asked = '';
    a.page.once('dialog', (d) => {
      asked = d.message();
      void d.accept();
    });
    await a.page.fill('textarea[name=text]', 'Вы жулик?');
    await a.page.click('form[data-messages-form] button[type=submit]');
    await b.page.waitForSelector('.message--flagged', { timeout: 3000 });
    assert.match(asked, /Вы уверены\?/);
    assert.match((await b.page.locator('.message--flagged').textContent()) ?? '', /Пожаловаться/);
    await portal.app.moderation.saveSettings({ stopWords: [], settings: DEFAULT_SETTINGS }, null);

    // A storefront conversation for the inbox's picture, then the screenshots.
    const shopChat = await portal.app.messages.start({ subject: { kind: KIND, id: 8 }, from: { kind: 'user', id: alice.id }, to: { kind: 'organisation', id: shop.id }, actorId: alice.id, text: 'Есть ли белые розы к пятнице? Нужно 25 штук, с доставкой на Ленина, 5.' });
    // The storefront's member answers from the thread: the page says on whose behalf.
    await b.page.goto(`${portal.url}/me/messages/${shopChat.conversationId}`);
    assert.match((await b.page.textContent('.messages-thread__as')) ?? '', /от имени «Цветочный магазин «Ромашка»»/);
    await b.page.fill('textarea[name=text]', 'Да, белые розы будут. Доставка — 300 ₽.');
    await b.page.click('form[data-messages-form] button[type=submit]');
    await b.page.waitForSelector('.message:nth-child(2)', { timeout: 3000 });
    assert.match((await b.page.locator('.message').nth(1).textContent()) ?? '', /Цветочный магазин «Ромашка» · Борис/);
    await shoot(b.page, 'thread-storefront');
    await b.page.goto(`${portal.url}/me/messages`);
    assert.match((await b.page.textContent('.messages-conversations')) ?? '', /для «Цветочный магазин «Ромашка»»/);
    await shoot(b.page, 'inbox');
    await b.page.goto(`${portal.url}/me/messages/${id}`);
    await shoot(b.page, 'thread');
    assert.deepEqual([...a.errors, ...b.errors], []);
  } finally {
    await a.context.close();
    await b.context.close();
  }
});
