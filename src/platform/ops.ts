// What an operator's tools call: liveness, readiness (database reachable and every
// migration applied) and Prometheus metrics.
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import type { App } from '../types.js';
import { pendingMigrations } from '../db/migrator.js';
import { plain, redirect } from './openapi.js';

const tags = ['ops'];
// Open to more properties, so a new detail is never dropped by the serializer.
const Ready = Type.Object({ status: Type.String({ description: 'ready' }), database: Type.Optional(Type.String()), redis: Type.Optional(Type.String()) }, { additionalProperties: true });
const NotReady = Type.Object(
  { status: Type.String({ description: 'not ready' }), reason: Type.String(), pending: Type.Optional(Type.Array(Type.String())), message: Type.Optional(Type.String()) },
  { additionalProperties: true },
);

async function opsRoutes(app: App) {
  app.get('/healthz', { schema: { tags, summary: 'Liveness: the process answers', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async (_req, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));

  app.get('/readyz', { schema: { tags, summary: 'Readiness: the database answers and every migration is applied', response: { 200: Ready, 503: NotReady } } }, async (_req, reply) => {
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

  app.get('/metrics', { schema: { tags, summary: 'Prometheus metrics', response: { 200: plain('Prometheus text format') } } }, async (_req, reply) => {
    const body = await app.metrics.registry.metrics();
    return reply.header('cache-control', 'no-store').type(app.metrics.registry.contentType).send(body);
  });

  // The reader's language: a preference cookie, then back to where they were.
  app.get('/lang/:locale', { schema: { tags, summary: 'Choose the language (ru or en) and go back', params: Type.Object({ locale: Type.String() }), response: { 303: redirect('Back to the page the reader came from') } } }, async (req, reply) => {
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
