-- Dating (modules/dating), issue 14's second part.
-- 1. A report carries the reported messages: a copy (JSON array of {id, text, at,
--    senderId}) taken when the report is made, so an unmatch, the removed
--    conversation's pruning or the sender's own deletion does not destroy the
--    evidence. Kept as long as the report (the reported profile's deletion, the
--    reporter's account deletion).
alter table dating_reports add column messages text not null default '[]';

-- 2. Figures per day, written by the event itself in its transaction (a profile
--    created, a match, a report, a deletion), so deleting a profile does not change
--    a past day's figures. `day` is the portal's calendar day (SITE_TIMEZONE).
create table dating_daily (
  day date primary key,
  profiles integer not null default 0,
  matches integer not null default 0,
  reports integer not null default 0,
  deletions integer not null default 0
);
-- What the live tables still hold before this migration, counted by the database's
-- own calendar (the portal's time zone is not known here); deletions before it were
-- not recorded.
insert into dating_daily (day, profiles, matches, reports)
select d, sum(p), sum(m), sum(r) from (
  select created_at::date as d, 1 as p, 0 as m, 0 as r from dating_profiles
  union all select matched_at::date, 0, 1, 0 from dating_pairs where matched_at is not null
  union all select created_at::date, 0, 0, 1 from dating_reports
) t group by d;

-- 3. Key rotation: every encrypted value starts with its key version (`v1:`, `v2:`
--    …); the blind indexes do not say theirs, so a row records the version its
--    indexes were made with. `gorod dating rotate-key` moves rows to the newest.
alter table dating_profiles add column key_version smallint not null default 1;
create index dating_profiles_key_version_idx on dating_profiles (key_version, user_id);
