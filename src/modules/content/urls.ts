// Public URLs of content. An article's canonical URL carries its section and its
// publication date in the portal's zone; the numeric id is what identifies it, so
// any other path with that id redirects here.
import { slugify as transliterate } from 'transliteration';
import { zonedParts } from '../../platform/i18n/index.js';

export function slugify(title: string): string {
  return transliterate(title.replace(/ё/g, 'е').replace(/Ё/g, 'Е'), { lowercase: true, separator: '-', trim: true }).replace(/[^a-z0-9-]/g, '').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, 80);
}

export function articlePath(a: { id: number; sectionSlug: string; publishedAt: Date | null }, timezone: string): string {
  const when = a.publishedAt ?? new Date();
  const { yyyy, mm, dd } = zonedParts(when, timezone);
  return `/text/${a.sectionSlug}/${yyyy}/${mm}/${dd}/${a.id}/`;
}

export const sectionPath = (slug: string) => `/text/${slug}/`;
export const authorPath = (slug: string) => `/authors/${slug}/`;
export const tagPath = (slug: string) => `/tags/${slug}/`;
export const storyPath = (slug: string) => `/story/${slug}/`;
