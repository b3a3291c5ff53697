// The console's block editor (its own bundle, assets.ts, loaded only on
// /admin/live/:id): every entry form (a new entry, and each entry's edit form when
// it is opened) gets Editor.js with the tools an entry takes — paragraph, quote,
// image (uploaded through the media module, POST /api/admin/images, as in the
// article editor), embed (a video link pasted into a paragraph), list — in place of
// the text field that serves the page without JavaScript. On submit the blocks go in
// the form's `blocks` field and the form's fields are sent by fetch as JSON (a long
// Russian entry urlencoded would pass the forms' 64 KB): the server checks them as
// the JSON API's (content's validateBody and the entry's limits), and a refusal is
// shown beside the buttons with the text still in the editor.
import EditorJS from 'editorjs:core';
import List from 'editorjs:list';
import Quote from 'editorjs:quote';
import Embed from 'editorjs:embed';
import { EMBED_SERVICES, csrfCookie, editorMessages, imageConfig, listTool, quoteTool, uploadImage } from '../../../web/client/editorjs-settings.js';
import { imageWithCredit } from '../../../web/client/image-credit.js';

interface Data {
  ed: Record<string, string>;
  labels: Record<'uploading' | 'sending' | 'error' | 'empty', string>;
}

const dataEl = document.getElementById('live-editor-data');
const data = dataEl ? (JSON.parse(dataEl.textContent!) as Data) : null;
const editors = new WeakMap<HTMLFormElement, EditorJS>();

function say(form: HTMLFormElement, text: string, kind: 'busy' | 'error' | 'ok') {
  const el = form.querySelector<HTMLElement>('[data-live-form-state]');
  if (!el) return;
  el.textContent = text;
  el.dataset.state = kind;
}

async function upload(form: HTMLFormElement, file: Blob): Promise<{ url: string; imageId: number }> {
  say(form, data!.labels.uploading, 'busy');
  try {
    const uploaded = await uploadImage(file);
    say(form, '', 'ok');
    return uploaded;
  } catch (err) {
    say(form, data!.labels.error.replace('{message}', (err as Error).message), 'error');
    throw err;
  }
}

/** A block with nothing in it yet (a quote just added) stays out: the server refuses empty blocks. */
function written(block: { type: string; data: Record<string, unknown> }): boolean {
  const hasText = (v: unknown) => typeof v === 'string' && v.replace(/<[^>]*>/g, '').replace(/&nbsp;/g, ' ').trim() !== '';
  if (block.type === 'paragraph' || block.type === 'quote') return hasText(block.data.text);
  if (block.type === 'list') return Array.isArray(block.data.items) && block.data.items.length > 0;
  return true;
}

function mount(form: HTMLFormElement) {
  if (!data || editors.has(form)) return;
  const holder = form.querySelector<HTMLElement>('[data-live-editor]');
  const box = form.querySelector<HTMLElement>('[data-live-blocks]');
  const text = form.querySelector<HTMLElement>('[data-live-text]');
  if (!holder || !box || !text) return;
  const ed = data.ed;
  const initial = JSON.parse(form.dataset.blocks || '[]') as unknown[];
  text.hidden = true;
  text.querySelector('textarea')?.removeAttribute('required');
  box.hidden = false;
  const editor = new EditorJS({
    holder,
    data: initial.length ? { blocks: initial } : undefined,
    autofocus: false,
    placeholder: ed.placeholder,
    minHeight: 40,
    inlineToolbar: ['bold', 'italic', 'link'],
    tools: {
      list: listTool(List),
      quote: quoteTool(Quote, ed),
      image: { class: imageWithCredit(ed.credit!) as never, config: imageConfig(ed, (file) => upload(form, file)) },
      embed: { class: Embed as never, config: { services: EMBED_SERVICES } },
    },
    i18n: editorMessages(ed, { List: ed.listBulleted }),
  });
  editors.set(form, editor);
}

async function send(form: HTMLFormElement, submitter: HTMLElement | null) {
  const editor = editors.get(form)!;
  const blocks = (await editor.save()).blocks.filter(written);
  if (!blocks.length) {
    say(form, data!.labels.empty, 'error');
    return;
  }
  // The form's fields as JSON: a long Russian entry urlencoded would pass the forms' 64 KB.
  const body: Record<string, string> = {};
  for (const [k, v] of new FormData(form)) if (typeof v === 'string' && k !== 'text' && k !== '_csrf') body[k] = v;
  if (submitter instanceof HTMLButtonElement && submitter.name) body[submitter.name] = submitter.value;
  body.blocks = JSON.stringify(blocks.map(({ type, data }) => ({ type, data })));
  say(form, data!.labels.sending, 'busy');
  for (const b of form.querySelectorAll('button')) b.disabled = true;
  try {
    // Success is the form's 303 back to the console; a refusal, the error as JSON.
    // (getAttribute: an edit form's field named «action» shadows form.action.)
    const res = await fetch(form.getAttribute('action')!, { method: 'POST', credentials: 'same-origin', redirect: 'manual', headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': csrfCookie() }, body: JSON.stringify(body) });
    if (res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400)) {
      location.reload();
      return;
    }
    const json = await res.json().catch(() => ({}));
    say(form, data!.labels.error.replace('{message}', json?.error?.message ?? String(res.status)), 'error');
  } catch (err) {
    say(form, data!.labels.error.replace('{message}', (err as Error).message), 'error');
  } finally {
    for (const b of form.querySelectorAll('button')) b.disabled = false;
  }
}

if (data) {
  // The new entry's form at once; an entry's edit form when its <details> opens.
  // Delegated: the console's other island replaces the entries' list as others write.
  for (const form of document.querySelectorAll<HTMLFormElement>('form[data-live-entry-form]:not(details form)')) mount(form);
  document.addEventListener(
    'toggle',
    (e) => {
      const details = e.target as HTMLElement;
      if (details instanceof HTMLDetailsElement && details.open) {
        const form = details.querySelector<HTMLFormElement>('form[data-live-entry-form]');
        if (form) mount(form);
      }
    },
    true,
  );
  document.addEventListener('submit', (e) => {
    const form = e.target as HTMLFormElement;
    if (!form.matches('form[data-live-entry-form]') || !editors.has(form)) return;
    e.preventDefault();
    void send(form, e.submitter);
  });
}
