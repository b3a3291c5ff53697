// The edit page's photo order, in place: the same «Выше», «Ниже», «Сделать
// обложкой», «Удалить» buttons as without JavaScript (so it stays keyboard operable), plus
// drag and drop; each change sends the whole new order (PUT /api/ads/:id/photos)
// and, once saved, the edit form's hidden photo ids follow it, so saving the form
// keeps the order. Plain DOM like every island here: the bundle is the reading
// pages' too, and a framework runtime would weigh on all of them.
import { api } from '../../../web/client/api.js';

export function startAdPhotos(section: HTMLElement): void {
  const adId = section.dataset.ad;
  const list = section.querySelector<HTMLOListElement>('.ad-photo-list');
  const status = section.querySelector<HTMLElement>('.ad-photo-order__status');
  if (!adId || !/^\d+$/.test(adId) || !list) return;
  const t = (name: string, n?: number) => (section.dataset[name] ?? '').replace('{n}', String(n ?? ''));
  const items = () => [...list.querySelectorAll<HTMLLIElement>('li[data-photo]')];
  let busy = false;

  /** Numbers, the cover mark and which buttons make sense, after a move. */
  function relabel(): void {
    const all = items();
    all.forEach((li, i) => {
      const n = i + 1;
      li.querySelector('img')?.setAttribute('alt', t('tPhoto', n));
      const cover = li.querySelector<HTMLElement>('.ad-photo-list__cover');
      if (cover) cover.hidden = i !== 0;
      for (const b of li.querySelectorAll<HTMLButtonElement>('button[name="action"]')) {
        const action = b.value;
        b.disabled = action === 'remove' ? false : action === 'down' ? i === all.length - 1 : i === 0;
        b.setAttribute('aria-label', t(action === 'up' ? 'tUp' : action === 'down' ? 'tDown' : action === 'remove' ? 'tRemove' : 'tCover', n));
      }
    });
  }

  /** Sends the order shown; on a refusal puts the previous one back. */
  async function save(previous: HTMLLIElement[], focus?: { li: HTMLLIElement; action: string }): Promise<void> {
    busy = true;
    relabel();
    const order = items().map((li) => Number(li.dataset.photo));
    const res = await api<{ order: number[] }>('PUT', `/api/ads/${adId}/photos`, { order });
    busy = false;
    if (!res.ok) {
      for (const li of previous) list!.append(li);
      relabel();
      if (status) status.textContent = res.error ?? t('tFailed');
      return;
    }
    // The edit form posts its photo ids in this order from now on.
    const form = document.querySelector<HTMLFormElement>('form.ad-form');
    const hidden = form ? [...form.querySelectorAll<HTMLInputElement>('input[name="photo_id"]')] : [];
    if (form && hidden.length === order.length) order.forEach((id, i) => (hidden[i]!.value = String(id)));
    if (status) status.textContent = t('tSaved');
    if (focus) {
      // Keep the keyboard where it was: the same button, or its neighbour when that one is now disabled.
      const buttons = [...focus.li.querySelectorAll<HTMLButtonElement>('button[name="action"]')];
      (buttons.find((b) => b.value === focus.action && !b.disabled) ?? buttons.find((b) => !b.disabled))?.focus();
    }
  }

  /** The edit form's «уже загружены N фотографии» after a removal (the server's texts for each count). */
  function keptCount(): void {
    const kept = document.querySelector<HTMLElement>('form.ad-form [data-photos-kept]');
    if (!kept) return;
    const texts = JSON.parse(kept.dataset.photosKept ?? '[]') as string[];
    const n = document.querySelectorAll('form.ad-form input[name="photo_id"]').length;
    kept.textContent = texts[n] ? ` ${texts[n]}` : '';
    kept.hidden = !texts[n];
  }

  /** «Удалить»: the photo leaves the ad (and the edit form's hidden ids); the next one is the cover. */
  async function remove(li: HTMLLIElement): Promise<void> {
    const id = li.dataset.photo ?? '';
    busy = true;
    const res = await api<{ order: number[] }>('DELETE', `/api/ads/${adId}/photos/${id}`);
    busy = false;
    if (!res.ok) {
      if (status) status.textContent = res.error ?? t('tFailed');
      return;
    }
    const next = (li.nextElementSibling ?? li.previousElementSibling) as HTMLLIElement | null;
    li.remove();
    document.querySelector<HTMLInputElement>(`form.ad-form input[name="photo_id"][value="${id}"]`)?.remove();
    keptCount();
    relabel();
    if (status) status.textContent = t('tRemoved');
    // The keyboard goes to the neighbour's «Удалить», or to the status when none is left.
    next?.querySelector<HTMLButtonElement>('button[value="remove"]')?.focus();
  }

  list.addEventListener('click', (e) => {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[name="action"]');
    if (!button) return;
    e.preventDefault();
    if (busy || button.disabled) return;
    const li = button.closest<HTMLLIElement>('li[data-photo]')!;
    if (button.value === 'remove') return void remove(li);
    const previous = items();
    if (button.value === 'cover') list.prepend(li);
    else if (button.value === 'up' && li.previousElementSibling) list.insertBefore(li, li.previousElementSibling);
    else if (button.value === 'down' && li.nextElementSibling) list.insertBefore(li.nextElementSibling, li);
    else return;
    void save(previous, { li, action: button.value });
  });

  // Drag and drop, for a mouse or a finger on a large screen; the buttons do the same.
  let dragged: HTMLLIElement | null = null;
  let before: HTMLLIElement[] = [];
  for (const li of items()) li.draggable = true;
  list.addEventListener('dragstart', (e) => {
    dragged = (e.target as HTMLElement).closest<HTMLLIElement>('li[data-photo]');
    before = items();
    if (dragged && e.dataTransfer) {
      e.dataTransfer.effectAllowed = 'move';
      e.dataTransfer.setData('text/plain', dragged.dataset.photo ?? '');
    }
  });
  list.addEventListener('dragover', (e) => {
    if (!dragged || busy) return;
    e.preventDefault();
    const over = (e.target as HTMLElement).closest<HTMLLIElement>('li[data-photo]');
    if (!over || over === dragged) return;
    const rect = over.getBoundingClientRect();
    const after = e.clientY > rect.top + rect.height / 2 || (e.clientX > rect.left + rect.width / 2 && e.clientY > rect.top);
    list.insertBefore(dragged, after ? over.nextElementSibling : over);
  });
  list.addEventListener('drop', (e) => e.preventDefault());
  list.addEventListener('dragend', () => {
    if (!dragged) return;
    dragged = null;
    const now = items();
    if (now.some((li, i) => li !== before[i])) void save(before);
  });
}
