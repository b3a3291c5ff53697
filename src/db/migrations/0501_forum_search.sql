-- Forum search in Russian: one row per forum post with its text as a tsvector of
-- dictionary lemmas (the search module's `az` lemmatizer, run in the application),
-- the topic's title in the first post's row (weight A), and abbreviations written
-- in capitals («ТО», «IT», «ЖК») also as they are (the `russian` configuration
-- would drop «то» and «it» as stop words).
--
-- The filters live in the same GIN index as the words, as tokens no parser makes
-- (they start with `_`): `_b<board>`, `_a<author>` and the post's UTC day at five
-- sizes, `_t<k>_<day >> k>` for k = 0, 3, 6, 9, 12 (a day, 8, 64, 512 and 4096
-- days). A search asks for the newest matches first, one time slice after another,
-- each slice and every filter being part of the tsquery: the index alone narrows a
-- common word to a slice of time, a board or an author, and the table is read only
-- for the rows that are shown. The token list is `forum_search_tokens`.
--
-- Whether a post can be found (a published post in a visible topic), its board and
-- its author follow the forum tables through the triggers below, whatever code
-- changes them (posting, moderation, moves, merges, importers). The text itself is
-- lemmatized by the application: a new post, a changed body or a changed topic
-- title leaves its row pending (`indexed <> version`) until the forums index it,
-- right after the write and, for whatever was missed, by a periodic job.
create table forum_search_posts (
  post_id integer primary key references forum_posts (id) on delete cascade,
  topic_id integer not null,
  board_id integer not null,
  author_id integer,
  number integer not null,
  created_at timestamptz not null,
  -- A published post in a visible topic (archived boards are left out by the query).
  visible boolean not null,
  -- Raised by every change of the text (the body, the first post's topic title);
  -- `indexed` is the version the document was made from.
  version integer not null default 0,
  indexed integer not null default -1,
  -- A column the planner keeps statistics of, so the job's query takes the small
  -- index below rather than walking the table in the belief that most rows wait.
  pending boolean generated always as (indexed <> version) stored,
  document tsvector
);
create index forum_search_posts_document_idx on forum_search_posts using gin (document) where visible;
create index forum_search_posts_topic_idx on forum_search_posts (topic_id);
create index forum_search_posts_pending_idx on forum_search_posts (post_id) where pending;

-- The filter tokens of a post (see above): its board, its author, its day at five sizes.
create function forum_search_tokens(board integer, author integer, at timestamptz) returns text[]
language sql stable as $$
  select array['_b' || board]
    || case when author is null then '{}'::text[] else array['_a' || author] end
    || array(select '_t' || k || '_' || (floor(extract(epoch from at) / 86400)::bigint >> k) from unnest(array[0, 3, 6, 9, 12]) as k)
$$;

create function forum_search_post_added() returns trigger language plpgsql as $$
declare
  topic record;
begin
  select board_id, status into topic from forum_topics where id = new.topic_id;
  -- A restore writes the posts before their topics, and the backup's own rows of
  -- this table after them; the job adds a row that is missing.
  if not found then
    return null;
  end if;
  insert into forum_search_posts (post_id, topic_id, board_id, author_id, number, created_at, visible)
  values (new.id, new.topic_id, topic.board_id, new.author_id, new.number, new.created_at, new.status = 'published' and topic.status = 'visible')
  on conflict (post_id) do nothing;
  return null;
end $$;
create trigger forum_search_post_added after insert on forum_posts
  for each row execute function forum_search_post_added();

-- A post's status, text or author changed, or it moved to another topic (a split,
-- a merge of topics: its number changes too, and whether it carries a title).
create function forum_search_post_changed() returns trigger language plpgsql as $$
begin
  update forum_search_posts s set
    topic_id = new.topic_id,
    number = new.number,
    board_id = t.board_id,
    visible = new.status = 'published' and t.status = 'visible',
    author_id = new.author_id,
    version = s.version + case when new.body is distinct from old.body or new.topic_id is distinct from old.topic_id or new.number is distinct from old.number then 1 else 0 end,
    document = case
      when s.document is null or (new.author_id is not distinct from old.author_id and t.board_id = s.board_id) then s.document
      else ts_delete(s.document, forum_search_tokens(s.board_id, old.author_id, s.created_at)) || array_to_tsvector(forum_search_tokens(t.board_id, new.author_id, s.created_at))
    end
  from forum_topics t
  where s.post_id = new.id and t.id = new.topic_id;
  return null;
end $$;
create trigger forum_search_post_changed after update of status, body, author_id, topic_id, number on forum_posts
  for each row when (old.status is distinct from new.status or old.body is distinct from new.body or old.author_id is distinct from new.author_id
    or old.topic_id is distinct from new.topic_id or old.number is distinct from new.number)
  execute function forum_search_post_changed();

create function forum_search_topic_changed() returns trigger language plpgsql as $$
begin
  if new.status is distinct from old.status or new.board_id is distinct from old.board_id then
    update forum_search_posts s set
      visible = p.status = 'published' and new.status = 'visible',
      board_id = new.board_id,
      document = case
        when s.document is null or new.board_id = old.board_id then s.document
        else ts_delete(s.document, array['_b' || old.board_id]) || array_to_tsvector(array['_b' || new.board_id])
      end
    from forum_posts p
    where s.topic_id = new.id and p.id = s.post_id;
  end if;
  if new.title is distinct from old.title then
    update forum_search_posts set version = version + 1 where topic_id = new.id and number = 1;
  end if;
  return null;
end $$;
create trigger forum_search_topic_changed after update of status, board_id, title on forum_topics
  for each row when (old.status is distinct from new.status or old.board_id is distinct from new.board_id or old.title is distinct from new.title)
  execute function forum_search_topic_changed();

-- The posts written before this migration: their rows, pending (the forums' job
-- lemmatizes them in the background).
insert into forum_search_posts (post_id, topic_id, board_id, author_id, number, created_at, visible)
select p.id, p.topic_id, t.board_id, p.author_id, p.number, p.created_at, p.status = 'published' and t.status = 'visible'
from forum_posts p
join forum_topics t on t.id = p.topic_id;
