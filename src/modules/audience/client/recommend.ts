// Replaces the generic «Рекомендуем» list with this reader's, from the page's one
// reader-state call (it leaves out the page's own article, as data-exclude says).
import { readerState } from '../../../web/client/reader-state.js';

interface Item {
  title: string;
  url: string;
  label: string | null;
}

export async function startRecommend(el: HTMLElement): Promise<void> {
  const part = (await readerState())?.recommendations as { items: Item[] } | null | undefined;
  if (!part) return;
  const { items } = part;
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
