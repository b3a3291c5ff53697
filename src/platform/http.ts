// The HTTP platform every module stands on: cookies and forms, the visitor's
// session and locale, CSRF and role checks, rate limits, security headers,
// metrics, and one error handler that answers JSON to the API and a Russian page
// to browsers.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import type { App } from '../types.js';
import { DomainError, HttpError } from './errors.js';
import { domainMessage, i18n, type I18n, type Locale } from './i18n/index.js';
import { SESSION_COOKIE } from './sessions.js';
import { CSRF_COOKIE, isSameOrigin, isSignedCsrfToken, makeCsrfToken, submittedToken } from './csrf.js';
import { setSecurityHeaders } from './security-headers.js';
import { fallbackStore } from './rate-limit-store.js';

export const LANG_COOKIE = 'gorod_lang';

declare module './extensions.js' {
  interface ExtensionPoints {
    /**
     * Where an address no route answers has moved (the WordPress import's old
     * permalinks): a path on this portal for a 301, or null for the 404. Asked only
     * for GET and HEAD, after every route has said no.
     */
    'http.movedAddress': (url: string) => Promise<string | null>;
  }
}
// No page of ours needs a longer address; longer ones are probes or broken links.
const MAX_URL_LENGTH = 2048;

export interface HttpPlatformOptions {
  /** Renders the Russian (or English) error page for browsers. */
  renderError: (req: FastifyRequest, status: number, message: string) => string;
}

export function wantsJson(req: FastifyRequest): boolean {
  if (req.url.startsWith('/api/')) return true;
  const accept = req.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** The 429 message: too many requests, and how many seconds to wait. */
export function tooManyRequests(i18n: Pick<I18n, 't'>, seconds: number): string {
  return i18n.t('error.429.wait', { text: i18n.t('error.429.text'), seconds });
}

export function localeOf(req: FastifyRequest): Locale {
  return req.cookies?.[LANG_COOKIE] === 'en' ? 'en' : 'ru';
}

// Fastify's own 4xx errors, in words a reader understands.
const FRAMEWORK_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'Слишком большой запрос',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Этот тип содержимого не поддерживается',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Пустое тело запроса вместо JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'Тело запроса — неверный JSON',
  FST_ERR_BAD_URL: 'Адрес страницы повреждён',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Неверная длина тела запроса',
  FST_ERR_ASYNC_CONSTRAINT: 'Неверный запрос',
};

/** Errors of a database that is away (restart, network) or a pool with no free connection. */
export function isDatabaseUnavailable(err: { code?: string; message?: string }): boolean {
  const code = err.code ?? '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08003', '08006', '53300'].includes(code) ||
    /timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error|Cannot use a pool after calling end|PGlite is closed|driver has already been destroyed/i.test(err.message ?? '')
  );
}

/** What no schema says but every table needs: finite numbers, and text without NUL (PostgreSQL cannot store it). */
function unstorable(value: unknown, depth = 0): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : 'a number out of range';
  if (typeof value === 'string') return value.includes('\u0000') ? 'a NUL character' : null;
  if (!value || typeof value !== 'object' || depth > 32) return null;
  for (const [key, v] of Object.entries(value)) {
    const problem = unstorable(key, depth + 1) ?? unstorable(v, depth + 1);
    if (problem) return problem;
  }
  return null;
}

export function sendError(req: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string, opts: HttpPlatformOptions, details?: Record<string, unknown>) {
  // Also here, not only in onSend: a URL the router cannot decode is answered from
  // frameworkErrors (server.tsx), which no hook sees.
  setSecurityHeaders(req, reply);
  if (wantsJson(req)) {
    return reply.status(status).type('application/json; charset=utf-8').send({ error: { code, message, ...(details ? { details } : {}) } });
  }
  return reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(opts.renderError(req, status, message));
}

async function httpPlatform(app: App, opts: HttpPlatformOptions) {
  // Every cookie we set is Secure when the request came over HTTPS (directly, or
  // through a TRUST_PROXY proxy's X-Forwarded-Proto) and not over plain HTTP.
  await app.register(cookie, { parseOptions: { secure: 'auto' } });
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(rateLimit, {
    global: false,
    // With Redis, every instance counts against the same limits (see rate-limit-store.ts).
    ...(app.redis ? { store: fallbackStore(app.redis, `${app.config.redisPrefix}rl:`) as never } : {}),
    keyGenerator: (req) => req.ip,
    errorResponseBuilder: (req, ctx) => new HttpError(429, 'rate_limited', tooManyRequests(req.i18n, Math.ceil(ctx.ttl / 1000))),
  });

  app.decorateRequest('session', null);
  app.decorateRequest('user', null);
  app.decorateRequest('i18n', null as never);
  app.decorateRequest('csrfToken', function (this: FastifyRequest) {
    const current = this.cookies[CSRF_COOKIE];
    if (isSignedCsrfToken(app.secret, current)) return current;
    const token = makeCsrfToken(app.secret);
    // Set on the reply so the form and the cookie travel together.
    (this as FastifyRequest & { newCsrf?: string }).newCsrf = token;
    this.cookies[CSRF_COOKIE] = token;
    return token;
  });

  app.addHook('onRequest', async (req, reply) => {
    req.i18n = i18n(localeOf(req), app.config.timezone);
    reply.header('x-request-id', req.id);
    if (req.url.length > MAX_URL_LENGTH) throw new HttpError(400, 'url_too_long', req.i18n.t('error.badPath'));
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      req.session = await app.sessions.lookup(token);
      req.user = req.session?.user ?? null;
    }
  });

  app.addHook('preValidation', async (req) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
    const mode = req.routeOptions.config.csrf ?? true;
    if (mode === false) return;
    const cookieToken = req.cookies[CSRF_COOKIE];
    if (isSignedCsrfToken(app.secret, cookieToken) && submittedToken(req) === cookieToken) return;
    if (mode === 'origin' && isSameOrigin(req, app.config.publicUrl)) return;
    throw new HttpError(403, 'csrf', req.i18n.t('error.csrf'));
  });

  // The last step of validation, for what would reach the database and fail there
  // with a 500: Ajv coerces "Infinity" and 1e400 to numbers that pass `integer`,
  // `minimum` and `maximum` (it checks limits on finite numbers only), and PostgreSQL
  // refuses text with a NUL character.
  app.addHook('preHandler', async (req) => {
    for (const [part, value] of [['params', req.params], ['querystring', req.query], ['body', req.body]] as const) {
      const problem = unstorable(value);
      if (problem) throw new HttpError(400, 'validation', req.i18n.t('error.validation', { details: `${part}: ${problem}` }));
    }
  });

  app.addHook('preHandler', async (req, reply) => {
    const roles = req.routeOptions.config.roles;
    if (!roles) return;
    if (!req.user) {
      if (wantsJson(req)) throw new HttpError(401, 'unauthorized', req.i18n.t('error.unauthorized'));
      return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    }
    if (req.user.role !== 'admin' && !roles.includes(req.user.role)) {
      throw new HttpError(403, 'forbidden', req.i18n.t('error.403.text'));
    }
  });

  app.addHook('onSend', async (req, reply) => {
    setSecurityHeaders(req, reply);
    const fresh = (req as FastifyRequest & { newCsrf?: string }).newCsrf;
    if (fresh) {
      reply.setCookie(CSRF_COOKIE, fresh, { path: '/', sameSite: 'lax', secure: req.protocol === 'https', httpOnly: false, maxAge: 60 * 60 * 24 * 30 });
    }
  });

  app.addHook('onResponse', async (req, reply) => {
    app.metrics.requestDuration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    req.i18n ??= i18n(localeOf(req), app.config.timezone);
    if (err instanceof HttpError) return sendError(req, reply, err.statusCode, err.code, err.message, opts, err.details);
    if (err instanceof DomainError) return sendError(req, reply, err.statusCode, err.code, domainMessage(req.i18n, err), opts, err.details);
    if (err.validation) {
      return sendError(req, reply, 400, 'validation', req.i18n.t('error.validation', { details: err.message }), opts);
    }
    if (isDatabaseUnavailable(err)) {
      // Not our bug: the database is restarting or the pool is exhausted. Tell the
      // client to retry, as /readyz tells the balancer.
      req.log.warn({ err: err.message }, 'database unavailable');
      reply.header('retry-after', '5');
      return sendError(req, reply, 503, 'unavailable', req.i18n.t('error.500.text'), opts);
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const message = FRAMEWORK_MESSAGES[err.code] ?? err.message;
      return sendError(req, reply, status, err.code ?? 'bad_request', message, opts);
    }
    req.log.error({ err }, 'request failed');
    return sendError(req, reply, 500, 'internal', req.i18n.t('error.500.text'), opts);
  });

  app.setNotFoundHandler(async (req, reply) => {
    req.i18n ??= i18n(localeOf(req), app.config.timezone);
    const moved = req.method === 'GET' || req.method === 'HEAD' ? app.extensions.get('http.movedAddress') : undefined;
    if (moved) {
      // A failed lookup is still a 404 (logged), never a 500 for an address nobody serves.
      const target = await moved(req.url).catch((err: Error) => (req.log.warn({ err: err.message }, 'moved-address lookup failed'), null));
      if (target) return reply.redirect(target, 301);
    }
    return sendError(req, reply, 404, 'not_found', req.i18n.t('error.404.text'), opts);
  });
}

export default fp(httpPlatform, { name: 'http-platform' });
