// Pickers over plain form fields, for the back office's forms without the editor:
// - [data-image-picker]: an image number field (an author's photo) becomes a
//   preview with «Загрузить» (the editor's upload API) and «Убрать»;
// - [data-article-picker]: a field of article numbers (a home page block) becomes
//   a list with search-and-pick and remove buttons.
// Each keeps its original field filled, so the form posts the same values with or
// without JS, and nothing here reloads the page.

function csrf(): string {
  const m = /(?:^|;\s*)gorod_csrf=([^;]+)/.exec(document.cookie);
  return m ? decodeURIComponent(m[1]!) : '';
}

function button(text: string, className: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = className;
  b.textContent = text;
  return b;
}

// ---------- image ----------

function startImagePicker(root: HTMLElement) {
  const value = root.querySelector<HTMLInputElement>('.image-picker__value')!;
  const preview = root.querySelector<HTMLImageElement>('.image-picker__preview')!;
  const file = root.querySelector<HTMLInputElement>('.image-picker__file')!;
  const remove = root.querySelector<HTMLButtonElement>('.image-picker__remove')!;
  const status = root.querySelector<HTMLElement>('.image-picker__status')!;
  value.type = 'hidden';
  root.querySelector<HTMLElement>('.image-picker__controls')!.hidden = false;
  const show = () => {
    remove.hidden = !value.value;
    preview.hidden = !value.value || !preview.getAttribute('src');
  };
  show();
  file.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    status.textContent = root.dataset.uploading ?? '';
    status.dataset.state = 'busy';
    const body = new FormData();
    body.append('image', chosen);
    try {
      const res = await fetch('/api/admin/images', { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json', 'x-csrf-token': csrf() }, body });
      const json = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(json?.error?.message ?? String(res.status));
      value.value = String(json.file.imageId);
      preview.src = json.file.thumb;
      status.textContent = '';
      delete status.dataset.state;
    } catch (err) {
      // The server's Russian message (413, 415…); the field keeps its old value.
      status.textContent = (err as Error).message;
      status.dataset.state = 'error';
    }
    file.value = '';
    show();
  });
  remove.addEventListener('click', () => {
    value.value = '';
    preview.removeAttribute('src');
    show();
  });
}

// ---------- articles ----------

interface Found {
  id: number;
  title: string;
}

function startArticlePicker(root: HTMLElement) {
  const value = root.querySelector<HTMLInputElement>('.picker__value')!;
  const chosen = root.querySelector<HTMLOListElement>('.picker__chosen')!;
  const max = Number(root.dataset.max ?? '12');
  const removeLabel = root.dataset.removeLabel ?? '×';
  value.type = 'hidden';

  const ids = () => [...chosen.querySelectorAll<HTMLElement>('li')].map((li) => Number(li.dataset.id));
  const sync = () => {
    value.value = ids().join(', ');
    search.hidden = ids().length >= max && max > 1;
  };
  const addRemove = (li: HTMLElement) => {
    const b = button(removeLabel, 'picker__remove');
    b.setAttribute('aria-label', `${removeLabel}: ${li.querySelector('span')?.textContent ?? ''}`);
    li.append(' ', b);
  };
  const add = (item: Found) => {
    if (ids().includes(item.id)) return;
    // The lead story is one article: picking another replaces it.
    if (max === 1) chosen.textContent = '';
    if (ids().length >= max) return;
    const li = document.createElement('li');
    li.dataset.id = String(item.id);
    const title = document.createElement('span');
    title.textContent = item.title;
    const number = document.createElement('span');
    number.className = 'muted';
    number.textContent = `№${item.id}`;
    li.append(title, ' ', number);
    addRemove(li);
    chosen.append(li);
    sync();
  };
  for (const li of chosen.querySelectorAll<HTMLElement>('li')) addRemove(li);
  chosen.addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest('.picker__remove');
    if (!b) return;
    b.closest('li')!.remove();
    sync();
  });

  const search = document.createElement('input');
  search.type = 'search';
  search.className = 'picker__search';
  search.maxLength = 200;
  search.placeholder = root.dataset.searchLabel ?? '';
  search.setAttribute('aria-label', `${root.querySelector('label')?.textContent ?? ''}: ${root.dataset.searchLabel ?? ''}`);
  const found = document.createElement('ul');
  found.className = 'picker picker__found';
  found.setAttribute('aria-live', 'polite');
  root.append(search, found);

  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') e.preventDefault();
  });
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = search.value.trim();
      const mine = ++asked;
      if (!q) {
        found.textContent = '';
        return;
      }
      const res = await fetch(`/api/admin/articles/search?q=${encodeURIComponent(q)}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
      const json = (await res.json().catch(() => ({}))) as { items?: Found[] };
      if (mine !== asked) return; // a newer search has been typed meanwhile
      found.textContent = '';
      const items = json.items ?? [];
      if (!items.length) {
        const li = document.createElement('li');
        li.className = 'muted';
        li.textContent = root.dataset.nothingLabel ?? '';
        found.append(li);
      }
      for (const item of items) {
        const li = document.createElement('li');
        const b = button(`${item.title} (№${item.id})`, 'picker__pick');
        b.addEventListener('click', () => {
          add(item);
          found.textContent = '';
          search.value = '';
          search.focus();
        });
        li.append(b);
        found.append(li);
      }
    }, 250);
  });
  sync();
}

for (const el of document.querySelectorAll<HTMLElement>('[data-image-picker]')) startImagePicker(el);
for (const el of document.querySelectorAll<HTMLElement>('[data-article-picker]')) startArticlePicker(el);
