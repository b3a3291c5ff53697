// A WordPress post's `content:encoded` → the portal's blocks (Editor.js JSON, as
// content/blocks.tsx validates them): paragraphs, headings, lists, quotes, images
// with captions, video embeds (YouTube, VK, Rutube) and delimiters.
//
// What a post holds is whatever its editor made: the classic editor's text with
// blank lines for paragraphs (WordPress adds the <p> when it shows the page,
// wpautop), shortcodes ([caption], [embed], plugins' own), Gutenberg's block
// comments (<!-- wp:embed {"url": …} -->) around plain HTML, and anything pasted in.
// It is parsed with htmlparser2 (the parser sanitize-html uses) into a tree and
// walked: known elements become blocks, inline markup is kept only as the
// allowlisted tags content's cleaner keeps (bold, italic, links…), and everything
// else — scripts and styles dropped with their text, unknown elements, tables,
// forms — is kept as plain text. Event handlers, styles and classes never pass:
// inline HTML is written here from the tree, tag by tag, with only `href`.
import { parseDocument } from 'htmlparser2';
import type { Block } from '../../db/schema.js';
import { embedUrl } from '../content/index.js';

interface DomNode {
  type: string;
  data?: string;
  name?: string;
  attribs?: Record<string, string>;
  children?: DomNode[];
}

export interface ResolvedImage {
  url: string;
  imageId: number;
}

export interface ConvertOptions {
  /** The portal's image for an old image URL (any of its resized variants), or null when it is not ours. */
  image: (src: string) => ResolvedImage | null;
  /** Notes for the report: what was dropped or changed. */
  warn?: (code: string, detail?: string) => void;
}

const INLINE_KEEP = new Set(['b', 'strong', 'i', 'em', 'a', 'br', 'mark', 'code', 's', 'u', 'sub', 'sup']);
const INLINE_RENAME: Record<string, string> = { del: 's', strike: 's', ins: 'u', cite: 'i', q: 'i', kbd: 'code', tt: 'code', var: 'i', big: '', small: '', span: '', font: '', abbr: '', time: '', label: '' };
const DROP = new Set(['script', 'style', 'noscript', 'template', 'head', 'title', 'meta', 'link', 'object', 'embed', 'applet', 'svg', 'math', 'form', 'input', 'button', 'select', 'textarea', 'canvas', 'audio', 'video', 'source', 'track', 'map']);
const CONTAINERS = new Set(['div', 'section', 'article', 'main', 'aside', 'header', 'footer', 'nav', 'center', 'body', 'html', 'details', 'summary', 'address', 'dl', 'dd', 'dt', 'tbody', 'thead', 'tfoot', 'fieldset', 'picture']);
const MAX_BLOCKS = 500;
const MAX_TEXT = 19_000;

const VIDEO_HOSTS: [RegExp, string][] = [
  [/^(?:(?:www|m)\.)?(?:youtube\.com|youtu\.be)$/, 'youtube'],
  [/^(?:www\.)?rutube\.ru$/, 'rutube'],
  [/^(?:(?:www|m)\.)?(?:vk\.com|vkvideo\.ru)$/, 'vk'],
];

/** The service of a video page URL we can embed ('youtube', 'rutube', 'vk'), or null. */
export function videoService(url: string): string | null {
  try {
    const u = new URL(url.trim());
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    // Only what content's embed block will take (a page of a video it can play).
    for (const [re, service] of VIDEO_HOSTS) if (re.test(u.hostname)) return embedUrl(service, u.href) ? service : null;
  } catch {
    /* not a URL */
  }
  return null;
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, '&quot;');

/** Shortcodes → HTML the walker knows; unknown shortcodes lose their brackets and keep their inner text. */
export function expandShortcodes(html: string, warn: (code: string, detail?: string) => void = () => {}): string {
  let out = html.replace(/\[caption\b[^\]]*\]([\s\S]*?)\[\/caption\]/gi, (_m, inner: string) => {
    // The image (possibly in a link) first, the caption's words after it.
    const img = /(<a\b[^>]*>\s*)?<img\b[^>]*>(\s*<\/a>)?/i.exec(inner);
    if (!img) return inner;
    const caption = inner.replace(img[0], '').trim();
    return `<figure>${img[0]}<figcaption>${caption}</figcaption></figure>`;
  });
  out = out.replace(/\[embed\b[^\]]*\]\s*([^[\s]+)\s*\[\/embed\]/gi, (_m, url: string) => `\n\n<p>${url}</p>\n\n`);
  out = out.replace(/\[video\b[^\]]*\b(?:src|mp4)="([^"]+)"[^\]]*\](?:\[\/video\])?/gi, (_m, url: string) => `\n\n<p>${url}</p>\n\n`);
  // Any other shortcode: [name attr="…"] … [/name] — the tags go, the text stays.
  out = out.replace(/\[(\/?)([a-z][\w-]{0,40})\b[^\]\n]{0,500}\]/gi, (m, _slash: string, name: string) => {
    warn('shortcode', name.toLowerCase());
    return '';
  });
  return out;
}

interface State {
  blocks: Block[];
  /** Inline HTML waiting to become paragraphs (classic editor text, inline runs). */
  pending: string;
  /** A Gutenberg block comment's attributes, for the element that follows it. */
  gutenberg: { name: string; attrs: Record<string, unknown> } | null;
}

export function htmlToBlocks(html: string, opts: ConvertOptions): Block[] {
  const warn = opts.warn ?? (() => {});
  const doc = parseDocument(expandShortcodes(html, warn), { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true }) as unknown as DomNode;
  const st: State = { blocks: [], pending: '', gutenberg: null };

  const push = (block: Block) => {
    if (st.blocks.length >= MAX_BLOCKS) {
      if (st.blocks.length === MAX_BLOCKS) warn('too_many_blocks');
      st.blocks.length = MAX_BLOCKS;
      return;
    }
    st.blocks.push(block);
  };

  /** Text with blank lines → paragraphs; a single line break → <br>; a lone video link → an embed. */
  function flush() {
    const text = st.pending;
    st.pending = '';
    for (const para of text.split(/\n[ \t\u00a0]*\n/)) {
      const trimmed = para.trim();
      if (!trimmed) continue;
      paragraph(trimmed.replace(/\s*\n\s*/g, '<br>'));
    }
  }

  function paragraph(inline: string) {
    const plain = inline.replace(/<[^>]*>/g, '').replace(/&nbsp;|\u00a0/g, ' ').trim();
    if (!plain) return;
    // A paragraph that is only a video page's address: WordPress's auto-embed.
    if (/^\S+$/.test(plain) && !/<(?!\/?a\b)/.test(inline)) {
      const url = plain.replace(/&amp;/g, '&');
      const service = videoService(url);
      if (service) {
        push({ type: 'embed', data: { service, source: url, caption: '' } });
        return;
      }
    }
    push({ type: 'paragraph', data: { text: clip(inline) } });
  }

  function clip(s: string): string {
    if (s.length <= MAX_TEXT) return s;
    warn('text_cut');
    return s.slice(0, MAX_TEXT);
  }

  /** Inline HTML of a node's children, only allowlisted tags and `href`. */
  function inline(nodes: DomNode[] | undefined, images?: DomNode[]): string {
    let out = '';
    for (const n of nodes ?? []) {
      if (n.type === 'text') out += escapeText(n.data ?? '');
      else if (n.type === 'cdata') out += inline(n.children, images);
      else if (n.type === 'tag' || n.type === 'script' || n.type === 'style') {
        const name = n.name!;
        if (DROP.has(name) || n.type !== 'tag') {
          warn('dropped', name);
          continue;
        }
        if (name === 'img') {
          if (images) images.push(n);
          continue;
        }
        if (name === 'br') {
          out += '<br>';
          continue;
        }
        const tag = INLINE_KEEP.has(name) ? name : (INLINE_RENAME[name] ?? '');
        const inner = inline(n.children, images);
        if (!tag) {
          out += inner;
          continue;
        }
        if (tag === 'a') {
          const href = (n.attribs?.href ?? '').trim();
          out += /^(https?:|mailto:|\/|#)/i.test(href) ? `<a href="${escapeAttr(href)}">${inner}</a>` : inner;
        } else out += `<${tag}>${inner}</${tag}>`;
      }
    }
    return out;
  }

  function image(img: DomNode, caption: string) {
    const src = (img.attribs?.src ?? '').trim();
    const found = src ? opts.image(src) : null;
    if (!found) {
      warn('image_not_found', src.slice(0, 300));
      // The picture is gone; its words stay.
      const words = caption || escapeText(img.attribs?.alt ?? '');
      if (words.trim()) paragraph(words);
      return;
    }
    push({ type: 'image', data: { file: { url: found.url, imageId: found.imageId }, caption: clip(caption).slice(0, 1000), credit: '' } });
  }

  function embedFrom(url: string, caption = ''): boolean {
    const service = videoService(url);
    if (!service) return false;
    push({ type: 'embed', data: { service, source: url.trim(), caption } });
    return true;
  }

  /** An iframe's player address → the video page the embed block wants. */
  function iframe(n: DomNode) {
    const src = (n.attribs?.src ?? '').trim();
    const yt = /youtube(?:-nocookie)?\.com\/embed\/([\w-]{11})/.exec(src);
    const rt = /rutube\.ru\/play\/embed\/([0-9a-f]{32})/.exec(src);
    const url = yt ? `https://www.youtube.com/watch?v=${yt[1]}` : rt ? `https://rutube.ru/video/${rt[1]}/` : /vk\.com\/video_ext\.php/.test(src) ? src.replace(/^\/\//, 'https://') : '';
    if (!url || !embedFrom(url)) warn('dropped', 'iframe');
  }

  function blocksOf(nodes: DomNode[] | undefined) {
    for (const n of nodes ?? []) node(n);
  }

  function node(n: DomNode) {
    if (n.type === 'text') {
      st.pending += escapeText(n.data ?? '');
      return;
    }
    if (n.type === 'comment') {
      // Gutenberg: <!-- wp:name {json} --> … <!-- /wp:name -->
      const m = /^\s*wp:([a-z][\w/-]*)\s*(\{[\s\S]*\})?\s*\/?\s*$/.exec(n.data ?? '');
      if (m) {
        let attrs: Record<string, unknown> = {};
        try {
          attrs = m[2] ? (JSON.parse(m[2]) as Record<string, unknown>) : {};
        } catch {
          attrs = {};
        }
        flush();
        st.gutenberg = { name: m[1]!, attrs };
        if (m[1] === 'separator' || m[1] === 'nextpage' || m[1] === 'more') {
          if (m[1] === 'separator') push({ type: 'delimiter', data: {} });
          st.gutenberg = null;
        }
      } else if (/^\s*\/wp:/.test(n.data ?? '')) {
        flush();
        st.gutenberg = null;
      }
      return;
    }
    if (n.type === 'script' || n.type === 'style') {
      warn('dropped', n.name);
      return;
    }
    if (n.type !== 'tag') {
      blocksOf(n.children);
      return;
    }
    const name = n.name!;
    if (DROP.has(name)) {
      warn('dropped', name);
      return;
    }
    // A Gutenberg embed names its URL in the comment: the markup inside is WordPress's own.
    const g = st.gutenberg;
    if (g && (g.name === 'embed' || g.name.startsWith('core-embed/')) && typeof g.attrs.url === 'string') {
      flush();
      st.gutenberg = null;
      const caption = inline(findAll(n, 'figcaption')[0]?.children);
      if (!embedFrom(g.attrs.url, caption)) paragraph(`<a href="${escapeAttr(g.attrs.url)}">${escapeText(g.attrs.url)}</a>`);
      return;
    }
    switch (name) {
      case 'p': {
        flush();
        const images: DomNode[] = [];
        const text = inline(n.children, images);
        paragraph(text);
        for (const img of images) image(img, '');
        return;
      }
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6': {
        flush();
        const text = inline(n.children).replace(/<br>/g, ' ').trim();
        const level = Math.min(4, Math.max(2, Number(name[1])));
        if (text.replace(/<[^>]*>/g, '').trim()) push({ type: 'header', data: { text: text.slice(0, 500), level } });
        return;
      }
      case 'ul':
      case 'ol': {
        flush();
        const items = (n.children ?? []).filter((c) => c.type === 'tag' && c.name === 'li').map((li) => inline(li.children).trim()).filter((t) => t.replace(/<[^>]*>/g, '').trim());
        if (items.length) push({ type: 'list', data: { style: name === 'ol' ? 'ordered' : 'unordered', items: items.map(clip) } });
        return;
      }
      case 'blockquote': {
        flush();
        const cite = findAll(n, 'cite')[0];
        const caption = cite ? inline(cite.children).trim() : '';
        const withoutCite = (n.children ?? []).filter((c) => c !== cite);
        const parts = withoutCite.map((c) => (c.type === 'tag' && c.name === 'p' ? inline((c.children ?? []).filter((x) => x !== cite)) : inline([c]))).map((s) => s.trim()).filter(Boolean);
        const text = parts.join('<br>');
        if (text.replace(/<[^>]*>|<br>/g, '').trim()) push({ type: 'quote', data: { text: clip(text), caption: caption.slice(0, 500) } });
        return;
      }
      case 'figure': {
        flush();
        const figcaption = findAll(n, 'figcaption')[0];
        const caption = figcaption ? inline(figcaption.children).trim() : '';
        const img = findAll(n, 'img')[0];
        if (img) {
          image(img, caption);
          return;
        }
        const frame = findAll(n, 'iframe')[0];
        if (frame) {
          iframe(frame);
          return;
        }
        // A figure of text (an embed's wrapper with its URL): its words as paragraphs.
        const words = inline((n.children ?? []).filter((c) => c !== figcaption)).trim();
        if (!embedFrom(words.replace(/<[^>]*>/g, '').trim(), caption)) {
          if (words) paragraph(words);
          if (caption) paragraph(caption);
        }
        return;
      }
      case 'img':
        flush();
        image(n, '');
        return;
      case 'iframe':
        flush();
        iframe(n);
        return;
      case 'hr':
        flush();
        push({ type: 'delimiter', data: {} });
        return;
      case 'pre': {
        flush();
        const text = inline(n.children).replace(/\n/g, '<br>');
        paragraph(text);
        return;
      }
      case 'table': {
        // A table's rows as lines of plain text, cells apart by « — ».
        flush();
        for (const row of findAll(n, 'tr')) {
          const cells = (row.children ?? []).filter((c) => c.type === 'tag' && (c.name === 'td' || c.name === 'th')).map((c) => inline(c.children).replace(/<br>/g, ' ').trim());
          paragraph(cells.filter(Boolean).join(' — '));
        }
        return;
      }
      case 'li':
        flush();
        paragraph(inline(n.children));
        return;
      default:
        if (CONTAINERS.has(name)) {
          flush();
          blocksOf(n.children);
          flush();
          return;
        }
        // Inline or unknown: its text goes on with the running paragraph.
        st.pending += inline([n]);
    }
  }

  blocksOf(doc.children);
  flush();
  return st.blocks;
}

function findAll(n: DomNode, name: string): DomNode[] {
  const out: DomNode[] = [];
  const walk = (x: DomNode) => {
    for (const c of x.children ?? []) {
      if (c.type === 'tag' && c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(n);
  return out;
}

/** Plain text of a bit of HTML (an excerpt, a comment): tags gone, entities decoded, spaces tidied. */
export function plainText(html: string): string {
  const doc = parseDocument(html.replace(/<br\s*\/?>/gi, '\n').replace(/<\/p>\s*<p[^>]*>/gi, '\n\n'), { decodeEntities: true }) as unknown as DomNode;
  let out = '';
  const walk = (n: DomNode) => {
    if (n.type === 'text') out += n.data ?? '';
    else if (n.type === 'tag' && !DROP.has(n.name!)) (n.children ?? []).forEach(walk);
    else if (n.type === 'root' || n.type === 'cdata') (n.children ?? []).forEach(walk);
  };
  walk(doc);
  return out.replace(/[ \t\u00a0]+/g, ' ').replace(/ *\n */g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}
