// What an operator's tools call: liveness, readiness (database reachable and every
// migration applied) and Prometheus metrics.
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import type { App } from '../types.js';
import { pendingMigrations } from '../db/migrator.js';
import { plain, redirect } from './openapi.js';
import { safeEqual } from './secrets.js';

const tags = ['ops'];
const LOOPBACK = /^(?:127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
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

  // Metrics tell an outsider more than a reader should know (routes, traffic,
  // errors), so: with METRICS_TOKEN, the scraper's bearer token; without it, only
  // a client on this machine (req.ip, which honours TRUST_PROXY alone, so a
  // request through a trusted proxy is judged by its real client). Anyone else
  // gets the plain 404 of a page that does not exist.
  app.get('/metrics', { schema: { tags, summary: 'Prometheus metrics (Authorization: Bearer METRICS_TOKEN, or from this machine when no token is set)', response: { 200: plain('Prometheus text format') } } }, async (req, reply) => {
    const token = app.config.metricsToken;
    const allowed = token ? safeEqual(req.headers.authorization ?? '', `Bearer ${token}`) : LOOPBACK.test(req.ip);
    if (!allowed) return reply.callNotFound();
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
