// The console's plain-text form of an entry (its path without JavaScript; with it the
// console is Editor.js), to and from the block editor's blocks: paragraphs separated
// by an empty line, «> » a quote, «- » list items, a video link alone on its line an
// embed, «[фото N]» alone on its line the entry's N-th image as it was (an image is
// added with the block editor; an edit without it keeps, moves or drops the images).
// The text is escaped before it becomes a block's inline HTML; content's
// validateBody then cleans it as any article's.
import type { Block } from '../../db/schema.js';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const unescape = (s: string) =>
  s
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&');

const VIDEO: [string, RegExp][] = [
  ['youtube', /^https?:\/\/(?:(?:www|m)\.)?(?:youtube\.com|youtu\.be)\/\S+$/],
  ['rutube', /^https?:\/\/(?:www\.)?rutube\.ru\/\S+$/],
  ['vk', /^https?:\/\/(?:(?:www|m)\.)?(?:vk\.com|vkvideo\.ru)\/\S+$/],
];

const PHOTO = /^\[(?:фото|photo)\s+(\d{1,3})\]$/i;

/** `images`: the image blocks of the version being edited, which «[фото N]» names. */
export function textToBlocks(text: string, images: Block[] = []): Block[] {
  const chunks = text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((c) => c.trim())
    .filter(Boolean);
  return chunks.map((chunk): Block => {
    const lines = chunk.split('\n').map((l) => l.trim());
    if (lines.length === 1) {
      const photo = PHOTO.exec(lines[0]!);
      const image = photo ? images[Number(photo[1]) - 1] : undefined;
      if (image) return image;
      const video = VIDEO.find(([, re]) => re.test(lines[0]!));
      if (video) return { type: 'embed', data: { service: video[0], source: lines[0]!, caption: '' } };
    }
    if (lines.every((l) => /^[-•*]\s+/.test(l))) return { type: 'list', data: { style: 'unordered', items: lines.map((l) => escape(l.replace(/^[-•*]\s+/, ''))) } };
    if (lines[0]!.startsWith('>')) {
      const quote = lines.filter((l) => l.startsWith('>')).map((l) => escape(l.replace(/^>\s?/, '')));
      const caption = lines.filter((l) => !l.startsWith('>')).join(' ').replace(/^[—–-]\s*/, '');
      return { type: 'quote', data: { text: quote.join('<br>'), caption: escape(caption) } };
    }
    return { type: 'paragraph', data: { text: lines.map(escape).join('<br>') } };
  });
}

export function blocksToText(blocks: Block[]): string {
  let photos = 0;
  return blocks
    .map((b) => {
      const d = b.data as Record<string, unknown>;
      switch (b.type) {
        case 'list':
          return ((d.items as string[]) ?? []).map((i) => `- ${unescape(i)}`).join('\n');
        case 'quote':
          return (
            unescape(String(d.text ?? ''))
              .split('\n')
              .map((l) => `> ${l}`)
              .join('\n') + (d.caption ? `\n— ${unescape(String(d.caption))}` : '')
          );
        case 'embed':
          return String(d.source ?? '');
        case 'image':
          return `[фото ${++photos}]`;
        default:
          return unescape(String(d.text ?? ''));
      }
    })
    .filter(Boolean)
    .join('\n\n');
}

/** The image blocks of an entry, in order: what «[фото N]» counts. */
export const imageBlocks = (blocks: Block[]) => blocks.filter((b) => b.type === 'image');

/** «YYYY-MM-DDTHH:MM» in the portal's zone (a datetime-local field) → the moment; null if empty; undefined if unreadable. */
export function parseLocal(value: string | undefined, timezone: string): Date | null | undefined {
  if (!value?.trim()) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  if (Number.isNaN(asUtc)) return undefined;
  // The zone's offset at that moment (twice, for a moment near a change of offset).
  const offset = (t: number) => {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' }).formatToParts(new Date(t));
    const p = (k: string) => Number(parts.find((x) => x.type === k)?.value);
    return Date.UTC(p('year'), p('month') - 1, p('day'), p('hour'), p('minute')) - t;
  };
  let t = asUtc - offset(asUtc);
  t = asUtc - offset(t);
  const out = new Date(t);
  return out.getUTCFullYear() >= 2000 && out.getUTCFullYear() <= 2100 ? out : undefined;
}
