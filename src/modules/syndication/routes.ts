// Feeds, sitemaps and robots.txt. Cached like pages and purged with the 'feeds' tag.
import fp from 'fastify-plugin';
import { EnumChangefreq } from 'sitemap';
import type { App } from '../../types.js';
import { HttpError } from '../../platform/errors.js';
import { i18n } from '../../platform/i18n/index.js';
import { plain, xml } from '../../platform/openapi.js';
import { authorPath, sectionPath, storyPath, tagPath } from '../content/index.js';
import { rssFeed, yandexFeed, type FeedSite } from './feeds.js';
import { sitemapIndexXml, sitemapXml } from './sitemaps.js';

const RSS = 'application/rss+xml; charset=utf-8';
const XML = 'application/xml; charset=utf-8';
const FEED_SIZE = 50;
const NEWS_WINDOW_MS = 2 * 24 * 3600_000;

async function syndicationModule(app: App) {
  const { content } = app;
  const tags = ['feeds'];
  const feed = (summary: string) => ({ config: { pageCache: true }, schema: { tags, summary, response: { 200: xml('application/rss+xml', 'RSS 2.0') } } });
  const sitemap = (summary: string) => ({ config: { pageCache: true }, schema: { tags, summary, response: { 200: xml('application/xml', 'Sitemap XML') } } });
  // Feeds are for aggregators, not for one reader: always in Russian.
  const ru = i18n('ru', app.config.timezone);
  const site = (): FeedSite => ({ name: app.config.siteName, url: app.config.publicUrl, description: `${app.config.siteName}: ${ru.t('site.tagline')}` });

  app.get('/rss.xml', feed('The latest articles of the whole site'), async (req, reply) => {
    const items = await content.cards(await content.publishedSince(null, FEED_SIZE));
    return app.pages.sendText(req, reply, rssFeed(site(), { title: app.config.siteName, selfPath: '/rss.xml', link: '/' }, items), RSS, ['feeds']);
  });

  app.get('/rss/:file', feed('yandex.xml: the feed for Yandex (full texts); <section>.xml: a section’s articles'), async (req, reply) => {
    const file = (req.params as { file: string }).file;
    if (file === 'yandex.xml') {
      const ids = await content.publishedSince(new Date(app.clock.now().getTime() - 8 * 24 * 3600_000), FEED_SIZE);
      const full = (await Promise.all(ids.map((id) => content.article(id)))).filter((a) => a !== null);
      return app.pages.sendText(req, reply, yandexFeed(site(), full), RSS, ['feeds']);
    }
    const slug = /^([a-z0-9-]{1,80})\.xml$/.exec(file)?.[1];
    const tree = await content.sections();
    const section = slug ? tree.bySlugOf(slug) : undefined;
    if (!section) throw new HttpError(404, 'not_found', 'Ленты нет');
    const items = await content.cards(await content.publishedSince(null, FEED_SIZE, tree.subtreeIds(section.id)));
    const title = `${app.config.siteName}: ${section.title}`;
    return app.pages.sendText(req, reply, rssFeed(site(), { title, selfPath: `/rss/${section.slug}.xml`, link: sectionPath(section.slug) }, items), RSS, ['feeds']);
  });

  app.get('/sitemap.xml', sitemap('The sitemap index'), async (req, reply) => {
    const base = app.config.publicUrl;
    const forum = app.extensions.has('sitemap.forum') ? [`${base}/sitemap-forum.xml`] : [];
    const xml = await sitemapIndexXml([`${base}/sitemap-news.xml`, `${base}/sitemap-articles.xml`, `${base}/sitemap-pages.xml`, ...forum]);
    return app.pages.sendText(req, reply, xml, XML, ['feeds']);
  });

  app.get('/sitemap-forum.xml', sitemap('The forum’s topics (when the forums are installed)'), async (req, reply) => {
    const topics = app.extensions.get('sitemap.forum');
    if (!topics) throw new HttpError(404, 'not_found', 'Карты форума нет');
    const xml = await sitemapXml(app.config.publicUrl, (await topics()).map((t) => ({ url: t.url, lastmod: t.lastmod.toISOString() })));
    // A new topic or post purges `forum`.
    return app.pages.sendText(req, reply, xml, XML, ['feeds', 'forum']);
  });

  app.get('/sitemap-articles.xml', sitemap('Every published article'), async (req, reply) => {
    const entries = await content.sitemapEntries();
    const xml = await sitemapXml(app.config.publicUrl, entries.map((e) => ({ url: e.url, lastmod: e.updatedAt.toISOString() })));
    return app.pages.sendText(req, reply, xml, XML, ['feeds']);
  });

  app.get('/sitemap-news.xml', sitemap('Google News sitemap: the last two days'), async (req, reply) => {
    const since = new Date(app.clock.now().getTime() - NEWS_WINDOW_MS);
    const cards = await content.cards(await content.publishedSince(since, 1000));
    const xml = await sitemapXml(
      app.config.publicUrl,
      cards.map((c) => ({
        url: c.url,
        news: { publication: { name: app.config.siteName, language: 'ru' }, publication_date: c.publishedAt.toISOString(), title: c.title },
      })),
    );
    return app.pages.sendText(req, reply, xml, XML, ['feeds']);
  });

  app.get('/sitemap-pages.xml', sitemap('Home, sections, authors, tags and stories'), async (req, reply) => {
    const tree = await content.sections();
    const [authors, tags, stories] = await Promise.all([content.allAuthors(), content.allTags(), content.allStories()]);
    const urls = ['/', ...tree.all().map((s) => sectionPath(s.slug)), ...authors.map((a) => authorPath(a.slug)), ...tags.map((t) => tagPath(t.slug)), ...stories.map((s) => storyPath(s.slug))];
    const xml = await sitemapXml(app.config.publicUrl, urls.map((url) => ({ url, changefreq: EnumChangefreq.HOURLY })));
    return app.pages.sendText(req, reply, xml, XML, ['feeds']);
  });

  app.get('/robots.txt', { schema: { tags, summary: 'robots.txt', response: { 200: plain('What crawlers may visit, and the sitemap') } } }, async (_req, reply) => {
    const base = app.config.publicUrl;
    const text = ['User-agent: *', 'Disallow: /admin', 'Disallow: /api/', 'Disallow: /login', 'Disallow: /register', 'Disallow: /confirm/', 'Disallow: /logout', 'Allow: /', '', `Sitemap: ${base}/sitemap.xml`, ''].join('\n');
    return reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=3600').send(text);
  });
}

export default fp(syndicationModule, { name: 'syndication', dependencies: ['content'], decorators: { fastify: ['content'] } });
