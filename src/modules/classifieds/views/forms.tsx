// The seller's forms: post or edit an ad (multipart, photos as files, works without
// JavaScript) with the order of its photos, close it (sold or not), and the report
// form.
import type { PageContext } from '../../../web/context.js';
import { Picture } from '../../../web/components/picture.js';
import type { ImageRef } from '../../media/index.js';
import { FormPage } from '../../../web/components/forms.js';
import type { AdRow } from '../ads.js';
import type { Catalogue, Category, Field } from '../catalogue.js';
import type { FieldValue } from '../schema.js';

export interface AdFormValues {
  categoryId: number | null;
  title: string;
  description: string;
  price: string;
  negotiable: boolean;
  salaryFrom: string;
  salaryTo: string;
  districtId: number | null;
  phone: string;
  fields: Record<string, unknown>;
  photos: number[];
}

export const emptyForm = (categoryId: number | null): AdFormValues => ({ categoryId, title: '', description: '', price: '', negotiable: false, salaryFrom: '', salaryTo: '', districtId: null, phone: '', fields: {}, photos: [] });

export function formOf(ad: AdRow, category: Category, photos: number[]): AdFormValues {
  const fields: Record<string, unknown> = {};
  for (const f of category.fields) {
    const v: FieldValue | undefined = ad.field_values[String(f.id)];
    if (v !== undefined) fields[f.code] = v;
  }
  return { categoryId: ad.category_id, title: ad.title, description: ad.description, price: ad.price === null ? '' : String(ad.price), negotiable: ad.negotiable, salaryFrom: ad.salary_from === null ? '' : String(ad.salary_from), salaryTo: ad.salary_to === null ? '' : String(ad.salary_to), districtId: ad.district_id, phone: ad.phone ?? '', fields, photos };
}

function FieldInput({ ctx, f, value }: { ctx: PageContext; f: Field; value: unknown }) {
  const id = `field-${f.code}`;
  const name = `field.${f.code}`;
  const label = `${f.label}${f.unit ? `, ${f.unit}` : ''}${f.required ? ' *' : ''}`;
  if (f.type === 'enum')
    return (
      <p>
        <label for={id}>{label}</label>
        <select id={id} name={name} required={f.required}>
          <option value="">—</option>
          {f.options.map((o) => (
            <option value={o.value} selected={value === o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </p>
    );
  if (f.type === 'multi')
    return (
      <fieldset>
        <legend>{label}</legend>
        {f.options.map((o) => (
          <label class="ad-check">
            <input type="checkbox" name={name} value={o.value} checked={Array.isArray(value) && value.includes(o.value)} /> {o.label}
          </label>
        ))}
      </fieldset>
    );
  if (f.type === 'boolean')
    return (
      <p>
        <label class="ad-check">
          <input type="checkbox" name={name} value="1" checked={value === true || value === '1'} /> {f.label}
        </label>
      </p>
    );
  const type = f.type === 'date' ? 'date' : f.type === 'number' || f.type === 'year' ? 'number' : 'text';
  return (
    <p>
      <label for={id}>{label}</label>
      <input id={id} name={name} type={type} step={f.type === 'number' ? 'any' : undefined} min={f.min ?? undefined} max={f.type === 'year' ? ctx.now.getUTCFullYear() : (f.max ?? undefined)} value={value === undefined || value === null ? '' : String(value)} required={f.required} maxLength={type === 'text' ? 300 : undefined} />
    </p>
  );
}

export function AdFormPage({ ctx, cat, values, action, title, error, shops, as, csrf, photoOrder }: { ctx: PageContext; cat: Catalogue; values: AdFormValues; action: string; title: string; error?: string; shops: { id: number; name: string }[]; as: string; csrf: string; photoOrder?: { adId: number; photos: ImageRef[] } }) {
  const { i18n } = ctx;
  const category = values.categoryId !== null ? cat.byId.get(values.categoryId) : undefined;
  const leaves = cat.roots.flatMap((r) => (r.children.length ? r.children.map((c) => ({ c, group: r.title })) : [{ c: r, group: '' }]));
  if (!category || category.children.length) {
    // First the category: its fields make the rest of the form.
    return (
      <FormPage ctx={ctx} title={title} error={error}>
        <form class="form" method="get" action={action}>
          <p>
            <label for="ad-category">{i18n.t('ads.category')}</label>
            <select id="ad-category" name="category" required>
              {leaves.map(({ c, group }) => (
                <option value={String(c.id)}>{group ? `${group} › ${c.title}` : c.title}</option>
              ))}
            </select>
          </p>
          {as && <input type="hidden" name="as" value={as} />}
          <button class="button" type="submit">
            {i18n.t('ads.next')}
          </button>
        </form>
      </FormPage>
    );
  }
  return (
    <FormPage ctx={ctx} title={title} error={error}>
      <form class="form ad-form" method="post" action={`${action}?category=${category.id}${as ? `&as=${encodeURIComponent(as)}` : ''}`} enctype="multipart/form-data">
        <input type="hidden" name="_csrf" value={csrf} />
        <input type="hidden" name="category" value={String(category.id)} />
        <p class="muted">
          {i18n.t('ads.category')}: {category.title}
        </p>
        {shops.length > 0 && (
          <p>
            <label for="ad-as">{i18n.t('ads.postAs')}</label>
            <select id="ad-as" name="as">
              <option value="">{i18n.t('ads.asMyself')}</option>
              {shops.map((s) => (
                <option value={`o:${s.id}`} selected={as === `o:${s.id}`}>
                  {s.name}
                </option>
              ))}
            </select>
          </p>
        )}
        <p>
          <label for="ad-title">{i18n.t('ads.adTitle')} *</label>
          <input id="ad-title" name="title" value={values.title} required maxLength={100} />
        </p>
        <p>
          <label for="ad-description">{i18n.t('ads.adDescription')} *</label>
          <textarea id="ad-description" name="description" rows={8} required maxLength={5000}>
            {values.description}
          </textarea>
        </p>
        {category.priceKind === 'price' && (
          <p>
            <label for="ad-price">{i18n.t('ads.price')}, ₽</label>
            <input id="ad-price" name="price" type="number" min={0} inputMode="numeric" value={values.price} />
            <label class="ad-check">
              <input type="checkbox" name="negotiable" value="1" checked={values.negotiable} /> {i18n.t('ads.negotiable')}
            </label>
          </p>
        )}
        {category.priceKind === 'salary' && (
          <fieldset>
            <legend>{i18n.t('ads.salary')}, ₽</legend>
            <input name="salary_from" type="number" min={0} value={values.salaryFrom} placeholder={i18n.t('ads.from')} aria-label={i18n.t('ads.salaryFromLabel')} />{' '}
            <input name="salary_to" type="number" min={0} value={values.salaryTo} placeholder={i18n.t('ads.to')} aria-label={i18n.t('ads.salaryToLabel')} />
          </fieldset>
        )}
        {category.fields
          .filter((f) => !f.retired)
          .map((f) => (
            <FieldInput ctx={ctx} f={f} value={values.fields[f.code]} />
          ))}
        <p>
          <label for="ad-district">{i18n.t('ads.district')}</label>
          <select id="ad-district" name="district">
            <option value="">—</option>
            {cat.districts.filter((d) => !d.archived || values.districtId === d.id).map((d) => (
              <option value={String(d.id)} selected={values.districtId === d.id}>
                {d.title}
              </option>
            ))}
          </select>
        </p>
        <p>
          <label for="ad-phone">{i18n.t('ads.phone')}</label>
          <input id="ad-phone" name="phone" type="tel" value={values.phone} maxLength={30} autoComplete="tel" />
          <span class="muted"> {i18n.t('ads.phoneHint')}</span>
        </p>
        {values.photos.map((id) => (
          <input type="hidden" name="photo_id" value={String(id)} />
        ))}
        <p>
          <label for="ad-photos">{i18n.t('ads.photosUpload', { max: category.maxPhotos })}</label>
          <input id="ad-photos" name="photo" type="file" accept="image/*" multiple />
          {values.photos.length > 0 && (
            // The texts for every smaller count too: the photo island (client/ad-photos.ts) takes one off in place.
            <span class="muted" data-photos-kept={JSON.stringify(Array.from({ length: values.photos.length + 1 }, (_, n) => (n ? i18n.plural('ads.photosKept', n) : '')))}>
              {' '}
              {i18n.plural('ads.photosKept', values.photos.length)}
            </span>
          )}
        </p>
        <p>
          <button class="button" type="submit" name="publish" value="1">
            {i18n.t('ads.publish')}
          </button>{' '}
          <button class="button button--secondary" type="submit" name="draft" value="1">
            {i18n.t('ads.saveDraft')}
          </button>
        </p>
      </form>
      {photoOrder && photoOrder.photos.length > 0 && <PhotoOrder ctx={ctx} adId={photoOrder.adId} photos={photoOrder.photos} csrf={csrf} />}
    </FormPage>
  );
}

/**
 * The ad's photos in order, the first one the cover: without JavaScript each has
 * small buttons that post («Выше», «Ниже», «Сделать обложкой», «Удалить»); the
 * `ad-photos` island sends the same changes (and drag and drop) in place.
 */
function PhotoOrder({ ctx, adId, photos, csrf }: { ctx: PageContext; adId: number; photos: ImageRef[]; csrf: string }) {
  const { i18n } = ctx;
  return (
    <section
      class="ad-photo-order"
      id="photos"
      aria-labelledby="photos-title"
      data-island="ad-photos"
      data-ad={String(adId)}
      data-t-photo={i18n.t('ads.photoNumber', { n: '{n}' })}
      data-t-up={i18n.t('ads.photoUpN', { n: '{n}' })}
      data-t-down={i18n.t('ads.photoDownN', { n: '{n}' })}
      data-t-cover={i18n.t('ads.photoCoverN', { n: '{n}' })}
      data-t-remove={i18n.t('ads.photoRemoveN', { n: '{n}' })}
      data-t-removed={i18n.t('ads.photoRemoved')}
      data-t-saved={i18n.t('ads.photoOrderSaved')}
      data-t-failed={i18n.t('ads.photoOrderFailed')}
    >
      <h2 id="photos-title">{i18n.t('ads.photoOrder')}</h2>
      <p class="muted">{i18n.t('ads.photoOrderHint')}</p>
      <ol class="ad-photo-list">
        {photos.map((p, i) => (
          <li class="ad-photo-list__item" data-photo={String(p.id)}>
            <Picture image={p} alt={i18n.t('ads.photoNumber', { n: i + 1 })} sizes="120px" />
            <span class="ad-photo-list__cover" hidden={i !== 0}>
              {i18n.t('ads.cover')}
            </span>
            <form class="ad-photo-list__actions" method="post" action={`/ads/item/${adId}/photos`}>
              <input type="hidden" name="_csrf" value={csrf} />
              <input type="hidden" name="photo" value={String(p.id)} />
              <button class="link-button" type="submit" name="action" value="up" disabled={i === 0} aria-label={i18n.t('ads.photoUpN', { n: i + 1 })}>
                {i18n.t('ads.photoUp')}
              </button>{' '}
              <button class="link-button" type="submit" name="action" value="down" disabled={i === photos.length - 1} aria-label={i18n.t('ads.photoDownN', { n: i + 1 })}>
                {i18n.t('ads.photoDown')}
              </button>{' '}
              <button class="link-button" type="submit" name="action" value="cover" disabled={i === 0} aria-label={i18n.t('ads.photoCoverN', { n: i + 1 })}>
                {i18n.t('ads.photoCover')}
              </button>{' '}
              <button class="link-button ad-photo-list__remove" type="submit" name="action" value="remove" aria-label={i18n.t('ads.photoRemoveN', { n: i + 1 })}>
                {i18n.t('ads.photoRemove')}
              </button>
            </form>
          </li>
        ))}
      </ol>
      <p class="ad-photo-order__status" role="status" aria-live="polite" />
    </section>
  );
}

export function ClosePage({ ctx, ad, csrf }: { ctx: PageContext; ad: AdRow; csrf: string }) {
  const { i18n } = ctx;
  return (
    <FormPage ctx={ctx} title={i18n.t('ads.closeTitle', { title: ad.title })}>
      <form class="form" method="post" action={`/ads/item/${ad.id}/close`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <fieldset>
          <legend>{i18n.t('ads.closeQuestion')}</legend>
          <label class="ad-check">
            <input type="radio" name="outcome" value="sold" required /> {i18n.t('ads.sold')}
          </label>
          <label class="ad-check">
            <input type="radio" name="outcome" value="not_sold" /> {i18n.t('ads.notSold')}
          </label>
        </fieldset>
        <button class="button" type="submit">
          {i18n.t('ads.close')}
        </button>
      </form>
    </FormPage>
  );
}

export function ReportPage({ ctx, ad, reasons, error, done }: { ctx: PageContext; ad: { id: number; title: string }; reasons: readonly string[]; error?: string; done?: boolean }) {
  const { i18n } = ctx;
  return (
    <FormPage ctx={ctx} title={i18n.t('ads.reportTitle', { title: ad.title })} error={error} notice={done ? i18n.t('ads.reported') : undefined}>
      {!done && (
        <form class="form" method="post" action={`/ads/item/${ad.id}/report`}>
          <fieldset>
            <legend>{i18n.t('ads.reportReason')}</legend>
            {reasons.map((r, i) => (
              <label class="ad-check">
                <input type="radio" name="reason" value={r} required checked={i === 0} /> {i18n.lookup(`moderation.reason.${r}`) ?? r}
              </label>
            ))}
          </fieldset>
          <p>
            <label for="report-text">{i18n.t('ads.reportText')}</label>
            <textarea id="report-text" name="text" rows={3} maxLength={1000} />
          </p>
          <button class="button" type="submit">
            {i18n.t('ads.report')}
          </button>
        </form>
      )}
    </FormPage>
  );
}
