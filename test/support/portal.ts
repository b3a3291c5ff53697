// Starts a real portal for a test: its own fresh database (a copy of the demo
// template, or empty), its own data folder, listening on a free port.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/connection.js';
import { buildApp } from '../../src/server.js';
import { ManualClock, systemClock, type Clock } from '../../src/platform/clock.js';
import type { App } from '../../src/types.js';
import { adminQuery, templateInfo, withDatabase } from './template.js';
import { Client } from './client.js';

export interface Portal {
  app: App;
  /** The PostgreSQL URL of this portal's database, when on a server. */
  databaseUrl?: string;
  redisPrefix: string;
  url: string;
  dataDir: string;
  database: Database;
  clock: Clock;
  /** A browser-like client with its own cookies. */
  client(defaultHeaders?: Record<string, string>): Client;
  close(): Promise<void>;
}

export interface PortalOptions {
  /** Start from the demo portal (default) or from an empty database. */
  demo?: boolean;
  clock?: Clock | ManualClock;
  env?: Record<string, string>;
  config?: Partial<Config>;
  /** Redis prefix to share with another portal (several instances of one site). */
  redisPrefix?: string;
  /** Another instance of the same site: same PostgreSQL database, data folder and Redis prefix. */
  shareWith?: Portal;
}

export async function startPortal(opts: PortalOptions = {}): Promise<Portal> {
  if (opts.shareWith) return startInstance(opts.shareWith, opts);
  const demo = opts.demo ?? true;
  const template = demo ? templateInfo() : undefined;
  if (demo && !template) throw new Error('no test template: run the suite with `npm test` (scripts/test.mjs builds it)');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-test-'));
  if (template) fs.cpSync(template.uploadsDir, path.join(dataDir, 'uploads'), { recursive: true });

  const base = process.env.DATABASE_URL;
  let url: string | undefined;
  let dbName: string | undefined;
  if (base) {
    dbName = `gorod_t_${crypto.randomBytes(6).toString('hex')}`;
    await adminQuery(base, template?.pgDatabase ? `create database ${dbName} template ${template.pgDatabase}` : `create database ${dbName}`);
    url = withDatabase(base, dbName);
  }
  const database = await openDatabase({
    url,
    poolSize: 5,
    loadDataDir: !base && template?.pgliteTarball ? new Blob([fs.readFileSync(template.pgliteTarball)]) : undefined,
  });
  const config: Config = {
    ...loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', SEED_DEMO: 'false', ...opts.env }),
    databaseUrl: url,
    // With REDIS_URL (CI's second run) every portal uses Redis, under its own prefix
    // unless it shares one with another instance on purpose.
    redisUrl: opts.env?.REDIS_URL ?? process.env.REDIS_URL,
    redisPrefix: opts.redisPrefix ?? `gorod-test:${crypto.randomBytes(4).toString('hex')}:`,
    ...opts.config,
  };
  const clock = opts.clock ?? systemClock;
  const app = await buildApp({ config, database, clock, logger: false });
  const portal = await listen(app, config, database, dataDir, clock, url);
  const close = portal.close;
  return {
    ...portal,
    async close() {
      await close();
      if (base && dbName) await adminQuery(base, `drop database if exists ${dbName} with (force)`).catch(() => {});
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A second app on the first one's database and data folder, as another instance would be. */
async function startInstance(first: Portal, opts: PortalOptions): Promise<Portal> {
  if (!first.databaseUrl) throw new Error('several instances need PostgreSQL (DATABASE_URL)');
  const database = await openDatabase({ url: first.databaseUrl, poolSize: 5 });
  const config: Config = { ...first.app.config, ...opts.config, redisPrefix: first.redisPrefix };
  const clock = opts.clock ?? systemClock;
  const app = await buildApp({ config: { ...config }, database, clock, logger: false });
  return listen(app, { ...config }, database, first.dataDir, clock, first.databaseUrl);
}

async function listen(app: App, config: Config, database: Database, dataDir: string, clock: Clock, databaseUrl: string | undefined): Promise<Portal> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const portalUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  app.config.publicUrl = portalUrl;
  return {
    app,
    databaseUrl,
    redisPrefix: config.redisPrefix,
    url: portalUrl,
    dataDir,
    database,
    clock,
    client: (defaultHeaders) => new Client(portalUrl, defaultHeaders),
    async close() {
      await app.close();
      await database.close().catch(() => {});
    },
  };
}

export async function withPortal<T>(fn: (portal: Portal) => Promise<T>, opts?: PortalOptions): Promise<T> {
  const portal = await startPortal(opts);
  try {
    return await fn(portal);
  } finally {
    await portal.close();
  }
}
