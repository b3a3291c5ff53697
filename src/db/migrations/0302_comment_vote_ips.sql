-- Anonymous votes carry a keyed hash of the voter's IP (after Remark42), so that
-- clearing cookies does not let one address vote a comment up again and again.
alter table comment_votes add column ip_hash text not null default '';
create index comment_votes_ip_idx on comment_votes (comment_id, ip_hash) where voter like 'a:%';
