-- Typo reports from readers (the Ctrl+Enter flow). The fragment and the text
-- around it are taken from the article's own text by the server, so the editors'
-- queue shows only the article's words plus the reader's comment. Reports of the
-- same place merge into the open one (merge_key) and count up.
create table typo_reports (
  id integer generated always as identity primary key,
  article_id integer not null references articles (id) on delete cascade,
  revision integer not null,
  fragment text not null,
  before text not null default '',
  after text not null default '',
  comment text not null default '',
  merge_key text not null,
  reports integer not null default 1,
  status text not null default 'open' check (status in ('open', 'fixed', 'rejected')),
  user_id integer references users (id) on delete set null,
  anon_id uuid,
  ip_hash text not null,
  created_at timestamptz not null default now(),
  last_reported_at timestamptz not null default now(),
  resolved_at timestamptz,
  resolved_by integer references users (id) on delete set null
);
create unique index typo_reports_open_key on typo_reports (article_id, merge_key) where status = 'open';
-- The editors' queue: open reports, newest first; the badge counts them.
create index typo_reports_status_idx on typo_reports (status, last_reported_at desc);
