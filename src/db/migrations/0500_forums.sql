-- Forums: boards in two levels, topics, numbered posts with their edit history, and
-- what each reader keeps per topic (the last post read, a notification level and
-- why). Authors are accounts; a deleted account leaves its posts, nameless.
create table forum_boards (
  id integer generated always as identity primary key,
  parent_id integer references forum_boards (id),
  slug text not null check (slug ~ '^[a-z0-9][a-z0-9-]{0,59}$'),
  title text not null,
  description text not null default '',
  position integer not null default 0,
  -- Who may start topics and who may reply: any signed-in reader, trusted readers
  -- (trust level 2 and up), or staff.
  start_role text not null default 'reader' check (start_role in ('reader', 'trusted', 'staff')),
  reply_role text not null default 'reader' check (reply_role in ('reader', 'trusted', 'staff')),
  premoderation boolean not null default false,
  -- Articles of this section (and its subsections) are discussed here («Обсудить на
  -- форуме»); content owns sections: no foreign key.
  discussion_section_id integer,
  archived_at timestamptz,
  topic_count integer not null default 0,
  post_count integer not null default 0,
  last_topic_id integer,
  last_post_at timestamptz,
  created_at timestamptz not null default now()
);
create unique index forum_boards_slug_key on forum_boards (slug);
create index forum_boards_parent_idx on forum_boards (parent_id, position);

-- A reader's name on the forums: the handle @mentions use (letters of any script).
create table forum_members (
  user_id integer primary key references users (id) on delete cascade,
  -- Checked by the service (2–32 letters of any script, digits, _ or -).
  handle text not null,
  topic_count integer not null default 0,
  post_count integer not null default 0,
  -- «Отметить всё прочитанным»: topics last active before it are read.
  read_all_at timestamptz,
  joined_at timestamptz not null default now()
);
create unique index forum_members_handle_key on forum_members (lower(handle));

create table forum_topics (
  id integer generated always as identity primary key,
  board_id integer not null references forum_boards (id),
  author_id integer references users (id) on delete set null,
  title text not null,
  slug text not null,
  -- held: its first post waits for a moderator; hidden: taken down.
  status text not null default 'visible' check (status in ('visible', 'held', 'hidden')),
  pinned boolean not null default false,
  closed boolean not null default false,
  -- Posts readers see (the first one included), and the highest number given.
  post_count integer not null default 0,
  last_number integer not null default 0,
  view_count integer not null default 0,
  last_post_at timestamptz not null,
  last_post_number integer not null default 1,
  last_poster_id integer references users (id) on delete set null,
  -- The discussion of an article (content owns articles: no foreign key).
  article_id integer,
  -- Merged into another topic: its address sends readers there.
  moved_to integer references forum_topics (id),
  created_at timestamptz not null default now()
);
create index forum_topics_board_idx on forum_topics (board_id, pinned desc, last_post_at desc) where status = 'visible';
create index forum_topics_active_idx on forum_topics (last_post_at desc) where status = 'visible';
create index forum_topics_author_idx on forum_topics (author_id, created_at desc);
create unique index forum_topics_article_key on forum_topics (article_id) where article_id is not null;

create table forum_posts (
  id integer generated always as identity primary key,
  topic_id integer not null references forum_topics (id) on delete cascade,
  number integer not null,
  author_id integer references users (id) on delete set null,
  body text not null,
  status text not null default 'published' check (status in ('published', 'held', 'hidden', 'deleted')),
  held_reason text not null default '',
  ip_hash text not null default '',
  created_at timestamptz not null default now(),
  edited_at timestamptz,
  edit_count integer not null default 0,
  unique (topic_id, number)
);
create index forum_posts_author_idx on forum_posts (author_id, created_at desc);
create index forum_posts_held_idx on forum_posts (created_at) where status = 'held';

-- Up to four pictures under a post, uploaded through the media module (which owns
-- `images`: no foreign key), in the order the author added them.
create table forum_post_images (
  post_id integer not null references forum_posts (id) on delete cascade,
  position smallint not null check (position between 1 and 4),
  image_id integer not null,
  primary key (post_id, position)
);

-- Every earlier text of an edited post: the history readers can open.
create table forum_post_revisions (
  id integer generated always as identity primary key,
  post_id integer not null references forum_posts (id) on delete cascade,
  body text not null,
  editor_id integer references users (id) on delete set null,
  -- When this text was replaced.
  replaced_at timestamptz not null default now()
);
create index forum_post_revisions_post_idx on forum_post_revisions (post_id, id);

-- Per reader and topic (after Discourse's topic_users): the last post read and a
-- notification level — 0 muted, 1 normal, 2 tracking, 3 watching — with its reason.
create table forum_topic_readers (
  user_id integer not null references users (id) on delete cascade,
  topic_id integer not null references forum_topics (id) on delete cascade,
  last_read integer not null default 0,
  level smallint not null default 1 check (level between 0 and 3),
  reason text not null default 'visited' check (reason in ('visited', 'created', 'replied', 'read_long', 'board', 'manual')),
  first_seen_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (user_id, topic_id)
);
create index forum_topic_readers_followed_idx on forum_topic_readers (user_id, topic_id) where level >= 2;

-- A board's default level for a reader (watching or tracking every topic in it).
create table forum_board_readers (
  user_id integer not null references users (id) on delete cascade,
  board_id integer not null references forum_boards (id) on delete cascade,
  level smallint not null check (level between 0 and 3),
  primary key (user_id, board_id)
);

-- Board moderators: a role scoped to boards.
create table forum_board_moderators (
  user_id integer not null references users (id) on delete cascade,
  board_id integer not null references forum_boards (id) on delete cascade,
  primary key (user_id, board_id)
);

-- A reader who blocked another sees none of their posts.
create table forum_blocks (
  user_id integer not null references users (id) on delete cascade,
  blocked_id integer not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (user_id, blocked_id),
  check (user_id <> blocked_id)
);
