// The view beacon: one small POST when an article page is shown. Works on cached
// pages (no per-reader HTML needed) and only from real browsers running scripts.
// A view counts only from a reader issued before it (platform/reader-cap.ts): a
// browser that had no reader cookie yet is given one by the answer, marked
// `gorod-view: unproven`, and sends the beacon once more, now with it.
import { rememberRead } from './history.js';

export function startBeacon(el: HTMLElement): void {
  const articleId = Number(el.dataset.articleId);
  if (!articleId) return;
  const post = () =>
    fetch('/api/views', { method: 'POST', body: JSON.stringify({ articleId }), keepalive: true, credentials: 'same-origin', headers: { 'content-type': 'application/json' } });
  const send = async () => {
    try {
      let res = await post();
      if (res.headers.get('gorod-view') === 'unproven') res = await post();
      if (res.ok) rememberRead(articleId);
    } catch {
      // Offline or leaving the page: a view is not worth an error.
    }
  };
  if (document.visibilityState === 'visible') void send();
  else document.addEventListener('visibilitychange', function once() {
    if (document.visibilityState !== 'visible') return;
    document.removeEventListener('visibilitychange', once);
    void send();
  });
}
