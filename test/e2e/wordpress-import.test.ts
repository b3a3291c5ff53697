// A WordPress site moved in: a reader follows an old link (a Cyrillic permalink in
// upper-case hex, an old slug) and lands on the new page, with its blocks, its
// images and the comments that came with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { portalAndBrowser } from '../support/browser.js';

const fixtures = path.join(import.meta.dirname, '../fixtures/wordpress');
const held = portalAndBrowser({ demo: false });

test('an old WordPress address opens the imported article with its images, blocks and comments', { skip: held.skip }, async () => {
  const { portal, browser } = held;
  await portal.app.wordpressImport.run({ file: path.join(fixtures, 'zarechye.xml'), uploadsDir: path.join(fixtures, 'uploads') });
  const page = await browser.newPage({ viewport: { width: 390, height: 900 } });
  try {
    for (const old of ['/2024/05/%D0%B2-%D0%B7%D0%B0%D1%80%D0%B5%D1%87%D1%8C%D0%B5-%D0%BE%D1%82%D0%BA%D1%80%D1%8B%D0%BB%D0%B8-%D0%BC%D0%BE%D1%81%D1%82/', '/2024/05/most-otkryt', '/?p=10']) {
      const res = await page.goto(portal.url + old);
      assert.equal(res!.status(), 200, old);
      assert.match(new URL(page.url()).pathname, /^\/text\/zhkh\/2024\/05\/12\/\d+\/$/, old);
      // One redirect, straight to the canonical page.
      const chain: string[] = [];
      for (let r = res!.request().redirectedFrom(); r; r = r.redirectedFrom()) chain.push(r.url());
      assert.equal(chain.length, 1, chain.join(' → '));
    }
    assert.equal(await page.locator('h1').first().textContent(), 'В Заречье открыли мост');
    const body = page.locator('.article__body, article').first();
    assert.match(await body.innerText(), /Что изменится/);
    assert.equal(await page.locator('blockquote').count() > 0, true);
    // The pictures are the portal's own, and they load.
    const images = page.locator('article img');
    assert.ok((await images.count()) >= 1);
    for (const src of await images.evaluateAll((els) => els.map((e) => (e as HTMLImageElement).currentSrc || (e as HTMLImageElement).src))) assert.match(src, /\/uploads\//);
    await page.waitForFunction(() => [...document.querySelectorAll('article img')].every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0));
    // The approved thread came with it; the held and the spam did not show.
    await page.waitForFunction(() => document.querySelector('#comments .comments__count')?.textContent?.includes('2'));
    const comments = await page.locator('#comments').innerText();
    assert.match(comments, /Наконец-то! Спасибо строителям\./);
    assert.match(comments, /Галина, спасибо, что читаете!/);
    assert.doesNotMatch(comments, /Купите окна|паром зачем/);
  } finally {
    await page.close();
  }
});
