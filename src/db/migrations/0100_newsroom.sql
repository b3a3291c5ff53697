-- The newsroom back office: who started an article (an author edits their own),
-- the home page slots editors fill, and the audit log of editorial actions.
alter table articles add column created_by integer references users (id) on delete set null;
create index articles_created_by_idx on articles (created_by) where created_by is not null;
-- The back office lists every article newest change first, with filters.
create index articles_updated_idx on articles (updated_at desc);
create index articles_title_trgm_idx on articles using gin (title gin_trgm_ops);
create index article_revisions_article_idx on article_revisions (article_id, revision desc);

-- Home page slots: 'lead' holds the lead story, 'latest' the items pinned at the
-- top of «Последние новости», 'section:<id>' those pinned in a section's block.
create table home_slots (
  slot text not null,
  position integer not null,
  article_id integer not null references articles (id) on delete cascade,
  primary key (slot, position)
);

-- Who created, changed, published, unpublished or deleted what, and when.
create table audit_log (
  id bigint generated always as identity primary key,
  user_id integer references users (id) on delete set null,
  action text not null,
  entity text not null,
  entity_id integer,
  summary text not null default '',
  created_at timestamptz not null default now()
);
create index audit_log_created_idx on audit_log (created_at desc);
create index audit_log_entity_idx on audit_log (entity, entity_id);
