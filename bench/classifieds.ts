// `npm run bench -- --only classifieds`: the classifieds at scale, in this process,
// on PGlite (or PostgreSQL with --pg / DATABASE_URL). BENCH_ADS (default 200,000)
// generated active ads over the default categories (cars the largest), with their
// filter tokens, range columns and search documents as the module stores them,
// one storefront with 5,000 of them and 90 days of its lead counters; then, one
// after another, 300 times each:
//   1. a category page with three filters and a price range (the page of cards,
//      the total and the counts per filter value, uncached): goal p95 < 50 ms;
//   2. full text + filters: goal p95 < 80 ms;
//   3. the storefront's 90-day statistics (series per day, per ad): goal p95 < 50 ms.
//   4. the same category page over HTTP without the page cache (wrk, BENCH_CONNECTIONS
//      50, BENCH_THREADS 2, ADS_HTTP_SEC 10 s): every request carries a parameter the
//      route does not read (`b=…`, unique), so the page is rendered each time — its
//      list from the data cache (finding.list, 30 s, purged by writes) — against the
//      bare server answering as many bytes in the same run: goal ≥ 1,000 req/s.
// The operator's inbox across 50 storefronts is the messages bench's (--only messages).
// On PostgreSQL the bench uses its own database, gorod_bench_classifieds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/server.js';
import { filterQuery, type Catalogue, type Filters } from '../src/modules/classifieds/index.js';
import type { App } from '../src/types.js';
import { startBareServer } from './bare-server.js';
import { runWrk, wrkVersion } from './wrk.js';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function timed(label: string, goal: number, runs: number, fn: (i: number) => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await fn(i);
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  const p95 = percentile(times, 95);
  process.stdout.write(`${label}: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms (goal p95 < ${goal} ms) ${p95 < goal ? 'OK' : 'MISSED'}\n`);
}

export async function benchClassifieds({ pg }: { pg: boolean }): Promise<void> {
  const count = Number(process.env.BENCH_ADS ?? 200_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-bench-ads-'));
  const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: dataDir, SEED_DEMO: 'false', LOG_LEVEL: 'warn' };
  if (!pg) delete env.DATABASE_URL;
  else {
    const url = new URL(env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    url.pathname = '/gorod_bench_classifieds';
    env.DATABASE_URL = url.toString();
    const admin = new URL(url);
    admin.pathname = '/postgres';
    const pgLib = (await import('pg')).default;
    const c = new pgLib.Client({ connectionString: admin.toString() });
    await c.connect();
    await c.query('drop database if exists gorod_bench_classifieds');
    await c.query('create database gorod_bench_classifieds');
    await c.end();
  }
  const app = await buildApp({ config: loadConfig(env), logger: false });
  await app.ready();
  try {
    const { db } = app.database;
    const svc = app.classifieds;
    await svc.installDefaults();
    const cat = await svc.catalogue();
    const cars = cat.bySlug.get('cars')!;
    const leaves = [...cat.byId.values()].filter((c) => !c.children.length);
    const make = cars.fields.find((f) => f.code === 'make')!;
    const body = cars.fields.find((f) => f.code === 'body')!;
    const trans = cars.fields.find((f) => f.code === 'transmission')!;
    const makes = make.options.map((o) => o.value);
    const bodies = body.options.map((o) => o.value);
    const transmissions = trans.options.map((o) => o.value);
    const districts = cat.districts.map((d) => d.id);
    const owner = await app.accounts.createUser({ email: 'ads-bench@example.ru', password: 'пароль-для-бенча', displayName: 'Бенч', role: 'reader' });
    const shop = await svc.storefronts.create({ slug: 'bench-shop', name: 'Витрина бенча' }, owner.id);
    let t = Date.now();
    // Half the ads are cars (the heaviest category), the rest spread over every leaf.
    const words = ['диван', 'автомобиль', 'квартира', 'ремонт', 'пуховик', 'телефон', 'котёнок', 'шкаф', 'велосипед', 'ноутбук', 'стол', 'куртка'];
    await sql`insert into ads (category_id, user_id, organisation_id, status, title, description, price, district_id, phone, field_values, tokens, n1, n2, photo_count, document, text_hash, created_at, updated_at, published_at, sort_at, expires_at)
      select case when g % 2 = 0 then ${cars.id}::int else (array[${sql.join(leaves.map((l) => l.id))}]::int[])[1 + (g / 2) % ${leaves.length}] end,
        ${owner.id}::int, case when g <= 5000 then ${shop.id}::int else null end, 'active',
        'Объявление ' || g || ' ' || (array[${sql.join(words)}]::text[])[1 + g % ${words.length}],
        'Описание объявления номер ' || g || ', ' || (array[${sql.join(words)}]::text[])[1 + (g * 7) % ${words.length}] || ' в хорошем состоянии.',
        1000 + (g * 7919) % 3000000, (array[${sql.join(districts)}]::int[])[1 + g % ${districts.length}], '+79120000000', '{}',
        case when g % 2 = 0 then array['c' || ${cars.id}::int, 'c' || ${cars.parentId!}::int,
            'f' || ${make.id}::int || '=' || (array[${sql.join(makes)}]::text[])[1 + (g / 2) % ${makes.length}],
            'f' || ${body.id}::int || '=' || (array[${sql.join(bodies)}]::text[])[1 + (g / 3) % ${bodies.length}],
            'f' || ${trans.id}::int || '=' || (array[${sql.join(transmissions)}]::text[])[1 + (g / 5) % ${transmissions.length}]]
          else array['c0'] end
          || array['d' || (array[${sql.join(districts)}]::int[])[1 + g % ${districts.length}], case when g <= 5000 then 'biz' else 'private' end]
          || case when g % 10 < 7 then array['photo'] else '{}'::text[] end,
        case when g % 2 = 0 then 1995 + g % 30 else null end, case when g % 2 = 0 then (g * 31) % 300000 else null end,
        case when g % 10 < 7 then 1 else 0 end,
        setweight(to_tsvector('russian', 'Объявление ' || (array[${sql.join(words)}]::text[])[1 + g % ${words.length}]), 'A') || to_tsvector('russian', 'описание ' || (array[${sql.join(words)}]::text[])[1 + (g * 7) % ${words.length}] || ' хороший состояние'),
        md5(g::text), now() - (g % 60) * interval '1 day', now(), now(), now() - (g % 86400) * interval '1 minute', now() + interval '30 days'
      from generate_series(1, ${count}) g`.execute(db);
    // The storefront's 90 days: every ad seen on about a third of the days.
    await sql`insert into ad_stats (ad_id, day, organisation_id, user_id, views, uniques, reveals, conversations, favourites)
      select a.id, current_date - d, ${shop.id}::int, ${owner.id}::int, 1 + (a.id + d) % 7, 1 + (a.id + d) % 5, ((a.id + d) % 11 = 0)::int, ((a.id + d) % 17 = 0)::int, ((a.id + d) % 23 = 0)::int
      from ads a cross join generate_series(0, 89) d where a.organisation_id = ${shop.id}::int and (a.id + d) % 3 = 0`.execute(db);
    await sql`insert into ad_shop_days (organisation_id, day, views, uniques, reveals, conversations, favourites)
      select organisation_id, day, sum(views), sum(uniques), sum(reveals), sum(conversations), sum(favourites) from ad_stats where organisation_id = ${shop.id}::int group by organisation_id, day`.execute(db);
    await sql`analyze`.execute(db);
    process.stderr.write(`bench: ${count} ads, a storefront with 5,000 and 90 days of counters in ${((Date.now() - t) / 1000).toFixed(1)} s (${app.database.kind})\n`);

    const base = (i: number): Filters => ({
      category: cars,
      q: '',
      districts: [districts[i % districts.length]!],
      priceMin: 100_000 + (i % 10) * 50_000,
      priceMax: 2_500_000,
      photo: false,
      seller: null,
      values: new Map([[make.id, [makes[i % makes.length]!]], [body.id, [bodies[i % bodies.length]!, bodies[(i + 1) % bodies.length]!]]]),
      ranges: new Map([[1, { min: 2005, max: 2022 }]]),
      organisationId: null,
      sort: i % 3 === 0 ? 'price' : 'date',
      page: 1,
    });
    await timed('category page, 3 filters + price range (cards, total, counts)', 50, 300, async (i) => svc.finding.listUncached(base(i)));
    await timed('full text + filters (cards, total, counts)', 80, 300, async (i) => svc.finding.listUncached({ ...base(i), category: null, values: new Map(), ranges: new Map(), q: words[i % words.length]! }));
    await timed('storefront 90-day statistics (5,000 ads: the series by day or week)', 50, 300, async (i) => svc.leads.series({ organisationIds: [shop.id] }, 90, i % 2 ? 'day' : 'week'));
    await timed('storefront 90-day table per ad (5,000 ads × 90 days of rows; not a goal of the issue)', 50, 50, async () => svc.leads.perAd({ organisationIds: [shop.id] }, 90));
    await categoryOverHttp(app, base, cat);
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The category page with three filters and a price range over HTTP, past the page
 * cache (a unique unread parameter on every request), against the bare server with
 * the same body size, in turns.
 */
async function categoryOverHttp(app: App, base: (i: number) => Filters, cat: Catalogue) {
  if (!wrkVersion()) {
    process.stdout.write('wrk not found: no HTTP row (apt-get install wrk)\n');
    return;
  }
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  // Twelve addresses of the page (the filters of base(0…11)), taken in turn.
  const paths = Array.from({ length: 12 }, (_, i) => `/ads/cars/${filterQuery(base(i), cat)}`);
  const probe = await fetch(`${address}${paths[0]}&b=probe`);
  const body = Buffer.from(await probe.arrayBuffer());
  if (probe.status !== 200 || probe.headers.get('x-cache') === 'hit') throw new Error(`the category page answered ${probe.status} ${probe.headers.get('x-cache') ?? ''}`);
  const opts = { durationSec: Number(process.env.ADS_HTTP_SEC ?? 10), connections: Number(process.env.BENCH_CONNECTIONS ?? 50), threads: Number(process.env.BENCH_THREADS ?? 2) };
  const bare = await startBareServer();
  try {
    const bareUrl = `${bare.url}/bytes/${body.length}`;
    await runWrk({ url: address, paths, uniqueQuery: true }, { ...opts, durationSec: 2 });
    const page = await runWrk({ url: address, paths, uniqueQuery: true }, opts);
    const yardstick = await runWrk({ url: bareUrl }, opts);
    const errors = page.non2xx3xx + page.errors.connect + page.errors.read + page.errors.write + page.errors.timeout;
    process.stdout.write(
      `category page over HTTP, no page cache (${(body.length / 1024).toFixed(0)} KB, ${opts.connections} connections, ${opts.durationSec} s): ${Math.round(page.rps)} req/s, p50 ${page.latency.p50.toFixed(1)} ms, p99 ${page.latency.p99.toFixed(1)} ms, ${errors} errors; bare server ${Math.round(yardstick.rps)} req/s (goal ≥ 1,000 req/s) ${page.rps >= 1000 && !errors ? 'OK' : 'MISSED'}\n`,
    );
  } finally {
    await bare.child.stop();
  }
}
