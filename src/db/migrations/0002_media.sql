-- Uploaded images. Files live under DATA_DIR/uploads/<storage_key>/; the row lists
-- the responsive variants made from the original.
create table images (
  id integer generated always as identity primary key,
  storage_key text not null unique,
  mime text not null,
  width integer not null,
  height integer not null,
  bytes integer not null,
  variants jsonb not null default '[]',
  alt text not null default '',
  created_by integer references users (id) on delete set null,
  created_at timestamptz not null default now()
);
