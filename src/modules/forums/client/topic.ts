// The topic page's island (section[data-island="forum-topic"]). The page is the same
// HTML for every reader (page-cached); this adds what differs per reader — the
// `forum` part of the page's one reader-state call (`topic=`), later polled from
// GET /api/forum/topics/:id/state — and the page's behaviour:
//  - my posts' «Изменить», posts of members I hid, «К первому непрочитанному», my
//    notification level, the moderators' forms, who may reply (a guest: a sign-in link);
//  - read progress as the reader scrolls, to POST /read at most every 5 s and with
//    keepalive when the page is left or hidden;
//  - «Цитировать»: a selection inside a post, or the whole post, into the reply box;
//  - likes through the reactions API, reports through the moderation API, the reply
//    through the JSON API;
//  - «ещё N новых»: the state again every 30 s while the page is visible.
// Every text comes from the page (data-labels, rendered from i18n); everything a
// member wrote goes into the DOM as text, never as HTML.
import { api, csrfToken } from '../../../web/client/api.js';
import { el } from '../../../web/client/dom.js';
import { draftStore } from '../../../web/client/drafts.js';
import { addReaderStateParam, readerState } from '../../../web/client/reader-state.js';
import { postPlainText, quoteOf } from './quote.js';

interface TopicState {
  signedIn: boolean;
  csrfToken: string;
  lastRead: number;
  level: number;
  lastNumber: number;
  canReply: boolean;
  canModerate: boolean;
  editable: number[];
  /** The posts of this page I like. */
  liked: number[];
  blocked: number[];
  boards: { id: number; title: string }[];
}

interface Labels {
  [key: string]: unknown;
  reasons: Record<string, string>;
  newPosts: Record<string, string> & { other: string };
}

interface ReactionState {
  counts: { LIKE: number };
  mine: string | null;
}

const POSTS_PER_PAGE = 20; // reading.ts: post N is on page ⌈N/20⌉
const READ_EVERY_MS = 5_000;
const POLL_EVERY_MS = 30_000;
const MAX_READ_MS = 3_600_000; // the read route's maximum

// The page's one reader-state call asks for this topic's part (registered as the
// bundle loads, before any island starts).
addReaderStateParam('topic', () => document.querySelector<HTMLElement>('[data-island="forum-topic"]')?.dataset.topic ?? null);
// Which page: my likes among its posts come with the state.
addReaderStateParam('page', () => document.querySelector<HTMLElement>('[data-island="forum-topic"]')?.dataset.page ?? null);

export async function startForumTopic(root: HTMLElement): Promise<void> {
  const topicId = Number(root.dataset.topic);
  const page = Number(root.dataset.page) || 1;
  const shownLast = Number(root.dataset.last) || 0;
  const path = root.dataset.path ?? location.pathname;
  const labels = JSON.parse(root.dataset.labels ?? '{}') as Labels;
  const t = (key: string) => String(labels[key] ?? key);
  const openedAt = Date.now();
  const form = root.querySelector<HTMLFormElement>('form[data-forum-reply]');
  const textarea = form?.querySelector<HTMLTextAreaElement>('textarea[name=body]') ?? null;
  const posts = () => [...root.querySelectorAll<HTMLElement>('article.forum-post[data-post]')];
  const pageOf = (n: number) => Math.max(1, Math.ceil(n / POSTS_PER_PAGE));
  const postHref = (n: number) => (pageOf(n) === page ? `#post-${n}` : `${path}${pageOf(n) > 1 ? `?page=${pageOf(n)}` : ''}#post-${n}`);

  // ---------- what needs no state: quoting, likes, reports, the reply ----------
  const draft = draftStore(`gorod:forum-draft:${topicId}`);
  if (textarea && !textarea.value) textarea.value = draft.read();
  textarea?.addEventListener('input', () => draft.write(textarea.value));
  const quoting = startQuoting(root, textarea, t('quoteSelection'));
  for (const b of root.querySelectorAll<HTMLButtonElement>('button[data-forum-report]')) b.hidden = false;

  root.addEventListener('click', (event) => {
    const target = event.target as HTMLElement;
    const quote = target.closest<HTMLAnchorElement>('a[data-forum-quote]');
    if (quote && quoting.canQuote()) {
      const body = quote.closest('article.forum-post')?.querySelector('.forum-post__body');
      if (!body) return;
      event.preventDefault();
      quoting.insert(Number(quote.dataset.forumQuote), postPlainText(body));
      return;
    }
    const like = target.closest<HTMLButtonElement>('button[data-forum-like]');
    if (like) return void toggleLike(like);
    const report = target.closest<HTMLButtonElement>('button[data-forum-report]');
    if (report) return openReport(report);
  });

  async function toggleLike(button: HTMLButtonElement) {
    if (button.dataset.busy) return;
    button.dataset.busy = '1';
    const id = Number(button.dataset.forumLike);
    const pressed = button.getAttribute('aria-pressed') === 'true';
    const url = `/api/subjects/forum_post/${id}/reaction`;
    const r = pressed ? await api<ReactionState>('DELETE', url) : await api<ReactionState>('PUT', url, { kind: 'LIKE' });
    delete button.dataset.busy;
    const actions = button.closest<HTMLElement>('.forum-post__actions');
    if (!r.data) return say(actions, r.error ?? t('offline'), true);
    button.setAttribute('aria-pressed', String(r.data.mine === 'LIKE'));
    const count = button.querySelector('[data-like-count]');
    if (count) count.textContent = r.data.counts.LIKE ? String(r.data.counts.LIKE) : '';
    say(actions, '');
  }

  function openReport(button: HTMLButtonElement) {
    const actions = button.closest<HTMLElement>('.forum-post__actions');
    const open = actions?.parentElement?.querySelector<HTMLFormElement>('form.forum-report');
    if (open) return void open.querySelector('select')?.focus();
    const id = Number(button.dataset.forumReport);
    const select = el('select', { name: 'reason' }, ...Object.entries(labels.reasons ?? {}).map(([value, label]) => el('option', { value }, label)));
    const text = el('input', { type: 'text', name: 'text', maxLength: 500, placeholder: t('reportText') });
    text.setAttribute('aria-label', t('reportText'));
    const send = el('button', { type: 'submit', className: 'button button--secondary' }, t('reportSend'));
    const cancel = el('button', { type: 'button', className: 'link-button' }, t('cancel'));
    const status = el('p', { className: 'forum-report__status', role: 'status' });
    const box = el('form', { className: 'forum-report' }, el('label', {}, t('reportReason'), ' ', select), text, send, cancel, status);
    (actions ?? button).after(box);
    cancel.addEventListener('click', () => box.remove());
    box.addEventListener('submit', async (event) => {
      event.preventDefault();
      send.disabled = true;
      const r = await api<{ id: number }>('POST', '/api/reports', { kind: 'forum_post', id, reason: select.value, ...(text.value.trim() ? { text: text.value.trim() } : {}) });
      send.disabled = false;
      if (!r.ok) {
        status.textContent = r.error ?? t('offline');
        status.classList.add('forum-report__status--error');
        return;
      }
      box.replaceWith(el('p', { className: 'forum-report forum-report--sent', role: 'status' }, t('reported')));
      button.hidden = true;
    });
    select.focus();
  }

  const pictures = replyPictures(form, (text) => formMessage(text, true), t('removeImage'));

  // The reply through the JSON API: a published post is shown by loading its page
  // (the page cache was purged for it), a held one says so here, an error stays in the form.
  form?.addEventListener('submit', async (event) => {
    if (form.dataset.guest) return void event.preventDefault();
    event.preventDefault();
    const submit = form.querySelector<HTMLButtonElement>('button[type=submit]');
    if (submit) submit.disabled = true;
    const r = await api<{ status: string; url: string }>('POST', `/api/forum/topics/${topicId}/posts`, { body: textarea?.value ?? '', images: pictures.ids(), openedAt });
    if (submit) submit.disabled = false;
    if (!r.data) return formMessage(r.error ?? t('offline'), true);
    draft.write('');
    if (r.data.status !== 'published') {
      if (textarea) textarea.value = '';
      return formMessage(t('held'), false);
    }
    const to = new URL(r.data.url, location.href);
    if (to.pathname === location.pathname && to.search === location.search) {
      // Only the #post-N differs: assigning would not load the page again.
      history.replaceState(null, '', to.href);
      location.reload();
    } else location.assign(to.href);
  });

  function formMessage(text: string, error: boolean) {
    if (!form) return;
    let note = form.querySelector<HTMLElement>('[data-forum-reply-message]');
    if (!note) {
      note = el('p', { dataset: { forumReplyMessage: '' } });
      form.querySelector('h2')?.after(note);
    }
    note.className = error ? 'notice notice--error' : 'notice';
    note.setAttribute('role', error ? 'alert' : 'status');
    note.textContent = text;
  }

  // ---------- the reader's state ----------
  const state = ((await readerState())?.forum as TopicState | null | undefined) ?? (await loadState());
  if (!state) return;

  // My posts within their edit window; a moderator may edit every post.
  const editable = new Set(state.editable);
  for (const own of root.querySelectorAll<HTMLElement>('[data-forum-own]')) {
    if (state.canModerate || editable.has(Number(own.dataset.forumOwn))) own.hidden = false;
  }

  // My likes: pressed buttons, so that pressing one takes the like back.
  const liked = new Set(state.liked ?? []);
  for (const button of root.querySelectorAll<HTMLButtonElement>('button[data-forum-like]')) {
    if (liked.has(Number(button.dataset.forumLike))) button.setAttribute('aria-pressed', 'true');
  }

  const blocked = new Set(state.blocked);
  for (const post of posts()) {
    if (post.dataset.author && blocked.has(Number(post.dataset.author))) hidePost(post);
  }

  if (form && state.canReply && state.signedIn) pictures.start();
  if (form && state.canReply && !state.signedIn) guestForm(form);
  else if (form && !state.canReply) {
    form.hidden = true;
    form.after(el('p', { className: 'notice forum-reply-closed' }, state.signedIn ? t('mayNotReply') : t('signInToReply')));
    quoting.disable();
  }

  if (state.signedIn) {
    showUnread(state);
    showLevel(state);
    trackReading(state);
  }
  if (state.canModerate) showModeration(state);
  showNewPosts(state.lastNumber);
  poll();

  async function loadState(): Promise<TopicState | null> {
    try {
      const res = await fetch(`/api/forum/topics/${topicId}/state?page=${page}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
      return res.ok ? ((await res.json()) as TopicState) : null;
    } catch {
      return null;
    }
  }

  function hidePost(post: HTMLElement) {
    const parts = [...post.children] as HTMLElement[];
    for (const part of parts) part.hidden = true;
    const show = el('button', { type: 'button', className: 'link-button' }, t('showPost'));
    const line = el('p', { className: 'forum-post__blocked' }, el('span', {}, t('hiddenByBlock')), ' ', show);
    post.classList.add('forum-post--blocked');
    post.prepend(line);
    show.addEventListener('click', () => {
      line.remove();
      post.classList.remove('forum-post--blocked');
      for (const part of parts) part.hidden = false;
    });
  }

  // A guest may write (the draft is kept) but sends by signing in first.
  function guestForm(f: HTMLFormElement) {
    f.dataset.guest = '1';
    const next = `${location.pathname}${location.search}#reply`;
    f.querySelector('button[type=submit]')?.replaceWith(el('a', { className: 'button forum-reply__sign-in', href: `/login?next=${encodeURIComponent(next)}` }, t('signInToReply')));
  }

  function showUnread(s: TopicState) {
    if (s.lastRead <= 0 || s.lastRead >= s.lastNumber) return;
    const first = s.lastRead + 1;
    for (const post of posts()) if (Number(post.dataset.number) > s.lastRead) post.classList.add('forum-post--unread');
    const box = root.querySelector<HTMLElement>('[data-forum-unread]');
    if (!box) return;
    box.replaceChildren(el('a', { href: postHref(first) }, t('firstUnread')));
    box.hidden = false;
  }

  function showLevel(s: TopicState) {
    const box = root.querySelector<HTMLElement>('[data-forum-level]');
    if (!box) return;
    const select = el('select', { name: 'level' }, ...[3, 2, 1, 0].map((n) => el('option', { value: String(n), selected: n === s.level }, t(`level.${n}`))));
    const status = el('span', { className: 'forum-level__status', role: 'status' });
    box.replaceChildren(el('label', {}, t('level'), ' ', select), status);
    box.hidden = false;
    let level = s.level;
    select.addEventListener('change', async () => {
      const wanted = Number(select.value);
      select.disabled = true;
      const r = await api<{ level: number }>('PUT', `/api/forum/topics/${topicId}/level`, { level: wanted });
      select.disabled = false;
      if (r.data) {
        level = r.data.level;
        status.textContent = '✓';
      } else {
        select.value = String(level);
        status.textContent = r.error ?? t('offline');
      }
    });
  }

  function showModeration(s: TopicState) {
    const box = root.querySelector<HTMLElement>('[data-forum-moderate]');
    if (!box) return;
    const action = `/forum/topics/${topicId}/moderate`;
    const postForm = (name: string, label: string, ...fields: Node[]) =>
      el(
        'form',
        { method: 'post', action, className: 'forum-moderate__form' },
        el('input', { type: 'hidden', name: '_csrf', value: s.csrfToken }),
        el('input', { type: 'hidden', name: 'action', value: name }),
        ...fields,
        el('button', { type: 'submit', className: 'button button--secondary' }, label),
      );
    const pinned = root.dataset.pinned === '1';
    const closed = root.dataset.closed === '1';
    const forms = [postForm(pinned ? 'unpin' : 'pin', t(pinned ? 'unpin' : 'pin')), postForm(closed ? 'open' : 'close', t(closed ? 'open' : 'close'))];
    if (s.boards.length) {
      const select = el('select', { name: 'board' }, ...s.boards.map((b) => el('option', { value: String(b.id) }, b.title)));
      select.setAttribute('aria-label', t('moveTo'));
      forms.push(postForm('move', t('move'), el('label', { className: 'forum-moderate__move' }, t('moveTo'), ' ', select)));
    }
    box.replaceChildren(el('h2', {}, t('moderate')), el('div', { className: 'forum-moderate__forms' }, ...forms));
    box.hidden = false;
  }

  // «ещё N новых»: posts written since this page was rendered.
  function showNewPosts(lastNumber: number) {
    const box = root.querySelector<HTMLElement>('[data-forum-new]');
    const link = box?.querySelector<HTMLAnchorElement>('a[data-forum-new-link]');
    if (!box || !link || lastNumber <= shownLast) return;
    const n = lastNumber - shownLast;
    const forms = labels.newPosts ?? { other: '{n}' };
    const rule = new Intl.PluralRules(document.documentElement.lang || 'ru').select(n);
    link.textContent = (forms[rule] ?? forms.other).replace('{n}', String(n));
    // The first new post on its page, loaded anew (a full load even on this page: the cached HTML lacks it).
    const first = shownLast + 1;
    link.href = `${path}?page=${pageOf(first)}#post-${first}`;
    box.hidden = false;
  }

  function poll() {
    let last = Date.now();
    const again = async () => {
      if (document.hidden) return;
      last = Date.now();
      const fresh = await loadState();
      if (fresh) showNewPosts(fresh.lastNumber);
    };
    setInterval(() => void again(), POLL_EVERY_MS);
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && Date.now() - last >= POLL_EVERY_MS) void again();
    });
  }

  // ---------- read progress ----------
  function trackReading(s: TopicState) {
    let seen = 0; // the highest post number whose end came into view
    let sent = s.lastRead;
    let sentMs = 0;
    let visibleMs = 0;
    let visibleSince = document.hidden ? 0 : performance.now();
    let lastSend = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const readMs = () => Math.min(MAX_READ_MS, Math.round(visibleMs + (visibleSince ? performance.now() - visibleSince : 0)));

    const send = (leaving: boolean) => {
      clearTimeout(timer);
      timer = undefined;
      const ms = readMs();
      const number = Math.max(seen, sent);
      if (number < 1 || (seen <= sent && (!leaving || ms - sentMs < READ_EVERY_MS))) return;
      sent = number;
      sentMs = ms;
      lastSend = Date.now();
      const url = `/api/forum/topics/${topicId}/read`;
      // keepalive: the request outlives the page being closed (api() cannot ask for it).
      if (leaving) void fetch(url, { method: 'POST', keepalive: true, credentials: 'same-origin', headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': s.csrfToken }, body: JSON.stringify({ number, readMs: ms }) }).catch(() => {});
      else void api('POST', url, { number, readMs: ms });
    };
    const schedule = () => {
      if (seen <= sent || timer) return;
      const wait = Math.max(0, lastSend + READ_EVERY_MS - Date.now());
      timer = setTimeout(() => send(false), wait);
    };

    // A post counts as read once its end has been on screen: a marker after its last part.
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        const n = Number((entry.target as HTMLElement).dataset.readEnd);
        if (n > seen) seen = n;
        observer.unobserve(entry.target);
      }
      schedule();
    });
    for (const post of posts()) {
      const n = Number(post.dataset.number);
      if (!n || n <= s.lastRead) continue;
      const end = el('span', { className: 'forum-post__end', dataset: { readEnd: String(n) } });
      end.setAttribute('aria-hidden', 'true');
      post.append(end);
      observer.observe(end);
    }
    document.addEventListener('visibilitychange', () => {
      if (document.hidden) {
        if (visibleSince) visibleMs += performance.now() - visibleSince;
        visibleSince = 0;
        send(true);
      } else visibleSince = performance.now();
    });
    addEventListener('pagehide', () => send(true));
  }
}

// ---------- quoting ----------

/** The floating «Цитировать» over a selection in a post, and inserting quotes at the reply box's cursor. */
function startQuoting(root: HTMLElement, textarea: HTMLTextAreaElement | null, label: string) {
  let enabled = !!textarea;
  const button = el('button', { type: 'button', className: 'button forum-quote-button', hidden: true }, label);
  document.body.append(button);
  let picked: { postId: number; text: string } | null = null;

  function insert(postId: number, text: string) {
    if (!textarea || !enabled) return;
    const start = textarea.selectionStart ?? textarea.value.length;
    const end = textarea.selectionEnd ?? start;
    const before = textarea.value.slice(0, start);
    // The opening tag needs a line of its own: a blank line after what is there.
    const lead = !before || before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
    textarea.focus();
    textarea.setRangeText(lead + quoteOf(postId, text), start, end, 'end');
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
    textarea.scrollIntoView({ block: 'nearest' });
  }

  function hide() {
    button.hidden = true;
    picked = null;
  }

  function update() {
    const selection = getSelection();
    if (!enabled || !selection || selection.isCollapsed || selection.rangeCount === 0) return hide();
    const range = selection.getRangeAt(0);
    const bodyOf = (node: Node | null) => (node instanceof Element ? node : node?.parentElement)?.closest<HTMLElement>('.forum-post__body') ?? null;
    const body = bodyOf(range.startContainer);
    const text = selection.toString().trim();
    if (!body || body !== bodyOf(range.endContainer) || !root.contains(body) || !text) return hide();
    picked = { postId: Number(body.dataset.quoteSource), text };
    const rect = range.getBoundingClientRect();
    button.hidden = false;
    // Under the selection: above it a phone shows its own menu.
    const width = button.offsetWidth;
    const left = Math.min(Math.max(8, rect.left + rect.width / 2 - width / 2), document.documentElement.clientWidth - width - 8);
    button.style.left = `${Math.round(left + scrollX)}px`;
    button.style.top = `${Math.round(rect.bottom + scrollY + 8)}px`;
  }

  let pending: ReturnType<typeof setTimeout> | undefined;
  document.addEventListener('selectionchange', () => {
    clearTimeout(pending);
    pending = setTimeout(update, 120);
  });
  // Pressing the button must not clear the selection before the click.
  button.addEventListener('pointerdown', (event) => event.preventDefault());
  button.addEventListener('mousedown', (event) => event.preventDefault());
  button.addEventListener('click', () => {
    if (!picked) return;
    const { postId, text } = picked;
    hide();
    insert(postId, text);
  });

  return {
    insert,
    canQuote: () => enabled,
    disable() {
      enabled = false;
      hide();
    },
  };
}

/** A short line under a post's actions (a like that failed); empty text removes it. */
function say(actions: HTMLElement | null, text: string, error = false) {
  if (!actions) return;
  let line = actions.querySelector<HTMLElement>('.forum-post__status');
  if (!text) return void line?.remove();
  if (!line) {
    line = el('span', { className: 'forum-post__status', role: 'status' });
    actions.append(line);
  }
  line.classList.toggle('forum-post__status--error', error);
  line.textContent = text;
}

/**
 * Pictures for the reply (at most four): each file goes to /api/forum/images as it
 * is chosen (the media module re-encodes it, so its EXIF goes), and the reply names
 * the ids. Shown to a signed-in reader who may reply; without the island a reply
 * has no pictures.
 */
function replyPictures(form: HTMLFormElement | null, fail: (message: string) => void, removeLabel: string) {
  const box = form?.querySelector<HTMLElement>('[data-forum-images]');
  const input = box?.querySelector<HTMLInputElement>('[data-forum-image-input]');
  const list = box?.querySelector<HTMLElement>('[data-forum-image-list]');
  const chosen: number[] = [];
  const MAX = 4;

  async function upload(file: File) {
    const body = new FormData();
    body.append('file', file);
    const res = await fetch('/api/forum/images', { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json', 'x-csrf-token': await csrfToken() }, body }).catch(() => null);
    const json = (await res?.json().catch(() => null)) as { id?: number; url?: string; error?: { message?: string } } | null;
    if (!res?.ok || !json?.id) return fail(json?.error?.message ?? '');
    const id = json.id;
    chosen.push(id);
    const remove = el('button', { type: 'button', className: 'forum-reply__remove' }, '×');
    remove.setAttribute('aria-label', removeLabel);
    const item = el('li', {}, el('img', { src: json.url ?? '', alt: '', width: 96, height: 72 }), remove);
    remove.addEventListener('click', () => {
      chosen.splice(chosen.indexOf(id), 1);
      item.remove();
    });
    list?.append(item);
  }

  return {
    start() {
      if (!box || !input) return;
      box.hidden = false;
      input.addEventListener('change', async () => {
        for (const file of [...(input.files ?? [])].slice(0, Math.max(0, MAX - chosen.length))) await upload(file);
        input.value = '';
      });
    },
    ids: () => [...chosen],
  };
}
