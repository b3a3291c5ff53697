// The reader's own pages: profile and avatar, password change and reset by e-mail,
// sessions, export and deletion (notifications: modules/notifications). Every write is CSRF-checked; the
// ones a stranger can make (reset requests) are rate-limited per IP.
import { Type } from '@sinclair/typebox';
import multipart from '@fastify/multipart';
import { readUpload } from '../media/index.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { App } from '../../types.js';
import { DomainError, HttpError } from '../../platform/errors.js';
import { domainMessage } from '../../platform/i18n/index.js';
import { SESSION_COOKIE } from '../../platform/sessions.js';
import { html } from '../../platform/openapi.js';
import { FormPage } from '../../web/components/forms.js';
import { DataPage, ForgotPage, PasswordPage, ProfilePage, ResetPage, SessionsPage } from './views/account.js';

const signedIn = { roles: ['reader', 'author', 'editor', 'moderator'] as ('reader' | 'author' | 'editor' | 'moderator')[] };
const tags = ['accounts'];
/** A page of the reader's own (also the answer of its form, with a message). */
const page = <T extends object>(summary: string, extra?: T) => ({ tags, summary, response: { 200: html('The page') }, ...(extra as T) });
const Csrf = { _csrf: Type.Optional(Type.String()) };
const ProfileBody = Type.Object({ ...Csrf, displayName: Type.String({ maxLength: 200 }) });
const PasswordBody = Type.Object({ ...Csrf, current: Type.String({ maxLength: 200 }), password: Type.String({ maxLength: 200 }) });
const ForgotBody = Type.Object({ ...Csrf, email: Type.String({ maxLength: 254 }) });
const ResetBody = Type.Object({ ...Csrf, password: Type.String({ maxLength: 200 }) });
const TokenParams = Type.Object({ token: Type.String({ maxLength: 100 }) });
const EndBody = Type.Object({ ...Csrf, id: Type.String({ maxLength: 100 }) });
const DeleteBody = Type.Object({ ...Csrf, password: Type.String({ maxLength: 200 }) });

export default async function selfRoutes(app: App) {
  const accounts = app.accounts;
  // The newsroom may register multipart for the whole app; this scope needs it only for avatars.
  if (!app.hasContentTypeParser('multipart/form-data')) await app.register(multipart, { limits: { fileSize: app.config.maxUploadBytes, files: 1, fields: 5 } });

  const send = (req: FastifyRequest, reply: FastifyReply, node: VNode, status = 200) => app.pages.send(req, reply.status(status), node, { status });
  const ctx = (req: FastifyRequest) => app.pages.context(req);
  const currentSessionId = (req: FastifyRequest) => req.session?.id ?? null;

  // Shows a form page again with the service's message for a 4xx (a DomainError's
  // words come from the reader's locale).
  async function orError<T>(req: FastifyRequest, work: () => Promise<T>, onError: (message: string, status: number) => unknown) {
    try {
      return await work();
    } catch (err) {
      const message = err instanceof DomainError ? domainMessage(req.i18n, err) : err instanceof HttpError ? err.message : null;
      const status = (err as { statusCode?: number }).statusCode ?? 500;
      if (message !== null && status < 500 && status !== 429) {
        await onError(message, status);
        return undefined;
      }
      throw err;
    }
  }

  // ---------- profile ----------

  async function profilePage(req: FastifyRequest, reply: FastifyReply, opts: { notice?: string; error?: string; status?: number } = {}) {
    const user = await accounts.profile(req.user!.id);
    const avatar = user.avatar_id ? (await app.media.get([user.avatar_id])).get(user.avatar_id) : undefined;
    const sections = await accounts.profileSections(req);
    return send(req, reply, <ProfilePage ctx={ctx(req)} csrf={req.csrfToken()} user={user} avatar={avatar} sections={sections} notice={opts.notice} error={opts.error} />, opts.status);
  }

  app.get('/account', { config: signedIn, schema: page('My profile') }, (req, reply) => profilePage(req, reply));

  app.post('/account/profile', { config: signedIn, schema: page('Save my name', { body: ProfileBody }) }, async (req, reply) => {
    const ok = await orError(
      req,
      async () => {
        await accounts.updateProfile(req.user!.id, { displayName: req.body.displayName });
        return true;
      },
      (error, status) => profilePage(req, reply, { error, status }),
    );
    if (!ok) return reply;
    return profilePage(req, reply, { notice: req.i18n.t('account.saved') });
  });

  // A file form's fields arrive after the CSRF check runs, so this form proves its
  // origin instead (Sec-Fetch-Site / Origin, which browsers send on every POST).
  app.post('/account/avatar', { config: { ...signedIn, csrf: 'origin', rateLimit: { max: 10, timeWindow: '10 minutes' } }, schema: page('Upload my avatar: a multipart/form-data form with one image file', { consumes: ['multipart/form-data'] }) }, async (req, reply) => {
    const buffer = await readUpload(req, app.config.maxUploadBytes);
    if (!buffer) return profilePage(req, reply, { error: req.i18n.t('account.noFile'), status: 400 });
    const image = await orError(
      req,
      () => app.media.store(buffer, { createdBy: req.user!.id }),
      (error, status) => profilePage(req, reply, { error, status }),
    );
    if (!image) return reply;
    await accounts.setAvatar(req.user!.id, image.id);
    return profilePage(req, reply, { notice: req.i18n.t('account.avatarSaved') });
  });

  // ---------- password ----------

  app.get('/account/password', { config: signedIn, schema: page('The password form') }, async (req, reply) => send(req, reply, <PasswordPage ctx={ctx(req)} csrf={req.csrfToken()} />));

  app.post('/account/password', { config: { ...signedIn, rateLimit: { max: 10, timeWindow: '10 minutes' } }, schema: page('Change my password (other sessions end)', { body: PasswordBody }) }, async (req, reply) => {
    const done = await orError(
      req,
      async () => {
        await accounts.changePassword(req.user!.id, req.body.current, req.body.password, currentSessionId(req));
        return true;
      },
      (error, status) => send(req, reply, <PasswordPage ctx={ctx(req)} csrf={req.csrfToken()} error={error} />, status),
    );
    if (!done) return reply;
    return send(req, reply, <PasswordPage ctx={ctx(req)} csrf={req.csrfToken()} notice={req.i18n.t('account.passwordChanged')} />);
  });

  app.get('/forgot', { schema: page('Forgot my password: the form') }, async (req, reply) => send(req, reply, <ForgotPage ctx={ctx(req)} csrf={req.csrfToken()} />));

  // The same answer whether or not the address is registered: no account discovery.
  app.post('/forgot', { config: { rateLimit: { max: 5, timeWindow: '10 minutes' } }, schema: page('Send a password reset link (the same answer for unknown addresses)', { body: ForgotBody }) }, async (req, reply) => {
    const reset = await accounts.requestReset(req.body.email);
    if (reset) {
      const link = `${app.config.publicUrl}/reset/${reset.token}`;
      await app.mailer.send({
        to: reset.email,
        subject: req.i18n.t('mail.reset.subject', { site: app.config.siteName }),
        text: req.i18n.t('mail.reset.body', { name: reset.displayName, link }),
      });
    }
    return send(req, reply, <ForgotPage ctx={ctx(req)} csrf={req.csrfToken()} notice={req.i18n.t('account.resetSent')} />);
  });

  app.get('/reset/:token', { schema: page('The new password form of a reset link', { params: TokenParams }) }, async (req, reply) => {
    const ok = await accounts.resetTokenValid(req.params.token);
    return send(req, reply, <ResetPage ctx={ctx(req)} csrf={req.csrfToken()} token={req.params.token} showForm={ok} error={ok ? undefined : req.i18n.t('account.resetBad')} />, ok ? 200 : 400);
  });

  app.post('/reset/:token', { config: { rateLimit: { max: 10, timeWindow: '10 minutes' } }, schema: page('Set a new password from a reset link', { params: TokenParams, body: ResetBody }) }, async (req, reply) => {
    const token = req.params.token;
    const done = await orError(
      req,
      () => accounts.resetPassword(token, req.body.password),
      (error, status) => send(req, reply, <ResetPage ctx={ctx(req)} csrf={req.csrfToken()} token={token} showForm={status !== 400 || !error.includes('Ссылка')} error={error} />, status),
    );
    if (done === undefined) return reply;
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return send(req, reply, <ResetPage ctx={ctx(req)} csrf={req.csrfToken()} token={token} showForm={false} notice={req.i18n.t('account.resetDone')} />);
  });

  // ---------- sessions ----------

  async function sessionsPage(req: FastifyRequest, reply: FastifyReply, notice?: string) {
    const sessions = await accounts.sessions(req.user!.id);
    return send(req, reply, <SessionsPage ctx={ctx(req)} csrf={req.csrfToken()} sessions={sessions} currentId={currentSessionId(req) ?? ''} notice={notice} />);
  }

  app.get('/account/sessions', { config: signedIn, schema: page('My sessions (devices signed in)') }, (req, reply) => sessionsPage(req, reply));

  app.post('/account/sessions/end', { config: signedIn, schema: page('End one of my other sessions', { body: EndBody }) }, async (req, reply) => {
    if (req.body.id === currentSessionId(req)) throw new HttpError(400, 'current_session', 'Чтобы завершить этот сеанс, выйдите из аккаунта');
    const ended = await accounts.endSession(req.user!.id, req.body.id);
    if (!ended) throw new HttpError(404, 'session_not_found', 'Сеанс не найден');
    return sessionsPage(req, reply, req.i18n.t('account.sessionEnded'));
  });

  app.post('/account/sessions/end-others', { config: signedIn, schema: page('End all my other sessions', { body: Type.Object(Csrf) }) }, async (req, reply) => {
    await accounts.endOtherSessions(req.user!.id, currentSessionId(req)!);
    return sessionsPage(req, reply, req.i18n.t('account.othersEnded'));
  });

  // ---------- my data ----------

  app.get('/account/data', { config: signedIn, schema: page('Export or delete my data') }, async (req, reply) => send(req, reply, <DataPage ctx={ctx(req)} csrf={req.csrfToken()} />));

  app.get('/account/export', { config: signedIn, schema: { tags, summary: 'Everything the portal keeps about me, as a JSON file', response: { 200: { description: 'gorod-data.json (an attachment)', content: { 'application/json': { schema: Type.Object({}, { additionalProperties: true, description: 'my data by module' }) } } } } } }, async (req, reply) => {
    const data = await accounts.exportData(req.user!.id);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', 'attachment; filename="gorod-data.json"')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2));
  });

  app.post('/account/delete', { config: { ...signedIn, rateLimit: { max: 5, timeWindow: '10 minutes' } }, schema: page('Delete my account (with my password)', { body: DeleteBody }) }, async (req, reply) => {
    const done = await orError(
      req,
      async () => {
        await accounts.deleteAccount(req.user!.id, req.body.password);
        return true;
      },
      (error, status) => send(req, reply, <DataPage ctx={ctx(req)} csrf={req.csrfToken()} error={error} />, status),
    );
    if (!done) return reply;
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    req.user = null;
    return send(req, reply, <FormPage ctx={ctx(req)} title={req.i18n.t('account.delete')} notice={req.i18n.t('account.deleted')} />);
  });
}
