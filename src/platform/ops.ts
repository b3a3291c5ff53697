// What an operator's tools call: liveness, readiness (database reachable and every
// migration applied) and Prometheus metrics.
import fp from 'fastify-plugin';
import type { App } from '../types.js';
import { pendingMigrations } from '../db/migrator.js';

async function opsRoutes(app: App) {
  const hidden = { hide: true };
  app.get('/healthz', { schema: hidden }, async (_req, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));

  app.get('/readyz', { schema: hidden }, async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      await app.database.ping();
      const pending = await pendingMigrations(app.database);
      if (pending.length) return reply.status(503).send({ status: 'not ready', reason: 'migrations pending', pending });
      return { status: 'ready', database: app.database.kind, redis: app.redis ? app.redis.status : 'off' };
    } catch (err) {
      return reply.status(503).send({ status: 'not ready', reason: 'database unreachable', message: (err as Error).message });
    }
  });

  app.get('/metrics', { schema: hidden }, async (_req, reply) => {
    const body = await app.metrics.registry.metrics();
    return reply.header('cache-control', 'no-store').type(app.metrics.registry.contentType).send(body);
  });

  // The reader's language: a preference cookie, then back to where they were.
  app.get('/lang/:locale', { schema: hidden }, async (req, reply) => {
    const { locale } = req.params as { locale: string };
    if (locale !== 'ru' && locale !== 'en') return reply.callNotFound();
    reply.setCookie('gorod_lang', locale, { path: '/', sameSite: 'lax', maxAge: 365 * 86400, httpOnly: true });
    const referer = req.headers.referer;
    let back = '/';
    try {
      if (referer && new URL(referer).host === req.headers.host) back = new URL(referer).pathname;
    } catch {
      // A malformed Referer: go home.
    }
    return reply.redirect(back, 303);
  });
}

export default fp(opsRoutes, { name: 'ops' });
