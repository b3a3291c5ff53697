-- A run queued in the back office remembers whether it makes accounts for the
-- export's authors (the command line says it with --accounts).
alter table wp_import_runs add column accounts boolean not null default false;
