-- Comments under articles, their votes and complaints, bans and stop words.
create table comments (
  id integer generated always as identity primary key,
  article_id integer not null references articles (id) on delete cascade,
  -- The comment answered; the thread's top comment pages the list.
  parent_id integer references comments (id) on delete cascade,
  root_id integer references comments (id) on delete cascade,
  -- Replies are shown two levels deep: 0 a thread's top, 1 a reply, 2 anything deeper.
  depth smallint not null default 0 check (depth between 0 and 2),
  -- A deleted account leaves its comments, shown as «Удалённый пользователь».
  author_id integer references users (id) on delete set null,
  guest_name text,
  body text not null check (char_length(body) between 1 and 2000),
  status text not null check (status in ('approved', 'held', 'rejected', 'deleted')),
  held_reason text not null default '',
  up integer not null default 0,
  down integer not null default 0,
  complaints integer not null default 0,
  ip_hash text not null default '',
  created_at timestamptz not null default now(),
  edited_at timestamptz,
  reviewed_at timestamptz
);
-- The first page of an article's threads, newest or oldest first, and its count.
create index comments_article_idx on comments (article_id, status, created_at) where parent_id is null;
create index comments_root_idx on comments (root_id, created_at) where root_id is not null;
create index comments_counts_idx on comments (article_id) where status = 'approved';
create index comments_author_idx on comments (author_id, created_at);
-- The moderators' queue: held ones and those with open complaints.
create index comments_queue_idx on comments (created_at) where status = 'held' or (complaints > 0 and reviewed_at is null);

-- One vote per reader: an account (`u:42`) or an anonymous reader cookie (`a:<uuid>`).
create table comment_votes (
  comment_id integer not null references comments (id) on delete cascade,
  voter text not null,
  value smallint not null check (value in (-1, 1)),
  created_at timestamptz not null default now(),
  primary key (comment_id, voter)
);
create index comment_votes_voter_idx on comment_votes (voter);

create table comment_complaints (
  comment_id integer not null references comments (id) on delete cascade,
  reporter text not null,
  reason text not null check (reason in ('spam', 'abuse', 'offtopic', 'other')),
  note text not null default '',
  created_at timestamptz not null default now(),
  primary key (comment_id, reporter)
);
create index comment_complaints_reporter_idx on comment_complaints (reporter);

create table comment_bans (
  id integer generated always as identity primary key,
  user_id integer not null references users (id) on delete cascade,
  reason text not null,
  -- null: for good.
  until timestamptz,
  created_by integer references users (id) on delete set null,
  created_at timestamptz not null default now(),
  lifted_at timestamptz
);
create index comment_bans_user_idx on comment_bans (user_id);

create table comment_stop_words (
  word text primary key
);
