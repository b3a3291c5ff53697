-- Accounts: users, their sessions and one-time e-mail tokens (confirm, reset).
create table users (
  id integer generated always as identity primary key,
  email text not null,
  password_hash text not null,
  display_name text not null,
  role text not null default 'reader'
    check (role in ('reader', 'author', 'editor', 'moderator', 'admin')),
  email_confirmed_at timestamptz,
  created_at timestamptz not null default now()
);
create unique index users_email_key on users (lower(email));

-- The cookie holds a random token; only its SHA-256 is stored, so a leaked table
-- cannot be replayed as cookies.
create table sessions (
  id text primary key,
  user_id integer not null references users (id) on delete cascade,
  csrf_token text not null,
  user_agent text not null default '',
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user_idx on sessions (user_id);

create table email_tokens (
  token_hash text primary key,
  user_id integer not null references users (id) on delete cascade,
  purpose text not null check (purpose in ('confirm', 'reset')),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index email_tokens_user_idx on email_tokens (user_id);
