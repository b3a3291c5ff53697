-- Notifications become a module of their own (modules/notifications): a
-- notification has a recipient, a kind, a subject (kind and id, platform/subjects.ts)
-- and a link, and goes out through two channels — the site (the counter in the
-- account corner and the list) and mail, sent by a periodic job after a window, in
-- one mail per kind for what gathered in it, and not at all once it was read.

-- The kinds are the module's registry now, not a check in the table.
alter table notifications drop constraint notifications_kind_check;
alter table notifications add column subject_kind text;
alter table notifications add column subject_id integer;
-- Replies so far were always to comments, and their link ends in #comment-<id>.
update notifications set subject_kind = 'comment', subject_id = substring(url from '#comment-([0-9]+)$')::integer
  where kind = 'reply' and url ~ '#comment-[0-9]+$';
-- false: the reader turned the site channel off; the row is kept only for the mail.
alter table notifications add column on_site boolean not null default true;
-- When the mail channel may send it (null: no mail wanted); set from the kind's window.
alter table notifications add column mail_due_at timestamptz;

-- One row per mail the job handled, written before the mail goes out, so a job that
-- crashed mid-way never sends the same notifications twice (at most once).
create table notification_mails (
  id integer generated always as identity primary key,
  user_id integer not null references users (id) on delete cascade,
  kind text not null,
  items integer not null,
  -- sending: claimed, the mail is on its way; sent; failed (the transport refused);
  -- capped: the account had reached its daily cap, nothing was sent.
  state text not null check (state in ('sending', 'sent', 'failed', 'capped')),
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
create index notification_mails_user_idx on notification_mails (user_id, created_at desc);
alter table notifications add column mail_id integer references notification_mails (id) on delete set null;
-- The job's question: what is due and not handled yet.
create index notifications_mail_due_idx on notifications (mail_due_at) where mail_due_at is not null and mail_id is null;

-- Only choices that differ from the kind's default are stored.
create table notification_preferences (
  user_id integer not null references users (id) on delete cascade,
  kind text not null,
  channel text not null check (channel in ('site', 'mail')),
  enabled boolean not null,
  primary key (user_id, kind, channel)
);
insert into notification_preferences (user_id, kind, channel, enabled)
  select id, 'reply', 'mail', false from users where not notify_replies;
alter table users drop column notify_replies;
