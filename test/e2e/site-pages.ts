// The pages a reader and an editor meet, found in the demo portal, and browser
// contexts signed in as each: shared by the layout, menu and accessibility tests.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startPortal, type Portal } from '../support/portal.js';
import { launchBrowser } from '../support/browser.js';
import { authorPath, storyPath, tagPath } from '../../src/modules/content/urls.js';

export interface SitePage {
  name: string;
  path: string;
  /** Who must be signed in to see it. */
  as?: 'reader' | 'editor';
}

export const READER = { email: 'chitatel@example.ru', password: 'пароль-читателя', displayName: 'Читатель' };
export const EDITOR = { email: 'vypuskayushchiy@example.ru', password: 'пароль-редактора', displayName: 'Выпускающий', role: 'editor' as const };

/** Every kind of page, with a real address in the demo portal. */
export async function sitePages(portal: Portal): Promise<SitePage[]> {
  const { db } = portal.app.database;
  const [news] = await portal.app.content.cards(await portal.app.content.latestIds({ limit: 1, type: 'news' }));
  const [opinion] = await portal.app.content.latest({ type: 'opinion', limit: 1 });
  const author = await db.selectFrom('authors').select('slug').orderBy('id').executeTakeFirstOrThrow();
  const tag = await db.selectFrom('tags').select('slug').orderBy('id').executeTakeFirstOrThrow();
  const story = await db.selectFrom('stories').select('slug').orderBy('id').executeTakeFirstOrThrow();
  const sectionHref = portal.app.pages.nav[0]!.href;
  const typoArticle = await db.selectFrom('articles').select('id').orderBy('id').executeTakeFirstOrThrow();
  return [
    { name: 'home', path: '/' },
    { name: 'section', path: sectionHref },
    { name: 'article', path: news!.url },
    { name: 'opinion', path: opinion!.url },
    { name: 'search', path: '/search?q=' + encodeURIComponent('трамвай') },
    { name: 'author', path: authorPath(author.slug) },
    { name: 'tag', path: tagPath(tag.slug) },
    { name: 'story', path: storyPath(story.slug) },
    { name: 'sign-in', path: '/login' },
    { name: 'account', path: '/account', as: 'reader' },
    { name: '404', path: '/no-such-page/' },
    { name: 'admin', path: '/admin', as: 'editor' },
    { name: 'admin articles', path: '/admin/articles', as: 'editor' },
    { name: 'admin editor', path: `/admin/articles/${typoArticle.id}/edit`, as: 'editor' },
    { name: 'admin typos', path: '/admin/typos', as: 'editor' },
  ];
}

export async function createPeople(portal: Portal): Promise<void> {
  await portal.app.accounts.createUser({ ...READER, role: 'reader' });
  await portal.app.accounts.createUser(EDITOR);
}

/** A browser context signed in as a reader or an editor (or nobody). */
export async function contextAs(browser: Browser, portal: Portal, who: SitePage['as'], width: number): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  if (!who) return context;
  const person = who === 'reader' ? READER : EDITOR;
  const page = await context.newPage();
  await page.goto(portal.url + '/login');
  await page.fill('input[name=email]', person.email);
  await page.fill('input[name=password]', person.password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('form[action="/login"] button[type=submit]')]);
  await page.close();
  return context;
}

/** Loads each page once, signed in as it needs, and hands it to `check`. */
export async function visitEach(browser: Browser, portal: Portal, pages: SitePage[], width: number, check: (page: Page, p: SitePage) => Promise<void>): Promise<void> {
  for (const who of [undefined, 'reader', 'editor'] as const) {
    const mine = pages.filter((x) => x.as === who);
    if (!mine.length) continue;
    const context = await contextAs(browser, portal, who, width);
    const page = await context.newPage();
    for (const p of mine) {
      await page.goto(portal.url + p.path, { waitUntil: 'load' });
      await check(page, p);
    }
    await context.close();
  }
}

/** A demo portal with its people, a browser, and the named pages of the portal. */
export async function openSite(names: string[]): Promise<{ portal: Portal; browser: Browser; pages: SitePage[] }> {
  const portal = await startPortal();
  const browser = await launchBrowser();
  await createPeople(portal);
  return { portal, browser, pages: (await sitePages(portal)).filter((p) => names.includes(p.name)) };
}
