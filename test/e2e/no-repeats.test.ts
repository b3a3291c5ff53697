// No block repeats another: «Рекомендуем» used to show the same five articles as
// «ТОП 5», lead story included. What a page already shows — its lead or the article
// being read, ТОП 5, «По теме» — is left out of «Рекомендуем» and «По теме», on the
// cached page and in the reader's own list the island puts in its place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { portalAndBrowser } from '../support/browser.js';

const env = portalAndBrowser();
const { skip } = env;

const ARTICLE = /href="\/text\/[a-z0-9-]+\/\d{4}\/\d{2}\/\d{2}\/(\d+)\/"/g;
function idsIn(html: string, block: RegExp): number[] {
  const part = html.match(block)?.[0] ?? '';
  return [...part.matchAll(ARTICLE)].map((m) => Number(m[1]));
}
const TOP5 = /<section class="block widget-top5"[\s\S]*?<\/section>/;
const RECOMMENDED = /<section class="block widget-recommended"[\s\S]*?<\/section>/;
const RELATED = /<section class="block related"[\s\S]*?<\/section>/;
const LEAD = /<article class="lead-story"[\s\S]*?<\/article>/;
const overlap = (a: number[], b: number[]) => a.filter((id) => b.includes(id));

test('on the home page «Рекомендуем» leaves out the lead and ТОП 5', async () => {
  const html = await (await fetch(env.portal.url + '/')).text();
  const lead = idsIn(html, LEAD);
  const top5 = idsIn(html, TOP5);
  const recommended = idsIn(html, RECOMMENDED);
  assert.equal(lead.length >= 1 && top5.length, 5, 'the page has a lead and ТОП 5');
  assert.ok(recommended.length >= 3, `«Рекомендуем» still has ${recommended.length} items`);
  assert.deepEqual(overlap(recommended, [...lead, ...top5]), []);
});

test('on an article page «По теме» and «Рекомендуем» leave out the article, ТОП 5 and each other', async () => {
  const home = await (await fetch(env.portal.url + '/')).text();
  // The most read article: ТОП 5 is on its own page, and it is the likeliest to repeat.
  const [first] = idsIn(home, TOP5);
  const url = home.match(new RegExp(`href="(/text/[a-z0-9-]+/\\d{4}/\\d{2}/\\d{2}/${first}/)"`))![1]!;
  const html = await (await fetch(env.portal.url + url)).text();
  const top5 = idsIn(html, TOP5);
  const related = idsIn(html, RELATED);
  const recommended = idsIn(html, RECOMMENDED);
  assert.ok(related.length >= 1 && recommended.length >= 1, 'both blocks have items');
  assert.deepEqual(overlap(related, [first!, ...top5]), []);
  assert.deepEqual(overlap(recommended, [first!, ...top5, ...related]), []);
});

test('the reader’s own «Рекомендуем» leaves out the same articles', { skip }, async () => {
  const context = await env.browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await page.goto(env.portal.url + '/');
  await page.waitForSelector('.widget-recommended[data-personal="true"]');
  const ids = async (sel: string) =>
    (await page.locator(`${sel} a`).evaluateAll((links) => links.map((a) => a.getAttribute('href')!))).map((href) => Number(href.split('/').at(-2)));
  const onPage = [...(await ids('.lead-story')), ...(await ids('.widget-top5'))];
  const recommended = await ids('.widget-recommended');
  assert.ok(recommended.length >= 3);
  assert.deepEqual(overlap(recommended, onPage), []);
  await context.close();
});
