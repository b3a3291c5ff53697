// The home page control form: which articles the editors put in each block.
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
