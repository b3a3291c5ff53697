-- A typo report remembers its reader in the one stored form (platform/reader.ts)
-- instead of user_id / anon_id. A report whose account was deleted (user_id set to
-- null by the old foreign key) has no reader; so does one after a deletion from now on.
alter table typo_reports add column reader text;
update typo_reports set reader = case when user_id is not null then 'u:' || user_id when anon_id is not null then 'a:' || anon_id end;
alter table typo_reports drop column user_id, drop column anon_id;
alter table typo_reports add constraint typo_reports_reader_check check (reader is null or reader ~ '^(u:[0-9]+|a:[0-9a-f-]{36})$');
create index typo_reports_reader_idx on typo_reports (reader) where reader is not null;
