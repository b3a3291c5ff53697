-- The lists' GIN indexes without a pending list. With `fastupdate` on (the default)
-- a new or changed ad's tokens and lemmas wait in an unsorted pending list of up to
-- 4 MB (gin_pending_list_limit) until a vacuum moves them into the index, and every
-- search reads the whole list first. PGlite has no autovacuum, so there the list
-- stays full: at 200,000 ads a category page's token scan read ~480 pages of it
-- (14 ms of a 1 ms scan, twice per page: cards and counts). Off, each write puts
-- its entries in place (a little slower to write; an ad is written far less often
-- than a list is read). The entries pending now go in first.
select gin_clean_pending_list('ads_tokens_idx'), gin_clean_pending_list('ads_document_idx');
alter index ads_tokens_idx set (fastupdate = off);
alter index ads_document_idx set (fastupdate = off);

-- Sorting by price in the order finding.ts asks for (`price asc nulls last, id` and
-- `price desc nulls last, id`): a search across categories sorted by price walks
-- prices in order and stops at a page of matches, instead of sorting every match
-- of its words (13,000 ads read for «диван» in one district: 77 ms → 1.2 ms on
-- PGlite). A category sorted by price descending likewise (ascending it had).
create index ads_price_idx on ads (price, id) where status = 'active';
create index ads_price_desc_idx on ads (price desc nulls last, id) where status = 'active';
create index ads_category_price_desc_idx on ads (category_id, price desc nulls last, id) where status = 'active';
