// The header's account corner: cached pages are the same for everyone, so the
// signed-in reader's name and unread notifications come after load, in the page's
// one reader-state call (reader-state.ts).
import { readerState } from './reader-state.js';

interface Me {
  user: { displayName: string; role: string; unread: number } | null;
  labels: { profile: string; signOut: string; notifications: string };
}

export async function startAccount(el: HTMLElement): Promise<void> {
  const me = (await readerState())?.account as Me | null | undefined;
  if (!me?.user) return;
  el.textContent = '';
  const name = document.createElement('a');
  name.href = '/account';
  name.title = me.labels.profile;
  name.textContent = me.user.displayName;
  el.append(name);
  if (me.user.unread > 0) {
    // A reply to my comment: the counter links to the list, which marks them read.
    const badge = document.createElement('a');
    badge.href = '/me/notifications';
    badge.className = 'site-header__badge';
    badge.dataset.unread = String(me.user.unread);
    badge.textContent = String(me.user.unread);
    badge.setAttribute('aria-label', `${me.labels.notifications}: ${me.user.unread}`);
    el.append(' ', badge);
  }
  const out = document.createElement('a');
  out.href = '/logout';
  out.textContent = me.labels.signOut;
  el.append(' · ', out);
}
