// The home page control form and the audit log table.
import type { I18n } from '../../../platform/i18n/index.js';

export interface SlotField {
  slot: string;
  label: string;
  /** 1 for the lead story, 12 for a block. */
  max: number;
  ids: number[];
  titles: string[];
}

/**
 * The home page slots. Each is a plain text field of article numbers (that is
 * the form without JS); the picker (client/pickers.ts) turns it into a list with
 * search-and-pick and remove buttons that keep the field filled.
 */
export function HomeSlotsForm({ i18n, csrf, fields, notice, error }: { i18n: I18n; csrf: string; fields: SlotField[]; notice?: string; error?: { slot: string; message: string } }) {
  return (
    <>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <p class="muted">{i18n.t('newsroom.home.hint')}</p>
      <form class="admin-form" method="post" action="/admin/home">
        <input type="hidden" name="_csrf" value={csrf} />
        {fields.map((f) => {
          const failed = error?.slot === f.slot;
          const id = `slot-${f.slot.replace(/\W/g, '-')}`;
          return (
            <div class={`slot-field${failed ? ' has-error' : ''}`} data-article-picker data-max={f.max} data-search-label={i18n.t('newsroom.picker.search')} data-remove-label={i18n.t('newsroom.picker.remove')} data-nothing-label={i18n.t('newsroom.picker.nothing')}>
              <label for={id}>{f.label}</label>
              <input id={id} name={`slot:${f.slot}`} value={f.ids.join(', ')} pattern="[0-9,\s]*" inputMode="numeric" class="picker__value" aria-invalid={failed ? 'true' : undefined} aria-describedby={failed ? `${id}-error` : undefined} />
              <ol class="picker__chosen">
                {f.ids.map((articleId, i) => (
                  <li data-id={articleId}>
                    <span>{f.titles[i]}</span> <span class="muted">№{articleId}</span>
                  </li>
                ))}
              </ol>
              {failed && (
                <span class="field-error" id={`${id}-error`} role="alert">
                  {error.message}
                </span>
              )}
            </div>
          );
        })}
        <button type="submit">{i18n.t('newsroom.save')}</button>
      </form>
    </>
  );
}

/** A word from the catalog; an action or entity another module logs without one shows as its code. */
function word(i18n: I18n, key: string, fallback: string): string {
  const text = i18n.t(key as never);
  return text && text !== key && !text.includes('undefined') ? text : fallback;
}

export interface AuditItem {
  id: string;
  action: string;
  entity: string;
  entity_id: number | null;
  summary: string;
  created_at: Date;
  display_name: string | null;
}

export function AuditTable({ i18n, items, page, more }: { i18n: I18n; items: AuditItem[]; page: number; more: boolean }) {
  return (
    <>
      <div class="table-wrap">
        <table class="admin-table">
          <thead>
            <tr>
              <th>{i18n.t('newsroom.audit.when')}</th>
              <th>{i18n.t('newsroom.audit.who')}</th>
              <th>{i18n.t('newsroom.audit.what')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr>
                <td>{i18n.when(r.created_at)}</td>
                <td>{r.display_name ?? i18n.t('newsroom.audit.system')}</td>
                <td>
                  <span data-action={r.action} data-entity={r.entity}>
                    {word(i18n, `audit.${r.action}`, r.action)} · {word(i18n, `audit.${r.entity}`, r.entity)}
                    {r.entity_id !== null ? ` #${r.entity_id}` : ''}
                  </span>{' '}
                  {r.entity === 'article' && r.entity_id !== null && r.action !== 'deleted' ? <a href={`/admin/articles/${r.entity_id}`}>{r.summary}</a> : r.summary}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {more && (
        <p>
          <a href={`/admin/audit?page=${page + 1}`}>{i18n.t('newsroom.more')}</a>
        </p>
      )}
    </>
  );
}
