// A board: its topics, pinned first, then by the latest post, 30 a page; a
// category's page lists its boards above its own topics.
import type { PageContext } from '../../../web/context.js';
import { Layout } from '../../../web/layout.js';
import { Pager } from '../../../web/components/pager.js';
import type { Board } from '../boards.js';
import { boardPath, TOPICS_PER_PAGE, type TopicSummary } from '../reading.js';
import type { Author } from '../service.js';
import { Crumbs, TopicRow } from './parts.js';
import { ForumSearchBox } from './search-page.js';

export interface BoardView {
  board: Board;
  parent: Board | null;
  children: Board[];
  topics: TopicSummary[];
  total: number;
  page: number;
  authors: Map<number, Author>;
}

export function BoardPage({ ctx, view }: { ctx: PageContext; view: BoardView }) {
  const { i18n } = ctx;
  const { board, parent, page } = view;
  const pages = Math.max(1, Math.ceil(view.total / TOPICS_PER_PAGE));
  const path = boardPath(board);
  return (
    <Layout
      ctx={ctx}
      meta={{
        title: board.title + (page > 1 ? ` · ${i18n.t('pager.page', { page })}` : ''),
        description: board.description || undefined,
        canonical: ctx.publicUrl + path + (page > 1 ? `?page=${page}` : ''),
        feeds: [{ title: i18n.t('forum.feed', { title: board.title }), href: `${path}rss.xml` }],
      }}
    >
      <section class="forum">
        <Crumbs ctx={ctx} trail={parent ? [{ title: parent.title, href: boardPath(parent) }] : []} />
        <header class="forum-head">
          <h1>{board.title}</h1>
          {!board.archived && (
            <a class="button" href={`${path}new`}>
              {i18n.t('forum.newTopic')}
            </a>
          )}
          {!board.archived && <ForumSearchBox ctx={ctx} board={board.slug} />}
        </header>
        {board.description && <p class="forum-head__description">{board.description}</p>}
        {board.archived && <p class="notice">{i18n.t('forum.archived')}</p>}
        {view.children.length > 0 && (
          <ul class="forum-boards forum-boards--inline">
            {view.children.map((c) => (
              <li class="forum-board">
                <a class="forum-board__title" href={boardPath(c)}>
                  {c.title}
                </a>{' '}
                <span class="muted">{i18n.plural('forum.topics', c.topicCount)}</span>
              </li>
            ))}
          </ul>
        )}
        {view.topics.length ? (
          <ul class="forum-topics">
            {view.topics.map((t) => (
              <TopicRow ctx={ctx} topic={t} board={board} authors={view.authors} />
            ))}
          </ul>
        ) : (
          view.children.length === 0 && <p class="muted">{i18n.t('forum.noTopics')}</p>
        )}
        <Pager page={page} pages={pages} base={path} i18n={i18n} />
        {!board.archived && (
          <p class="forum-board-level">
            <a href={`/forum/boards/${board.id}/level`}>{i18n.t('forum.boardLevel.link')}</a>
          </p>
        )}
      </section>
    </Layout>
  );
}
