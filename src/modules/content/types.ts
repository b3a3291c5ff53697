// The shapes content hands out and takes in: cards and full articles for pages,
// the editor's fields, the back office's list. No code, so every file of the
// module (and every other module, through index.ts) may import it.
import type { ArticleBody, ArticleStatus, ArticleType } from '../../db/schema.js';
import type { ImageRef } from '../media/index.js';
import type { Section } from './sections.js';

export interface AuthorRef {
  id: number;
  slug: string;
  name: string;
  position: string;
  photo: ImageRef | null;
}

export interface ArticleCard {
  id: number;
  type: ArticleType;
  title: string;
  lead: string;
  url: string;
  publishedAt: Date;
  section: { id: number; slug: string; title: string };
  cover: ImageRef | null;
  authors: AuthorRef[];
  /** Approved comments, when the comments module is installed. */
  commentCount?: number;
  /** Live coverage running now, when the live module is installed: marked «Онлайн». */
  live?: boolean;
}

/** What other modules weigh an article by (content.readerFacts): no text, no images. */
export interface ArticleFacts {
  id: number;
  status: ArticleStatus;
  publishedAt: Date;
  sectionId: number;
  storyId: number | null;
  tagIds: number[];
}

export interface ArticleFull extends ArticleCard {
  status: ArticleStatus;
  revision: number;
  body: ArticleBody;
  bodyText: string;
  bodyImages: Map<number, ImageRef>;
  coverCaption: string;
  coverCredit: string;
  seoTitle: string;
  seoDescription: string;
  updatedAt: Date;
  sectionPath: Section[];
  tags: { id: number; slug: string; title: string }[];
  story: { id: number; slug: string; title: string } | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pages: number;
}

export interface NewArticle {
  type: ArticleType;
  status: ArticleStatus;
  sectionId: number;
  storyId?: number | null;
  title: string;
  lead: string;
  body: unknown;
  authorIds: number[];
  tagIds?: number[];
  relatedIds?: number[];
  coverImageId?: number | null;
  coverCaption?: string;
  coverCredit?: string;
  publishedAt?: Date | null;
  scheduledAt?: Date | null;
  seoTitle?: string;
  seoDescription?: string;
  createdBy?: number | null;
}

export interface ArticleFields {
  type: ArticleType;
  sectionId: number;
  storyId: number | null;
  title: string;
  lead: string;
  body: unknown;
  authorIds: number[];
  tagIds: number[];
  relatedIds: number[];
  coverImageId: number | null;
  coverCaption: string;
  coverCredit: string;
  seoTitle: string;
  seoDescription: string;
}

/** What the editor page loads: the stored fields, not the rendered article. */
export interface EditableArticle extends Omit<ArticleFields, 'body'> {
  id: number;
  status: ArticleStatus;
  revision: number;
  body: ArticleBody;
  createdBy: number | null;
  publishedAt: Date | null;
  scheduledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  url: string;
}

export interface AdminListFilter {
  status?: ArticleStatus;
  sectionId?: number;
  authorId?: number;
  type?: ArticleType;
  q?: string;
  sort?: 'updated' | 'published' | 'created' | 'title';
  /** Only articles this user started or is an author of (the author role). */
  ownerUserId?: number;
  page: number;
  size?: number;
}

export interface AdminListItem {
  id: number;
  title: string;
  type: ArticleType;
  status: ArticleStatus;
  sectionTitle: string;
  authors: string[];
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
  scheduledAt: Date | null;
  url: string;
}
