-- Audience: views in hourly buckets per article (ТОП 5, statistics), what each
-- reader read (for «Рекомендуем»), and the editors' pins in «Рекомендуем».
create table article_views_hourly (
  article_id integer not null references articles (id) on delete cascade,
  hour timestamptz not null,
  views integer not null default 0,
  primary key (article_id, hour)
);
create index article_views_hourly_hour_idx on article_views_hourly (hour);

-- reader_key: 'u:<user id>' or 'a:<anonymous reader id>'. The article's section,
-- story and tags are copied at read time so scoring needs no join per reader.
create table reader_reads (
  reader_key text not null,
  article_id integer not null references articles (id) on delete cascade,
  section_id integer not null,
  story_id integer,
  tag_ids integer[] not null default '{}',
  read_at timestamptz not null,
  primary key (reader_key, article_id)
);
create index reader_reads_recent_idx on reader_reads (reader_key, read_at desc);
create index reader_reads_read_at_idx on reader_reads (read_at);

create table recommended_pins (
  article_id integer primary key references articles (id) on delete cascade,
  position integer not null default 0,
  pinned_by integer references users (id) on delete set null,
  pinned_at timestamptz not null default now(),
  until timestamptz
);
