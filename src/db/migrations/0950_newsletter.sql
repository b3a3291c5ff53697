-- The newsletter module (modules/newsletter): the portal's lists, the readers'
-- addresses and subscriptions with double opt-in, the consent ledger, the sends
-- and their per-recipient queue, and the delivery events (bounces, complaints).

create table newsletter_lists (
  id integer generated always as identity primary key,
  slug text not null unique,
  name text not null,
  description text not null default '',
  -- daily: the day's digest at send_time; weekly: the week's, on weekday at send_time;
  -- breaking: only when an editor sends an article.
  kind text not null check (kind in ('daily', 'weekly', 'breaking')),
  -- Local time of the site (SITE_TIMEZONE), 'HH:MM'.
  send_time text not null default '07:00' check (send_time ~ '^[0-2][0-9]:[0-5][0-9]$'),
  -- 1 = Monday … 7 = Sunday, weekly lists only.
  weekday integer check (weekday between 1 and 7),
  -- The sections the digest draws from; empty: all.
  section_ids jsonb not null default '[]',
  max_items integer not null default 8 check (max_items between 1 and 30),
  -- A digest with fewer new articles than this is not sent that day.
  min_new_items integer not null default 3 check (min_new_items between 0 and 100),
  active boolean not null default true,
  position integer not null default 0,
  created_at timestamptz not null default now()
);

-- One row per address. The address is kept lower-cased; email_hash is its keyed
-- hash, which is what survives an erasure in the ledger.
create table newsletter_subscribers (
  id integer generated always as identity primary key,
  email text not null unique,
  email_hash text not null unique,
  created_at timestamptz not null default now(),
  -- Set by a hard bounce, a complaint or the operator: nothing is queued for it.
  suppressed_at timestamptz,
  suppressed_reason text check (suppressed_reason in ('hard_bounce', 'complaint', 'soft_bounces', 'manual')),
  soft_bounces integer not null default 0
);

create table newsletter_subscriptions (
  subscriber_id integer not null references newsletter_subscribers (id) on delete cascade,
  list_id integer not null references newsletter_lists (id) on delete cascade,
  status text not null check (status in ('pending', 'confirmed', 'unsubscribed')),
  created_at timestamptz not null default now(),
  confirmed_at timestamptz,
  unsubscribed_at timestamptz,
  primary key (subscriber_id, list_id)
);
create index newsletter_subscriptions_list_idx on newsletter_subscriptions (list_id, status);

-- A confirmation link: the hash of its token, the lists it confirms, its expiry, its use.
create table newsletter_confirmations (
  token_hash text primary key,
  subscriber_id integer not null references newsletter_subscribers (id) on delete cascade,
  list_ids jsonb not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index newsletter_confirmations_subscriber_idx on newsletter_confirmations (subscriber_id, created_at desc);

-- The consent ledger: every change of every subscription, never updated. email is
-- null only on the rows an erasure leaves (the withdrawal), which keep the keyed hash.
create table newsletter_consents (
  id bigint generated always as identity primary key,
  email text,
  email_hash text not null,
  list_id integer references newsletter_lists (id) on delete set null,
  list_name text not null,
  action text not null check (action in ('requested', 'confirmed', 'unsubscribed', 'suppressed', 'erased')),
  -- Where it happened: home, article, profile, manage, one-click, mail-link, bounce, admin…
  form text not null,
  -- The version of the consent text the reader saw (requested), null otherwise.
  text_version text,
  ip_hash text,
  at timestamptz not null default now()
);
create index newsletter_consents_email_idx on newsletter_consents (email_hash, at);
create index newsletter_consents_list_idx on newsletter_consents (list_id, at);

-- One mail to many: a digest issue, a breaking article, a test.
create table newsletter_sends (
  id integer generated always as identity primary key,
  list_id integer not null references newsletter_lists (id) on delete cascade,
  -- daily:2026-12-06, weekly:2026-W49, breaking:42, test:<n>: one issue per key.
  issue_key text not null,
  kind text not null check (kind in ('digest', 'breaking', 'test')),
  -- queued: recipients in newsletter_queue; skipped: too few new items; done.
  status text not null check (status in ('queued', 'skipped', 'done')),
  subject text not null,
  html text not null,
  text text not null,
  article_ids jsonb not null default '[]',
  recipients integer not null default 0,
  created_by integer references users (id) on delete set null,
  created_at timestamptz not null default now(),
  finished_at timestamptz,
  unique (list_id, issue_key)
);

-- One row per message: its id is the Message-ID, so a message goes out at most once.
-- queued → claimed (a sender took it) → handing (on its way to SMTP, committed
-- first) → sent | failed | capped | suppressed; a handing row found by a restarted
-- sender becomes uncertain and is never sent again.
create table newsletter_queue (
  id bigint generated always as identity primary key,
  send_id integer not null references newsletter_sends (id) on delete cascade,
  subscriber_id integer not null references newsletter_subscribers (id) on delete cascade,
  status text not null default 'queued' check (status in ('queued', 'claimed', 'handing', 'sent', 'failed', 'capped', 'suppressed', 'uncertain')),
  claimed_at timestamptz,
  sent_at timestamptz,
  error text,
  unique (send_id, subscriber_id)
);
create index newsletter_queue_todo_idx on newsletter_queue (id) where status in ('queued', 'claimed', 'handing');
create index newsletter_queue_subscriber_idx on newsletter_queue (subscriber_id, sent_at) where status = 'sent';

-- Delivery events: bounces and complaints (and opens and clicks when tracking is on).
create table newsletter_events (
  id bigint generated always as identity primary key,
  subscriber_id integer references newsletter_subscribers (id) on delete set null,
  send_id integer references newsletter_sends (id) on delete set null,
  kind text not null check (kind in ('soft_bounce', 'hard_bounce', 'complaint', 'open', 'click')),
  detail text not null default '',
  at timestamptz not null default now()
);
create index newsletter_events_send_idx on newsletter_events (send_id, kind);
