// `npm run bench -- --only dating`: dating at scale, in this process, on PGlite (or
// PostgreSQL with --pg / DATABASE_URL). BENCH_DATING_PROFILES (default 100,000)
// generated profiles — their special fields encrypted as the module stores them,
// one ciphertext per value (a bench shortcut: the search never decrypts a row it
// does not return) — then:
//   1. the compatible search (gender, age range, intention, district, with photo)
//      of 300 random readers, one after another: p50 / p95 / p99 (goal p95 < 50 ms);
//   2. likes: BENCH_DATING_PAIRS (default 2,000) compatible pairs like each other,
//      both sides at once, BENCH_DATING_CONCURRENCY (default 32) likes in flight:
//      likes per second (goal ≥ 1,000 on PostgreSQL) and the exactness of the
//      matches (every pair matched exactly once). The service is called directly:
//      the figure is the like's own cost, without HTTP and the match notification.
// On PostgreSQL the bench uses its own database, gorod_bench_dating, on the server
// DATABASE_URL names (dropped and made again each run; never DATABASE_URL's own).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/server.js';
import { DEFAULT_DISTRICTS, fieldCipher } from '../src/modules/dating/index.js';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export async function benchDating({ pg }: { pg: boolean }): Promise<void> {
  const count = Number(process.env.BENCH_DATING_PROFILES ?? 100_000);
  const pairs = Number(process.env.BENCH_DATING_PAIRS ?? 2000);
  const concurrency = Number(process.env.BENCH_DATING_CONCURRENCY ?? 32);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-bench-dating-'));
  const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: dataDir, SEED_DEMO: 'false', LOG_LEVEL: 'warn' };
  if (!pg) delete env.DATABASE_URL;
  else {
    const url = new URL(env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    url.pathname = '/gorod_bench_dating';
    env.DATABASE_URL = url.toString();
    await recreate(env.DATABASE_URL);
  }
  const config = loadConfig(env);
  const app = await buildApp({ config, logger: false });
  await app.ready();
  try {
    const { db } = app.database;
    const cipher = fieldCipher(app.secret);
    const enc = (field: 'seek' | 'intention', value: string) => ({ enc: cipher.encrypt(value), key: cipher.blindIndex(field, value) });
    const seeks = { m: enc('seek', 'm'), f: enc('seek', 'f'), any: enc('seek', 'any') };
    const intentions = ['friendship', 'communication', 'relationship', 'marriage'].map((i) => enc('intention', i));
    const about = cipher.encrypt('Люблю город, книги и прогулки.');
    const districts = DEFAULT_DISTRICTS;
    let t = Date.now();
    await sql`insert into users (email, password_hash, display_name) select 'dating-bench-' || g || '@example.ru', 'x', 'Читатель ' || g from generate_series(1, ${count + 2 * pairs}) g`.execute(db);
    const first = Number((await sql<{ id: number }>`select min(id) as id from users where email like 'dating-bench-%'`.execute(db)).rows[0]!.id);
    // Deterministic spread: gender by parity, seek mostly the other gender (1 in 10 «any»),
    // intention in four, ages 18–70, ranges around the age, ten districts, 70 % with photos.
    await sql`insert into dating_profiles (user_id, display_name, birth_date, gender, seek_enc, seek_key, intention_enc, intention_key, about_enc, age_min, age_max, district, photo_count,
        consent_version, consent_text, consent_at, consent_ip_hash, rules_at, last_seen_at)
      select u.id, u.display_name, (current_date - ((18 + (g * 7919) % 52) * 365 + (g * 31) % 360) * interval '1 day')::date,
        case when g % 2 = 0 then 'f' else 'm' end,
        case when g % 10 = 3 then ${seeks.any.enc} when g % 2 = 0 then ${seeks.m.enc} else ${seeks.f.enc} end,
        case when g % 10 = 3 then ${seeks.any.key} when g % 2 = 0 then ${seeks.m.key} else ${seeks.f.key} end,
        (array[${intentions[0]!.enc}, ${intentions[1]!.enc}, ${intentions[2]!.enc}, ${intentions[3]!.enc}])[1 + (g / 2) % 4],
        (array[${intentions[0]!.key}, ${intentions[1]!.key}, ${intentions[2]!.key}, ${intentions[3]!.key}])[1 + (g / 2) % 4],
        ${about}, greatest(18, 18 + (g * 7919) % 52 - 8), least(99, 18 + (g * 7919) % 52 + 10),
        (array[${sql.join(districts)}])[1 + (g * 13) % ${districts.length}], case when g % 10 < 7 then 1 else 0 end,
        'bench', 'bench', now(), 'bench', now(), now() - ((g * 17) % 100000) * interval '1 second'
      from generate_series(1, ${count}) g join users u on u.id = ${first} - 1 + g`.execute(db);
    await sql`analyze`.execute(db);
    process.stderr.write(`bench: ${count} dating profiles in ${((Date.now() - t) / 1000).toFixed(1)} s (${app.database.kind})\n`);

    // 1. The compatible search, sequential.
    const times: number[] = [];
    let found = 0;
    for (let i = 0; i < 300; i++) {
      const viewer = first + ((i * 337) % count);
      const me = await app.dating.service.me(viewer);
      if (!me) continue;
      const district = districts[(i * 7) % districts.length]!;
      const filters = { gender: me.seekGenders[0], ageMin: Math.max(18, me.age - 5), ageMax: Math.min(99, me.age + 5), district, withPhoto: true };
      const s = performance.now();
      found += (await app.dating.service.search(me, filters)).length;
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    const search = { queries: times.length, found_avg: +(found / times.length).toFixed(1), p50_ms: +percentile(times, 50).toFixed(1), p95_ms: +percentile(times, 95).toFixed(1), p99_ms: +percentile(times, 99).toFixed(1) };

    // 2. Likes: pairs made compatible on purpose, both sides liking at once.
    const base = first + count;
    await sql`insert into dating_profiles (user_id, display_name, birth_date, gender, seek_enc, seek_key, intention_enc, intention_key, about_enc, age_min, age_max, district,
        consent_version, consent_text, consent_at, consent_ip_hash, rules_at)
      select ${base} + g, 'Пара ' || g, (current_date - interval '30 years')::date, case when g % 2 = 0 then 'm' else 'f' end,
        case when g % 2 = 0 then ${seeks.f.enc} else ${seeks.m.enc} end, case when g % 2 = 0 then ${seeks.f.key} else ${seeks.m.key} end,
        ${intentions[0]!.enc}, ${intentions[0]!.key}, ${about}, 18, 99, 'Центральный', 'bench', 'bench', now(), 'bench', now()
      from generate_series(0, ${2 * pairs - 1}) g`.execute(db);
    const mes = await Promise.all(Array.from({ length: 2 * pairs }, (_, i) => app.dating.service.me(base + i)));
    const jobs: (() => Promise<unknown>)[] = [];
    for (let p = 0; p < pairs; p++) {
      const [a, b] = [mes[2 * p]!, mes[2 * p + 1]!];
      jobs.push(() => app.dating.service.like(a, b.id), () => app.dating.service.like(b, a.id));
    }
    let next = 0;
    let matchedCalls = 0;
    t = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < jobs.length) {
          const r = (await jobs[next++]!()) as { matched: boolean };
          if (r.matched) matchedCalls++;
        }
      }),
    );
    const likeMs = performance.now() - t;
    const matchedRows = Number((await sql<{ n: string }>`select count(*) as n from dating_pairs where low_id >= ${base} and matched_at is not null`.execute(db)).rows[0]!.n);
    const likes = { likes: jobs.length, concurrency, seconds: +(likeMs / 1000).toFixed(2), likes_per_s: Math.round(jobs.length / (likeMs / 1000)), pairs, matches_reported: matchedCalls, matches_stored: matchedRows, exact: matchedCalls === pairs && matchedRows === pairs };

    const report = { database: app.database.kind, profiles: count, search, likes };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`dating (${app.database.kind}): compatible search p95 ${search.p95_ms} ms (goal < 50); ${likes.likes_per_s} likes/s (goal ≥ 1,000 on PostgreSQL), matches exact: ${likes.exact}\n`);
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A fresh bench database on the server (dropped and made again). */
async function recreate(url: string) {
  const { default: pgLib } = await import('pg');
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pgLib.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`drop database if exists ${name} with (force)`);
  await client.query(`create database ${name}`);
  await client.end();
}
