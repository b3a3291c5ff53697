// The reaction bar under the article. The page is cached and the same for every
// reader, so it carries the counts of the moment it was rendered and no reader's
// choice; the `reactions` island fetches fresh counts and marks the reader's own
// reaction. Without JavaScript each button posts the form (toggle on the server).
import type { VNode } from 'preact';
import type { I18n } from '../../../platform/i18n/index.js';
import { REACTION_KINDS, type ReactionCounts, type ReactionKind } from '../kinds.js';

// Small inline icons (no external requests, CSP-friendly), drawn on a 24×24 grid.
const ICONS: Record<ReactionKind, VNode> = {
  LIKE: <path d="M2 10h4v11H2zM8 21h9.5a2 2 0 0 0 2-1.6l1.4-7A2 2 0 0 0 19 10h-5.2l.8-4.1A2 2 0 0 0 12.6 3.5L8 9.5z" />,
  HAPPY: (
    <>
      <circle cx="12" cy="12" r="9.5" fill="none" stroke="currentColor" stroke-width="2" />
      <path d="M7 13.5h10a5 5 0 0 1-10 0z" />
      <path d="M7.5 9.5 9.5 8 11 9.5M13 9.5 14.5 8l2 1.5" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" />
    </>
  ),
  SURPRISED: (
    <>
      <circle cx="12" cy="12" r="9.5" fill="none" stroke="currentColor" stroke-width="2" />
      <circle cx="9" cy="9.5" r="1.3" />
      <circle cx="15" cy="9.5" r="1.3" />
      <ellipse cx="12" cy="15.5" rx="2.2" ry="2.8" />
    </>
  ),
  ANGRY: (
    <>
      <circle cx="12" cy="12" r="9.5" fill="none" stroke="currentColor" stroke-width="2" />
      <path d="M7 8l3.5 2M17 8l-3.5 2M8.5 17a4.5 4.5 0 0 1 7 0" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" />
      <circle cx="9.3" cy="11.5" r="1.1" />
      <circle cx="14.7" cy="11.5" r="1.1" />
    </>
  ),
  SAD: (
    <>
      <circle cx="12" cy="12" r="9.5" fill="none" stroke="currentColor" stroke-width="2" />
      <circle cx="9" cy="10" r="1.2" />
      <circle cx="15" cy="10" r="1.2" />
      <path d="M8 17a5 5 0 0 1 8 0" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" />
      <path d="M7 12.5c-.8 1.2-1.2 2-1.2 2.6a1.2 1.2 0 0 0 2.4 0c0-.6-.4-1.4-1.2-2.6z" />
    </>
  ),
};

export function ReactionBar({ articleId, counts, i18n }: { articleId: number; counts: ReactionCounts; i18n: I18n }) {
  return (
    <section class="reactions" id="reactions" aria-labelledby="reactions-title" data-island="reactions" data-article-id={articleId} data-failed={i18n.t('reactions.failed')}>
      <h2 class="visually-hidden" id="reactions-title">
        {i18n.t('reactions.title')}
      </h2>
      <form class="reactions__bar" method="post" action={`/articles/${articleId}/reaction`}>
        {REACTION_KINDS.map((kind) => (
          <button type="submit" name="kind" value={kind} class="reaction" data-kind={kind} aria-pressed="false" title={i18n.t(`reactions.${kind}`)}>
            <svg class="reaction__icon" viewBox="0 0 24 24" width="24" height="24" fill="currentColor" aria-hidden="true" focusable="false">
              {ICONS[kind]}
            </svg>
            <span class="reaction__label">{i18n.t(`reactions.${kind}`)}</span>
            <span class="reaction__count" data-count>
              {counts[kind]}
            </span>
          </button>
        ))}
      </form>
      <p class="reactions__status" role="status" data-status></p>
    </section>
  );
}
