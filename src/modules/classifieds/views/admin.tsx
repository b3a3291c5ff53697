// The back office's classifieds (/admin/ads): categories with their limits and
// fields (add a field, retire one, new allowed values), the districts (add,
// rename, move, archive), storefronts to verify
// (the INN checked for format and checksum, staff's check recorded), and
// promotion of an ad («Выделено» for a period, «Поднять»).
import type { PageContext } from '../../../web/context.js';
import { AdminLayout, type AdminNavItem } from '../../../web/admin.js';
import { Notices } from '../../../web/components/forms.js';
import type { Catalogue, Category } from '../catalogue.js';
import { FIELD_TYPES } from '../schema.js';
import type { Storefront } from '../storefronts.js';
import { innValid } from '../storefronts.js';
import { shopPath } from '../paths.js';

function CategoryForm({ ctx, c, csrf }: { ctx: PageContext; c: Category; csrf: string }) {
  const { i18n } = ctx;
  return (
    <details class="ad-admin-category">
      <summary>
        {c.title} <span class="muted">({c.slug})</span>
      </summary>
      <form class="form" method="post" action={`/admin/ads/categories/${c.id}`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <label>
          {i18n.t('ads.admin.categoryTitle')} <input name="title" value={c.title} maxLength={120} />
        </label>{' '}
        <label>
          {i18n.t('ads.admin.maxPhotos')} <input name="maxPhotos" type="number" min={0} max={40} value={String(c.maxPhotos)} />
        </label>{' '}
        <label>
          {i18n.t('ads.admin.lifetime')} <input name="lifetimeDays" type="number" min={1} max={365} value={String(c.lifetimeDays)} />
        </label>{' '}
        <label class="ad-check">
          <input type="checkbox" name="premoderation" value="1" checked={c.premoderation} /> {i18n.t('ads.admin.premoderation')}
        </label>{' '}
        <label class="ad-check">
          <input type="checkbox" name="businessVerified" value="1" checked={c.businessVerified} /> {i18n.t('ads.admin.businessVerified')}
        </label>{' '}
        <button class="button" type="submit">
          {i18n.t('ads.save')}
        </button>
      </form>
      {c.children.length === 0 && (
        <>
          <table class="admin-table">
            <thead>
              <tr>
                <th scope="col">{i18n.t('ads.admin.field')}</th>
                <th scope="col">{i18n.t('ads.admin.type')}</th>
                <th scope="col">{i18n.t('ads.admin.flags')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {c.fields.map((f) => (
                <tr>
                  <td>
                    {f.label} <code>{f.code}</code> {f.unit}
                  </td>
                  <td>
                    {f.type}
                    {f.options.length ? `: ${f.options.map((o) => o.label).join(', ')}` : ''}
                    {f.min !== null || f.max !== null ? ` [${f.min ?? ''}…${f.max ?? ''}]` : ''}
                  </td>
                  <td>{[f.required && i18n.t('ads.admin.required'), f.searchable && i18n.t('ads.admin.searchable'), f.rangeSearchable && i18n.t('ads.admin.range'), f.retired && i18n.t('ads.admin.retired')].filter(Boolean).join(', ')}</td>
                  <td>
                    <form class="inline-form" method="post" action={`/admin/ads/fields/${f.id}`}>
                      <input type="hidden" name="_csrf" value={csrf} />
                      <input type="hidden" name="retired" value={f.retired ? '0' : '1'} />
                      <button class="link-button" type="submit">
                        {i18n.t(f.retired ? 'ads.admin.restore' : 'ads.admin.retire')}
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <form class="form" method="post" action={`/admin/ads/categories/${c.id}/fields`}>
            <input type="hidden" name="_csrf" value={csrf} />
            <fieldset>
              <legend>{i18n.t('ads.admin.addField')}</legend>
              <label>
                {i18n.t('ads.admin.code')} <input name="code" required pattern="[a-z][a-z0-9_]{0,39}" maxLength={40} />
              </label>{' '}
              <label>
                {i18n.t('ads.admin.label')} <input name="label" required maxLength={120} />
              </label>{' '}
              <label>
                {i18n.t('ads.admin.type')}{' '}
                <select name="type">
                  {FIELD_TYPES.map((t) => (
                    <option value={t}>{t}</option>
                  ))}
                </select>
              </label>{' '}
              <label>
                {i18n.t('ads.admin.unit')} <input name="unit" maxLength={20} size={6} />
              </label>{' '}
              <label>
                {i18n.t('ads.admin.options')} <input name="options" maxLength={2000} placeholder="value=Название; …" />
              </label>{' '}
              <label>
                min <input name="min" type="number" step="any" size={6} />
              </label>{' '}
              <label>
                max <input name="max" type="number" step="any" size={6} />
              </label>{' '}
              <label class="ad-check">
                <input type="checkbox" name="required" value="1" /> {i18n.t('ads.admin.required')}
              </label>{' '}
              <label class="ad-check">
                <input type="checkbox" name="searchable" value="1" /> {i18n.t('ads.admin.searchable')}
              </label>{' '}
              <label class="ad-check">
                <input type="checkbox" name="rangeSearchable" value="1" /> {i18n.t('ads.admin.range')}
              </label>{' '}
              <button class="button" type="submit">
                {i18n.t('ads.admin.add')}
              </button>
            </fieldset>
          </form>
        </>
      )}
    </details>
  );
}

/** The districts: rename in place, move up or down, archive (kept on old ads) or bring back, add at the end. */
function Districts({ ctx, cat, csrf }: { ctx: PageContext; cat: Catalogue; csrf: string }) {
  const { i18n } = ctx;
  const last = cat.districts.length - 1;
  return (
    <>
      <h2 id="districts">{i18n.t('ads.admin.districts')}</h2>
      <p class="muted">{i18n.t('ads.admin.districtsHint')}</p>
      <table class="admin-table ad-admin-districts">
        <thead>
          <tr>
            <th scope="col">{i18n.t('ads.admin.districtTitle')}</th>
            <th scope="col">{i18n.t('ads.admin.districtSlug')}</th>
            <th scope="col">{i18n.t('ads.admin.districtOrder')}</th>
            <th scope="col">{i18n.t('ads.admin.districtState')}</th>
          </tr>
        </thead>
        <tbody>
          {cat.districts.map((d, i) => (
            <tr class={d.archived ? 'muted' : undefined}>
              <td>
                <form class="inline-form" method="post" action={`/admin/ads/districts/${d.id}`}>
                  <input type="hidden" name="_csrf" value={csrf} />
                  <label class="visually-hidden" for={`district-${d.id}`}>
                    {i18n.t('ads.admin.districtTitle')}
                  </label>
                  <input id={`district-${d.id}`} name="title" value={d.title} maxLength={80} size={16} required />{' '}
                  <button class="link-button" type="submit">
                    {i18n.t('ads.admin.rename')}
                  </button>
                </form>
              </td>
              <td>
                <code>{d.slug}</code>
              </td>
              <td>
                {(['up', 'down'] as const).map((move) =>
                  (move === 'up' ? i > 0 : i < last) ? (
                    <form class="inline-form" method="post" action={`/admin/ads/districts/${d.id}`}>
                      <input type="hidden" name="_csrf" value={csrf} />
                      <input type="hidden" name="move" value={move} />
                      <button class="link-button" type="submit" aria-label={i18n.t(move === 'up' ? 'ads.admin.moveUpNamed' : 'ads.admin.moveDownNamed', { name: d.title })}>
                        {i18n.t(move === 'up' ? 'ads.admin.moveUp' : 'ads.admin.moveDown')}
                      </button>{' '}
                    </form>
                  ) : null,
                )}
              </td>
              <td>
                {d.archived ? i18n.t('ads.admin.districtArchived') : i18n.t('ads.admin.districtLive')}{' '}
                <form class="inline-form" method="post" action={`/admin/ads/districts/${d.id}`}>
                  <input type="hidden" name="_csrf" value={csrf} />
                  <input type="hidden" name="archived" value={d.archived ? '0' : '1'} />
                  <button class="link-button" type="submit" aria-label={i18n.t(d.archived ? 'ads.admin.restoreNamed' : 'ads.admin.archiveNamed', { name: d.title })}>
                    {i18n.t(d.archived ? 'ads.admin.restore' : 'ads.admin.archive')}
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="form" method="post" action="/admin/ads/districts">
        <input type="hidden" name="_csrf" value={csrf} />
        <fieldset>
          <legend>{i18n.t('ads.admin.addDistrict')}</legend>
          <label>
            {i18n.t('ads.admin.districtTitle')} <input name="title" required maxLength={80} />
          </label>{' '}
          <label>
            {i18n.t('ads.admin.districtSlug')} <input name="slug" required pattern="[a-z0-9][a-z0-9\-]{0,59}" maxLength={60} placeholder="novy-rayon" />
          </label>{' '}
          <button class="button" type="submit">
            {i18n.t('ads.admin.add')}
          </button>
        </fieldset>
      </form>
    </>
  );
}

export function AdsAdmin({ ctx, nav, cat, shops, csrf, notice, error, held }: { ctx: PageContext; nav: AdminNavItem[]; cat: Catalogue; shops: Storefront[]; csrf: string; notice?: string; error?: string; held: number }) {
  const { i18n } = ctx;
  return (
    <AdminLayout ctx={ctx} title={i18n.t('ads.admin.title')} nav={nav}>
      <div class="ad-admin-wrap">
      <Notices notice={notice} error={error} />
      <p>
        <a href="/admin/moderation?kind=ad">{i18n.t('ads.admin.queue', { n: held })}</a> · <a href="/admin/ads/stats">{i18n.t('ads.statsAll')}</a>
      </p>
      <h2>{i18n.t('ads.admin.categories')}</h2>
      {cat.roots.map((r) => (
        <div>
          <CategoryForm ctx={ctx} c={r} csrf={csrf} />
          <div class="ad-admin-children">
            {r.children.map((c) => (
              <CategoryForm ctx={ctx} c={c} csrf={csrf} />
            ))}
          </div>
        </div>
      ))}
      <Districts ctx={ctx} cat={cat} csrf={csrf} />
      <h2>{i18n.t('ads.admin.storefronts')}</h2>
      <table class="admin-table">
        <thead>
          <tr>
            <th scope="col">{i18n.t('ads.storefront')}</th>
            <th scope="col">{i18n.t('ads.inn')}</th>
            <th scope="col">{i18n.t('ads.admin.verification')}</th>
          </tr>
        </thead>
        <tbody>
          {shops.map((s) => (
            <tr>
              <td>
                <a href={shopPath(s.slug)}>{s.name}</a>
              </td>
              <td>
                {s.inn ?? '—'} {s.inn && !innValid(s.inn) ? `(${i18n.t('ads.admin.innBad')})` : ''}
              </td>
              <td>
                {s.verifiedAt ? i18n.t('ads.verifiedOn', { date: i18n.date(s.verifiedAt) }) : i18n.t('ads.notVerified')}
                {s.verificationNote ? ` · ${s.verificationNote}` : ''}
                <form class="inline-form" method="post" action={`/admin/ads/storefronts/${s.id}/verify`}>
                  <input type="hidden" name="_csrf" value={csrf} />
                  <input type="hidden" name="ok" value={s.verifiedAt ? '0' : '1'} />
                  <label class="visually-hidden" for={`note-${s.id}`}>
                    {i18n.t('ads.admin.note')}
                  </label>
                  <input id={`note-${s.id}`} name="note" maxLength={500} placeholder={i18n.t('ads.admin.note')} />{' '}
                  <button class="link-button" type="submit">
                    {i18n.t(s.verifiedAt ? 'ads.admin.unverify' : 'ads.admin.verify')}
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{i18n.t('ads.admin.promotion')}</h2>
      <form class="form" method="post" action="/admin/ads/promote">
        <input type="hidden" name="_csrf" value={csrf} />
        <label>
          {i18n.t('ads.admin.adNumber')} <input name="id" type="number" min={1} required />
        </label>{' '}
        <label>
          {i18n.t('ads.admin.highlightDays')} <input name="days" type="number" min={0} max={90} value="7" />
        </label>{' '}
        <label class="ad-check">
          <input type="checkbox" name="raise" value="1" /> {i18n.t('ads.admin.raise')}
        </label>{' '}
        <button class="button" type="submit">
          {i18n.t('ads.admin.promote')}
        </button>
      </form>
      </div>
    </AdminLayout>
  );
}
