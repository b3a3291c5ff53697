import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  MAX_MENTION_LINKS,
  MAX_MENTIONS,
  MAX_QUOTE_DEPTH,
  MAX_QUOTED_POSTS,
  mentionedHandles,
  postText,
  quoteSource,
  quotedPostIds,
  renderPost,
  type RenderContext,
} from './markdown.js';

const ctx: RenderContext = {
  quotes: new Map([
    [12, { authorName: 'Иван Петров', url: '/forum/transport/12-slug/?page=2#post-12' }],
    [31, { authorName: 'Ольга', url: '/forum/transport/12-slug/#post-31' }],
  ]),
  mentions: new Map([
    ['марина_к', '/forum/members/marina_k/'],
    ['ann', '/forum/members/ann/'],
  ]),
};
const none: RenderContext = { quotes: new Map(), mentions: new Map() };
const render = (source: string, c: RenderContext = ctx) => renderPost(source, c);
const count = (html: string, re: RegExp) => (html.match(new RegExp(re.source, 'g')) ?? []).length;

/** The deepest nesting of forum quotes in rendered HTML. */
function quoteDepth(html: string): number {
  const stack: boolean[] = [];
  let depth = 0;
  let max = 0;
  for (const m of html.matchAll(/<(\/?)blockquote(\s+class="forum-quote")?/g)) {
    if (m[1]) {
      if (stack.pop()) depth--;
    } else {
      const forum = !!m[2];
      stack.push(forum);
      if (forum) max = Math.max(max, ++depth);
    }
  }
  return max;
}

/** The tags and attributes the renderer may emit. */
const ALLOWED: Record<string, string[]> = {
  p: ['class'],
  br: [],
  strong: [],
  em: [],
  blockquote: ['class', 'data-post'],
  ul: [],
  ol: ['start'],
  li: [],
  a: ['href', 'rel', 'class'],
  code: [],
};
const SAFE_HREF = /^(?:https?:|mailto:|\/(?![/\\]))/i;

/** Every real tag (text has its `<` escaped) is allowed, with allowed attributes only, and every href is safe. */
function assertSafe(html: string): void {
  for (const m of html.matchAll(/<\/?([^\s>/]+)([^>]*)>/g)) {
    const allowed = ALLOWED[m[1]!];
    assert.ok(allowed, `tag <${m[1]}> in ${html}`);
    for (const a of m[2]!.matchAll(/\s([^\s=]+)="([^"]*)"/g)) {
      assert.ok(allowed.includes(a[1]!), `attribute ${a[1]} on <${m[1]}>`);
      if (a[1] === 'href') assert.match(a[2]!, SAFE_HREF, `href ${a[2]}`);
    }
    assert.equal(m[2]!.replace(/\s[^\s=]+="[^"]*"/g, '').replace(/\s*\/$/, ''), '', `attributes of ${m[0]}`);
  }
}

// ---------- Markdown ----------

test('each allowed construct renders', () => {
  assert.equal(render('Hello'), '<p>Hello</p>\n');
  assert.equal(render('one\ntwo\n\nthree'), '<p>one<br />\ntwo</p>\n<p>three</p>\n');
  assert.equal(render('**bold** __bold__ *it* _it_'), '<p><strong>bold</strong> <strong>bold</strong> <em>it</em> <em>it</em></p>\n');
  assert.equal(render('> said\n> more'), '<blockquote>\n<p>said<br />\nmore</p>\n</blockquote>\n');
  assert.equal(render('- a\n- b'), '<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n');
  assert.equal(render('3. c\n4. d'), '<ol start="3">\n<li>c</li>\n<li>d</li>\n</ol>\n');
  assert.equal(render('[site](https://example.com/a?b=1)'), '<p><a href="https://example.com/a?b=1" rel="nofollow ugc noopener">site</a></p>\n');
  assert.equal(render('use `a < b`'), '<p>use <code>a &lt; b</code></p>\n');
  assert.equal(render('see http://example.com/x now'), '<p>see <a href="http://example.com/x" rel="nofollow ugc noopener">http://example.com/x</a> now</p>\n');
  assert.equal(render('\\*not em\\* &copy; &amp;'), '<p>*not em* © &amp;</p>\n');
  assert.equal(render('[a page](/forum/transport/)'), '<p><a href="/forum/transport/" rel="nofollow ugc noopener">a page</a></p>\n');
  assert.equal(render('[write](mailto:ed@example.com)'), '<p><a href="mailto:ed@example.com" rel="nofollow ugc noopener">write</a></p>\n');
});

test('raw HTML shows as text', () => {
  const html = render('<script>alert(1)</script> <img src=x onerror=alert(1)> <a href="javascript:alert(1)">x</a>');
  assert.equal(html, '<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; &lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;</p>\n');
  assertSafe(html);
  assert.equal(render('<div>\n<b>block</b>\n</div>'), '<p>&lt;div&gt;<br />\n&lt;b&gt;block&lt;/b&gt;<br />\n&lt;/div&gt;</p>\n');
});

test('links to anything but the web, mail and the portal itself stay text', () => {
  for (const source of [
    '[x](javascript:alert(1))',
    '[x](JAVASCRIPT:alert(1))',
    '[x](  javascript:alert(1))',
    '[x](&#x6A;avascript:alert(1))',
    '[x](java&#09;script:alert(1))',
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '[x](data:image/png;base64,iVBORw0KGgo=)',
    '[x](vbscript:msgbox(1))',
    '[x](file:///etc/passwd)',
    '[x](//evil.example/)',
    '[x](ftp://example.com/)',
    '[x](relative/path)',
    'javascript:alert(1) data:text/html,x',
  ]) {
    const html = render(source);
    assert.doesNotMatch(html, /<a\b/, source);
    assert.doesNotMatch(html, /href=/, source);
  }
  assert.equal(render('[x](javascript:alert(1))'), '<p>[x](javascript:alert(1))</p>\n');
});

test('every link a writer makes gets rel="nofollow ugc noopener" and no target', () => {
  const html = render('[a](https://a.example) http://b.example [c](/c) x@example.com [d](mailto:d@example.com "title")');
  assert.equal(count(html, /<a /), 5);
  assert.equal(count(html, /<a [^>]*rel="nofollow ugc noopener"/), 5);
  assert.doesNotMatch(html, /target=|title=/);
  assert.match(html, /<a href="mailto:x@example.com" rel="nofollow ugc noopener">x@example.com<\/a>/);
});

test('images, headings, code blocks, fences, strikethrough, tables and rules do not render', () => {
  const html = render('![a](http://x/y.png)\n\n# Heading\n\nTitle\n===\n\n```\nfence\n```\n\n    indented\n\n~~struck~~\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n---\n\n<http://x.example>');
  assert.doesNotMatch(html, /<(img|h[1-6]|pre|del|s|table|tr|td|hr)\b/);
  assert.match(html, /<p>!<a href="http:\/\/x\/y.png" rel="nofollow ugc noopener">a<\/a><\/p>/);
  assert.match(html, /<p># Heading<\/p>/);
  assert.match(html, /~~struck~~/);
  assertSafe(html);
});

// ---------- quotes ----------

test('a quote of a post the reader may see names its author and links to it', () => {
  assert.equal(
    render('[quote=12]\nКогда пустят **трамвай**?\n[/quote]\nОсенью.'),
    '<blockquote class="forum-quote" data-post="12">\n' +
      '<p class="forum-quote__source"><a href="/forum/transport/12-slug/?page=2#post-12">Иван Петров</a> писал(а):</p>\n' +
      '<p>Когда пустят <strong>трамвай</strong>?</p>\n' +
      '</blockquote>\n' +
      '<p>Осенью.</p>\n',
  );
  assert.match(renderPost('[quote=12]\nx\n[/quote]', { ...ctx, wrote: 'wrote:' }), /<a href="[^"]+">Иван Петров<\/a> wrote:<\/p>/);
});

test('a quote of a post not in the context is a plain quote, without attribution', () => {
  assert.equal(render('[quote=99]\nsomething\n[/quote]'), '<blockquote class="forum-quote">\n<p>something</p>\n</blockquote>\n');
  assert.equal(render('[quote=12]\nsomething\n[/quote]', none), '<blockquote class="forum-quote">\n<p>something</p>\n</blockquote>\n');
});

test('the tags may share a line with the text: [quote=N]text[/quote]', () => {
  const html = render('[quote=31]Да, **осенью**.[/quote] \nХорошо.');
  assert.equal(html, '<blockquote class="forum-quote" data-post="31">\n<p class="forum-quote__source"><a href="/forum/transport/12-slug/#post-31">Ольга</a> писал(а):</p>\n<p>Да, <strong>осенью</strong>.</p>\n</blockquote>\n<p>Хорошо.</p>\n');
  assert.equal(quoteDepth(render('[quote=1][quote=2]inner[/quote]\nouter[/quote]')), 2);
  // A quote interrupts a paragraph; markdown inside it is ordinary markdown.
  assert.match(render('before\n[quote=1]\n- a\n- b\n[/quote]'), /^<p>before<\/p>\n<blockquote class="forum-quote">\n<ul>\n<li>a<\/li>/);
});

test('nested quotes are kept to MAX_QUOTE_DEPTH; deeper ones are dropped with their content', () => {
  assert.equal(MAX_QUOTE_DEPTH, 3);
  const source = ['[quote=1]', '[quote=2]', '[quote=3]', '[quote=4]', 'level four', '[/quote]', 'level three', '[/quote]', 'level two', '[/quote]', 'level one', '[/quote]', 'mine'].join('\n');
  const html = render(source, none);
  assert.equal(quoteDepth(html), 3);
  assert.equal(count(html, /<blockquote/), 3);
  for (const text of ['level three', 'level two', 'level one', 'mine']) assert.ok(html.includes(text), text);
  assert.ok(!html.includes('level four'));
  assert.ok(!html.includes('[quote') && !html.includes('[/quote]'));
  assert.deepEqual(quotedPostIds(source), [1, 2, 3]);
});

test('quote tags without their pair stay text', () => {
  assert.equal(render('[quote=1]\nno end'), '<p>[quote=1]<br />\nno end</p>\n');
  assert.equal(render('no start\n[/quote]'), '<p>no start<br />\n[/quote]</p>\n');
  assert.equal(render('a [quote=1] b [/quote] c'), '<p>a [quote=1] b [/quote] c</p>\n');
  assert.equal(render('[quote=1]\n[quote=2]\nx\n[/quote]', none), '<p>[quote=1]</p>\n<blockquote class="forum-quote">\n<p>x</p>\n</blockquote>\n');
  assert.equal(render('[quote=0]\nx\n[/quote]'), '<p>[quote=0]<br />\nx<br />\n[/quote]</p>\n');
  assert.equal(render('[quote=abc]\nx\n[/quote]'), '<p>[quote=abc]<br />\nx<br />\n[/quote]</p>\n');
  // Post ids are PostgreSQL integers: a larger number is no post.
  assert.equal(render('[quote=2147483648]\nx\n[/quote]'), '<p>[quote=2147483648]<br />\nx<br />\n[/quote]</p>\n');
  assert.deepEqual(quotedPostIds('[quote=2147483648]\nx\n[/quote]\n[quote=2147483647]\ny\n[/quote]'), [2147483647]);
  // Escaped, or inside a Markdown blockquote, a tag is text.
  assert.equal(render('\\[quote=1]\nx\n[/quote]'), '<p>[quote=1]<br />\nx<br />\n[/quote]</p>\n');
  assert.equal(render('> [quote=1]\n> x\n> [/quote]'), '<blockquote>\n<p>[quote=1]<br />\nx<br />\n[/quote]</p>\n</blockquote>\n');
});

test('the quoted author name and URL are escaped', () => {
  const evil: RenderContext = {
    quotes: new Map([[5, { authorName: '<script>alert(1)</script>"', url: '/forum/x/?a="><script>alert(2)</script>' }]]),
    mentions: new Map(),
  };
  const html = renderPost('[quote=5]\nx\n[/quote]', evil);
  assert.ok(!html.includes('<script'));
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /<a href="\/forum\/x\/\?a=&quot;&gt;&lt;script&gt;alert\(2\)&lt;\/script&gt;">/);
  assertSafe(html);
  const bad = renderPost('[quote=5]\nx\n[/quote]', { quotes: new Map([[5, { authorName: 'A', url: 'javascript:alert(1)' }]]), mentions: new Map() });
  assert.doesNotMatch(bad, /javascript/);
});

// ---------- mentions ----------

test('a mention of a known member links to the profile; an unknown one stays text', () => {
  assert.equal(
    render('@Марина_К, @ann и @nobody'),
    '<p><a class="forum-mention" href="/forum/members/marina_k/">@Марина_К</a>, <a class="forum-mention" href="/forum/members/ann/">@ann</a> и @nobody</p>\n',
  );
  assert.equal(render('(@ANN) **@ann**'), '<p>(<a class="forum-mention" href="/forum/members/ann/">@ANN</a>) <strong><a class="forum-mention" href="/forum/members/ann/">@ann</a></strong></p>\n');
});

test('e-mail addresses, code, links and odd handles are not mentions', () => {
  for (const source of ['ivan@ann', 'ivan@ann.example.com', 'x_@ann', '`@ann`', '[@ann](https://x.example)', 'https://x.example/@ann', '@a', `@${'a'.repeat(33)}`]) {
    assert.doesNotMatch(render(source), /forum-mention/, source);
  }
  assert.match(render(`@${'я'.repeat(32)}`, { quotes: new Map(), mentions: new Map([['я'.repeat(32), '/m/']]) }), /forum-mention/);
});

test('mentions inside quotes of other posts are not links and not mentions of this post', () => {
  const source = '[quote=12]\n@ann сказала\n[/quote]\n@Марина_К';
  assert.deepEqual(mentionedHandles(source), ['марина_к']);
  const html = render(source);
  assert.equal(count(html, /forum-mention/), 1);
  assert.match(html, /<p>@ann сказала<\/p>/);
});

test('mentionedHandles: lower-cased, unique, in order of first appearance, limited', () => {
  assert.deepEqual(mentionedHandles('@Bob, @alice @BOB @Марина_К `@code` @bob x@mail.example [@link](/x)'), ['bob', 'alice', 'марина_к']);
  assert.deepEqual(mentionedHandles('@a1 @a2 @a3 @a4', 2), ['a1', 'a2']);
  assert.deepEqual(mentionedHandles('@a1 @a2', 0), []);
  const many = Array.from({ length: 80 }, (_, i) => `@user${i}`).join(' ');
  assert.equal(mentionedHandles(many).length, MAX_MENTIONS);
  assert.equal(mentionedHandles(many, 70).length, 70);
  assert.deepEqual(mentionedHandles('no mentions here'), []);
});

// ---------- quotedPostIds, postText, quoteSource ----------

test('quotedPostIds: the quotes that render, unique, in order, at most 20', () => {
  assert.deepEqual(quotedPostIds('[quote=7]\na\n[/quote]\n[quote=3]\n[quote=7]\nb\n[/quote]\n[/quote]\n[quote=5]\nunclosed'), [7, 3]);
  assert.deepEqual(quotedPostIds('no quotes [quote=1] here'), []);
  const many = Array.from({ length: 30 }, (_, i) => `[quote=${i + 1}]\nx\n[/quote]`).join('\n');
  assert.equal(MAX_QUOTED_POSTS, 20);
  assert.deepEqual(quotedPostIds(many), Array.from({ length: 20 }, (_, i) => i + 1));
});

test('postText: what a reader reads, without markup and quoted posts', () => {
  assert.equal(postText('**Hello**,   _world_!\n\n- one\n- two\n\n> said `code` [link](http://x.example) &amp; @ann'), 'Hello, world! one two said code link & @ann');
  assert.equal(postText('[quote=1]\nsomeone else\n[/quote]\nmy answer'), 'my answer');
  assert.equal(postText('<b>raw</b>'), '<b>raw</b>');
  assert.equal(postText('**  **'), '');
  assert.equal(postText('[quote=1]x[/quote]'), '');
  assert.equal(postText('[quote=1]\nx\n[/quote]\n\n**  **\n\n__'), '');
  assert.equal(postText('[](http://x.example)'), '');
  assert.equal(postText('  \n\n  '), '');
  assert.equal(postText('x'), 'x');
  assert.equal(postText('👍'), '👍');
});

test('quoteSource builds a quote that round-trips', () => {
  assert.equal(quoteSource(31, 'Да, осенью.'), '[quote=31]\nДа, осенью.\n[/quote]\n\n');
  assert.equal(quoteSource(31, '\r\n  two\r\nlines  \n\n'), '[quote=31]\n  two\nlines\n[/quote]\n\n');
  assert.deepEqual(quotedPostIds(quoteSource(31, 'x')), [31]);
  assert.deepEqual(quotedPostIds(quoteSource(31, '') + 'reply'), [31]);
  assert.deepEqual(quotedPostIds(quoteSource(31, '[quote=12]\ninner\n[/quote]\nouter')), [31, 12]);
  assert.equal(postText(quoteSource(31, 'quoted') + 'reply'), 'reply');
  // A stray tag in the quoted text cannot close the quote early.
  const stray = quoteSource(31, 'a\n[/quote]\nb\n[quote=4]');
  assert.deepEqual(quotedPostIds(stray), [31]);
  assert.equal(
    render(stray + 'reply'),
    '<blockquote class="forum-quote" data-post="31">\n<p class="forum-quote__source"><a href="/forum/transport/12-slug/#post-31">Ольга</a> писал(а):</p>\n<p>a<br />\n[/quote]<br />\nb<br />\n[quote=4]</p>\n</blockquote>\n<p>reply</p>\n',
  );
  for (const id of [0, -1, 1.5, Number.NaN, 2 ** 31]) assert.throws(() => quoteSource(id, 'x'), RangeError);
});

// ---------- hostile input ----------

test('50,000 ">" build at most 20 levels', () => {
  for (const source of ['>'.repeat(50_000), '> '.repeat(25_000), `${'>'.repeat(50)} x\n`.repeat(1_000)]) {
    const html = render(source);
    assert.ok(count(html, /<blockquote/) <= 20);
    assert.ok(html.length < 5_000);
  }
});

test('[quote=1] 10,000 times: text when unpaired, three levels when paired', () => {
  const oneLine = '[quote=1]'.repeat(10_000);
  assert.equal(render(oneLine), `<p>${oneLine}</p>\n`);
  assert.deepEqual(quotedPostIds(oneLine), []);
  const lines = '[quote=1]\n'.repeat(10_000);
  assert.equal(count(render(lines), /<blockquote/), 0);
  const closes = '[/quote]\n'.repeat(10_000);
  assert.equal(count(render(closes), /<blockquote/), 0);
  for (const nested of ['[quote=1]\n'.repeat(10_000) + 'deep\n' + '[/quote]\n'.repeat(10_000), '[quote=1]'.repeat(10_000) + 'deep' + '[/quote]'.repeat(10_000)]) {
    const html = render(nested);
    assert.equal(quoteDepth(html), MAX_QUOTE_DEPTH);
    assert.equal(count(html, /<blockquote/), MAX_QUOTE_DEPTH);
    assert.ok(!html.includes('deep'));
    assert.deepEqual(quotedPostIds(nested), [1]);
    assert.equal(postText(nested), '');
  }
});

test('10,000 mentions make a bounded number of links', () => {
  assert.doesNotMatch(render('@a '.repeat(10_000)), /forum-mention/);
  const same = render('@ann '.repeat(10_000));
  assert.equal(count(same, /class="forum-mention"/), MAX_MENTION_LINKS);
  const handles = Array.from({ length: 10_000 }, (_, i) => `u${i}`);
  const everyone: RenderContext = { quotes: new Map(), mentions: new Map(handles.map((h) => [h, `/m/${h}/`])) };
  const distinct = renderPost(handles.map((h) => `@${h}`).join(' '), everyone);
  assert.equal(count(distinct, /class="forum-mention"/), MAX_MENTIONS);
  assert.equal(mentionedHandles(handles.map((h) => `@${h}`).join(' ')).length, MAX_MENTIONS);
});

test('"**" 20,000 times and other delimiter storms render as bounded text', () => {
  for (const source of ['**'.repeat(20_000), '**x'.repeat(20_000), '_'.repeat(20_000), '['.repeat(20_000), '[a]('.repeat(10_000), '`'.repeat(20_000), '*a _b '.repeat(10_000)]) {
    const html = render(source);
    assertSafe(html);
    assert.ok(html.length < source.length * 8, `${source.slice(0, 10)}…: ${html.length}`);
  }
  assert.doesNotMatch(render('**'.repeat(20_000)), /<strong>/);
  assert.equal(postText('**'.repeat(20_000)), '');
});

// ---------- properties ----------

test('any mix of the syntax renders safe HTML with at most three levels of quotes, and quotes round-trip', () => {
  const piece = fc.constantFrom(
    '[quote=1]', '[quote=12]', '[/quote]', '\\', '\n', '\n\n', ' ', '    ', '- ', '1. ', '> ', '*', '**', '_', '`', '[', ']', '(', ')', '](',
    '@ann', '@Марина_К', 'x', 'текст', 'http://a.example/b', 'javascript:alert(1)', 'data:text/html,x', '//evil', 'mailto:a@b.example', '&amp;', '&#x6A;', '<script>', '<img src=x onerror=alert(1)>', '"', "'",
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 80 }).map((parts) => parts.join('')), (source) => {
      const html = render(source);
      assertSafe(html);
      assert.ok(quoteDepth(html) <= MAX_QUOTE_DEPTH);
      assert.ok(quotedPostIds(source).length <= MAX_QUOTED_POSTS);
      const quoted = quoteSource(7, source);
      assert.equal(quotedPostIds(quoted)[0], 7);
      assert.ok(quotedPostIds(quoted + '\nreply').length >= 1);
      assert.equal(postText(quoted + 'reply'), 'reply');
    }),
    { numRuns: 2_000 },
  );
});
