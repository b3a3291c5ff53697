// Reads a WordPress export (WXR 1.0–1.2) as a stream: the file is read in chunks
// and fed to saxes, and each channel record (an author, a category, a tag, a term)
// and each item is handed out as soon as its closing tag is read, so a file of
// several gigabytes is read in the memory of one item.
//
// saxes knows no DTD: it skips a DOCTYPE and refuses any entity but the five of XML
// («undefined entity»), so neither a billion-laughs bomb nor an external entity
// (`<!ENTITY x SYSTEM "file:///etc/passwd">`) can expand or make us read a file. We
// refuse a DOCTYPE that declares entities before that, with a clearer word.
import fs from 'node:fs';
import { SaxesParser } from 'saxes';

export const WXR_VERSIONS = ['1.0', '1.1', '1.2'];

export interface WxrAuthor {
  id: string;
  login: string;
  email: string;
  displayName: string;
  firstName: string;
  lastName: string;
}
export interface WxrTerm {
  /** 'category', 'post_tag', or another taxonomy (wp:term). */
  taxonomy: string;
  id: string;
  slug: string;
  name: string;
  /** The parent's slug (categories) or id (wp:term). */
  parent: string;
  description: string;
}
export interface WxrMeta {
  key: string;
  value: string;
}
export interface WxrComment {
  id: string;
  author: string;
  email: string;
  url: string;
  date: string;
  dateGmt: string;
  content: string;
  approved: string;
  type: string;
  parent: string;
  userId: string;
}
export interface WxrItem {
  title: string;
  link: string;
  pubDate: string;
  creator: string;
  guid: string;
  content: string;
  excerpt: string;
  id: string;
  date: string;
  dateGmt: string;
  name: string;
  status: string;
  parent: string;
  type: string;
  sticky: string;
  attachmentUrl: string;
  categories: { domain: string; nicename: string; name: string }[];
  meta: WxrMeta[];
  comments: WxrComment[];
}
export interface WxrChannel {
  version: string;
  baseSiteUrl: string;
  baseBlogUrl: string;
  link: string;
  title: string;
}

export type WxrRecord =
  | { kind: 'channel'; channel: WxrChannel }
  | { kind: 'author'; author: WxrAuthor }
  | { kind: 'term'; term: WxrTerm }
  | { kind: 'item'; item: WxrItem; index: number };

/** Why a file was refused; `code` is an i18n key under `wpImport.refused.`. */
export class WxrError extends Error {
  constructor(
    readonly code: 'not_xml' | 'truncated' | 'not_wxr' | 'version' | 'entities' | 'unreadable',
    message: string,
  ) {
    super(message);
  }
}

type Fields = Record<string, string>;

interface Frame {
  name: string;
  text: string;
}

const ITEM_FIELDS: Record<string, keyof WxrItem> = {
  title: 'title',
  link: 'link',
  pubDate: 'pubDate',
  'dc:creator': 'creator',
  guid: 'guid',
  'content:encoded': 'content',
  'excerpt:encoded': 'excerpt',
  'wp:post_id': 'id',
  'wp:post_date': 'date',
  'wp:post_date_gmt': 'dateGmt',
  'wp:post_name': 'name',
  'wp:status': 'status',
  'wp:post_parent': 'parent',
  'wp:post_type': 'type',
  'wp:is_sticky': 'sticky',
  'wp:attachment_url': 'attachmentUrl',
};
const COMMENT_FIELDS: Record<string, keyof WxrComment> = {
  'wp:comment_id': 'id',
  'wp:comment_author': 'author',
  'wp:comment_author_email': 'email',
  'wp:comment_author_url': 'url',
  'wp:comment_date': 'date',
  'wp:comment_date_gmt': 'dateGmt',
  'wp:comment_content': 'content',
  'wp:comment_approved': 'approved',
  'wp:comment_type': 'type',
  'wp:comment_parent': 'parent',
  'wp:comment_user_id': 'userId',
};

/**
 * A copy of a string that shares no memory with the chunk it was read from: V8 keeps
 * substrings as slices of their parent, so an id or a link kept for the whole run
 * (the seen ids, the report's addresses) would keep its 256 KB chunk — the whole
 * file, over a run — resident.
 */
function own(s: string): string {
  return s.length ? Buffer.from(s, 'utf8').toString('utf8') : '';
}

const emptyItem = (): WxrItem => ({
  title: '', link: '', pubDate: '', creator: '', guid: '', content: '', excerpt: '', id: '', date: '', dateGmt: '', name: '', status: '', parent: '', type: '', sticky: '', attachmentUrl: '', categories: [], meta: [], comments: [],
});

/** The largest single text we keep (a post's content): a bigger one is cut, the item reported by the runner. */
const MAX_FIELD = 8 * 1024 * 1024;

/**
 * The records of a WXR stream, in file order. Throws WxrError on a file that is not
 * XML, is cut short, is not a WordPress export, has a version we do not know, or
 * declares entities — at the point it is found: a caller that must not write from a
 * broken file reads it once to the end first (the runner's first pass does).
 */
export async function* readWxr(
  source: string | AsyncIterable<Buffer | string>,
  /** `skipText`: elements whose text is not kept (a pass that needs no post bodies reads faster). */
  opts: { chunkSize?: number; onBytes?: (n: number) => void; skipText?: ReadonlySet<string> } = {},
): AsyncGenerator<WxrRecord> {
  const parser = new SaxesParser({ xmlns: false, position: false });
  const out: WxrRecord[] = [];
  const stack: Frame[] = [];
  let failure: WxrError | null = null;
  let sawRss = false;
  let channel: WxrChannel | null = null;
  const channelFields: Fields = {};
  let record: { kind: 'author' | 'term' | 'item'; fields: Fields; item?: WxrItem; attrs?: Record<string, string> } | null = null;
  let sub: { kind: 'meta' | 'comment'; fields: Fields } | null = null;
  let categoryAttrs: Record<string, string> | null = null;
  let items = 0;

  const fail = (err: WxrError) => {
    failure ??= err;
  };
  const announceChannel = () => {
    if (channel) return;
    const version = (channelFields['wp:wxr_version'] ?? '').trim();
    if (!version) throw new WxrError('not_wxr', 'no wp:wxr_version before the first record: not a WordPress export');
    if (!WXR_VERSIONS.includes(version)) throw new WxrError('version', `WXR version ${version.slice(0, 20)} is not one of ${WXR_VERSIONS.join(', ')}`);
    channel = {
      version,
      baseSiteUrl: (channelFields['wp:base_site_url'] ?? '').trim(),
      baseBlogUrl: (channelFields['wp:base_blog_url'] ?? '').trim(),
      link: (channelFields.link ?? '').trim(),
      title: (channelFields.title ?? '').trim(),
    };
    out.push({ kind: 'channel', channel });
  };

  parser.on('error', (err) => fail(new WxrError('not_xml', err.message)));
  parser.on('doctype', (doctype) => {
    if (/<!ENTITY/i.test(doctype)) fail(new WxrError('entities', 'the file declares entities (<!ENTITY …>): refused, nothing is expanded or read'));
  });
  parser.on('opentag', (tag) => {
    const name = tag.name;
    const depth = stack.length;
    if (depth === 0) {
      if (name !== 'rss') fail(new WxrError('not_wxr', `the root element is <${name.slice(0, 40)}>, not <rss>`));
      sawRss = true;
    }
    stack.push({ name, text: '' });
    if (depth === 2 && stack[1]!.name === 'channel') {
      if (name === 'item' || name === 'wp:author' || name === 'wp:category' || name === 'wp:tag' || name === 'wp:term') {
        try {
          announceChannel();
        } catch (err) {
          fail(err as WxrError);
        }
        record = name === 'item' ? { kind: 'item', fields: {}, item: emptyItem() } : { kind: name === 'wp:author' ? 'author' : 'term', fields: { tag: name } };
      }
    } else if (record && depth === 3) {
      if (name === 'wp:postmeta') sub = { kind: 'meta', fields: {} };
      else if (name === 'wp:comment') sub = { kind: 'comment', fields: {} };
      else if (name === 'category' && record.kind === 'item') categoryAttrs = Object.fromEntries(Object.entries(tag.attributes as Record<string, string>).map(([k, v]) => [k, own(v)]));
    }
  });
  const skip = opts.skipText;
  const onText = (text: string) => {
    const top = stack[stack.length - 1];
    if (top && top.text.length < MAX_FIELD && !skip?.has(top.name)) top.text += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const frame = stack.pop()!;
    const depth = stack.length;
    if (depth === 2 && stack[1]?.name === 'channel' && !record) {
      channelFields[frame.name] ??= own(frame.text);
      return;
    }
    if (!record) return;
    if (depth === 2) {
      out.push(finish(record));
      record = null;
      return;
    }
    if (depth === 3) {
      if (sub && (frame.name === 'wp:postmeta' || frame.name === 'wp:comment')) {
        const item = record.item!;
        if (sub.kind === 'meta') item.meta.push({ key: sub.fields['wp:meta_key'] ?? '', value: sub.fields['wp:meta_value'] ?? '' });
        else {
          const c = {} as WxrComment;
          for (const [tagName, field] of Object.entries(COMMENT_FIELDS)) c[field] = (sub.fields[tagName] ?? '').trim();
          c.content = sub.fields['wp:comment_content'] ?? '';
          item.comments.push(c);
        }
        sub = null;
      } else if (record.kind === 'item' && frame.name === 'category') {
        record.item!.categories.push({ domain: categoryAttrs?.domain ?? '', nicename: categoryAttrs?.nicename ?? '', name: own(frame.text.trim()) });
        categoryAttrs = null;
      } else if (!(frame.name in record.fields)) {
        record.fields[frame.name] = own(frame.text);
      }
    } else if (depth === 4 && sub) {
      sub.fields[frame.name] ??= own(frame.text);
    }
  });

  function finish(r: NonNullable<typeof record>): WxrRecord {
    const f = r.fields;
    const get = (k: string) => (f[k] ?? '').trim();
    if (r.kind === 'author') {
      return { kind: 'author', author: { id: get('wp:author_id'), login: get('wp:author_login'), email: get('wp:author_email'), displayName: get('wp:author_display_name'), firstName: get('wp:author_first_name'), lastName: get('wp:author_last_name') } };
    }
    if (r.kind === 'term') {
      const tag = f.tag;
      if (tag === 'wp:category') return { kind: 'term', term: { taxonomy: 'category', id: get('wp:term_id'), slug: get('wp:category_nicename'), name: get('wp:cat_name'), parent: get('wp:category_parent'), description: get('wp:category_description') } };
      if (tag === 'wp:tag') return { kind: 'term', term: { taxonomy: 'post_tag', id: get('wp:term_id'), slug: get('wp:tag_slug'), name: get('wp:tag_name'), parent: '', description: get('wp:tag_description') } };
      return { kind: 'term', term: { taxonomy: get('wp:term_taxonomy'), id: get('wp:term_id'), slug: get('wp:term_slug'), name: get('wp:term_name'), parent: get('wp:term_parent'), description: get('wp:term_description') } };
    }
    const item = r.item!;
    for (const [tagName, field] of Object.entries(ITEM_FIELDS)) {
      const v = f[tagName];
      if (v !== undefined) (item as unknown as Record<string, string>)[field] = field === 'content' || field === 'excerpt' ? v : v.trim();
    }
    return { kind: 'item', item, index: items++ };
  }

  const chunks: AsyncIterable<Buffer | string> =
    typeof source === 'string'
      ? (() => {
          try {
            return fs.createReadStream(source, { highWaterMark: opts.chunkSize ?? 256 * 1024 });
          } catch (err) {
            throw new WxrError('unreadable', (err as Error).message);
          }
        })()
      : source;
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let first = true;
  try {
    for await (const chunk of chunks) {
      opts.onBytes?.(typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length);
      let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      if (first) {
        text = text.replace(/^\uFEFF/, '');
        if (text.trim() && !text.trimStart().startsWith('<')) throw new WxrError('not_xml', 'the file does not begin with «<»: not XML');
        first = false;
      }
      parser.write(text);
      if (failure) throw failure;
      while (out.length) yield out.shift()!;
    }
  } catch (err) {
    if (err instanceof WxrError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code) throw new WxrError('unreadable', e.message);
    throw new WxrError('not_xml', e.message);
  }
  parser.write(decoder.decode());
  if (failure) throw failure;
  if (!sawRss) throw new WxrError('not_xml', 'the file is empty or holds no XML element');
  if (stack.length) throw new WxrError('truncated', `the file ends inside <${stack.at(-1)!.name}>: it was cut short`);
  try {
    parser.close();
  } catch (err) {
    throw new WxrError('truncated', (err as Error).message);
  }
  if (failure) throw failure;
  announceChannel();
  while (out.length) yield out.shift()!;
}

/** The value of a post meta key, PHP-serialized or not (only plain strings are read). */
export function metaValue(item: WxrItem, key: string): string | undefined {
  return item.meta.find((m) => m.key === key)?.value;
}

/** The strings of a PHP-serialized value (`a:1:{i:0;s:5:"слово";}`), or the value itself when it is not one. */
export function phpStrings(value: string): string[] {
  if (!/^[aOs]:\d+:/.test(value)) return [value];
  const out: string[] = [];
  // s:<bytes>:"…"; — the length counts UTF-8 bytes.
  const buf = Buffer.from(value, 'utf8');
  let i = 0;
  const text = buf.toString('latin1');
  const re = /s:(\d+):"/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const start = m.index + m[0].length;
    const len = Number(m[1]);
    if (start + len > buf.length) break;
    out.push(buf.subarray(start, start + len).toString('utf8'));
    re.lastIndex = start + len;
    i++;
  }
  return i ? out : [value];
}
