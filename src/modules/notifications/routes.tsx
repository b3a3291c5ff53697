// Notifications: the list at /me/notifications (plain forms: mark one read, mark all
// read; following an item reads it), the JSON API beside it, the preferences in the
// profile page, the account corner's counter, and the mail job. Every write is the
// signed-in reader's own, CSRF-checked and rate-limited.
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import { html, redirect, RowId } from '../../platform/openapi.js';
import { i18n as i18nFor } from '../../platform/i18n/index.js';
import { DomainError } from '../../platform/errors.js';
import { NotificationKinds } from './kinds.js';
import { createNotificationsService } from './service.js';
import { createMailChannel } from './mail-channel.js';
import { NotificationsPage } from './views/list.js';
import { PreferencesForm } from './views/preferences.js';
import type { Notifications } from './index.js';

declare module 'fastify' {
  interface FastifyInstance {
    notifications: Notifications;
  }
}

const signedIn = { roles: ['reader', 'author', 'editor', 'moderator'] as ('reader' | 'author' | 'editor' | 'moderator')[] };
const tags = ['notifications'];
const writes = { max: 60, timeWindow: '1 minute' };
const MINUTE = 60_000;
/** How often the mail job looks for what is due: well inside the shortest window. */
export const MAIL_JOB_EVERY_MS = 30_000;
export const MAIL_JOB = 'notifications.mail';

const IdParams = Type.Object({ id: RowId() });
const Csrf = { _csrf: Type.Optional(Type.String({ maxLength: 200 })) };
const OneOrMany = Type.Union([Type.String({ maxLength: 40 }), Type.Array(Type.String({ maxLength: 40 }), { maxItems: 50 })]);
const PrefsForm = Type.Object({ ...Csrf, kinds: OneOrMany, site: Type.Optional(OneOrMany), mail: Type.Optional(OneOrMany) });
const PrefBody = Type.Object({ kind: Type.String({ maxLength: 40 }), channel: Type.String({ maxLength: 40, description: 'site or mail' }), enabled: Type.Boolean() });
const Preference = Type.Object({ kind: Type.String(), site: Type.Boolean(), mail: Type.Boolean() });
const Preferences = Type.Object({ preferences: Type.Array(Preference) });
const Item = Type.Object({
  id: Type.Integer(),
  kind: Type.String({ description: 'reply, …' }),
  subject: Type.Union([Type.Object({ kind: Type.String(), id: Type.Integer() }), Type.Null()]),
  actorName: Type.String(),
  excerpt: Type.String(),
  url: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  read: Type.Boolean(),
});
const List = Type.Object({ unread: Type.Integer(), items: Type.Array(Item) });
const Unread = Type.Object({ unread: Type.Integer() });

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

async function notificationsModule(app: App) {
  const kinds = new NotificationKinds();
  const service = createNotificationsService({ db: app.database.db, clock: app.clock, kinds });
  // A reply to something the reader wrote: comments today, forum posts next.
  kinds.define({ kind: 'reply', defaults: { site: true, mail: true }, mailWindowMs: app.config.notifyMailWindowMinutes * MINUTE });
  const mail = createMailChannel({
    service,
    mailer: app.mailer,
    contact: (userId) => app.accounts.contact(userId),
    i18n: i18nFor('ru', app.config.timezone),
    siteName: app.config.siteName,
    publicUrl: app.config.publicUrl,
    dailyCap: app.config.notifyMailDailyCap,
    log: app.log,
  });
  const notifications: Notifications = {
    kinds,
    notify: (n) => service.notify(n),
    notifyMany: (list) => service.notifyMany(list),
    unreadCount: (userId) => service.unreadCount(userId),
    readAbout: (userIds, kind, url) => service.readAbout(userIds, kind, url),
    skipMail: (userIds, kind, url) => service.skipMail(userIds, kind, url),
    dropWaitingMail: () => service.dropWaitingMail(),
    sendDueMail: () => mail.run(),
  };
  app.decorate('notifications', notifications);
  app.jobs.define(MAIL_JOB, MAIL_JOB_EVERY_MS, () => mail.run());

  app.accounts.addCounter('notifications', (userId) => service.unreadCount(userId));
  app.accounts.addExport('notifications', (userId) => service.exportFor(userId));
  app.accounts.addProfileSection('notifications', async (req) => {
    const saved = (req.query as Record<string, unknown> | undefined)?.notifications === 'saved';
    return <PreferencesForm i18n={req.i18n} csrf={req.csrfToken()} prefs={await service.preferences(req.user!.id)} notice={saved ? req.i18n.t('notifications.preferencesSaved') : undefined} />;
  });

  const page = (summary: string, extra: object = {}) => ({ tags, summary, response: { 200: html('The page') }, ...extra });
  const back = (summary: string) => ({ tags, summary, response: { 303: redirect('Back to the list') } });
  const userId = (req: FastifyRequest) => req.user!.id;

  async function listPage(req: FastifyRequest, reply: FastifyReply, notice?: string) {
    const [items, unread] = await Promise.all([service.list(userId(req)), service.unreadCount(userId(req))]);
    return app.pages.send(req, reply, <NotificationsPage ctx={app.pages.context(req)} csrf={req.csrfToken()} items={items} unread={unread} notice={notice} />);
  }

  app.get('/me/notifications', { config: signedIn, schema: page('My notifications, newest first (opening the list does not read them)') }, (req, reply) => listPage(req, reply));

  // The list's old address.
  app.get('/account/notifications', { schema: { tags, summary: 'Moved to /me/notifications', response: { 301: redirect('/me/notifications') } } }, (_req, reply) => reply.redirect('/me/notifications', 301));

  app.get('/me/notifications/:id', { config: signedIn, schema: { tags, summary: 'Open a notification: marks it read and goes to its link', params: IdParams, response: { 303: redirect('The notification’s link') } } }, async (req, reply) => {
    const url = await service.markRead(userId(req), req.params.id);
    if (!url) throw new DomainError('notifications.not_found', {}, 404);
    return reply.redirect(url, 303);
  });

  app.post('/me/notifications/:id/read', { config: { ...signedIn, rateLimit: writes }, schema: { ...back('Mark one of my notifications read'), params: IdParams, body: Type.Object(Csrf) } }, async (req, reply) => {
    if (!(await service.markRead(userId(req), req.params.id))) throw new DomainError('notifications.not_found', {}, 404);
    return reply.redirect('/me/notifications', 303);
  });

  app.post('/me/notifications/read-all', { config: { ...signedIn, rateLimit: writes }, schema: { ...back('Mark all my notifications read'), body: Type.Object(Csrf) } }, async (req, reply) => {
    await service.markAllRead(userId(req));
    return reply.redirect('/me/notifications', 303);
  });

  app.post(
    '/me/notifications/preferences',
    { config: { ...signedIn, rateLimit: writes }, schema: { tags, summary: 'Save which notifications to get (the profile’s form): every listed kind, its checked channels on', body: PrefsForm, response: { 303: redirect('Back to the profile') } } },
    async (req, reply) => {
      const on = { site: list(req.body.site), mail: list(req.body.mail) };
      const changes = list(req.body.kinds).flatMap((kind) => (['site', 'mail'] as const).map((channel) => ({ kind, channel, enabled: on[channel].includes(kind) })));
      // A checked box of a kind the form did not list is as unknown as a listed one.
      for (const kind of [...on.site, ...on.mail]) if (!changes.some((c) => c.kind === kind)) changes.push({ kind, channel: 'site', enabled: on.site.includes(kind) });
      await service.setPreferences(userId(req), changes);
      return reply.redirect('/account?notifications=saved#notification-preferences', 303);
    },
  );

  // ---------- JSON ----------

  const item = (n: Awaited<ReturnType<typeof service.list>>[number]) => ({
    id: n.id,
    kind: n.kind,
    subject: n.subject_kind && n.subject_id ? { kind: n.subject_kind, id: n.subject_id } : null,
    actorName: n.actor_name,
    excerpt: n.excerpt,
    url: n.url,
    createdAt: n.created_at.toISOString(),
    read: !!n.read_at,
  });

  app.get('/api/me/notifications', { config: signedIn, schema: { tags, summary: 'My notifications (the newest 20) and the unread count', response: { 200: List } } }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const [unread, items] = await Promise.all([service.unreadCount(userId(req)), service.list(userId(req), 20)]);
    return { unread, items: items.map(item) };
  });

  app.post('/api/me/notifications/:id/read', { config: { ...signedIn, rateLimit: writes }, schema: { tags, summary: 'Mark one of my notifications read', params: IdParams, response: { 200: Unread } } }, async (req) => {
    if (!(await service.markRead(userId(req), req.params.id))) throw new DomainError('notifications.not_found', {}, 404);
    return { unread: await service.unreadCount(userId(req)) };
  });

  app.post('/api/me/notifications/read-all', { config: { ...signedIn, rateLimit: writes }, schema: { tags, summary: 'Mark all my notifications read', response: { 200: Unread } } }, async (req) => {
    await service.markAllRead(userId(req));
    return { unread: 0 };
  });

  app.get('/api/me/notifications/preferences', { config: signedIn, schema: { tags, summary: 'Which notifications I get, per kind and channel', response: { 200: Preferences } } }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return { preferences: await service.preferences(userId(req)) };
  });

  app.put('/api/me/notifications/preferences', { config: { ...signedIn, rateLimit: writes }, schema: { tags, summary: 'Turn one kind of notification on or off in one channel', body: PrefBody, response: { 200: Preferences } } }, async (req) => {
    return { preferences: await service.setPreferences(userId(req), [req.body]) };
  });

}

export default fp(notificationsModule, { name: 'notifications', dependencies: ['accounts'], decorators: { fastify: ['accounts', 'jobs', 'mailer'] } });
