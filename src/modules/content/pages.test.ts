import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import type { ArticleCard } from './types.js';

let portal: Portal;
let latest: ArticleCard[];
before(async () => {
  portal = await startPortal();
  latest = await portal.app.content.latest({ limit: 100 });
});
after(() => portal.close());

const get = (path: string, headers?: Record<string, string>) => portal.client().get(path, headers);

describe('home page', () => {
  test('shows the lead story, latest news, section blocks, opinions and ТОП 5 in Russian', async () => {
    const res = await get('/');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /text\/html/);
    const html = res.text;
    assert.match(html, /<html lang="ru">/);
    assert.match(html, /class="lead-story"/);
    assert.match(html, /Последние новости/);
    assert.match(html, /Мнения/);
    assert.match(html, /ТОП 5/);
    assert.equal((html.match(/<h1[ >]/g) ?? []).length, 1, 'one h1');
    for (const landmark of ['<header', '<nav', '<main', '<footer', '<aside']) assert.ok(html.includes(landmark), landmark);
    // Every section with articles has its block.
    const tree = await portal.app.content.sections();
    for (const root of tree.roots().filter((s) => s.slug !== 'mnenie')) assert.ok(html.includes(`href="/text/${root.slug}/"`), root.slug);
  });

  test('opinions carry the «Мнение» label with their author name and position', async () => {
    const opinion = latest.find((c) => c.type === 'opinion')!;
    const html = (await get('/')).text;
    assert.ok(html.includes(opinion.title.replace(/"/g, '&quot;')) || html.includes(opinion.title));
    assert.match(html, /<span class="label">Мнение<\/span>/);
    assert.ok(html.includes(opinion.authors[0]!.name));
    assert.ok(html.includes(opinion.authors[0]!.position));
  });

  test('a second request is served from the page cache with an ETag, and 304 on revalidation', async () => {
    const first = await get('/');
    const second = await get('/');
    assert.equal(second.headers.get('x-cache'), 'hit');
    assert.equal(second.text, first.text);
    const etag = second.headers.get('etag')!;
    assert.ok(etag);
    assert.match(second.headers.get('cache-control')!, /s-maxage=\d+/);
    const revalidated = await get('/', { 'if-none-match': etag });
    assert.equal(revalidated.status, 304);
  });

  test('section pages are cached too, and a short article link is never stored as a page', async () => {
    await get('/text/gorod/');
    assert.equal((await get('/text/gorod/')).headers.get('x-cache'), 'hit');
    const short = latest[0]!;
    for (let i = 0; i < 2; i++) {
      const moved = await get(`/text/${short.id}/`);
      assert.equal(moved.status, 301);
      assert.equal(moved.headers.get('x-cache'), null);
    }
  });
});

describe('article page', () => {
  test('shows the rubric path, headline, date, authors, cover, body and «По теме»', async () => {
    const card = latest.find((c) => c.cover && c.section.slug !== 'mnenie' && c.authors.length)!;
    const article = (await portal.app.content.article(card.id))!;
    const res = await get(card.url);
    assert.equal(res.status, 200);
    const html = res.text;
    assert.match(html, /<nav class="breadcrumb"/);
    for (const s of article.sectionPath) assert.ok(html.includes(`<a href="/text/${s.slug}/">${s.title}</a>`), s.title);
    assert.match(html, /<h1 class="article__title"[ >]/);
    assert.equal((html.match(/<h1[ >]/g) ?? []).length, 1);
    assert.match(html, /<time dateTime="|<time datetime="/);
    assert.ok(html.includes(card.authors[0]!.name));
    assert.match(html, /<picture>/);
    assert.match(html, /srcset="[^"]+480\.webp 480w/);
    assert.match(html, /По теме/);
    assert.match(html, /class="article__body"/);
    assert.ok(Buffer.byteLength(html) < 100 * 1024, `article HTML is ${Buffer.byteLength(html)} bytes`);
  });

  test('has canonical, Open Graph, Twitter and JSON-LD NewsArticle with BreadcrumbList', async () => {
    const card = latest.find((c) => c.cover)!;
    const html = (await get(card.url)).text;
    assert.ok(html.includes(`<link rel="canonical" href="${portal.url}${card.url}"/>`));
    assert.match(html, /<meta property="og:type" content="article"\/>/);
    assert.match(html, /<meta property="og:image" content="http[^"]+\.jpg"\/>/);
    assert.match(html, /<meta name="twitter:card" content="summary_large_image"\/>/);
    const blocks = [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)].map((m) => JSON.parse(m[1]!));
    const article = blocks.find((b) => /NewsArticle$/.test(b['@type']));
    assert.ok(article, 'NewsArticle');
    assert.equal(article.headline, card.title.slice(0, 110));
    assert.ok(article.datePublished && article.dateModified && article.image?.length);
    assert.equal(article.author[0]['@type'], 'Person');
    assert.match(article.author[0].url, /\/authors\//);
    assert.equal(article.publisher.name, 'Город');
    const crumbs = blocks.find((b) => b['@type'] === 'BreadcrumbList');
    assert.ok(crumbs.itemListElement.length >= 2);
  });

  test('«По теме» lists the editor picks first', async () => {
    const [a, b, c] = latest.slice(-3);
    await portal.app.content.setRelated(a!.id, [c!.id, b!.id]);
    const related = await portal.app.content.related((await portal.app.content.article(a!.id))!);
    assert.deepEqual(related.slice(0, 2).map((r) => r.id), [c!.id, b!.id]);
    assert.ok(!related.some((r) => r.id === a!.id), 'never itself');
  });

  test('any other path to an article redirects to the canonical URL with 301', async () => {
    const card = latest[0]!;
    const wrong = [
      card.url.replace(`/text/${card.section.slug}/`, '/text/sport/'),
      card.url.slice(0, -1),
      card.url.replace(/\/\d{4}\/\d{2}\/\d{2}\//, '/2001/01/01/'),
      `/text/${card.id}/`,
    ];
    for (const path of wrong) {
      const res = await get(path);
      assert.equal(res.status, 301, path);
      assert.equal(res.headers.get('location'), card.url, path);
    }
  });

  test('unknown and unpublished articles are the Russian 404 page', async () => {
    const res = await get('/text/gorod/2026/01/01/999999/');
    assert.equal(res.status, 404);
    assert.match(res.text, /Страница не найдена/);
    assert.match(res.text, /<html lang="ru">/);
    const draftId = await portal.app.content.createArticle({ type: 'news', status: 'draft', sectionId: latest[0]!.section.id, title: 'Черновик', lead: '', body: { blocks: [] }, authorIds: [] });
    assert.equal((await get(`/text/${draftId}/`)).status, 404);
    assert.equal((await get('/text/gorod/2026/01/01/abc/')).status, 404);
  });
});

describe('section, author, tag and story pages', () => {
  test('a section lists its own and its subsections’ articles, with pagination', async () => {
    const tree = await portal.app.content.sections();
    const gorod = tree.bySlugOf('gorod')!;
    const res = await get('/text/gorod/');
    assert.equal(res.status, 200);
    assert.match(res.text, /<h1>Город<\/h1>/);
    const child = tree.children(gorod.id)[0]!;
    const childArticle = latest.find((c) => c.section.id === child.id);
    if (childArticle) assert.ok(res.text.includes(childArticle.url) || (await get('/text/gorod/?page=2')).text.includes(childArticle.url));
    const sub = await get(`/text/${child.slug}/`);
    assert.match(sub.text, /<nav class="breadcrumb"/);
    assert.match(sub.text, /<link rel="alternate" type="application\/rss\+xml" title="[^"]+" href="\/rss\/[a-z-]+\.xml"\/>/);
  });

  test('bad paging is a 400, a page past the end a 404, never a 500', async () => {
    for (const q of ['?page=-1', '?page=abc', '?page=0', '?page=99999999999999999999', '?page=1.5']) {
      const res = await get(`/text/gorod/${q}`);
      assert.equal(res.status, 400, q);
      assert.match(res.text, /Номер страницы|Неверн/, q);
    }
    assert.equal((await get('/text/gorod/?page=999')).status, 404);
    assert.equal((await get('/authors/nobody/?page=x')).status, 400);
  });

  test('unknown sections, authors, tags and stories are 404 in Russian', async () => {
    for (const path of ['/text/no-such-section/', '/authors/nobody/', '/tags/nothing/', '/story/none/', '/no/such/page']) {
      const res = await get(path);
      assert.equal(res.status, 404, path);
      assert.match(res.text, /Страница не найдена/, path);
    }
  });

  test('author, tag and story pages list their articles', async () => {
    const card = latest.find((c) => c.authors.length)!;
    const author = await get(`/authors/${card.authors[0]!.slug}/`);
    assert.equal(author.status, 200);
    assert.ok(author.text.includes(card.authors[0]!.name));
    const article = (await portal.app.content.article(latest.find((c) => c.id)!.id))!;
    const tagged = (await Promise.all(latest.map((c) => portal.app.content.article(c.id)))).find((a) => a!.tags.length && a!.story)!;
    const tag = await get(`/tags/${tagged.tags[0]!.slug}/`);
    assert.equal(tag.status, 200);
    assert.ok(tag.text.includes(`Тег: ${tagged.tags[0]!.title}`));
    const story = await get(`/story/${tagged.story!.slug}/`);
    assert.equal(story.status, 200);
    assert.ok(story.text.includes(tagged.story!.title));
    assert.ok(story.text.includes(tagged.url));
    assert.ok(article);
  });

  test('malformed paths and percent-encoding are a 400, not a 500', async () => {
    for (const path of ['/text/%E0%A4%A/', '/tags/%/', '/text/gorod/?' + 'q=1&'.repeat(1000), '/text/' + 'a'.repeat(5000) + '/']) {
      const res = await get(path);
      assert.equal(res.status, 400, path.slice(0, 40));
      assert.match(res.text, /Адрес страницы повреждён/, path.slice(0, 40));
    }
    const json = await get('/text/%E0%A4%A/', { accept: 'application/json' });
    assert.equal(json.json().error.code, 'FST_ERR_BAD_URL');
  });
});

describe('security headers', () => {
  test('every page type carries CSP without inline scripts, nosniff, referrer policy and frame-ancestors', async () => {
    const card = latest[0]!;
    for (const path of ['/', card.url, '/text/gorod/', '/login', '/rss.xml', '/nope']) {
      const res = await get(path);
      const csp = res.headers.get('content-security-policy')!;
      assert.ok(csp, path);
      assert.match(csp, /script-src 'self'(;|$)/, path);
      assert.doesNotMatch(csp, /unsafe-inline'[^;]*script|script-src[^;]*unsafe-inline/, path);
      assert.match(csp, /frame-ancestors 'self'/, path);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(res.headers.get('referrer-policy'), 'strict-origin-when-cross-origin', path);
    }
  });
});
