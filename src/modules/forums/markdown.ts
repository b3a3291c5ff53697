// A forum post's text: Markdown limited to a safe subset, rendered by markdown-it
// (never raw HTML) and passed through sanitize-html as a last line of defence.
//
// Beside Markdown the text knows two things of the forums' own:
//  - quotes of other posts, BBCode-like on their own lines:
//        [quote=123]
//        what post 123 said
//        [/quote]
//    (the opening tag may also start a line and the closing one end it:
//    `[quote=1]short[/quote]`); nested up to MAX_QUOTE_DEPTH, deeper ones are
//    dropped; a tag without its pair stays plain text;
//  - mentions, `@handle`, linked to the profile when the handle exists.
//
// Every tag pair is found in one pass over the lines before Markdown sees the text
// (a stack, so hostile input stays linear); a small block rule then turns each
// pair into a quote block whose inside is ordinary Markdown.
import MarkdownIt from 'markdown-it';
import type { StateBlock, StateCore, Token } from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/** Where a quoted post is: who wrote it and its URL on the portal (e.g. '/forum/transport/12-slug/?page=2#post-31'). */
export interface QuoteSource {
  authorName: string;
  url: string;
}

export interface RenderContext {
  /** Posts quoted in the text by id, as the reader may see them; an id missing here renders as a plain quote without attribution. */
  quotes: ReadonlyMap<number, QuoteSource>;
  /** Mentioned handles (lower-cased) that exist, with their profile URLs; others stay plain text. */
  mentions: ReadonlyMap<string, string>;
  /** What follows a quoted author's name: «писал(а):» by default (the English locale gives 'wrote:'). */
  wrote?: string;
}

/** Quotes nested deeper than this are dropped from the output, content and all. */
export const MAX_QUOTE_DEPTH = 3;
/** quotedPostIds returns at most this many ids. */
export const MAX_QUOTED_POSTS = 20;
/** mentionedHandles' default limit; renderPost links only these first different handles. */
export const MAX_MENTIONS = 50;
/** renderPost makes at most this many mention links in one post (the rest stay text). */
export const MAX_MENTION_LINKS = 100;

const DEFAULT_WROTE = 'писал(а):';
/** Post ids are PostgreSQL `integer`s: a larger number in a tag is not a post, and the tag is text. */
const MAX_POST_ID = 2_147_483_647;
const LINK_REL = 'nofollow ugc noopener';

// ---------- quote tags ----------

const OPEN_TAG = /\[quote=([1-9]\d{0,9})\]/iy;
const OPEN_LINE = /^[ \t]*\[quote=([1-9]\d{0,9})\][ \t]*$/i;
const CLOSE_TAG = '[/quote]';

interface Tag {
  open: boolean;
  /** The post id of an opening tag. */
  id: number;
  /** Offsets in its line. */
  start: number;
  end: number;
  /** The tag it pairs with, if any. */
  pair: Tag | null;
  /** 1 for a quote in the post itself, 2 for a quote inside it, … */
  depth: number;
  /** Its line in the rewritten source. */
  line: number;
}

interface OpenLine {
  id: number;
  depth: number;
  closeLine: number;
}

interface Prepared {
  src: string;
  /** Rewritten line of an opening tag that has its pair → the quote. */
  opens: Map<number, OpenLine>;
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

/** The tags a line may hold: opening ones where it starts, closing ones where it ends. */
function lineTags(line: string): Tag[] {
  const tags: Tag[] = [];
  let pos = 0;
  while (isSpace(line[pos])) pos++;
  for (;;) {
    OPEN_TAG.lastIndex = pos;
    const m = OPEN_TAG.exec(line);
    if (!m || Number(m[1]) > MAX_POST_ID) break;
    tags.push({ open: true, id: Number(m[1]), start: pos, end: pos + m[0].length, pair: null, depth: 0, line: -1 });
    pos += m[0].length;
    while (isSpace(line[pos])) pos++;
  }
  const closes: Tag[] = [];
  let end = line.length;
  for (;;) {
    while (end > pos && isSpace(line[end - 1])) end--;
    const start = end - CLOSE_TAG.length;
    // `\[/quote]` is the tag escaped: text.
    if (start < pos || line.slice(start, end).toLowerCase() !== CLOSE_TAG || line[start - 1] === '\\') break;
    closes.push({ open: false, id: 0, start, end, pair: null, depth: 0, line: -1 });
    end -= CLOSE_TAG.length;
  }
  return closes.length ? tags.concat(closes.reverse()) : tags;
}

/** Finds the tags of every line and pairs them (a stack: linear in the source). */
function pairTags(lines: string[]): { tagsOf: (Tag[] | undefined)[]; paired: boolean } {
  const tagsOf: (Tag[] | undefined)[] = new Array(lines.length);
  const stack: Tag[] = [];
  let paired = false;
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.includes('[')) continue;
    const tags = lineTags(lines[i]!);
    if (!tags.length) continue;
    tagsOf[i] = tags;
    for (const tag of tags) {
      if (tag.open) {
        stack.push(tag);
        tag.depth = stack.length;
      } else {
        const open = stack.pop();
        if (open) {
          open.pair = tag;
          tag.pair = open;
          paired = true;
        }
      }
    }
  }
  return { tagsOf, paired };
}

/**
 * Pairs the quote tags of a (normalised) source and puts every paired tag on a line
 * of its own; unpaired tags stay where they are, as text. Linear in the source.
 */
function prepare(src: string): Prepared {
  const lines = src.split('\n');
  const { tagsOf, paired } = pairTags(lines);
  if (!paired) return { src, opens: new Map() };

  const opens = new Map<number, OpenLine>();
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const tags = tagsOf[i]?.filter((t) => t.pair);
    if (!tags?.length) {
      out.push(line);
      continue;
    }
    let indent = 0;
    while (isSpace(line[indent])) indent++;
    const prefix = line.slice(0, indent);
    let cut = 0;
    for (const tag of tags) {
      let text = line.slice(cut, tag.start).trimEnd();
      if (cut > 0) text = text.trimStart();
      if (text.trim()) out.push(cut > 0 ? prefix + text : text);
      tag.line = out.length;
      out.push(prefix + line.slice(tag.start, tag.end));
      cut = tag.end;
    }
    const rest = line.slice(cut).trimStart();
    if (rest.trim()) out.push(prefix + rest);
  }
  for (const list of tagsOf) {
    for (const tag of list ?? []) {
      if (tag.open && tag.pair) opens.set(tag.line, { id: tag.id, depth: tag.depth, closeLine: tag.pair.line });
    }
  }
  return { src: out.join('\n'), opens };
}

// ---------- markdown-it ----------

interface ForumEnv {
  [key: string | symbol]: unknown;
  forum: {
    opens: Map<number, OpenLine>;
    ctx: RenderContext | null;
    wrote: string;
    /** Handles met outside code, links and quotes, lower-cased, in order. */
    handles: string[];
    handleSet: Set<string>;
    handleLimit: number;
    mentionLinks: number;
  };
}

function forumEnv(ctx: RenderContext | null, handleLimit: number, wrote = DEFAULT_WROTE): ForumEnv {
  return { forum: { opens: new Map(), ctx, wrote, handles: [], handleSet: new Set(), handleLimit, mentionLinks: 0 } };
}

function envOf(env: unknown): ForumEnv['forum'] | undefined {
  return (env as Partial<ForumEnv> | undefined)?.forum;
}

/** Core rule, right after normalisation: pairs the quote tags, rewrites the source. */
function quoteTagsRule(state: StateCore): void {
  const forum = envOf(state.env);
  if (!forum || state.inlineMode) return;
  const prepared = prepare(state.src);
  state.src = prepared.src;
  forum.opens = prepared.opens;
}

/** Block rule: a paired `[quote=N]` line starts a quote that ends at its `[/quote]` line. */
function quoteBlockRule(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  const forum = envOf(state.env);
  const open = forum?.opens.get(startLine);
  if (!open || open.closeLine >= endLine || open.closeLine <= startLine) return false;
  // The line as this context sees it must be the tag alone (not, say, the text after `>`).
  if (!OPEN_LINE.test(state.src.slice(state.bMarks[startLine]! + state.tShift[startLine]!, state.eMarks[startLine]))) return false;
  if (silent) return true;
  if (open.depth > MAX_QUOTE_DEPTH) {
    state.line = open.closeLine + 1;
    return true;
  }
  const token = state.push('forum_quote_open', 'blockquote', 1);
  token.meta = { id: open.id };
  token.map = [startLine, open.closeLine + 1];
  token.block = true;
  const oldParent = state.parentType;
  const oldLineMax = state.lineMax;
  state.parentType = 'forum_quote';
  state.lineMax = open.closeLine;
  state.md.block.tokenize(state, startLine + 1, open.closeLine);
  state.parentType = oldParent;
  state.lineMax = oldLineMax;
  state.push('forum_quote_close', 'blockquote', -1).block = true;
  state.line = open.closeLine + 1;
  return true;
}

const HANDLE_CHAR = '[\\p{L}\\p{N}\\p{M}_-]';
const MENTION = new RegExp(`(?<![\\p{L}\\p{N}\\p{M}_])@(${HANDLE_CHAR}{2,32})(?!${HANDLE_CHAR})`, 'gu');

function handleKey(handle: string): string {
  return handle.normalize('NFC').toLowerCase();
}

/**
 * Core rule, last: finds the mentions in text outside code, links and quotes of
 * other posts; with a render context, known ones become links.
 */
function mentionsRule(state: StateCore): void {
  const forum = envOf(state.env);
  if (!forum) return;
  let quoteDepth = 0;
  for (const block of state.tokens) {
    if (block.type === 'forum_quote_open') quoteDepth++;
    else if (block.type === 'forum_quote_close') quoteDepth--;
    if (quoteDepth > 0 || block.type !== 'inline' || !block.children || !block.content.includes('@')) continue;
    const children: Token[] = [];
    let changed = false;
    let linkDepth = 0;
    for (const child of block.children) {
      if (child.type === 'link_open') linkDepth++;
      else if (child.type === 'link_close') linkDepth--;
      if (child.type !== 'text' || linkDepth > 0 || !child.content.includes('@')) {
        children.push(child);
        continue;
      }
      const text = child.content;
      let last = 0;
      for (const m of text.matchAll(MENTION)) {
        const key = handleKey(m[1]!);
        if (!forum.handleSet.has(key) && forum.handles.length < forum.handleLimit) {
          forum.handleSet.add(key);
          forum.handles.push(key);
        }
        const href = forum.ctx?.mentions.get(key);
        if (href === undefined || !forum.handleSet.has(key) || forum.mentionLinks >= MAX_MENTION_LINKS) continue;
        forum.mentionLinks++;
        if (m.index > last) children.push(textToken(state, text.slice(last, m.index), child.level));
        const link = new state.Token('forum_mention', 'a', 0);
        link.content = m[0];
        link.meta = { href };
        link.level = child.level;
        children.push(link);
        last = m.index + m[0].length;
        changed = true;
      }
      if (last === 0) children.push(child);
      else if (last < text.length) children.push(textToken(state, text.slice(last), child.level));
    }
    if (changed) block.children = children;
  }
}

function textToken(state: StateCore, content: string, level: number): Token {
  const token = new state.Token('text', '', 0);
  token.content = content;
  token.level = level;
  return token;
}

/** Only the web and mail, and the portal's own pages ('/…' but not '//host' or '/\host'). */
const SAFE_URL = /^(?:https?:|mailto:|\/(?![/\\]))/i;

function createMarkdown() {
  const md = new MarkdownIt('zero', { html: false, breaks: true, linkify: true, typographer: false, maxNesting: 20 });
  md.enable(['blockquote', 'list', 'newline', 'emphasis', 'link', 'backticks', 'linkify', 'escape', 'entity', 'text']);
  md.validateLink = (url: string) => SAFE_URL.test(url.trim());
  md.core.ruler.after('normalize', 'forum_quote_tags', quoteTagsRule);
  md.block.ruler.before('blockquote', 'forum_quote', quoteBlockRule, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
  md.core.ruler.push('forum_mentions', mentionsRule);

  const escape = md.utils.escapeHtml;
  md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
    tokens[idx]!.attrSet('rel', LINK_REL);
    return self.renderToken(tokens, idx, options);
  };
  md.renderer.rules.forum_mention = (tokens, idx) => {
    const token = tokens[idx]!;
    return `<a class="forum-mention" href="${escape(String(token.meta?.href ?? ''))}">${escape(token.content)}</a>`;
  };
  md.renderer.rules.forum_quote_open = (tokens, idx, _options, env) => {
    const forum = envOf(env);
    const id = Number(tokens[idx]!.meta?.id);
    const source = forum?.ctx?.quotes.get(id);
    if (!source) return '<blockquote class="forum-quote">\n';
    return (
      `<blockquote class="forum-quote" data-post="${id}">\n` +
      `<p class="forum-quote__source"><a href="${escape(source.url)}">${escape(source.authorName)}</a> ${escape(forum?.wrote ?? DEFAULT_WROTE)}</p>\n`
    );
  };
  md.renderer.rules.forum_quote_close = () => '</blockquote>\n';
  return md;
}

const md = createMarkdown();

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 'blockquote', 'ul', 'ol', 'li', 'a', 'code'],
  allowedAttributes: { p: ['class'], blockquote: ['class', 'data-post'], ol: ['start'], a: ['href', 'rel', 'class'] },
  allowedClasses: { p: ['forum-quote__source'], blockquote: ['forum-quote'], a: ['forum-mention'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
};

function parse(source: string, env: ForumEnv): Token[] {
  return md.parse(source, env);
}

// The plain parse (no render context) of the last texts asked about: a reply's text
// is read by the rules, its quotes, the search row and the notifications' excerpt,
// one parse instead of four. The tokens are only read.
const plainKept = new Map<string, Token[]>();
function plainParse(source: string): Token[] {
  let tokens = plainKept.get(source);
  if (!tokens) {
    tokens = parse(source, forumEnv(null, 0));
    if (plainKept.size >= 64) plainKept.clear();
    plainKept.set(source, tokens);
  }
  return tokens;
}

// ---------- the module's surface ----------

/** The quoted post ids in order of first appearance, unique (at most MAX_QUOTED_POSTS), of the quotes that render. */
export function quotedPostIds(source: string): number[] {
  const ids: number[] = [];
  for (const token of plainParse(source)) {
    if (token.type !== 'forum_quote_open') continue;
    const id = Number(token.meta?.id);
    if (!ids.includes(id)) ids.push(id);
    if (ids.length >= MAX_QUOTED_POSTS) break;
  }
  return ids;
}

/** The @handles mentioned, lower-cased, unique, in order of first appearance, outside code, links and quotes of other posts; at most `limit` returned (default 50). */
export function mentionedHandles(source: string, limit = MAX_MENTIONS): string[] {
  const max = Math.max(0, Math.floor(limit));
  if (max === 0) return [];
  const env = forumEnv(null, max);
  parse(source, env);
  return env.forum.handles;
}

/** Whitespace-separated words that are nothing but emphasis or code marks left as text (`**`, `__`, `` ` ``). */
const MARKS_ONLY = /^[*_~`]+$/;

/** The text a reader reads, without markup and without quoted posts: for search, excerpts, notifications, and to refuse a post that is all markup (empty result). Whitespace collapsed. */
export function postText(source: string): string {
  const parts: string[] = [];
  let quoteDepth = 0;
  for (const token of plainParse(source)) {
    if (token.type === 'forum_quote_open') quoteDepth++;
    else if (token.type === 'forum_quote_close') quoteDepth--;
    if (quoteDepth > 0) continue;
    if (token.type === 'inline') {
      for (const child of token.children ?? []) {
        if (child.type === 'text' || child.type === 'code_inline' || child.type === 'forum_mention') parts.push(child.content);
        else if (child.type === 'softbreak' || child.type === 'hardbreak') parts.push(' ');
      }
    } else if (token.nesting !== 0) {
      parts.push(' ');
    }
  }
  return parts
    .join('')
    .split(/\s+/)
    .filter((word) => word && !MARKS_ONLY.test(word))
    .join(' ');
}

/** Safe HTML of a post. */
export function renderPost(source: string, ctx: RenderContext): string {
  const env = forumEnv(ctx, MAX_MENTIONS, ctx.wrote ?? DEFAULT_WROTE);
  const html = md.renderer.render(parse(source, env), md.options, env);
  return sanitizeHtml(html, SANITIZE);
}

/** Builds the source of a quote of `text` from post `postId` (what «Цитировать» inserts in the reply box), ending with a blank line. */
export function quoteSource(postId: number, text: string): string {
  if (!Number.isSafeInteger(postId) || postId < 1 || postId > MAX_POST_ID) throw new RangeError(`quoteSource: bad post id ${postId}`);
  const body = neutraliseUnpairedTags(text.replace(/\r\n?/g, '\n').replace(/^\s*\n|\s+$/g, ''));
  return `[quote=${postId}]\n${body}${body ? '\n' : ''}[/quote]\n\n`;
}

/**
 * Escapes (`\[`) every quote tag of `text` that has no pair, so that a stray
 * `[/quote]` in the quoted text cannot close the new quote early. Paired tags are
 * first put on lines of their own, as rendering would.
 */
function neutraliseUnpairedTags(text: string): string {
  const lines = prepare(text).src.split('\n');
  const { tagsOf } = pairTags(lines);
  for (let i = 0; i < lines.length; i++) {
    const tags = tagsOf[i];
    if (!tags) continue;
    let line = lines[i]!;
    for (let t = tags.length - 1; t >= 0; t--) {
      const tag = tags[t]!;
      if (!tag.pair) line = `${line.slice(0, tag.start)}\\${line.slice(tag.start)}`;
    }
    lines[i] = line;
  }
  return lines.join('\n');
}
