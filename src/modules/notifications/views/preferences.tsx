// Which notifications to get, per kind and channel: a table of checkboxes in the
// profile page (accounts' profile sections). Each kind sends a hidden `kinds` field,
// so an unchecked box is a choice too.
import type { I18n, MessageKey } from '../../../platform/i18n/index.js';
import type { Preference } from '../service.js';
import { CHANNELS } from '../kinds.js';

export function PreferencesForm({ i18n, csrf, prefs, notice }: { i18n: I18n; csrf: string; prefs: Preference[]; notice?: string }) {
  return (
    <section class="notification-prefs" id="notification-preferences">
      <h2>{i18n.t('notifications.preferences')}</h2>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <p class="notification-prefs__hint">{i18n.t('notifications.preferencesHint')}</p>
      <form class="form" method="post" action="/me/notifications/preferences">
        <input type="hidden" name="_csrf" value={csrf} />
        <table class="notification-prefs__table">
          <thead>
            <tr>
              <th scope="col">{i18n.t('notifications.kind')}</th>
              {CHANNELS.map((c) => (
                <th scope="col">{i18n.t(`notifications.channel.${c}`)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {prefs.map((p) => (
              <tr>
                <th scope="row">
                  <input type="hidden" name="kinds" value={p.kind} />
                  {i18n.lookup(`notifications.kind.${p.kind}` as MessageKey) ?? p.kind}
                </th>
                {CHANNELS.map((c) => (
                  <td>
                    <input type="checkbox" name={c} value={p.kind} checked={p[c]} aria-label={`${i18n.lookup(`notifications.kind.${p.kind}` as MessageKey) ?? p.kind}: ${i18n.t(`notifications.channel.${c}`)}`} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <button class="button" type="submit">
          {i18n.t('notifications.save')}
        </button>
      </form>
    </section>
  );
}
