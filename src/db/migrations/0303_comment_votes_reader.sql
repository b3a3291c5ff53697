-- Comment votes already hold the reader's stored form (`u:42`, `a:<uuid>`); the
-- column takes the name every table uses for it, and its check. (Numbered after the
-- table's own migrations, 0301–0302, so that a new database has the table to rename in.)
alter table comment_votes rename column voter to reader;
alter index comment_votes_voter_idx rename to comment_votes_reader_idx;
alter table comment_votes add constraint comment_votes_reader_check check (reader ~ '^(u:[0-9]+|a:[0-9a-f-]{36})$');
