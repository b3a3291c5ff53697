// The article editor island: Editor.js for the body, the page's form for the other
// fields. Every change marks the article dirty; a save runs a few seconds later
// (and on «Сохранить»), sent with the revision it was based on. A 409 means
// someone else saved meanwhile: autosave stops and the text stays on screen.
import EditorJS, { type OutputData } from 'editorjs:core';
import Header from 'editorjs:header';
import List from 'editorjs:list';
import Quote from 'editorjs:quote';
import Embed from 'editorjs:embed';
import Delimiter from 'editorjs:delimiter';
import { EMBED_SERVICES, csrfCookie, editorMessages, imageConfig, listTool, quoteTool, uploadImage } from '../../../web/client/editorjs-settings.js';
import { imageWithCredit } from '../../../web/client/image-credit.js';

interface Data {
  id: number;
  revision: number;
  body: OutputData;
  labels: Record<'saving' | 'saved' | 'dirty' | 'conflict' | 'error' | 'uploading' | 'confirmDelete' | 'typoMissing', string>;
  ed: Record<string, string>;
  maxUploadBytes: number;
  locale: string;
  /** Opened from the typo queue: the reported fragment and the text around it. */
  typo: { id: number; fragment: string; before: string; after: string } | null;
}

const AUTOSAVE_MS = 3000;
const data = JSON.parse(document.getElementById('newsroom-data')!.textContent!) as Data;
const form = document.getElementById('article-form') as HTMLFormElement;
const stateEl = document.getElementById('save-state')!;
const ed = data.ed;
let revision = data.revision;
let dirty = false;
let saving: Promise<boolean> | null = null;
let conflicted = false;

function setState(text: string, kind: 'ok' | 'busy' | 'error' | 'dirty') {
  stateEl.textContent = text;
  stateEl.dataset.state = kind;
}

async function api(method: string, url: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: { accept: 'application/json', 'x-csrf-token': csrfCookie(), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const json = await res.json().catch(() => ({}));
  return { status: res.status, json };
}

/** Uploads one image; a 413/415 comes back as the server's Russian message, shown in the status line. */
async function upload(file: Blob): Promise<{ url: string; imageId: number }> {
  setState(data.labels.uploading, 'busy');
  try {
    const uploaded = await uploadImage(file);
    setState(dirty ? data.labels.dirty : '', dirty ? 'dirty' : 'ok');
    return uploaded;
  } catch (err) {
    setState(data.labels.error.replace('{message}', (err as Error).message), 'error');
    throw err;
  }
}

const editor = new EditorJS({
  holder: 'editor',
  data: data.body?.blocks ? { blocks: data.body.blocks } : undefined,
  autofocus: false,
  placeholder: ed.text,
  inlineToolbar: ['bold', 'italic', 'link'],
  tools: {
    header: { class: Header as never, inlineToolbar: ['bold', 'italic', 'link'], shortcut: 'CMD+SHIFT+H', config: { levels: [2, 3, 4], defaultLevel: 2, placeholder: ed.heading } },
    list: listTool(List, { shortcut: 'CMD+SHIFT+L' }),
    quote: quoteTool(Quote, ed, { shortcut: 'CMD+SHIFT+O' }),
    image: { class: imageWithCredit(ed.credit!, markDirty) as never, shortcut: 'CMD+SHIFT+I', config: imageConfig(ed, upload) },
    embed: { class: Embed as never, config: { services: EMBED_SERVICES } },
    delimiter: Delimiter as never,
  },
  i18n: editorMessages(ed, { Heading: ed.heading, List: ed.list, Delimiter: ed.delimiter }, { Checklist: ed.listChecklist, 'Start with': ed.listStart, 'Counter type': ed.listCounter }),
  onChange: () => markDirty(),
});

// ---------- a typo from the queue ----------

// As the typo module matches a reader's selection (typos/text.ts): whitespace and
// invisible characters never count, so block breaks and &nbsp; do not get in the way.
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff\s]/;
const squash = (text: string) => [...text].filter((c) => !INVISIBLE.test(c)).join('');
const HINT_CHARS = 40;

/** The reported fragment in the blocks as a Range: the occurrence whose neighbours best match the report's context. */
function findFragment(typo: NonNullable<Data['typo']>): Range | null {
  let text = '';
  const at: { node: Text; offset: number }[] = [];
  for (const block of document.querySelectorAll<HTMLElement>('#editor .ce-block')) {
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      for (let i = 0; i < node.data.length; i++) {
        if (INVISIBLE.test(node.data[i]!)) continue;
        text += node.data[i];
        at.push({ node, offset: i });
      }
    }
  }
  const wanted = squash(typo.fragment);
  if (!wanted) return null;
  const before = squash(typo.before).slice(-HINT_CHARS);
  const after = squash(typo.after).slice(0, HINT_CHARS);
  let best = -1;
  let bestScore = -1;
  for (let i = text.indexOf(wanted); i !== -1; i = text.indexOf(wanted, i + 1)) {
    const prev = text.slice(Math.max(0, i - HINT_CHARS), i);
    const next = text.slice(i + wanted.length, i + wanted.length + HINT_CHARS);
    let score = 0;
    while (score < prev.length && score < before.length && prev[prev.length - 1 - score] === before[before.length - 1 - score]) score++;
    for (let k = 0; k < next.length && k < after.length && next[k] === after[k]; k++) score++;
    if (score > bestScore) [best, bestScore] = [i, score];
  }
  if (best === -1) return null;
  const range = document.createRange();
  range.setStart(at[best]!.node, at[best]!.offset);
  const last = at[best + wanted.length - 1]!;
  range.setEnd(last.node, last.offset + 1);
  return range;
}

/**
 * Highlights the fragment and scrolls it to the middle of the screen. The CSS
 * Custom Highlight API paints it without touching the blocks' DOM, so Editor.js
 * sees no change and nothing is autosaved; without it, the fragment is selected.
 */
function showTypo(typo: NonNullable<Data['typo']>) {
  const range = findFragment(typo);
  if (!range) {
    const missing = document.createElement('span');
    missing.className = 'typo-notice__missing';
    missing.textContent = ` ${data.labels.typoMissing}`;
    document.getElementById(`typo-${typo.id}`)?.append(missing);
    return;
  }
  if (typeof CSS !== 'undefined' && 'highlights' in CSS) CSS.highlights.set('typo', new Highlight(range));
  else getSelection()?.addRange(range);
  const rect = range.getBoundingClientRect();
  window.scrollTo({ top: window.scrollY + rect.top - window.innerHeight / 2 + rect.height / 2 });
}

if (data.typo) {
  const typo = data.typo;
  void editor.isReady.then(() => showTypo(typo));
}

function markDirty() {
  if (conflicted) return;
  dirty = true;
  setState(data.labels.dirty, 'dirty');
}

function relatedIds(): number[] {
  return [...document.querySelectorAll<HTMLElement>('#related-list li')].map((li) => Number(li.dataset.id));
}

function fields() {
  const f = new FormData(form);
  const id = (name: string) => {
    const v = String(f.get(name) ?? '').trim();
    return v ? Number(v) : null;
  };
  return {
    title: String(f.get('title') ?? ''),
    lead: String(f.get('lead') ?? ''),
    type: String(f.get('type') ?? 'news'),
    sectionId: Number(f.get('sectionId')),
    storyId: id('storyId'),
    authorIds: f.getAll('authorIds').map(Number),
    tags: String(f.get('tags') ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    relatedIds: relatedIds(),
    coverImageId: id('coverImageId'),
    coverCaption: String(f.get('coverCaption') ?? ''),
    coverCredit: String(f.get('coverCredit') ?? ''),
    seoTitle: String(f.get('seoTitle') ?? ''),
    seoDescription: String(f.get('seoDescription') ?? ''),
  };
}

/**
 * Whether a block has anything in it yet. A quote or heading just added is empty
 * until the editor types; the server refuses empty blocks, so an autosave in that
 * moment failed with 400. A block still empty is left out of the save, and goes in
 * with the first save after it has text.
 */
function written(block: { type: string; data: Record<string, unknown> }): boolean {
  const hasText = (v: unknown) => typeof v === 'string' && v.replace(/<[^>]*>/g, '').replace(/&nbsp;/g, ' ').trim() !== '';
  if (block.type === 'paragraph' || block.type === 'header' || block.type === 'quote') return hasText(block.data.text);
  return true;
}

/** Saves now; true when the server has this text. */
function save(): Promise<boolean> {
  if (conflicted) return Promise.resolve(false);
  if (saving) return saving.then(() => (dirty ? save() : true));
  dirty = false;
  setState(data.labels.saving, 'busy');
  saving = (async () => {
    try {
      const body = await editor.save();
      const res = await api('PUT', `/api/admin/articles/${data.id}`, { baseRevision: revision, ...fields(), body: { blocks: body.blocks.filter(written), time: body.time } });
      if (res.status === 200) {
        revision = res.json.revision;
        document.querySelector('.editor')!.setAttribute('data-revision', String(revision));
        if (!dirty) setState(data.labels.saved.replace('{time}', new Date().toLocaleTimeString(data.locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' })), 'ok');
        return true;
      }
      if (res.status === 409) {
        conflicted = true;
        setState(data.labels.conflict, 'error');
        return false;
      }
      dirty = true;
      setState(data.labels.error.replace('{message}', res.json?.error?.message ?? String(res.status)), 'error');
      return false;
    } catch (err) {
      dirty = true;
      setState(data.labels.error.replace('{message}', (err as Error).message), 'error');
      return false;
    } finally {
      saving = null;
    }
  })();
  return saving;
}

form.addEventListener('input', markDirty);
form.addEventListener('change', markDirty);
form.addEventListener('submit', (e) => {
  e.preventDefault();
  void save();
});
setInterval(() => {
  if (dirty && !saving && !conflicted) void save();
}, AUTOSAVE_MS);
window.addEventListener('beforeunload', (e) => {
  if (dirty || saving) e.preventDefault();
});
document.getElementById('save-now')!.addEventListener('click', () => void save());
document.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key === 's') {
    e.preventDefault();
    void save();
  }
});

// ---------- cover ----------

const coverFile = document.getElementById('cover-file') as HTMLInputElement;
const coverId = form.elements.namedItem('coverImageId') as HTMLInputElement;
const coverPreview = document.getElementById('cover-preview') as HTMLImageElement;
coverFile.addEventListener('change', async () => {
  const file = coverFile.files?.[0];
  if (!file) return;
  try {
    const uploaded = await upload(file);
    coverId.value = String(uploaded.imageId);
    coverPreview.src = uploaded.url;
    coverPreview.hidden = false;
    markDirty();
  } catch {
    // upload() has shown the reason.
  }
  coverFile.value = '';
});
document.getElementById('cover-remove')!.addEventListener('click', () => {
  coverId.value = '';
  coverPreview.hidden = true;
  coverPreview.removeAttribute('src');
  markDirty();
});

// ---------- «По теме» picker ----------

const relatedList = document.getElementById('related-list')!;
const found = document.getElementById('related-found')!;
const search = document.getElementById('related-search') as HTMLInputElement;
let searchTimer: ReturnType<typeof setTimeout> | undefined;

function addRelated(id: number, title: string) {
  if (id === data.id || relatedIds().includes(id)) return;
  const li = document.createElement('li');
  li.dataset.id = String(id);
  const span = document.createElement('span');
  span.textContent = title;
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.className = 'related__remove';
  remove.textContent = '×';
  remove.setAttribute('aria-label', ed.delete!);
  li.append(span, ' ', remove);
  relatedList.append(li);
  markDirty();
}
relatedList.addEventListener('click', (e) => {
  const button = (e.target as HTMLElement).closest('.related__remove');
  if (!button) return;
  button.closest('li')!.remove();
  markDirty();
});
search.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') e.preventDefault();
});
search.addEventListener('input', (e) => {
  e.stopPropagation();
  clearTimeout(searchTimer);
  searchTimer = setTimeout(async () => {
    const q = search.value.trim();
    found.textContent = '';
    if (!q) return;
    const res = await api('GET', `/api/admin/articles/search?q=${encodeURIComponent(q)}`);
    for (const item of (res.json.items ?? []) as { id: number; title: string }[]) {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = `${item.title} (№${item.id})`;
      b.addEventListener('click', () => {
        addRelated(item.id, item.title);
        found.textContent = '';
        search.value = '';
      });
      li.append(b);
      found.append(li);
    }
  }, 250);
});

// ---------- workflow ----------

for (const button of document.querySelectorAll<HTMLButtonElement>('[data-action]')) {
  button.addEventListener('click', async () => {
    const action = button.dataset.action!;
    if (action === 'delete') {
      if (!confirm(data.labels.confirmDelete)) return;
      const res = await api('DELETE', `/api/admin/articles/${data.id}`);
      if (res.status === 200) location.href = '/admin/articles';
      else setState(data.labels.error.replace('{message}', res.json?.error?.message ?? String(res.status)), 'error');
      return;
    }
    button.disabled = true;
    try {
      // The text on screen is what gets published: save it first.
      if ((dirty || saving) && !(await save())) return;
      let at: string | undefined;
      if (action === 'schedule') {
        const value = (document.getElementById('schedule-at') as HTMLInputElement).value;
        at = value ? new Date(value).toISOString() : undefined;
      }
      const res = await api('POST', `/api/admin/articles/${data.id}/transition`, { action, ...(at ? { at } : {}) });
      if (res.status === 200) location.reload();
      else setState(data.labels.error.replace('{message}', res.json?.error?.message ?? String(res.status)), 'error');
    } finally {
      button.disabled = false;
    }
  });
}
