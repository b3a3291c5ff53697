// The Ctrl+Enter flow: the reader selects 1–300 characters of the article text and
// presses Ctrl+Enter (Cmd+Enter on a Mac, or taps the button that appears by the
// selection on a touch screen); a dialog shows the fragment inside its sentence
// and takes an optional comment; «Отправить» sends it, Esc closes. The texts come
// rendered in the page; the fragment is put in as text nodes, never as HTML.
import { api } from '../../../web/client/api.js';

const FRAGMENT_MAX = 300;
const CONTEXT = 140;
const SENTENCE_REACH = 200;

interface Picked {
  part: string;
  fragment: string;
  before: string;
  after: string;
  sentence: [string, string, string];
}

export function startTypos(root: HTMLElement): void {
  // The headline, the lead, the cover caption and the body: each a text of its own.
  const scopes = [...document.querySelectorAll<HTMLElement>('[data-typo-scope]')];
  const scope = scopes.find((s) => s.dataset.typoScope === 'body') ?? scopes[0];
  const dialog = root.querySelector<HTMLDialogElement>('[data-typo-dialog]');
  const form = root.querySelector<HTMLFormElement>('[data-typo-form]');
  const sentence = root.querySelector<HTMLElement>('[data-typo-sentence]');
  const comment = root.querySelector<HTMLTextAreaElement>('[data-typo-comment]');
  const message = root.querySelector<HTMLElement>('[data-typo-message]');
  const send = root.querySelector<HTMLButtonElement>('[data-typo-send]');
  const cancel = root.querySelector<HTMLButtonElement>('[data-typo-cancel]');
  const status = root.querySelector<HTMLElement>('[data-typo-status]');
  const touch = root.querySelector<HTMLButtonElement>('[data-typo-touch]');
  const articleId = root.dataset.articleId;
  if (!scope || !dialog || !form || !sentence || !comment || !message || !send || !cancel || !articleId) return;
  const revision = Number(scope.closest<HTMLElement>('[data-revision]')?.dataset.revision ?? 1);
  const cancelLabel = cancel.textContent ?? '';
  let picked: Picked | null = null;
  let sending = false;

  /** The selection inside the article text, 'long' past 300 characters, null otherwise. */
  function pick(): Picked | 'long' | null {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    const scope = scopes.find((s) => s.contains(range.commonAncestorContainer));
    if (!scope) return null;
    const fragment = selection.toString().replace(/\s+/g, ' ').trim();
    if (!fragment) return null;
    if (fragment.length > FRAGMENT_MAX) return 'long';
    // Offsets in the text of the article body (the same text nodes a range walks).
    const head = document.createRange();
    head.selectNodeContents(scope);
    head.setEnd(range.startContainer, range.startOffset);
    const text = scope.textContent ?? '';
    const start = head.toString().length;
    const end = start + range.toString().length;
    let from = start;
    while (from > 0 && start - from < SENTENCE_REACH && !/[.!?…]\s*$/.test(text.slice(Math.max(0, from - 2), from))) from--;
    let to = end;
    while (to < text.length && to - end < SENTENCE_REACH && !/[.!?…]/.test(text[to - 1] ?? '')) to++;
    return {
      part: scope.dataset.typoScope || 'body',
      fragment,
      before: text.slice(Math.max(0, start - CONTEXT), start),
      after: text.slice(end, end + CONTEXT),
      sentence: [text.slice(from, start).trimStart(), text.slice(start, end), text.slice(end, to)],
    };
  }

  function open(p: Picked) {
    picked = p;
    const mark = document.createElement('mark');
    mark.textContent = p.sentence[1];
    sentence!.replaceChildren(p.sentence[0], mark, p.sentence[2]);
    comment!.value = '';
    comment!.readOnly = false;
    message!.textContent = '';
    send!.hidden = false;
    send!.disabled = false;
    cancel!.textContent = cancelLabel;
    if (touch) touch.hidden = true;
    dialog!.showModal();
    comment!.focus();
  }

  function tryOpen(): boolean {
    const p = pick();
    if (p === 'long') {
      if (status) status.textContent = root.dataset.tooLong ?? '';
      return true;
    }
    if (!p) return false;
    if (status) status.textContent = '';
    open(p);
    return true;
  }

  async function submit() {
    if (!picked || sending) return;
    sending = true;
    send!.disabled = true;
    message!.textContent = root.dataset.sending ?? '';
    const res = await api<{ message: string }>('POST', `/api/articles/${articleId}/typos`, {
      part: picked.part,
      fragment: picked.fragment,
      before: picked.before,
      after: picked.after,
      comment: comment!.value,
      revision,
    });
    sending = false;
    if (res.ok) {
      message!.textContent = res.data?.message ?? root.dataset.thanks ?? '';
      send!.hidden = true;
      comment!.readOnly = true;
      cancel!.textContent = cancel!.dataset.closeLabel ?? cancelLabel;
      cancel!.focus();
      picked = null;
    } else {
      send!.disabled = false;
      message!.textContent = res.error ?? root.dataset.failed ?? '';
    }
  }

  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
    if (dialog.open) {
      // Ctrl+Enter in the dialog sends, as in most messengers.
      event.preventDefault();
      void submit();
      return;
    }
    if (tryOpen()) event.preventDefault();
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submit();
  });
  cancel.addEventListener('click', () => dialog.close());
  // The close event is queued, not fired by close(): a Ctrl+Enter that reopens the
  // dialog can run before it (Chromium lets input jump the task queue), and must keep
  // the fragment it just picked.
  dialog.addEventListener('close', () => {
    if (!dialog.open) picked = null;
  });

  // Touch screens have no Ctrl+Enter: a button appears by the selection.
  if (touch && (window.matchMedia('(pointer: coarse)').matches || navigator.maxTouchPoints > 0)) {
    document.body.append(touch);
    let pending: Picked | null = null;
    document.addEventListener('selectionchange', () => {
      const p = pick();
      pending = p && p !== 'long' ? p : null;
      const selection = window.getSelection();
      if (!pending || !selection || selection.rangeCount === 0) {
        touch.hidden = true;
        return;
      }
      const rect = selection.getRangeAt(0).getBoundingClientRect();
      touch.style.top = `${Math.round(rect.bottom + window.scrollY + 8)}px`;
      touch.style.left = `${Math.round(Math.max(8, rect.left + window.scrollX))}px`;
      touch.hidden = false;
    });
    // Keep the selection when the finger lands on the button.
    touch.addEventListener('pointerdown', (event) => event.preventDefault());
    touch.addEventListener('click', () => {
      if (pending) open(pending);
    });
  }
}
