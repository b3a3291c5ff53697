// The view beacon: one small POST when an article page is shown. Works on cached
// pages (no per-reader HTML needed) and only from real browsers running scripts.
export function startBeacon(el: HTMLElement): void {
  const articleId = Number(el.dataset.articleId);
  if (!articleId) return;
  const send = () => {
    const body = new Blob([JSON.stringify({ articleId })], { type: 'application/json' });
    if (!navigator.sendBeacon?.('/api/views', body)) {
      void fetch('/api/views', { method: 'POST', body, keepalive: true, credentials: 'same-origin', headers: { 'content-type': 'application/json' } });
    }
  };
  if (document.visibilityState === 'visible') send();
  else document.addEventListener('visibilitychange', function once() {
    if (document.visibilityState !== 'visible') return;
    document.removeEventListener('visibilitychange', once);
    send();
  });
}
