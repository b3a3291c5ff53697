// The audit log table of the back office: who did what, newest first.
import type { I18n } from '../../../platform/i18n/index.js';

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
