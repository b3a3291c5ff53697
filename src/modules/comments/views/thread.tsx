// The comments block under an article. Rendered into the cached article page, so it
// holds only what every reader sees: the heading with the count, the first page of
// the thread and a form that works without JavaScript. Who I am, my votes and
// buttons on my own comments come from the comments island after load.
import * as linkify from 'linkifyjs';
import type { ComponentChildren } from 'preact';
import type { I18n } from '../../../platform/i18n/index.js';
import type { ImageRef } from '../../media/index.js';
import { MAX_LENGTH, SORTS, type CommentNode, type Thread } from '../service.js';

const SAFE_HREF = /^(https?:\/\/|mailto:)/i;

/**
 * Plain text with its line breaks, and links made clickable. Everything is a Preact
 * text node or an <a> element Preact builds, so no text can become markup.
 */
export function CommentText({ text }: { text: string }) {
  const paragraphs = text.split(/\n{2,}/);
  return (
    <>
      {paragraphs.map((p) => (
        <p>
          {p.split('\n').map((line, i) => (
            <>
              {i > 0 && <br />}
              {linkify.tokenize(line).map((token) => {
                const href = token.isLink ? token.toHref('https') : '';
                return token.isLink && SAFE_HREF.test(href) ? (
                  <a href={href} rel="nofollow ugc noopener">
                    {token.toString()}
                  </a>
                ) : (
                  token.toString()
                );
              })}
            </>
          ))}
        </p>
      ))}
    </>
  );
}

function Avatar({ image }: { image: ImageRef | undefined }) {
  const small = image?.variants.filter((v) => v.format === 'webp').sort((a, b) => a.width - b.width)[0];
  if (!image || !small) return <span class="comment__avatar comment__avatar--none" aria-hidden="true" />;
  return <img class="comment__avatar" src={image.base + small.file} alt="" width={40} height={40} loading="lazy" decoding="async" />;
}

export function CommentItem({ c, i18n, avatars }: { c: CommentNode; i18n: I18n; avatars: Map<number, ImageRef> }) {
  const name = c.authorName ?? i18n.t('comments.deletedUser');
  return (
    <li class={`comment comment--d${c.depth}`} id={`comment-${c.id}`} data-comment-id={c.id}>
      {c.deleted ? (
        <p class="comment__deleted">{i18n.t('comments.deleted')}</p>
      ) : (
        <article class="comment__card">
          <header class="comment__head">
            <Avatar image={c.authorAvatarId ? avatars.get(c.authorAvatarId) : undefined} />
            <span class={c.authorName ? 'comment__author' : 'comment__author comment__author--gone'}>{name}</span>
            {c.guest && <span class="comment__guest"> ({i18n.t('comments.guest')})</span>}
            {c.replyTo !== null && <span class="comment__reply-to">{i18n.t('comments.replyTo', { name: c.replyTo || i18n.t('comments.deletedUser') })}</span>}
            <a class="comment__time" href={`#comment-${c.id}`}>
              <time dateTime={c.createdAt.toISOString()}>{i18n.when(c.createdAt)}</time>
            </a>
            {c.editedAt && <span class="comment__edited">{i18n.t('comments.edited')}</span>}
          </header>
          <div class="comment__body">
            <CommentText text={c.body} />
          </div>
          <footer class="comment__actions">
            <span class="comment__score" data-up={c.up} data-down={c.down}>
              <span class="comment__up" aria-label={i18n.t('comments.voteUp')}>
                ▲ {c.up}
              </span>{' '}
              <span class="comment__down" aria-label={i18n.t('comments.voteDown')}>
                ▼ {c.down}
              </span>
            </span>
          </footer>
        </article>
      )}
      {c.replies.length > 0 && (
        <ol class="comment__replies">
          {c.replies.map((r) => (
            <CommentItem c={r} i18n={i18n} avatars={avatars} />
          ))}
        </ol>
      )}
    </li>
  );
}

export const threadHref = (articleId: number, sort: string, page: number) => `/comments/${articleId}?sort=${sort}${page > 1 ? `&page=${page}` : ''}`;

/** The list and its «Показать ещё»; also what the island fetches to swap in. */
export function ThreadPart({ thread, i18n, avatars }: { thread: Thread; i18n: I18n; avatars: Map<number, ImageRef> }) {
  return (
    <div class="comments__thread" data-count={thread.count} data-heading={i18n.plural('comments.count', thread.count)} data-page={thread.page} data-sort={thread.sort}>
      {thread.items.length > 0 && (
        <ol class="comments__list">
          {thread.items.map((c) => (
            <CommentItem c={c} i18n={i18n} avatars={avatars} />
          ))}
        </ol>
      )}
      {thread.hasMore && (
        <a class="button button--secondary comments__more" href={threadHref(thread.articleId, thread.sort, thread.page + 1)} data-more>
          {i18n.t('comments.more')}
        </a>
      )}
    </div>
  );
}

export type CommentsMode = 'members' | 'guests' | 'closed';

function islandLabels(i18n: I18n) {
  const keys = ['reply', 'edit', 'save', 'cancel', 'delete', 'deleteConfirm', 'complain', 'complained', 'voteUp', 'voteDown', 'held', 'posted', 'form.submit', 'reason.spam', 'reason.abuse', 'reason.offtopic', 'reason.other', 'signInToSend'] as const;
  return Object.fromEntries(keys.map((k) => [k, i18n.t(`comments.${k}`)]));
}

/** Sign-in that lands back on the thread (the draft waits in the island's storage). */
const signInHref = (page: string) => `/login?next=${encodeURIComponent(`${page}#comments`)}`;

export function CommentForm({ articleId, mode, i18n, signIn }: { articleId: number; mode: CommentsMode; i18n: I18n; signIn?: string }) {
  return (
    <form class="form comment-form" method="post" action="/comments" data-sign-in={signIn}>
      <input type="hidden" name="articleId" value={articleId} />
      <input type="hidden" name="parentId" value="" />
      {mode === 'guests' && (
        <label class="comment-form__name">
          {i18n.t('comments.form.name')}
          <input type="text" name="guestName" minLength={2} maxLength={40} autoComplete="nickname" />
        </label>
      )}
      <label>
        <span class="visually-hidden">{i18n.t('comments.form.label')}</span>
        <textarea name="body" rows={4} required maxLength={MAX_LENGTH} placeholder={i18n.t('comments.form.placeholder')} />
      </label>
      <p class="comment-form__hint">{i18n.t('comments.form.limit', { n: MAX_LENGTH })}</p>
      <p class="comment-form__status" role="status" aria-live="polite" />
      <button class="button" type="submit">
        {i18n.t('comments.form.submit')}
      </button>
    </form>
  );
}

export function CommentsBlock({ thread, mode, i18n, avatars, loginNext, children }: { thread: Thread; mode: CommentsMode; i18n: I18n; avatars: Map<number, ImageRef>; loginNext: string; children?: ComponentChildren }) {
  return (
    <section class="block comments" id="comments" aria-labelledby="comments-title" data-island="comments" data-article-id={thread.articleId} data-mode={mode} data-labels={JSON.stringify(islandLabels(i18n))}>
      <h2 class="block__title" id="comments-title">
        {i18n.t('comments.title')} <span class="comments__count">{i18n.plural('comments.count', thread.count)}</span>
      </h2>
      {thread.count === 0 && thread.items.length === 0 && <p class="comments__empty">{i18n.t('comments.empty')}</p>}
      {children}
      {mode === 'closed' ? (
        <p class="comments__closed">{i18n.t('comments.closed')}</p>
      ) : (
        <>
          {mode === 'members' && (
            <p class="comments__members" data-guest-prompt>
              <strong>{i18n.t('comments.signInToComment')}</strong> <a class="comments__sign-in" href={signInHref(loginNext)}>{i18n.t('comments.signIn')}</a> · <a href="/register">{i18n.t('comments.register')}</a>
            </p>
          )}
          <CommentForm articleId={thread.articleId} mode={mode} i18n={i18n} signIn={mode === 'members' ? signInHref(loginNext) : undefined} />
        </>
      )}
      {thread.count > 1 && (
        <nav class="comments__sort" aria-label={i18n.t('comments.sort')}>
          {SORTS.map((s) => (
            <a href={threadHref(thread.articleId, s, 1)} data-sort={s} aria-current={s === thread.sort ? 'true' : undefined}>
              {i18n.t(`comments.sort.${s}`)}
            </a>
          ))}
        </nav>
      )}
      <ThreadPart thread={thread} i18n={i18n} avatars={avatars} />
    </section>
  );
}
