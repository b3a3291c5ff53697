// The back office's dating (/admin/dating): photos waiting, reports, verification
// requests, the figures per day, one profile as staff see it; every decision (a
// photo, a verification, dismiss, ban, unban, delete) goes to the audit log.
// Moderators, editors and admins.
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import { DomainError } from '../../platform/errors.js';
import { html, pageResponses, redirect, RowId } from '../../platform/openapi.js';
import type { Role } from '../../platform/roles.js';
import { adminNav } from '../../web/admin.js';
import { DatingAdminPage, DatingAdminProfile } from './views/admin.js';
import { NO_STORE } from './settings.js';

const STAFF: Role[] = ['moderator', 'editor', 'admin'];
const tags = ['dating-admin'];
const Csrf = Type.Optional(Type.String({ maxLength: 200 }));
const Id = Type.Object({ id: RowId() });
const DecisionBody = Type.Object({ _csrf: Csrf, decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]) });
const Plain = Type.Object({ _csrf: Csrf });

async function datingAdminRoutes(app: App) {
  const { service, photos, admin } = app.dating;
  app.admin.add({ href: '/admin/dating', label: (req) => req.i18n.t('dating.admin'), roles: STAFF, order: 47, badge: async () => (await photos.pendingCount()) + (await admin.reportedCount()) });
  const audit = (req: FastifyRequest, action: string, id: number, summary = '') => app.newsroom.audit(req.user!.id, `dating.${action}`, 'dating_profile', id, summary);

  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    scope.addHook('onSend', async (_req, reply, payload) => {
      reply.header('cache-control', NO_STORE);
      return payload;
    });

    scope.get('/admin/dating', { config: { roles: STAFF }, schema: { tags, summary: 'Photos waiting, reports, verification requests, figures per day', querystring: Type.Object({ done: Type.Optional(Type.Literal('1')) }), response: pageResponses({ 200: html('The page') }) } }, async (req, reply) => {
      const [waiting, reports, verifications, stats, totals, nav] = await Promise.all([photos.pending(50), admin.reported(50), photos.waitingVerifications(50), admin.stats(14), admin.totals(), adminNav(req, app.admin)]);
      const profilePhotos = await photos.of(verifications.map((v) => v.user_id), true);
      const images = await app.media.get([...waiting.map((p) => p.image_id), ...verifications.flatMap((v) => (v.image_id ? [v.image_id] : [])), ...[...profilePhotos.values()].flat().map((p) => p.imageId)]);
      const model = {
        photos: waiting.map((p) => ({ id: p.id, userId: p.user_id, name: p.display_name, image: images.get(p.image_id), createdAt: p.created_at })),
        reports,
        verifications: verifications.map((v) => ({ id: v.id, userId: v.user_id, name: v.display_name, pose: v.pose, image: v.image_id ? images.get(v.image_id) : undefined, profilePhotos: (profilePhotos.get(v.user_id) ?? []).flatMap((p) => (images.has(p.imageId) ? [images.get(p.imageId)!] : [])) })),
        stats,
        totals,
      };
      return app.pages.send(req, reply, <DatingAdminPage ctx={app.pages.context(req)} nav={nav} csrf={req.csrfToken()} model={model} notice={req.query.done ? req.i18n.t('dating.admin.done') : undefined} />);
    });

    scope.get('/admin/dating/profiles/:id', { config: { roles: STAFF }, schema: { tags, summary: 'One profile as staff see it', params: Id, response: pageResponses({ 200: html('The profile'), 404: html('No such profile') }) } }, async (req, reply) => {
      const profile = await service.own(req.params.id);
      if (!profile) throw new DomainError('dating.not_found', {}, 404);
      const own = (await photos.of([profile.userId], true)).get(profile.userId) ?? [];
      const images = await app.media.get(own.map((p) => p.imageId));
      const [reports] = await admin.reported(1, [profile.userId]);
      return app.pages.send(req, reply, <DatingAdminProfile ctx={app.pages.context(req)} nav={await adminNav(req, app.admin)} csrf={req.csrfToken()} profile={profile} photos={own.map((p) => ({ image: images.get(p.imageId), status: p.status }))} reports={reports} />);
    });

    const back = (reply: FastifyReply, to = '/admin/dating?done=1') => reply.redirect(to, 303);

    scope.post('/admin/dating/photos/:id', { config: { roles: STAFF }, schema: { tags, summary: 'Approve or reject a photo', params: Id, body: DecisionBody, response: pageResponses({ 303: redirect('Back'), 404: html('No such photo') }) } }, async (req, reply) => {
      const done = await photos.decide(req.params.id, req.body.decision === 'approve');
      if (!done) throw new DomainError('dating.not_found', {}, 404);
      await audit(req, `photo.${req.body.decision}`, done.userId, `photo ${req.params.id}`);
      return back(reply);
    });
    scope.post('/admin/dating/verifications/:id', { config: { roles: STAFF }, schema: { tags, summary: 'Approve or reject a verification photo', params: Id, body: DecisionBody, response: pageResponses({ 303: redirect('Back'), 404: html('No such request') }) } }, async (req, reply) => {
      const done = await photos.decideVerification(req.params.id, req.body.decision === 'approve');
      if (!done) throw new DomainError('dating.not_found', {}, 404);
      await audit(req, `verification.${req.body.decision}`, done.userId);
      return back(reply);
    });
    const action = (name: 'dismiss' | 'ban' | 'unban' | 'delete', summary: string, run: (id: number) => Promise<boolean>) =>
      scope.post(`/admin/dating/profiles/:id/${name}`, { config: { roles: STAFF }, schema: { tags, summary, params: Id, body: Plain, response: pageResponses({ 303: redirect('Back'), 404: html('No such profile') }) } }, async (req, reply) => {
        const id = (req.params as { id: number }).id;
        const name_ = await admin.profileName(id);
        if (!name_ || !(await run(id))) throw new DomainError('dating.not_found', {}, 404);
        await audit(req, name, id, name_);
        return back(reply, name === 'delete' ? '/admin/dating?done=1' : `/admin/dating/profiles/${id}`);
      });
    action('dismiss', 'Dismiss the open reports; lift an «underage» hold', (id) => admin.dismiss(id));
    action('ban', 'Ban the profile: hidden from everyone', (id) => admin.ban(id));
    action('unban', 'Lift the ban', (id) => admin.unban(id));
    action('delete', 'Delete the profile with everything of it', (id) => app.dating.deleteProfile(id));
  });
}

export default fp(datingAdminRoutes, { name: 'dating-admin', dependencies: ['dating', 'newsroom'], decorators: { fastify: ['admin', 'newsroom'] } });
