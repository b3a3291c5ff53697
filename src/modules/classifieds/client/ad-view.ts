// The ad page's island: counts one view (the server counts each reader once per ad
// and day, and ignores bots). The page works without it; only the statistics miss
// readers without JavaScript.
export function startAdView(el: HTMLElement): void {
  const id = el.dataset.ad;
  if (!id || !/^\d+$/.test(id)) return;
  void fetch(`/api/ads/${id}/view`, { method: 'POST', credentials: 'same-origin', keepalive: true }).catch(() => undefined);
}
