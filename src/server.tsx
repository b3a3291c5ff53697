// Builds the app. Reads like a table of contents: platform first, then the
// modules in the order a request meets them.
import crypto from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.js';
import type { App } from './types.js';
import { openDatabase, type Database } from './db/connection.js';
import { migrate } from './db/migrator.js';
import { systemClock, type Clock } from './platform/clock.js';
import { loadSecret } from './platform/secrets.js';
import { PageCache } from './platform/cache.js';
import { Memo } from './platform/memo.js';
import { createMailer } from './platform/mail.js';
import { createSessions } from './platform/sessions.js';
import { createMetrics } from './platform/metrics.js';
import { createJobs } from './platform/jobs.js';
import { connectRedis } from './platform/redis.js';
import { Events } from './platform/events.js';
import { Subjects } from './platform/subjects.js';
import { Extensions } from './platform/extensions.js';
import { createSettings } from './platform/settings.js';
import { installReader } from './platform/reader.js';
import { ReaderRows } from './platform/reader-rows.js';
import httpPlatform, { localeOf, sendError, type HttpPlatformOptions } from './platform/http.js';
import opsRoutes from './platform/ops.js';
import openApi, { serveApiDocs } from './platform/openapi.js';
import { i18n } from './platform/i18n/index.js';
import { registerAssets } from './web/assets.js';
import { createPages } from './web/pages.js';
import { pageCacheFrontDoor } from './web/page-cache-front.js';
import { FrontDoors } from './web/front-door.js';
import { ReaderState } from './platform/reader-state.js';
import readerStateRoutes from './web/reader-state-routes.js';
import { Widgets } from './web/widgets.js';
import adminShell from './web/admin.js';
import { ErrorPage } from './web/error-page.js';
import { renderDocument } from './web/render.js';
import mediaModule from './modules/media/routes.js';
import contentModule from './modules/content/routes.js';
import accountsModule from './modules/accounts/routes.js';
import { notificationsModule } from './modules/notifications/index.js';
import syndicationModule from './modules/syndication/routes.js';
import newsroomModule from './modules/newsroom/routes.js';
import audienceModule from './modules/audience/routes.js';
import searchModule from './modules/search/routes.js';
import reactionsModule from './modules/reactions/routes.js';
import typosModule from './modules/typos/routes.js';
import moderationModule from './modules/moderation/index.js';
import commentsModule from './modules/comments/routes.js';
import forumsModule from './modules/forums/index.js';
import newsletterModule from './modules/newsletter/index.js';
import liveModule from './modules/live/index.js';
import messagesModule from './modules/messages/index.js';
import datingModule from './modules/dating/index.js';
import classifiedsModule from './modules/classifieds/index.js';
import organisationsModule from './modules/organisations/routes.js';
import infoPagesModule from './modules/info-pages/routes.js';
import wordpressImportModule from './modules/wordpress-import/routes.js';
import './types.js';

export interface BuildOptions {
  config: Config;
  clock?: Clock;
  /** An open database to use (tests share one); otherwise opened from config. */
  database?: Database;
  logger?: boolean | object;
}

export async function buildApp({ config, clock = systemClock, database, logger }: BuildOptions): Promise<App> {
  const renderError: HttpPlatformOptions['renderError'] = (req, status, message) => {
    const ctx = app.pages.context(Object.assign(req, { i18n: req.i18n ?? i18n(localeOf(req), config.timezone) }));
    return renderDocument(<ErrorPage ctx={ctx} status={status} message={message} />);
  };
  // The hottest requests are answered before Fastify (web/front-door.ts): page-cache
  // hits, view beacons. The doors open once the app is ready and close when it
  // starts closing.
  const frontDoors = new FrontDoors();
  const app = Fastify({
    serverFactory: (handler, fastifyOptions) => {
      const options = fastifyOptions as unknown as { keepAliveTimeout: number; requestTimeout: number; connectionTimeout: number };
      const server = http.createServer((req, res) => {
        if (!frontDoors.answer(req, res)) handler(req, res);
      });
      // What Fastify sets on the servers it makes itself.
      server.keepAliveTimeout = options.keepAliveTimeout;
      server.requestTimeout = options.requestTimeout;
      server.setTimeout(options.connectionTimeout);
      return server;
    },
    logger: logger ?? { level: config.logLevel },
    genReqId: () => crypto.randomUUID(),
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // A URL the router cannot decode never reaches the hooks: answer it here, in Russian.
    frameworkErrors: (err, req, reply) => {
      req.i18n ??= i18n(localeOf(req), config.timezone);
      return sendError(req, reply, 400, err.code, req.i18n.t('error.badPath'), { renderError });
    },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  const db = database ?? (await openDatabase({ url: config.databaseUrl, pgliteDir: path.join(config.dataDir, 'pglite') }));
  const ownsDatabase = !database;
  await migrate(db);

  app.decorate('config', config);
  app.decorate('database', db);
  app.decorate('clock', clock);
  app.decorate('secret', await loadSecret(db, config.secret));
  app.decorate('metrics', createMetrics());
  app.decorate('pageCache', new PageCache());
  app.decorate('sessions', createSessions({ db: db.db, clock }));
  app.decorate('mailer', createMailer({ smtpUrl: config.smtpUrl, outboxDir: path.join(config.dataDir, 'outbox'), from: `${config.siteName} <noreply@${new URL(config.publicUrl).hostname}>`, log: app.log, poolConnections: config.smtpPoolConnections, ratePerSecond: config.smtpRate }));
  app.decorate('jobs', createJobs(db, app.log, { enabled: config.jobs }));
  // PGlite has no autovacuum, so nothing gathers the planner's statistics; without
  // them a planner guesses (PostgreSQL right after a bulk write planned search as if
  // most documents were missing, 3–4 times slower: bench/fixtures.ts). Analyze once
  // the portal is up, then hourly, as autovacuum does on a server.
  if (db.kind === 'pglite') app.jobs.define('db.analyze', 3600_000, () => db.exec('analyze'));
  // On the app's clock, like the rest (tests move it).
  app.decorate('memo', new Memo({ now: () => clock.now().getTime() }));
  // Page-cache hits first: they are most of the traffic. Modules add theirs (audience: view beacons).
  frontDoors.add(pageCacheFrontDoor({ cache: app.pageCache, trustProxy: config.trustProxy, hits: app.metrics.pageCache }));
  app.decorate('frontDoors', frontDoors);
  // Every purge of pages, here or from another instance, also purges their data.
  app.pageCache.onPurge((tags) => app.memo.purge(tags));
  app.decorate('widgets', new Widgets(app.memo));
  app.decorate('events', new Events());
  app.decorate('subjects', new Subjects());
  app.decorate('extensions', new Extensions());
  app.decorate('settings', createSettings(db.db, { memo: app.memo, purge: (tags) => app.pageCache.purge(tags) }));
  app.decorate('readerState', new ReaderState());
  // One reader per request (req.reader()), and one place that moves a reader's rows.
  installReader(app);
  app.decorate('readerRows', new ReaderRows(db.db));
  app.readerRows.listen(app.events);
  app.decorate('redis', undefined);
  if (config.redisUrl) {
    const onError = (err: Error) => app.log.warn({ err: err.message }, 'redis unavailable');
    const publisher = connectRedis(config.redisUrl, onError);
    const subscriber = connectRedis(config.redisUrl, onError, { subscriber: true });
    app.redis = publisher;
    app.pageCache.connect(publisher, subscriber, config.redisPrefix);
    app.addHook('onClose', async () => {
      publisher.disconnect();
      subscriber.disconnect();
    });
  }

  // First: it documents every route registered after it (/api/docs).
  await app.register(openApi);

  // ---- platform ----
  const assets = await registerAssets(app);
  await app.register(httpPlatform, { renderError });
  // After the platform's hooks: the page cache needs the reader's locale.
  app.decorate('pages', createPages(app, assets));
  await app.register(opsRoutes);
  await app.register(adminShell);

  // ---- modules ----
  await app.register(mediaModule);
  await app.register(accountsModule);
  await app.register(organisationsModule);
  await app.register(notificationsModule);
  await app.register(contentModule);
  await app.register(syndicationModule);
  await app.register(newsroomModule);
  await app.register(audienceModule);
  await app.register(searchModule);
  await app.register(reactionsModule);
  await app.register(typosModule);
  await app.register(moderationModule);
  await app.register(commentsModule);
  await app.register(forumsModule);
  // After content, audience and accounts, whose services the digest and the profile use.
  await app.register(newsletterModule);
  await app.register(liveModule);
  // Before classifieds and dating, which add their conversation policies to it.
  await app.register(messagesModule);
  // After messages (its conversation policy), organisations, moderation and notifications.
  await app.register(classifiedsModule);
  // After messages (its conversation policy), moderation and notifications.
  await app.register(datingModule);
  await app.register(infoPagesModule);
  // After content, comments and media, whose write paths it uses; its 301s answer the platform's 404.
  await app.register(wordpressImportModule);
  // Last: its answer holds every module's part.
  await app.register(readerStateRoutes);

  serveApiDocs(app);

  app.addHook('onReady', async () => {
    frontDoors.setOpen(true);
    await app.jobs.start();
    if (db.kind === 'pglite') app.jobs.kick('db.analyze');
  });
  // On close, Fastify closes the connections idle at that moment; one whose request
  // was still being answered stayed open after its answer (keep-alive), and the
  // close waited for the client to hang up — up to the keep-alive timeout, past the
  // 15 s a stop may take. Close each as soon as it falls idle.
  let closeIdle: NodeJS.Timeout | undefined;
  app.addHook('preClose', async () => {
    frontDoors.setOpen(false);
    closeIdle = setInterval(() => app.server.closeIdleConnections(), 50);
  });
  app.addHook('onClose', async () => {
    clearInterval(closeIdle);
    await app.jobs.stop();
    app.mailer.close();
    if (ownsDatabase) await db.close();
  });
  return app;
}
