// The islands of messages. `messages-thread`: the open thread gets new messages
// as they come — the reader's event stream (/me/messages/stream) ticks, the island
// asks /api/messages/<id>?after=<last> and appends them (text as text, never HTML),
// marks them read and moves «Прочитано»; the form sends without a reload and asks
// «Вы уверены?» when the server does (409 `message.confirm`). `messages-inbox`: on a
// tick, the unread count is asked again and a «refresh» link shown. Without
// JavaScript, or without a stream, the pages work by their forms and links.
import { api } from '../../../web/client/api.js';
import { el } from '../../../web/client/dom.js';

interface MessageJson {
  id: number;
  mine: boolean;
  text: string;
  senderName: string;
  memberName: string | null;
  flagged: boolean;
  erased: boolean;
  read: boolean;
  at: string;
  /** The moment written by the server, as on the page. */
  when: string;
}
interface ThreadJson {
  otherReadId: number;
  messages: MessageJson[];
}
interface Labels {
  report: string;
  flagged: string;
  read: string;
  erased: string;
  deletedUser: string;
  formerMember: string;
  confirm: string;
  sending: string;
  fresh: string;
}

/** One stream per page, shared by the islands on it. */
let source: EventSource | null = null;
const listeners: (() => void)[] = [];
function onTick(fn: () => void) {
  listeners.push(fn);
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource('/me/messages/stream');
  let first = true;
  source.onmessage = () => {
    // The first tick only says the stream is open.
    if (first) {
      first = false;
      return;
    }
    for (const l of listeners) l();
  };
}

const labelsOf = (root: HTMLElement): Labels => JSON.parse(root.dataset.labels ?? '{}') as Labels;

export function startMessagesThread(root: HTMLElement) {
  const id = Number(root.dataset.conversation);
  const party = root.dataset.party ?? '';
  const as = party.startsWith('o:') ? party : null;
  let last = Number(root.dataset.last ?? 0);
  const list = root.querySelector<HTMLOListElement>('.messages-list')!;
  const form = root.querySelector<HTMLFormElement>('form[data-messages-form]');
  const csrf = form?.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? '';
  const labels = labelsOf(root);
  let busy = false;
  let again = false;

  const item = (m: MessageJson) => {
    const who = el('p', { className: 'message__who' }, el('span', { className: 'message__sender' }, m.senderName || labels.deletedUser));
    if (m.memberName !== null) who.append(el('span', { className: 'message__member' }, ` · ${m.memberName || labels.formerMember}`));
    who.append(' · ', el('time', { dateTime: m.at }, m.when));
    const li = el('li', { className: `message${m.mine ? ' message--mine' : ''}${m.flagged ? ' message--flagged' : ''}`, id: `m-${m.id}`, dataset: { messageId: String(m.id) } }, who);
    li.append(m.erased ? el('p', { className: 'message__text message__text--erased' }, labels.erased) : el('p', { className: 'message__text' }, m.text));
    if (m.flagged && !m.mine && !m.erased) li.append(el('p', { className: 'message__flag' }, labels.flagged));
    if (!m.mine && !m.erased) {
      const report = el('form', { className: 'message__report', method: 'post', action: '/me/messages/report' });
      report.append(el('input', { type: 'hidden', name: '_csrf', value: csrf }), el('input', { type: 'hidden', name: 'message', value: String(m.id) }), el('input', { type: 'hidden', name: 'reason', value: 'abuse' }));
      report.append(el('button', { className: m.flagged ? 'button button--secondary' : 'link-button', type: 'submit' }, labels.report));
      li.append(report);
    }
    return li;
  };

  /** «Прочитано» under the newest of my messages the other side has read. */
  const markRead = (readId: number) => {
    for (const p of list.querySelectorAll('.message__read')) p.remove();
    const mine = [...list.querySelectorAll<HTMLElement>('.message--mine')].filter((li) => Number(li.dataset.messageId) <= readId);
    mine.at(-1)?.append(el('p', { className: 'message__read' }, labels.read));
  };

  async function refresh() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      const res = await api<ThreadJson>('GET', `/api/messages/${id}?after=${last}${as ? `&as=${as}` : ''}`);
      if (!res.ok || !res.data) return;
      for (const m of res.data.messages) {
        if (document.getElementById(`m-${m.id}`)) continue;
        list.append(item(m));
        last = Math.max(last, m.id);
      }
      markRead(res.data.otherReadId);
      if (res.data.messages.some((m) => !m.mine) && !document.hidden) await api('POST', `/api/messages/${id}/read`, { upTo: last, ...(as ? { as } : {}) });
      if (res.data.messages.length) list.lastElementChild?.scrollIntoView({ block: 'nearest' });
    } finally {
      busy = false;
      if (again) {
        again = false;
        void refresh();
      }
    }
  }

  onTick(() => void refresh());
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) void refresh();
  });

  if (!form) return;
  const text = form.querySelector<HTMLTextAreaElement>('textarea[name="text"]')!;
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]')!;
  let error = root.querySelector<HTMLElement>('.messages-form__error');
  const showError = (message: string | null) => {
    if (!message) return error?.remove();
    if (!error) {
      error = el('p', { className: 'notice notice--error messages-form__error', role: 'alert' });
      form.prepend(error);
    }
    error.textContent = message;
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!text.value.trim()) return showError(null);
    button.disabled = true;
    const label = button.textContent;
    button.textContent = labels.sending;
    try {
      const send = (confirmed: boolean) => api<{ messageId: number }>('POST', `/api/messages/${id}`, { text: text.value, confirmed, ...(as ? { as } : {}) });
      let res = await send(false);
      if (res.status === 409 && window.confirm(labels.confirm)) res = await send(true);
      else if (res.status === 409) return;
      if (!res.ok) return showError(res.error ?? '');
      showError(null);
      text.value = '';
      await refresh();
    } finally {
      button.disabled = false;
      button.textContent = label;
    }
  });
  // Ctrl/⌘+Enter sends.
  text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) form.requestSubmit();
  });
}

export function startMessagesInbox(root: HTMLElement) {
  const total = root.querySelector<HTMLElement>('[data-messages-unread]');
  const labels = labelsOf(root);
  let shown = Number(total?.dataset.messagesUnread ?? 0);
  onTick(async () => {
    const res = await api<{ unread: number }>('GET', '/api/messages/unread');
    if (!res.ok || !res.data || res.data.unread === shown) return;
    shown = res.data.unread;
    if (!root.querySelector('.messages-inbox__fresh')) root.prepend(el('p', { className: 'notice messages-inbox__fresh' }, el('a', { href: location.pathname + location.search }, labels.fresh)));
  });
}
