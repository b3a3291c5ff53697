// The card stream's swipe island in Chromium: a drag to the right likes (the pair's
// row holds the like), ← skips, the buttons stay focusable and the island moves
// nothing on the page when it starts; without JavaScript the forms still work.
// Then the report with messages, the moderators' view of it and the figures per
// day, photographed at 390 and 1366 px under .tmp/dating/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { portalAndBrowser, shootBothWidths, signedInPage } from '../../../test/support/browser.js';
import { bornYearsAgo } from '../../../test/support/dating.js';

const env = portalAndBrowser({ config: { trustProxy: '127.0.0.1' } });
const { skip } = env;
const PASSWORD = 'пароль-знакомств-2';
const SHOTS = path.resolve('.tmp/dating');
let n = 0;

async function dater(displayName: string, gender: 'm' | 'f', role: 'reader' | 'moderator' = 'reader') {
  const { app } = env.portal;
  const email = `dating-swipe-${++n}-${Date.now()}@example.ru`;
  const made = await app.accounts.createUser({ email, password: PASSWORD, displayName, role });
  await app.dating.service.create(made.id, {
    displayName,
    gender,
    seek: gender === 'm' ? 'f' : 'm',
    ageMin: 25,
    ageMax: 45,
    intention: 'relationship',
    district: 'Пригородный',
    about: gender === 'm' ? 'Люблю походы и настольные игры.' : 'Фотограф, ищу попутчика для выходных.',
    interests: ['travel', 'games'],
    birthDate: bornYearsAgo(env.portal, gender === 'm' ? 33 : 30),
    consent: true,
    consentText: 'тест',
    rules: true,
    ipHash: 'test',
  });
  return { id: made.id, email };
}

const pairRow = async (a: number, b: number) =>
  env.portal.database.db.selectFrom('dating_pairs').selectAll().where('low_id', '=', Math.min(a, b)).where('high_id', '=', Math.max(a, b)).executeTakeFirst();
const mine = (row: Awaited<ReturnType<typeof pairRow>>, me: number, other: number) => (me < other ? { like: row?.low_like, skip: row?.low_skip } : { like: row?.high_like, skip: row?.high_skip });
const cardId = async (page: Page) => Number(await page.getAttribute('article.dating-stream', 'data-id'));

test('the stream: a swipe right likes, ← skips, no layout shift, buttons focusable; without JavaScript the forms work', { skip }, async () => {
  const { portal } = env;
  const me = await dater('Тимур', 'm');
  const a = await signedInPage(env.browser, portal.url, me.email, PASSWORD);
  try {
    await a.page.goto(portal.url + '/dating/');
    await a.page.waitForSelector('.dating-swipe');
    // Nothing moved when the island started.
    const shift = await a.page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          let sum = 0;
          new PerformanceObserver((list) => {
            for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) if (!e.hadRecentInput) sum += e.value;
          }).observe({ type: 'layout-shift', buffered: true });
          setTimeout(() => resolve(sum), 300);
        }),
    );
    assert.ok(shift < 0.01, `layout shift ${shift}`);
    await shootBothWidths(a.page, SHOTS, 'stream-swipe');

    // The buttons are still there and take the keyboard's focus.
    await a.page.focus('.dating-stream form[action$="/like"] button');
    assert.equal(await a.page.evaluate(() => document.activeElement?.closest('form')?.getAttribute('action')?.endsWith('/like')), true);
    await a.page.evaluate(() => (document.activeElement as HTMLElement).blur());

    // A drag to the right: a like.
    const first = await cardId(a.page);
    const box = (await a.page.locator('article.dating-stream').boundingBox())!;
    const y = box.y + Math.min(box.height / 2, 300);
    await a.page.mouse.move(box.x + box.width * 0.3, y);
    await a.page.mouse.down();
    for (let i = 1; i <= 10; i++) await a.page.mouse.move(box.x + box.width * 0.3 + i * 40, y);
    const dragging = await a.page.evaluate(() => ({ transform: document.querySelector<HTMLElement>('article.dating-stream')!.style.transform, stamp: document.querySelector<HTMLElement>('.dating-swipe__stamp--like')!.style.opacity }));
    assert.match(dragging.transform, /translateX\(\d+px\)/, JSON.stringify(dragging));
    assert.ok(Number(dragging.stamp) > 0.5, `the «like» stamp shows while dragging: ${JSON.stringify(dragging)}`);
    await Promise.all([a.page.waitForURL(/done=liked|done=matched/), a.page.mouse.up()]);
    assert.ok(mine(await pairRow(me.id, first), me.id, first).like, 'the swipe right stored a like');

    // ←: a skip.
    await a.page.goto(portal.url + '/dating/');
    await a.page.waitForSelector('.dating-swipe');
    const second = await cardId(a.page);
    assert.notEqual(second, first);
    await Promise.all([a.page.waitForResponse((r) => r.url().endsWith(`/dating/p/${second}/skip`)), a.page.keyboard.press('ArrowLeft')]);
    await a.page.waitForLoadState('load');
    const skipped = mine(await pairRow(me.id, second), me.id, second);
    assert.ok(skipped.skip && !skipped.like, '← stored a skip');
    assert.deepEqual(a.errors, []);
  } finally {
    await a.context.close();
  }

  // Without JavaScript: the like button is an ordinary form (one more card for it).
  await dater('Ксения', 'f');
  const noJs = await env.browser.newContext({ viewport: { width: 390, height: 900 }, javaScriptEnabled: false });
  try {
    const page = await noJs.newPage();
    await page.goto(portal.url + '/login');
    await page.fill('input[name=email]', me.email);
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('form[action="/login"] button[type=submit]')]);
    await page.goto(portal.url + '/dating/');
    assert.equal(await page.locator('.dating-swipe').count(), 0);
    const third = await cardId(page);
    await Promise.all([page.waitForURL(/done=liked|done=matched/), page.click('.dating-stream form[action$="/like"] button')]);
    assert.ok(mine(await pairRow(me.id, third), me.id, third).like);
  } finally {
    await noJs.close();
  }
});

test('a report with the reported messages, the moderators’ view of it, and the figures per day', { skip }, async () => {
  const { portal } = env;
  const { app } = portal;
  const him = await dater('Аркадий', 'm');
  const her = await dater('Вероника', 'f');
  const hisSide = (await app.dating.service.me(him.id))!;
  const herSide = (await app.dating.service.me(her.id))!;
  await app.dating.service.like(hisSide, her.id);
  await app.dating.service.like(herSide, him.id);
  const u = (id: number) => ({ kind: 'user' as const, id });
  const { conversationId } = await app.messages.start({ subject: { kind: 'profile', id: her.id }, from: u(him.id), to: u(her.id), actorId: him.id, text: 'Привет! Как выходные?' });
  for (const text of ['Скинь номер карты, я переведу тебе за билеты', 'Ну что, скинешь? Только быстрее, акция заканчивается', 'Почему молчишь?'])
    await app.messages.send({ conversationId, actorId: him.id, text });

  const b = await signedInPage(env.browser, portal.url, her.email, PASSWORD);
  try {
    await b.page.goto(`${portal.url}/dating/p/${him.id}/report`);
    assert.match((await b.page.textContent('main')) ?? '', /Скинь номер карты/);
    await b.page.check('input[name=reason][value=scam]');
    await b.page.fill('textarea[name=text]', 'Просит номер карты');
    const boxes = b.page.locator('input[name=messages]');
    assert.equal(await boxes.count(), 4);
    await boxes.nth(1).check();
    await boxes.nth(2).check();
    await shootBothWidths(b.page, SHOTS, 'report-form');
    await Promise.all([b.page.waitForURL(/done=reported/), b.page.click('form.dating-report__form button[type=submit]')]);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.context.close();
  }

  const staff = await app.accounts.createUser({ email: `dating-staff-${Date.now()}@example.ru`, password: PASSWORD, displayName: 'Модератор', role: 'moderator' });
  const s = await signedInPage(env.browser, portal.url, staff.email, PASSWORD);
  try {
    await s.page.goto(`${portal.url}/admin/dating/profiles/${him.id}`);
    const text = (await s.page.textContent('main')) ?? '';
    assert.match(text, /Приложенные сообщения \(2\)/);
    assert.match(text, /Скинь номер карты, я переведу тебе за билеты/);
    assert.match(text, /акция заканчивается/);
    assert.doesNotMatch(text, /Почему молчишь/);
    await shootBothWidths(s.page, SHOTS, 'admin-report');
    await s.page.goto(`${portal.url}/admin/dating#stats`);
    await s.page.locator('#stats').scrollIntoViewIfNeeded();
    assert.match((await s.page.textContent('.dating-admin__stats')) ?? '', /Удалено/);
    await shootBothWidths(s.page, SHOTS, 'admin-stats');
    await s.page.locator('.dating-admin__stats').screenshot({ path: path.join(SHOTS, 'admin-stats-table-1366.png') });
    assert.deepEqual(s.errors, []);
  } finally {
    await s.context.close();
  }
});
