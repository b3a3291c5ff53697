// «Рекомендуем»: the cached page carries what suits a new reader; the island then
// asks for this reader's list and replaces it.
import type { I18n } from '../../../platform/i18n/index.js';
import type { ArticleCard } from '../../content/index.js';
import { TypeLabel } from '../../content/index.js';

export function Recommended({ cards, i18n, exclude }: { cards: ArticleCard[]; i18n: I18n; exclude: number[] }) {
  if (!cards.length) return null;
  return (
    <section class="block widget-recommended" aria-labelledby="recommended-title" data-island="recommend" data-exclude={exclude.join(',') || undefined}>
      <h2 class="block__title" id="recommended-title">
        {i18n.t('audience.recommended')}
      </h2>
      <ul class="news-list">
        {cards.map((c) => (
          <li>
            <TypeLabel card={c} i18n={i18n} /> <a href={c.url}>{c.title}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** «Самое обсуждаемое»: the pieces with the most comments in the window. */
export function MostDiscussed({ items, i18n }: { items: { card: ArticleCard; comments: number }[]; i18n: I18n }) {
  if (!items.length) return null;
  return (
    <section class="block widget-discussed" aria-labelledby="discussed-title">
      <h2 class="block__title" id="discussed-title">
        {i18n.t('audience.mostDiscussed')}
      </h2>
      <ol class="top5">
        {items.map(({ card, comments }) => (
          <li>
            <div>
              <TypeLabel card={card} i18n={i18n} />
              <a href={card.url}>{card.title}</a>
              <span class="top5__author">{i18n.plural('comments.count', comments)}</span>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
