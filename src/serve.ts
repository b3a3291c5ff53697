// Runs the portal until SIGTERM or SIGINT, then closes gracefully: stops taking
// connections, lets requests in flight finish, runs every onClose hook (flushes).
import type { Config } from './config.js';
import type { Database } from './db/connection.js';
import type { DemoAdmin } from '../demo/seed.js';
import { buildApp } from './server.js';
import type { App } from './types.js';
import { demoAdminBlock } from './cli/demo-admin.js';

export interface ServeOptions {
  /** The demo admin account a `gorod seed` child made on this first start, shown once the portal listens. */
  admin?: DemoAdmin | null;
  /** Run once the portal listens (`gorod demo live` starts its entries here). */
  afterListen?: (app: App) => Promise<void>;
}

export async function serve(config: Config, database: Database, options: ServeOptions = {}): Promise<void> {
  const app = await buildApp({ config, database });
  await readyToRun(app, database);
  // Before listening, so the first reader sees the whole demo portal. Normally done
  // already by a child process (cli/demo-child.ts); here for a database that was
  // created empty (`gorod migrate` first).
  // The demo (its texts, its drawing) is loaded only for a database without articles.
  const empty = config.seedDemo && !options.admin && (await app.content.countArticles()) === 0;
  const admin = options.admin ?? (empty ? await seedHere(app) : null);
  await app.listen({ port: config.port, host: config.host });
  if (admin) process.stderr.write(demoAdminBlock(admin, config.publicUrl));
  await options.afterListen?.(app);
}

/** The demo and its progress bar (cli-progress) load only when a database needs them. */
async function seedHere(app: App): Promise<DemoAdmin | null> {
  const [{ seedDemoIfEmpty }, { progressOn }] = await Promise.all([import('../demo/seed.js'), import('./cli/progress.js')]);
  return seedDemoIfEmpty(app, { progress: progressOn(process.stderr, 'demo', { unit: 'images and articles' }) });
}

/**
 * Readies a server or worker process's app and closes it gracefully on SIGTERM or
 * SIGINT: requests and jobs in flight finish, every onClose hook runs (flushes), the
 * database closes; past 15 s the process exits anyway.
 */
export async function readyToRun(app: App, database: Database): Promise<void> {
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await app.close();
      await database.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  await app.ready();
  // The browser bundles are built (web/assets.ts, newsroom/assets.ts): esbuild's
  // service process, some 20 MB beside every instance, has nothing left to do.
  const esbuild = await import('esbuild');
  await esbuild.stop();
}
