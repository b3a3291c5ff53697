// The article body: Editor.js block JSON, validated on the way in and rendered by
// us on the way out. Inline markup of text blocks passes an allowlist (bold,
// italic, links to http(s) and mail); everything else a block holds is text.
import sanitizeHtml from 'sanitize-html';
import { renderToString } from 'preact-render-to-string';
import type { ArticleBody, Block } from '../../db/schema.js';
import type { ImageRef } from '../media/index.js';
import { Picture } from '../../web/components/picture.js';

const INLINE: sanitizeHtml.IOptions = {
  allowedTags: ['b', 'strong', 'i', 'em', 'a', 'br', 'mark', 'code', 's', 'u', 'sub', 'sup'],
  allowedAttributes: { a: ['href', 'rel', 'target'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { href: attribs.href ?? '', rel: 'noopener', ...(isExternal(attribs.href) ? { target: '_blank' } : {}) } }),
  },
};

function isExternal(href: string | undefined): boolean {
  return !!href && /^https?:\/\//.test(href);
}

export function cleanInline(html: string): string {
  return sanitizeHtml(html, INLINE);
}

export function inlineText(html: string): string {
  return sanitizeHtml(html.replace(/<br\s*\/?>/gi, ' '), { allowedTags: [], allowedAttributes: {} })
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}

// ---------- validation ----------

export class BlockError extends Error {
  constructor(
    readonly index: number,
    readonly field: string,
    message: string,
  ) {
    super(`Блок №${index + 1}, поле «${field}»: ${message}`);
  }
}

/** The hosts whose video pages each service's block accepts (and its «Видео» link may lead to). */
const SOURCE_HOSTS: Record<string, RegExp> = {
  youtube: /^(?:(?:www|m)\.)?(?:youtube\.com|youtu\.be)$/,
  rutube: /^(?:www\.)?rutube\.ru$/,
  vk: /^(?:(?:www|m)\.)?(?:vk\.com|vkvideo\.ru)$/,
};

const EMBED_HOSTS: Record<string, (url: URL) => string | null> = {
  youtube: (u) => {
    const id = u.hostname.endsWith('youtu.be') ? u.pathname.slice(1) : (u.searchParams.get('v') ?? u.pathname.split('/').pop() ?? '');
    return /^[\w-]{11}$/.test(id) ? `https://www.youtube-nocookie.com/embed/${id}` : null;
  },
  rutube: (u) => {
    const id = /\/(?:video|embed)\/([0-9a-f]{32})/.exec(u.pathname)?.[1];
    return id ? `https://rutube.ru/play/embed/${id}` : null;
  },
  vk: vkPlayer,
};

/**
 * VK Video: a video page (vk.com or vkvideo.ru /video-1_2, /clip-1_2, ?z=video-1_2)
 * or the player link (video_ext.php?oid=-1&id=2[&hash=…]) becomes vk.com's player,
 * the one VK host the CSP's frame-src needs.
 */
function vkPlayer(u: URL): string | null {
  if (!/^(?:(?:www|m)\.)?(?:vk\.com|vkvideo\.ru)$/.test(u.hostname)) return null;
  const page = /^\/(?:video|clip)(-?\d{1,12})_(\d{1,12})\/?$/.exec(u.pathname) ?? /^video(-?\d{1,12})_(\d{1,12})(?:\/|$)/.exec(u.searchParams.get('z') ?? '');
  const player = u.pathname === '/video_ext.php' ? [u.searchParams.get('oid') ?? '', u.searchParams.get('id') ?? ''] : null;
  const [oid, id] = page ? [page[1]!, page[2]!] : (player ?? ['', '']);
  if (!/^-?\d{1,12}$/.test(oid) || !/^\d{1,12}$/.test(id)) return null;
  const hash = u.searchParams.get('hash') ?? '';
  return `https://vk.com/video_ext.php?oid=${oid}&id=${id}${/^[0-9a-f]{1,40}$/.test(hash) ? `&hash=${hash}` : ''}&hd=2`;
}

/**
 * Where an image block's picture may come from: only our own uploads (a path under
 * /uploads/ of this portal, what the editor's image tool stores). Not another
 * host, not `//host/x.png` (protocol-relative: another host), not `javascript:`.
 * The address is parsed as a browser would (it drops tabs and reads `\` as `/`),
 * so only what stays on our origin passes.
 */
export function isOwnUpload(url: string): boolean {
  if (!url.startsWith('/uploads/') || /[\\\u0000-\u001f\u007f]/.test(url)) return false;
  try {
    const parsed = new URL(url, 'http://portal.invalid');
    return parsed.origin === 'http://portal.invalid' && parsed.pathname.startsWith('/uploads/');
  } catch {
    return false;
  }
}

/** The player URL we embed for a video page URL, or null for hosts we do not trust. */
export function embedUrl(service: string, source: string): string | null {
  try {
    const url = new URL(source);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    if (!Object.hasOwn(SOURCE_HOSTS, service) || !SOURCE_HOSTS[service]!.test(url.hostname)) return null;
    return EMBED_HOSTS[service]!(url);
  } catch {
    return null;
  }
}

function str(block: Block, index: number, field: string, opts: { required?: boolean; max?: number } = {}): string {
  const value = block.data[field];
  if (value === undefined || value === null) {
    if (opts.required) throw new BlockError(index, field, 'обязательное поле');
    return '';
  }
  if (typeof value !== 'string') throw new BlockError(index, field, 'должно быть строкой');
  if (opts.required && !inlineText(value).trim()) throw new BlockError(index, field, 'не может быть пустым');
  if (value.length > (opts.max ?? 20000)) throw new BlockError(index, field, `не длиннее ${opts.max ?? 20000} символов`);
  return value;
}

/** Checks a body from the editor; throws BlockError naming the block and field. Returns a clean copy. */
export function validateBody(input: unknown): ArticleBody {
  if (!input || typeof input !== 'object' || !Array.isArray((input as ArticleBody).blocks)) {
    throw new BlockError(-1, 'blocks', 'тело статьи должно быть объектом с массивом blocks');
  }
  const blocks = (input as ArticleBody).blocks;
  if (blocks.length > 500) throw new BlockError(-1, 'blocks', 'не больше 500 блоков');
  const clean: Block[] = blocks.map((block, i) => {
    if (!block || typeof block !== 'object' || typeof block.type !== 'string' || !block.data || typeof block.data !== 'object') {
      throw new BlockError(i, 'type', 'блок должен иметь type и data');
    }
    const id = typeof block.id === 'string' ? block.id.slice(0, 40) : undefined;
    const out = (data: Record<string, unknown>): Block => ({ ...(id ? { id } : {}), type: block.type, data });
    switch (block.type) {
      case 'paragraph':
        return out({ text: cleanInline(str(block, i, 'text', { required: true })) });
      case 'header': {
        const level = block.data.level ?? 2;
        if (level !== 2 && level !== 3 && level !== 4) throw new BlockError(i, 'level', 'уровень заголовка 2, 3 или 4');
        return out({ text: cleanInline(str(block, i, 'text', { required: true, max: 500 })), level });
      }
      case 'quote':
        return out({ text: cleanInline(str(block, i, 'text', { required: true })), caption: cleanInline(str(block, i, 'caption', { max: 500 })) });
      case 'list': {
        const items = block.data.items;
        if (!Array.isArray(items) || !items.length) throw new BlockError(i, 'items', 'список должен содержать хотя бы один пункт');
        const texts = items.map((item, j) => {
          // Editor.js list v2 stores { content, items }; v1 stores strings.
          const text = typeof item === 'string' ? item : item && typeof item === 'object' && typeof item.content === 'string' ? item.content : null;
          if (text === null) throw new BlockError(i, `items[${j}]`, 'пункт списка должен быть строкой');
          return cleanInline(text);
        });
        const style = block.data.style === 'ordered' ? 'ordered' : 'unordered';
        return out({ style, items: texts });
      }
      case 'image': {
        const file = block.data.file as { url?: unknown; imageId?: unknown } | undefined;
        if (!file || typeof file !== 'object' || typeof file.url !== 'string') throw new BlockError(i, 'file.url', 'нужно загрузить изображение');
        if (!isOwnUpload(file.url) || file.url.length > 500) throw new BlockError(i, 'file.url', 'только изображения, загруженные на портал');
        const imageId = typeof file.imageId === 'number' ? file.imageId : undefined;
        return out({ file: { url: file.url.slice(0, 500), ...(imageId ? { imageId } : {}) }, caption: cleanInline(str(block, i, 'caption', { max: 1000 })), credit: inlineText(str(block, i, 'credit', { max: 300 })) });
      }
      case 'embed': {
        const service = str(block, i, 'service', { required: true, max: 40 });
        const source = str(block, i, 'source', { required: true, max: 500 });
        const embed = embedUrl(service, source);
        if (!embed) throw new BlockError(i, 'source', 'поддерживаются ссылки на видео YouTube, Rutube и VK');
        return out({ service, source, embed, caption: cleanInline(str(block, i, 'caption', { max: 1000 })) });
      }
      case 'delimiter':
        return out({});
      default:
        throw new BlockError(i, 'type', `неизвестный тип блока «${block.type.slice(0, 40)}»`);
    }
  });
  return { blocks: clean, time: typeof (input as ArticleBody).time === 'number' ? (input as ArticleBody).time : undefined, version: '2' };
}

/** Plain text of a body: for search, feeds' descriptions and typo context. */
export function bodyText(body: ArticleBody): string {
  return body.blocks
    .map((b) => {
      const d = b.data as Record<string, unknown>;
      if (b.type === 'list') return (d.items as string[]).map(inlineText).join('\n');
      if (b.type === 'quote') return `${inlineText(String(d.text ?? ''))}\n${inlineText(String(d.caption ?? ''))}`;
      if (b.type === 'image' || b.type === 'embed') return inlineText(String(d.caption ?? ''));
      return inlineText(String(d.text ?? ''));
    })
    .filter(Boolean)
    .join('\n\n');
}

/** Image ids a body refers to, so the page can load their variants in one query. */
export function bodyImageIds(body: ArticleBody): number[] {
  return body.blocks.flatMap((b) => {
    const id = b.type === 'image' ? (b.data.file as { imageId?: number } | undefined)?.imageId : undefined;
    return typeof id === 'number' ? [id] : [];
  });
}

// ---------- rendering ----------

const Html = ({ tag: Tag, html, ...rest }: { tag: 'p' | 'h2' | 'h3' | 'h4' | 'li' | 'span' | 'figcaption'; html: string; [k: string]: unknown }) => (
  // Already cleaned by validateBody and cleaned again here: a row written by an old
  // version or by hand must not become an XSS.
  <Tag {...rest} dangerouslySetInnerHTML={{ __html: cleanInline(html) }} />
);

export function ArticleBlocks({ body, images, photoLabel, videoLabel }: { body: ArticleBody; images: Map<number, ImageRef>; photoLabel: string; videoLabel: string }) {
  return (
    <>
      {body.blocks.map((b) => {
        const d = b.data as Record<string, any>;
        switch (b.type) {
          case 'paragraph':
            return <Html tag="p" html={String(d.text ?? '')} />;
          case 'header':
            return <Html tag={d.level === 3 ? 'h3' : d.level === 4 ? 'h4' : 'h2'} html={String(d.text ?? '')} />;
          case 'quote':
            return (
              <blockquote>
                <Html tag="p" html={String(d.text ?? '')} />
                {d.caption && (
                  <footer>
                    <Html tag="span" html={String(d.caption)} />
                  </footer>
                )}
              </blockquote>
            );
          case 'list': {
            const items = (d.items as unknown[]).map((it) => (typeof it === 'string' ? it : String((it as { content?: string }).content ?? '')));
            const children = items.map((it) => <Html tag="li" html={it} />);
            return d.style === 'ordered' ? <ol>{children}</ol> : <ul>{children}</ul>;
          }
          case 'image': {
            const image = images.get(d.file?.imageId);
            const alt = inlineText(String(d.caption ?? '')) || photoLabel;
            return (
              <figure>
                {image ? <Picture image={image} alt={alt} sizes="(min-width: 800px) 760px, 100vw" /> : isOwnUpload(String(d.file?.url ?? '')) ? <img src={d.file.url} alt={alt} loading="lazy" /> : null}
                {(d.caption || d.credit) && (
                  <figcaption>
                    {d.caption && <Html tag="span" html={String(d.caption)} />}
                    {d.credit && <small class="credit">{String(d.credit)}</small>}
                  </figcaption>
                )}
              </figure>
            );
          }
          case 'embed': {
            const src = embedUrl(String(d.service ?? ''), String(d.source ?? ''));
            if (!src) return null;
            return (
              <figure>
                <div class="embed">
                  <iframe src={src} title={inlineText(String(d.caption ?? '')) || videoLabel} loading="lazy" allow="encrypted-media; picture-in-picture; fullscreen" referrerpolicy="strict-origin-when-cross-origin" />
                </div>
                <figcaption>
                  {d.caption && <Html tag="span" html={String(d.caption)} />} <a href={String(d.source)} rel="noopener nofollow">{videoLabel}</a>
                </figcaption>
              </figure>
            );
          }
          case 'delimiter':
            return <hr />;
          default:
            return null;
        }
      })}
    </>
  );
}

// The body is the largest part of an article page and the costliest to render (its
// inline HTML is sanitized block by block). The article object comes from the data
// cache and is shared by every render of that version, so its body is rendered once
// per locale and the HTML reused; a new version is a new object.
const renderedBodies = new WeakMap<ArticleBody, Map<string, string>>();

export function articleBodyHtml(props: { body: ArticleBody; images: Map<number, ImageRef>; photoLabel: string; videoLabel: string }): string {
  let byLabels = renderedBodies.get(props.body);
  if (!byLabels) renderedBodies.set(props.body, (byLabels = new Map()));
  const key = `${props.photoLabel}\n${props.videoLabel}`;
  let html = byLabels.get(key);
  if (html === undefined) byLabels.set(key, (html = renderToString(<ArticleBlocks {...props} />)));
  return html;
}
