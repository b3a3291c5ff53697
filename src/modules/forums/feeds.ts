// RSS of a board (its newest topics) and of a topic (its newest posts), by the
// `feed` library, cached like pages and purged with the board's and the topic's tags.
// Feeds are for aggregators, not one reader: always in Russian.
import fp from 'fastify-plugin';
import { Feed } from 'feed';
import { Type } from '@sinclair/typebox';
import type { App } from '../../types.js';
import { DomainError } from '../../platform/errors.js';
import { i18n } from '../../platform/i18n/index.js';
import { xml } from '../../platform/openapi.js';
import { postText } from './markdown.js';
import { boardPath, topicPath } from './reading.js';

const RSS = 'application/rss+xml; charset=utf-8';
const SIZE = 30;
const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,59}$' });

/** The `feed` library puts titles raw into CDATA, where a reader takes them as HTML: escape them as text. */
const asText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

async function forumFeeds(app: App) {
  const { forums } = app;
  const ru = i18n('ru', app.config.timezone);
  // Read at each request: the address is known once the server listens (tests).
  const feedOf = (base: string, title: string, path: string, updated: Date | undefined) =>
    new Feed({ id: base + path, title: asText(title), link: base + path, language: 'ru', updated, generator: 'Gorod', feedLinks: { rss: `${base}${path}rss.xml` }, copyright: `© ${app.config.siteName}` });
  const rss = { 200: xml('application/rss+xml', 'RSS 2.0') };

  app.get('/forum/:board/rss.xml', { config: { pageCache: true }, schema: { tags: ['forums'], summary: 'A board’s newest topics as RSS', params: Type.Object({ board: Slug }), response: rss } }, async (req, reply) => {
    const board = await forums.boards.bySlug(req.params.board);
    if (!board) throw new DomainError('forum.board_not_found', {}, 404);
    const topics = await forums.reading.newestTopics(board.id, SIZE);
    const firsts = new Map((await Promise.all(topics.map((t) => forums.reading.postByNumber(t.id, 1)))).filter((p) => p !== null).map((p) => [p.topicId, p]));
    const authors = await forums.authors(topics.map((t) => t.authorId));
    const base = app.config.publicUrl;
    const feed = feedOf(base, `${app.config.siteName}: ${ru.t('forum.title')} · ${board.title}`, boardPath(board), topics[0]?.createdAt);
    for (const t of topics) {
      const first = firsts.get(t.id);
      feed.addItem({
        title: asText(t.title),
        id: base + topicPath(board.slug, t),
        link: base + topicPath(board.slug, t),
        date: t.createdAt,
        description: first && first.status === 'published' ? asText(postText(first.body).slice(0, 500)) : '',
        author: t.authorId !== null && authors.get(t.authorId) ? [{ name: authors.get(t.authorId)!.name }] : [],
      });
    }
    return app.pages.sendText(req, reply, feed.rss2(), RSS, [`forum-board:${board.id}`, 'forum']);
  });

  app.get('/forum/:board/:topic/rss.xml', { config: { pageCache: true }, schema: { tags: ['forums'], summary: 'A topic’s newest posts as RSS', params: Type.Object({ board: Slug, topic: Type.String({ pattern: '^[1-9][0-9]{0,9}(-[a-z0-9-]{0,100})?$' }) }), response: rss } }, async (req, reply) => {
    const topic = await forums.reading.topic(Number(req.params.topic.split('-')[0]));
    const board = topic && topic.status === 'visible' ? await forums.boards.byId(topic.boardId) : null;
    if (!topic || !board) throw new DomainError('forum.topic_not_found', {}, 404);
    const posts = await forums.reading.newestPosts(topic.id, SIZE);
    const authors = await forums.authors(posts.map((p) => p.authorId));
    const base = app.config.publicUrl;
    const feed = feedOf(base, `${app.config.siteName}: ${topic.title}`, topicPath(board.slug, topic), posts[0]?.createdAt);
    for (const p of posts) {
      const link = base + topicPath(board.slug, topic, p.number);
      feed.addItem({
        title: asText(`${ru.t('forum.post', { number: p.number })} · ${topic.title}`),
        id: link,
        link,
        date: p.createdAt,
        description: asText(postText(p.body).slice(0, 1000)),
        author: p.authorId !== null && authors.get(p.authorId) ? [{ name: authors.get(p.authorId)!.name }] : [],
      });
    }
    return app.pages.sendText(req, reply, feed.rss2(), RSS, [`forum-topic:${topic.id}`]);
  });
}

export default fp(forumFeeds, { name: 'forums-feeds' });
