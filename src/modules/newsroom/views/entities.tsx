// One shape for the structure pages (sections, tags, stories, authors, users): a
// form to add one, then each existing one with its own edit form. Plain forms with
// the CSRF field: they work without JS.
import type { I18n } from '../../../platform/i18n/index.js';

export interface Field {
  name: string;
  label: string;
  kind?: 'text' | 'textarea' | 'number' | 'select' | 'password' | 'email';
  options?: { value: string; label: string }[];
  required?: boolean;
  hint?: string;
  /** Shown only on the add form (e.g. a password). */
  createOnly?: boolean;
  /** Not on the add form. */
  editOnly?: boolean;
}

export interface EntityRow {
  id: number;
  label: string;
  depth?: number;
  values: Record<string, string>;
}

function Input({ field, value }: { field: Field; value: string }) {
  if (field.kind === 'textarea') return <textarea name={field.name} rows={3} maxLength={2000} required={field.required}>{value}</textarea>;
  if (field.kind === 'select')
    return (
      <select name={field.name} required={field.required}>
        {field.options!.map((o) => (
          <option value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  return <input name={field.name} type={field.kind ?? 'text'} value={value} required={field.required} maxLength={300} placeholder={field.hint} />;
}

function Fields({ fields, values }: { fields: Field[]; values: Record<string, string> }) {
  return (
    <>
      {fields.map((f) => (
        <label>
          {f.label}
          <Input field={f} value={values[f.name] ?? ''} />
        </label>
      ))}
    </>
  );
}

export function EntityAdmin({ i18n, csrf, base, fields, rows, canDelete, notice }: { i18n: I18n; csrf: string; base: string; fields: Field[]; rows: EntityRow[]; canDelete: boolean; notice?: string }) {
  return (
    <>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <details class="entity entity--new">
        <summary>{i18n.t('newsroom.add')}</summary>
        <form class="admin-form" method="post" action={base}>
          <input type="hidden" name="_csrf" value={csrf} />
          <Fields fields={fields.filter((f) => !f.editOnly)} values={{}} />
          <button type="submit">{i18n.t('newsroom.add')}</button>
        </form>
      </details>
      <ul class="entities">
        {rows.map((r) => (
          <li class={`depth-${Math.min(r.depth ?? 0, 4)}`} data-id={r.id}>
            <details class="entity">
              <summary>
                {r.label} <span class="muted">#{r.id}</span>
              </summary>
              <form class="admin-form" method="post" action={`${base}/${r.id}`}>
                <input type="hidden" name="_csrf" value={csrf} />
                <Fields fields={fields.filter((f) => !f.createOnly)} values={r.values} />
                <button type="submit">{i18n.t('newsroom.save')}</button>
              </form>
              {canDelete && (
                <form method="post" action={`${base}/${r.id}/delete`} class="entity__delete">
                  <input type="hidden" name="_csrf" value={csrf} />
                  <button type="submit" class="danger">
                    {i18n.t('newsroom.delete')}
                  </button>
                </form>
              )}
            </details>
          </li>
        ))}
      </ul>
    </>
  );
}
