// The forum's form pages (each for one signed-in reader, never cached): a new
// topic, a reply with a quote (the no-JS way to «Цитировать»), editing a post, and
// a post's edit history.
import type { PageContext } from '../../../web/context.js';
import { FormPage } from '../../../web/components/forms.js';
import { Layout } from '../../../web/layout.js';
import type { Board } from '../boards.js';
import { boardPath, topicPath, type TopicSummary } from '../reading.js';
import { TITLE_MAX, TITLE_MIN } from '../posting.js';
import { ReplyForm } from './topic-page.js';

export function NewTopicPage({ ctx, board, csrf, title = '', body = '', error }: { ctx: PageContext; board: Board; csrf: string; title?: string; body?: string; error?: string }) {
  const { i18n } = ctx;
  return (
    <FormPage ctx={ctx} title={`${i18n.t('forum.newTopic')}: ${board.title}`} error={error}>
      <form class="form forum-new" method="post" action={`${boardPath(board)}topics`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <label for="topic-title">{i18n.t('forum.titleLabel')}</label>
        <input id="topic-title" name="title" value={title} minLength={TITLE_MIN} maxLength={TITLE_MAX} required />
        <p class="hint">{i18n.t('forum.titleHint')}</p>
        <label for="topic-body">{i18n.t('forum.bodyLabel')}</label>
        <textarea id="topic-body" name="body" rows={10} maxLength={20000} required>
          {body}
        </textarea>
        <p class="hint">{i18n.t('forum.bodyHint')}</p>
        <button class="button" type="submit">
          {i18n.t('forum.startTopic')}
        </button>
      </form>
    </FormPage>
  );
}

export function ReplyPage({ ctx, topic, board, body, error }: { ctx: PageContext; topic: TopicSummary; board: Board; body: string; error?: string }) {
  return (
    <FormPage ctx={ctx} title={topic.title}>
      <p>
        <a href={topicPath(board.slug, topic)}>← {topic.title}</a>
      </p>
      <ReplyForm ctx={ctx} topic={topic} body={body} error={error} />
    </FormPage>
  );
}

export function EditPostPage({ ctx, postId, number, body, title, csrf, back, error }: { ctx: PageContext; postId: number; number: number; body: string; title: string | null; csrf: string; back: string; error?: string }) {
  const { i18n } = ctx;
  return (
    <FormPage ctx={ctx} title={i18n.t('forum.editHeading', { number })} error={error}>
      <form class="form" method="post" action={`/forum/posts/${postId}/edit`}>
        <input type="hidden" name="_csrf" value={csrf} />
        {title !== null && (
          <>
            <label for="topic-title">{i18n.t('forum.titleLabel')}</label>
            <input id="topic-title" name="title" value={title} minLength={TITLE_MIN} maxLength={TITLE_MAX} required />
          </>
        )}
        <label for="post-body">{i18n.t('forum.bodyLabel')}</label>
        <textarea id="post-body" name="body" rows={10} maxLength={20000} required>
          {body}
        </textarea>
        <button class="button" type="submit">
          {i18n.t('forum.save')}
        </button>
      </form>
      <form class="form" method="post" action={`/forum/posts/${postId}/delete`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <button class="button button--secondary" type="submit">
          {i18n.t('forum.delete')}
        </button>
      </form>
      <p>
        <a href={back}>←</a>
      </p>
    </FormPage>
  );
}

export function HistoryPage({ ctx, number, versions, back }: { ctx: PageContext; number: number; versions: { html: string; label: string }[]; back: string }) {
  const { i18n } = ctx;
  return (
    <Layout ctx={ctx} meta={{ title: i18n.t('forum.historyOf', { number }), noindex: true }}>
      <section class="forum">
        <h1>{i18n.t('forum.historyOf', { number })}</h1>
        <p>
          <a href={back}>← {i18n.t('forum.post', { number })}</a>
        </p>
        {versions.map((v) => (
          <article class="forum-post forum-revision">
            <p class="forum-post__head">{v.label}</p>
            <div class="forum-post__body" dangerouslySetInnerHTML={{ __html: v.html }} />
          </article>
        ))}
      </section>
    </Layout>
  );
}

/** A reader's level for a whole board: watching or tracking every topic in it, or muting it. */
export function BoardLevelPage({ ctx, board, level, csrf, saved }: { ctx: PageContext; board: Board; level: number; csrf: string; saved: boolean }) {
  const { i18n } = ctx;
  return (
    <FormPage ctx={ctx} title={i18n.t('forum.boardLevel.title', { title: board.title })} notice={saved ? i18n.t('forum.admin.saved') : undefined}>
      <form class="form" method="post" action={`/forum/boards/${board.id}/level`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <fieldset>
          <legend>{i18n.t('forum.level')}</legend>
          {([3, 2, 1, 0] as const).map((n) => (
            <label class="checkbox">
              <input type="radio" name="level" value={String(n)} checked={level === n} />
              <span>
                {i18n.t(`forum.level.${n}`)} — <span class="muted">{i18n.t(`forum.boardLevel.${n}`)}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <button class="button" type="submit">
          {i18n.t('forum.save')}
        </button>
      </form>
      <p>
        <a href={boardPath(board)}>← {board.title}</a>
      </p>
    </FormPage>
  );
}
