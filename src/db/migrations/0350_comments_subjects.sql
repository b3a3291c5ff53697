-- Comments attach to a subject (a kind and an id: `article` 42 today, forum posts,
-- ads and live entries next) instead of an article. The subject's owner module tells
-- whether it exists and who may see it (platform/subjects.ts), so there is no
-- foreign key: when an article goes, content's `article.changed` ('deleted') event
-- makes the comments module delete its thread. The old column and its indexes go in
-- 0801, after 0399 (which builds one more index on it on a fresh database).
alter table comments add column subject_kind text, add column subject_id integer;
update comments set subject_kind = 'article', subject_id = article_id;
alter table comments alter column subject_kind set not null, alter column subject_id set not null;

-- Complaints become reports in the moderation module (0800): the count and the
-- "a moderator looked at them" mark live there now.
drop index comments_queue_idx;
create index comments_held_idx on comments (created_at) where status = 'held';
