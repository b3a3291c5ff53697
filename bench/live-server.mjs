// One portal instance for the live-coverage benchmark (bench/live.ts), in its own
// process, as `npm start` runs one: plain JavaScript over the compiled dist/ (no
// TypeScript loader in the process — tsx alone holds some 45 MB and the sources'
// maps), with the start script's Node options (bench/live.ts passes them). An empty
// portal (PGlite in a fresh folder, or DATABASE_URL; REDIS_URL when given), one
// live article, the stream ceilings raised for the run. Talks to the parent over
// IPC: { publish } adds an entry through the live service and purges as the console
// does, answering { seq }; { memory } answers the RSS.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, distOf, isFresh } from '../scripts/build.mjs';

if (!isFresh()) await build({ quiet: true });
const dist = (file) => import(pathToFileURL(path.join(distOf(), 'src', file)).href);
const [{ loadConfig }, { openDatabase }, { buildApp }, { LIVE_SETTINGS }] = await Promise.all([dist('config.js'), dist('db/connection.js'), dist('server.js'), dist('modules/live/index.js')]);

const dataDir = process.env.BENCH_LIVE_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-live-bench-'));
const config = { ...loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', SEED_DEMO: 'false', PORT: process.env.PORT ?? '0' }), databaseUrl: process.env.DATABASE_URL || undefined, redisUrl: process.env.REDIS_URL || undefined };
const database = await openDatabase({ url: config.databaseUrl, pgliteDir: path.join(dataDir, 'pglite') });
const app = await buildApp({ config, database, logger: { level: 'warn' } });
await app.ready();
// As `gorod serve` does: the bundles are built, esbuild's service has nothing left to do.
await (await import('esbuild')).stop();

let articleId = Number(process.env.BENCH_LIVE_ARTICLE ?? 0);
if (!articleId) {
  const sectionId = (await app.content.sections()).roots()[0]?.id ?? (await app.content.createSection({ title: 'Город', slug: 'gorod' }));
  articleId = await app.content.createArticle({ type: 'news', status: 'published', sectionId, title: 'Замер трансляции', lead: 'Замер', body: { blocks: [{ type: 'paragraph', data: { text: 'Замер.' } }] }, authorIds: [], publishedAt: new Date(Date.now() - 60_000) });
  await app.live.configure(articleId, { startsAt: new Date(Date.now() - 60_000), endsAt: null, order: 'newest' });
  await app.settings.set(LIVE_SETTINGS.maxStreams, 50_000);
  await app.settings.set(LIVE_SETTINGS.maxStreamsPerAddress, 50_000);
  await app.settings.set(LIVE_SETTINGS.streamMinutes, 60);
}
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.send({ ready: true, port, articleId, databaseUrl: config.databaseUrl });

let n = 0;
process.on('message', async (m) => {
  if (m.publish) {
    const v = await app.live.add(articleId, { blocks: [{ type: 'paragraph', data: { text: `Запись замера ${++n}` } }] }, { id: null, displayName: 'Замер' });
    await app.pageCache.purge([`article:${articleId}`, `live:${articleId}`]);
    process.send({ seq: v.seq });
  }
  // Measured after a full collection (the child runs with --expose-gc): what the instance holds, not its garbage.
  if (m.memory) globalThis.gc?.();
  if (m.memory) {
    const u = process.memoryUsage();
    process.send({ rss: u.rss, heap: u.heapTotal, external: u.external, streams: app.liveStreams.count, slow: app.liveStreams.stats.slow });
  }
  if (m.stop) {
    await app.close();
    await database.close();
    if (!process.env.BENCH_LIVE_DIR) fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  }
});
