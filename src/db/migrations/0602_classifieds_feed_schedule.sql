-- A storefront's feed is fetched again on a schedule, as the manager who set it:
-- the row remembers who that was (null once the account is gone: the scheduled
-- run then stops and its report says why).
alter table ad_feeds add column set_by integer references users (id) on delete set null;
create index ad_feeds_due_idx on ad_feeds (last_run_at);
