-- «Самое обсуждаемое» counts approved comments of a recent window.
create index comments_recent_approved_idx on comments (created_at, article_id) where status = 'approved';
