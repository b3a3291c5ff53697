-- Organisations (a shop, a club, a newsroom partner) and who acts for them: a
-- membership gives an account one role in one organisation. The shape classifieds
-- storefronts will stand on; no page uses it yet.
create table organisations (
  id integer generated always as identity primary key,
  slug text not null unique check (slug ~ '^[a-z0-9-]{1,80}$'),
  name text not null check (length(name) between 2 and 120),
  created_at timestamptz not null default now()
);

create table memberships (
  organisation_id integer not null references organisations (id) on delete cascade,
  user_id integer not null references users (id) on delete cascade,
  role text not null check (role in ('owner', 'manager', 'member')),
  created_at timestamptz not null default now(),
  primary key (organisation_id, user_id)
);
create index memberships_user_idx on memberships (user_id);
