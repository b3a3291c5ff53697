// The back office's newsletter (/admin/newsletter): the lists with their counts
// and the form that creates one, a breaking article sent to a breaking list, the
// recent sends; one list's form with its preview, a test send and «send now»; the
// statistics; an address's ledger, export and erasure.
import type { ComponentChildren } from 'preact';
import type { PageContext } from '../../../web/context.js';
import { AdminLayout, type AdminNavItem } from '../../../web/admin.js';
import type { I18n } from '../../../platform/i18n/index.js';
import type { ListInput, NewsletterList } from '../service.js';
import type { ListStats, SendStats } from '../stats.js';
import { LIST_KINDS } from '../schema.js';

export type Notice = { saved?: boolean; queued?: number; skipped?: boolean; tested?: string; erased?: boolean; error?: string };

function Messages({ i18n, notice }: { i18n: I18n; notice: Notice }) {
  return (
    <>
      {notice.saved && (
        <p class="notice" role="status">
          {i18n.t('newsletter.admin.saved')}
        </p>
      )}
      {notice.queued !== undefined && (
        <p class="notice" role="status">
          {i18n.plural('newsletter.admin.queued', notice.queued)}
        </p>
      )}
      {notice.skipped && (
        <p class="notice" role="status">
          {i18n.t('newsletter.admin.skipped')}
        </p>
      )}
      {notice.tested && (
        <p class="notice" role="status">
          {i18n.t('newsletter.admin.tested', { email: notice.tested })}
        </p>
      )}
      {notice.erased && (
        <p class="notice" role="status">
          {i18n.t('newsletter.admin.erased')}
        </p>
      )}
      {notice.error && (
        <p class="notice notice--error" role="alert">
          {notice.error}
        </p>
      )}
    </>
  );
}

export const EMPTY_LIST: ListInput = { slug: '', name: '', description: '', kind: 'daily', sendTime: '07:00', weekday: null, sectionIds: [], maxItems: 8, minNewItems: 3, active: true, position: 0 };

type SectionOption = { id: number; title: string };
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

function ListFields({ i18n, value, sections }: { i18n: I18n; value: ListInput; sections: SectionOption[] }) {
  return (
    <>
      <label>
        {i18n.t('newsletter.admin.name')}
        <input type="text" name="name" required maxLength={120} value={value.name} />
      </label>
      <label>
        {i18n.t('newsletter.admin.slug')}
        <input type="text" name="slug" required maxLength={60} pattern="[a-z0-9][a-z0-9\-]*" value={value.slug} />
      </label>
      <label>
        {i18n.t('newsletter.admin.description')}
        <textarea name="description" maxLength={500} rows={2}>
          {value.description}
        </textarea>
      </label>
      <label>
        {i18n.t('newsletter.admin.kind')}
        <select name="kind">
          {LIST_KINDS.map((k) => (
            <option value={k} selected={value.kind === k}>
              {i18n.t(`newsletter.kind.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <div class="newsletter-admin__row">
        <label>
          {i18n.t('newsletter.admin.sendTime')}
          <input type="time" name="sendTime" required value={value.sendTime} />
        </label>
        <label>
          {i18n.t('newsletter.admin.weekday')}
          <select name="weekday">
            <option value="">—</option>
            {WEEKDAYS.map((d) => (
              <option value={String(d)} selected={value.weekday === d}>
                {i18n.t(`newsletter.weekday.${d}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div class="newsletter-admin__row">
        <label>
          {i18n.t('newsletter.admin.maxItems')}
          <input type="number" name="maxItems" min={1} max={30} required value={String(value.maxItems)} />
        </label>
        <label>
          {i18n.t('newsletter.admin.minNewItems')}
          <input type="number" name="minNewItems" min={0} max={100} required value={String(value.minNewItems)} />
        </label>
        <label>
          {i18n.t('newsletter.admin.position')}
          <input type="number" name="position" min={0} max={999} value={String(value.position)} />
        </label>
      </div>
      <fieldset>
        <legend>{i18n.t('newsletter.admin.sections')}</legend>
        <p class="newsletter-admin__hint">{i18n.t('newsletter.admin.sectionsHint')}</p>
        <div class="newsletter-admin__sections">
          {sections.map((s) => (
            <label class="checkbox">
              <input type="checkbox" name="section" value={String(s.id)} checked={value.sectionIds.includes(s.id)} /> {s.title}
            </label>
          ))}
        </div>
      </fieldset>
      <label class="checkbox">
        <input type="checkbox" name="active" value="1" checked={value.active} /> {i18n.t('newsletter.admin.active')}
      </label>
    </>
  );
}

function schedule(i18n: I18n, l: NewsletterList): string {
  if (l.kind === 'breaking') return i18n.t('newsletter.kind.breaking');
  if (l.kind === 'weekly') return `${i18n.t(`newsletter.weekday.${(l.weekday ?? 1) as 1}`)}, ${l.sendTime}`;
  return i18n.t('newsletter.admin.dailyAt', { time: l.sendTime });
}

export function NewsletterAdmin({ ctx, nav, csrf, lists, counts, sends, articles, sections, notice, draft }: { ctx: PageContext; nav: AdminNavItem[]; csrf: string; lists: NewsletterList[]; counts: Map<number, { confirmed: number; pending: number }>; sends: SendStats[]; articles: { id: number; title: string }[]; sections: SectionOption[]; notice: Notice; draft: ListInput }) {
  const { i18n } = ctx;
  const breaking = lists.filter((l) => l.kind === 'breaking' && l.active);
  return (
    <AdminLayout ctx={ctx} title={i18n.t('newsletter.admin.title')} nav={nav}>
      <Messages i18n={i18n} notice={notice} />
      <p class="admin-links">
        <a href="/admin/newsletter/stats">{i18n.t('newsletter.admin.stats')}</a> · <a href="/admin/newsletter/subscribers">{i18n.t('newsletter.admin.subscribers')}</a> · <a href="/admin/newsletter/settings">{i18n.t('newsletter.admin.settingsTitle')}</a>
      </p>
      <Table heads={[i18n.t('newsletter.admin.name'), i18n.t('newsletter.admin.schedule'), i18n.t('newsletter.admin.confirmed'), i18n.t('newsletter.admin.pending')]}>
        {lists.map((l) => (
          <tr>
            <td>
              <a href={`/admin/newsletter/lists/${l.id}`}>{l.name}</a>
              {!l.active && <span class="badge">{i18n.t('newsletter.admin.inactive')}</span>}
            </td>
            <td>{schedule(i18n, l)}</td>
            <td>{counts.get(l.id)?.confirmed ?? 0}</td>
            <td>{counts.get(l.id)?.pending ?? 0}</td>
          </tr>
        ))}
      </Table>

      {breaking.length > 0 && (
        <>
          <h2>{i18n.t('newsletter.admin.breaking')}</h2>
          <form class="form" method="post" action="/admin/newsletter/breaking">
            <input type="hidden" name="_csrf" value={csrf} />
            <label>
              {i18n.t('newsletter.admin.breakingList')}
              <select name="listId">
                {breaking.map((l) => (
                  <option value={String(l.id)}>{l.name}</option>
                ))}
              </select>
            </label>
            <label>
              {i18n.t('newsletter.admin.article')}
              <select name="articleId" required>
                {articles.map((a) => (
                  <option value={String(a.id)}>{a.title}</option>
                ))}
              </select>
            </label>
            <button class="button" type="submit">
              {i18n.t('newsletter.admin.sendBreaking')}
            </button>
          </form>
        </>
      )}

      <h2>{i18n.t('newsletter.admin.sends')}</h2>
      <SendsTable i18n={i18n} sends={sends} now={ctx.now} />

      <h2>{i18n.t('newsletter.admin.newList')}</h2>
      <form class="form" method="post" action="/admin/newsletter/lists">
        <input type="hidden" name="_csrf" value={csrf} />
        <ListFields i18n={i18n} value={draft} sections={sections} />
        <button class="button" type="submit">
          {i18n.t('newsletter.admin.create')}
        </button>
      </form>
    </AdminLayout>
  );
}

export function SendsTable({ i18n, sends, now, tracking = false }: { i18n: I18n; sends: SendStats[]; now: Date; tracking?: boolean }) {
  if (!sends.length) return <p>{i18n.t('newsletter.admin.noSends')}</p>;
  const heads = [i18n.t('newsletter.admin.when'), i18n.t('newsletter.admin.list'), i18n.t('newsletter.admin.subject'), i18n.t('newsletter.admin.recipients'), i18n.t('newsletter.admin.sent'), i18n.t('newsletter.admin.notSent'), i18n.t('newsletter.admin.bounces'), i18n.t('newsletter.admin.complaints')];
  return (
    <Table heads={tracking ? [...heads, i18n.t('newsletter.admin.opens'), i18n.t('newsletter.admin.clicks')] : heads}>
      {sends.map((s) => (
        <tr>
          <td>{i18n.when(s.createdAt, now)}</td>
          <td>{s.listName}</td>
          <td>{s.status === 'skipped' ? <em>{i18n.t('newsletter.admin.skippedIssue')}</em> : s.subject}</td>
          <td>{s.recipients}</td>
          <td>
            {s.sent}
            {s.waiting > 0 && <span class="newsletter-admin__hint"> {i18n.t('newsletter.admin.waiting', { n: s.waiting })}</span>}
          </td>
          <td title={i18n.t('newsletter.admin.notSentHint')}>{s.failed + s.capped + s.dropped + s.uncertain}</td>
          <td>
            {s.hardBounces} / {s.softBounces}
          </td>
          <td>{s.complaints}</td>
          {tracking && <td>{s.opens}</td>}
          {tracking && <td>{s.clicks}</td>}
        </tr>
      ))}
    </Table>
  );
}

export function ListEditor({ ctx, nav, csrf, list, value, sections, notice, userEmail }: { ctx: PageContext; nav: AdminNavItem[]; csrf: string; list: NewsletterList; value: ListInput; sections: SectionOption[]; notice: Notice; userEmail: string }) {
  const { i18n } = ctx;
  return (
    <AdminLayout ctx={ctx} title={list.name} nav={nav}>
      <p>
        <a href="/admin/newsletter">← {i18n.t('newsletter.admin.title')}</a>
      </p>
      <Messages i18n={i18n} notice={notice} />
      {list.kind !== 'breaking' && (
        <section class="newsletter-admin__actions">
          <p>
            <a href={`/admin/newsletter/lists/${list.id}/preview`} target="_blank" rel="noopener">
              {i18n.t('newsletter.admin.preview')}
            </a>
          </p>
          <form class="form form--inline" method="post" action={`/admin/newsletter/lists/${list.id}/test`}>
            <input type="hidden" name="_csrf" value={csrf} />
            <label>
              {i18n.t('newsletter.admin.testTo')}
              <input type="email" name="email" required maxLength={254} value={userEmail} />
            </label>
            <button class="button button--secondary" type="submit">
              {i18n.t('newsletter.admin.testSend')}
            </button>
          </form>
          <form class="form form--inline" method="post" action={`/admin/newsletter/lists/${list.id}/send`}>
            <input type="hidden" name="_csrf" value={csrf} />
            <button class="button" type="submit">
              {i18n.t('newsletter.admin.sendNow')}
            </button>
          </form>
        </section>
      )}
      <h2>{i18n.t('newsletter.admin.settings')}</h2>
      <form class="form" method="post" action={`/admin/newsletter/lists/${list.id}`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <ListFields i18n={i18n} value={value} sections={sections} />
        <button class="button" type="submit">
          {i18n.t('newsletter.admin.save')}
        </button>
      </form>
    </AdminLayout>
  );
}

export function StatsPage({ ctx, nav, lists, sends, tracking }: { ctx: PageContext; nav: AdminNavItem[]; lists: ListStats[]; sends: SendStats[]; tracking: boolean }) {
  const { i18n } = ctx;
  return (
    <AdminLayout ctx={ctx} title={i18n.t('newsletter.admin.stats')} nav={nav}>
      <p>
        <a href="/admin/newsletter">← {i18n.t('newsletter.admin.title')}</a>
      </p>
      <p class="newsletter-admin__hint">
        {i18n.t(tracking ? 'newsletter.admin.trackingOn' : 'newsletter.admin.trackingOff')} <a href="/admin/newsletter/settings">{i18n.t('newsletter.admin.settingsTitle')}</a>
      </p>
      {lists.map((l) => (
        <section class="newsletter-stats">
          <h2>{l.name}</h2>
          <p>{i18n.t('newsletter.admin.statsTotals', { subscribers: l.subscribers, confirmations: l.confirmations, unsubscribes: l.unsubscribes })}</p>
          <Table heads={[i18n.t('newsletter.admin.day'), i18n.t('newsletter.admin.subscribersCol'), i18n.t('newsletter.admin.confirmationsCol'), i18n.t('newsletter.admin.unsubscribesCol')]}>
            {l.days.map((d) => (
              <tr>
                <td>{i18n.day(d.day)}</td>
                <td>
                  <meter class="newsletter-stats__meter" min={0} max={Math.max(1, ...l.days.map((x) => x.subscribers))} value={d.subscribers} /> {d.subscribers}
                </td>
                <td>{d.confirmations}</td>
                <td>{d.unsubscribes}</td>
              </tr>
            ))}
          </Table>
        </section>
      ))}
      <h2>{i18n.t('newsletter.admin.sends')}</h2>
      <SendsTable i18n={i18n} sends={sends} now={ctx.now} tracking={tracking} />
    </AdminLayout>
  );
}

/** The newsletter's settings: tracking (off by default) and the days to answer the 180-day question. */
export function SettingsPage({ ctx, nav, csrf, tracking, recheckDays, inactiveDays, saved }: { ctx: PageContext; nav: AdminNavItem[]; csrf: string; tracking: boolean; recheckDays: number; inactiveDays: number; saved: boolean }) {
  const { i18n } = ctx;
  return (
    <AdminLayout ctx={ctx} title={i18n.t('newsletter.admin.settingsTitle')} nav={nav}>
      <p>
        <a href="/admin/newsletter">← {i18n.t('newsletter.admin.title')}</a>
      </p>
      <Messages i18n={i18n} notice={{ saved }} />
      <form class="form" method="post" action="/admin/newsletter/settings">
        <input type="hidden" name="_csrf" value={csrf} />
        <label class="form__check">
          <input type="checkbox" name="tracking" value="1" checked={tracking} /> {i18n.t('newsletter.admin.tracking')}
        </label>
        <p class="form__hint">{i18n.t('newsletter.admin.trackingHint')}</p>
        <label>
          {i18n.t('newsletter.admin.recheckDays')}
          <input type="number" name="recheckDays" min={1} max={365} required value={String(recheckDays)} />
        </label>
        <p class="form__hint">{i18n.t('newsletter.admin.recheckHint', { days: inactiveDays })}</p>
        <button class="button" type="submit">
          {i18n.t('newsletter.admin.save')}
        </button>
      </form>
    </AdminLayout>
  );
}

export function SubscribersPage({ ctx, nav, csrf, email, found, notice }: { ctx: PageContext; nav: AdminNavItem[]; csrf: string; email: string; found: { consents: { list: string; action: string; form: string; textVersion: string | null; at: Date }[]; subscriptions: { list: string; status: string }[]; suppressed: string | null } | null; notice: Notice }) {
  const { i18n } = ctx;
  return (
    <AdminLayout ctx={ctx} title={i18n.t('newsletter.admin.subscribers')} nav={nav}>
      <p>
        <a href="/admin/newsletter">← {i18n.t('newsletter.admin.title')}</a>
      </p>
      <Messages i18n={i18n} notice={notice} />
      <form class="form form--inline" method="get" action="/admin/newsletter/subscribers">
        <label>
          {i18n.t('newsletter.email')}
          <input type="email" name="email" required maxLength={254} value={email} />
        </label>
        <button class="button" type="submit">
          {i18n.t('newsletter.admin.find')}
        </button>
      </form>
      {email && !found && <p>{i18n.t('newsletter.admin.notFound')}</p>}
      {found && (
        <>
          {found.suppressed && <p class="notice notice--error">{i18n.t('newsletter.admin.suppressed', { reason: found.suppressed })}</p>}
          <ul>
            {found.subscriptions.map((s) => (
              <li>
                {s.list}: {i18n.t(`newsletter.status.${s.status as 'confirmed'}`)}
              </li>
            ))}
          </ul>
          <h2>{i18n.t('newsletter.admin.ledger')}</h2>
          <Table heads={[i18n.t('newsletter.admin.when'), i18n.t('newsletter.admin.list'), i18n.t('newsletter.admin.action'), i18n.t('newsletter.admin.form')]}>
            {found.consents.map((c) => (
              <tr>
                <td>{i18n.dateTime(c.at)}</td>
                <td>{c.list}</td>
                <td>{c.action}</td>
                <td>
                  {c.form}
                  {c.textVersion ? ` (${c.textVersion})` : ''}
                </td>
              </tr>
            ))}
          </Table>
          <p>
            <a href={`/admin/newsletter/subscribers/export?email=${encodeURIComponent(email)}`}>{i18n.t('newsletter.admin.export')}</a>
          </p>
          <form class="form" method="post" action="/admin/newsletter/subscribers/erase">
            <input type="hidden" name="_csrf" value={csrf} />
            <input type="hidden" name="email" value={email} />
            <button class="button newsletter-admin__danger" type="submit">
              {i18n.t('newsletter.admin.erase')}
            </button>
          </form>
        </>
      )}
    </AdminLayout>
  );
}

/** A back-office table that scrolls sideways on a phone, its column names first. */
function Table({ heads, children }: { heads: string[]; children: ComponentChildren }) {
  return (
    <div class="newsletter-admin__table">
      <table class="admin-table">
        <thead>
          <tr>
            {heads.map((h) => (
              <th>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
