-- Reactions under an article: one per reader per article, the reader being an
-- account (user_id) or an anonymous browser (anon_id, the signed reader cookie's
-- id), never both. Counts live in their own table, changed in the same
-- transaction as the reader's row, so reading them is one indexed lookup and they
-- stay exact under concurrency.
create table reactions (
  id bigint generated always as identity primary key,
  article_id integer not null references articles (id) on delete cascade,
  user_id integer references users (id) on delete cascade,
  anon_id uuid,
  kind text not null check (kind in ('LIKE', 'HAPPY', 'SURPRISED', 'ANGRY', 'SAD')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((user_id is null) <> (anon_id is null))
);
create unique index reactions_article_user_key on reactions (article_id, user_id) where user_id is not null;
create unique index reactions_article_anon_key on reactions (article_id, anon_id) where anon_id is not null;
-- Moving a browser's reactions to the account on sign-in finds them by reader.
create index reactions_anon_idx on reactions (anon_id) where anon_id is not null;
create index reactions_user_idx on reactions (user_id) where user_id is not null;

create table reaction_counts (
  article_id integer not null references articles (id) on delete cascade,
  kind text not null check (kind in ('LIKE', 'HAPPY', 'SURPRISED', 'ANGRY', 'SAD')),
  n integer not null default 0,
  primary key (article_id, kind)
);
