// One shape for the structure pages (sections, tags, stories, authors, users): a
// form to add one, then each existing one with its own edit form. Plain forms with
// the CSRF field: they work without JS. A refused form comes back open, with what
// was typed and the message beside the field it is about.
import type { I18n } from '../../../platform/i18n/index.js';
import type { FormFailure } from '../forms.js';

export interface Field {
  name: string;
  label: string;
  /** `image`: an uploaded image's number, with the photo picker (client/pickers.ts) over it. */
  kind?: 'text' | 'textarea' | 'number' | 'select' | 'password' | 'email' | 'image';
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
  /** Image URLs to preview, by field name (an author's photo). */
  previews?: Record<string, string>;
}

interface InputProps {
  field: Field;
  value: string;
  /** Unique on the page: forms repeat the same field names. */
  id: string;
  error?: string;
  preview?: string;
  i18n: I18n;
}

function Input({ field, value, id, error, preview, i18n }: InputProps) {
  const a11y = { id, 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': error ? `${id}-error` : undefined };
  if (field.kind === 'textarea')
    return (
      <textarea name={field.name} rows={3} maxLength={2000} required={field.required} {...a11y}>
        {value}
      </textarea>
    );
  if (field.kind === 'select')
    return (
      <select name={field.name} required={field.required} {...a11y}>
        {field.options!.map((o) => (
          <option value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  if (field.kind === 'image')
    // Without JS: the image's number. With it: preview, upload, remove (client/pickers.ts).
    return (
      <span class="image-picker" data-image-picker data-uploading={i18n.t('newsroom.state.uploading')}>
        <img class="image-picker__preview" src={preview || undefined} alt="" width={120} hidden={!preview} />
        <input name={field.name} type="number" min={1} value={value} class="image-picker__value" {...a11y} />
        <span class="image-picker__controls" hidden>
          <label class="button">
            {i18n.t('newsroom.upload')}
            <input type="file" class="visually-hidden image-picker__file" accept="image/jpeg,image/png,image/webp,image/avif,image/heic,image/heif" />
          </label>
          <button type="button" class="image-picker__remove">
            {i18n.t('newsroom.removePhoto')}
          </button>
        </span>
        <span class="image-picker__status" role="status" aria-live="polite" />
      </span>
    );
  return <input name={field.name} type={field.kind ?? 'text'} value={value} required={field.required} maxLength={300} placeholder={field.hint} {...a11y} />;
}

function Fields({ fields, values, errors, previews, prefix, i18n }: { fields: Field[]; values: Record<string, string>; errors: Record<string, string>; previews: Record<string, string>; prefix: string; i18n: I18n }) {
  return (
    <>
      {errors[''] && (
        <p class="form-error" role="alert">
          {errors['']}
        </p>
      )}
      {fields.map((f) => {
        const id = `${prefix}-${f.name}`;
        // The photo picker holds buttons and a file field of its own: a group, not one label.
        const Wrap = f.kind === 'image' ? 'div' : 'label';
        return (
          <Wrap class={`field${errors[f.name] ? ' has-error' : ''}`} role={f.kind === 'image' ? 'group' : undefined} aria-labelledby={f.kind === 'image' ? `${id}-label` : undefined}>
            {f.kind === 'image' ? <span id={`${id}-label`}>{f.label}</span> : f.label}
            <Input field={f} value={values[f.name] ?? ''} id={id} error={errors[f.name]} preview={previews[f.name]} i18n={i18n} />
            {errors[f.name] && (
              <span class="field-error" id={`${id}-error`} role="alert">
                {errors[f.name]}
              </span>
            )}
          </Wrap>
        );
      })}
    </>
  );
}

export function EntityAdmin({ i18n, csrf, base, fields, rows, canDelete, notice, failed }: { i18n: I18n; csrf: string; base: string; fields: Field[]; rows: EntityRow[]; canDelete: boolean; notice?: string; failed?: FormFailure }) {
  const failedNew = failed?.target === 'new' ? failed : undefined;
  // A field the message names but the form lacks (say, a constraint's column) shows at the form's top.
  const placed = (f: FormFailure | undefined, shown: Field[]) =>
    f ? Object.fromEntries(Object.entries(f.errors).map(([k, v]) => [shown.some((x) => x.name === k) ? k : '', v])) : {};
  const newFields = fields.filter((f) => !f.editOnly);
  const rowFields = fields.filter((f) => !f.createOnly);
  return (
    <>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <details class="entity entity--new" open={!!failedNew}>
        <summary>{i18n.t('newsroom.add')}</summary>
        <form class="admin-form" method="post" action={base}>
          <input type="hidden" name="_csrf" value={csrf} />
          <Fields fields={newFields} values={failedNew?.values ?? {}} errors={placed(failedNew, newFields)} previews={{}} prefix="new" i18n={i18n} />
          <button type="submit">{i18n.t('newsroom.add')}</button>
        </form>
      </details>
      <ul class="entities">
        {rows.map((r) => {
          const rowFailed = failed?.target === r.id ? failed : undefined;
          return (
            <li class={`depth-${Math.min(r.depth ?? 0, 4)}`} data-id={r.id}>
              <details class="entity" open={!!rowFailed}>
                <summary>
                  {r.label} <span class="muted">#{r.id}</span>
                </summary>
                <form class="admin-form" method="post" action={`${base}/${r.id}`}>
                  <input type="hidden" name="_csrf" value={csrf} />
                  <Fields fields={rowFields} values={rowFailed ? { ...r.values, ...rowFailed.values } : r.values} errors={placed(rowFailed, rowFields)} previews={rowFailed ? {} : (r.previews ?? {})} prefix={`row${r.id}`} i18n={i18n} />
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
          );
        })}
      </ul>
    </>
  );
}
