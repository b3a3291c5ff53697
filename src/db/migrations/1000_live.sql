-- Live coverage («Онлайн», modules/live): which articles are live and when, and
-- their entries as an append-only log of versions. Numbered after content's
-- `articles` (0003), whose rows it refers to.
create table live_articles (
  article_id integer primary key references articles (id) on delete cascade,
  starts_at timestamptz not null,
  ends_at timestamptz,
  entry_order text not null default 'newest' check (entry_order in ('newest', 'oldest')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index live_articles_open_idx on live_articles (ends_at);

-- An entry's identity: its number (`#entry-N`, `/…/entry/N/`) and article.
create table live_entries (
  id serial primary key,
  article_id integer not null references live_articles (article_id) on delete cascade,
  created_by integer,
  created_at timestamptz not null default now()
);
create index live_entries_article_idx on live_entries (article_id, id);

-- Every change of an entry is a new row (an edit, a pin, publishing a draft, a
-- deletion's tombstone); readers see each entry's latest. `id` is the sequence the
-- event stream's «changed up to N» counts: within an article the writes are
-- serialised (the live_articles row is locked), so ids commit in order.
create table live_entry_versions (
  id serial primary key,
  entry_id integer not null references live_entries (id) on delete cascade,
  article_id integer not null,
  version integer not null,
  status text not null check (status in ('draft', 'published', 'deleted')),
  title text not null default '',
  blocks jsonb not null,
  body_text text not null default '',
  key_event boolean not null default false,
  pinned boolean not null default false,
  at timestamptz not null,
  author_id integer,
  author_name text not null default '',
  created_by integer,
  created_at timestamptz not null default now(),
  unique (entry_id, version)
);
create index live_entry_versions_article_idx on live_entry_versions (article_id, id);
