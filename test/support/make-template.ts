// Builds the test template (see template.ts): run by scripts/test.mjs before the suite.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/connection.js';
import { buildApp } from '../../src/server.js';
import { seedDemoIfEmpty } from '../../demo/seed.js';
import { adminQuery, withDatabase, type TemplateInfo } from './template.js';

const [dir, runId] = process.argv.slice(2) as [string, string];
fs.mkdirSync(dir, { recursive: true });
const base = process.env.DATABASE_URL;
const info: TemplateInfo = { dir, uploadsDir: path.join(dir, 'uploads') };
let url: string | undefined;
if (base) {
  info.pgDatabase = `gorod_tpl_${runId}`;
  await adminQuery(base, `create database ${info.pgDatabase}`);
  url = withDatabase(base, info.pgDatabase);
}
const config = { ...loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'warn', SEED_DEMO: 'false' }), databaseUrl: url, redisUrl: undefined };
const database = await openDatabase({ url });
const app = await buildApp({ config, database, logger: false });
await app.ready();
await seedDemoIfEmpty(app, { comments: false });
await app.close();
if (database.pglite) {
  const tarball = await database.pglite.dumpDataDir('gzip');
  info.pgliteTarball = path.join(dir, 'pglite.tar.gz');
  fs.writeFileSync(info.pgliteTarball, Buffer.from(await tarball.arrayBuffer()));
}
await database.close();
fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify(info));
