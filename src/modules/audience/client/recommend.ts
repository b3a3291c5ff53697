// Replaces the generic «Рекомендуем» list with this reader's.
interface Item {
  title: string;
  url: string;
  label: string | null;
}

export async function startRecommend(el: HTMLElement): Promise<void> {
  const exclude = el.dataset.exclude ? `?exclude=${encodeURIComponent(el.dataset.exclude)}` : '';
  const res = await fetch(`/api/recommendations${exclude}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!res.ok) return;
  const { items } = (await res.json()) as { items: Item[] };
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
