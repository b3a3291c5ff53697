// What the platform and the modules add to Fastify's types: the app's shared
// services, the request's reader and locale, and per-route options.
import type { FastifyInstance, RawServerDefault, FastifyBaseLogger } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { Database } from './db/connection.js';
import type { Role } from './db/schema.js';
import type { Clock } from './platform/clock.js';
import type { PageCache } from './platform/cache.js';
import type { Memo } from './platform/memo.js';
import type { Mailer } from './platform/mail.js';
import type { Session, SessionUser, Sessions } from './platform/sessions.js';
import type { I18n } from './platform/i18n/index.js';
import type { Metrics } from './platform/metrics.js';
import type { Jobs } from './platform/jobs.js';
import type { Events } from './platform/events.js';
import type { FrontDoors } from './web/front-door.js';
import type { Subjects } from './platform/subjects.js';
import type { Extensions } from './platform/extensions.js';
import type { Settings } from './platform/settings.js';
import type { ReaderState } from './platform/reader-state.js';
import type { ReaderRows } from './platform/reader-rows.js';

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    database: Database;
    clock: Clock;
    secret: string;
    pageCache: PageCache;
    /** Data shared by every reader, kept briefly under the page cache (platform/memo.ts). */
    memo: Memo;
    /** Handlers that answer the hottest requests before Fastify does (web/front-door.ts). */
    frontDoors: FrontDoors;
    mailer: Mailer;
    sessions: Sessions;
    metrics: Metrics;
    jobs: Jobs;
    redis: Redis | undefined;
    events: Events;
    /** What reactions, comments and reports attach to (platform/subjects.ts); modules register their kinds. */
    subjects: Subjects;
    /** Named capabilities one module offers and another asks for (platform/extensions.ts). */
    extensions: Extensions;
    /** Typed site-wide settings (platform/settings.ts). */
    settings: Settings;
    /** The reader's state for a page, one part per module, in one GET (platform/reader-state.ts). */
    readerState: ReaderState;
    /** How each module moves a reader's rows on sign-in and forgets them with the account (platform/reader-rows.ts). */
    readerRows: ReaderRows;
  }
  interface FastifyRequest {
    session: Session | null;
    user: SessionUser | null;
    i18n: I18n;
    /** This visitor's CSRF token (sets the cookie when it is new). */
    csrfToken(): string;
  }
  interface FastifyContextConfig {
    /** 'origin': a no-JS form on a cached page; same-origin proof is enough. false: no check (no cookies used). */
    csrf?: boolean | 'origin';
    /** Only these roles may call the route (admin always may). */
    roles?: Role[];
  }
}
