// «Форумы»: every category with its boards — how many topics and posts, and the
// latest activity in each. The same for every reader (page-cached); «Новые» and
// «Непрочитанные» are links to the reader's own lists.
import type { PageContext } from '../../../web/context.js';
import { Layout } from '../../../web/layout.js';
import type { Board, BoardNode } from '../boards.js';
import { boardPath, topicPath, type TopicSummary } from '../reading.js';
import { ForumSearchBox } from './search-page.js';

function BoardLine({ ctx, board, last }: { ctx: PageContext; board: Board; last: Map<number, TopicSummary> }) {
  const { i18n } = ctx;
  const topic = board.lastTopicId !== null ? last.get(board.lastTopicId) : undefined;
  return (
    <li class="forum-board">
      <div class="forum-board__main">
        <a class="forum-board__title" href={boardPath(board)}>
          {board.title}
        </a>
        {board.description && <p class="forum-board__description">{board.description}</p>}
      </div>
      <p class="forum-board__counts">
        {i18n.plural('forum.topics', board.topicCount)}
        <br />
        {i18n.plural('forum.posts', board.postCount)}
      </p>
      <p class="forum-board__last">
        {topic && (
          <>
            <a href={topicPath(board.slug, topic, topic.lastPostNumber)}>{topic.title}</a>
            <br />
            <span class="muted">{i18n.when(topic.lastPostAt, ctx.now)}</span>
          </>
        )}
      </p>
    </li>
  );
}

export function ForumIndex({ ctx, tree, last }: { ctx: PageContext; tree: BoardNode[]; last: Map<number, TopicSummary> }) {
  const { i18n } = ctx;
  return (
    <Layout ctx={ctx} meta={{ title: i18n.t('forum.title'), description: i18n.t('forum.description'), canonical: `${ctx.publicUrl}/forum/` }}>
      <section class="forum">
        <header class="forum-head">
          <h1>{i18n.t('forum.title')}</h1>
          <nav class="forum-head__links">
            <a href="/forum/new/">{i18n.t('forum.newTopics')}</a>
            <a href="/forum/unread/">{i18n.t('forum.unread')}</a>
          </nav>
          <ForumSearchBox ctx={ctx} />
        </header>
        {tree
          .filter((category) => category.children.length)
          .map((category) => (
            <section class="forum-category">
              <h2>
                <a href={boardPath(category)}>{category.title}</a>
              </h2>
              <ul class="forum-boards">
                {category.children.map((b) => (
                  <BoardLine ctx={ctx} board={b} last={last} />
                ))}
              </ul>
            </section>
          ))}
        {/* Top-level boards without boards of their own, together under one heading. */}
        {tree.some((c) => !c.children.length) && (
          <section class="forum-category">
            <h2>{i18n.t('forum.moreBoards')}</h2>
            <ul class="forum-boards">
              {tree
                .filter((c) => !c.children.length)
                .map((b) => (
                  <BoardLine ctx={ctx} board={b} last={last} />
                ))}
            </ul>
          </section>
        )}
      </section>
    </Layout>
  );
}
