// Sitemaps by the `sitemap` library: an index, every article, the Google News
// sitemap (articles of the last two days) and the listing pages.
import { Readable } from 'node:stream';
import { SitemapIndexStream, SitemapStream, streamToPromise, type SitemapItemLoose } from 'sitemap';

export async function sitemapXml(hostname: string, items: SitemapItemLoose[]): Promise<string> {
  const stream = new SitemapStream({ hostname, xmlns: { news: items.some((i) => i.news), xhtml: false, image: false, video: false } });
  return (await streamToPromise(Readable.from(items).pipe(stream))).toString();
}

export async function sitemapIndexXml(urls: string[]): Promise<string> {
  const stream = new SitemapIndexStream();
  return (await streamToPromise(Readable.from(urls.map((url) => ({ url }))).pipe(stream))).toString();
}
