-- Moderation for every subject kind: reports, bans and suspensions with a scope and
-- an end, stop words, the texts an author posted lately (the repeated-text phase)
-- and the activity trust levels are computed from. Comment complaints, comment bans
-- and comment stop words move here.

create table reports (
  id integer generated always as identity primary key,
  subject_kind text not null,
  subject_id integer not null,
  -- Whose text it is, when it has an author: reports upheld against an account lower its trust.
  subject_author_id integer references users (id) on delete set null,
  reader text not null check (reader ~ '^(u:[0-9]+|a:[0-9a-f-]{36})$'),
  reason text not null check (reason in ('spam', 'abuse', 'offtopic', 'other')),
  text text not null default '',
  status text not null default 'open' check (status in ('open', 'upheld', 'dismissed')),
  created_at timestamptz not null default now(),
  decided_at timestamptz,
  -- One report per reader per subject and reason (osclass#1183).
  unique (subject_kind, subject_id, reader, reason)
);
create index reports_open_idx on reports (subject_kind, subject_id, created_at) where status = 'open';
create index reports_reader_idx on reports (reader);
create index reports_upheld_idx on reports (subject_author_id) where status = 'upheld';

-- A complaint a moderator had looked at (the comment was reviewed after it) was
-- upheld if the comment went, dismissed if it stayed.
insert into reports (subject_kind, subject_id, subject_author_id, reader, reason, text, status, created_at, decided_at)
select 'comment', k.comment_id, c.author_id, k.reporter, k.reason, k.note,
       case when c.reviewed_at is null or c.reviewed_at < k.created_at then 'open'
            when c.status in ('rejected', 'deleted') then 'upheld' else 'dismissed' end,
       k.created_at,
       case when c.reviewed_at is null or c.reviewed_at < k.created_at then null else c.reviewed_at end
from comment_complaints k join comments c on c.id = k.comment_id
where k.reporter ~ '^(u:[0-9]+|a:[0-9a-f-]{36})$';
drop table comment_complaints;
alter table comments drop column complaints;

create table moderation_bans (
  id integer generated always as identity primary key,
  user_id integer not null references users (id) on delete cascade,
  -- null: site-wide; otherwise one section (articles) or one board (forums).
  scope_kind text check (scope_kind in ('section', 'board')),
  scope_id integer,
  reason text not null,
  -- null: for good.
  ends_at timestamptz,
  -- The step of the escalation ladder (24 h, 72 h, 7 days, 30 days) this one took; 0: a term a moderator chose.
  step smallint not null default 0,
  created_by integer references users (id) on delete set null,
  created_at timestamptz not null default now(),
  lifted_at timestamptz,
  check ((scope_kind is null) = (scope_id is null))
);
create index moderation_bans_user_idx on moderation_bans (user_id);
insert into moderation_bans (user_id, reason, ends_at, created_by, created_at, lifted_at)
select user_id, reason, until, created_by, created_at, lifted_at from comment_bans order by id;
drop table comment_bans;

create table moderation_stop_words (
  word text primary key
);
insert into moderation_stop_words (word) select word from comment_stop_words;
drop table comment_stop_words;

-- Hashes of what an author (`u:<id>`, or `ip:<hash>` for a guest) posted lately, for
-- the repeated-text phase; old rows are cleared by a job.
create table moderation_recent_texts (
  author text not null,
  hash text not null,
  created_at timestamptz not null default now()
);
create index moderation_recent_texts_idx on moderation_recent_texts (author, hash, created_at);

-- What trust levels are computed from: per account and day, what it read and posted.
create table moderation_activity (
  user_id integer not null references users (id) on delete cascade,
  day date not null,
  reads integer not null default 0,
  posts integer not null default 0,
  primary key (user_id, day)
);
-- Comments written before count as posts made on their day.
insert into moderation_activity (user_id, day, posts)
select author_id, (created_at at time zone 'UTC')::date, count(*)
from comments where author_id is not null and status = 'approved'
group by author_id, (created_at at time zone 'UTC')::date;

update settings set key = 'moderation.holdFirst' where key = 'comments.holdFirst';
