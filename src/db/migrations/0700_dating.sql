-- Dating («Знакомства», modules/dating): one profile per account, its photos, the
-- pair of two profiles (likes, skips, the match), blocks, reports and photo
-- verification. Intention, whom the person looks for and «about me» are special
-- personal data (152-FZ art. 10): stored only encrypted (AES-256-GCM, `*_enc`),
-- with keyed hashes (`*_key`, HMAC) of the two that search filters on.
create table dating_profiles (
  user_id integer primary key references users (id) on delete cascade,
  display_name text not null,
  birth_date date not null,
  gender text not null check (gender in ('m', 'f')),
  seek_enc text not null,
  seek_key text not null,
  intention_enc text not null,
  intention_key text not null,
  about_enc text not null,
  age_min smallint not null check (age_min between 18 and 99),
  age_max smallint not null check (age_max between 18 and 99 and age_max >= age_min),
  district text not null,
  interests text not null default '',
  visibility text not null default 'visible' check (visibility in ('visible', 'hidden', 'paused')),
  teaser boolean not null default false,
  photo_count smallint not null default 0,
  consent_version text not null,
  consent_text text not null,
  consent_at timestamptz not null,
  consent_ip_hash text not null,
  rules_at timestamptz not null,
  -- Hidden from everyone until staff decide: 'underage' (a report), 'banned' (staff).
  held text check (held in ('underage', 'banned')),
  verified_at timestamptz,
  last_seen_at timestamptz not null default now(),
  created_at timestamptz not null default now()
);
-- The compatible search: who may appear (visible, not held), by the hard filters.
create index dating_profiles_search_idx on dating_profiles (intention_key, gender, seek_key, birth_date) where visibility = 'visible' and held is null;
-- The same with a district, which most searches name (a tenth of the rows).
create index dating_profiles_district_idx on dating_profiles (intention_key, district, gender, birth_date) where visibility = 'visible' and held is null;
create index dating_profiles_created_idx on dating_profiles (created_at);

create table dating_photos (
  id serial primary key,
  user_id integer not null references dating_profiles (user_id) on delete cascade,
  image_id integer not null,
  position smallint not null default 0,
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
  created_at timestamptz not null default now()
);
create index dating_photos_user_idx on dating_photos (user_id, position);
create index dating_photos_pending_idx on dating_photos (created_at) where status = 'pending';

-- One row per pair (low_id < high_id): each side's like and skip, and the match,
-- which the like that completes it sets under the row's lock (exact under
-- concurrent mutual likes).
create table dating_pairs (
  low_id integer not null references dating_profiles (user_id) on delete cascade,
  high_id integer not null references dating_profiles (user_id) on delete cascade,
  low_like timestamptz,
  high_like timestamptz,
  low_skip timestamptz,
  high_skip timestamptz,
  matched_at timestamptz,
  primary key (low_id, high_id),
  check (low_id < high_id)
);
create index dating_pairs_high_idx on dating_pairs (high_id);
create index dating_pairs_matched_idx on dating_pairs (matched_at) where matched_at is not null;

create table dating_blocks (
  blocker_id integer not null references users (id) on delete cascade,
  blocked_id integer not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (blocker_id, blocked_id)
);
create index dating_blocks_blocked_idx on dating_blocks (blocked_id);

-- Reports survive the reporter's unmatch; not the reported profile's deletion.
create table dating_reports (
  id serial primary key,
  reporter_id integer not null references users (id) on delete cascade,
  target_id integer not null references dating_profiles (user_id) on delete cascade,
  reason text not null check (reason in ('fake', 'underage', 'spam', 'offensive', 'scam')),
  text text not null default '',
  status text not null default 'open' check (status in ('open', 'upheld', 'dismissed')),
  created_at timestamptz not null default now(),
  decided_at timestamptz,
  unique (reporter_id, target_id, reason)
);
create index dating_reports_open_idx on dating_reports (target_id) where status = 'open';
create index dating_reports_created_idx on dating_reports (created_at);

create table dating_verifications (
  id serial primary key,
  user_id integer not null references dating_profiles (user_id) on delete cascade,
  pose text not null,
  image_id integer,
  status text not null default 'asked' check (status in ('asked', 'pending', 'approved', 'rejected')),
  created_at timestamptz not null default now(),
  decided_at timestamptz
);
create index dating_verifications_user_idx on dating_verifications (user_id, id);
