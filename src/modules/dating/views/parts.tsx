// The pieces every dating page shares: the section's frame with its menu, a card
// (photo or initial, name, age, district, marks), and the no-JS action forms.
import type { ComponentChildren } from 'preact';
import type { PageContext } from '../../../web/context.js';
import type { I18n } from '../../../platform/i18n/index.js';
import { Layout } from '../../../web/layout.js';
import { Notices } from '../../../web/components/forms.js';
import { Picture } from '../../../web/components/picture.js';
import type { ImageRef } from '../../media/index.js';
import type { Card } from '../service.js';

export type Photos = Map<number, ImageRef[]>;

const NAV = [
  ['/dating/', 'dating.nav.stream'],
  ['/dating/search', 'dating.nav.search'],
  ['/dating/likes', 'dating.nav.likes'],
  ['/dating/matches', 'dating.nav.matches'],
  ['/dating/me', 'dating.nav.me'],
] as const;

export function DatingFrame({ ctx, title, nav = true, notice, error, children }: { ctx: PageContext; title: string; nav?: boolean; notice?: string; error?: string; children: ComponentChildren }) {
  const { i18n } = ctx;
  return (
    <Layout ctx={ctx} meta={{ title, noindex: true }}>
      <section class="dating">
        <h1 class="dating__title">{title}</h1>
        {nav && (
          <nav class="dating__nav" aria-label={i18n.t('dating.title')}>
            {NAV.map(([href, key]) => (
              <a href={href} aria-current={ctx.path === href ? 'page' : undefined}>
                {i18n.t(key)}
              </a>
            ))}
          </nav>
        )}
        <Notices notice={notice} error={error} />
        {children}
      </section>
    </Layout>
  );
}

export function Face({ card, photos, i18n, size = 'card' }: { card: Pick<Card, 'id' | 'name'>; photos: Photos; i18n: I18n; size?: 'card' | 'large' | 'small' }) {
  const first = photos.get(card.id)?.[0];
  if (first) return <Picture class={`dating-face dating-face--${size}`} image={first} alt={i18n.t('dating.photo.of', { name: card.name })} sizes={size === 'large' ? '(max-width: 600px) 100vw, 480px' : '240px'} />;
  return (
    <span class={`dating-face dating-face--${size} dating-face--none`} role="img" aria-label={i18n.t('dating.noPhoto')}>
      {card.name.slice(0, 1).toUpperCase()}
    </span>
  );
}

export function Meta({ card, i18n }: { card: Card; i18n: I18n }) {
  return (
    <p class="dating-card__meta">
      <span>{i18n.plural('dating.age', card.age)}</span>
      <span>{i18n.t('dating.district', { district: card.district })}</span>
      {card.verified && <span class="dating-mark dating-mark--verified">{i18n.t('dating.verified')}</span>}
      {card.online && <span class="dating-mark">{i18n.t('dating.online')}</span>}
    </p>
  );
}

export function CardTile({ card, photos, i18n }: { card: Card; photos: Photos; i18n: I18n }) {
  return (
    <li class="dating-tile">
      <a href={`/dating/p/${card.id}`} class="dating-tile__link">
        <Face card={card} photos={photos} i18n={i18n} />
        <span class="dating-tile__name">{card.name}</span>
      </a>
      <Meta card={card} i18n={i18n} />
    </li>
  );
}

export function Tiles({ cards, photos, i18n, empty }: { cards: Card[]; photos: Photos; i18n: I18n; empty: string }) {
  if (!cards.length) return <p class="dating__empty">{empty}</p>;
  return (
    <ul class="dating-tiles">
      {cards.map((c) => (
        <CardTile card={c} photos={photos} i18n={i18n} />
      ))}
    </ul>
  );
}

export function ActionForm({ action, csrf, label, kind = 'plain', hidden }: { action: string; csrf: string; label: string; kind?: 'like' | 'skip' | 'plain' | 'danger'; hidden?: Record<string, string> }) {
  return (
    <form class="dating-action" method="post" action={action}>
      <input type="hidden" name="_csrf" value={csrf} />
      {Object.entries(hidden ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button class={`button dating-action__button dating-action__button--${kind}`} type="submit">
        {label}
      </button>
    </form>
  );
}
