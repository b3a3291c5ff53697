// The live console's island (div[data-admin-island="live-console"]): the same
// event stream readers get; when it says the article changed (another editor's
// entry, an edit, a pin), the entries and the log are loaded again from the
// console's own address and put in place — unless this editor is in the middle
// of an edit there, in which case it waits until the edit is closed.
export function startLiveConsole(root: HTMLElement) {
  const id = Number(root.dataset.article);
  let known = Number(root.dataset.head) || 0;
  let wanted = known;
  let loading = false;
  if (!id || typeof EventSource === 'undefined') return;

  const busy = () => {
    const box = root.querySelector('[data-live-console-entries]');
    return !!box && (!!box.querySelector('details[open]') || box.contains(document.activeElement));
  };

  async function refresh() {
    if (loading || wanted <= known) return;
    if (busy()) {
      setTimeout(refresh, 2000);
      return;
    }
    loading = true;
    try {
      const target = wanted;
      const res = await fetch(location.pathname, { credentials: 'same-origin', headers: { accept: 'text/html' } });
      if (!res.ok) return;
      const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
      const fresh = doc.querySelector('[data-live-console-entries]');
      const box = root.querySelector('[data-live-console-entries]');
      if (fresh && box && !busy()) {
        box.replaceWith(document.importNode(fresh, true));
        known = target;
      }
    } finally {
      loading = false;
      if (wanted > known) setTimeout(refresh, 500);
    }
  }

  let source: EventSource | null = null;
  const connect = () => {
    source?.close();
    source = new EventSource(`/live/${id}/stream`);
    source.onmessage = (e) => {
      const head = Number(e.data);
      if (head > wanted) {
        wanted = head;
        void refresh();
      }
    };
  };
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) {
      source?.close();
      source = null;
    } else connect();
  });
  connect();
}
