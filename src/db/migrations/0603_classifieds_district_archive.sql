-- A district the back office archives stays on the ads that name it (their pages
-- and filters still read it) but is no longer offered for a new ad; the lists'
-- district filter shows it only while some active ad still names it.
alter table ad_districts add column archived_at timestamptz;
