// What «Цитировать» puts in the reply box, built in the browser from the text the
// reader sees. The server's twin is markdown.ts's quoteSource (the no-JS reply form
// quotes a post's source with it); this file cannot import it — markdown.ts pulls
// markdown-it and sanitize-html into the bundle — so it keeps the same shape:
//     [quote=ID]\n<text>\n[/quote]\n\n
// Rendered text holds no quote meant as one (a quote of another post is a
// blockquote, left out), so every `[quote=N]` or `[/quote]` in it is what the author
// typed as text and is escaped (`\[`), as quoteSource escapes an unpaired tag: it
// stays text and cannot close the new quote early.

/** The largest post id (PostgreSQL `integer`), as markdown.ts. */
const MAX_POST_ID = 2_147_483_647;

export function escapeQuoteTags(text: string): string {
  return text.replace(/\[(quote=[1-9]\d{0,9}\]|\/quote\])/gi, '\\[$1');
}

/** The source of a quote of `text` from post `postId`, ending with a blank line (markdown.ts quoteSource's shape). */
export function quoteOf(postId: number, text: string): string {
  if (!Number.isSafeInteger(postId) || postId < 1 || postId > MAX_POST_ID) throw new RangeError(`quoteOf: bad post id ${postId}`);
  const body = escapeQuoteTags(text.replace(/\r\n?/g, '\n').replace(/\u00a0/g, ' ').replace(/^\s*\n|\s+$/g, ''));
  return `[quote=${postId}]\n${body}${body ? '\n' : ''}[/quote]\n\n`;
}

/**
 * A post's own words as plain text, from its rendered body: paragraphs apart by a
 * blank line, list items as «- » or «1. » lines, a Markdown quote as «> » lines;
 * the quotes of other posts inside it (blockquote.forum-quote) are left out, as a
 * forum quotes one post, not the thread it answered.
 */
export function postPlainText(body: Element): string {
  return blocks(body).join('\n\n');
}

function blocks(parent: Element): string[] {
  const out: string[] = [];
  for (const child of parent.children) {
    if (child.matches('blockquote.forum-quote')) continue;
    const tag = child.tagName;
    if (tag === 'UL' || tag === 'OL') {
      const lines = listLines(child, '');
      if (lines.length) out.push(lines.join('\n'));
    } else if (tag === 'BLOCKQUOTE') {
      const inner = blocks(child).join('\n\n');
      if (inner) out.push(inner.split('\n').map((line) => (line ? `> ${line}` : '>')).join('\n'));
    } else {
      const text = inline(child);
      if (text) out.push(text);
    }
  }
  return out;
}

/** «- item» / «1. item» lines, a nested list indented under its item. */
function listLines(list: Element, indent: string): string[] {
  const lines: string[] = [];
  let n = Number(list.getAttribute('start')) || 1;
  for (const li of list.children) {
    if (li.tagName !== 'LI') continue;
    const mark = list.tagName === 'OL' ? `${n++}.` : '-';
    const pad = `${indent}${' '.repeat(mark.length + 1)}`;
    lines.push(`${indent}${mark} ${inline(li).replace(/\n/g, `\n${pad}`)}`);
    for (const sub of li.children) if (sub.tagName === 'UL' || sub.tagName === 'OL') lines.push(...listLines(sub, pad));
  }
  return lines;
}

/**
 * The text of an element with its line breaks (<br>), emphasis and code marked as
 * the author would type them; links as `[text](href)` unless the text is the address.
 * No layout needed (innerText would want one).
 */
function inline(el: Element): string {
  let text = '';
  for (const node of el.childNodes) {
    if (node.nodeType === 3) text += node.textContent ?? '';
    else if (node.nodeName === 'BR') text += '\n';
    else if (node.nodeType === 1) {
      const child = node as Element;
      if (child.matches('ul, ol, blockquote')) continue;
      const inner = inline(child);
      if (!inner) continue;
      if (child.tagName === 'STRONG') text += `**${inner}**`;
      else if (child.tagName === 'EM') text += `*${inner}*`;
      else if (child.tagName === 'CODE') text += `\`${child.textContent ?? ''}\``;
      else if (child.tagName === 'A' && !child.classList.contains('forum-mention')) {
        const href = child.getAttribute('href') ?? '';
        text += href && href !== inner && href !== `mailto:${inner}` && href !== `http://${inner}` ? `[${inner}](${href})` : inner;
      } else text += inner;
    }
  }
  return text.replace(/[ \t]*\n[ \t]*/g, '\n').trim();
}
