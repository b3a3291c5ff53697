// Sign-in, sign-out, registration with e-mail confirmation, and /api/me for the
// header island. Writes are rate-limited per IP and CSRF-checked; sign-in is also
// throttled per account and per IP with a growing wait (throttle.ts).
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import { HttpError } from '../../platform/errors.js';
import { SESSION_COOKIE, SESSION_DAYS } from '../../platform/sessions.js';
import { clientKey, READER_COOKIE, verifyReaderCookie } from '../../platform/reader.js';
import { waitText } from '../../platform/limits.js';
import { localTarget, safeNext } from '../../platform/redirects.js';
import { createAccounts } from './service.js';
import { createSelf } from './self-service.js';
import { createSignInThrottle, DEVICE_COOKIE, type SignInAttempt } from './throttle.js';
import { FormPage, PostButton } from '../../web/components/forms.js';
import { RegisterForm, SignInForm } from './views/sign-in-forms.js';
import selfRoutes from './self-routes.js';

export type Accounts = ReturnType<typeof createAccounts> & ReturnType<typeof createSelf>;
declare module 'fastify' {
  interface FastifyInstance {
    accounts: Accounts;
  }
}

const SignInBody = Type.Object({ _csrf: Type.Optional(Type.String()), email: Type.String({ maxLength: 254 }), password: Type.String({ maxLength: 200 }), next: Type.Optional(Type.String({ maxLength: 500 })) });
const RegisterBody = Type.Object({ _csrf: Type.Optional(Type.String()), email: Type.String({ maxLength: 254 }), password: Type.String({ maxLength: 200 }), displayName: Type.String({ maxLength: 100 }) });
const TokenParams = Type.Object({ token: Type.String({ maxLength: 100 }) });
const ConfirmBody = Type.Object({ _csrf: Type.Optional(Type.String()) });

async function accountsModule(app: App) {
  const accounts: Accounts = { ...createAccounts({ db: app.database.db, clock: app.clock, sessions: app.sessions }), ...createSelf({ db: app.database.db, clock: app.clock, events: app.events, sessions: app.sessions }) };
  app.decorate('accounts', accounts);
  const throttle = createSignInThrottle({ redis: app.redis, prefix: app.config.redisPrefix, clock: app.clock, secret: app.secret });
  const hidden = { hide: true };

  async function startSession(req: FastifyRequest, reply: FastifyReply, userId: number) {
    // A fresh session id on every sign-in: a planted cookie never becomes a session.
    const old = req.cookies[SESSION_COOKIE];
    if (old) await app.sessions.destroy(old);
    const token = await app.sessions.create(userId, req.headers['user-agent'] ?? '');
    // Secure behind HTTPS: the platform's cookie default (http.ts).
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: SESSION_DAYS * 86400 });
    // What this browser did anonymously (reactions, …) follows the reader into the account.
    await app.events.emit('reader.signedIn', { userId, anonymousId: verifyReaderCookie(app.secret, req.cookies[READER_COOKIE]) });
  }

  const page = (req: FastifyRequest, reply: FastifyReply, node: Parameters<typeof app.pages.send>[2], status = 200) => app.pages.send(req, reply.status(status), node, { status });

  app.get('/login', { schema: { ...hidden, querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 500 })) }) } }, async (req, reply) => {
    const ctx = app.pages.context(req);
    const notice = req.user ? req.i18n.t('auth.signedInAs', { name: req.user.displayName }) : undefined;
    return page(req, reply, <FormPage ctx={ctx} title={req.i18n.t('auth.signIn.title')} notice={notice}><SignInForm ctx={ctx} csrf={req.csrfToken()} next={safeNext(req.query.next, app.config.publicUrl)} /></FormPage>);
  });

  // The route's own rate limit only stops floods (argon2 costs CPU); guessing is
  // the throttle's job.
  app.post('/login', { schema: { ...hidden, body: SignInBody }, config: { rateLimit: { max: 20, timeWindow: '1 minute' } } }, async (req, reply) => {
    const ctx = app.pages.context(req);
    const form = (status: number, error: string) =>
      page(req, reply, <FormPage ctx={ctx} title={req.i18n.t('auth.signIn.title')} error={error}><SignInForm ctx={ctx} csrf={req.csrfToken()} next={safeNext(req.body.next, app.config.publicUrl)} email={req.body.email} /></FormPage>, status);
    // Our form only ever holds a path of this portal (see GET /login), so any other
    // `next` was made by hand: refused before the password is even looked at.
    if (req.body.next && !localTarget(req.body.next, app.config.publicUrl)) return form(400, req.i18n.t('auth.signIn.badNext'));
    const attempt: SignInAttempt = { email: req.body.email, client: clientKey(app.secret, req.ip), device: req.cookies[DEVICE_COOKIE] };
    const until = await throttle.refusedUntil(attempt);
    if (until) {
      const seconds = Math.max(1, Math.ceil((until.getTime() - app.clock.now().getTime()) / 1000));
      reply.header('retry-after', String(seconds));
      return form(429, req.i18n.t('auth.signIn.throttled', { wait: waitText(req, seconds), time: req.i18n.time(until) }));
    }
    // An unknown e-mail counts as a failure for that e-mail, exactly like a wrong
    // password, so the answers (and their timing: see verifyPassword) are the same.
    const user = await accounts.verifyPassword(req.body.email, req.body.password);
    if (!user) {
      await throttle.failed(attempt);
      return form(401, req.i18n.t('auth.signIn.failed'));
    }
    await throttle.succeeded(attempt);
    const device = throttle.deviceCookie(user.email);
    reply.setCookie(DEVICE_COOKIE, device.value, { path: '/login', httpOnly: true, sameSite: 'lax', maxAge: device.maxAge });
    if (!user.email_confirmed_at) return form(401, req.i18n.t('auth.signIn.unconfirmed', { email: user.email }));
    await startSession(req, reply, user.id);
    return reply.redirect(safeNext(req.body.next, app.config.publicUrl), 303);
  });

  app.get('/logout', { schema: hidden }, async (req, reply) => {
    const ctx = app.pages.context(req);
    return page(req, reply, <FormPage ctx={ctx} title={req.i18n.t('auth.signOut.title')}><PostButton action="/logout" csrf={req.csrfToken()} label={req.i18n.t('auth.signOut.submit')} /></FormPage>);
  });

  app.post('/logout', { schema: { ...hidden, body: ConfirmBody } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await app.sessions.destroy(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  });

  app.get('/register', { schema: hidden }, async (req, reply) => {
    const ctx = app.pages.context(req);
    return page(req, reply, <FormPage ctx={ctx} title={req.i18n.t('auth.register.title')}><RegisterForm ctx={ctx} csrf={req.csrfToken()} /></FormPage>);
  });

  app.post('/register', { schema: { ...hidden, body: RegisterBody }, config: { rateLimit: { max: 5, timeWindow: '10 minutes' } } }, async (req, reply) => {
    const ctx = app.pages.context(req);
    const { email, password, displayName } = req.body;
    try {
      const { token, existing } = await accounts.register({ email, password, displayName });
      // The page says the same for a new and a known address; only the mail differs,
      // and only the address's owner reads it.
      if (existing) {
        await app.mailer.send({
          to: existing.email,
          subject: req.i18n.t('mail.registered.subject', { site: app.config.siteName }),
          text: req.i18n.t('mail.registered.body', { name: existing.displayName, login: `${app.config.publicUrl}/login`, forgot: `${app.config.publicUrl}/forgot` }),
        });
      } else {
        const link = `${app.config.publicUrl}/confirm/${token}`;
        await app.mailer.send({
          to: email,
          subject: req.i18n.t('mail.confirm.subject', { site: app.config.siteName }),
          text: req.i18n.t('mail.confirm.body', { name: displayName.trim(), link }),
        });
      }
      return page(req, reply, <FormPage ctx={ctx} title={req.i18n.t('auth.register.title')} notice={req.i18n.t('auth.register.sent', { email })} />);
    } catch (err) {
      if (!(err instanceof HttpError) || err.statusCode >= 500) throw err;
      const error = req.i18n.t(err.message as Parameters<typeof req.i18n.t>[0]);
      return page(req, reply, <FormPage ctx={ctx} title={req.i18n.t('auth.register.title')} error={error}><RegisterForm ctx={ctx} csrf={req.csrfToken()} email={email} displayName={displayName} /></FormPage>, err.statusCode);
    }
  });

  // The link from the e-mail shows a button: mail scanners that open links must
  // not confirm an address on the reader's behalf.
  app.get('/confirm/:token', { schema: { ...hidden, params: TokenParams } }, async (req, reply) => {
    const ctx = app.pages.context(req);
    return page(req, reply, <FormPage ctx={ctx} title={req.i18n.t('auth.register.title')}><PostButton action={`/confirm/${encodeURIComponent(req.params.token)}`} csrf={req.csrfToken()} label={req.i18n.t('auth.register.submit')} /></FormPage>);
  });

  app.post('/confirm/:token', { schema: { ...hidden, params: TokenParams, body: ConfirmBody }, config: { rateLimit: { max: 20, timeWindow: '10 minutes' } } }, async (req, reply) => {
    const ctx = app.pages.context(req);
    const userId = await accounts.confirm(req.params.token);
    if (!userId) return page(req, reply, <FormPage ctx={ctx} title={req.i18n.t('auth.register.title')} error={req.i18n.t('auth.confirm.bad')} />, 400);
    await startSession(req, reply, userId);
    return page(req, reply, <FormPage ctx={ctx} title={req.i18n.t('auth.register.title')} notice={req.i18n.t('auth.confirm.ok')} />);
  });

  const Me = Type.Object({
    user: Type.Union([Type.Object({ id: Type.Integer(), displayName: Type.String(), role: Type.String(), unread: Type.Integer() }), Type.Null()]),
    csrfToken: Type.String(),
    labels: Type.Object({ profile: Type.String(), signOut: Type.String(), notifications: Type.String() }),
  });
  /** The account corner: who is signed in, the badge, a CSRF token (also a part of /api/reader-state). */
  const me = async (ctx: { user: FastifyRequest['user']; csrfToken: string; i18n: FastifyRequest['i18n'] }) => {
    const u = ctx.user;
    return {
      user: u ? { id: u.id, displayName: u.displayName, role: u.role, unread: await accounts.unread(u.id) } : null,
      csrfToken: ctx.csrfToken,
      labels: { profile: ctx.i18n.t('nav.profile'), signOut: ctx.i18n.t('nav.signOut'), notifications: ctx.i18n.t('account.notifications') },
    };
  };
  app.readerState.add('account', Me, me);

  app.get('/api/me', { schema: { tags: ['accounts'], summary: 'The signed-in reader, if any, and a CSRF token for API writes', response: { 200: Me } } }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    // A new browser gets its reader cookie from an island call, so its view beacon and
    // reactions later come from a reader issued before them (platform/reader-cap.ts).
    req.reader(reply);
    return me({ user: req.user, csrfToken: req.csrfToken(), i18n: req.i18n });
  });

  await app.register(selfRoutes);
}

export default fp(accountsModule, { name: 'accounts', decorators: { fastify: ['sessions', 'events', 'mailer'] } });
