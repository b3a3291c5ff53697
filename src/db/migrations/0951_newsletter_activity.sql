-- The newsletter, second part: when an address was last active (a visit through a
-- mail's link, a sign-in, an open or click when tracking is on) and when it was asked
-- «оставаться подписанным?»; a paused subscription (180 days inactive, not deleted);
-- and the mails sent outside the queue (confirmations, test and re-permission mails),
-- which count in the daily cap per address.
alter table newsletter_subscribers add column last_active_at timestamptz not null default now();
update newsletter_subscribers set last_active_at = created_at;
alter table newsletter_subscribers add column recheck_sent_at timestamptz;
create index newsletter_subscribers_active_idx on newsletter_subscribers (last_active_at) where suppressed_at is null;

alter table newsletter_subscriptions drop constraint newsletter_subscriptions_status_check;
alter table newsletter_subscriptions add constraint newsletter_subscriptions_status_check check (status in ('pending', 'confirmed', 'unsubscribed', 'paused'));
alter table newsletter_consents drop constraint newsletter_consents_action_check;
alter table newsletter_consents add constraint newsletter_consents_action_check check (action in ('requested', 'confirmed', 'unsubscribed', 'suppressed', 'erased', 'paused', 'resumed'));

create table newsletter_direct_mails (
  id bigint generated always as identity primary key,
  -- The address's keyed hash (a test mail may go to an address that subscribes to nothing).
  email_hash text not null,
  kind text not null check (kind in ('confirmation', 'test', 'recheck')),
  at timestamptz not null default now()
);
create index newsletter_direct_mails_hash_idx on newsletter_direct_mails (email_hash, at);
