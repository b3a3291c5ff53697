// The live article's island (section[data-island="live"], only on the page where
// new entries arrive). The page is complete without it; this adds:
//  - the event stream (/live/:id/stream): ticks «changed up to N»; the changes
//    themselves come from the cacheable range URL /live/:id/entries?after=&upto=;
//  - at the fresh end (the top, or the bottom for oldest-first) new entries appear
//    with a brief highlight; elsewhere a «N новых» button and «(N)» in the tab's
//    title, and a click shows them and lands on the newest;
//  - edits, pins and deletions replace the entry in place;
//  - the stream closes while the tab is hidden and opens again on return (the
//    first tick says what was missed); refused (too many streams, a bad id) it
//    falls back to polling /live/:id/head at the interval the server gives.
//  - «Нравится» on each entry: the reactions API for the `live_entry` subject (on
//    every page of the feed; the stream only where new entries arrive).
// Entry HTML comes from our own server's renderer (staff-written blocks).
import { api } from '../../../web/client/api.js';

interface RangeItem {
  seq: number;
  id: number;
  status: 'published' | 'deleted';
  pinned: boolean;
  keyEvent: boolean;
  html: string;
}
interface Range {
  upto: number;
  next: number | null;
  items: RangeItem[];
}

export function startLive(root: HTMLElement) {
  const id = Number(root.dataset.article);
  const newestFirst = root.dataset.order !== 'oldest';
  let seen = Number(root.dataset.head) || 0;
  const labels = JSON.parse(root.dataset.labels ?? '{}') as { new?: Record<string, string> };
  const list = root.querySelector<HTMLElement>('[data-live-entries]');
  const button = root.querySelector<HTMLButtonElement>('[data-live-new]');
  if (!id || !list || !button) return;
  startLikes(root);
  if (root.dataset.stream !== '1') return;
  const baseTitle = document.title;
  const waiting: HTMLElement[] = [];
  let wanted = seen;
  let pumping = false;
  let source: EventSource | null = null;
  let pollTimer: number | undefined;
  let pollMs = 15_000;
  let polls = 0;

  /** The reader sees where new entries arrive. */
  const atFreshEnd = () => {
    const r = list.getBoundingClientRect();
    return newestFirst ? r.top > -120 : r.bottom < window.innerHeight + 120;
  };

  const make = (html: string) => {
    const t = document.createElement('template');
    t.innerHTML = html.trim();
    const node = t.content.firstElementChild as HTMLElement;
    for (const like of node?.querySelectorAll<HTMLElement>('[data-live-like]') ?? []) like.hidden = false;
    return node;
  };

  const pinnedBox = () => {
    let box = root.querySelector<HTMLElement>('[data-live-pinned]');
    if (!box) {
      box = document.createElement('div');
      box.className = 'live__pinned';
      box.setAttribute('data-live-pinned', '');
      list.before(box);
    }
    return box;
  };

  const place = (node: HTMLElement) => {
    root.querySelector('.live__empty')?.remove();
    if (newestFirst) list.prepend(node);
    else list.append(node);
  };

  const highlight = (node: HTMLElement) => {
    node.classList.add('live-entry--fresh');
    setTimeout(() => node.classList.remove('live-entry--fresh'), 4000);
  };

  function showWaiting() {
    const n = waiting.length;
    if (!n) {
      button!.hidden = true;
      document.title = baseTitle;
      return;
    }
    const forms = labels.new ?? { other: '{n}' };
    const rule = new Intl.PluralRules(document.documentElement.lang || 'ru').select(n);
    button!.textContent = (forms[rule] ?? forms.other ?? '{n}').replace('{n}', String(n));
    button!.hidden = false;
    document.title = `(${n}) ${baseTitle}`;
  }

  function flush(land: boolean) {
    if (!waiting.length) return;
    const nodes = waiting.splice(0);
    for (const node of nodes) {
      place(node);
      highlight(node);
    }
    showWaiting();
    if (land) {
      const newest = nodes[nodes.length - 1]!;
      newest.scrollIntoView({ block: 'start' });
      history.replaceState(null, '', `#${newest.id}`);
    }
  }

  function apply(item: RangeItem) {
    const key = `entry-${item.id}`;
    const existing = document.getElementById(key) ?? waiting.find((n) => n.id === key) ?? null;
    if (item.status === 'deleted') {
      if (existing) {
        const i = waiting.indexOf(existing);
        if (i >= 0) waiting.splice(i, 1);
        existing.remove();
      }
      return;
    }
    const node = make(item.html);
    if (!node) return;
    if (existing && waiting.includes(existing)) {
      waiting[waiting.indexOf(existing)] = node;
      return;
    }
    if (existing) {
      const inPinned = !!existing.closest('[data-live-pinned]');
      if (item.pinned && !inPinned) {
        existing.remove();
        pinnedBox().replaceChildren(node);
      } else if (!item.pinned && inPinned) {
        existing.remove();
        place(node);
      } else existing.replaceWith(node);
      return;
    }
    if (item.pinned) {
      pinnedBox().replaceChildren(node);
      highlight(node);
    } else if (atFreshEnd() && !waiting.length) {
      place(node);
      highlight(node);
    } else waiting.push(node);
  }

  async function pump() {
    if (pumping) return;
    pumping = true;
    try {
      while (seen < wanted) {
        const res = await fetch(`/live/${id}/entries?after=${seen}&upto=${wanted}`, { headers: { accept: 'application/json' } });
        if (!res.ok) break;
        const range = (await res.json()) as Range;
        for (const item of range.items) apply(item);
        seen = range.next ?? range.upto;
      }
      showWaiting();
    } finally {
      pumping = false;
    }
  }

  function tick(head: number) {
    if (!(head > wanted)) return;
    wanted = head;
    void pump();
  }

  function stop() {
    source?.close();
    source = null;
    clearTimeout(pollTimer);
  }

  function connect() {
    stop();
    if (typeof EventSource === 'undefined') return poll();
    const es = new EventSource(`/live/${id}/stream`);
    source = es;
    es.onmessage = (e) => tick(Number(e.data));
    es.onerror = () => {
      // Refused (429, 503, a bad Last-Event-ID) or gone for good: poll the head instead.
      if (es.readyState === EventSource.CLOSED && source === es) {
        source = null;
        poll();
      }
    };
  }

  function poll() {
    clearTimeout(pollTimer);
    pollTimer = window.setTimeout(async () => {
      if (document.hidden) return;
      try {
        const res = await fetch(`/live/${id}/head`, { headers: { accept: 'application/json' } });
        if (res.ok) {
          const h = (await res.json()) as { head: number; poll: number; live: boolean };
          pollMs = Math.max(2000, h.poll);
          tick(h.head);
          if (!h.live) return;
        }
      } catch {
        // The network is away: ask again later.
      }
      // Now and then, try streaming again.
      if (++polls % 8 === 0) connect();
      else poll();
    }, pollMs);
  }

  button.addEventListener('click', () => flush(true));
  window.addEventListener(
    'scroll',
    () => {
      if (waiting.length && atFreshEnd()) flush(false);
    },
    { passive: true },
  );
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) stop();
    else connect();
  });
  if (!document.hidden) connect();
}

type ReactionState = { counts: Record<string, number>; mine: string | null };

/** The likes of the entries: shown once scripts run, toggled through the reactions API. */
function startLikes(root: HTMLElement) {
  for (const like of root.querySelectorAll<HTMLElement>('[data-live-like]')) like.hidden = false;
  root.addEventListener('click', async (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-live-like]');
    if (!button) return;
    event.preventDefault(); // the island's call instead of the form's page
    if (button.dataset.busy) return;
    button.dataset.busy = '1';
    const url = `/api/subjects/live_entry/${Number(button.dataset.liveLike)}/reaction`;
    const pressed = button.getAttribute('aria-pressed') === 'true';
    const r = pressed ? await api<ReactionState>('DELETE', url) : await api<ReactionState>('PUT', url, { kind: 'LIKE' });
    delete button.dataset.busy;
    if (!r.data) return;
    button.setAttribute('aria-pressed', String(r.data.mine === 'LIKE'));
    const count = button.querySelector('[data-like-count]');
    if (count) count.textContent = r.data.counts.LIKE ? String(r.data.counts.LIKE) : '';
  });
}
