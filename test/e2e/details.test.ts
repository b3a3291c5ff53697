// Layout details a reader noticed: «Мнения» items ran together (the «МНЕНИЕ» label
// under the previous headline, the photo beside the label), rubric blocks put four
// cards in three columns, a card without a cover left a hole, and a photo's
// caption ran into its credit («…проспекта Фото: …»).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startPortal, type Portal } from '../support/portal.js';
import { browserSkip, launchBrowser } from '../support/browser.js';

const skip = browserSkip();
let portal: Portal;
let browser: Browser;
const TITLE = 'Во дворах на Гоголя поставили новые скамейки';

before(async () => {
  if (skip) return;
  portal = await startPortal();
  browser = await launchBrowser();
  const root = (await portal.app.content.sections()).roots()[0]!;
  await portal.app.content.createArticle({
    type: 'news',
    status: 'published',
    sectionId: root.id,
    title: TITLE,
    lead: 'Жители трёх домов выбрали скамейки сами, голосованием в чате дома.',
    body: { blocks: [{ type: 'paragraph', data: { text: 'Скамейки поставили за один день.' } }] },
    authorIds: [],
    publishedAt: new Date(Date.now() - 60_000),
  });
});
after(async () => {
  await browser?.close();
  await portal?.close();
});

for (const width of [390, 1366]) {
  test(`«Мнения» items stand apart, each photo beside its author, at ${width} px`, { skip }, async () => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(portal.url + '/');
    const items = page.locator('.opinion-list > li');
    const n = await items.count();
    assert.ok(n >= 2);
    for (let i = 0; i < n; i++) {
      const item = items.nth(i);
      const photo = (await item.locator('img, .opinion-card__no-photo').first().boundingBox())!;
      const author = (await item.locator('.opinion-card__author').boundingBox())!;
      const headline = (await item.locator('.card__title').boundingBox())!;
      const middle = photo.y + photo.height / 2;
      assert.ok(middle >= author.y && middle <= author.y + author.height, `photo ${i} beside its author`);
      assert.ok(headline.y >= photo.y + photo.height - 1, `headline ${i} under the photo and author`);
      if (i > 0) {
        const prevHeadline = (await items.nth(i - 1).locator('.card__title').boundingBox())!;
        assert.ok(photo.y > prevHeadline.y + prevHeadline.height, `item ${i} starts below the previous headline`);
      }
    }
    await page.close();
  });

  test(`rubric blocks fill their rows and a card without a cover leaves no hole, at ${width} px`, { skip }, async () => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(portal.url + '/');
    const grids = page.locator('.home__rubrics .cards');
    for (let g = 0; g < (await grids.count()); g++) {
      const lefts = await grids.nth(g).locator(':scope > li').evaluateAll((lis) => lis.map((li) => Math.round(li.getBoundingClientRect().left)));
      const columns = new Set(lefts).size;
      assert.equal(lefts.length % columns, 0, `block ${g}: ${lefts.length} cards in ${columns} columns`);
    }
    const card = page.locator('.home__rubrics .card--text', { hasText: TITLE });
    assert.match((await card.locator('.card__lead').textContent()) ?? '', /голосованием/);
    if (width >= 1000) {
      // Beside cards with covers, its lead stands where their picture is.
      const row = page.locator('.home__rubrics .cards').filter({ has: page.locator('.card--text', { hasText: TITLE }) });
      const picture = (await row.locator('.card__image').first().boundingBox())!;
      const text = (await card.boundingBox())!;
      assert.ok(text.height >= picture.height, `${text.height} px against a ${picture.height} px cover`);
    }
    await page.close();
  });
}

test('a photo credit is on its own line under the caption', { skip }, async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await page.goto(portal.url + '/');
  await page.locator('.lead-story__title a').click();
  await page.waitForSelector('.article__title');
  const figure = page.locator('.article header figcaption');
  const caption = (await figure.locator('span').first().boundingBox())!;
  const credit = (await figure.locator('.credit').boundingBox())!;
  assert.ok(credit.y >= caption.y + caption.height - 1, 'the credit starts under the caption');
  await page.close();
});
