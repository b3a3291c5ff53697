// Structured data for search engines: NewsArticle and BreadcrumbList in JSON-LD.
import { largestJpeg } from '../media/index.js';
import type { ArticleFull } from './types.js';
import { authorPath, sectionPath } from './urls.js';

export function articleJsonLd(a: ArticleFull, site: { name: string; url: string }): object[] {
  const url = site.url + a.url;
  return [
    {
      '@context': 'https://schema.org',
      '@type': a.type === 'opinion' ? 'OpinionNewsArticle' : 'NewsArticle',
      mainEntityOfPage: { '@type': 'WebPage', '@id': url },
      headline: a.title.slice(0, 110),
      description: a.lead,
      ...(a.cover ? { image: [site.url + largestJpeg(a.cover)] } : {}),
      datePublished: a.publishedAt.toISOString(),
      dateModified: (a.updatedAt > a.publishedAt ? a.updatedAt : a.publishedAt).toISOString(),
      articleSection: a.sectionPath.map((s) => s.title),
      keywords: a.tags.map((t) => t.title).join(', ') || undefined,
      author: a.authors.map((au) => ({ '@type': 'Person', name: au.name, url: site.url + authorPath(au.slug), ...(au.position ? { jobTitle: au.position } : {}) })),
      publisher: { '@type': 'NewsMediaOrganization', name: site.name, url: site.url + '/', logo: { '@type': 'ImageObject', url: site.url + '/favicon.svg' } },
    },
    {
      '@context': 'https://schema.org',
      '@type': 'BreadcrumbList',
      itemListElement: [
        ...a.sectionPath.map((s, i) => ({ '@type': 'ListItem', position: i + 1, name: s.title, item: site.url + sectionPath(s.slug) })),
        { '@type': 'ListItem', position: a.sectionPath.length + 1, name: a.title, item: url },
      ],
    },
  ];
}
