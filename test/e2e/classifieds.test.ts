// The classifieds' walk in a browser (issue 13): an operator signs in, switches
// between two storefronts, posts an ad for one of them; a reader finds it through a
// filter, reveals the phone and writes; the operator answers from the storefront's
// shared inbox; the storefront's statistics show one view, one reveal and one
// conversation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { portalAndBrowser } from '../support/browser.js';

const held = portalAndBrowser({ demo: false });

test('operator posts for a storefront, a reader finds, reveals and writes, the operator answers, the statistics count it', { skip: held.skip }, async () => {
  const { portal, browser } = held;
  const { app } = portal;
  const operator = await app.accounts.createUser({ email: 'operator-walk@example.ru', password: 'пароль-оператора', displayName: 'Оператор Анна', role: 'reader' });
  await app.accounts.createUser({ email: 'reader-walk@example.ru', password: 'пароль-читателя', displayName: 'Читатель Пётр', role: 'reader' });
  const factory = await app.classifieds.storefronts.create({ slug: 'fabrika-walk', name: 'Фабрика для прогулки' }, operator.id);
  const dealer = await app.classifieds.storefronts.create({ slug: 'salon-walk', name: 'Автосалон для прогулки' }, operator.id);
  const signIn = async (email: string, password: string) => {
    // Headless Chromium names itself in its user agent, and bots' views are not counted: a reader's browser.
    const ctx = await browser.newContext({ baseURL: portal.url, userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36' });
    const page = await ctx.newPage();
    await page.goto('/login');
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', password);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('form[action="/login"] button[type=submit]')]);
    return { ctx, page };
  };

  // The operator switches between the two storefronts and posts for the dealer.
  const op = await signIn('operator-walk@example.ru', 'пароль-оператора');
  await op.page.goto('/ads/my/');
  await op.page.selectOption('#shop-switch', String(factory.id));
  await Promise.all([op.page.waitForURL(/shop=/), op.page.click('.ad-switcher button[type=submit]')]);
  assert.match(op.page.url(), new RegExp(`shop=${factory.id}`));
  await op.page.selectOption('#shop-switch', String(dealer.id));
  await Promise.all([op.page.waitForURL(new RegExp(`shop=${dealer.id}`)), op.page.click('.ad-switcher button[type=submit]')]);
  await Promise.all([op.page.waitForURL(/\/ads\/new/), op.page.click('a.button[href^="/ads/new"]')]);
  const cars = (await app.classifieds.catalogue()).bySlug.get('cars')!;
  await op.page.selectOption('#ad-category', String(cars.id));
  await Promise.all([op.page.waitForURL(/category=/), op.page.click('form[action="/ads/new"][method=get] button[type=submit]')]);
  await op.page.fill('#ad-title', 'Haval Jolion 2023 из салона');
  await op.page.fill('#ad-description', 'Новый автомобиль с гарантией дилера, кредит и трейд-ин.');
  await op.page.fill('#ad-price', '2150000');
  await op.page.selectOption('#field-make', 'haval');
  await op.page.fill('#field-model', 'Jolion');
  await op.page.fill('#field-year', '2023');
  await op.page.fill('#field-mileage', '15');
  await op.page.fill('#ad-phone', '8 912 765-43-21');
  await Promise.all([op.page.waitForURL(/\/ads\/cars\/\d+\/$/), op.page.click('button[name=publish]')]);
  const adUrl = new URL(op.page.url()).pathname;
  const adId = Number(/\/(\d+)\/$/.exec(adUrl)![1]);
  assert.equal((await app.classifieds.ads.byId(adId))!.organisation_id, dealer.id);

  // A reader finds it through a filter, opens it (a view), reveals the phone and writes.
  const reader = await signIn('reader-walk@example.ru', 'пароль-читателя');
  await reader.page.goto('/ads/cars/');
  await reader.page.check('input[value="make.haval"]');
  await Promise.all([reader.page.waitForURL(/f=make\.haval/), reader.page.click('.ad-filters button[type=submit]')]);
  const viewed = reader.page.waitForResponse((r) => r.url().endsWith(`/api/ads/${adId}/view`));
  await Promise.all([reader.page.waitForURL(adUrl), reader.page.click('a.ad-card__title:has-text("Haval Jolion 2023")')]);
  assert.equal((await viewed).status(), 204);
  await Promise.all([reader.page.waitForURL(/\/phone$/), reader.page.click('button:has-text("Показать телефон")')]);
  assert.match(await reader.page.textContent('.ad-phone') ?? '', /\+7 912 765 43 21/);
  await reader.page.goto(adUrl);
  await reader.page.fill('#ad-text', 'Здравствуйте! Можно посмотреть машину в субботу?');
  await Promise.all([reader.page.waitForURL(/\/me\/messages\/\d+/), reader.page.click('.ad-write button[type=submit]')]);
  const thread = new URL(reader.page.url()).pathname;

  // The operator answers from the storefront's shared inbox.
  await op.page.goto(`/me/messages?party=o:${dealer.id}`);
  assert.match(await op.page.content(), /Haval Jolion 2023/);
  await op.page.goto(thread);
  await op.page.fill('#message-text', 'Да, приезжайте в субботу к 11:00.');
  await op.page.click('form[data-messages-form] button[type=submit]');
  await op.page.waitForFunction(() => document.body.textContent?.includes('приезжайте в субботу'));

  // The storefront's statistics: one view, one reveal, one conversation.
  const csv = await op.page.request.get('/ads/shop/salon-walk/stats?format=csv');
  const row = (await csv.text()).split('\n')[1]!.split(',').map(Number);
  assert.deepEqual(row.slice(1, 5), [1, 1, 1, 1], await csv.text());
  await op.page.goto('/ads/shop/salon-walk/stats');
  assert.match(await op.page.content(), /<svg[^>]*role="img"/);
  await op.ctx.close();
  await reader.ctx.close();
});
