// The reader's notifications at /me/notifications: the newest first, the unread ones
// marked, each with its own «mark read» button (a plain form) and one for all.
// Opening the list does not read them: a mail still comes for what stays unread.
import type { PageContext } from '../../../web/context.js';
import type { MessageKey } from '../../../platform/i18n/index.js';
import { FormPage } from '../../../web/components/forms.js';
import { AccountNav } from '../../accounts/index.js';

export interface NotificationItem {
  id: number;
  kind: string;
  actor_name: string;
  excerpt: string;
  created_at: Date;
  read_at: Date | null;
}

export function NotificationsPage({ ctx, csrf, items, unread, notice }: { ctx: PageContext; csrf: string; items: NotificationItem[]; unread: number; notice?: string }) {
  const { i18n } = ctx;
  return (
    <FormPage ctx={ctx} title={i18n.t('notifications.title')} notice={notice}>
      <AccountNav ctx={ctx} />
      {items.length === 0 && <p>{i18n.t('notifications.empty')}</p>}
      {unread > 0 && (
        <form class="notifications__all" method="post" action="/me/notifications/read-all">
          <input type="hidden" name="_csrf" value={csrf} />
          <button class="button button--secondary" type="submit">
            {i18n.t('notifications.markAllRead')}
          </button>
        </form>
      )}
      <ul class="notification-list">
        {items.map((n) => (
          <li class={n.read_at ? 'notification' : 'notification notification--unread'} data-notification-id={n.id}>
            <p class="notification__line">
              {!n.read_at && <span class="notification__new">{i18n.t('notifications.unread')}</span>}
              {/* Through our route: following the link reads it. */}
              <a href={`/me/notifications/${n.id}`}>{i18n.lookup(`notifications.line.${n.kind}` as MessageKey, { name: n.actor_name }) ?? n.kind}</a> ·{' '}
              <time dateTime={n.created_at.toISOString()}>{i18n.when(n.created_at)}</time>
            </p>
            <p class="notification__excerpt">{n.excerpt}</p>
            {!n.read_at && (
              <form class="notification__read" method="post" action={`/me/notifications/${n.id}/read`}>
                <input type="hidden" name="_csrf" value={csrf} />
                <button class="link-button" type="submit">
                  {i18n.t('notifications.markRead')}
                </button>
              </form>
            )}
          </li>
        ))}
      </ul>
    </FormPage>
  );
}
