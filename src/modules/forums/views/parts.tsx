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
        {topic.lastPosterId !== null && authors.get(topic.lastPosterId) && <span class="forum-topic__last-by">{authors.get(topic.lastPosterId)!.name}</span>}
      </p>
    </li>
  );
}

/** The pages of a topic: «← Назад 1 … 4 5 6 … 12 Дальше →» (the first, the last and the current one's neighbours). */
export function TopicPager({ ctx, page, pages, base }: { ctx: PageContext; page: number; pages: number; base: string }) {
  if (pages <= 1) return null;
  const { i18n } = ctx;
  const href = (p: number) => (p === 1 ? base : `${base}?page=${p}`);
  const shown = [...new Set([1, page - 1, page, page + 1, pages])].filter((p) => p >= 1 && p <= pages).sort((a, b) => a - b);
  const items: (number | null)[] = [];
  for (const p of shown) {
    const prev = items.at(-1);
    if (typeof prev === 'number' && p - prev === 2) items.push(p - 1);
    else if (typeof prev === 'number' && p - prev > 2) items.push(null);
    items.push(p);
  }
  return (
    <nav class="forum-pager" aria-label={i18n.t('forum.pages')}>
      {page > 1 && (
        <a class="forum-pager__step" href={href(page - 1)} rel="prev">
          {i18n.t('forum.pagePrev')}
        </a>
      )}
      {items.map((p) =>
        p === null ? (
          <span class="forum-pager__gap">…</span>
        ) : p === page ? (
          <span class="forum-pager__page" aria-current="page" aria-label={i18n.t('forum.pageN', { page: p })}>
            {p}
          </span>
        ) : (
          <a class="forum-pager__page" href={href(p)} aria-label={i18n.t('forum.pageN', { page: p })}>
            {p}
          </a>
        ),
      )}
      {page < pages && (
        <a class="forum-pager__step" href={href(page + 1)} rel="next">
          {i18n.t('forum.pageNext')}
        </a>
      )}
    </nav>
  );
}
