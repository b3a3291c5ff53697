// The forums' pages and API: the index, boards, topics (page-cached, the same for
// every reader, purged by tag when a post is added, edited or moderated), starting
// topics and replying (no-JS forms and JSON), editing and deleting posts, the edit
// history, the reader's lists («Новые», «Непрочитанные»), profiles, and the
// per-reader state of a topic page. The back office's boards are admin-routes.tsx.
//
// Tags: `forum` (the index, the home page's widget), `forum-board:<id>`,
// `forum-topic:<id>`.
import fp from 'fastify-plugin';
import multipart from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import { DomainError } from '../../platform/errors.js';
import { domainMessage, type I18n } from '../../platform/i18n/index.js';
import { html, pageResponses, redirect, RowId } from '../../platform/openapi.js';
import { ipHash, mayHaveWritten, type Reader } from '../../platform/reader.js';
import { hasRole, ROLES } from '../../platform/roles.js';
import { readUpload } from '../media/index.js';
import type { SessionUser } from '../../platform/sessions.js';
import { addFooterSection } from '../../web/components/footer.js';
import { postText, quoteSource } from './markdown.js';
import { FORUM_STAFF, topicTags, type PostEvents } from './posting.js';
import { boardPath, topicPath, POSTS_PER_PAGE, TOPICS_PER_PAGE, type TopicSummary } from './reading.js';
import { createForums, memberPath, type Forums } from './service.js';
import { LEVELS, type Level } from './schema.js';
import { FORUM_SETTINGS } from './settings.js';
import { forumQueue } from './queue.js';
import { BoardPage } from './views/board-page.js';
import { BoardLevelPage, EditPostPage, HistoryPage, NewTopicPage, ReplyPage } from './views/forms.js';
import { ForumIndex } from './views/index-page.js';
import { ProfilePage, TopicListPage } from './views/reader-pages.js';
import { createTopicCache } from './topic-cache.js';
import { TopicPage } from './views/topic-page.js';
import { MergePage, SplitPage } from './views/moderation.js';
import { ActiveTopics, DiscussBlock } from './views/widgets.js';
import adminRoutes from './admin-routes.js';
import searchRoutes from './search-routes.js';
import { createForumSearch } from './search.js';
import feedRoutes from './feeds.js';
import './schema.js';

declare module 'fastify' {
  interface FastifyInstance {
    forums: Forums;
  }
}

const tags = ['forums'];
const SIGNED_IN = [...ROLES];
const BoardParams = Type.Object({ board: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,59}$' }) });
// `{id}-{slug}`; a wrong or missing slug is sent to the right address.
const TopicParams = Type.Object({ board: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,59}$' }), topic: Type.String({ pattern: '^[1-9][0-9]{0,9}(-[a-z0-9-]{0,100})?$' }) });
const IdParams = Type.Object({ id: RowId() });
const HandleParams = Type.Object({ handle: Type.String({ minLength: 2, maxLength: 32, pattern: '^[\\p{L}\\p{N}_-]+$' }) });
const PageQuery = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })) });
const Csrf = Type.Optional(Type.String({ maxLength: 200 }));
const OpenedAt = Type.Optional(Type.Number({ minimum: 0, maximum: 8_640_000_000_000_000 }));
const TopicForm = Type.Object({ _csrf: Csrf, title: Type.String({ maxLength: 2000 }), body: Type.String({ maxLength: 100_000 }), openedAt: Type.Optional(Type.String({ pattern: '^[0-9]{0,16}$' })) });
const Images = Type.Optional(Type.Array(RowId(), { maxItems: 10, description: 'pictures under the post (at most 4): ids from POST /api/forum/images' }));
const ReplyBody = Type.Object({ _csrf: Csrf, body: Type.String({ maxLength: 100_000 }), images: Images, openedAt: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9]{0,16}$' }), Type.Number({ minimum: 0, maximum: 8_640_000_000_000_000 })])) });
const EditForm = Type.Object({ _csrf: Csrf, body: Type.String({ maxLength: 100_000 }), title: Type.Optional(Type.String({ maxLength: 2000 })) });
const NewTopicJson = Type.Object({ title: Type.String({ maxLength: 2000 }), body: Type.String({ maxLength: 100_000 }), images: Images, openedAt: OpenedAt });
const Posted = Type.Object({ topicId: Type.Integer(), postId: Type.Integer(), number: Type.Integer(), status: Type.String({ description: 'published, or held for a moderator' }), url: Type.String() });
const ReadBody = Type.Object({ number: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }), readMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 3_600_000 })) });
const LevelBody = Type.Object({ level: Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2), Type.Literal(3)]) });
const ModerateForm = Type.Object({ _csrf: Csrf, action: Type.Union(['pin', 'unpin', 'close', 'open', 'move'].map((a) => Type.Literal(a))), board: Type.Optional(Type.String({ pattern: '^[0-9]{0,10}$' })) });
const BlockForm = Type.Object({ _csrf: Csrf, on: Type.Union([Type.Literal('0'), Type.Literal('1')]) });
const TopicState = Type.Object({
  signedIn: Type.Boolean(),
  csrfToken: Type.String(),
  lastRead: Type.Integer({ description: 'the last post number read (0: none)' }),
  level: Type.Integer({ description: '0 muted, 1 normal, 2 tracking, 3 watching' }),
  lastNumber: Type.Integer({ description: 'the highest post number now' }),
  canReply: Type.Boolean(),
  canModerate: Type.Boolean(),
  editable: Type.Array(Type.Integer(), { description: 'my posts in this topic I may still edit (a moderator may edit every post)' }),
  liked: Type.Array(Type.Integer(), { description: 'the posts of the page asked about that I like' }),
  blocked: Type.Array(Type.Integer(), { description: 'authors whose posts I hid' }),
  boards: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String() }), { description: 'boards a moderator may move the topic to' }),
});
const limits = {
  // Per IP here; per account in the posting rules (counted in the database).
  post: { max: 20, timeWindow: '1 minute' },
  edit: { max: 30, timeWindow: '1 minute' },
  read: { max: 240, timeWindow: '1 minute' },
  images: { max: 20, timeWindow: '10 minutes' },
};

async function forumsModule(app: App) {
  // The search index follows every write: indexed before the purge, so a search
  // made after the purge finds the new text (search-routes.tsx).
  const search = createForumSearch({ db: app.database.db, clock: app.clock });
  const forums = createForums({
    db: app.database.db,
    clock: app.clock,
    settings: app.settings,
    moderation: app.moderation,
    displayNames: (ids) => app.accounts.displayNames(ids),
    events: {
      posted: (w) => posted(w),
      changed: async (tags) => {
        await search.refresh(tags);
        await app.pageCache.purge(tags);
      },
    },
    onError: (err) => app.log.warn({ err: err.message }, 'topic views not written'),
    ownImages: (ids, userId) => app.media.uploadedBy(ids, userId),
    memo: app.memo,
  });
  app.decorate('forums', forums);
  addFooterSection(app.pages.footer, { href: '/forum/', label: 'footer.forums', order: 10 });

  // A forum post is a subject: readers like it (reactions) and report it (moderation).
  app.subjects.register({
    kind: 'forum_post',
    owner: 'forums',
    async describe(ids) {
      const located = await forums.locate([...ids]);
      const out = new Map();
      for (const [id, l] of located) {
        if (l.post.status !== 'published' || l.board.archived === undefined) continue;
        const topic = await forums.reading.topic(l.post.topicId);
        if (!topic || topic.status !== 'visible') continue;
        out.set(id, { kind: 'forum_post' as const, id, title: `${l.topicTitle} · #${l.post.number}`, url: l.url, tags: topicTags(topic.id, topic.boardId), scope: { kind: 'board' as const, id: l.board.id }, authorId: l.post.authorId });
      }
      return out;
    },
  });
  app.extensions.provide('sitemap.forum', async () => (await forums.reading.sitemap(50_000)).map((t) => ({ url: topicPath(t.board_slug, { id: t.id, slug: t.slug }), lastmod: t.last_post_at })), 'forums');
  app.extensions.provide('forum.boardExists', async (id) => (await forums.boards.byId(id)) !== null, 'forums');
  // The newsletter's digest names the topics a reader follows that have unread posts,
  // each linked to its first unread post (as «Непрочитанные» lists them).
  app.extensions.provide(
    'newsletter.watchedTopics',
    async (userIds) => {
      const lists = await Promise.all(userIds.map(async (u) => [u, await forums.reading.unread(u, 5)] as const));
      const boards = await forums.boards.byIds(lists.flatMap(([, topics]) => topics.map((t) => t.boardId)));
      const out = new Map<number, { title: string; url: string; count: number }[]>();
      for (const [userId, topics] of lists) {
        const items = topics.flatMap((t) => {
          const board = boards.get(t.boardId);
          return board && !board.archived ? [{ title: t.title, url: topicPath(board.slug, t, t.lastRead + 1), count: t.unread }] : [];
        });
        if (items.length) out.set(userId, items);
      }
      return out;
    },
    'forums',
  );
  app.moderation.addKind(forumQueue(forums, (tags) => app.pageCache.purge(tags), async (w) => void (await posted(w))));
  app.notifications.kinds.define({ kind: 'forum_reply', defaults: { site: true, mail: true }, mailWindowMs: 10 * 60_000 });
  app.notifications.kinds.define({ kind: 'forum_mention', defaults: { site: true, mail: true }, mailWindowMs: 10 * 60_000 });

  /** After a published post: purge its pages, notify watchers and the mentioned (once each, mention first). */
  async function posted(w: Parameters<PostEvents['posted']>[0]) {
    await (w.isTopic ? search.index(w.postId) : search.indexReply({ postId: w.postId, body: w.body }));
    // Its address: the topic's slug as the reply read it and the board's kept rules,
    // else the kept topic before the purge drops it (a reply changes neither slug).
    const found = w.topicSlug !== undefined ? { topic: { id: w.topicId, slug: w.topicSlug }, board: await forums.boards.forWrite(w.boardId) } : await kept.topic(w.topicId);
    await app.pageCache.purge(topicTags(w.topicId, w.boardId));
    if (!found?.board) return;
    const { topic, board } = found;
    const url = topicPath(board.slug, topic, w.number);
    const text = postText(w.body);
    const excerpt = text.length > 300 ? `${text.slice(0, 300)}…` : text;
    const told = new Set<number>([w.authorId]);
    const tell = (userId: number, kind: 'forum_mention' | 'forum_reply') => {
      if (told.has(userId)) return [];
      told.add(userId);
      return [{ recipientId: userId, kind, subject: { kind: 'forum_post' as const, id: w.postId }, url, actorName: w.authorName, excerpt }];
    };
    const mentioned = [...(await forums.members.byHandles(w.mentions)).values()].flatMap((m) => tell(m.userId, 'forum_mention'));
    const watching = w.isTopic ? [] : (await forums.reading.watchers(w.topicId, w.boardId)).flatMap((userId) => tell(userId, 'forum_reply'));
    // One read of their preferences and one insert, however many watch the topic.
    await app.notifications.notifyMany([...mentioned, ...watching]);
    return { url };
  }

  // ---------- on the news pages ----------

  // Under an article: its discussion, or the button that starts it (kept per article
  // for a minute; starting the discussion purges the article's page and this).
  app.widgets.add(
    'article.afterBody',
    40,
    async ({ req, article }) => {
      if (!article) return null;
      const topic = await forums.reading.topicOfArticle(article.id);
      const visible = topic && topic.status === 'visible' ? topic : null;
      const board = visible ? await forums.boards.byId(visible.boardId) : null;
      return <DiscussBlock i18n={req.i18n} articleId={article.id} topic={visible} boardSlug={board?.slug ?? null} />;
    },
    'forum-discussion',
    { ttlMs: 60_000 },
  );
  // «Обсуждают на форуме»: the same list on every page, kept 30 s and purged by any post.
  const active = async ({ req }: { req: FastifyRequest }) => {
    const topics = await forums.reading.active(5);
    const boards = await forums.boards.byIds(topics.map((t) => t.boardId));
    const items = topics.flatMap((topic) => {
      const b = boards.get(topic.boardId);
      return b && !b.archived ? [{ topic, boardSlug: b.slug, boardTitle: b.title }] : [];
    });
    return <ActiveTopics i18n={req.i18n} now={app.clock.now()} topics={items} />;
  };
  const briefly = { ttlMs: 30_000, tags: ['forum'], shared: true };
  app.widgets.add('home.aside', 58, active, 'forum-active', briefly);
  app.widgets.add('article.aside', 58, active, 'forum-active', briefly);

  // The first click on «Обсудить на форуме» starts the topic; later ones find it.
  // The button sits on the cached article page: the same-origin proof stands for the token.
  app.post('/forum/discuss/:id', { config: { roles: SIGNED_IN, csrf: 'origin', rateLimit: limits.post }, schema: { tags, summary: 'Open an article’s forum discussion, starting it on the first click', params: IdParams, response: { 303: redirect('To the discussion topic') } } }, async (req, reply) => {
    const [card] = await app.content.cards([req.params.id]);
    if (!card) throw new DomainError('forum.topic_not_found', {}, 404);
    const tree = await app.content.sections();
    const board = await forums.boards.forDiscussion(tree.path(card.section.id).map((s) => s.id).reverse());
    if (!board) throw new DomainError('forum.board_not_found', {}, 404);
    const title = card.title.length >= 5 ? card.title.slice(0, 150) : req.i18n.t('forum.discussionOf', { title: card.title });
    const body = req.i18n.t('forum.discussionBody', { title: card.title, url: app.config.publicUrl + card.url });
    const done = await forums.posting.discuss(actorOf(req), { articleId: card.id, boardId: board.id, title, body });
    if (done.created) await app.pageCache.purge([`article:${card.id}`]);
    // A board with pre-moderation holds the new topic: the reader lands on the board.
    const [topic, at] = await Promise.all([forums.reading.topic(done.topicId), forums.boards.byId(done.boardId)]);
    return reply.redirect(topic?.status === 'visible' && at ? topicPath(at.slug, topic) : boardPath(at ?? board), 303);
  });

  // ---------- helpers ----------

  async function boardOr404(slug: string) {
    const board = await forums.boards.bySlug(slug);
    if (!board) throw new DomainError('forum.board_not_found', {}, 404);
    return board;
  }

  // The topic pages' data under the page cache (topic-cache.ts): a page-cache miss renders without the database.
  const kept = createTopicCache({ memo: app.memo, forums, likeCounts: (ids) => likeCounts(ids), pictures: (ids) => app.media.get(ids) });

  /** The topic and its board, as an anonymous reader may see them; else the Russian 404. */
  async function visibleTopic(id: number) {
    const found = await kept.topic(id);
    if (!found || found.topic.status !== 'visible' || !found.board) throw new DomainError('forum.topic_not_found', {}, 404);
    return { topic: found.topic, board: found.board, parent: found.parent };
  }

  /** Where a topic merged into another now reads, or null. */
  async function movedTarget(topic: TopicSummary | undefined): Promise<string | null> {
    if (!topic?.movedTo) return null;
    const target = await kept.topic(topic.movedTo);
    return target && target.topic.status === 'visible' && target.board ? topicPath(target.board.slug, target.topic) : null;
  }

  const actorOf = (req: FastifyRequest, openedAt?: string | number) => ({ user: req.user!, ipHash: ipHash(app.secret, req.ip), openedAt: openedAt === undefined || openedAt === '' ? null : Number(openedAt) });
  const urlOf = async (w: { topicId: number; number: number }) => {
    const { topic, board } = await visibleTopic(w.topicId);
    return topicPath(board.slug, topic, w.number);
  };
  const wrote = (req: FastifyRequest) => req.i18n.t('forum.wrote');

  // ---------- reading ----------

  app.get('/forum', { schema: { tags, summary: 'The forums (to /forum/)', response: { 301: redirect('To /forum/') } } }, async (_req, reply) => reply.redirect('/forum/', 301));

  app.get('/forum/', { config: { pageCache: true }, schema: { tags, summary: 'The forums: categories and boards with their counts and latest topics', response: { 200: html('The index') } } }, async (req, reply) => {
    const tree = await forums.boards.tree();
    const lastIds = tree.flatMap((c) => [c, ...c.children]).map((b) => b.lastTopicId).filter((id): id is number => id !== null);
    const last = await forums.reading.topicsByIds(lastIds);
    return app.pages.send(req, reply, <ForumIndex ctx={app.pages.context(req)} tree={tree} last={last} />, { tags: ['forum'] });
  });

  async function readerList(req: FastifyRequest, reply: FastifyReply, kind: 'new' | 'unread') {
    const ctx = app.pages.context(req);
    const user = req.user;
    const list = user ? (kind === 'new' ? (await forums.reading.fresh(user.id)).map((t) => ({ ...t, unread: 0 })) : await forums.reading.unread(user.id)) : [];
    const [boards, authors] = await Promise.all([forums.boards.byIds(list.map((t) => t.boardId)), forums.authors(list.flatMap((t) => [t.authorId, t.lastPosterId]))]);
    const unread = new Map(list.map((t) => [t.id, t.unread]));
    const title = req.i18n.t(kind === 'new' ? 'forum.newTopics' : 'forum.unread');
    reply.header('cache-control', 'private, no-store');
    return app.pages.send(req, reply, <TopicListPage ctx={ctx} title={title} topics={list} boards={boards} authors={authors} unread={kind === 'unread' ? unread : undefined} empty={req.i18n.t(kind === 'new' ? 'forum.noNew' : 'forum.noUnread')} csrf={user ? req.csrfToken() : null} current={kind} />);
  }
  app.get('/forum/new/', { schema: { tags, summary: '«Новые»: topics of the last two days the reader has not opened', response: { 200: html('The list (a sign-in link for guests)') } } }, (req, reply) => readerList(req, reply, 'new'));
  app.get('/forum/unread/', { schema: { tags, summary: '«Непрочитанные»: followed topics with new posts', response: { 200: html('The list (a sign-in link for guests)') } } }, (req, reply) => readerList(req, reply, 'unread'));

  app.post('/forum/read-all', { config: { roles: SIGNED_IN, rateLimit: limits.edit }, schema: { tags, summary: 'Mark every topic read', body: Type.Object({ _csrf: Csrf }), response: { 303: redirect('Back to «Непрочитанные»') } } }, async (req, reply) => {
    await forums.members.ensure(app.database.db, req.user!.id, req.user!.displayName, app.clock.now());
    await forums.reading.markAllRead(req.user!.id);
    return reply.redirect('/forum/unread/', 303);
  });

  app.get('/forum/u/:handle/', { schema: { tags, summary: 'A member’s public page: topics, posts, join date, post count, trust level', params: HandleParams, response: { 200: html('The profile') } } }, async (req, reply) => {
    const member = await forums.members.byHandle(req.params.handle);
    if (!member) throw new DomainError('forum.unknown_handle', {}, 404);
    const [authors, topics, posts, trust] = await Promise.all([forums.authors([member.userId]), forums.reading.topicsBy(member.userId, 20), forums.reading.postsBy(member.userId, 20), app.moderation.trust(member.userId)]);
    const author = authors.get(member.userId);
    if (!author) throw new DomainError('forum.unknown_handle', {}, 404);
    const boards = await forums.boards.byIds([...topics.map((t) => t.boardId), ...posts.map((p) => p.boardId)]);
    const me = req.user;
    const blocked = me && me.id !== member.userId ? (await forums.reading.blocked(me.id)).includes(member.userId) : null;
    reply.header('cache-control', 'private, no-store');
    return app.pages.send(
      req,
      reply,
      <ProfilePage
        ctx={app.pages.context(req)}
        view={{ author: { ...author, handle: member.handle }, joinedAt: member.joinedAt, postCount: member.postCount, trust: trust.level, topics, posts: posts.map((p) => ({ ...p, excerpt: postText(p.body).slice(0, 200) })), boards, blocked, csrf: me ? req.csrfToken() : null }}
      />,
    );
  });

  app.post('/forum/u/:handle/block', { config: { roles: SIGNED_IN, rateLimit: limits.edit }, schema: { tags, summary: 'Hide (on=1) or show again (on=0) a member’s posts for me', params: HandleParams, body: BlockForm, response: { 303: redirect('Back to the profile') } } }, async (req, reply) => {
    const member = await forums.members.byHandle(req.params.handle);
    if (!member || member.userId === req.user!.id) throw new DomainError('forum.unknown_handle', {}, 404);
    await forums.reading.block(req.user!.id, member.userId, req.body.on === '1');
    return reply.redirect(memberPath(member.handle), 303);
  });

  app.get('/forum/posts/:id', { schema: { tags, summary: 'Where a post is read (for quotes and notifications)', params: IdParams, response: { 302: redirect('To the post on its topic page') } } }, async (req, reply) => {
    const at = (await forums.locate([req.params.id])).get(req.params.id);
    if (!at || at.post.status === 'held' || at.post.status === 'hidden') throw new DomainError('forum.post_not_found', {}, 404);
    await visibleTopic(at.post.topicId);
    return reply.redirect(at.url, 302);
  });

  app.get('/forum/posts/:id/history', { schema: { tags, summary: 'A post’s edit history: every earlier text, oldest first, and the current one', params: IdParams, response: { 200: html('The versions') } } }, async (req, reply) => {
    const at = (await forums.locate([req.params.id])).get(req.params.id);
    if (!at || at.post.status !== 'published') throw new DomainError('forum.post_not_found', {}, 404);
    await visibleTopic(at.post.topicId);
    const revisions = await forums.reading.revisions(req.params.id);
    const texts = [...revisions.map((r, i) => ({ id: -(i + 1), body: r.body, status: 'published' as const, label: req.i18n.t('forum.revision', { when: req.i18n.dateTime(r.replaced_at) }) })), { id: at.post.id, body: at.post.body, status: 'published' as const, label: req.i18n.t('forum.current') }];
    const rendered = await forums.render(texts, wrote(req));
    return app.pages.send(req, reply, <HistoryPage ctx={app.pages.context(req)} number={at.post.number} back={at.url} versions={texts.map((t) => ({ label: t.label, html: rendered.get(t.id) ?? '' }))} />);
  });

  app.get('/forum/:board/', { config: { pageCache: true }, schema: { tags, summary: 'A board: its topics, pinned first, by the latest post (30 a page)', params: BoardParams, querystring: PageQuery, response: { 200: html('The board') } } }, async (req, reply) => {
    const board = await boardOr404(req.params.board);
    const page = req.query.page ?? 1;
    const [{ topics, total }, parent, tree] = await Promise.all([forums.reading.boardTopics(board.id, page), board.parentId ? forums.boards.byId(board.parentId) : null, forums.boards.tree()]);
    if (page > 1 && (page - 1) * TOPICS_PER_PAGE >= total) throw new DomainError('forum.board_not_found', {}, 404);
    const children = tree.find((c) => c.id === board.id)?.children ?? [];
    const authors = await forums.authors(topics.flatMap((t) => [t.authorId, t.lastPosterId]));
    return app.pages.send(req, reply, <BoardPage ctx={app.pages.context(req)} view={{ board, parent, children, topics, total, page, authors }} />, { tags: [`forum-board:${board.id}`, 'forum'] });
  });
  app.get('/forum/:board', { schema: { tags, summary: 'A board (to its address with the slash)', params: BoardParams, response: { 301: redirect('To /forum/{board}/') } } }, async (req, reply) => reply.redirect(`/forum/${req.params.board}/`, 301));

  app.get('/forum/:board/:topic/', { config: { pageCache: true }, schema: { tags, summary: 'A topic: 20 posts a page by number; a wrong board or slug is sent to the right address', params: TopicParams, querystring: PageQuery, response: { 200: html('The topic'), 301: redirect('To the topic’s address') } } }, async (req, reply) => {
    const id = Number(req.params.topic.split('-')[0]);
    // A topic merged into another redirects there.
    const moved = await movedTarget((await kept.topic(id))?.topic);
    if (moved) return reply.redirect(moved, 301);
    const { topic, board, parent } = await visibleTopic(id);
    const page = req.query.page ?? 1;
    const right = topicPath(board.slug, topic);
    if (req.url.split('?')[0] !== right) return reply.redirect(right + (page > 1 ? `?page=${page}` : ''), 301);
    if ((page - 1) * POSTS_PER_PAGE >= Math.max(1, topic.lastNumber)) throw new DomainError('forum.topic_not_found', {}, 404);
    const data = await kept.page(topic.id, page, wrote(req));
    return app.pages.send(req, reply, <TopicPage ctx={app.pages.context(req)} view={{ topic, board, parent, page, ...data }} />, { tags: [`forum-topic:${topic.id}`] });
  });

  /** Likes are reactions on the `forum_post` subject (the reactions module counts them). */
  async function likeCounts(ids: number[]): Promise<Map<number, number>> {
    const counts = app.extensions.get('subject.reactionTotals');
    return counts ? counts('forum_post', ids) : new Map();
  }

  // ---------- the reader's state on a topic page ----------

  /**
   * What differs per reader on a topic page — progress, level, what I may do — as
   * the forum's part of the page's one reader-state call (`topic=`). My posts still
   * in their edit window, not a page's; my likes among the page's posts (`page`),
   * asked only of a reader who may have reacted at all.
   */
  async function topicState(ask: { user: SessionUser | null; reader: Reader | null; wrote: boolean; topicId: number; page: number; csrfToken: string; i18n: I18n }) {
    const { user, csrfToken } = ask;
    const found = await kept.topic(ask.topicId);
    if (!found || found.topic.status !== 'visible' || !found.board) return null;
    const { topic, board } = found;
    const liked = ask.reader && ask.wrote ? await likedOn(topic, ask.page, ask.reader, ask.i18n) : [];
    const base = { signedIn: !!user, csrfToken, lastNumber: topic.lastNumber, blocked: [] as number[], editable: [] as number[], liked, boards: [] as { id: number; title: string }[] };
    if (!user) return { ...base, lastRead: 0, level: LEVELS.normal, canReply: !topic.closed && !board.archived, canModerate: false };
    const window = await app.settings.get(FORUM_SETTINGS.editWindowMinutes);
    const [mine, canModerate, canReply, blocked, editable] = await Promise.all([
      forums.reading.readerTopic(user.id, topic.id),
      forums.posting.moderates(user, board.id),
      forums.posting.mayWrite(user, board, 'reply'),
      forums.reading.blocked(user.id),
      forums.reading.editableBy(user.id, topic.id, new Date(app.clock.now().getTime() - window * 60_000)),
    ]);
    const boards = canModerate ? (await forums.boards.tree()).flatMap((c) => [c, ...c.children]).filter((b) => b.id !== board.id).map((b) => ({ id: b.id, title: b.title })) : [];
    return { ...base, lastRead: mine?.lastRead ?? 0, level: mine?.level ?? LEVELS.normal, canReply: canReply && (!topic.closed || canModerate), canModerate, editable, blocked, boards };
  }
  /** The posts of a topic's page the reader likes (the page's posts come from the topic's data cache). */
  async function likedOn(topic: TopicSummary, page: number, reader: Reader, i18n: I18n): Promise<number[]> {
    const mine = app.extensions.get('subject.readerReactions');
    if (!mine || (page - 1) * POSTS_PER_PAGE >= Math.max(1, topic.lastNumber)) return [];
    const { posts } = await kept.page(topic.id, page, i18n.t('forum.wrote'));
    const reactions = await mine('forum_post', posts.map((p) => p.id), reader);
    return [...reactions].filter(([, kind]) => kind === 'LIKE').map(([id]) => id);
  }

  // The topic page asks it once per view: that is the view counted.
  const { views } = forums;
  app.addHook('onClose', () => views.flush());
  app.readerState.add('forum', TopicState, async (ctx) => {
    if (!ctx.topicId) return null;
    const state = await topicState({ user: ctx.user, reader: ctx.reader, wrote: ctx.wrote, topicId: ctx.topicId, page: ctx.topicPage, csrfToken: ctx.csrfToken, i18n: ctx.i18n });
    if (state) views.add(ctx.topicId);
    return state;
  });

  app.get('/api/forum/topics/:id/state', { schema: { tags, summary: 'What differs per reader on a topic page (the same as the `forum` part of /api/reader-state?topic=N)', params: IdParams, querystring: PageQuery, response: { 200: TopicState } } }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const state = await topicState({ user: req.user, reader: req.reader(), wrote: mayHaveWritten(req.cookies, app.secret, !!req.user), topicId: req.params.id, page: req.query.page ?? 1, csrfToken: req.csrfToken(), i18n: req.i18n });
    if (!state) throw new DomainError('forum.topic_not_found', {}, 404);
    return state;
  });

  app.post('/api/forum/topics/:id/read', { config: { roles: SIGNED_IN, rateLimit: limits.read }, schema: { tags, summary: 'I read up to post `number` (and for `readMs` on the page: long reading tracks the topic)', params: IdParams, body: ReadBody, response: { 200: Type.Object({ lastRead: Type.Integer(), level: Type.Integer() }) } } }, async (req) => {
    const { topic } = await visibleTopic(req.params.id);
    const trackAfterMs = (await app.settings.get(FORUM_SETTINGS.trackAfterSeconds)) * 1000;
    const state = await forums.reading.markRead(req.user!.id, topic.id, Math.min(req.body.number, topic.lastNumber), { readMs: req.body.readMs ?? 0, trackAfterMs });
    return { lastRead: state.lastRead, level: state.level };
  });

  app.put('/api/forum/topics/:id/level', { config: { roles: SIGNED_IN, rateLimit: limits.edit }, schema: { tags, summary: 'My notification level for a topic: 0 muted, 1 normal, 2 tracking, 3 watching', params: IdParams, body: LevelBody, response: { 200: Type.Object({ level: Type.Integer() }) } } }, async (req) => {
    const { topic } = await visibleTopic(req.params.id);
    await forums.reading.setLevel(req.user!.id, topic.id, req.body.level as Level);
    return { level: req.body.level };
  });

  app.get('/forum/boards/:id/level', { config: { roles: SIGNED_IN }, schema: { tags, summary: 'My level for a board’s topics: the form', params: IdParams, querystring: Type.Object({ saved: Type.Optional(Type.Literal('1')) }), response: { 200: html('The form') } } }, async (req, reply) => {
    const board = await forums.boards.byId(req.params.id);
    if (!board || board.archived) throw new DomainError('forum.board_not_found', {}, 404);
    const level = (await forums.reading.boardLevels(req.user!.id)).get(board.id) ?? LEVELS.normal;
    return app.pages.send(req, reply, <BoardLevelPage ctx={app.pages.context(req)} board={board} level={level} csrf={req.csrfToken()} saved={req.query.saved === '1'} />);
  });
  app.post('/forum/boards/:id/level', { config: { roles: SIGNED_IN, rateLimit: limits.edit }, schema: { tags, summary: 'Set my level for a board’s topics (the no-JS form)', params: IdParams, body: Type.Object({ _csrf: Csrf, level: Type.Union(['0', '1', '2', '3'].map((n) => Type.Literal(n))) }), response: { 303: redirect('Back to the form') } } }, async (req, reply) => {
    const board = await forums.boards.byId(req.params.id);
    if (!board || board.archived) throw new DomainError('forum.board_not_found', {}, 404);
    await forums.reading.setBoardLevel(req.user!.id, board.id, Number(req.body.level) as Level);
    return reply.redirect(`/forum/boards/${board.id}/level?saved=1`, 303);
  });

  app.put('/api/forum/boards/:id/level', { config: { roles: SIGNED_IN, rateLimit: limits.edit }, schema: { tags, summary: 'My default level for a board’s topics (3 watches, 2 tracks, 0 mutes, 1 clears)', params: IdParams, body: LevelBody, response: { 200: Type.Object({ level: Type.Integer() }) } } }, async (req) => {
    const board = await forums.boards.byId(req.params.id);
    if (!board || board.archived) throw new DomainError('forum.board_not_found', {}, 404);
    await forums.reading.setBoardLevel(req.user!.id, board.id, req.body.level as Level);
    return { level: req.body.level };
  });

  // ---------- writing ----------

  app.get('/forum/:board/new', { config: { roles: SIGNED_IN }, schema: { tags, summary: 'The form of a new topic', params: BoardParams, response: { 200: html('The form') } } }, async (req, reply) => {
    const board = await boardOr404(req.params.board);
    if (!(await forums.posting.mayWrite(req.user!, board, 'start'))) throw new DomainError('forum.may_not_start', {}, 403);
    return app.pages.send(req, reply, <NewTopicPage ctx={app.pages.context(req)} board={board} csrf={req.csrfToken()} />);
  });

  app.post('/forum/:board/topics', { config: { roles: SIGNED_IN, rateLimit: limits.post }, schema: { tags, summary: 'Start a topic (the no-JS form)', params: BoardParams, body: TopicForm, response: pageResponses({ 303: redirect('To the new topic'), 202: html('Held for a moderator'), 400: html('Refused: the form again with the reason') }) } }, async (req, reply) => {
    const board = await boardOr404(req.params.board);
    try {
      const w = await forums.posting.startTopic(actorOf(req, req.body.openedAt), board.id, { title: req.body.title, body: req.body.body });
      if (w.status !== 'published') return app.pages.send(req, reply.status(202), <NewTopicPage ctx={app.pages.context(req)} board={board} csrf={req.csrfToken()} error={req.i18n.t('forum.held')} />, { status: 202 });
      return reply.redirect(w.url ?? (await urlOf(w)), 303);
    } catch (err) {
      if (!(err instanceof DomainError) || err.statusCode === 404 || err.statusCode === 403) throw err;
      const status = err.statusCode;
      return app.pages.send(req, reply.status(status), <NewTopicPage ctx={app.pages.context(req)} board={board} csrf={req.csrfToken()} title={req.body.title} body={req.body.body} error={domainMessage(req.i18n, err)} />, { status });
    }
  });

  app.post('/api/forum/boards/:board/topics', { config: { roles: SIGNED_IN, rateLimit: limits.post }, schema: { tags, summary: 'Start a topic', params: BoardParams, body: NewTopicJson, response: { 201: Posted } } }, async (req, reply) => {
    const board = await boardOr404(req.params.board);
    const w = await forums.posting.startTopic(actorOf(req, req.body.openedAt), board.id, { title: req.body.title, body: req.body.body, images: req.body.images });
    return reply.status(201).send({ topicId: w.topicId, postId: w.postId, number: w.number, status: w.status, url: w.status === 'published' ? await urlOf(w) : boardPath(board) });
  });

  // A picture for a post: stored by the media module (re-encoded, so EXIF and
  // location go; resized to its widths), then named in the post's `images`. In a
  // scope of its own: multipart bodies are parsed for this route only.
  await app.register(async (scope) => {
    if (!scope.hasContentTypeParser('multipart/form-data')) await scope.register(multipart, { limits: { fileSize: app.config.maxUploadBytes, files: 1, fields: 5 } });
    scope.post('/api/forum/images', { config: { roles: SIGNED_IN, rateLimit: limits.images }, schema: { tags, summary: 'Upload a picture for a post (multipart, one file): its id for the post’s `images`', consumes: ['multipart/form-data'], response: { 201: Type.Object({ id: Type.Integer(), url: Type.String() }) } } }, async (req, reply) => {
      const user = req.user!;
      if (!hasRole(user, FORUM_STAFF) && !(await app.moderation.trust(user.id)).images) throw new DomainError('moderation.no_images', {}, 403);
      const bytes = await readUpload(req, app.config.maxUploadBytes);
      if (!bytes) throw new DomainError('forum.image_missing');
      const image = await app.media.store(bytes, { createdBy: user.id });
      const small = image.variants.filter((v) => v.format === 'jpeg').sort((a, b) => a.width - b.width)[0];
      return reply.status(201).send({ id: image.id, url: small ? image.base + small.file : '' });
    });
  });

  app.get('/forum/topics/:id/reply', { config: { roles: SIGNED_IN }, schema: { tags, summary: 'The reply form, with a whole post quoted (the no-JS «Цитировать»)', params: IdParams, querystring: Type.Object({ quote: Type.Optional(RowId()) }), response: { 200: html('The form') } } }, async (req, reply) => {
    const { topic, board } = await visibleTopic(req.params.id);
    let body = '';
    if (req.query.quote) {
      const at = (await forums.locate([req.query.quote])).get(req.query.quote);
      if (at && at.post.status === 'published' && (await forums.reading.topic(at.post.topicId))?.status === 'visible') body = quoteSource(at.post.id, at.post.body);
    }
    return app.pages.send(req, reply, <ReplyPage ctx={app.pages.context(req)} topic={topic} board={board} body={body} />);
  });

  // The reply form sits on the cached topic page, which holds no per-reader token:
  // the same-origin proof stands for it (platform/csrf.ts).
  app.post('/forum/topics/:id/reply', { config: { roles: SIGNED_IN, csrf: 'origin', rateLimit: limits.post }, schema: { tags, summary: 'Reply (the no-JS form)', params: IdParams, body: ReplyBody, response: pageResponses({ 303: redirect('To the new post'), 202: html('Held for a moderator'), 400: html('Refused: the form again with the reason') }) } }, async (req, reply) => {
    const { topic, board } = await visibleTopic(req.params.id);
    try {
      const w = await forums.posting.reply(actorOf(req, req.body.openedAt), topic.id, { body: req.body.body });
      if (w.status !== 'published') return app.pages.send(req, reply.status(202), <ReplyPage ctx={app.pages.context(req)} topic={topic} board={board} body="" error={req.i18n.t('forum.held')} />, { status: 202 });
      return reply.redirect(w.url ?? (await urlOf(w)), 303);
    } catch (err) {
      if (!(err instanceof DomainError) || err.statusCode === 404) throw err;
      return app.pages.send(req, reply.status(err.statusCode), <ReplyPage ctx={app.pages.context(req)} topic={topic} board={board} body={req.body.body} error={domainMessage(req.i18n, err)} />, { status: err.statusCode });
    }
  });

  app.post('/api/forum/topics/:id/posts', { config: { roles: SIGNED_IN, rateLimit: limits.post }, schema: { tags, summary: 'Reply in a topic', params: IdParams, body: ReplyBody, response: { 201: Posted } } }, async (req, reply) => {
    const w = await forums.posting.reply(actorOf(req, req.body.openedAt), req.params.id, { body: req.body.body, images: req.body.images });
    // A published reply's address comes with it (read before the reply's purge): no second read of the topic.
    const url = w.url ?? (await urlOf(w));
    return reply.status(201).send({ topicId: w.topicId, postId: w.postId, number: w.number, status: w.status, url });
  });

  async function editable(req: FastifyRequest, id: number) {
    const at = (await forums.locate([id])).get(id);
    if (!at || at.post.status === 'deleted' || at.post.status === 'hidden') throw new DomainError('forum.post_not_found', {}, 404);
    return at;
  }

  app.get('/forum/posts/:id/edit', { config: { roles: SIGNED_IN }, schema: { tags, summary: 'The form to edit a post (the author within the window, moderators later)', params: IdParams, response: { 200: html('The form') } } }, async (req, reply) => {
    const at = await editable(req, req.params.id);
    const topic = (await forums.reading.topic(at.post.topicId))!;
    return app.pages.send(req, reply, <EditPostPage ctx={app.pages.context(req)} postId={at.post.id} number={at.post.number} body={at.post.body} title={at.post.number === 1 ? topic.title : null} csrf={req.csrfToken()} back={at.url} />);
  });

  app.post('/forum/posts/:id/edit', { config: { roles: SIGNED_IN, rateLimit: limits.edit }, schema: { tags, summary: 'Save an edited post (the no-JS form)', params: IdParams, body: EditForm, response: pageResponses({ 303: redirect('To the post'), 400: html('Refused: the form again with the reason') }) } }, async (req, reply) => {
    const at = await editable(req, req.params.id);
    try {
      await forums.posting.edit(actorOf(req), at.post.id, { body: req.body.body, title: req.body.title });
    } catch (err) {
      if (!(err instanceof DomainError) || err.statusCode === 404) throw err;
      return app.pages.send(req, reply.status(err.statusCode), <EditPostPage ctx={app.pages.context(req)} postId={at.post.id} number={at.post.number} body={req.body.body} title={at.post.number === 1 ? (req.body.title ?? '') : null} csrf={req.csrfToken()} back={at.url} error={domainMessage(req.i18n, err)} />, { status: err.statusCode });
    }
    return reply.redirect((await forums.locate([at.post.id])).get(at.post.id)?.url ?? at.url, 303);
  });

  app.put('/api/forum/posts/:id', { config: { roles: SIGNED_IN, rateLimit: limits.edit }, schema: { tags, summary: 'Edit a post (the author within the window, moderators later); the old text goes to the history', params: IdParams, body: Type.Object({ body: Type.String({ maxLength: 100_000 }), title: Type.Optional(Type.String({ maxLength: 2000 })) }), response: { 200: Type.Object({ id: Type.Integer(), url: Type.String() }) } } }, async (req) => {
    const at = await editable(req, req.params.id);
    await forums.posting.edit(actorOf(req), at.post.id, { body: req.body.body, title: req.body.title });
    return { id: at.post.id, url: (await forums.locate([at.post.id])).get(at.post.id)?.url ?? at.url };
  });

  app.post('/forum/posts/:id/delete', { config: { roles: SIGNED_IN, rateLimit: limits.edit }, schema: { tags, summary: 'Delete my post (soft: «Сообщение удалено»)', params: IdParams, body: Type.Object({ _csrf: Csrf }), response: { 303: redirect('Back to the topic') } } }, async (req, reply) => {
    const at = await editable(req, req.params.id);
    await forums.posting.remove({ user: req.user! }, at.post.id);
    return reply.redirect(at.url, 303);
  });

  app.delete('/api/forum/posts/:id', { config: { roles: SIGNED_IN, rateLimit: limits.edit }, schema: { tags, summary: 'Delete my post (soft: «Сообщение удалено»)', params: IdParams, response: { 200: Type.Object({ id: Type.Integer(), status: Type.String() }) } } }, async (req) => {
    const at = await editable(req, req.params.id);
    await forums.posting.remove({ user: req.user! }, at.post.id);
    return { id: at.post.id, status: 'deleted' };
  });

  app.post('/forum/topics/:id/moderate', { config: { roles: SIGNED_IN, rateLimit: limits.edit }, schema: { tags, summary: 'Pin, unpin, close, open or move a topic (moderators of the board)', params: IdParams, body: ModerateForm, response: { 303: redirect('Back to the topic') } } }, async (req, reply) => {
    const topic = await forums.reading.topic(req.params.id);
    if (!topic) throw new DomainError('forum.topic_not_found', {}, 404);
    const actor = { user: req.user! };
    const action = req.body.action;
    if (action === 'move') {
      const boardId = Number(req.body.board);
      if (!Number.isSafeInteger(boardId) || boardId < 1) throw new DomainError('forum.board_not_found', {}, 404);
      await forums.posting.moveTopic(actor, topic.id, boardId);
    } else {
      await forums.posting.setTopicFlags(actor, topic.id, action === 'pin' || action === 'unpin' ? { pinned: action === 'pin' } : { closed: action === 'close' });
    }
    const moved = (await forums.reading.topic(topic.id))!;
    const board = (await forums.boards.byId(moved.boardId))!;
    await app.newsroom.audit(req.user!.id, `forum.${action}`, 'forum_topic', topic.id, moved.title);
    return reply.redirect(topicPath(board.slug, moved), 303);
  });

  // ---------- a moderator's split, merge and hide ----------

  async function moderatedTopic(req: FastifyRequest, id: number) {
    const found = await visibleTopic(id);
    if (!(await forums.posting.moderates(req.user, found.board.id))) throw new DomainError('forum.not_moderator', {}, 403);
    return found;
  }
  async function splitPage(req: FastifyRequest, reply: FastifyReply, id: number, error?: string) {
    const { topic } = await moderatedTopic(req, id);
    const posts = (await Promise.all(Array.from({ length: Math.ceil(topic.lastNumber / POSTS_PER_PAGE) }, (_, i) => forums.reading.posts(topic.id, i + 1)))).flat();
    const [authors, tree] = await Promise.all([forums.authors(posts.map((p) => p.authorId)), forums.boards.tree()]);
    return app.pages.send(req, reply, <SplitPage ctx={app.pages.context(req)} topic={topic} posts={posts} authors={authors} boards={tree.flatMap((c) => [c, ...c.children])} csrf={req.csrfToken()} error={error} />, { status: reply.statusCode });
  }
  const Numbers = Type.Union([Type.String({ pattern: '^[1-9][0-9]{0,9}$' }), Type.Array(Type.String({ pattern: '^[1-9][0-9]{0,9}$' }), { maxItems: 5000 })]);
  app.get('/forum/topics/:id/split', { config: { roles: SIGNED_IN }, schema: { tags, summary: 'The form to split posts of a topic into a new one (moderators of the board)', params: IdParams, response: { 200: html('The form') } } }, async (req, reply) => splitPage(req, reply, req.params.id));
  app.post('/forum/topics/:id/split', { config: { roles: SIGNED_IN, rateLimit: limits.edit }, schema: { tags, summary: 'Split the chosen posts into a new topic', params: IdParams, body: Type.Object({ _csrf: Csrf, numbers: Type.Optional(Numbers), title: Type.String({ maxLength: 2000 }), board: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,9}$' })) }), response: pageResponses({ 303: redirect('To the new topic'), 400: html('Refused: the form again with the reason') }) } }, async (req, reply) => {
    await moderatedTopic(req, req.params.id);
    const raw = req.body.numbers;
    const numbers = (Array.isArray(raw) ? raw : raw ? [raw] : []).map(Number).filter((n) => n <= 2_147_483_647);
    try {
      const made = await forums.posting.splitPosts({ user: req.user! }, req.params.id, { numbers, title: req.body.title, boardId: req.body.board ? Number(req.body.board) : undefined });
      await app.newsroom.audit(req.user!.id, 'forum.split', 'forum_topic', req.params.id, `→ ${made.topicId}`);
      const { topic, board } = await visibleTopic(made.topicId);
      return reply.redirect(topicPath(board.slug, topic), 303);
    } catch (err) {
      if (!(err instanceof DomainError) || err.statusCode !== 400) throw err;
      return splitPage(req, reply.status(400), req.params.id, domainMessage(req.i18n, err));
    }
  });

  app.get('/forum/topics/:id/merge', { config: { roles: SIGNED_IN }, schema: { tags, summary: 'The form to merge a topic into another (moderators of both boards)', params: IdParams, response: { 200: html('The form') } } }, async (req, reply) => {
    const { topic } = await moderatedTopic(req, req.params.id);
    return app.pages.send(req, reply, <MergePage ctx={app.pages.context(req)} topic={topic} csrf={req.csrfToken()} />);
  });
  app.post('/forum/topics/:id/merge', { config: { roles: SIGNED_IN, rateLimit: limits.edit }, schema: { tags, summary: 'Merge a topic into another: its posts go to the end of the other, its address leads there', params: IdParams, body: Type.Object({ _csrf: Csrf, into: Type.String({ maxLength: 300 }) }), response: pageResponses({ 303: redirect('To the topic that took the posts'), 400: html('Refused: the form again with the reason') }) } }, async (req, reply) => {
    const { topic } = await moderatedTopic(req, req.params.id);
    // A topic's number, or its address (/forum/<board>/<id>-<slug>/…).
    const into = Number(/^\s*(\d{1,10})\s*$/.exec(req.body.into)?.[1] ?? /\/forum\/[a-z0-9-]+\/(\d{1,10})-/.exec(req.body.into)?.[1] ?? NaN);
    try {
      if (!Number.isSafeInteger(into) || into > 2_147_483_647) throw new DomainError('forum.topic_not_found', {}, 400);
      const done = await forums.posting.mergeTopics({ user: req.user! }, topic.id, into);
      await app.newsroom.audit(req.user!.id, 'forum.merge', 'forum_topic', topic.id, `→ ${into}`);
      const target = await visibleTopic(done.topicId);
      return reply.redirect(topicPath(target.board.slug, target.topic), 303);
    } catch (err) {
      if (!(err instanceof DomainError) || err.statusCode === 403) throw err;
      return app.pages.send(req, reply.status(400), <MergePage ctx={app.pages.context(req)} topic={topic} csrf={req.csrfToken()} error={domainMessage(req.i18n, err)} />, { status: 400 });
    }
  });

  app.post('/forum/posts/:id/hide', { config: { roles: SIGNED_IN, rateLimit: limits.edit }, schema: { tags, summary: 'Hide a post (moderators of the board): it leaves the topic, as a rejected one from the queue', params: IdParams, body: Type.Object({ _csrf: Csrf }), response: { 303: redirect('Back to the topic') } } }, async (req, reply) => {
    const at = await editable(req, req.params.id);
    if (!(await forums.posting.moderates(req.user, at.board.id))) throw new DomainError('forum.not_moderator', {}, 403);
    await app.moderation.decide('forum_post', at.post.id, 'reject', req.user!);
    return reply.redirect(at.url.split('#')[0]!, 303);
  });

  await app.register(adminRoutes);
  await app.register(searchRoutes, { search });
  await app.register(feedRoutes);
}

export default fp(forumsModule, { name: 'forums', dependencies: ['accounts', 'content', 'moderation', 'notifications', 'newsroom'], decorators: { fastify: ['subjects', 'settings', 'pageCache', 'extensions'] } });
