-- Site-wide settings shared by every instance, e.g. the signing secret made on
-- first start, so several instances sign cookies alike without extra config.
create table settings (
  key text primary key,
  value text not null
);
