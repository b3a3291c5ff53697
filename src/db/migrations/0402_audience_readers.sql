-- Reading histories remember their reader in the one stored form under the name
-- every table uses (`reader`, platform/reader.ts). (Numbered after the table's own
-- migration, 0400, so that a new database has the table to rename in.)
alter table reader_reads rename column reader_key to reader;
alter table reader_reads add constraint reader_reads_reader_check check (reader ~ '^(u:[0-9]+|a:[0-9a-f-]{36})$');

-- Of an hour's views, those of signed-in readers: «ТОП 5» weighs them above anonymous
-- ones (an account costs a script more than a cookie; audience/README.md).
alter table article_views_hourly add column signed_views integer not null default 0;
