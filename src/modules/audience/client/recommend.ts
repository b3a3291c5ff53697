// Replaces the generic «Рекомендуем» list with this reader's, from the page's one
// reader-state call, which is told what the page already shows (data-exclude: its
// lead, ТОП 5, «По теме») and what this browser has read (client/history.ts).
import { addReaderStateParam, readerState } from '../../../web/client/reader-state.js';
import { readHistory, seedHistory } from './history.js';

/** As many as the call accepts (READER_STATE_LISTS); a page showing more asks for spares and leaves them out itself. */
const SHOWN_SENT = 40;

addReaderStateParam('shown', () => {
  const shown = document.querySelector<HTMLElement>('[data-island="recommend"]')?.dataset.exclude;
  return shown === undefined || shown.split(',').length > SHOWN_SENT ? null : shown;
});
addReaderStateParam('read', () => readHistory()?.join(',') ?? null);

interface Item {
  id: number;
  title: string;
  url: string;
  label: string | null;
}

const SHOWN = 5;

export async function startRecommend(el: HTMLElement): Promise<void> {
  const part = (await readerState())?.recommendations as { items: Item[]; history?: number[] } | null | undefined;
  if (!part) return;
  if (part.history) seedHistory(part.history);
  const shown = new Set((el.dataset.exclude ?? '').split(',').filter(Boolean).map(Number));
  const items = part.items.filter((item) => !shown.has(item.id)).slice(0, SHOWN);
  const list = el.querySelector('ul');
  if (!list || !items.length) return;
  list.replaceChildren(
    ...items.map((item) => {
      const li = document.createElement('li');
      if (item.label) {
        const label = document.createElement('span');
        label.className = 'label';
        label.textContent = item.label;
        li.append(label, ' ');
      }
      const a = document.createElement('a');
      a.href = item.url;
      a.textContent = item.title;
      li.append(a);
      return li;
    }),
  );
  el.dataset.personal = 'true';
}
