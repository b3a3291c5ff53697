// A moderator's forms for a topic: split chosen posts into a new topic, merge the
// topic into another. Plain forms with the CSRF token (pages for one moderator,
// never cached).
import type { PageContext } from '../../../web/context.js';
import { FormPage } from '../../../web/components/forms.js';
import type { Board } from '../boards.js';
import { postText } from '../markdown.js';
import { TITLE_MAX, TITLE_MIN } from '../posting.js';
import type { Post, TopicSummary } from '../reading.js';
import type { Author } from '../service.js';

export function SplitPage({ ctx, topic, posts, authors, boards, csrf, error }: { ctx: PageContext; topic: TopicSummary; posts: Post[]; authors: Map<number, Author>; boards: Board[]; csrf: string; error?: string }) {
  const { i18n } = ctx;
  return (
    <FormPage ctx={ctx} title={i18n.t('forum.split.title', { title: topic.title })} error={error}>
      <form class="form forum-split" method="post" action={`/forum/topics/${topic.id}/split`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <fieldset>
          <legend>{i18n.t('forum.split.posts')}</legend>
          {posts
            .filter((p) => p.number > 1 && p.status !== 'deleted')
            .map((p) => (
              <label class="checkbox forum-split__post">
                <input type="checkbox" name="numbers" value={String(p.number)} />
                <span>
                  #{p.number} · {(p.authorId !== null && authors.get(p.authorId)?.name) || i18n.t('forum.deletedUser')}: {postText(p.body).slice(0, 140)}
                </span>
              </label>
            ))}
        </fieldset>
        <label for="split-title">{i18n.t('forum.titleLabel')}</label>
        <input id="split-title" name="title" minLength={TITLE_MIN} maxLength={TITLE_MAX} required />
        <label for="split-board">{i18n.t('forum.moveTo')}</label>
        <select id="split-board" name="board">
          {boards.map((b) => (
            <option value={String(b.id)} selected={b.id === topic.boardId}>
              {b.title}
            </option>
          ))}
        </select>
        <button class="button" type="submit">
          {i18n.t('forum.split.submit')}
        </button>
      </form>
    </FormPage>
  );
}

export function MergePage({ ctx, topic, csrf, error }: { ctx: PageContext; topic: TopicSummary; csrf: string; error?: string }) {
  const { i18n } = ctx;
  return (
    <FormPage ctx={ctx} title={i18n.t('forum.merge.title', { title: topic.title })} error={error}>
      <form class="form" method="post" action={`/forum/topics/${topic.id}/merge`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <label for="merge-into">{i18n.t('forum.merge.into')}</label>
        <input id="merge-into" name="into" required maxLength={300} placeholder="/forum/transport/12-…/" />
        <p class="hint">{i18n.t('forum.merge.hint')}</p>
        <button class="button" type="submit">
          {i18n.t('forum.merge.submit')}
        </button>
      </form>
    </FormPage>
  );
}
