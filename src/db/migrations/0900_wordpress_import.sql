-- The WordPress import (src/modules/wordpress-import): what came from which site,
-- so that a second run of the same export changes nothing and a newer one adds
-- and updates; the old addresses of that site and where they lead now; the runs
-- (their progress, where an interrupted one stopped, their report).

-- A WordPress site, known by its base URL (wp:base_site_url, without the scheme).
create table wp_import_sites (
  id integer generated always as identity primary key,
  base_url text not null unique,
  created_at timestamptz not null default now()
);

-- One row per thing of the export that came in (or failed to, for media): its kind
-- ('author', 'category', 'tag', 'post', 'attachment', 'comment'), its key in
-- WordPress (the id, or an author's login, a term's slug), the row it became here,
-- and a fingerprint of what it was, to tell an unchanged item from a changed one.
create table wp_import_items (
  site_id integer not null references wp_import_sites (id) on delete cascade,
  kind text not null check (kind in ('author', 'category', 'tag', 'post', 'attachment', 'comment')),
  wp_key text not null check (length(wp_key) between 1 and 300),
  target_id integer,
  fingerprint text not null default '',
  -- A file that could not be fetched is remembered, and tried again on the next run.
  failed text not null default '',
  updated_at timestamptz not null default now(),
  primary key (site_id, kind, wp_key)
);

-- Old addresses of imported sites → what answers them now. The path is kept as a
-- key: percent-decoded, lower case, without the final slash (permalinks.ts, oldPathKey),
-- so a request in any hex case or with any trailing slash finds it. The target is a
-- kind and id resolved at request time (an article's canonical address follows its
-- section and date) or a fixed path.
create table wp_import_redirects (
  old_key text primary key check (length(old_key) between 1 and 2000),
  site_id integer not null references wp_import_sites (id) on delete cascade,
  target_kind text not null check (target_kind in ('article', 'section', 'path')),
  target_id integer,
  target_path text not null default ''
);
create index wp_import_redirects_site_idx on wp_import_redirects (site_id);

-- An import run: from the command line or the back office's upload (a job).
create table wp_import_runs (
  id integer generated always as identity primary key,
  site_id integer references wp_import_sites (id) on delete cascade,
  file text not null,
  -- The file's size and modification time: --resume continues only the same file.
  file_stamp text not null default '',
  dry_run boolean not null default false,
  state text not null check (state in ('queued', 'running', 'done', 'failed', 'interrupted')),
  total integer not null default 0,
  done integer not null default 0,
  -- The number of items (posts and pages, in file order) already handled: --resume skips them.
  position integer not null default 0,
  report jsonb,
  error text not null default '',
  created_by integer references users (id) on delete set null,
  started_at timestamptz not null default now(),
  finished_at timestamptz
);
create index wp_import_runs_state_idx on wp_import_runs (state, id);
