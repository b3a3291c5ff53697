// «Показать телефон» in place. The check for a reader without an account
// (phone-check.ts) wants a reader identity issued before the press — the page's one
// reader-state call gives it — and the page's signed token; when the server asks
// for a moment more it answers a check token and the wait, and the island asks once
// more after it. Without JavaScript the same form posts and the page comes back
// with the phone (or one more button).
import { el } from '../../../web/client/dom.js';
import { api } from '../../../web/client/api.js';
import { readerState } from '../../../web/client/reader-state.js';

interface Answer {
  phone?: string;
  check?: string;
  wait?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function startAdPhone(block: HTMLElement): void {
  const id = block.dataset.ad;
  const form = block.querySelector('form');
  const status = block.querySelector<HTMLElement>('.ad-phone-block__status');
  if (!id || !/^\d+$/.test(id) || !form) return;
  const button = form.querySelector<HTMLButtonElement>('button');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void reveal();
  });

  async function reveal(): Promise<void> {
    if (button) button.disabled = true;
    // Makes sure this browser holds its reader identity before asking.
    await readerState();
    let check = form!.querySelector<HTMLInputElement>('input[name="check"]')?.value ?? '';
    for (let attempt = 0; attempt < 3; attempt++) {
      const res = await api<Answer>('POST', `/ads/item/${id}/phone`, { check });
      if (res.ok && res.data?.phone) return show(res.data.phone);
      if (res.ok && res.data?.check) {
        if (status) status.textContent = block.dataset.tWait ?? '';
        check = res.data.check;
        await sleep(Math.min(10_000, (res.data.wait ?? 2000) + 250));
        continue;
      }
      if (status) status.textContent = res.error ?? block.dataset.tFailed ?? '';
      break;
    }
    if (button) button.disabled = false;
  }

  function show(phone: string): void {
    const link = el('a', { href: `tel:${phone.replace(/\s/g, '')}` }, phone);
    block.replaceChildren(el('p', { className: 'ad-phone' }, link), el('p', { className: 'muted' }, block.dataset.tSay ?? ''));
    link.focus();
  }
}
