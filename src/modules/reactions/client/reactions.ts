// The reaction bar island: fresh counts and the reader's own reaction after load
// (the page itself is cached and the same for everyone), then clicks go to the
// JSON API instead of posting the form, and the counts change at once.
import { api } from '../../../web/client/api.js';
import { articlePart } from '../../../web/client/reader-state.js';

type State = { counts: Record<string, number>; mine: string | null };

export function startReactions(root: HTMLElement): void {
  const id = root.dataset.articleId;
  const form = root.querySelector<HTMLFormElement>('form');
  const status = root.querySelector<HTMLElement>('[data-status]');
  if (!id || !form) return;
  const url = `/api/articles/${id}/reaction`;
  const buttons = [...root.querySelectorAll<HTMLButtonElement>('button[data-kind]')];
  let state: State | null = null;
  let busy = false;

  function show(next: State) {
    state = next;
    for (const b of buttons) {
      const kind = b.dataset.kind!;
      b.setAttribute('aria-pressed', String(next.mine === kind));
      const count = b.querySelector('[data-count]');
      if (count) count.textContent = String(next.counts[kind] ?? 0);
    }
  }

  // From the page's one reader-state call; a bar about another article asks for its own.
  void articlePart<State>('reactions', id).then(async (part) => {
    const data = part ?? (await api<State>('GET', url)).data;
    if (data && !busy) show(data);
  });

  form.addEventListener('submit', async (event) => {
    const button = (event as SubmitEvent).submitter as HTMLButtonElement | null;
    const kind = button?.dataset.kind;
    if (!kind) return;
    event.preventDefault();
    if (busy) return;
    busy = true;
    const previous = state;
    const withdraw = button.getAttribute('aria-pressed') === 'true';
    // Shown at once; the server's answer (exact counts) replaces it a moment later.
    if (previous) {
      const counts = { ...previous.counts };
      if (previous.mine) counts[previous.mine] = Math.max(0, (counts[previous.mine] ?? 0) - 1);
      if (!withdraw) counts[kind] = (counts[kind] ?? 0) + 1;
      show({ counts, mine: withdraw ? null : kind });
    }
    const res = withdraw ? await api<State>('DELETE', url) : await api<State>('PUT', url, { kind });
    busy = false;
    if (res.data) {
      show(res.data);
      if (status) status.textContent = '';
    } else {
      if (previous) show(previous);
      if (status) status.textContent = res.error ?? root.dataset.failed ?? '';
    }
  });
}
