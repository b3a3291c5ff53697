// A storefront's own pages: creating one (an operator may create it for a business
// not online yet), and managing it — the logo, the profile, the INN, members and
// roles, invites by e-mail that expire, and the feed import.
import type { PageContext } from '../../../web/context.js';
import { FormPage } from '../../../web/components/forms.js';
import { Picture } from '../../../web/components/picture.js';
import type { ImageRef } from '../../media/index.js';
import type { Storefront } from '../storefronts.js';
import { shopPath } from '../paths.js';

export function NewShopPage({ ctx, csrf, error, values }: { ctx: PageContext; csrf: string; error?: string; values?: Record<string, string> }) {
  const { i18n } = ctx;
  const v = values ?? {};
  return (
    <FormPage ctx={ctx} title={i18n.t('ads.newShop')} error={error}>
      <p class="muted">{i18n.t('ads.newShopHint')}</p>
      <form class="form" method="post" action="/ads/shops/new">
        <input type="hidden" name="_csrf" value={csrf} />
        <p>
          <label for="s-name">{i18n.t('ads.shopName')} *</label>
          <input id="s-name" name="name" required maxLength={120} value={v.name ?? ''} />
        </p>
        <p>
          <label for="s-slug">{i18n.t('ads.shopSlug')} *</label>
          <input id="s-slug" name="slug" required pattern="[a-z0-9-]{1,80}" maxLength={80} value={v.slug ?? ''} />
        </p>
        <ShopFields ctx={ctx} v={v} />
        <button class="button" type="submit">
          {i18n.t('ads.create')}
        </button>
      </form>
    </FormPage>
  );
}

function ShopFields({ ctx, v }: { ctx: PageContext; v: Record<string, string> }) {
  const { i18n } = ctx;
  return (
    <>
      <p>
        <label for="s-description">{i18n.t('ads.shopDescription')}</label>
        <textarea id="s-description" name="description" rows={5} maxLength={3000}>
          {v.description ?? ''}
        </textarea>
      </p>
      <p>
        <label for="s-address">{i18n.t('ads.shopAddress')}</label>
        <input id="s-address" name="address" maxLength={200} value={v.address ?? ''} />
      </p>
      <p>
        <label for="s-hours">{i18n.t('ads.shopHours')}</label>
        <input id="s-hours" name="hours" maxLength={200} value={v.hours ?? ''} />
      </p>
      <p>
        <label for="s-phone">{i18n.t('ads.phone')}</label>
        <input id="s-phone" name="phone" type="tel" maxLength={30} value={v.phone ?? ''} />
      </p>
      <p>
        <label for="s-inn">{i18n.t('ads.inn')}</label>
        <input id="s-inn" name="inn" inputMode="numeric" pattern="[0-9]{10}|[0-9]{12}" maxLength={12} value={v.inn ?? ''} />
      </p>
    </>
  );
}

export interface ManageView {
  shop: Storefront;
  role: 'owner' | 'manager';
  members: { userId: number; name: string; role: string }[];
  invites: { email: string; role: string; expires_at: Date; accepted_at: Date | null }[];
  inviteLink?: string;
  feed: { url: string; lastRunAt: Date | null; report: { created?: number; updated?: number; closed?: number; refused?: { id: string; reason: string }[] } } | null;
  /** How often the feed is fetched again (the setting `classifieds.feedEveryHours`). */
  feedEveryHours: number;
  logo: ImageRef | null;
}

/** The logo: shown, replaced (a multipart form, works without JavaScript) or removed. */
function LogoForm({ ctx, csrf, view }: { ctx: PageContext; csrf: string; view: ManageView }) {
  const { i18n } = ctx;
  const base = `${shopPath(view.shop.slug)}logo`;
  return (
    <section class="ad-logo-form" aria-labelledby="logo-title">
      <h2 id="logo-title">{i18n.t('ads.logo')}</h2>
      <div class="ad-logo-form__row">
        <div class="ad-shop__logo">{view.logo ? <Picture image={view.logo} alt={i18n.t('ads.logoOf', { name: view.shop.name })} sizes="96px" /> : <span class="ad-logo-form__none">{i18n.t('ads.logoNone')}</span>}</div>
        <div>
          <form class="form" method="post" action={base} enctype="multipart/form-data">
            <input type="hidden" name="_csrf" value={csrf} />
            <p>
              <label for="shop-logo">{i18n.t(view.logo ? 'ads.logoReplace' : 'ads.logoUpload')}</label>
              <input id="shop-logo" name="logo" type="file" accept="image/jpeg,image/png,image/webp,image/avif" required aria-describedby="shop-logo-hint" />
              <span id="shop-logo-hint" class="muted">
                {' '}
                {i18n.t('ads.logoHint')}
              </span>
            </p>
            <button class="button" type="submit">
              {i18n.t('ads.logoSave')}
            </button>
          </form>
          {view.logo && (
            <form class="inline-form" method="post" action={`${base}/remove`}>
              <input type="hidden" name="_csrf" value={csrf} />
              <button class="link-button" type="submit">
                {i18n.t('ads.logoRemove')}
              </button>
            </form>
          )}
        </div>
      </div>
    </section>
  );
}

export function ManagePage({ ctx, csrf, view, error, notice }: { ctx: PageContext; csrf: string; view: ManageView; error?: string; notice?: string }) {
  const { i18n } = ctx;
  const { shop } = view;
  const base = `${shopPath(shop.slug)}manage`;
  const owner = view.role === 'owner';
  return (
    <FormPage ctx={ctx} title={i18n.t('ads.manageTitle', { name: shop.name })} error={error} notice={notice}>
      <p>
        <a href={shopPath(shop.slug)}>{i18n.t('ads.shopPage')}</a> · <a href={`/ads/my/?shop=${shop.id}`}>{i18n.t('ads.myAds')}</a> · <a href={`${shopPath(shop.slug)}stats`}>{i18n.t('ads.stats')}</a> · <a href={`/me/messages?party=o:${shop.id}`}>{i18n.t('ads.inbox')}</a>
      </p>
      <p>{shop.verifiedAt ? i18n.t('ads.verifiedOn', { date: i18n.date(shop.verifiedAt) }) : i18n.t('ads.notVerified')}</p>
      <LogoForm ctx={ctx} csrf={csrf} view={view} />
      <h2>{i18n.t('ads.profile')}</h2>
      <form class="form" method="post" action={base}>
        <input type="hidden" name="_csrf" value={csrf} />
        <ShopFields ctx={ctx} v={{ description: shop.description, address: shop.address, hours: shop.hours, phone: shop.phone ?? '', inn: shop.inn ?? '' }} />
        <button class="button" type="submit">
          {i18n.t('ads.save')}
        </button>
      </form>
      <h2>{i18n.t('ads.members')}</h2>
      <ul class="ad-plain-list">
        {view.members.map((m) => (
          <li>
            {m.name} — {i18n.t(`ads.role.${m.role}` as 'ads.role.owner')}
            {owner && (
              <form class="inline-form" method="post" action={`${shopPath(shop.slug)}members`}>
                <input type="hidden" name="_csrf" value={csrf} />
                <input type="hidden" name="user" value={String(m.userId)} />
                <label class="visually-hidden" for={`role-${m.userId}`}>
                  {i18n.t('ads.role')}
                </label>
                <select id={`role-${m.userId}`} name="role">
                  {['owner', 'manager', 'member', 'remove'].map((r) => (
                    <option value={r} selected={r === m.role}>
                      {r === 'remove' ? i18n.t('ads.removeMember') : i18n.t(`ads.role.${r}` as 'ads.role.owner')}
                    </option>
                  ))}
                </select>{' '}
                <button class="link-button" type="submit">
                  {i18n.t('ads.apply')}
                </button>
              </form>
            )}
          </li>
        ))}
      </ul>
      {owner && (
        <>
          <h2>{i18n.t('ads.invite')}</h2>
          {view.inviteLink && (
            <p class="notice" role="status">
              {i18n.t('ads.inviteSent')} <code>{view.inviteLink}</code>
            </p>
          )}
          <form class="form" method="post" action={`${shopPath(shop.slug)}invite`}>
            <input type="hidden" name="_csrf" value={csrf} />
            <p>
              <label for="inv-email">{i18n.t('ads.email')}</label>
              <input id="inv-email" name="email" type="email" required maxLength={250} />
            </p>
            <p>
              <label for="inv-role">{i18n.t('ads.role')}</label>
              <select id="inv-role" name="role">
                <option value="manager">{i18n.t('ads.role.manager')}</option>
                <option value="member">{i18n.t('ads.role.member')}</option>
                <option value="owner">{i18n.t('ads.role.owner')}</option>
              </select>
            </p>
            <p class="muted">{i18n.t('ads.inviteHint')}</p>
            <button class="button" type="submit">
              {i18n.t('ads.sendInvite')}
            </button>
          </form>
          <ul class="ad-plain-list">
            {view.invites.map((inv) => (
              <li>
                {inv.email} — {i18n.t(`ads.role.${inv.role}` as 'ads.role.owner')} · {inv.accepted_at ? i18n.t('ads.inviteAccepted') : inv.expires_at.getTime() < ctx.now.getTime() ? i18n.t('ads.inviteExpired') : i18n.t('ads.until', { date: i18n.date(inv.expires_at) })}
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>{i18n.t('ads.feed')}</h2>
      <p class="muted">{i18n.t('ads.feedHint')}</p>
      {view.feed && <p class="muted">{i18n.t('ads.feedSchedule', { hours: view.feedEveryHours })}</p>}
      <form class="form" method="post" action={`${shopPath(shop.slug)}feed`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <p>
          <label for="feed-url">{i18n.t('ads.feedUrl')}</label>
          <input id="feed-url" name="url" type="url" maxLength={500} value={view.feed?.url ?? ''} />
        </p>
        <button class="button" type="submit">
          {i18n.t('ads.feedRun')}
        </button>
      </form>
      {view.feed?.lastRunAt && (
        <div class="ad-feed-report">
          <p>
            {i18n.t('ads.feedReport', { when: i18n.when(view.feed.lastRunAt, ctx.now), created: view.feed.report.created ?? 0, updated: view.feed.report.updated ?? 0, closed: view.feed.report.closed ?? 0 })}
          </p>
          {(view.feed.report.refused ?? []).length > 0 && (
            <ul>
              {view.feed.report.refused!.map((r) => (
                <li>
                  {r.id}: {r.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </FormPage>
  );
}

export function InvitePage({ ctx, csrf, shopName, role, error }: { ctx: PageContext; csrf: string; shopName: string; role: string; error?: string }) {
  const { i18n } = ctx;
  return (
    <FormPage ctx={ctx} title={i18n.t('ads.inviteTitle', { name: shopName })} error={error}>
      <p>{i18n.t('ads.inviteText', { name: shopName, role: i18n.t(`ads.role.${role}` as 'ads.role.owner') })}</p>
      <form class="form" method="post">
        <input type="hidden" name="_csrf" value={csrf} />
        <button class="button" type="submit">
          {i18n.t('ads.acceptInvite')}
        </button>
      </form>
    </FormPage>
  );
}
