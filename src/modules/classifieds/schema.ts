// The classifieds' tables (migration 0600), merged into Kysely's DB.
import type { ColumnType, Generated } from 'kysely';

type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type FieldType = 'text' | 'number' | 'enum' | 'multi' | 'boolean' | 'year' | 'date';
export const FIELD_TYPES: readonly FieldType[] = ['text', 'number', 'enum', 'multi', 'boolean', 'year', 'date'];
export type AdStatus = 'draft' | 'moderation' | 'active' | 'rejected' | 'expired' | 'closed' | 'blocked';
export type PriceKind = 'price' | 'salary' | 'none';
export type Option = { value: string; label: string };

export interface AdCategoriesTable {
  id: Generated<number>;
  parent_id: number | null;
  slug: string;
  title: string;
  position: Generated<number>;
  max_photos: Generated<number>;
  lifetime_days: Generated<number>;
  premoderation: Generated<boolean>;
  business_verified: Generated<boolean>;
  price_kind: Generated<PriceKind>;
}
export interface AdFieldsTable {
  id: Generated<number>;
  category_id: number;
  code: string;
  label: string;
  type: FieldType;
  unit: Generated<string>;
  required: Generated<boolean>;
  searchable: Generated<boolean>;
  range_searchable: Generated<boolean>;
  min_value: number | null;
  max_value: number | null;
  options: ColumnType<Option[], string | undefined, string>;
  position: Generated<number>;
  slot: number | null;
  retired: Generated<boolean>;
}
export interface AdDistrictsTable {
  id: Generated<number>;
  slug: string;
  title: string;
  position: Generated<number>;
  /** Migration 0603: no longer offered for new ads; kept on the ads that name it. */
  archived_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}
export interface AdStorefrontsTable {
  organisation_id: number;
  slug: string;
  name: string;
  description: Generated<string>;
  address: Generated<string>;
  hours: Generated<string>;
  phone: string | null;
  logo_id: number | null;
  inn: string | null;
  verified_at: Timestamp | null;
  verified_by: number | null;
  verification_note: Generated<string>;
  created_by: number | null;
  handed_over_at: Timestamp | null;
  created_at: DefaultTimestamp;
}
export interface AdInvitesTable {
  id: Generated<number>;
  organisation_id: number;
  email: string;
  role: 'owner' | 'manager' | 'member';
  token_hash: string;
  created_by: number | null;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  accepted_by: number | null;
  created_at: DefaultTimestamp;
}
export interface AdsTable {
  id: Generated<number>;
  category_id: number;
  user_id: number | null;
  organisation_id: number | null;
  status: AdStatus;
  reject_reason: string | null;
  closed_outcome: 'sold' | 'not_sold' | null;
  title: string;
  description: string;
  price: number | null;
  negotiable: Generated<boolean>;
  salary_from: number | null;
  salary_to: number | null;
  district_id: number | null;
  phone: string | null;
  field_values: Json<Record<string, FieldValue>>;
  tokens: ColumnType<string[], string[], string[]>;
  n1: number | null;
  n2: number | null;
  n3: number | null;
  n4: number | null;
  photo_count: Generated<number>;
  cover_id: number | null;
  document: ColumnType<string | null, never, never>;
  text_hash: Generated<string>;
  external_id: string | null;
  highlighted_until: Timestamp | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  published_at: Timestamp | null;
  sort_at: DefaultTimestamp;
  expires_at: Timestamp | null;
  closed_at: Timestamp | null;
}
export type FieldValue = string | number | boolean | string[];
export interface AdPhotosTable {
  ad_id: number;
  position: number;
  image_id: number;
  hash: Generated<string>;
}
export interface AdUploadsTable {
  image_id: number;
  user_id: number;
  hash: string;
  created_at: DefaultTimestamp;
}
export interface AdFavouritesTable {
  user_id: number;
  ad_id: number;
  price: number | null;
  created_at: DefaultTimestamp;
}
export interface AdSavedSearchesTable {
  id: Generated<number>;
  user_id: number;
  query: string;
  label: string;
  seen_until: Timestamp;
  token: string;
  created_at: DefaultTimestamp;
}
export interface AdRevealsTable {
  id: Generated<number>;
  ad_id: number;
  reader: string;
  ip_hash: string;
  created_at: DefaultTimestamp;
}
export interface AdViewersTable {
  ad_id: number;
  day: ColumnType<string, string, string>;
  reader: string;
}
export interface AdStatsTable {
  ad_id: number;
  day: ColumnType<string, string, string>;
  organisation_id: number | null;
  user_id: number | null;
  views: Generated<number>;
  uniques: Generated<number>;
  reveals: Generated<number>;
  conversations: Generated<number>;
  favourites: Generated<number>;
}
export interface AdShopDaysTable {
  organisation_id: number;
  day: ColumnType<string, string, string>;
  views: Generated<number>;
  uniques: Generated<number>;
  reveals: Generated<number>;
  conversations: Generated<number>;
  favourites: Generated<number>;
}
export interface AdResponsesTable {
  organisation_id: Generated<number>;
  user_id: number;
  day: ColumnType<string, string, string>;
  answers: Generated<number>;
  total_ms: Generated<number>;
  conversations: Generated<number>;
}
export interface AdFeedsTable {
  organisation_id: number;
  url: string;
  last_run_at: Timestamp | null;
  report: ColumnType<unknown, string | undefined, string>;
  /** The manager who set the feed: scheduled runs import as them (migration 0602). */
  set_by: ColumnType<number | null, number | null | undefined, number | null>;
}

declare module '../../db/schema.js' {
  interface DB {
    ad_categories: AdCategoriesTable;
    ad_fields: AdFieldsTable;
    ad_districts: AdDistrictsTable;
    ad_storefronts: AdStorefrontsTable;
    ad_invites: AdInvitesTable;
    ads: AdsTable;
    ad_photos: AdPhotosTable;
    ad_uploads: AdUploadsTable;
    ad_favourites: AdFavouritesTable;
    ad_saved_searches: AdSavedSearchesTable;
    ad_reveals: AdRevealsTable;
    ad_viewers: AdViewersTable;
    ad_stats: AdStatsTable;
    ad_responses: AdResponsesTable;
    ad_shop_days: AdShopDaysTable;
    ad_feeds: AdFeedsTable;
  }
}
export {};
