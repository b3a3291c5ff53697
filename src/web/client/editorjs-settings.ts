// What the back office's two block editors share — the article editor
// (newsroom/client/editor.ts) and the live console (live/client/entry-editor.ts):
// the embeds readers' pages can draw, the list tool's two entries, the image tool's
// settings and the Russian words of Editor.js's own interface. Plain objects, no
// Editor.js import: each editor brings its own tool classes.

/** The editor's words, from the page's data (newsroom and live i18n, `ed.*`). */
export type EditorWords = Record<string, string>;

const INLINE = ['bold', 'italic', 'link'];

/** YouTube, Rutube and VK Video: what content/blocks.tsx embeds and the CSP's frame-src allows. */
export const EMBED_SERVICES = {
  youtube: true,
  rutube: {
    regex: /https?:\/\/rutube\.ru\/video\/([0-9a-f]{32})\/?/,
    embedUrl: 'https://rutube.ru/play/embed/<%= remote_id %>',
    html: "<iframe height='320' frameborder='0' allowfullscreen></iframe>",
    height: 320,
    width: 580,
  },
  // vk.com/video-1_2, vkvideo.ru/video-1_2, vk.com/clip-1_2, or the player's own
  // video_ext.php?oid=-1&id=2 link; the page embeds the player from vk.com.
  vk: {
    regex: /https?:\/\/(?:www\.|m\.)?(?:vk\.com|vkvideo\.ru)\/(?:(?:video|clip)(-?\d{1,12})_(\d{1,12})|video_ext\.php\?(?:\S*&)?oid=(-?\d{1,12})&(?:\S*&)?id=(\d{1,12}))\S*$/,
    embedUrl: 'https://vk.com/video_ext.php?oid=<%= remote_id %>&hd=2',
    html: "<iframe height='320' frameborder='0' allow='encrypted-media; fullscreen; picture-in-picture' allowfullscreen></iframe>",
    height: 320,
    width: 580,
    id: (groups: (string | undefined)[]) => {
      const [oid, id] = groups.filter(Boolean);
      return `${oid}&id=${id}`;
    },
  },
};

/**
 * The list tool with two entries, not the plugin's three: readers' pages draw
 * bulleted and numbered lists, one level deep (content/blocks.tsx), so no checklist
 * and no nesting.
 */
export const listTool = (List: unknown, extra: { shortcut?: string } = {}) => ({
  class: List as never,
  inlineToolbar: INLINE,
  ...extra,
  toolbox: [
    { title: 'Unordered List', data: { style: 'unordered' } },
    { title: 'Ordered List', data: { style: 'ordered' } },
  ],
  config: { defaultStyle: 'unordered', maxLevel: 1 },
});

export const quoteTool = (Quote: unknown, ed: EditorWords, extra: { shortcut?: string } = {}) => ({
  class: Quote as never,
  inlineToolbar: INLINE,
  ...extra,
  config: { quotePlaceholder: ed.quote, captionPlaceholder: ed.quoteCaption },
});

/** The image tool's settings: a caption, no styling, files only (never a URL: images come through the media module). */
export const imageConfig = (ed: EditorWords, upload: (file: Blob) => Promise<unknown>) => ({
  features: { caption: true, border: false, background: false, stretch: false },
  captionPlaceholder: ed.caption,
  buttonContent: ed.selectImage,
  types: 'image/jpeg,image/png,image/webp,image/avif,image/heic,image/heif',
  uploader: {
    uploadByFile: async (file: Blob) => ({ success: 1, file: await upload(file) }),
    uploadByUrl: async () => {
      throw new Error('url');
    },
  },
});

/** Editor.js's interface in the page's language; `toolNames` adds what an editor's own tools are called. */
export const editorMessages = (ed: EditorWords, toolNames: Record<string, string> = {}, listWords: Record<string, string> = {}) => ({
  messages: {
    ui: {
      blockTunes: { toggler: { 'Click to tune': ed.clickToTune, 'or drag to move': ed.dragToMove } },
      inlineToolbar: { converter: { 'Convert to': ed.convertTo } },
      toolbar: { toolbox: { Add: ed.add } },
      popover: { Filter: ed.filter, 'Nothing found': ed.nothingFound, 'Convert to': ed.convertTo },
    },
    toolNames: { Text: ed.text, 'Unordered List': ed.listBulleted, 'Ordered List': ed.listNumbered, Quote: ed.quote, Image: ed.image, Link: ed.link, Bold: ed.bold, Italic: ed.italic, ...toolNames },
    tools: {
      link: { 'Add a link': ed.addLink },
      list: { Unordered: ed.listBulleted, Ordered: ed.listNumbered, ...listWords },
      image: { Caption: ed.caption, 'Select an Image': ed.selectImage },
    },
    blockTunes: { delete: { Delete: ed.delete }, moveUp: { 'Move up': ed.moveUp }, moveDown: { 'Move down': ed.moveDown } },
  },
});

/** The CSRF token of the back office's requests: the cookie the server set (double submit). */
export function csrfCookie(): string {
  const m = /(?:^|;\s*)gorod_csrf=([^;]+)/.exec(document.cookie);
  return m ? decodeURIComponent(m[1]!) : '';
}

/** Uploads one image through the media module (POST /api/admin/images); a refusal (413, 415…) throws the server's Russian message. */
export async function uploadImage(file: Blob): Promise<{ url: string; imageId: number }> {
  const body = new FormData();
  body.append('image', file);
  const res = await fetch('/api/admin/images', { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json', 'x-csrf-token': csrfCookie() }, body });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json?.error?.message ?? String(res.status));
  return json.file;
}
