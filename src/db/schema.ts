// Table types for Kysely, kept by hand beside the migrations that create them.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type Role = 'reader' | 'author' | 'editor' | 'moderator' | 'admin';
export type ArticleType = 'news' | 'opinion' | 'feature';
export type ArticleStatus = 'draft' | 'review' | 'scheduled' | 'published' | 'unpublished';

export interface ImageVariant {
  width: number;
  format: 'webp' | 'jpeg';
  file: string;
  bytes: number;
}

export interface Block {
  id?: string;
  type: string;
  data: Record<string, unknown>;
}
export interface ArticleBody {
  blocks: Block[];
  time?: number;
  version?: string;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  password_hash: string;
  display_name: string;
  role: Generated<Role>;
  email_confirmed_at: Timestamp | null;
  created_at: DefaultTimestamp;
}
export interface SessionsTable {
  id: string;
  user_id: number;
  csrf_token: string;
  user_agent: Generated<string>;
  created_at: DefaultTimestamp;
  last_seen_at: DefaultTimestamp;
  expires_at: Timestamp;
}
export interface EmailTokensTable {
  token_hash: string;
  user_id: number;
  purpose: 'confirm' | 'reset';
  expires_at: Timestamp;
  used_at: Timestamp | null;
}
export interface ImagesTable {
  id: Generated<number>;
  storage_key: string;
  mime: string;
  width: number;
  height: number;
  bytes: number;
  variants: Json<ImageVariant[]>;
  alt: Generated<string>;
  created_by: number | null;
  created_at: DefaultTimestamp;
}
export interface SectionsTable {
  id: Generated<number>;
  parent_id: number | null;
  slug: string;
  title: string;
  description: Generated<string>;
  position: Generated<number>;
  comments_mode: Generated<'members' | 'guests' | 'closed'>;
  premoderation: Generated<boolean>;
}
export interface SectionRedirectsTable {
  old_slug: string;
  section_id: number;
}
export interface AuthorsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  position: Generated<string>;
  bio: Generated<string>;
  photo_id: number | null;
  user_id: number | null;
}
export interface TagsTable {
  id: Generated<number>;
  slug: string;
  title: string;
}
export interface StoriesTable {
  id: Generated<number>;
  slug: string;
  title: string;
  description: Generated<string>;
}
export interface ArticlesTable {
  id: Generated<number>;
  type: Generated<ArticleType>;
  status: Generated<ArticleStatus>;
  section_id: number;
  story_id: number | null;
  title: string;
  lead: Generated<string>;
  body: Json<ArticleBody>;
  body_text: Generated<string>;
  cover_image_id: number | null;
  cover_caption: Generated<string>;
  cover_credit: Generated<string>;
  seo_title: Generated<string>;
  seo_description: Generated<string>;
  revision: Generated<number>;
  published_at: Timestamp | null;
  scheduled_at: Timestamp | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}
export interface ArticleAuthorsTable {
  article_id: number;
  author_id: number;
  position: Generated<number>;
}
export interface ArticleTagsTable {
  article_id: number;
  tag_id: number;
}
export interface ArticleRelatedTable {
  article_id: number;
  related_id: number;
  position: Generated<number>;
}
export interface ArticleRevisionsTable {
  id: Generated<number>;
  article_id: number;
  revision: number;
  title: string;
  lead: string;
  body: Json<ArticleBody>;
  created_by: number | null;
  created_at: DefaultTimestamp;
}
export interface SettingsTable {
  key: string;
  value: string;
}
export interface SchemaMigrationsTable {
  name: string;
  applied_at: DefaultTimestamp;
}

export interface DB {
  users: UsersTable;
  sessions: SessionsTable;
  email_tokens: EmailTokensTable;
  images: ImagesTable;
  sections: SectionsTable;
  section_redirects: SectionRedirectsTable;
  authors: AuthorsTable;
  tags: TagsTable;
  stories: StoriesTable;
  articles: ArticlesTable;
  article_authors: ArticleAuthorsTable;
  article_tags: ArticleTagsTable;
  article_related: ArticleRelatedTable;
  article_revisions: ArticleRevisionsTable;
  schema_migrations: SchemaMigrationsTable;
  settings: SettingsTable;
}
