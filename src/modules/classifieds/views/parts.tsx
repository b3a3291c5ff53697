// Pieces the classifieds' pages share: the price as words, an ad's card in a list,
// the breadcrumb, the search box.
import type { ImageRef } from '../../media/index.js';
import type { PageContext } from '../../../web/context.js';
import type { I18n } from '../../../platform/i18n/index.js';
import { Picture } from '../../../web/components/picture.js';
import type { Catalogue, Category } from '../catalogue.js';
import type { Card } from '../finding.js';
import type { Storefront } from '../storefronts.js';
import { adPath, categoryPath } from '../paths.js';

export function money(i18n: I18n, n: number): string {
  return `${new Intl.NumberFormat(i18n.locale === 'ru' ? 'ru-RU' : 'en-GB').format(n)} ₽`;
}

/** «1 250 000 ₽», «Цена договорная», «от 60 000 ₽», «от 60 000 до 90 000 ₽». */
export function priceText(i18n: I18n, ad: Pick<Card, 'price' | 'negotiable' | 'salary_from' | 'salary_to'>, kind: Category['priceKind'] | undefined): string {
  if (kind === 'none') return '';
  if (kind === 'salary') {
    if (ad.salary_from !== null && ad.salary_to !== null) return i18n.t('ads.salaryRange', { from: money(i18n, ad.salary_from), to: money(i18n, ad.salary_to) });
    if (ad.salary_from !== null) return i18n.t('ads.salaryFrom', { from: money(i18n, ad.salary_from) });
    if (ad.salary_to !== null) return i18n.t('ads.salaryTo', { to: money(i18n, ad.salary_to) });
    return i18n.t('ads.salaryNegotiable');
  }
  return ad.price === null ? i18n.t('ads.negotiable') : money(i18n, ad.price);
}

export function AdCard({ ctx, ad, cat, images, shops }: { ctx: PageContext; ad: Card; cat: Catalogue; images: Map<number, ImageRef>; shops?: Map<number, Storefront> }) {
  const { i18n } = ctx;
  const category = cat.byId.get(ad.category_id);
  const cover = ad.cover_id !== null ? images.get(ad.cover_id) : undefined;
  const highlighted = ad.highlighted_until !== null && ad.highlighted_until.getTime() > ctx.now.getTime();
  const shop = ad.organisation_id !== null ? shops?.get(ad.organisation_id) : undefined;
  const href = category ? adPath(category, ad.id) : '#';
  return (
    <li class={`ad-card${highlighted ? ' ad-card--highlighted' : ''}`}>
      <a class="ad-card__photo" href={href} tabIndex={-1} aria-hidden="true">
        {cover ? <Picture image={cover} alt="" sizes="(max-width: 600px) 40vw, 220px" /> : <span class="ad-card__nophoto" />}
      </a>
      <div class="ad-card__body">
        <a class="ad-card__title" href={href}>
          {ad.title}
        </a>
        <p class="ad-card__price">{priceText(i18n, ad, category?.priceKind)}</p>
        <p class="ad-card__meta muted">
          {highlighted && <span class="ad-badge">{i18n.t('ads.highlighted')}</span>}
          {category?.title}
          {ad.district_id !== null && cat.districtById.get(ad.district_id) ? ` · ${cat.districtById.get(ad.district_id)!.title}` : ''}
          {' · '}
          {i18n.when(ad.sort_at, ctx.now)}
          {shop && (
            <>
              {' · '}
              {shop.name}
              {shop.verifiedAt && <span class="ad-verified" title={i18n.t('ads.verified')}> ✓</span>}
            </>
          )}
        </p>
      </div>
    </li>
  );
}

export function AdList({ ctx, ads, cat, images, shops }: { ctx: PageContext; ads: Card[]; cat: Catalogue; images: Map<number, ImageRef>; shops?: Map<number, Storefront> }) {
  return (
    <ul class="ad-list">
      {ads.map((ad) => (
        <AdCard ctx={ctx} ad={ad} cat={cat} images={images} shops={shops} />
      ))}
    </ul>
  );
}

export function Crumbs({ ctx, trail }: { ctx: PageContext; trail: { title: string; href: string }[] }) {
  return (
    <nav class="ad-crumbs" aria-label={ctx.i18n.t('ads.crumbs')}>
      <a href="/ads/">{ctx.i18n.t('ads.title')}</a>
      {trail.map((c) => (
        <>
          {' › '}
          <a href={c.href}>{c.title}</a>
        </>
      ))}
    </nav>
  );
}

export function categoryTrail(cat: Catalogue, c: Category | null): { title: string; href: string }[] {
  if (!c) return [];
  const parent = c.parentId !== null ? cat.byId.get(c.parentId) : undefined;
  return [...(parent ? [{ title: parent.title, href: categoryPath(parent) }] : []), { title: c.title, href: categoryPath(c) }];
}

export function AdSearchBox({ ctx, q, action = '/ads/search' }: { ctx: PageContext; q?: string; action?: string }) {
  return (
    <form class="ad-search" method="get" action={action} role="search">
      <label class="visually-hidden" for="ad-q">
        {ctx.i18n.t('ads.searchLabel')}
      </label>
      <input id="ad-q" type="search" name="q" value={q ?? ''} maxLength={200} placeholder={ctx.i18n.t('ads.searchPlaceholder')} />
      <button class="button" type="submit">
        {ctx.i18n.t('ads.find')}
      </button>
    </form>
  );
}
