// Moderation: readers' reports of any subject (JSON API), and the plugin that gives
// every module `app.moderation` — the pipeline, bans, trust — and the queue's
// extension point (`app.moderation.addKind`). The back office pages are in admin-routes.tsx.
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import type { App } from '../../types.js';
import { RowId } from '../../platform/openapi.js';
import { createModeration, type Moderation } from './service.js';
import { REPORT_REASONS } from './schema.js';
import adminRoutes from './admin-routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    moderation: Moderation;
  }
}

const NewReport = Type.Object({
  kind: Type.String({ minLength: 1, maxLength: 40, description: 'the subject kind: article, comment, forum_post, …' }),
  id: RowId(),
  reason: Type.Union(REPORT_REASONS.map((r) => Type.Literal(r))),
  text: Type.Optional(Type.String({ maxLength: 500 })),
});

// Per IP; a reader reports a subject for a reason once (the table's key).
const limits = { report: { max: 10, timeWindow: '10 minutes' } };

async function moderationModule(app: App) {
  const moderation = createModeration({
    db: app.database.db,
    settings: app.settings,
    memo: app.memo,
    clock: app.clock,
    subjects: app.subjects,
    timezone: app.config.timezone,
    audit: (userId, action, entity, entityId, summary) => app.newsroom.audit(userId, action, entity, entityId, summary),
    userExists: async (id) => !!(await app.accounts.byId(id)),
    scopeExists: async (scope) => (scope.kind === 'section' ? (await app.content.sections()).get(scope.id) !== undefined : ((await app.extensions.get('forum.boardExists')?.(scope.id)) ?? false)),
  });
  app.decorate('moderation', moderation);

  // A reader's reports follow them on sign-in and go with the account (one transaction with every module's rows).
  app.readerRows.add(moderation.readerRows);
  app.accounts.addExport('moderation', (userId) => moderation.exportFor(userId));
  app.jobs.define('moderation.prune', 3600_000, () => moderation.prune());

  app.post(
    '/api/reports',
    { config: { rateLimit: limits.report }, schema: { tags: ['moderation'], summary: 'Report a subject (a comment, a forum post, an ad…) to the moderators', body: NewReport, response: { 201: Type.Object({ id: Type.Integer(), held: Type.Boolean({ description: 'enough readers reported it: hidden until a moderator decides' }) }) } } },
    async (req, reply) => {
      const reader = req.reader(reply);
      const made = await moderation.report({ kind: req.body.kind, id: req.body.id, reason: req.body.reason, text: req.body.text, reader });
      return reply.status(201).send(made);
    },
  );

  await app.register(adminRoutes);
}

export default fp(moderationModule, { name: 'moderation', dependencies: ['accounts', 'content', 'newsroom'], decorators: { fastify: ['subjects', 'newsroom', 'accounts', 'content'] } });
