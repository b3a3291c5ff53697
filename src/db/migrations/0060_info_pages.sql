-- The pages the footer links to and the newsroom edits in the back office («О
-- проекте», «Контакты редакции», «Реклама», «Правила»), and the imprint a
-- registered outlet prints on every page: founder, editor-in-chief, registration.
-- The four pages exist from the start (the footer always has them); their texts
-- are the newsroom's (the demo fills them).
create table info_pages (
  slug text primary key check (slug ~ '^[a-z0-9-]{1,40}$'),
  title text not null check (length(title) between 1 and 120),
  body text not null default '',
  position integer not null,
  updated_at timestamptz not null default now(),
  updated_by integer references users (id) on delete set null
);
insert into info_pages (slug, title, position) values
  ('about', 'О проекте', 1),
  ('contacts', 'Контакты редакции', 2),
  ('advertising', 'Реклама', 3),
  ('rules', 'Правила', 4);

-- One row: the portal has one imprint.
create table info_imprint (
  id boolean primary key default true check (id),
  founder text not null default '',
  editor_in_chief text not null default '',
  registration text not null default '',
  updated_at timestamptz not null default now(),
  updated_by integer references users (id) on delete set null
);
insert into info_imprint default values;
