// Dating in Chromium: two readers make their profiles through the form, find each
// other in the search, like each other and match, one writes through messages,
// then the other blocks the writer, who no longer finds her. Screenshots of every
// dating page at 390 and 1366 px go to .tmp/dating/ (nothing wider than a phone's
// viewport), with the back office and the home page's teaser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { portalAndBrowser, shootBothWidths, signedInPage } from '../../../test/support/browser.js';

const env = portalAndBrowser({ config: { trustProxy: '127.0.0.1' } });
const { skip } = env;
const PASSWORD = 'пароль-знакомств-1';
const SHOTS = path.resolve('.tmp/dating');
let n = 0;

async function user(displayName: string, role: 'reader' | 'moderator' = 'reader') {
  const email = `dating-e2e-${++n}-${Date.now()}@example.ru`;
  const made = await env.portal.app.accounts.createUser({ email, password: PASSWORD, displayName, role });
  return { id: made.id, email };
}

const reader = (email: string) => signedInPage(env.browser, env.portal.url, email, PASSWORD);

const shoot = (page: Page, name: string) => shootBothWidths(page, SHOTS, name);

/** Fills the profile form on /dating/ and sends it. */
async function makeProfile(page: Page, p: { name: string; birth: string; gender: 'm' | 'f'; seek: 'm' | 'f'; about: string }) {
  await page.goto(env.portal.url + '/dating/');
  await page.fill('input[name=birthDate]', p.birth);
  await page.fill('input[name=displayName]', p.name);
  await page.selectOption('select[name=gender]', p.gender);
  await page.selectOption('select[name=seek]', p.seek);
  await page.fill('input[name=ageMin]', '25');
  await page.fill('input[name=ageMax]', '40');
  await page.selectOption('select[name=intention]', 'marriage');
  await page.selectOption('select[name=district]', 'Пригородный');
  await page.fill('textarea[name=about]', p.about);
  await page.check('input[name=interests][value=books]');
  await page.check('input[name=consent]');
  await page.check('input[name=rules]');
  await Promise.all([page.waitForURL(/\/dating\/me/), page.click('form[action="/dating/profile"] button[type=submit]')]);
}

const search = (page: Page) => page.goto(`${env.portal.url}/dating/search?district=${encodeURIComponent('Пригородный')}`);

test('two readers make profiles, find each other, like, match, write; a block hides her from his search', { skip }, async () => {
  const { portal } = env;
  const him = await user('Глеб');
  const her = await user('Злата');
  const anon = await env.browser.newContext({ viewport: { width: 1366, height: 900 } });
  const a = await reader(him.email);
  const b = await reader(her.email);
  try {
    const landing = await anon.newPage();
    await landing.goto(portal.url + '/dating/');
    assert.match((await landing.textContent('main, body')) ?? '', /Войдите, чтобы создать анкету/);
    await shoot(landing, 'landing');

    await a.page.goto(portal.url + '/dating/');
    await shoot(a.page, 'create');
    await makeProfile(a.page, { name: 'Глеб', birth: '1991-04-12', gender: 'm', seek: 'f', about: 'Инженер, читаю фантастику, люблю длинные прогулки.' });
    await makeProfile(b.page, { name: 'Злата', birth: '1994-09-03', gender: 'f', seek: 'm', about: 'Библиотекарь. Ищу того, с кем можно молчать о книгах.' });
    await shoot(b.page, 'me');

    // He finds her in the search and likes her from her profile.
    await search(a.page);
    await shoot(a.page, 'search');
    await Promise.all([a.page.waitForURL(/\/dating\/p\/\d+/), a.page.click(`a[href="/dating/p/${her.id}"]`)]);
    const profileText = (await a.page.textContent('main, body')) ?? '';
    assert.match(profileText, /Злата/);
    assert.match(profileText, /Библиотекарь/);
    assert.doesNotMatch(profileText, /1994-09-03|03\.09\.1994/, 'never the birth date');
    await shoot(a.page, 'profile');
    await Promise.all([a.page.waitForURL(/done=liked/), a.page.click(`form[action="/dating/p/${her.id}/like"] button`)]);

    // She sees him in «Вы понравились», likes back: a match.
    await b.page.goto(portal.url + '/dating/likes');
    assert.match((await b.page.textContent('main, body')) ?? '', /Глеб/);
    await shoot(b.page, 'likes');
    await b.page.goto(`${portal.url}/dating/p/${him.id}`);
    await Promise.all([b.page.waitForURL(/done=matched/), b.page.click(`form[action="/dating/p/${him.id}/like"] button`)]);
    assert.match((await b.page.textContent('main, body')) ?? '', /Это взаимно/);

    // He writes from the match page through messages.
    await a.page.goto(portal.url + '/dating/matches');
    assert.match((await a.page.textContent('main, body')) ?? '', /Злата/);
    await shoot(a.page, 'matches');
    await Promise.all([a.page.waitForURL(/\/me\/messages\//), a.page.click('.dating-match a.button')]);
    await a.page.fill('textarea[name=text]', 'Здравствуйте, Злата! Какую книгу читаете сейчас?');
    await Promise.all([a.page.waitForURL(/\/me\/messages\/\d+/), a.page.click('form.messages-start button[type=submit]')]);
    assert.match((await a.page.textContent('main, body')) ?? '', /Какую книгу читаете/);

    // The stream and the home page's teaser (no faces in the cached HTML; the island brings them).
    await a.page.goto(portal.url + '/dating/');
    await shoot(a.page, 'stream');
    await a.page.goto(portal.url + '/');
    await a.page.waitForSelector('.dating-teaser');
    await a.page.locator('.dating-teaser').scrollIntoViewIfNeeded();
    await a.page.locator('.dating-teaser').screenshot({ path: path.join(SHOTS, 'teaser-1366.png') });

    // She blocks him: he no longer finds her, nor opens her profile.
    await b.page.goto(`${portal.url}/dating/p/${him.id}`);
    await Promise.all([b.page.waitForURL(/done=blocked/), b.page.click(`form[action="/dating/p/${him.id}/block"] button`)]);
    await search(a.page);
    assert.equal(await a.page.locator(`a[href="/dating/p/${her.id}"]`).count(), 0);
    const gone = await a.page.goto(`${portal.url}/dating/p/${her.id}`);
    assert.equal(gone?.status(), 404);

    // The back office.
    const staff = await user('Модератор Знакомств', 'moderator');
    const s = await reader(staff.email);
    await s.page.goto(portal.url + '/admin/dating');
    assert.match((await s.page.textContent('main, body')) ?? '', /Фото на проверке/);
    await shoot(s.page, 'admin');
    await s.context.close();

    // The one error expected: the 404 of her profile after the block.
    assert.deepEqual([...a.errors, ...b.errors].filter((e) => !e.includes(`404 (Not Found) (${portal.url}/dating/p/${her.id})`)), []);
  } finally {
    await anon.close();
    await a.context.close();
    await b.context.close();
  }
});
