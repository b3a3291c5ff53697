-- Messages (modules/messages): conversations between two parties — an account
-- (`u:<id>`) or an organisation, a storefront whose members answer (`o:<id>`) —
-- about one subject (an ad, a dating profile). One conversation per subject and
-- pair of parties (`pair`: the two party keys sorted, joined by `|`).
create table message_conversations (
  id serial primary key,
  subject_kind text not null,
  subject_id integer not null,
  pair text not null,
  -- The account that opened it (a member, when it was opened for an organisation).
  started_by integer references users (id) on delete set null,
  created_at timestamptz not null,
  last_message_at timestamptz not null,
  last_sender text,
  -- Unmatched (dating) or otherwise removed: gone from both inboxes, kept a while for
  -- the moderators (reports about its messages stay answerable), then deleted by the job.
  removed_at timestamptz
);
create unique index message_conversations_pair_idx on message_conversations (subject_kind, subject_id, pair);
create index message_conversations_removed_idx on message_conversations (removed_at) where removed_at is not null;

-- One row per side: the inbox of a party, its read mark and unread count. The
-- inbox is read per party, newest first (an operator's 50 storefronts: 50 short
-- index ranges).
create table message_participants (
  conversation_id integer not null references message_conversations (id) on delete cascade,
  party text not null check (party ~ '^[uo]:[1-9][0-9]*$'),
  other text not null,
  last_message_at timestamptz not null,
  -- The highest message id this side has read (the other side sees «Прочитано» up to it).
  last_read_id integer not null default 0,
  unread integer not null default 0,
  -- This side is gone (dating profile deleted, account deleted): «Профиль удалён», no more writing.
  gone boolean not null default false,
  primary key (conversation_id, party)
);
create index message_participants_inbox_idx on message_participants (party, last_message_at desc, conversation_id desc);
create index message_participants_unread_idx on message_participants (party) where unread > 0;

create table messages (
  id serial primary key,
  conversation_id integer not null references message_conversations (id) on delete cascade,
  sender text not null,
  -- The account that wrote it (the member on duty, for an organisation).
  sender_id integer references users (id) on delete set null,
  body text not null,
  -- Sent after «Вы уверены?» over a hold of the moderation pipeline (a stop word).
  flagged boolean not null default false,
  flag_reasons text not null default '',
  -- The text was erased (its author's account was deleted).
  erased boolean not null default false,
  ip_hash text not null default '',
  created_at timestamptz not null
);
create index messages_conversation_idx on messages (conversation_id, id);
create index messages_sender_idx on messages (sender_id, created_at);
create index messages_ip_idx on messages (ip_hash, created_at);
create index messages_created_idx on messages (created_at);

-- A party that no longer wants to hear from another: the blocked side can neither
-- start nor send to the blocker.
create table message_blocks (
  blocker text not null check (blocker ~ '^[uo]:[1-9][0-9]*$'),
  blocked text not null check (blocked ~ '^[uo]:[1-9][0-9]*$'),
  by_user integer references users (id) on delete set null,
  created_at timestamptz not null,
  primary key (blocker, blocked)
);
create index message_blocks_blocked_idx on message_blocks (blocked);
