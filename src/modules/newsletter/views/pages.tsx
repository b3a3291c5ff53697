// The reader's side of the newsletter: the subscribe block on the home and article
// pages, the lists page, «check your mail», the confirmation's result, the
// unsubscribe result with the choice of other lists, and the profile's section.
import type { PageContext } from '../../../web/context.js';
import type { I18n } from '../../../platform/i18n/index.js';
import { FormPage } from '../../../web/components/forms.js';
import type { NewsletterList } from '../service.js';

type Status = 'pending' | 'confirmed' | 'unsubscribed' | 'paused' | null;

/** The consent the forms show; its version is stored with every request in the ledger. */
function Consent({ i18n }: { i18n: I18n }) {
  return <p class="newsletter__consent">{i18n.t('newsletter.consent')}</p>;
}

/** The block on the home and article pages: the same for every reader (cached pages), so the route takes the same-origin proof instead of a token. */
export function SubscribeWidget({ i18n, lists, form }: { i18n: I18n; lists: NewsletterList[]; form: 'home' | 'article' }) {
  if (!lists.length) return null;
  const id = `newsletter-${form}`;
  return (
    <section class="block newsletter" aria-labelledby={`${id}-title`}>
      <h2 class="block__title" id={`${id}-title`}>
        {i18n.t('newsletter.widget.title')}
      </h2>
      <form class="newsletter__form" method="post" action="/newsletter/subscribe">
        <input type="hidden" name="form" value={form} />
        <fieldset class="newsletter__lists">
          <legend class="visually-hidden">{i18n.t('newsletter.widget.lists')}</legend>
          {lists.map((l, i) => (
            <ListChoice list={l} checked={i === 0} />
          ))}
        </fieldset>
        <label class="newsletter__email">
          <span class="visually-hidden">{i18n.t('newsletter.email')}</span>
          <input type="email" name="email" required maxLength={254} autoComplete="email" placeholder={i18n.t('newsletter.emailPlaceholder')} />
        </label>
        <button class="button" type="submit">
          {i18n.t('newsletter.subscribe')}
        </button>
        <Consent i18n={i18n} />
      </form>
    </section>
  );
}

export function ListsPage({ ctx, lists, error, email }: { ctx: PageContext; lists: NewsletterList[]; error?: string; email?: string }) {
  const { i18n } = ctx;
  return (
    <FormPage ctx={ctx} title={i18n.t('newsletter.title')} error={error}>
      <p>{i18n.t('newsletter.intro')}</p>
      <form class="form newsletter__form newsletter__form--page" method="post" action="/newsletter/subscribe">
        <input type="hidden" name="form" value="page" />
        <fieldset class="newsletter__lists">
          <legend>{i18n.t('newsletter.widget.lists')}</legend>
          {lists.map((l) => (
            <ListChoice list={l} checked={false} />
          ))}
        </fieldset>
        <label>
          {i18n.t('newsletter.email')}
          <input type="email" name="email" required maxLength={254} autoComplete="email" value={email ?? ''} />
        </label>
        <button class="button" type="submit">
          {i18n.t('newsletter.subscribe')}
        </button>
        <Consent i18n={i18n} />
      </form>
    </FormPage>
  );
}

export function CheckMailPage({ ctx, email }: { ctx: PageContext; email: string }) {
  const { i18n } = ctx;
  return (
    <FormPage ctx={ctx} title={i18n.t('newsletter.checkMail.title')} notice={i18n.t('newsletter.checkMail.text', { email })}>
      <p>{i18n.t('newsletter.checkMail.spam')}</p>
      <p>
        <a href="/">{i18n.t('newsletter.toHome')}</a>
      </p>
    </FormPage>
  );
}

export function ConfirmedPage({ ctx, lists }: { ctx: PageContext; lists: string[] }) {
  const { i18n } = ctx;
  return (
    <FormPage ctx={ctx} title={i18n.t('newsletter.confirmed.title')} notice={lists.length ? i18n.t('newsletter.confirmed.text', { lists: lists.map((l) => `«${l}»`).join(', ') }) : i18n.t('newsletter.confirmed.nothing')}>
      <p>
        <a href="/">{i18n.t('newsletter.toHome')}</a>
      </p>
    </FormPage>
  );
}

function ChooseForm({ i18n, action, csrf, subscriptions }: { i18n: I18n; action: string; csrf: string; subscriptions: { list: NewsletterList; status: Status }[] }) {
  return (
    <form class="form newsletter__form newsletter__form--page" method="post" action={action}>
      <input type="hidden" name="_csrf" value={csrf} />
      <fieldset class="newsletter__lists">
        <legend>{i18n.t('newsletter.manage.choose')}</legend>
        {subscriptions.map(({ list, status }) => (
          <ListChoice list={list} checked={status === 'confirmed'} />
        ))}
      </fieldset>
      <button class="button" type="submit">
        {i18n.t('newsletter.manage.save')}
      </button>
    </form>
  );
}

/** What the link in a mail's footer opens: the result, then the other lists. */
export function UnsubscribedPage({ ctx, listName, changed, manageAction, csrf, subscriptions }: { ctx: PageContext; listName: string; changed: boolean; manageAction: string; csrf: string; subscriptions: { list: NewsletterList; status: Status }[] }) {
  const { i18n } = ctx;
  return (
    <FormPage ctx={ctx} title={i18n.t('newsletter.unsubscribed.title')} notice={i18n.t(changed ? 'newsletter.unsubscribed.text' : 'newsletter.unsubscribed.already', { list: listName })}>
      <p>{i18n.t('newsletter.unsubscribed.other')}</p>
      <ChooseForm i18n={i18n} action={manageAction} csrf={csrf} subscriptions={subscriptions} />
    </FormPage>
  );
}

export function ManagePage({ ctx, email, action, csrf, subscriptions, saved }: { ctx: PageContext; email: string; action: string; csrf: string; subscriptions: { list: NewsletterList; status: Status }[]; saved: boolean }) {
  const { i18n } = ctx;
  return (
    <FormPage ctx={ctx} title={i18n.t('newsletter.manage.title')} notice={saved ? i18n.t('newsletter.manage.saved') : undefined}>
      <p>{i18n.t('newsletter.manage.for', { email })}</p>
      <ChooseForm i18n={i18n} action={action} csrf={csrf} subscriptions={subscriptions} />
    </FormPage>
  );
}

/** The profile's section: the account's own address, lists on and off. */
export function ProfileSection({ i18n, csrf, email, confirmed, subscriptions, notice }: { i18n: I18n; csrf: string; email: string; confirmed: boolean; subscriptions: { list: NewsletterList; status: Status }[]; notice?: string }) {
  return (
    <section class="newsletter-profile" id="newsletter">
      <h2>{i18n.t('newsletter.profile.title')}</h2>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {confirmed ? (
        <>
          <p>{i18n.t('newsletter.manage.for', { email })}</p>
          <ChooseForm i18n={i18n} action="/newsletter/profile" csrf={csrf} subscriptions={subscriptions} />
        </>
      ) : (
        <p>{i18n.t('newsletter.profile.unconfirmed')}</p>
      )}
    </section>
  );
}

/** One list to tick: its name and what it brings. */
function ListChoice({ list, checked }: { list: Pick<NewsletterList, 'id' | 'name' | 'description'>; checked: boolean }) {
  return (
    <label class="newsletter__list">
      <input type="checkbox" name="list" value={String(list.id)} checked={checked} />
      <span>
        <strong>{list.name}</strong>
        {list.description && <span class="newsletter__description">{list.description}</span>}
      </span>
    </label>
  );
}

/** What «Да, оставить» in the 180-day question opens: the address stays (paused lists resume), and other lists to choose. */
export function StayPage({ ctx, email, lists, manageAction, csrf, subscriptions }: { ctx: PageContext; email: string; lists: string[]; manageAction: string; csrf: string; subscriptions: { list: NewsletterList; status: Status }[] }) {
  const { i18n } = ctx;
  const notice = lists.length ? i18n.t('newsletter.stay.text', { email, lists: lists.map((l) => `«${l}»`).join(', ') }) : i18n.t('newsletter.stay.none', { email });
  return (
    <FormPage ctx={ctx} title={i18n.t('newsletter.stay.title')} notice={notice}>
      <p>{i18n.t('newsletter.stay.other')}</p>
      <ChooseForm i18n={i18n} action={manageAction} csrf={csrf} subscriptions={subscriptions} />
    </FormPage>
  );
}
