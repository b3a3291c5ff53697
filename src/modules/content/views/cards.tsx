// Small pieces every content page is made of: cards, lists, ТОП 5, the pager.
import type { I18n } from '../../../platform/i18n/index.js';
import { Picture } from '../../../web/components/picture.js';
import type { ArticleCard as Card, AuthorRef } from '../types.js';

export function TypeLabel({ card, i18n }: { card: Card; i18n: I18n }) {
  // Live coverage running now: «Онлайн» with a pulsing dot (styles.css: .label--live).
  if (card.live)
    return (
      <span class="label label--live">
        <span class="live-dot" aria-hidden="true" />
        {i18n.t('type.live')}
      </span>
    );
  if (card.type === 'news') return null;
  return <span class="label">{i18n.t(card.type === 'opinion' ? 'type.opinion' : 'type.feature')}</span>;
}

export function Byline({ authors }: { authors: AuthorRef[] }) {
  return (
    <>
      {authors.map((a, i) => (
        <span class="byline">
          {i > 0 && ', '}
          {a.name}
          {a.position && <span class="byline__position">, {a.position}</span>}
        </span>
      ))}
    </>
  );
}

/** A moment as every page writes it (i18n.when), in a <time> element. */
export function When({ at, i18n, now }: { at: Date; i18n: I18n; now: Date }) {
  return <time dateTime={at.toISOString()}>{i18n.when(at, now)}</time>;
}

export function ArticleCard({ card, i18n, now, headingLevel = 3 }: { card: Card; i18n: I18n; now: Date; headingLevel?: 2 | 3 }) {
  const H = headingLevel === 2 ? 'h2' : 'h3';
  // A card without a cover shows its lead in the cover's place, so a row of cards
  // keeps its rhythm instead of leaving a hole.
  return (
    <article class={card.cover ? 'card' : 'card card--text'}>
      {card.cover ? (
        <a class="card__image" href={card.url} tabIndex={-1} aria-hidden="true">
          <Picture image={card.cover} alt="" sizes="(min-width: 960px) 280px, (min-width: 600px) 45vw, 100vw" />
        </a>
      ) : null}
      <TypeLabel card={card} i18n={i18n} />
      <H class="card__title">
        <a href={card.url}>{card.title}</a>
      </H>
      {card.type === 'opinion' && card.authors.length > 0 && (
        <p class="card__meta">
          <Byline authors={card.authors} />
        </p>
      )}
      {!card.cover && card.lead && <p class="card__lead">{card.lead}</p>}
      <p class="card__meta">
        <When at={card.publishedAt} i18n={i18n} now={now} />
        {card.commentCount ? <span class="card__comments">{i18n.plural('comments.count', card.commentCount)}</span> : null}
        <a href={`/text/${card.section.slug}/`}>{card.section.title}</a>
      </p>
    </article>
  );
}

export function CardGrid({ cards, i18n, now, variant, headingLevel }: { cards: Card[]; i18n: I18n; now: Date; variant?: 'rubric'; headingLevel?: 2 | 3 }) {
  if (!cards.length) return <p>{i18n.t('list.empty')}</p>;
  return (
    <ul class={variant ? `cards cards--${variant}` : 'cards'}>
      {cards.map((c) => (
        <li>
          <ArticleCard card={c} i18n={i18n} now={now} headingLevel={headingLevel} />
        </li>
      ))}
    </ul>
  );
}

export function NewsList({ cards, i18n, now, className }: { cards: Card[]; i18n: I18n; now: Date; className?: string }) {
  return (
    <ul class={className ? `news-list ${className}` : 'news-list'}>
      {cards.map((c) => (
        <li>
          <When at={c.publishedAt} i18n={i18n} now={now} />
          <TypeLabel card={c} i18n={i18n} /> <a href={c.url}>{c.title}</a>
        </li>
      ))}
    </ul>
  );
}

/** «ТОП 5»: opinions carry the «Мнение» label and their author's name and position. */
export function Top5({ cards, i18n, title }: { cards: Card[]; i18n: I18n; title?: string }) {
  return (
    <section class="block widget-top5" aria-labelledby="top5-title">
      <h2 class="block__title" id="top5-title">
        {title ?? i18n.t('widget.top5')}
      </h2>
      <ol class="top5">
        {cards.map((c) => (
          <li>
            <div>
              <TypeLabel card={c} i18n={i18n} />
              <a href={c.url}>{c.title}</a>
              {c.type === 'opinion' &&
                c.authors.map((a) => (
                  <span class="top5__author">
                    {a.name}
                    {a.position && `, ${a.position}`}
                  </span>
                ))}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** One item of «Мнения»: the author's photo beside their name and position, the
 * headline under them; each item is its own bordered row, so a label never sits
 * under the previous headline. */
export function OpinionCard({ card, i18n }: { card: Card; i18n: I18n }) {
  const author = card.authors[0];
  return (
    <article class="opinion-card">
      <div class="opinion-card__who">
        {author?.photo ? <Picture image={author.photo} alt="" sizes="48px" /> : <span class="opinion-card__no-photo" aria-hidden="true" />}
        {author && (
          <p class="opinion-card__author">
            {author.name}
            {author.position && <span class="opinion-card__position">{author.position}</span>}
          </p>
        )}
      </div>
      <h3 class="card__title">
        <a href={card.url}>{card.title}</a>
      </h3>
    </article>
  );
}

