// The comments island. The cached page already shows the heading, the first page
// of the thread and a plain form; after load this asks who the reader is (may they
// comment, their votes, their own comments), adds the buttons that depend on it,
// and sends the form, votes, edits and complaints to the JSON API. Threads for
// another sort, the next page or after the reader's own change are fetched as
// server-rendered HTML from an uncached route, so the markup has one source.

import { articlePart } from '../../../web/client/reader-state.js';
import { el } from '../../../web/client/dom.js';
import { draftStore } from '../../../web/client/drafts.js';

interface ReaderState {
  user: { id: number; displayName: string } | null;
  mode: 'members' | 'guests' | 'closed';
  canComment: boolean;
  ban: { message: string } | null;
  csrfToken: string;
  votes: Record<string, number>;
  mine: { id: number; status: string; editableUntil: string }[];
}

type Labels = Record<string, string>;

async function call<T>(method: string, url: string, token: string, body?: unknown): Promise<{ ok: boolean; status: number; data: T | null; error: string }> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-csrf-token': token };
  if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(url, { method, credentials: 'same-origin', headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
    return { ok: res.ok, status: res.status, data: res.ok ? json : null, error: res.ok ? '' : (json?.error?.message ?? `HTTP ${res.status}`) };
  } catch {
    return { ok: false, status: 0, data: null, error: 'Нет связи с сервером' };
  }
}

/** Our own server-rendered, escaped HTML into nodes (a template never runs scripts). */
function fragment(html: string): DocumentFragment {
  const t = document.createElement('template');
  t.innerHTML = html;
  return t.content;
}

export async function startComments(root: HTMLElement): Promise<void> {
  const articleId = Number(root.dataset.articleId);
  const labels = JSON.parse(root.dataset.labels ?? '{}') as Labels;
  const form = root.querySelector<HTMLFormElement>('form.comment-form');
  // Where the form lives when it is not under a comment being answered.
  const formHome = document.createComment('comment-form');
  const status = form?.querySelector<HTMLElement>('.comment-form__status') ?? null;
  let sort = root.querySelector<HTMLElement>('.comments__thread')?.dataset.sort ?? 'new';
  const draft = draftStore(`gorod:comment-draft:${articleId}`);
  const textarea = form?.querySelector<HTMLTextAreaElement>('textarea[name=body]') ?? null;
  if (textarea && !textarea.value) textarea.value = draft.read();
  textarea?.addEventListener('input', () => draft.write(textarea.value));

  // From the page's one reader-state call; comments of another article ask for their own.
  const found = (await articlePart<ReaderState>('comments', articleId)) ?? (await ownState(articleId));
  if (!found) return;
  // Typed, not narrowed: the handlers below are hoisted functions, which see no narrowing.
  const state: ReaderState = found;
  const mine = new Map(state.mine.map((m) => [m.id, Date.parse(m.editableUntil)]));

  // ---------- who may comment ----------
  if (state.user) root.querySelector('.comments__members')?.remove();
  if (form && !state.canComment) {
    if (state.ban) form.replaceWith(el('p', { className: 'notice notice--error', role: 'alert', textContent: state.ban.message }));
    else if (!state.user && state.mode === 'members' && form.dataset.signIn) guestForm(form, form.dataset.signIn);
    else form.hidden = true;
  }

  // A guest may write (the draft is kept) but sends by signing in: no «Отправить»
  // that could only answer 401.
  function guestForm(f: HTMLFormElement, signIn: string) {
    const submit = f.querySelector<HTMLButtonElement>('button[type=submit]');
    submit?.replaceWith(el('a', { className: 'button comment-form__sign-in', href: signIn }, labels.signInToSend!));
    f.dataset.guest = '1';
  }

  const say = (text: string, error = false) => {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle('comment-form__status--error', error);
  };

  // ---------- the thread ----------
  async function loadThread(page = 1): Promise<HTMLElement | null> {
    const r = await fetch(`/comments/${articleId}/thread?sort=${sort}&page=${page}`, { credentials: 'same-origin' });
    if (!r.ok) return null;
    return fragment(await r.text()).querySelector<HTMLElement>('.comments__thread');
  }

  function setHeading(thread: HTMLElement) {
    const count = root.querySelector('.comments__count');
    if (count && thread.dataset.heading) count.textContent = thread.dataset.heading;
    if (Number(thread.dataset.count) > 0) root.querySelector('.comments__empty')?.remove();
  }

  async function reload(focusId?: number) {
    const fresh = await loadThread(1);
    const current = root.querySelector('.comments__thread');
    if (!fresh || !current) return;
    putFormBack();
    current.replaceWith(fresh);
    setHeading(fresh);
    decorate(fresh);
    if (focusId) document.getElementById(`comment-${focusId}`)?.scrollIntoView({ block: 'center' });
  }

  // ---------- per-reader buttons ----------
  function decorate(scope: ParentNode) {
    for (const li of scope.querySelectorAll<HTMLElement>('li.comment')) {
      const id = Number(li.dataset.commentId);
      const actions = li.querySelector<HTMLElement>(':scope > .comment__card > .comment__actions');
      if (!actions || actions.dataset.ready) continue;
      actions.dataset.ready = '1';
      const score = actions.querySelector<HTMLElement>('.comment__score');
      const up = Number(score?.dataset.up ?? 0);
      const down = Number(score?.dataset.down ?? 0);
      const own = mine.has(id);
      actions.textContent = '';
      const voteUp = el('button', { type: 'button', className: 'comment__vote comment__vote--up', title: labels.voteUp, disabled: own, dataset: { vote: '1' } }, `▲ ${up}`);
      const voteDown = el('button', { type: 'button', className: 'comment__vote comment__vote--down', title: labels.voteDown, disabled: own, dataset: { vote: '-1' } }, `▼ ${down}`);
      voteUp.setAttribute('aria-label', `${labels.voteUp}: ${up}`);
      voteDown.setAttribute('aria-label', `${labels.voteDown}: ${down}`);
      const my = state.votes[id] ?? 0;
      voteUp.setAttribute('aria-pressed', String(my === 1));
      voteDown.setAttribute('aria-pressed', String(my === -1));
      actions.append(voteUp, voteDown);
      if (state.canComment) actions.append(el('button', { type: 'button', className: 'link-button', dataset: { action: 'reply' } }, labels.reply!));
      if (own && Date.now() < mine.get(id)!) actions.append(el('button', { type: 'button', className: 'link-button', dataset: { action: 'edit' } }, labels.edit!));
      if (own) actions.append(el('button', { type: 'button', className: 'link-button', dataset: { action: 'delete' } }, labels.delete!));
      if (!own) actions.append(el('button', { type: 'button', className: 'link-button', dataset: { action: 'complain' } }, labels.complain!));
    }
  }

  function putFormBack() {
    if (!form || !formHome.parentNode) return;
    formHome.replaceWith(form);
    form.querySelector<HTMLInputElement>('input[name=parentId]')!.value = '';
    form.querySelector('[data-cancel-reply]')?.remove();
  }

  async function vote(button: HTMLButtonElement, li: HTMLElement) {
    const id = Number(li.dataset.commentId);
    const pressed = button.getAttribute('aria-pressed') === 'true';
    const value = pressed ? 0 : Number(button.dataset.vote);
    const r = await call<{ up: number; down: number; mine: number }>('PUT', `/api/comments/${id}/vote`, state.csrfToken, { value });
    if (!r.data) return alert(r.error);
    state.votes[id] = r.data.mine;
    const [upB, downB] = [li.querySelector<HTMLButtonElement>('.comment__vote--up')!, li.querySelector<HTMLButtonElement>('.comment__vote--down')!];
    upB.textContent = `▲ ${r.data.up}`;
    downB.textContent = `▼ ${r.data.down}`;
    upB.setAttribute('aria-pressed', String(r.data.mine === 1));
    downB.setAttribute('aria-pressed', String(r.data.mine === -1));
  }

  function reply(li: HTMLElement) {
    if (!form) return;
    form.querySelector<HTMLInputElement>('input[name=parentId]')!.value = li.dataset.commentId!;
    if (!formHome.parentNode) form.replaceWith(formHome);
    li.querySelector(':scope > .comment__card')!.after(form);
    if (!form.querySelector('[data-cancel-reply]')) {
      const cancel = el('button', { type: 'button', className: 'button button--secondary', dataset: { cancelReply: '1' } }, labels.cancel!);
      cancel.addEventListener('click', putFormBack);
      form.append(cancel);
    }
    form.querySelector('textarea')?.focus();
  }

  function edit(li: HTMLElement) {
    const id = Number(li.dataset.commentId);
    const body = li.querySelector<HTMLElement>(':scope > .comment__card > .comment__body');
    if (!body || li.querySelector('.comment__editor')) return;
    // The text as typed: paragraphs and line breaks back from the rendered markup.
    const text = [...body.querySelectorAll('p')].map((p) => p.innerText).join('\n\n');
    const area = el('textarea', { value: text, rows: 4, maxLength: 2000 });
    const error = el('p', { className: 'comment-form__status comment-form__status--error', role: 'alert' });
    const save = el('button', { type: 'button', className: 'button' }, labels.save!);
    const cancel = el('button', { type: 'button', className: 'button button--secondary' }, labels.cancel!);
    const editor = el('div', { className: 'comment__editor' }, area, error, save, ' ', cancel);
    body.hidden = true;
    body.after(editor);
    cancel.addEventListener('click', () => {
      editor.remove();
      body.hidden = false;
    });
    save.addEventListener('click', async () => {
      const r = await call<{ status: string }>('PATCH', `/api/comments/${id}`, state.csrfToken, { body: area.value });
      if (!r.ok) return void (error.textContent = r.error);
      if (r.data?.status === 'held') say(labels.held!);
      await reload(id);
    });
    area.focus();
  }

  async function remove(li: HTMLElement) {
    if (!confirm(labels.deleteConfirm)) return;
    const r = await call('DELETE', `/api/comments/${li.dataset.commentId}`, state.csrfToken);
    if (!r.ok) return alert(r.error);
    await reload();
  }

  function complain(li: HTMLElement, button: HTMLButtonElement) {
    if (li.querySelector('.comment__complaint')) return;
    const select = el('select', { name: 'reason' }, ...['spam', 'abuse', 'offtopic', 'other'].map((r) => el('option', { value: r }, labels[`reason.${r}`]!)));
    const send = el('button', { type: 'button', className: 'button button--secondary' }, labels.complain!);
    const box = el('div', { className: 'comment__complaint' }, select, ' ', send);
    button.parentElement!.after(box);
    send.addEventListener('click', async () => {
      const r = await call('POST', `/api/comments/${li.dataset.commentId}/complaints`, state.csrfToken, { reason: select.value });
      box.replaceChildren(el('span', { role: 'status' }, r.ok ? labels.complained! : r.error));
      button.remove();
    });
    select.focus();
  }

  // ---------- events ----------
  root.addEventListener('click', async (event) => {
    const target = event.target as HTMLElement;
    const sortLink = target.closest<HTMLAnchorElement>('a[data-sort]');
    if (sortLink) {
      event.preventDefault();
      sort = sortLink.dataset.sort!;
      for (const a of root.querySelectorAll('a[data-sort]')) a.toggleAttribute('aria-current', a === sortLink);
      sortLink.setAttribute('aria-current', 'true');
      return reload();
    }
    const more = target.closest<HTMLAnchorElement>('a[data-more]');
    if (more) {
      event.preventDefault();
      const thread = root.querySelector<HTMLElement>('.comments__thread')!;
      const page = Number(thread.dataset.page ?? 1) + 1;
      const next = await loadThread(page);
      if (!next) return;
      const list = thread.querySelector('.comments__list');
      const items = next.querySelector('.comments__list');
      if (list && items) list.append(...items.children);
      thread.dataset.page = String(page);
      more.replaceWith(...[...next.querySelectorAll('a[data-more]')]);
      decorate(thread);
      return;
    }
    const button = target.closest<HTMLButtonElement>('button');
    const li = button?.closest<HTMLElement>('li.comment');
    if (!button || !li) return;
    if (button.dataset.vote) return vote(button, li);
    if (button.dataset.action === 'reply') return reply(li);
    if (button.dataset.action === 'edit') return edit(li);
    if (button.dataset.action === 'delete') return remove(li);
    if (button.dataset.action === 'complain') return complain(li, button);
  });

  form?.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (form.dataset.guest) return location.assign(form.dataset.signIn!);
    const data = new FormData(form);
    const parentId = Number(data.get('parentId')) || null;
    const submit = form.querySelector<HTMLButtonElement>('button[type=submit]');
    if (submit) submit.disabled = true;
    say('');
    const r = await call<{ id: number; status: string }>('POST', '/api/comments', state.csrfToken, {
      articleId,
      parentId,
      body: String(data.get('body') ?? ''),
      ...(data.has('guestName') ? { guestName: String(data.get('guestName')) } : {}),
    });
    if (submit) submit.disabled = false;
    if (!r.data) return say(r.error, true);
    form.querySelector('textarea')!.value = '';
    draft.write('');
    mine.set(r.data.id, Date.now() + 15 * 60_000);
    if (r.data.status === 'approved') {
      await reload(r.data.id);
      say(labels.posted!);
    } else {
      putFormBack();
      say(labels.held!);
    }
  });

  decorate(root);
}

async function ownState(articleId: number): Promise<ReaderState | null> {
  const res = await fetch(`/api/articles/${articleId}/comments/me`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  return res.ok ? ((await res.json()) as ReaderState) : null;
}
