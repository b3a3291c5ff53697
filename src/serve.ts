// Runs the portal until SIGTERM or SIGINT, then closes gracefully: stops taking
// connections, lets requests in flight finish, runs every onClose hook (flushes).
import type { Config } from './config.js';
import type { Database } from './db/connection.js';
import { buildApp } from './server.js';
import { seedDemoIfEmpty } from '../demo/seed.js';

export async function serve(config: Config, database: Database): Promise<void> {
  const app = await buildApp({ config, database });
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
  // Before listening, so the first reader sees the whole demo portal.
  if (config.seedDemo) await seedDemoIfEmpty(app);
  await app.listen({ port: config.port, host: config.host });
}
