// A list of ads with its filters: a category page, the search, a storefront's ads.
// The filters are one GET form (works without JavaScript; the address keeps every
// filter and can be shared), made from the category's fields: ranges for numbers
// and years, checkboxes for enums and booleans, each value with its count.
import type { ComponentChildren } from 'preact';
import type { ImageRef } from '../../media/index.js';
import type { PageContext } from '../../../web/context.js';
import { Pager } from '../../../web/components/pager.js';
import type { Catalogue } from '../catalogue.js';
import { fieldToken } from '../fields.js';
import { COUNT_CAP, filterQuery, PER_PAGE, MAX_PAGE, type Card, type Filters } from '../finding.js';
import type { Storefront } from '../storefronts.js';
import { categoryPath } from '../paths.js';
import { AdList } from './parts.js';

export interface ListingView {
  base: string;
  filters: Filters;
  cards: Card[];
  total: number;
  counts: Map<string, number>;
  images: Map<number, ImageRef>;
  shops: Map<number, Storefront>;
}

function Count({ n }: { n: number | undefined }) {
  return <span class="ad-filter__count">{n ?? 0}</span>;
}

export function FiltersForm({ ctx, cat, view }: { ctx: PageContext; cat: Catalogue; view: ListingView }) {
  const { i18n } = ctx;
  const f = view.filters;
  const category = f.category;
  const leaf = category && category.children.length === 0 ? category : null;
  const fields = leaf ? leaf.fields.filter((x) => !x.retired && x.searchable) : [];
  const checked = (fieldId: number, v: string) => f.values.get(fieldId)?.includes(v) ?? false;
  return (
    <form class="ad-filters" method="get" action={view.base} aria-label={i18n.t('ads.filters')}>
      <div class="ad-filter">
        <label for="f-q">{i18n.t('ads.words')}</label>
        <input id="f-q" type="search" name="q" value={f.q} maxLength={200} />
      </div>
      {category && category.children.length > 0 && (
        <div class="ad-filter">
          <p class="ad-filter__title">{i18n.t('ads.subcategories')}</p>
          <ul class="ad-filter__links">
            {category.children.map((c) => (
              <li>
                <a href={categoryPath(c)}>{c.title}</a> <Count n={view.counts.get(`c${c.id}`)} />
              </li>
            ))}
          </ul>
        </div>
      )}
      {category?.priceKind !== 'none' && (
        <fieldset class="ad-filter">
          <legend>{i18n.t(category?.priceKind === 'salary' ? 'ads.salary' : 'ads.price')}, ₽</legend>
          <div class="ad-range">
            <input type="number" name="price_min" min={0} inputMode="numeric" value={f.priceMin ?? ''} placeholder={i18n.t('ads.from')} aria-label={i18n.t('ads.priceFrom')} />
            <input type="number" name="price_max" min={0} inputMode="numeric" value={f.priceMax ?? ''} placeholder={i18n.t('ads.to')} aria-label={i18n.t('ads.priceTo')} />
          </div>
        </fieldset>
      )}
      {fields.map((field) =>
        field.slot && field.rangeSearchable ? (
          <fieldset class="ad-filter">
            <legend>
              {field.label}
              {field.unit ? `, ${field.unit}` : ''}
            </legend>
            <div class="ad-range">
              <input type="number" step="any" name={`n${field.slot}_min`} value={f.ranges.get(field.slot)?.min ?? ''} placeholder={i18n.t('ads.from')} aria-label={`${field.label}: ${i18n.t('ads.from')}`} />
              <input type="number" step="any" name={`n${field.slot}_max`} value={f.ranges.get(field.slot)?.max ?? ''} placeholder={i18n.t('ads.to')} aria-label={`${field.label}: ${i18n.t('ads.to')}`} />
            </div>
          </fieldset>
        ) : field.type === 'enum' || field.type === 'multi' ? (
          <fieldset class="ad-filter">
            <legend>{field.label}</legend>
            <ul class="ad-checks">
              {field.options.map((o) => (
                <li>
                  <label>
                    <input type="checkbox" name="f" value={`${field.code}.${o.value}`} checked={checked(field.id, o.value)} /> {o.label} <Count n={view.counts.get(fieldToken(field.id, o.value))} />
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
        ) : field.type === 'boolean' ? (
          <fieldset class="ad-filter">
            <legend>{field.label}</legend>
            <ul class="ad-checks">
              <li>
                <label>
                  <input type="checkbox" name="f" value={`${field.code}.1`} checked={checked(field.id, '1')} /> {i18n.t('ads.yes')} <Count n={view.counts.get(fieldToken(field.id, true))} />
                </label>
              </li>
            </ul>
          </fieldset>
        ) : null,
      )}
      <fieldset class="ad-filter">
        <legend>{i18n.t('ads.district')}</legend>
        <ul class="ad-checks">
          {/* An archived district only while some ad of the result still names it (or it is chosen). */}
          {cat.districts.filter((d) => !d.archived || f.districts.includes(d.id) || (view.counts.get(`d${d.id}`) ?? 0) > 0).map((d) => (
            <li>
              <label>
                <input type="checkbox" name="district" value={d.slug} checked={f.districts.includes(d.id)} /> {d.title} <Count n={view.counts.get(`d${d.id}`)} />
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <fieldset class="ad-filter">
        <legend>{i18n.t('ads.seller')}</legend>
        <ul class="ad-checks">
          <li>
            <label>
              <input type="radio" name="seller" value="" checked={!f.seller} /> {i18n.t('ads.sellerAny')}
            </label>
          </li>
          <li>
            <label>
              <input type="radio" name="seller" value="private" checked={f.seller === 'private'} /> {i18n.t('ads.sellerPrivate')} <Count n={view.counts.get('private')} />
            </label>
          </li>
          <li>
            <label>
              <input type="radio" name="seller" value="biz" checked={f.seller === 'biz'} /> {i18n.t('ads.sellerBiz')} <Count n={view.counts.get('biz')} />
            </label>
          </li>
        </ul>
        <label class="ad-check">
          <input type="checkbox" name="photo" value="1" checked={f.photo} /> {i18n.t('ads.withPhoto')} <Count n={view.counts.get('photo')} />
        </label>
      </fieldset>
      <div class="ad-filter">
        <label for="f-sort">{i18n.t('ads.sort')}</label>
        <select id="f-sort" name="sort">
          <option value="date" selected={f.sort === 'date'}>
            {i18n.t('ads.sortDate')}
          </option>
          <option value="price" selected={f.sort === 'price'}>
            {i18n.t('ads.sortPrice')}
          </option>
          <option value="price_desc" selected={f.sort === 'price_desc'}>
            {i18n.t('ads.sortPriceDesc')}
          </option>
        </select>
      </div>
      <button class="button" type="submit">
        {i18n.t('ads.show')}
      </button>{' '}
      <a href={view.base}>{i18n.t('ads.reset')}</a>
    </form>
  );
}

export function Listing({ ctx, cat, view, head }: { ctx: PageContext; cat: Catalogue; view: ListingView; head?: ComponentChildren }) {
  const { i18n } = ctx;
  const f = view.filters;
  const pages = Math.min(MAX_PAGE, Math.max(1, Math.ceil(view.total / PER_PAGE)));
  const query = filterQuery(f, cat);
  return (
    <div class="ad-listing">
      <div class="ad-listing__filters" id="ad-filters">
        <FiltersForm ctx={ctx} cat={cat} view={view} />
      </div>
      <div class="ad-listing__results">
        {head}
        <p class="ad-listing__jump">
          <a href="#ad-filters">{i18n.t('ads.filters')} ↓</a>
        </p>
        <p class="ad-listing__total" role="status">
          {view.total > COUNT_CAP ? i18n.t('ads.foundMany', { n: new Intl.NumberFormat(i18n.locale).format(COUNT_CAP) }) : i18n.plural('ads.found', view.total)}
        </p>
        {view.cards.length ? <AdList ctx={ctx} ads={view.cards} cat={cat} images={view.images} shops={view.shops} /> : <p class="muted">{i18n.t('ads.nothing')}</p>}
        <Pager page={f.page} pages={pages} i18n={i18n} href={(p) => view.base + filterQuery(f, cat, { page: String(p) })} />
        {query && (
          <form class="ad-save-search" method="post" action="/ads/searches">
            <input type="hidden" name="query" value={view.base + query} />
            <button class="button button--secondary" type="submit">
              {i18n.t('ads.saveSearch')}
            </button>
          </form>
        )}
      </div>
    </div>
  );
}
