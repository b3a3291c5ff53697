// Syndication (RSS, the Yandex feed, sitemaps) offers nothing to other modules and
// owns no table: it reads content through content's service.
export const tables = [] as const;
