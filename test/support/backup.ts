// Shared by the backup tests: a populated portal and its archive, the `gorod`
// command, and what a database and an uploads folder hold, to compare.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { sql } from 'kysely';
import tar from 'tar-stream';
import { startPortal, type Portal } from './portal.js';
import { uploadsOf } from './template.js';
import type { Database } from '../../src/db/connection.js';
import { backup, type Manifest } from '../../src/db/backup.js';

const gorod = path.resolve(import.meta.dirname, '../../bin/gorod.js');

/** The demo portal plus a comment, two reactions and an uploaded image, backed up to `archive`. */
export async function populatedPortal(archive: string): Promise<{ portal: Portal; manifest: Manifest }> {
  const portal = await startPortal({ config: { trustProxy: '127.0.0.1' } });
  // Some writes on top of the demo: a comment, reactions, an uploaded image.
  await portal.app.accounts.createUser({ email: 'reader@example.ru', password: 'пароль-читателя', displayName: 'Читатель', role: 'reader' });
  const reader = portal.client({ 'x-forwarded-for': '203.0.113.77' });
  await reader.signIn('reader@example.ru', 'пароль-читателя');
  const article = (await portal.app.content.latest({ limit: 1 }))[0]!;
  assert.equal((await reader.api('POST', '/api/comments', { articleId: article.id, body: 'Наконец-то сквер открыли! «Кавычки», emoji 🌳 и\nперевод строки.' })).status, 201);
  assert.equal((await reader.api('PUT', `/api/articles/${article.id}/reaction`, { kind: 'LIKE' })).status, 200);
  assert.equal((await portal.client({ 'x-forwarded-for': '203.0.113.78' }).api('PUT', `/api/articles/${article.id}/reaction`, { kind: 'SAD' })).status, 200);
  const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a7' } }).png().toBuffer();
  await portal.app.media.store(png, { alt: 'Новый сквер' });
  return { portal, manifest: await backup(portal.database, uploadsOf(portal.dataDir), archive) };
}

/** The restored database and uploads hold exactly what the portal does, and new ids follow the restored ones. */
export async function assertSameAsPortal(portal: Portal, restored: Database, dataDir: string) {
  const [want, got] = [await rowsOf(portal.database), await rowsOf(restored)];
  assert.deepEqual(Object.keys(got), Object.keys(want));
  for (const table of Object.keys(want)) assert.deepEqual(got[table], want[table], table);
  assert.ok(want.comments!.some((r) => r.includes('Наконец-то сквер')), 'the comment is there');
  assert.ok(want.reactions!.length >= 2 && want.images!.some((r) => r.includes('Новый сквер')), 'reactions and the upload are there');
  const files = filesOf(uploadsOf(dataDir));
  assert.deepEqual(files, filesOf(uploadsOf(portal.dataDir)));
  assert.ok(Object.keys(files).length > 10, 'the demo images and the upload');
  // Sequences continue after the restored ids: new rows do not collide.
  for (const table of ['users', 'comments', 'images', 'articles', 'reactions']) {
    const { rows } = await sql<{ next: number; max: number }>`select nextval(pg_get_serial_sequence(${table}, 'id'))::int as next, (select max(id)::int from ${sql.id(table)}) as max`.execute(restored.db);
    assert.ok(rows[0]!.next > rows[0]!.max, `${table}: next id ${rows[0]!.next} after ${rows[0]!.max}`);
  }
}

export function run(args: string[], env: Record<string, string | undefined>) {
  const e: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: undefined, REDIS_URL: undefined, ...env };
  for (const k of Object.keys(e)) if (e[k] === undefined) delete e[k];
  return spawnSync(process.execPath, [gorod, ...args], { env: e as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 120_000 });
}

/** Every table's rows as JSON text, sorted, timestamps in UTC. */
export async function rowsOf(database: Database): Promise<Record<string, string[]>> {
  return database.db.transaction().execute(async (trx) => {
    await sql`set local time zone 'UTC'`.execute(trx);
    const { rows: tables } = await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema() and tablename <> 'schema_migrations' order by 1`.execute(trx);
    const out: Record<string, string[]> = {};
    for (const { name } of tables) out[name] = (await sql<{ j: string }>`select to_jsonb(t)::text as j from ${sql.id(name)} as t`.execute(trx)).rows.map((r) => r.j).sort();
    return out;
  });
}

export function filesOf(dir: string): Record<string, string> {
  if (!fs.existsSync(dir)) return {};
  const out: Record<string, string> = {};
  for (const rel of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const full = path.join(dir, rel);
    if (fs.statSync(full).isFile()) out[rel] = crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex');
  }
  return out;
}

export async function readManifest(file: string): Promise<Manifest> {
  const extract = tar.extract();
  fs.createReadStream(file).pipe(zlib.createGunzip()).pipe(extract);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    extract.destroy();
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Manifest;
  }
  throw new Error('empty archive');
}

export async function archiveOf(files: Record<string, string>): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, text] of Object.entries(files)) pack.entry({ name }, text);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack.pipe(zlib.createGzip())) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
