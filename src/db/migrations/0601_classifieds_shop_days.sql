-- A storefront's lead counters per day (the sum of its ads' `ad_stats` rows), kept
-- with every count: a storefront's or an operator's series over 90 days reads 90
-- rows per storefront instead of summing its ads' rows (5,000 ads × 90 days).
create table ad_shop_days (
  organisation_id integer not null references organisations (id) on delete cascade,
  day date not null,
  views integer not null default 0,
  uniques integer not null default 0,
  reveals integer not null default 0,
  conversations integer not null default 0,
  favourites integer not null default 0,
  primary key (organisation_id, day)
);
