-- The end of comments' move to subjects (0350): the article column goes, and with it
-- every index built on it (0301, 0399); the same indexes come back on the subject.
-- Numbered after 0399 so that a fresh database has built 0399's index before.
alter table comments drop column article_id;
create index comments_subject_idx on comments (subject_kind, subject_id, status, created_at) where parent_id is null;
create index comments_counts_idx on comments (subject_kind, subject_id) where status = 'approved';
create index comments_recent_approved_idx on comments (created_at, subject_kind, subject_id) where status = 'approved';
