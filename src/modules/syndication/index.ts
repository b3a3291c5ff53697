// Syndication (RSS, the Yandex feed, sitemaps) offers nothing to other modules and
// owns no table: it reads content through content's service.
export const tables = [] as const;

declare module '../../platform/extensions.js' {
  interface ExtensionPoints {
    /** The forum's topics for the sitemap, newest first (the forums module answers). */
    'sitemap.forum': () => Promise<{ url: string; lastmod: Date }[]>;
  }
}
