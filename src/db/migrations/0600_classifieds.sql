-- Classifieds («Объявления»): a typed category tree (each leaf with its own fields),
-- the city's districts, ads with their states, photos, and what readers do with them
-- (favourites, saved searches, phone reveals, views), the lead counters per ad, per
-- storefront and per member, and the storefronts themselves (an organisation's shop
-- window: organisations and memberships stay the organisations module's).
create table ad_categories (
  id integer generated always as identity primary key,
  parent_id integer references ad_categories (id),
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,59}$'),
  title text not null check (length(title) between 1 and 120),
  position integer not null default 0,
  max_photos integer not null default 10 check (max_photos between 0 and 40),
  lifetime_days integer not null default 30 check (lifetime_days between 1 and 365),
  premoderation boolean not null default false,
  -- A storefront must be verified (INN checked by staff) to post here.
  business_verified boolean not null default false,
  -- What the price means: roubles, a salary from–to (vacancies), or nothing to ask.
  price_kind text not null default 'price' check (price_kind in ('price', 'salary', 'none'))
);
create index ad_categories_parent_idx on ad_categories (parent_id, position);

-- A leaf's fields. A field is never deleted once ads may hold it: `retired` hides it
-- from forms and filters, and ads keep their stored value.
create table ad_fields (
  id integer generated always as identity primary key,
  category_id integer not null references ad_categories (id) on delete cascade,
  code text not null check (code ~ '^[a-z][a-z0-9_]{0,39}$'),
  label text not null check (length(label) between 1 and 120),
  type text not null check (type in ('text', 'number', 'enum', 'multi', 'boolean', 'year', 'date')),
  unit text not null default '',
  required boolean not null default false,
  searchable boolean not null default false,
  range_searchable boolean not null default false,
  min_value double precision,
  max_value double precision,
  -- Allowed values of an enum or multi-enum: [{"value": "sedan", "label": "Седан"}].
  options jsonb not null default '[]',
  position integer not null default 0,
  -- The ads' numeric column (n1…n4) a range-searchable field is kept in, for fast ranges.
  slot smallint check (slot between 1 and 4),
  retired boolean not null default false,
  unique (category_id, code)
);
create unique index ad_fields_slot_key on ad_fields (category_id, slot) where slot is not null;

create table ad_districts (
  id integer generated always as identity primary key,
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,59}$'),
  title text not null,
  position integer not null default 0
);

-- A storefront: an organisation's shop window. Verification records who checked the INN.
create table ad_storefronts (
  organisation_id integer primary key references organisations (id) on delete cascade,
  -- The organisation's address and name as they were made (organisations has no rename):
  -- kept here so storefront pages never read another module's table.
  slug text not null unique,
  name text not null,
  description text not null default '',
  address text not null default '',
  hours text not null default '',
  phone text,
  logo_id integer references images (id) on delete set null,
  inn text check (inn ~ '^[0-9]{10}([0-9]{2})?$'),
  verified_at timestamptz,
  verified_by integer references users (id) on delete set null,
  verification_note text not null default '',
  -- An operator made it for a business not online yet; handed over when the owner takes it.
  created_by integer references users (id) on delete set null,
  handed_over_at timestamptz,
  created_at timestamptz not null default now()
);

create table ad_invites (
  id integer generated always as identity primary key,
  organisation_id integer not null references organisations (id) on delete cascade,
  email text not null,
  role text not null check (role in ('owner', 'manager', 'member')),
  token_hash text not null unique,
  created_by integer references users (id) on delete set null,
  expires_at timestamptz not null,
  accepted_at timestamptz,
  accepted_by integer references users (id) on delete set null,
  created_at timestamptz not null default now()
);
create index ad_invites_org_idx on ad_invites (organisation_id, created_at desc);

create table ads (
  id integer generated always as identity primary key,
  category_id integer not null references ad_categories (id),
  -- The account that wrote it (for a storefront's ad, the manager who posted it).
  user_id integer references users (id) on delete set null,
  organisation_id integer references organisations (id) on delete cascade,
  status text not null check (status in ('draft', 'moderation', 'active', 'rejected', 'expired', 'closed', 'blocked')),
  reject_reason text,
  closed_outcome text check (closed_outcome in ('sold', 'not_sold')),
  title text not null,
  description text not null,
  -- Roubles; null with `negotiable` is «договорная»; salary_from/to for vacancies.
  price bigint check (price between 0 and 1000000000000),
  negotiable boolean not null default false,
  salary_from bigint check (salary_from between 0 and 1000000000000),
  salary_to bigint check (salary_to between 0 and 1000000000000),
  district_id integer references ad_districts (id),
  -- Normalised E.164 (+7…); shown on request only.
  phone text,
  -- Field values by field id: {"12": "toyota", "13": 2015, "14": ["abs", "gps"]}.
  field_values jsonb not null default '{}',
  -- What the filters ask, as GIN tokens: c<category>, d<district>, photo, biz/private,
  -- f<field>=<value> for enums, multi-enums and booleans.
  tokens text[] not null default '{}',
  -- Range-searchable fields by their slot (ad_fields.slot).
  n1 double precision,
  n2 double precision,
  n3 double precision,
  n4 double precision,
  photo_count smallint not null default 0,
  cover_id integer references images (id) on delete set null,
  -- Title and description as lemmas (the search module's morphology).
  document tsvector,
  -- A text and photo fingerprint for duplicate detection.
  text_hash text not null default '',
  external_id text,
  highlighted_until timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  published_at timestamptz,
  -- The order of lists: publication, renewal or «Поднять».
  sort_at timestamptz not null default now(),
  expires_at timestamptz,
  closed_at timestamptz
);
create index ads_category_sort_idx on ads (category_id, sort_at desc) where status = 'active';
create index ads_category_price_idx on ads (category_id, price) where status = 'active';
create index ads_sort_idx on ads (sort_at desc) where status = 'active';
create index ads_tokens_idx on ads using gin (tokens) where status = 'active';
create index ads_document_idx on ads using gin (document) where status = 'active';
create index ads_user_idx on ads (user_id, created_at desc);
create index ads_organisation_idx on ads (organisation_id, created_at desc);
create index ads_expiry_idx on ads (expires_at) where status = 'active';
create index ads_moderation_idx on ads (created_at) where status = 'moderation';
create index ads_text_hash_idx on ads (text_hash);
create unique index ads_external_key on ads (organisation_id, external_id) where external_id is not null;

-- Photos in order; the first is the cover. `hash` is a 64-bit difference hash (hex).
create table ad_photos (
  ad_id integer not null references ads (id) on delete cascade,
  position smallint not null,
  image_id integer not null references images (id) on delete cascade,
  hash text not null default '',
  primary key (ad_id, position)
);
create index ad_photos_hash_idx on ad_photos (hash);

-- Uploaded photos waiting for their ad, with the fingerprint computed at upload.
create table ad_uploads (
  image_id integer primary key references images (id) on delete cascade,
  user_id integer not null references users (id) on delete cascade,
  hash text not null,
  created_at timestamptz not null default now()
);

create table ad_favourites (
  user_id integer not null references users (id) on delete cascade,
  ad_id integer not null references ads (id) on delete cascade,
  -- The price when it was saved, to tell of a drop.
  price bigint,
  created_at timestamptz not null default now(),
  primary key (user_id, ad_id)
);
create index ad_favourites_ad_idx on ad_favourites (ad_id);

create table ad_saved_searches (
  id integer generated always as identity primary key,
  user_id integer not null references users (id) on delete cascade,
  -- The category page's address with its query string: what the alert re-runs.
  query text not null,
  label text not null,
  -- Ads newer than this have not been told.
  seen_until timestamptz not null,
  token text not null unique,
  created_at timestamptz not null default now()
);
create index ad_saved_searches_user_idx on ad_saved_searches (user_id);

-- Each reveal of a phone is a lead.
create table ad_reveals (
  id integer generated always as identity primary key,
  ad_id integer not null references ads (id) on delete cascade,
  reader text not null,
  ip_hash text not null,
  created_at timestamptz not null default now()
);
create index ad_reveals_ad_idx on ad_reveals (ad_id, created_at);

-- A reader counted once per ad per day (unique viewers).
create table ad_viewers (
  ad_id integer not null references ads (id) on delete cascade,
  day date not null,
  reader text not null,
  primary key (ad_id, day, reader)
);

-- The lead counters per ad and day; the storefront's column makes its totals one index range.
create table ad_stats (
  ad_id integer not null references ads (id) on delete cascade,
  day date not null,
  organisation_id integer,
  user_id integer,
  views integer not null default 0,
  uniques integer not null default 0,
  reveals integer not null default 0,
  conversations integer not null default 0,
  favourites integer not null default 0,
  primary key (ad_id, day)
);
create index ad_stats_org_idx on ad_stats (organisation_id, day) where organisation_id is not null;
create index ad_stats_user_idx on ad_stats (user_id, day);

-- Answers to conversations about ads, per storefront (or private seller), member and day.
create table ad_responses (
  organisation_id integer not null default 0,
  user_id integer not null,
  day date not null,
  answers integer not null default 0,
  total_ms bigint not null default 0,
  conversations integer not null default 0,
  primary key (organisation_id, user_id, day)
);

create table ad_feeds (
  organisation_id integer primary key references organisations (id) on delete cascade,
  url text not null,
  last_run_at timestamptz,
  report jsonb not null default '{}'
);
