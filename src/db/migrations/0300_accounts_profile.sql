-- The rest of the reader's account: an avatar, the choice to get reply e-mails,
-- and on-site notifications (a counter in the header and a list).
alter table users add column avatar_id integer references images (id) on delete set null;
alter table users add column notify_replies boolean not null default true;

create table notifications (
  id integer generated always as identity primary key,
  user_id integer not null references users (id) on delete cascade,
  kind text not null check (kind in ('reply')),
  -- What to show without joining other modules' tables: who, what, where.
  actor_name text not null,
  excerpt text not null,
  url text not null,
  created_at timestamptz not null default now(),
  read_at timestamptz
);
create index notifications_user_idx on notifications (user_id, created_at desc);
create index notifications_unread_idx on notifications (user_id) where read_at is null;
