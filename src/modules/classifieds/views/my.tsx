// The seller's own pages: «Мои объявления» with the storefront switcher (an
// operator moves between the storefronts they manage, or sees all of them at
// once with bulk renew / close), favourites and saved searches.
import type { PageContext } from '../../../web/context.js';
import { Layout } from '../../../web/layout.js';
import type { Catalogue } from '../catalogue.js';
import type { Card } from '../finding.js';
import { adPath, shopPath } from '../paths.js';
import { priceText } from './parts.js';

export type MyAd = Card & { expires_at: Date | null; reject_reason: string | null; closed_outcome: string | null };
export interface Switcher {
  current: string;
  shops: { id: number; slug: string; name: string; role: string }[];
}

export function MyNav({ ctx, current }: { ctx: PageContext; current: string }) {
  const { i18n } = ctx;
  const links: [string, string][] = [
    ['/ads/my/', i18n.t('ads.myAds')],
    ['/ads/my/favourites', i18n.t('ads.myFavourites')],
    ['/ads/my/searches', i18n.t('ads.mySearches')],
    ['/ads/my/stats', i18n.t('ads.stats')],
  ];
  return (
    <nav class="ad-tabs" aria-label={i18n.t('ads.my')}>
      {links.map(([href, label]) => (
        <a href={href} aria-current={href === current ? 'page' : undefined}>
          {label}
        </a>
      ))}
    </nav>
  );
}

export function MyAdsPage({ ctx, cat, ads, switcher, csrf, shopNames }: { ctx: PageContext; cat: Catalogue; ads: MyAd[]; switcher: Switcher; csrf: string; shopNames: Map<number, string> }) {
  const { i18n } = ctx;
  const bulk = switcher.current !== '';
  return (
    <Layout ctx={ctx} meta={{ title: i18n.t('ads.my'), noindex: true }}>
      <section class="ads">
        <header class="ads-head">
          <h1>{i18n.t('ads.my')}</h1>
          <a class="button" href={`/ads/new${switcher.current && switcher.current !== 'all' ? `?as=o:${switcher.current}` : ''}`}>
            {i18n.t('ads.post')}
          </a>
        </header>
        <MyNav ctx={ctx} current="/ads/my/" />
        {switcher.shops.length > 0 && (
          <form class="ad-switcher" method="get" action="/ads/my/">
            <label for="shop-switch">{i18n.t('ads.switchShop')}</label>
            <select id="shop-switch" name="shop">
              <option value="">{i18n.t('ads.asMyself')}</option>
              {switcher.shops.length > 1 && (
                <option value="all" selected={switcher.current === 'all'}>
                  {i18n.t('ads.allShops')}
                </option>
              )}
              {switcher.shops.map((s) => (
                <option value={String(s.id)} selected={switcher.current === String(s.id)}>
                  {s.name} ({i18n.t(`ads.role.${s.role}` as 'ads.role.owner')})
                </option>
              ))}
            </select>{' '}
            <button class="button button--secondary" type="submit">
              {i18n.t('ads.switch')}
            </button>
            {switcher.current && switcher.current !== 'all' && (
              <>
                {' '}
                <a href={`${shopPath(switcher.shops.find((s) => String(s.id) === switcher.current)?.slug ?? '')}manage`}>{i18n.t('ads.manageShop')}</a>
              </>
            )}
          </form>
        )}
        <p>
          <a href="/ads/shops/new">{i18n.t('ads.newShop')}</a>
        </p>
        {ads.length === 0 ? (
          <p class="muted">{i18n.t('ads.noMine')}</p>
        ) : (
          <form method="post" action="/ads/my/bulk">
            <input type="hidden" name="_csrf" value={csrf} />
            <input type="hidden" name="back" value={`/ads/my/${switcher.current ? `?shop=${switcher.current}` : ''}`} />
            <table class="ad-mine">
              <thead>
                <tr>
                  {bulk && <th scope="col"><span class="visually-hidden">{i18n.t('ads.choose')}</span></th>}
                  <th scope="col">{i18n.t('ads.adTitle')}</th>
                  <th scope="col">{i18n.t('ads.state')}</th>
                  <th scope="col">{i18n.t('ads.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {ads.map((ad) => {
                  const c = cat.byId.get(ad.category_id);
                  return (
                    <tr>
                      {bulk && (
                        <td>
                          <input type="checkbox" name="ids" value={String(ad.id)} aria-label={ad.title} />
                        </td>
                      )}
                      <td>
                        {c ? <a href={adPath(c, ad.id)}>{ad.title}</a> : ad.title}
                        <br />
                        <span class="muted">
                          {priceText(i18n, ad, c?.priceKind)}
                          {ad.organisation_id !== null && shopNames.get(ad.organisation_id) ? ` · ${shopNames.get(ad.organisation_id)}` : ''}
                        </span>
                      </td>
                      <td>
                        {i18n.t(`ads.status.${ad.status}` as 'ads.status.active')}
                        {ad.status === 'closed' && ad.closed_outcome ? ` (${i18n.t(ad.closed_outcome === 'sold' ? 'ads.sold' : 'ads.notSold')})` : ''}
                        {ad.status === 'rejected' && ad.reject_reason ? `: ${ad.reject_reason}` : ''}
                        {ad.status === 'active' && ad.expires_at ? <span class="muted"> · {i18n.t('ads.until', { date: i18n.date(ad.expires_at) })}</span> : null}
                      </td>
                      <td class="ad-mine__actions">
                        <a href={`/ads/item/${ad.id}/edit`}>{i18n.t('ads.edit')}</a>
                        {(ad.status === 'expired' || ad.status === 'closed') && (
                          <button class="link-button" type="submit" formaction={`/ads/item/${ad.id}/renew`}>
                            {i18n.t('ads.renew')}
                          </button>
                        )}
                        {ad.status !== 'closed' && ad.status !== 'blocked' && <a href={`/ads/item/${ad.id}/close`}>{i18n.t('ads.close')}</a>}
                        <a href={`/ads/my/stats?ad=${ad.id}`}>{i18n.t('ads.stats')}</a>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {bulk && (
              <p class="ad-bulk">
                <button class="button" type="submit" name="action" value="renew">
                  {i18n.t('ads.bulkRenew')}
                </button>{' '}
                <button class="button button--secondary" type="submit" name="action" value="close">
                  {i18n.t('ads.bulkClose')}
                </button>
              </p>
            )}
          </form>
        )}
      </section>
    </Layout>
  );
}

export function FavouritesPage({ ctx, cat, ads, csrf }: { ctx: PageContext; cat: Catalogue; ads: (Card & { savedPrice: number | null })[]; csrf: string }) {
  const { i18n } = ctx;
  return (
    <Layout ctx={ctx} meta={{ title: i18n.t('ads.myFavourites'), noindex: true }}>
      <section class="ads">
        <h1>{i18n.t('ads.myFavourites')}</h1>
        <MyNav ctx={ctx} current="/ads/my/favourites" />
        {ads.length === 0 ? (
          <p class="muted">{i18n.t('ads.noFavourites')}</p>
        ) : (
          <ul class="ad-plain-list">
            {ads.map((ad) => {
              const c = cat.byId.get(ad.category_id);
              return (
                <li>
                  {c && ad.status === 'active' ? <a href={adPath(c, ad.id)}>{ad.title}</a> : <span>{ad.title}</span>} <span class="muted">{priceText(i18n, ad, c?.priceKind)}</span>
                  {ad.status !== 'active' && <span class="muted"> · {i18n.t(`ads.status.${ad.status}` as 'ads.status.active')}</span>}
                  <form class="inline-form" method="post" action={`/ads/item/${ad.id}/favourite`}>
                    <input type="hidden" name="_csrf" value={csrf} />
                    <input type="hidden" name="on" value="0" />
                    <button class="link-button" type="submit">
                      {i18n.t('ads.unfavourite')}
                    </button>
                  </form>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </Layout>
  );
}

export function SearchesPage({ ctx, searches, csrf }: { ctx: PageContext; searches: { id: number; query: string; label: string; created_at: Date }[]; csrf: string }) {
  const { i18n } = ctx;
  return (
    <Layout ctx={ctx} meta={{ title: i18n.t('ads.mySearches'), noindex: true }}>
      <section class="ads">
        <h1>{i18n.t('ads.mySearches')}</h1>
        <MyNav ctx={ctx} current="/ads/my/searches" />
        <p class="muted">{i18n.t('ads.searchesHint')}</p>
        {searches.length === 0 ? (
          <p class="muted">{i18n.t('ads.noSearches')}</p>
        ) : (
          <ul class="ad-plain-list">
            {searches.map((s) => (
              <li>
                <a href={s.query}>{s.label}</a>
                <form class="inline-form" method="post" action={`/ads/searches/${s.id}/delete`}>
                  <input type="hidden" name="_csrf" value={csrf} />
                  <button class="link-button" type="submit">
                    {i18n.t('ads.delete')}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Layout>
  );
}
