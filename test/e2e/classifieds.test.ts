// The classifieds' walk in a browser (issue 13): an operator signs in, switches
// between two storefronts, posts an ad for one of them; a reader finds it through a
// filter, reveals the phone and writes; the operator answers from the storefront's
// shared inbox; the storefront's statistics show one view, one reveal and one
// conversation. Then the rest of the pages: an anonymous reader reveals a
// phone (the island's check), a manager uploads the storefront's logo, a seller
// orders the photos (keyboard and drag), staff archive a district — each shot at
// 390 and 1366 px under .tmp/classifieds/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import sharp from 'sharp';
import { portalAndBrowser, shootBothWidths, signedInPage, watchErrors } from '../support/browser.js';

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
  // The island shows it in place (the page stays).
  await reader.page.click('button:has-text("Показать телефон")');
  await reader.page.waitForSelector('.ad-phone a');
  assert.match((await reader.page.textContent('.ad-phone')) ?? '', /\+7 912 765 43 21/);
  assert.equal(new URL(reader.page.url()).pathname, adUrl);
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

const SHOTS = path.resolve('.tmp/classifieds');

test('anonymous reveal, storefront logo, photo order and districts: in the browser, shot at both widths', { skip: held.skip }, async () => {
  const { portal, browser } = held;
  const { app } = portal;
  const owner = await app.accounts.createUser({ email: 'logo-walk@example.ru', password: 'пароль-владельца', displayName: 'Владелец витрины', role: 'reader' });
  await app.accounts.createUser({ email: 'staff-walk@example.ru', password: 'пароль-редактора', displayName: 'Редактор', role: 'editor' });
  const shop = await app.classifieds.storefronts.create({ slug: 'mebel-walk', name: 'Мебельная мастерская «Дуб»', description: 'Столы, стулья и шкафы из массива на заказ.', address: 'ул. Заводская, 12', hours: 'пн–сб 9:00–19:00' }, owner.id);

  // The manager uploads the logo through the settings page's form (no JavaScript needed).
  const seller = await signedInPage(browser, portal.url, 'logo-walk@example.ru', 'пароль-владельца');
  await seller.page.goto(portal.url + '/ads/shop/mebel-walk/manage');
  const logo = await sharp({ create: { width: 400, height: 400, channels: 3, background: '#7a4a1d' } })
    .composite([{ input: Buffer.from('<svg width="400" height="400"><circle cx="200" cy="200" r="150" fill="#f3d9a4"/><text x="200" y="235" font-size="110" text-anchor="middle" fill="#7a4a1d" font-family="sans-serif">Дуб</text></svg>') }])
    .png()
    .toBuffer();
  await seller.page.setInputFiles('#shop-logo', { name: 'logo.png', mimeType: 'image/png', buffer: logo });
  await Promise.all([seller.page.waitForLoadState('load'), seller.page.click('.ad-logo-form button[type=submit]')]);
  await seller.page.waitForSelector('text=Логотип сохранён');
  assert.ok(await seller.page.isVisible('.ad-logo-form img'));
  await shootBothWidths(seller.page, SHOTS, 'shop-settings-logo');

  // An ad of the storefront with three photos; the seller orders them on the edit page.
  const photos: number[] = [];
  for (const colour of ['#b33', '#3b3', '#33b']) {
    const jpeg = await sharp({ create: { width: 800, height: 600, channels: 3, background: colour } }).jpeg().toBuffer();
    const image = await app.media.store(jpeg, { createdBy: owner.id });
    await app.classifieds.addUpload(image.id, owner.id, colour === '#b33' ? 'f000000000000000' : colour === '#3b3' ? '0f00000000000000' : '00f0000000000000');
    photos.push(image.id);
  }
  const home = (await app.classifieds.catalogue()).bySlug.get('home')!;
  const ad = await app.classifieds.ads.create({ user: { id: owner.id, role: 'reader', email: 'logo-walk@example.ru', displayName: 'Владелец витрины' }, ipHash: 'walk', organisationId: shop.id }, { categoryId: home.id, title: 'Обеденный стол из дуба', description: 'Массив дуба, масло-воск, 160×90 см. Сделаем под ваш размер.', price: 42_000, phone: '8 912 111-22-33', fields: { kind: 'furniture', condition: 'new' }, photos });
  assert.equal(ad.status, 'active');
  const errors = watchErrors(seller.page);
  await seller.page.goto(portal.url + `/ads/item/${ad.id}/edit`);
  await seller.page.waitForSelector('.ad-photo-list li[draggable=true]');
  // Keyboard: focus the third photo's «Сделать обложкой» and press Enter.
  await seller.page.focus(`.ad-photo-list li[data-photo="${photos[2]}"] button[value=cover]`);
  const saved = seller.page.waitForResponse((r) => r.url().endsWith(`/api/ads/${ad.id}/photos`));
  await seller.page.keyboard.press('Enter');
  assert.equal((await saved).status(), 200);
  await seller.page.waitForSelector('text=Порядок фотографий сохранён');
  assert.deepEqual(await app.classifieds.photosOf(ad.id), [photos[2], photos[0], photos[1]]);
  // The edit form now posts its photo ids in the new order.
  assert.deepEqual(await seller.page.$$eval('form.ad-form input[name=photo_id]', (els) => els.map((e) => Number((e as HTMLInputElement).value))), [photos[2], photos[0], photos[1]]);
  // Drag the last photo to the front.
  const dragged = seller.page.waitForResponse((r) => r.url().endsWith(`/api/ads/${ad.id}/photos`));
  await seller.page.dragAndDrop(`.ad-photo-list li[data-photo="${photos[1]}"]`, `.ad-photo-list li[data-photo="${photos[2]}"]`, { targetPosition: { x: 5, y: 5 } });
  assert.equal((await dragged).status(), 200);
  assert.equal((await app.classifieds.photosOf(ad.id))[0], photos[1]);
  await seller.page.locator('#photos').scrollIntoViewIfNeeded();
  await shootBothWidths(seller.page, SHOTS, 'ad-edit-photos');
  // «От чьего имени» names the storefront; «Удалить» takes one photo off in place (the next is the cover).
  assert.equal(await seller.page.inputValue('#ad-as'), `o:${shop.id}`);
  const cover = (await app.classifieds.photosOf(ad.id))[0]!;
  const removed = seller.page.waitForResponse((r) => r.url().endsWith(`/api/ads/${ad.id}/photos/${cover}`));
  await seller.page.click(`.ad-photo-list li[data-photo="${cover}"] button[value=remove]`);
  assert.equal((await removed).status(), 200);
  await seller.page.waitForSelector('text=Фотография удалена');
  assert.equal((await seller.page.textContent('form.ad-form [data-photos-kept]'))?.trim(), 'уже загружены 2 фотографии', 'the form counts what is left');
  assert.equal(await seller.page.locator('.ad-photo-list li').count(), 2);
  assert.equal(await seller.page.locator('form.ad-form input[name=photo_id]').count(), 2);
  assert.equal((await app.classifieds.photosOf(ad.id)).length, 2);
  await seller.page.evaluate(() => window.scrollTo(0, 0));
  await shootBothWidths(seller.page, SHOTS, 'ad-edit-storefront');
  assert.deepEqual(errors, []);

  // The storefront page with its logo.
  await seller.page.goto(portal.url + '/ads/shop/mebel-walk/');
  assert.ok(await seller.page.isVisible('.ad-shop__logo img'));
  await shootBothWidths(seller.page, SHOTS, 'shop-page');
  await seller.context.close();

  // An anonymous reader opens the ad and reveals the phone (the island passes the check).
  const anon = await browser.newContext({ viewport: { width: 1366, height: 900 }, userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36' });
  const page = await anon.newPage();
  const anonErrors = watchErrors(page);
  const adUrl = `/ads/${home.slug}/${ad.id}/`;
  await page.goto(portal.url + adUrl);
  assert.ok(await page.isVisible('.ad-seller__logo img'), 'the seller box shows the storefront’s logo');
  const revealsBefore = (await app.database.db.selectFrom('ad_reveals').select('reader').where('ad_id', '=', ad.id).execute()).length;
  const calls: string[] = [];
  page.on('response', async (r) => {
    if (r.url().includes('/phone') || r.url().includes('reader-state')) calls.push(`${r.status()} ${r.url()} ${(await r.text().catch(() => '')).slice(0, 200)}`);
  });
  await page.click('button:has-text("Показать телефон")');
  await page.waitForSelector('.ad-phone a', { timeout: 15_000 }).catch(async (err) => {
    throw new Error(`${err}\n${calls.join('\n')}\n${await page.textContent('.ad-phone-block')}`);
  });
  assert.match((await page.textContent('.ad-phone')) ?? '', /\+7 912 111 22 33/);
  const reveals = await app.database.db.selectFrom('ad_reveals').select('reader').where('ad_id', '=', ad.id).execute();
  assert.equal(reveals.length, revealsBefore + 1);
  assert.match(reveals.at(-1)!.reader, /^a:/);
  await shootBothWidths(page, SHOTS, 'ad-anonymous-revealed');
  assert.deepEqual(anonErrors, []);
  await anon.close();

  // Staff archive a district in the back office.
  const staff = await signedInPage(browser, portal.url, 'staff-walk@example.ru', 'пароль-редактора');
  await staff.page.goto(portal.url + '/admin/ads#districts');
  const district = (await app.classifieds.catalogue()).liveDistricts[1]!;
  await Promise.all([staff.page.waitForURL(/saved=1/), staff.page.click(`button[aria-label="Отправить район «${district.title}» в архив"]`)]);
  assert.equal((await app.classifieds.catalogue()).districtById.get(district.id)!.archived, true);
  await staff.page.locator('#districts').scrollIntoViewIfNeeded();
  await shootBothWidths(staff.page, SHOTS, 'admin-districts');
  assert.equal(await staff.page.locator('h1').count(), 1, '/admin/ads has one title');
  await staff.page.evaluate(() => window.scrollTo(0, 0));
  await shootBothWidths(staff.page, SHOTS, 'admin-ads');
  await staff.context.close();
});
