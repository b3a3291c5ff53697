-- Reactions attach to a subject (kind, id: 'article' 42, later forum posts, ads, …)
-- instead of an article, and remember their reader in the one stored form
-- (`u:<user id>` or `a:<reader cookie id>`, platform/reader.ts). There is no foreign
-- key to a subject's table any more: the owner of a kind says when one is gone
-- (content's `article.changed` 'deleted' removes an article's reactions), and a
-- deleted account's reactions are given to nobody by the reader registry.
alter table reactions add column subject_kind text, add column subject_id integer, add column reader text;
update reactions set subject_kind = 'article', subject_id = article_id,
  reader = case when user_id is not null then 'u:' || user_id else 'a:' || anon_id end;
-- Dropping the old columns drops their indexes, the foreign keys and the either-or check.
alter table reactions drop column article_id, drop column user_id, drop column anon_id;
alter table reactions
  alter column subject_kind set not null,
  alter column subject_id set not null,
  alter column reader set not null,
  add constraint reactions_subject_kind_check check (subject_kind ~ '^[a-z_]{1,40}$'),
  add constraint reactions_reader_check check (reader ~ '^(u:[0-9]+|a:[0-9a-f-]{36})$');
-- One reaction per reader per subject; the same index finds a reader's own reaction.
create unique index reactions_subject_reader_key on reactions (subject_kind, subject_id, reader);
-- Moving a browser's reactions to the account on sign-in finds them by reader.
create index reactions_reader_idx on reactions (reader);

alter table reaction_counts drop constraint reaction_counts_article_id_fkey;
alter table reaction_counts drop constraint reaction_counts_pkey;
alter table reaction_counts rename column article_id to subject_id;
alter table reaction_counts add column subject_kind text not null default 'article';
alter table reaction_counts alter column subject_kind drop default;
alter table reaction_counts add primary key (subject_kind, subject_id, kind);
