// RSS 2.0 for the site and each section, and the full-text feed for news
// aggregators after Yandex's conventions (yandex:full-text, yandex:genre), both
// made by the `feed` library.
import { Feed } from 'feed';
import { largestJpeg } from '../media/index.js';
import type { ArticleCard, ArticleFull } from '../content/index.js';

export interface FeedSite {
  name: string;
  url: string;
  description: string;
}

const YANDEX_NS = 'xmlns:yandex="http://news.yandex.ru" xmlns:media="http://search.yahoo.com/mrss/"';

function baseFeed(site: FeedSite, title: string, selfPath: string, link: string, updated: Date | undefined): Feed {
  return new Feed({
    id: site.url + link,
    title,
    description: site.description,
    link: site.url + link,
    language: 'ru',
    updated,
    generator: 'Gorod',
    feedLinks: { rss: site.url + selfPath },
    copyright: `© ${site.name}`,
    image: site.url + '/favicon.svg',
  });
}

/**
 * Titles and leads are plain text, but the `feed` library puts them raw into CDATA,
 * where a feed reader reads them as HTML (a title «<img onerror=…>» is markup to
 * it). Escaped here, they reach the reader as the text they are.
 */
export function asText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** What every feed says of an article. */
function itemOf(a: ArticleCard, site: FeedSite) {
  return {
    title: asText(a.title),
    id: site.url + a.url,
    link: site.url + a.url,
    date: a.publishedAt,
    published: a.publishedAt,
    description: asText(a.lead),
    category: [{ name: a.section.title }],
    author: a.authors.map((au) => ({ name: au.name })),
    enclosure: a.cover ? { url: site.url + largestJpeg(a.cover), type: 'image/jpeg', length: 0 } : undefined,
  };
}

export function rssFeed(site: FeedSite, opts: { title: string; selfPath: string; link: string }, items: ArticleCard[]): string {
  const feed = baseFeed(site, opts.title, opts.selfPath, opts.link, items[0]?.publishedAt);
  for (const a of items) feed.addItem(itemOf(a, site));
  return feed.rss2();
}

const GENRE = { news: 'message', opinion: 'article', feature: 'article' } as const;

export function yandexFeed(site: FeedSite, items: ArticleFull[]): string {
  const feed = baseFeed(site, site.name, '/rss/yandex.xml', '/', items[0]?.publishedAt);
  for (const a of items) {
    feed.addItem({
      ...itemOf(a, site),
      extensions: [
        { name: 'yandex:genre', objects: { _text: GENRE[a.type] } },
        { name: 'yandex:full-text', objects: { _text: a.bodyText } },
      ],
    });
  }
  // The `feed` library has no option for extra root namespaces; declare them here.
  return feed.rss2().replace('<rss version="2.0"', `<rss version="2.0" ${YANDEX_NS}`);
}
