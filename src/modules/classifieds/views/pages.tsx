// The classifieds' reading pages: the home (categories and fresh ads), a
// category or the search (filters and results), a storefront.
import type { ImageRef } from '../../media/index.js';
import type { PageContext } from '../../../web/context.js';
import { Layout } from '../../../web/layout.js';
import { Picture } from '../../../web/components/picture.js';
import type { Catalogue, Category } from '../catalogue.js';
import type { Card } from '../finding.js';
import type { Storefront } from '../storefronts.js';
import { categoryPath, shopPath } from '../paths.js';
import { AdList, AdSearchBox, Crumbs, categoryTrail } from './parts.js';
import { Listing, type ListingView } from './listing.js';

export function AdsHome({ ctx, cat, counts, fresh, images, shops }: { ctx: PageContext; cat: Catalogue; counts: Map<number, number>; fresh: Card[]; images: Map<number, ImageRef>; shops: Map<number, Storefront> }) {
  const { i18n } = ctx;
  const total = (c: Category): number => (c.children.length ? c.children.reduce((s, x) => s + total(x), 0) : (counts.get(c.id) ?? 0));
  return (
    <Layout ctx={ctx} meta={{ title: i18n.t('ads.title'), description: i18n.t('ads.description'), canonical: `${ctx.publicUrl}/ads/` }}>
      <section class="ads">
        <header class="ads-head">
          <h1>{i18n.t('ads.title')}</h1>
          <a class="button" href="/ads/new">
            {i18n.t('ads.post')}
          </a>
          <a href="/ads/my/">{i18n.t('ads.my')}</a>
        </header>
        <AdSearchBox ctx={ctx} />
        <ul class="ad-categories">
          {cat.roots.map((c) => (
            <li class="ad-category">
              <a class="ad-category__title" href={categoryPath(c)}>
                {c.title}
              </a>{' '}
              <span class="muted">{total(c)}</span>
              {c.children.length > 0 && (
                <ul class="ad-category__children">
                  {c.children.map((x) => (
                    <li>
                      <a href={categoryPath(x)}>{x.title}</a> <span class="muted">{total(x)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
        <h2>{i18n.t('ads.fresh')}</h2>
        <AdList ctx={ctx} ads={fresh} cat={cat} images={images} shops={shops} />
      </section>
    </Layout>
  );
}

export function CategoryPage({ ctx, cat, view }: { ctx: PageContext; cat: Catalogue; view: ListingView }) {
  const { i18n } = ctx;
  const c = view.filters.category;
  const title = c ? c.title : view.filters.q ? i18n.t('ads.searchFor', { q: view.filters.q }) : i18n.t('ads.search');
  const trail = categoryTrail(cat, c);
  return (
    <Layout ctx={ctx} meta={{ title, canonical: ctx.publicUrl + view.base, noindex: !c }}>
      <section class="ads">
        <Crumbs ctx={ctx} trail={trail.slice(0, -1)} />
        <header class="ads-head">
          <h1>{title}</h1>
          <a class="button" href={c ? `/ads/new?category=${c.id}` : '/ads/new'}>
            {i18n.t('ads.post')}
          </a>
        </header>
        <Listing ctx={ctx} cat={cat} view={view} />
      </section>
    </Layout>
  );
}

export function ShopPage({ ctx, cat, shop, logo, view }: { ctx: PageContext; cat: Catalogue; shop: Storefront; logo: ImageRef | null; view: ListingView }) {
  const { i18n } = ctx;
  return (
    <Layout ctx={ctx} meta={{ title: shop.name, description: shop.description.slice(0, 200) || undefined, canonical: ctx.publicUrl + shopPath(shop.slug) }}>
      <section class="ads">
        <Crumbs ctx={ctx} trail={[]} />
        <header class="ad-shop">
          {logo && <Picture class="ad-shop__logo" image={logo} alt="" sizes="96px" />}
          <div>
            <h1>
              {shop.name} {shop.verifiedAt && <span class="ad-verified">{i18n.t('ads.verifiedMark')}</span>}
            </h1>
            {shop.description && (
              <div class="ad-shop__description">
                {shop.description.split('\n').map((line) => (
                  <p>{line}</p>
                ))}
              </div>
            )}
            <dl class="ad-shop__facts">
              {shop.address && (
                <>
                  <dt>{i18n.t('ads.shopAddress')}</dt>
                  <dd>{shop.address}</dd>
                </>
              )}
              {shop.hours && (
                <>
                  <dt>{i18n.t('ads.shopHours')}</dt>
                  <dd>{shop.hours}</dd>
                </>
              )}
              <dt>{i18n.t('ads.onSiteSince')}</dt>
              <dd>{i18n.date(shop.createdAt)}</dd>
            </dl>
          </div>
        </header>
        <Listing ctx={ctx} cat={cat} view={view} />
      </section>
    </Layout>
  );
}
