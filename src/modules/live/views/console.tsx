// The back office of live coverage: the list of live articles (and the form that
// makes an article live), and an article's console — its period and order, a new
// entry, every entry's latest version with one-click actions, and the change log.
// Works with forms alone (an entry's text field); with JavaScript the entry forms
// get the block editor (client/entry-editor.ts, its own bundle), and the console's
// island (client/console.ts) reloads the entries and the log when the event stream
// says something changed.
import type { I18n } from '../../../platform/i18n/index.js';
import type { EntryVersion, LiveInfo } from '../service.js';
import { isLiveNow } from '../service.js';
import { blocksToText } from '../text.js';

const local = (d: Date | null, tz: string) => {
  if (!d) return '';
  // «YYYY-MM-DDTHH:MM» in the portal's zone, for <input type="datetime-local">.
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d);
  const p = (t: string) => parts.find((x) => x.type === t)?.value ?? '';
  return `${p('year')}-${p('month')}-${p('day')}T${p('hour')}:${p('minute')}`;
};

export function LiveList({ i18n, items, csrf, canMake, now }: { i18n: I18n; items: { live: LiveInfo; title: string; url: string }[]; csrf: string; canMake: boolean; now: Date }) {
  return (
    <>
      {items.length ? (
        <table class="admin-table">
          <tbody>
            {items.map(({ live, title, url }) => (
              <tr>
                <td>
                  <a href={`/admin/live/${live.articleId}`}>{title}</a>
                </td>
                <td>{isLiveNow(live, now) ? i18n.t('live.admin.live') : live.startsAt > now ? i18n.t('live.admin.upcoming') : i18n.t('live.admin.over')}</td>
                <td>
                  <time dateTime={live.startsAt.toISOString()}>{i18n.when(live.startsAt, now)}</time>
                </td>
                <td>
                  <a href={url}>{i18n.t('live.admin.view')}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{i18n.t('live.admin.none')}</p>
      )}
      {canMake && (
        <form class="form live-admin__make" method="post" action="/admin/live">
          <h2>{i18n.t('live.admin.make')}</h2>
          <input type="hidden" name="_csrf" value={csrf} />
          <label>
            {i18n.t('live.admin.article')} <input name="article" inputMode="numeric" pattern="[0-9]+" required />
          </label>
          <button class="button" type="submit">
            {i18n.t('live.admin.save')}
          </button>
        </form>
      )}
    </>
  );
}

/** Embedded as JSON data (not a script): `<` escaped so no text can close the element. */
const jsonData = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const ED_KEYS = ['text', 'placeholder', 'listBulleted', 'listNumbered', 'quote', 'quoteCaption', 'image', 'selectImage', 'caption', 'credit', 'bold', 'italic', 'link', 'addLink', 'clickToTune', 'dragToMove', 'delete', 'moveUp', 'moveDown', 'convertTo', 'filter', 'nothingFound', 'add'] as const;

/** The block editor's words, for client/entry-editor.ts. */
export function EditorData({ i18n }: { i18n: I18n }) {
  const ed = Object.fromEntries(ED_KEYS.map((k) => [k, i18n.t(`live.ed.${k}`)]));
  const labels = { uploading: i18n.t('live.ed.uploading'), sending: i18n.t('live.ed.sending'), error: i18n.t('live.ed.error'), empty: i18n.t('error.live.empty') };
  return <script type="application/json" id="live-editor-data" dangerouslySetInnerHTML={{ __html: jsonData({ ed, labels }) }} />;
}

export interface ConsoleProps {
  i18n: I18n;
  csrf: string;
  article: { id: number; title: string; url: string; published: boolean };
  live: LiveInfo;
  entries: EntryVersion[];
  log: EntryVersion[];
  canConfigure: boolean;
  now: Date;
  timezone: string;
}

export function LiveConsole(p: ConsoleProps) {
  const { i18n, csrf, article, live, now } = p;
  const base = `/admin/live/${article.id}`;
  const running = isLiveNow(live, now);
  return (
    <div class="live-console" data-admin-island="live-console" data-article={article.id} data-head={p.log[0]?.seq ?? 0}>
      <EditorData i18n={i18n} />
      <p>
        {article.published ? <a href={article.url}>{i18n.t('live.admin.view')}</a> : null} · {running ? i18n.t('live.admin.live') : live.startsAt > now ? i18n.t('live.admin.upcoming') : i18n.t('live.admin.over')}
      </p>
      {p.canConfigure && (
        <details class="live-console__settings">
          <summary>{i18n.t('live.admin.settings')}</summary>
          <form class="form" method="post" action={`${base}/settings`}>
            <input type="hidden" name="_csrf" value={csrf} />
            <label>
              {i18n.t('live.admin.starts')} <input type="datetime-local" name="startsAt" value={local(live.startsAt, p.timezone)} required />
            </label>
            <label>
              {i18n.t('live.admin.ends')} <input type="datetime-local" name="endsAt" value={local(live.endsAt, p.timezone)} />
            </label>
            <fieldset>
              <legend>{i18n.t('live.admin.order')}</legend>
              <label>
                <input type="radio" name="order" value="newest" checked={live.order === 'newest'} /> {i18n.t('live.admin.newest')}
              </label>
              <label>
                <input type="radio" name="order" value="oldest" checked={live.order === 'oldest'} /> {i18n.t('live.admin.oldest')}
              </label>
            </fieldset>
            <button class="button" type="submit">
              {i18n.t('live.admin.save')}
            </button>
          </form>
          {running && (
            <form class="form" method="post" action={`${base}/settings`}>
              <input type="hidden" name="_csrf" value={csrf} />
              <input type="hidden" name="end" value="1" />
              <button class="button button--secondary" type="submit">
                {i18n.t('live.admin.end')}
              </button>
            </form>
          )}
        </details>
      )}
      <form class="form live-console__new" method="post" action={`${base}/entries`} data-live-entry-form data-blocks="[]">
        <h2>{i18n.t('live.admin.newEntry')}</h2>
        <input type="hidden" name="_csrf" value={csrf} />
        <EntryFields i18n={i18n} />
        <p class="live-console__buttons">
          <button class="button" type="submit" name="status" value="published">
            {i18n.t('live.admin.publishNow')}
          </button>
          <button class="button button--secondary" type="submit" name="status" value="draft">
            {i18n.t('live.admin.asDraft')}
          </button>
          <span class="live-console__state" data-live-form-state role="status" aria-live="polite" />
        </p>
      </form>
      <div data-live-console-entries>
        <h2>{i18n.t('live.admin.entries')}</h2>
        <p class="hint">{i18n.t('live.admin.fresh')}</p>
        <ol class="live-console__entries">
          {p.entries.map((e) => (
            <ConsoleEntry e={e} i18n={i18n} csrf={csrf} base={base} now={now} timezone={p.timezone} />
          ))}
        </ol>
        <h2>{i18n.t('live.admin.log')}</h2>
        <ol class="live-console__log">
          {p.log.map((v) => (
            <li>
              {i18n.t('live.admin.logLine', {
                when: i18n.when(v.createdAt, now),
                who: v.authorName,
                entry: v.id,
                what: `${i18n.t('live.admin.version', { n: v.version })}: ${v.status === 'draft' ? i18n.t('live.admin.draft') : v.status === 'deleted' ? i18n.t('live.admin.deletedState') : i18n.t('live.admin.published')}${v.pinned ? ` · ${i18n.t('live.pinned')}` : ''}`,
              })}
              {v.status !== 'deleted' && <span class="live-console__excerpt"> — {(v.title || v.bodyText).slice(0, 100)}</span>}
            </li>
          ))}
        </ol>
      </div>
    </div>
  );
}

function EntryFields({ i18n, e, timezone }: { i18n: I18n; e?: EntryVersion; timezone?: string }) {
  return (
    <>
      <label>
        {i18n.t('live.admin.title')} <input name="title" maxLength={300} value={e?.title ?? ''} />
      </label>
      <div data-live-text>
        <label>
          {i18n.t('live.admin.text')}
          <textarea name="text" rows={e ? 6 : 5} required maxLength={20000}>
            {e ? blocksToText(e.blocks) : ''}
          </textarea>
        </label>
        <p class="hint">{i18n.t('live.admin.textHint')}</p>
        <noscript>
          <p class="hint">{i18n.t('live.admin.noJs')}</p>
        </noscript>
      </div>
      <div class="live-console__blocks" data-live-blocks hidden>
        <span class="live-console__label">{i18n.t('live.admin.text')}</span>
        <div class="live-console__editor" data-live-editor aria-label={i18n.t('live.admin.text')} />
      </div>
      <p class="live-console__row">
        <label>
          <input type="checkbox" name="keyEvent" value="1" checked={!!e?.keyEvent} /> {i18n.t('live.admin.key')}
        </label>
        <label>
          {i18n.t('live.admin.time')} <input type="datetime-local" name="at" value={e && timezone ? local(e.at, timezone) : ''} />
        </label>
      </p>
    </>
  );
}

function ConsoleEntry({ e, i18n, csrf, base, now, timezone }: { e: EntryVersion; i18n: I18n; csrf: string; base: string; now: Date; timezone: string }) {
  const action = (name: string, label: string, secondary = true) => (
    <form method="post" action={`${base}/entries/${e.id}`} class="live-console__action">
      <input type="hidden" name="_csrf" value={csrf} />
      <input type="hidden" name="action" value={name} />
      <button class={secondary ? 'button button--secondary' : 'button'} type="submit">
        {label}
      </button>
    </form>
  );
  return (
    <li class={`live-console__entry live-console__entry--${e.status}`} id={`console-entry-${e.id}`}>
      <p class="live-console__meta">
        <strong>#{e.id}</strong> <time dateTime={e.at.toISOString()}>{i18n.when(e.at, now)}</time> · {e.authorName} ·{' '}
        {e.status === 'draft' ? i18n.t('live.admin.draft') : e.status === 'deleted' ? i18n.t('live.admin.deletedState') : i18n.t('live.admin.published')}
        {e.keyEvent && ` · ${i18n.t('live.keyEvent')}`}
        {e.pinned && ` · ${i18n.t('live.pinned')}`} · {i18n.t('live.admin.version', { n: e.version })}
      </p>
      {e.status !== 'deleted' && (
        <>
          {e.title && <p class="live-console__title">{e.title}</p>}
          <p class="live-console__text">{e.bodyText.slice(0, 400)}</p>
          <div class="live-console__actions">
            {e.status === 'draft' && action('publish', i18n.t('live.admin.publish'), false)}
            {e.status === 'published' && action(e.pinned ? 'unpin' : 'pin', e.pinned ? i18n.t('live.admin.unpin') : i18n.t('live.admin.pin'))}
            {action('delete', i18n.t('live.admin.delete'))}
          </div>
          <details class="live-console__edit">
            <summary>{i18n.t('live.admin.edit')}</summary>
            <form class="form" method="post" action={`${base}/entries/${e.id}`} data-live-entry-form data-blocks={JSON.stringify(e.blocks)}>
              <input type="hidden" name="_csrf" value={csrf} />
              <input type="hidden" name="action" value="edit" />
              <EntryFields i18n={i18n} e={e} timezone={timezone} />
              <p class="live-console__buttons">
                <button class="button" type="submit">
                  {i18n.t('live.admin.save')}
                </button>
                <span class="live-console__state" data-live-form-state role="status" aria-live="polite" />
              </p>
            </form>
          </details>
        </>
      )}
    </li>
  );
}
