// The forums on the news pages: «Обсудить на форуме» under an article (a link to its
// discussion, or the button that starts it), and «Обсуждают на форуме», the topics
// with the latest replies, beside the home page's and the article's other lists.
import type { I18n } from '../../../platform/i18n/index.js';
import type { TopicSummary } from '../reading.js';
import { topicPath } from '../reading.js';

export function DiscussBlock({ i18n, articleId, topic, boardSlug }: { i18n: I18n; articleId: number; topic: TopicSummary | null; boardSlug: string | null }) {
  return (
    <section class="forum-discuss">
      {topic && boardSlug ? (
        <a class="button button--secondary" href={topicPath(boardSlug, topic)}>
          {i18n.t('forum.discussion')} · {i18n.plural('forum.replies', Math.max(0, topic.postCount - 1))}
        </a>
      ) : (
        // From a cached page, without a per-reader token: the route takes the same-origin proof.
        <form method="post" action={`/forum/discuss/${articleId}`}>
          <button class="button button--secondary" type="submit">
            {i18n.t('forum.discuss')}
          </button>
        </form>
      )}
    </section>
  );
}

export function ActiveTopics({ i18n, now, topics }: { i18n: I18n; now: Date; topics: { topic: TopicSummary; boardSlug: string; boardTitle: string }[] }) {
  if (!topics.length) return null;
  return (
    <section class="block widget-forum" aria-labelledby="forum-active-title">
      <h2 class="block__title" id="forum-active-title">
        <a href="/forum/">{i18n.t('forum.active')}</a>
      </h2>
      <ol class="top5">
        {topics.map(({ topic, boardSlug, boardTitle }) => (
          <li>
            <div>
              <a href={topicPath(boardSlug, topic, topic.lastPostNumber)}>{topic.title}</a>
              <span class="top5__author">
                {boardTitle} · {i18n.plural('forum.replies', Math.max(0, topic.postCount - 1))} · {i18n.when(topic.lastPostAt, now)}
              </span>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
