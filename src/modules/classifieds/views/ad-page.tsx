// An ad's page, the same for every reader (page-cached): the gallery, price,
// fields as a table, district, the seller (a private person with «на сайте с», or
// the storefront), «Показать телефон», «Написать», «В избранное», «Пожаловаться»,
// similar ads, and the Product/Offer structured data. The forms work without
// JavaScript and carry no per-reader token (the same-origin proof stands for it);
// the phone form carries the ad's signed token of the anonymous reveal
// (phone-check.ts), the same for every reader. The same page, not cached, answers
// the phone form: with the phone, or with one more button.
import type { ImageRef } from '../../media/index.js';
import type { PageContext } from '../../../web/context.js';
import { Layout } from '../../../web/layout.js';
import { Picture } from '../../../web/components/picture.js';
import { largestJpeg } from '../../media/index.js';
import type { AdRow } from '../ads.js';
import type { Catalogue, Category, Field } from '../catalogue.js';
import type { Card } from '../finding.js';
import type { FieldValue } from '../schema.js';
import type { Storefront } from '../storefronts.js';
import { adPath, shopPath } from '../paths.js';
import { AdList, Crumbs, categoryTrail, priceText } from './parts.js';

export interface AdPageView {
  ad: AdRow;
  category: Category;
  photos: ImageRef[];
  seller: { name: string; since: Date } | null;
  shop: Storefront | null;
  similar: Card[];
  images: Map<number, ImageRef>;
  /** An owner's or staff's preview of an ad readers do not see. */
  preview: boolean;
  /** The storefront's logo for the seller box. */
  logo: ImageRef | null;
  /** The phone block: the button with the ad's token, one more button after a check, or the phone shown. */
  phone: { check: string; again?: boolean } | { shown: string };
}

export function fieldText(ctx: PageContext, f: Field, v: FieldValue): string {
  const label = (x: string) => f.options.find((o) => o.value === x)?.label ?? x;
  if (Array.isArray(v)) return v.map(label).join(', ');
  if (typeof v === 'boolean') return ctx.i18n.t(v ? 'ads.yes' : 'ads.no');
  if (f.type === 'enum') return label(String(v));
  if (f.type === 'date') return ctx.i18n.day(String(v));
  if (typeof v === 'number' && f.type === 'number') return `${new Intl.NumberFormat(ctx.i18n.locale === 'ru' ? 'ru-RU' : 'en-GB').format(v)}${f.unit ? ` ${f.unit}` : ''}`;
  return `${v}${f.unit && f.type !== 'year' ? ` ${f.unit}` : ''}`;
}

export function AdPage({ ctx, cat, view }: { ctx: PageContext; cat: Catalogue; view: AdPageView }) {
  const { i18n } = ctx;
  const { ad, category, photos, shop } = view;
  const url = ctx.publicUrl + adPath(category, ad.id);
  const price = priceText(i18n, ad, category.priceKind);
  const district = ad.district_id !== null ? cat.districtById.get(ad.district_id) : undefined;
  const fields = category.fields.filter((f) => ad.field_values[String(f.id)] !== undefined);
  const to = shop ? `o:${shop.id}` : `u:${ad.user_id ?? 0}`;
  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': 'Product',
    name: ad.title,
    description: ad.description.slice(0, 500),
    url,
    ...(photos.length ? { image: photos.map((p) => ctx.publicUrl + largestJpeg(p)) } : {}),
    category: category.title,
    offers: {
      '@type': 'Offer',
      url,
      priceCurrency: 'RUB',
      ...(ad.price !== null ? { price: ad.price } : {}),
      availability: ad.status === 'active' ? 'https://schema.org/InStock' : 'https://schema.org/SoldOut',
      ...(shop ? { seller: { '@type': 'Organization', name: shop.name } } : {}),
    },
  };
  return (
    <Layout ctx={ctx} meta={{ title: ad.title, description: ad.description.slice(0, 200), canonical: url, og: { type: 'product', image: photos[0] ? ctx.publicUrl + largestJpeg(photos[0]) : undefined }, jsonLd: [jsonLd], noindex: view.preview }}>
      <article class="ad-page" data-island="ad-view" data-ad={String(ad.id)}>
        <Crumbs ctx={ctx} trail={categoryTrail(cat, category)} />
        {view.preview && (
          <p class="notice" role="status">
            {i18n.t(`ads.status.${ad.status}`)}
            {ad.status === 'rejected' && ad.reject_reason ? ` · ${ad.reject_reason}` : ''}
          </p>
        )}
        <h1>{ad.title}</h1>
        <div class="ad-page__grid">
          <div class="ad-page__main">
            {photos.length > 0 && (
              <ul class="ad-gallery" aria-label={i18n.t('ads.photos')}>
                {photos.map((p, i) => (
                  <li>
                    <Picture image={p} alt={i18n.t('ads.photoN', { n: i + 1, title: ad.title })} sizes="(max-width: 700px) 100vw, 640px" eager={i === 0} />
                  </li>
                ))}
              </ul>
            )}
            {fields.length > 0 && (
              <table class="ad-fields">
                <caption class="visually-hidden">{i18n.t('ads.characteristics')}</caption>
                <tbody>
                  {fields.map((f) => (
                    <tr>
                      <th scope="row">{f.label}</th>
                      <td>{fieldText(ctx, f, ad.field_values[String(f.id)]!)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <div class="ad-description">
              {ad.description.split('\n').map((line) => (line ? <p>{line}</p> : null))}
            </div>
            <p class="muted">
              {i18n.t('ads.published', { when: i18n.when(ad.published_at ?? ad.created_at, ctx.now) })} · №{ad.id}
            </p>
          </div>
          <aside class="ad-page__side">
            {price && <p class="ad-page__price">{price}</p>}
            {district && <p>{i18n.t('ads.districtIs', { district: district.title })}</p>}
            <div class="ad-seller">
              {shop ? (
                <>
                  {view.logo && (
                    <a class="ad-seller__logo" href={shopPath(shop.slug)} tabIndex={-1} aria-hidden="true">
                      <Picture image={view.logo} alt="" sizes="64px" />
                    </a>
                  )}
                  <a class="ad-seller__name" href={shopPath(shop.slug)}>
                    {shop.name}
                  </a>
                  {shop.verifiedAt && <span class="ad-verified"> {i18n.t('ads.verifiedMark')}</span>}
                  <p class="muted">{i18n.t('ads.storefront')}</p>
                </>
              ) : view.seller ? (
                <>
                  <span class="ad-seller__name">{view.seller.name}</span>
                  <p class="muted">{i18n.t('ads.onSiteSinceDate', { date: i18n.date(view.seller.since) })}</p>
                </>
              ) : null}
            </div>
            {ad.status === 'active' && (
              <>
                {ad.phone && <PhoneBlock ctx={ctx} adId={ad.id} phone={view.phone} />}
                <form method="post" action="/me/messages/start" class="ad-action ad-write">
                  <input type="hidden" name="kind" value="ad" />
                  <input type="hidden" name="id" value={String(ad.id)} />
                  <input type="hidden" name="to" value={to} />
                  <label for="ad-text">{i18n.t('ads.writeLabel')}</label>
                  <textarea id="ad-text" name="text" rows={3} maxLength={4000} required>
                    {i18n.t('ads.writeDefault')}
                  </textarea>
                  <button class="button" type="submit">
                    {i18n.t('ads.write')}
                  </button>
                </form>
                <form method="post" action={`/ads/item/${ad.id}/favourite`} class="ad-action">
                  <input type="hidden" name="on" value="1" />
                  <button class="button button--secondary" type="submit">
                    {i18n.t('ads.favourite')}
                  </button>
                </form>
                <p>
                  <a href={`/ads/item/${ad.id}/report`}>{i18n.t('ads.report')}</a>
                </p>
              </>
            )}
          </aside>
        </div>
        {view.similar.length > 0 && (
          <section class="ad-similar">
            <h2>{i18n.t('ads.similar')}</h2>
            <AdList ctx={ctx} ads={view.similar} cat={cat} images={view.images} />
          </section>
        )}
      </article>
    </Layout>
  );
}

/** «Показать телефон»: the form (the island sends it in place), one more press after a check, or the phone. */
function PhoneBlock({ ctx, adId, phone }: { ctx: PageContext; adId: number; phone: AdPageView['phone'] }) {
  const { i18n } = ctx;
  if ('shown' in phone)
    return (
      <div class="ad-phone-block" id="phone">
        <p class="ad-phone">
          <a href={`tel:${phone.shown.replace(/\s/g, '')}`}>{phone.shown}</a>
        </p>
        <p class="muted">{i18n.t('ads.phoneSay')}</p>
      </div>
    );
  return (
    <div class="ad-phone-block" id="phone" data-island="ad-phone" data-ad={String(adId)} data-t-wait={i18n.t('ads.phoneChecking')} data-t-failed={i18n.t('ads.phoneFailed')} data-t-say={i18n.t('ads.phoneSay')}>
      {phone.again && (
        <p class="notice" role="status">
          {i18n.t('ads.phoneAgain')}
        </p>
      )}
      <form method="post" action={`/ads/item/${adId}/phone`} class="ad-action">
        <input type="hidden" name="check" value={phone.check} />
        <button class="button" type="submit">
          {i18n.t(phone.again ? 'ads.phoneShowNow' : 'ads.showPhone')}
        </button>
      </form>
      <p class="ad-phone-block__status" role="status" aria-live="polite" />
    </div>
  );
}
