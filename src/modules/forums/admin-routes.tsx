// The back office's forum boards (/admin/forums): create, rename, move, reorder,
// who may post, pre-moderation, archive, merge. Moderators and editors; every
// change goes to the audit log and purges the forum's pages.
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import type { Role } from '../../db/schema.js';
import { DomainError } from '../../platform/errors.js';
import { domainMessage } from '../../platform/i18n/index.js';
import { html, pageResponses, redirect, RowId } from '../../platform/openapi.js';
import { adminNav } from '../../web/admin.js';
import type { BoardInput } from './boards.js';
import { BOARD_ROLES, type BoardRole } from './schema.js';
import { topicPath } from './reading.js';
import { BoardEditor, BoardsAdmin, EMPTY_BOARD, type Notice } from './views/admin.js';

const STAFF: Role[] = ['moderator', 'editor'];
const Csrf = Type.Optional(Type.String({ maxLength: 200 }));
const Role = Type.Union(BOARD_ROLES.map((r) => Type.Literal(r)));
const BoardForm = Type.Object({
  _csrf: Csrf,
  title: Type.String({ maxLength: 2000 }),
  slug: Type.String({ maxLength: 200 }),
  description: Type.Optional(Type.String({ maxLength: 5000 })),
  parentId: Type.Optional(Type.String({ pattern: '^([1-9][0-9]{0,9})?$' })),
  position: Type.Optional(Type.String({ pattern: '^[0-9]{0,5}$' })),
  startRole: Role,
  replyRole: Role,
  premoderation: Type.Optional(Type.Literal('1')),
  discussionSectionId: Type.Optional(Type.String({ pattern: '^([1-9][0-9]{0,9})?$' })),
});
const Done = Type.Object({ saved: Type.Optional(Type.String({ maxLength: 5 })), merged: Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$' })) });

function inputOf(body: typeof BoardForm.static): BoardInput {
  return {
    title: body.title,
    slug: body.slug,
    description: body.description ?? '',
    parentId: body.parentId ? Number(body.parentId) : null,
    position: body.position ? Number(body.position) : 0,
    startRole: body.startRole as BoardRole,
    replyRole: body.replyRole as BoardRole,
    premoderation: body.premoderation === '1',
    discussionSectionId: body.discussionSectionId ? Number(body.discussionSectionId) : null,
  };
}

async function forumAdminRoutes(app: App) {
  const { forums } = app;
  app.admin.add({ href: '/admin/forums', label: (req) => req.i18n.t('forum.admin.title'), roles: STAFF, order: 45 });
  const changed = () => app.pageCache.purge(['forum', '*']);
  /** The rubrics a board may discuss, parents before their children. */
  const sectionList = async () => {
    const tree = await app.content.sections();
    return tree.all().map((s) => ({ id: s.id, title: tree.path(s.id).map((p) => p.title).join(' › ') }));
  };

  async function list(req: FastifyRequest, reply: FastifyReply, notice: Notice, draft: BoardInput = EMPTY_BOARD) {
    const [tree, nav, spikes, sections] = await Promise.all([forums.boards.tree({ archived: true }), adminNav(req, app.admin), forums.reading.spiking(10), sectionList()]);
    const topics = await forums.reading.topicsByIds(spikes.map((s) => s.topicId));
    const boards = await forums.boards.byIds([...topics.values()].map((t) => t.boardId));
    const spiking = spikes.flatMap((s) => {
      const t = topics.get(s.topicId);
      const b = t && boards.get(t.boardId);
      return t && b ? [{ title: t.title, url: topicPath(b.slug, t), lastHour: s.lastHour, usualPerHour: s.usualPerHour }] : [];
    });
    return app.pages.send(req, reply, <BoardsAdmin ctx={app.pages.context(req)} nav={nav} tree={tree} sections={sections} csrf={req.csrfToken()} notice={notice} draft={draft} spiking={spiking} />, { status: reply.statusCode });
  }

  async function editor(req: FastifyRequest, reply: FastifyReply, id: number, notice: Notice, value?: BoardInput) {
    const board = await forums.boards.byId(id);
    if (!board) throw new DomainError('forum.board_not_found', {}, 404);
    const [tree, nav, sections, moderatorIds] = await Promise.all([forums.boards.tree({ archived: true }), adminNav(req, app.admin), sectionList(), forums.boards.moderators(id)]);
    const names = await app.accounts.displayNames(moderatorIds);
    const moderators = moderatorIds.map((userId) => ({ id: userId, name: names.get(userId) ?? String(userId) }));
    const current: BoardInput = { parentId: board.parentId, slug: board.slug, title: board.title, description: board.description, position: board.position, startRole: board.startRole, replyRole: board.replyRole, premoderation: board.premoderation, discussionSectionId: board.discussionSectionId };
    return app.pages.send(req, reply, <BoardEditor ctx={app.pages.context(req)} nav={nav} board={board} value={value ?? current} tree={tree} sections={sections} moderators={moderators} csrf={req.csrfToken()} notice={notice} />, { status: reply.statusCode });
  }

  const tags = ['forums'];
  app.get('/admin/forums', { config: { roles: STAFF }, schema: { tags, summary: 'The forum boards and the topics heating up', querystring: Done, response: { 200: html('The tree and the form of a new board') } } }, async (req, reply) => list(req, reply, { saved: req.query.saved === '1' }));

  app.post('/admin/forums', { config: { roles: STAFF }, schema: { tags, summary: 'Create a board', body: BoardForm, response: pageResponses({ 303: redirect('Created: to its form'), 400: html('Refused, with the message') }) } }, async (req, reply) => {
    const input = inputOf(req.body);
    try {
      const board = await forums.boards.create(input);
      await app.newsroom.audit(req.user!.id, 'forum.board.create', 'forum_board', board.id, board.title);
      await changed();
      return reply.redirect(`/admin/forums/${board.id}?saved=1`, 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return list(req, reply.status(err.statusCode === 404 ? 400 : err.statusCode), { error: domainMessage(req.i18n, err) }, input);
    }
  });

  const Params = Type.Object({ id: RowId() });
  app.get('/admin/forums/:id', { config: { roles: STAFF }, schema: { tags, summary: 'One board’s form, archive and merge', params: Params, querystring: Done, response: { 200: html('The form') } } }, async (req, reply) =>
    editor(req, reply, req.params.id, { saved: req.query.saved === '1', merged: req.query.merged === undefined ? undefined : Number(req.query.merged) }),
  );

  app.post('/admin/forums/:id', { config: { roles: STAFF }, schema: { tags, summary: 'Rename, move, reorder a board; who may post; pre-moderation', params: Params, body: BoardForm, response: pageResponses({ 303: redirect('Saved'), 400: html('Refused, with the message') }) } }, async (req, reply) => {
    const input = inputOf(req.body);
    try {
      const board = await forums.boards.update(req.params.id, input);
      await app.newsroom.audit(req.user!.id, 'forum.board.update', 'forum_board', board.id, board.title);
    } catch (err) {
      if (!(err instanceof DomainError) || err.statusCode === 404) throw err;
      return editor(req, reply.status(err.statusCode), req.params.id, { error: domainMessage(req.i18n, err) }, input);
    }
    await changed();
    return reply.redirect(`/admin/forums/${req.params.id}?saved=1`, 303);
  });

  // A board's own moderators: a role scoped to the board (they pin, close, move, split,
  // merge and hide there, and see its posts in the queue like any moderator).
  app.post('/admin/forums/:id/moderators', { config: { roles: STAFF }, schema: { tags, summary: 'Add a moderator of this board (by the member’s e-mail)', params: Params, body: Type.Object({ _csrf: Csrf, email: Type.String({ maxLength: 320 }) }), response: pageResponses({ 303: redirect('Added'), 400: html('Refused, with the message') }) } }, async (req, reply) => {
    const board = await forums.boards.byId(req.params.id);
    if (!board) throw new DomainError('forum.board_not_found', {}, 404);
    const userId = (await app.accounts.idsByEmail([req.body.email])).get(req.body.email.trim().toLowerCase());
    if (!userId) return editor(req, reply.status(400), board.id, { error: req.i18n.t('error.forum.unknown_email') });
    await forums.boards.setModerator(board.id, userId, true);
    await app.newsroom.audit(req.user!.id, 'forum.board.moderator.add', 'forum_board', board.id, String(userId));
    return reply.redirect(`/admin/forums/${board.id}?saved=1`, 303);
  });

  app.post('/admin/forums/:id/moderators/:userId/remove', { config: { roles: STAFF }, schema: { tags, summary: 'Remove a moderator of this board', params: Type.Object({ id: RowId(), userId: RowId() }), body: Type.Object({ _csrf: Csrf }), response: { 303: redirect('Removed') } } }, async (req, reply) => {
    await forums.boards.setModerator(req.params.id, req.params.userId, false);
    await app.newsroom.audit(req.user!.id, 'forum.board.moderator.remove', 'forum_board', req.params.id, String(req.params.userId));
    return reply.redirect(`/admin/forums/${req.params.id}?saved=1`, 303);
  });

  app.post('/admin/forums/:id/archive', { config: { roles: STAFF }, schema: { tags, summary: 'Archive a board (read-only, off the index) or restore it', params: Params, body: Type.Object({ _csrf: Csrf, archived: Type.Union([Type.Literal('0'), Type.Literal('1')]) }), response: { 303: redirect('Done') } } }, async (req, reply) => {
    await forums.boards.archive(req.params.id, req.body.archived === '1');
    await app.newsroom.audit(req.user!.id, req.body.archived === '1' ? 'forum.board.archive' : 'forum.board.unarchive', 'forum_board', req.params.id);
    await changed();
    return reply.redirect(`/admin/forums/${req.params.id}?saved=1`, 303);
  });

  app.post('/admin/forums/:id/merge', { config: { roles: STAFF }, schema: { tags, summary: 'Move every topic of this board into another; this one is archived', params: Params, body: Type.Object({ _csrf: Csrf, into: Type.String({ pattern: '^[1-9][0-9]{0,9}$' }) }), response: pageResponses({ 303: redirect('Merged: to the board that took the topics'), 400: html('Refused, with the message') }) } }, async (req, reply) => {
    const into = Number(req.body.into);
    try {
      const { moved } = await forums.boards.merge(req.params.id, into);
      await app.newsroom.audit(req.user!.id, 'forum.board.merge', 'forum_board', req.params.id, `→ ${into}`);
      await changed();
      return reply.redirect(`/admin/forums/${into}?merged=${moved}`, 303);
    } catch (err) {
      if (!(err instanceof DomainError) || err.statusCode === 404) throw err;
      return editor(req, reply.status(err.statusCode), req.params.id, { error: domainMessage(req.i18n, err) });
    }
  });
}

export default fp(forumAdminRoutes, { name: 'forums-admin' });
