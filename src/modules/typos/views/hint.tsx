// The typo hint under the article, with the dialog and the touch-screen button
// the `typos` island opens. Their texts are rendered here, in the reader's locale;
// a closed <dialog> and a hidden button show nothing without JavaScript.
import type { I18n } from '../../../platform/i18n/index.js';
import { COMMENT_MAX } from '../text.js';

export function TypoHint({ articleId, i18n }: { articleId: number; i18n: I18n }) {
  return (
    <div class="typo" data-island="typos" data-article-id={articleId} data-too-long={i18n.t('typos.select.tooLong')} data-failed={i18n.t('typos.dialog.failed')} data-sending={i18n.t('typos.dialog.sending')} data-thanks={i18n.t('typos.dialog.thanks')}>
      <p class="typo__hint">
        {i18n.t('typos.hint')}
      </p>
      <p class="typo__status" role="status" data-typo-status></p>
      <button type="button" class="typo__touch button" data-typo-touch hidden>
        {i18n.t('typos.touchButton')}
      </button>
      <dialog class="typo-dialog" aria-labelledby="typo-dialog-title" data-typo-dialog>
        <form method="dialog" class="typo-dialog__form" data-typo-form>
          <h2 id="typo-dialog-title" class="typo-dialog__title">
            {i18n.t('typos.dialog.title')}
          </h2>
          <p class="visually-hidden">{i18n.t('typos.dialog.fragment')}</p>
          <blockquote class="typo-dialog__sentence" data-typo-sentence></blockquote>
          <label class="typo-dialog__label" for="typo-comment">
            {i18n.t('typos.dialog.comment')}
          </label>
          <textarea id="typo-comment" name="comment" rows={3} maxLength={COMMENT_MAX} data-typo-comment></textarea>
          <p class="typo-dialog__message" role="alert" data-typo-message></p>
          <div class="typo-dialog__actions">
            <button type="submit" class="button" data-typo-send>
              {i18n.t('typos.dialog.send')}
            </button>
            <button type="button" class="button button--secondary" data-typo-cancel data-close-label={i18n.t('typos.dialog.close')}>
              {i18n.t('typos.dialog.cancel')}
            </button>
          </div>
        </form>
      </dialog>
    </div>
  );
}
