// Pieces the forum pages share: the breadcrumb, a topic's line in a list, an
// author's name (a link to their profile when they have one).
import type { PageContext } from '../../../web/context.js';
import type { Board } from '../boards.js';
import type { TopicSummary } from '../reading.js';
import { topicPath } from '../reading.js';
import { memberPath, type Author } from '../service.js';

export function Crumbs({ ctx, trail }: { ctx: PageContext; trail: { title: string; href: string }[] }) {
  return (
    <nav class="forum-crumbs" aria-label={ctx.i18n.t('forum.title')}>
      <a href="/forum/">{ctx.i18n.t('forum.title')}</a>
      {trail.map((c) => (
        <>
          {' › '}
          <a href={c.href}>{c.title}</a>
        </>
      ))}
    </nav>
  );
}

export function AuthorName({ ctx, author }: { ctx: PageContext; author: Author | undefined }) {
  if (!author) return <span class="forum-author forum-author--gone">{ctx.i18n.t('forum.deletedUser')}</span>;
  return author.handle ? (
    <a class="forum-author" href={memberPath(author.handle)}>
      {author.name}
    </a>
  ) : (
    <span class="forum-author">{author.name}</span>
  );
}

/** One topic in a board or a reader's list: title and marks, author, replies, views, the last post. */
export function TopicRow({ ctx, topic, board, authors, unread }: { ctx: PageContext; topic: TopicSummary; board: Pick<Board, 'slug' | 'title'>; authors: Map<number, Author>; unread?: number }) {
  const { i18n } = ctx;
  const replies = Math.max(0, topic.postCount - 1);
  return (
    <li class={`forum-topic${topic.pinned ? ' forum-topic--pinned' : ''}`}>
      <div class="forum-topic__main">
        <a class="forum-topic__title" href={topicPath(board.slug, topic)}>
          {topic.title}
        </a>
        {topic.pinned && <span class="forum-badge">{i18n.t('forum.pinned')}</span>}
        {topic.closed && <span class="forum-badge forum-badge--muted">{i18n.t('forum.closedShort')}</span>}
        {unread ? (
          <a class="forum-badge forum-badge--new" href={topicPath(board.slug, topic, topic.lastPostNumber - unread + 1)}>
            {i18n.plural('forum.unreadCount', unread)}
          </a>
        ) : null}
        <p class="forum-topic__meta">
          <AuthorName ctx={ctx} author={topic.authorId === null ? undefined : authors.get(topic.authorId)} />
          {' · '}
          {i18n.plural('forum.replies', replies)} · {i18n.plural('forum.views', topic.viewCount)}
        </p>
      </div>
      <p class="forum-topic__last">
        <a href={topicPath(board.slug, topic, topic.lastPostNumber)}>{i18n.when(topic.lastPostAt, ctx.now)}</a>
        {topic.lastPosterId !== null && authors.get(topic.lastPosterId) && (
          <>
            <br />
            {authors.get(topic.lastPosterId)!.name}
          </>
        )}
      </p>
    </li>
  );
}
