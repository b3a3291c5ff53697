// Entry of the browser bundle: finds islands by their data-island attribute and
// starts the ones on this page. Pages work without it; it only adds to them.
import { startAccount } from './account.js';

const islands: Record<string, (el: HTMLElement) => void> = {
  account: startAccount,
};

for (const el of document.querySelectorAll<HTMLElement>('[data-island]')) {
  const start = islands[el.dataset.island!];
  if (start) start(el);
}
