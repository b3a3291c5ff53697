// A topic: its posts, 20 a page by number (post N is on page ⌈N/20⌉, its anchor
// #post-N), each with its author, time, «изменено» with the history, quote and
// like; deleted posts keep their number and read «Сообщение удалено». Under the
// posts the reply form (a no-JS form; the island adds quoting of a selection and
// the reader's own marks). The same HTML for every reader: what differs per reader
// comes from the `forum` part of the page's one reader-state call (`/api/reader-state?topic=N`).
import { renderToString } from 'preact-render-to-string';
import type { PageContext } from '../../../web/context.js';
import { Picture } from '../../../web/components/picture.js';
import type { ImageRef } from '../../media/index.js';
import { Layout } from '../../../web/layout.js';
import { REPORT_REASONS } from '../../moderation/index.js';
import type { Board } from '../boards.js';
import { en, ru } from '../i18n.js';
import { boardPath, POSTS_PER_PAGE, topicPath, type Post, type TopicSummary } from '../reading.js';
import type { Author } from '../service.js';
import { AuthorName, Crumbs, TopicPager } from './parts.js';

export interface TopicView {
  topic: TopicSummary;
  board: Board;
  parent: Board | null;
  posts: Post[];
  html: Map<number, string>;
  /** Each published post's plain text, for the JSON-LD. */
  texts: Map<number, string>;
  authors: Map<number, Author>;
  page: number;
  likes: Map<number, number>;
  /** The pictures under each post, in order. */
  images: Map<number, ImageRef[]>;
}

// The 20 posts are most of the page and of its cost. `view.posts` comes from the
// topic's data cache (topic-cache.ts) and is shared by every render of that page
// until a write to the topic purges it, so the posts are rendered to HTML once per
// language and the string reused (as content/blocks.tsx does for article bodies);
// their times («вчера, 18:32») are as old as the entry, a minute at most.
const renderedPosts = new WeakMap<Post[], Map<string, string>>();

function postsHtml(ctx: PageContext, view: TopicView): string {
  let byLocale = renderedPosts.get(view.posts);
  if (!byLocale) renderedPosts.set(view.posts, (byLocale = new Map()));
  let html = byLocale.get(ctx.i18n.locale);
  if (html === undefined) byLocale.set(ctx.i18n.locale, (html = renderToString(<>{view.posts.map((p) => <PostView ctx={ctx} view={view} post={p} />)}</>)));
  return html;
}

function jsonLd(ctx: PageContext, view: TopicView) {
  const { topic, posts, authors } = view;
  const person = (id: number | null) => ({ '@type': 'Person', name: (id !== null && authors.get(id)?.name) || ctx.i18n.t('forum.deletedUser') });
  const first = posts.find((p) => p.number === 1);
  const url = ctx.publicUrl + topicPath(view.board.slug, topic);
  return {
    '@context': 'https://schema.org',
    '@type': 'DiscussionForumPosting',
    headline: topic.title,
    url,
    datePublished: topic.createdAt.toISOString(),
    author: person(topic.authorId),
    ...(first && first.status === 'published' ? { text: (view.texts.get(first.id) ?? '').slice(0, 1000) } : {}),
    interactionStatistic: { '@type': 'InteractionCounter', interactionType: 'https://schema.org/CommentAction', userInteractionCount: Math.max(0, topic.postCount - 1) },
    comment: posts
      .filter((p) => p.number > 1 && p.status === 'published')
      .map((p) => ({ '@type': 'Comment', url: `${url}${view.page > 1 ? `?page=${view.page}` : ''}#post-${p.number}`, author: person(p.authorId), datePublished: p.createdAt.toISOString(), text: (view.texts.get(p.id) ?? '').slice(0, 500) })),
  };
}

function PostView({ ctx, view, post }: { ctx: PageContext; view: TopicView; post: Post }) {
  const { i18n } = ctx;
  const author = post.authorId === null ? undefined : view.authors.get(post.authorId);
  const anchor = `post-${post.number}`;
  if (post.status === 'deleted') {
    return (
      <article class="forum-post forum-post--deleted" id={anchor} data-post={post.id} data-number={post.number}>
        <p class="forum-post__head">
          <a class="forum-post__number" href={`#${anchor}`}>
            #{post.number}
          </a>{' '}
          <em>{i18n.t('forum.postDeleted')}</em>
        </p>
      </article>
    );
  }
  return (
    <article class="forum-post" id={anchor} data-post={post.id} data-number={post.number} data-author={post.authorId ?? ''}>
      <header class="forum-post__head">
        <AuthorName ctx={ctx} author={author} />
        <a class="forum-post__number" href={`#${anchor}`}>
          #{post.number}
        </a>
        <time dateTime={post.createdAt.toISOString()}>{i18n.when(post.createdAt, ctx.now)}</time>
        {post.editCount > 0 && (
          <a class="forum-post__edited" href={`/forum/posts/${post.id}/history`}>
            {i18n.t('forum.edited')}
          </a>
        )}
      </header>
      <div class="forum-post__body" data-quote-source={post.id} dangerouslySetInnerHTML={{ __html: view.html.get(post.id) ?? '' }} />
      {(view.images.get(post.id) ?? []).length > 0 && (
        <div class="forum-post__images">
          {view.images.get(post.id)!.map((image, i) => {
            const largest = image.variants.filter((v) => v.format === 'jpeg').sort((a, b) => b.width - a.width)[0];
            return (
              <a href={largest ? image.base + largest.file : undefined}>
                <Picture image={image} alt={i18n.t('forum.image', { n: i + 1, number: post.number })} sizes="(max-width: 600px) 45vw, 240px" />
              </a>
            );
          })}
        </div>
      )}
      <footer class="forum-post__actions">
        <a class="forum-post__action" href={`/forum/topics/${view.topic.id}/reply?quote=${post.id}`} data-forum-quote={post.id} data-author-name={author?.name ?? ''}>
          {i18n.t('forum.quote')}
        </a>
        <button type="button" class="forum-post__action forum-like" data-forum-like={post.id} aria-pressed="false">
          <span aria-hidden="true">♥</span> <span class="forum-like__label">{i18n.t('forum.like')}</span> <span data-like-count>{view.likes.get(post.id) || ''}</span>
        </button>
        {/* Reports are sent by the island (POST /api/reports): without it there is nothing to press. */}
        <button type="button" class="forum-post__action" data-forum-report={post.id} hidden>
          {i18n.t('forum.report')}
        </button>
        <span class="forum-post__own" data-forum-own={post.id} hidden>
          <a class="forum-post__action" href={`/forum/posts/${post.id}/edit`}>
            {i18n.t('forum.edit')}
          </a>
        </span>
      </footer>
    </article>
  );
}

export function ReplyForm({ ctx, topic, body = '', error }: { ctx: PageContext; topic: TopicSummary; body?: string; error?: string }) {
  const { i18n } = ctx;
  return (
    <form class="form forum-reply" method="post" action={`/forum/topics/${topic.id}/reply`} id="reply" data-forum-reply={topic.id}>
      <h2>{i18n.t('forum.replyHeading')}</h2>
      {error && (
        <p class="notice notice--error" role="alert">
          {error}
        </p>
      )}
      <label for={`reply-${topic.id}`}>{i18n.t('forum.bodyLabel')}</label>
      <textarea id={`reply-${topic.id}`} name="body" rows={6} maxLength={20000} required>
        {body}
      </textarea>
      <p class="hint">{i18n.t('forum.bodyHint')}</p>
      {/* Pictures need the island (it uploads them first); a signed-in reader sees this. */}
      <div class="forum-reply__images" data-forum-images hidden>
        <label class="button button--secondary" for={`reply-images-${topic.id}`}>
          {i18n.t('forum.addImages')}
        </label>
        <input id={`reply-images-${topic.id}`} class="visually-hidden" type="file" accept="image/*" multiple data-forum-image-input />
        <ul class="forum-reply__thumbs" data-forum-image-list />
      </div>
      <button class="button" type="submit">
        {i18n.t('forum.reply')}
      </button>
    </form>
  );
}

/** The words the island adds to the page (forum-topic, client/topic.ts), in the page's language. */
const labelsByLocale = new Map<string, string>();
function islandLabels(i18n: PageContext['i18n']): string {
  const known = labelsByLocale.get(i18n.locale);
  if (known !== undefined) return known;
  const keys = ['hiddenByBlock', 'showPost', 'firstUnread', 'level', 'level.0', 'level.1', 'level.2', 'level.3', 'moderate', 'pin', 'unpin', 'close', 'open', 'moveTo', 'move', 'signInToReply', 'mayNotReply', 'quoteSelection', 'reportReason', 'reportText', 'reportSend', 'reported', 'cancel', 'offline', 'held', 'removeImage'] as const;
  const labels: Record<string, unknown> = Object.fromEntries(keys.map((k) => [k, i18n.t(`forum.${k}`)]));
  labels.reasons = Object.fromEntries(REPORT_REASONS.map((r) => [r, i18n.t(`moderation.report.${r}`)]));
  // «ещё N новых»: the plural forms, chosen in the browser with Intl.PluralRules of the page's language.
  labels.newPosts = (i18n.locale === 'en' ? en : ru)['forum.newPosts'];
  const text = JSON.stringify(labels);
  labelsByLocale.set(i18n.locale, text);
  return text;
}

export function TopicPage({ ctx, view }: { ctx: PageContext; view: TopicView }) {
  const { i18n } = ctx;
  const { topic, board, parent, page } = view;
  const pages = Math.max(1, Math.ceil(topic.lastNumber / POSTS_PER_PAGE));
  const path = topicPath(board.slug, topic);
  const trail = [...(parent ? [{ title: parent.title, href: boardPath(parent) }] : []), { title: board.title, href: boardPath(board) }];
  return (
    <Layout
      ctx={ctx}
      meta={{
        title: topic.title + (page > 1 ? ` · ${i18n.t('pager.page', { page })}` : ''),
        canonical: ctx.publicUrl + path + (page > 1 ? `?page=${page}` : ''),
        og: { type: 'article' },
        jsonLd: [jsonLd(ctx, view)],
        feeds: [{ title: i18n.t('forum.topicFeed', { title: topic.title }), href: `${path}rss.xml` }],
      }}
    >
      <section
        class="forum forum-topic-page"
        data-island="forum-topic"
        data-topic={topic.id}
        data-page={page}
        data-last={topic.lastNumber}
        data-page-last={Math.min(page * POSTS_PER_PAGE, topic.lastNumber)}
        data-path={path}
        data-pinned={topic.pinned ? '1' : '0'}
        data-closed={topic.closed ? '1' : '0'}
        data-labels={islandLabels(i18n)}
      >
        <Crumbs ctx={ctx} trail={trail} />
        <header class="forum-head">
          <h1>{topic.title}</h1>
          <p class="forum-head__marks">
            {topic.pinned && <span class="forum-badge">{i18n.t('forum.pinned')}</span>}
            {topic.closed && <span class="forum-badge forum-badge--muted">{i18n.t('forum.closedShort')}</span>}
          </p>
        </header>
        <p class="forum-unread" data-forum-unread hidden />
        <div class="forum-posts" dangerouslySetInnerHTML={{ __html: postsHtml(ctx, view) }} />
        <p class="forum-new-posts" data-forum-new hidden>
          <a href={`${path}?page=${pages}`} data-forum-new-link />
        </p>
        <TopicPager ctx={ctx} page={page} pages={pages} base={path} />
        <div class="forum-level" data-forum-level hidden />
        {topic.closed ? <p class="notice">{i18n.t('forum.closed')}</p> : board.archived ? <p class="notice">{i18n.t('forum.archived')}</p> : <ReplyForm ctx={ctx} topic={topic} />}
        <div class="forum-moderate" data-forum-moderate hidden />
      </section>
    </Layout>
  );
}
