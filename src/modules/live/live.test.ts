// Live coverage on a real portal: who may write entries and what is refused, the
// readers' page (entries, key events, the page around an entry, JSON-LD, RSS), the
// range URLs, the event stream (ticks, Last-Event-ID, ceilings), and two instances
// sharing Redis.
import http from 'node:http';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import type { Client } from '../../../test/support/client.js';
import sharp from 'sharp';
import { articlePayload, firstSectionId, staffClient, upload } from '../../../test/support/newsroom.js';
import { LIVE_SETTINGS } from './settings.js';

let portal: Portal;
let editor: Client;
let author: Client;
let authorId: number;
let liveId: number;
let otherLiveId: number;
let liveUrl: string;

const para = (text: string) => ({ blocks: [{ type: 'paragraph', data: { text } }] });

/** An SSE client: collects the events of one stream. */
function openStream(base: string, path: string, headers: Record<string, string> = {}) {
  const events: { id?: string; data: string; retry?: string }[] = [];
  let status = 0;
  let closed = false;
  let waiters: (() => void)[] = [];
  let destroy = () => {};
  const wake = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const ready = new Promise<void>((resolve) => {
    const req = http.get(base + path, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      status = res.statusCode ?? 0;
      resolve();
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const ev: { id?: string; data: string; retry?: string } = { data: '' };
          for (const line of block.split('\n')) {
            const [k, ...v] = line.split(': ');
            if (k === 'id') ev.id = v.join(': ');
            else if (k === 'data') ev.data = v.join(': ');
            else if (k === 'retry') ev.retry = v.join(': ');
          }
          if (ev.data) events.push(ev);
        }
        wake();
      });
      res.on('close', () => {
        closed = true;
        wake();
      });
    });
    req.on('error', () => {
      closed = true;
      resolve();
      wake();
    });
    destroy = () => req.destroy();
  });
  const stream = {
    events,
    ready,
    get status() {
      return status;
    },
    get closed() {
      return closed;
    },
    close: () => destroy(),
    /** Waits until an event with data ≥ n arrives (or ms pass). */
    async until(n: number, ms = 3000) {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        const hit = events.find((e) => Number(e.data) >= n);
        if (hit) return hit;
        if (closed) break;
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
      return undefined;
    },
  };
  return stream;
}

before(async () => {
  portal = await startPortal({ config: { trustProxy: '127.0.0.1' } });
  editor = (await staffClient(portal, 'editor')).client;
  const a = await staffClient(portal, 'author');
  author = a.client;
  authorId = a.userId;
  const [first, second] = await portal.app.content.latest({ limit: 2 });
  liveId = first!.id;
  liveUrl = first!.url;
  otherLiveId = second!.id;
  for (const id of [liveId, otherLiveId]) {
    const res = await editor.submit('/admin/live', { article: String(id) });
    assert.equal(res.status, 303, res.text.slice(0, 300));
    assert.equal(res.location, `/admin/live/${id}`);
  }
});
after(() => portal?.close());

test('an editor runs the coverage: entries, drafts published with one click, pins, edits and deletions as versions', async () => {
  const added = await editor.api('POST', `/api/admin/live/${liveId}/entries`, { title: 'Снегопад начался', blocks: para('Первые хлопья в 6:40.'), keyEvent: true });
  assert.equal(added.status, 201, added.text);
  const e1 = added.json<{ id: number; seq: number; version: number }>();
  assert.equal(e1.version, 1);
  const draft = await editor.api('POST', `/api/admin/live/${liveId}/entries`, { blocks: para('Черновик про пробки.'), status: 'draft' });
  assert.equal(draft.status, 201);
  const d = draft.json<{ id: number; status: string }>();
  assert.equal(d.status, 'draft');
  // The draft is not on the readers' page; published with one click, it is.
  assert.doesNotMatch((await portal.client().get(liveUrl)).text, /Черновик про пробки/);
  assert.equal((await editor.submit(`/admin/live/${liveId}/entries/${d.id}`, { action: 'publish' })).status, 303);
  const page = (await portal.client().get(liveUrl)).text;
  assert.match(page, /Черновик про пробки/);
  assert.match(page, /Снегопад начался/);
  assert.match(page, /Ключевые события/);
  // The key event's link holds its title alone (the time beside it, not underlined with it).
  assert.match(page, new RegExp(`href="#entry-${e1.id}">Снегопад начался</a>`));
  // Edit: a new version; readers see the latest, the console's log every one.
  const edited = await editor.api('PUT', `/api/admin/live/${liveId}/entries/${e1.id}`, { title: 'Снегопад начался ночью', blocks: para('Первые хлопья в 5:10.'), keyEvent: true });
  assert.equal(edited.status, 200, edited.text);
  assert.equal(edited.json<{ version: number }>().version, 2);
  const after = (await portal.client().get(liveUrl)).text;
  assert.match(after, /Первые хлопья в 5:10/);
  assert.doesNotMatch(after, /Первые хлопья в 6:40/);
  const consolePage = (await editor.get(`/admin/live/${liveId}`)).text;
  assert.match(consolePage, /Журнал изменений/);
  assert.match(consolePage, /версия 2/);
  // Pin: one per article.
  assert.equal((await editor.api('POST', `/api/admin/live/${liveId}/entries/${e1.id}/pin`, { pinned: true })).status, 200);
  const pin2 = await editor.api('POST', `/api/admin/live/${liveId}/entries/${d.id}/pin`, { pinned: true });
  assert.equal(pin2.status, 200);
  assert.equal(pin2.json<{ changed: unknown[] }>().changed.length, 2, 'the entry pinned before is unpinned');
  const pinned = await portal.app.live.current(liveId, { published: true });
  assert.deepEqual(pinned.filter((e) => e.pinned).map((e) => e.id), [d.id]);
  // Delete: a tombstone; gone from the page, kept in the log.
  assert.equal((await editor.api('DELETE', `/api/admin/live/${liveId}/entries/${d.id}`)).status, 200);
  assert.doesNotMatch((await portal.client().get(liveUrl)).text, /Черновик про пробки/);
  const history = await portal.app.live.history(liveId, d.id);
  assert.deepEqual(history.map((v) => v.status), ['draft', 'published', 'published', 'deleted']);
});

test('bad input is refused: not live, not the author’s, empty, oversized, foreign blocks, another article’s entry, ended', async () => {
  // An article that is not live.
  const plain = (await portal.app.content.latest({ limit: 5 })).find((c) => c.id !== liveId && c.id !== otherLiveId)!;
  let res = await editor.api('POST', `/api/admin/live/${plain.id}/entries`, { blocks: para('Нет') });
  assert.equal(res.status, 409, res.text);
  assert.equal(res.json<{ error: { code: string } }>().error.code, 'live.not_live');
  // An author who is not the article's.
  res = await author.api('POST', `/api/admin/live/${liveId}/entries`, { blocks: para('Чужая') });
  assert.equal(res.status, 403, res.text);
  assert.match(res.json<{ error: { message: string } }>().error.message, /авторы статьи/);
  // Empty, oversized, a block type entries do not take.
  res = await editor.api('POST', `/api/admin/live/${liveId}/entries`, { blocks: [] });
  assert.equal(res.status, 400);
  assert.equal(res.json<{ error: { code: string } }>().error.code, 'live.empty');
  res = await editor.api('POST', `/api/admin/live/${liveId}/entries`, { blocks: para('а'.repeat(40_000)) });
  assert.equal(res.status, 413);
  res = await editor.api('POST', `/api/admin/live/${liveId}/entries`, { blocks: [{ type: 'header', data: { text: 'Заголовок', level: 2 } }] });
  assert.equal(res.status, 400);
  res = await editor.api('POST', `/api/admin/live/${liveId}/entries`, { blocks: [{ type: 'paragraph', data: { text: '   ' } }] });
  assert.equal(res.status, 400);
  res = await editor.submit(`/admin/live/${liveId}/entries`, { text: '   ' });
  assert.equal(res.status, 400);
  // A pin of another article's entry.
  const other = await editor.api('POST', `/api/admin/live/${otherLiveId}/entries`, { blocks: para('Другая трансляция') });
  const otherEntry = other.json<{ id: number }>().id;
  res = await editor.api('POST', `/api/admin/live/${liveId}/entries/${otherEntry}/pin`, { pinned: true });
  assert.equal(res.status, 404);
  // Anonymous: no; a reader: no.
  assert.equal((await portal.client().api('POST', `/api/admin/live/${liveId}/entries`, { blocks: para('x') })).status, 401);
  // Ended coverage takes no new entries.
  assert.equal((await editor.submit(`/admin/live/${otherLiveId}/settings`, { end: '1' })).status, 303);
  res = await editor.api('POST', `/api/admin/live/${otherLiveId}/entries`, { blocks: para('После конца') });
  assert.equal(res.status, 409);
  assert.equal(res.json<{ error: { code: string } }>().error.code, 'live.ended');
});

test('an author of the article runs its coverage from the console, without JavaScript', async () => {
  const sectionId = await firstSectionId(portal);
  const id = await portal.app.newsroom.createArticle({ id: authorId, email: '', displayName: 'Автор', role: 'author' }, { ...articlePayload(sectionId, { title: 'Трансляция автора' }), type: 'news' } as never);
  await portal.app.live.configure(id, { startsAt: new Date(Date.now() - 60_000), endsAt: null, order: 'oldest' });
  assert.equal((await author.get(`/admin/live/${id}`)).status, 200);
  const res = await author.submit(`/admin/live/${id}/entries`, { title: 'Из консоли', text: 'Первый абзац.\n\n> Цитата\n— Мэр\n\n- раз\n- два', keyEvent: '1' });
  assert.equal(res.status, 303, res.text.slice(0, 300));
  const [entry] = await portal.app.live.current(id);
  assert.deepEqual(entry!.blocks.map((b) => b.type), ['paragraph', 'quote', 'list']);
  assert.equal(entry!.keyEvent, true);
  // Another author may not.
  const stranger = (await staffClient(portal, 'author', 'stranger')).client;
  assert.equal((await stranger.get(`/admin/live/${id}`)).status, 403);
  assert.equal((await stranger.submit(`/admin/live/${id}/entries`, { text: 'Чужое' })).status, 403);
});

test('the console’s block editor: blocks with an uploaded image from the form, shown to readers; bad blocks refused; edits without JavaScript keep the photos', async () => {
  // The console page: its Editor.js bundle (the editor's CSP) and each form's blocks.
  const page = await editor.get(`/admin/live/${liveId}`);
  assert.equal(page.status, 200);
  const src = /<script[^>]+src="(\/admin\/live\/assets\/live-console\.[0-9a-f]{10}\.js)"/.exec(page.text)?.[1];
  assert.ok(src, 'the console loads its block editor');
  assert.match(page.headers.get('content-security-policy') ?? '', /style-src 'self' 'unsafe-inline'/);
  const bundle = await portal.client().get(src);
  assert.equal(bundle.status, 200);
  assert.match(bundle.text, /uploadByFile/);
  assert.equal((await portal.client().get('/admin/live/assets/live-console.0000000000.js')).status, 404);
  assert.match(page.text, /id="live-editor-data"/);
  assert.match(page.text, /Маркированный список/);

  // An image uploaded through the media module, then an entry of blocks as the console's editor sends it.
  const jpeg = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#3a6ea5' } }).jpeg().toBuffer();
  const up = await upload(portal, editor, jpeg, 'sugrob.jpg', 'image/jpeg');
  assert.equal(up.status, 201, up.text);
  const file = up.json().file as { url: string; imageId: number };
  const blocks = [
    { type: 'paragraph', data: { text: 'Сугробы <b>по пояс</b> на Садовой.' } },
    { type: 'image', data: { file, caption: 'Садовая в полдень', withBorder: false, stretched: false, withBackground: false } },
    { type: 'list', data: { style: 'ordered', items: ['Лопата', 'Валенки'] } },
    { type: 'quote', data: { text: 'Такого снега не было лет десять', caption: 'Дворник', alignment: 'left' } },
  ];
  const res = await editor.submit(`/admin/live/${liveId}/entries`, { title: 'Фото с Садовой', blocks: JSON.stringify(blocks), text: 'не читается', keyEvent: '1' });
  assert.equal(res.status, 303, res.text.slice(0, 300));
  // The island sends the same fields as JSON (a long Russian entry would pass the form's 64 KB as urlencoded).
  const viaJson = await editor.api('POST', `/admin/live/${liveId}/entries`, { title: 'Через редактор', blocks: JSON.stringify([{ type: 'paragraph', data: { text: 'ж'.repeat(15_000) } }]), status: 'draft' });
  assert.equal(viaJson.status, 303, viaJson.text.slice(0, 300));
  const entry = (await portal.app.live.current(liveId)).filter((e) => e.title === 'Фото с Садовой')[0]!;
  assert.equal(entry.title, 'Фото с Садовой');
  assert.deepEqual(entry.blocks.map((b) => b.type), ['paragraph', 'image', 'list', 'quote']);
  // Readers: the article's renderer — the picture from the media module's variants, the caption, the list.
  const reader = (await portal.client().get(liveUrl)).text;
  const shown = new RegExp(`<article[^>]*id="entry-${entry.id}"[\\s\\S]*?</article>`).exec(reader)?.[0] ?? '';
  assert.match(shown, /Сугробы <b>по пояс<\/b> на Садовой/);
  assert.match(shown, /<picture>[\s\S]*srcset="\/uploads\/[^"]+ 480w/, 'the responsive picture of the uploaded image');
  assert.match(shown, /Садовая в полдень/);
  assert.match(shown, /<ol[^>]*>\s*<li>Лопата<\/li>/);
  // The range URL carries the same HTML.
  const range = await portal.client().get(`/live/${liveId}/entries?after=${entry.seq - 1}&upto=${entry.seq}`);
  assert.match(range.json<{ items: { html: string }[] }>().items[0]!.html, /Садовая в полдень/);

  // Bad input through the form, as through the API: 4xx with the Russian words, nothing written.
  const before = (await portal.app.live.log(liveId, 1000)).length;
  const refused: [Record<string, string>, number, RegExp][] = [
    [{ blocks: '{нет' }, 400, /Запись не прочитана/],
    [{ blocks: JSON.stringify([{ type: 'header', data: { text: 'З', level: 2 } }]) }, 400, /не поддерживается/],
    [{ blocks: JSON.stringify([{ type: 'script', data: {} }]) }, 400, /Запись не прочитана|не поддерживается/],
    [{ blocks: JSON.stringify([{ type: 'image', data: { file: { url: 'https://example.com/x.jpg' }, caption: '' } }]) }, 400, /Запись не прочитана/],
    [{ blocks: JSON.stringify([{ type: 'paragraph', data: { text: 'а'.repeat(40_000) } }]) }, 413, /не больше 32 КБ/],
    [{ blocks: JSON.stringify(Array.from({ length: 31 }, () => ({ type: 'paragraph', data: { text: 'а' } }))) }, 413, /не больше 30 блоков/],
    [{ blocks: '[]' }, 400, /Запись пуста/],
    [{ blocks: 'а'.repeat(250_000) }, 400, /[а-я]/],
  ];
  for (const [form, status, words] of refused) {
    // As the console's editor sends it (the form's fields as JSON), and as a plain form.
    const r = await editor.api('POST', `/admin/live/${liveId}/entries`, form);
    assert.equal(r.status, status, `${form.blocks!.slice(0, 60)}: ${r.text.slice(0, 200)}`);
    assert.match(r.json<{ error: { message: string } }>().error.message, words);
    const html = await editor.submit(`/admin/live/${liveId}/entries`, form);
    assert.ok(html.status >= 400 && html.status < 500, `${html.status}`);
    assert.match(html.text, /<html/);
  }
  assert.equal((await portal.app.live.log(liveId, 1000)).length, before, 'nothing written');

  // An edit from the page without JavaScript: the text shows «[фото 1]» where the picture is, and keeps it.
  const consoleHtml = (await editor.get(`/admin/live/${liveId}`)).text;
  assert.match(consoleHtml, /\[фото 1\]/);
  let edit = await editor.submit(`/admin/live/${liveId}/entries/${entry.id}`, { action: 'edit', title: 'Фото с Садовой', text: 'Сугробы по колено.\n\n[фото 1]', keyEvent: '1' });
  assert.equal(edit.status, 303, edit.text.slice(0, 300));
  let latest = (await portal.app.live.history(liveId, entry.id)).at(-1)!;
  assert.deepEqual(latest.blocks.map((b) => b.type), ['paragraph', 'image']);
  assert.equal((latest.blocks[1]!.data as { file: { imageId: number } }).file.imageId, file.imageId);
  // A photo the entry does not have stays text; an edit through the block editor's field replaces the blocks.
  edit = await editor.submit(`/admin/live/${liveId}/entries/${entry.id}`, { action: 'edit', text: '[фото 7]' });
  latest = (await portal.app.live.history(liveId, entry.id)).at(-1)!;
  assert.deepEqual(latest.blocks, [{ type: 'paragraph', data: { text: '[фото 7]' } }]);
  edit = await editor.submit(`/admin/live/${liveId}/entries/${entry.id}`, { action: 'edit', blocks: JSON.stringify(blocks.slice(0, 2)) });
  assert.equal(edit.status, 303);
  latest = (await portal.app.live.history(liveId, entry.id)).at(-1)!;
  assert.deepEqual(latest.blocks.map((b) => b.type), ['paragraph', 'image']);
});

test('the page around an entry, JSON-LD, the RSS, the home page’s «Онлайн» mark', async () => {
  const ids: number[] = [];
  for (let i = 0; i < 33; i++) {
    const r = await editor.api('POST', `/api/admin/live/${liveId}/entries`, { blocks: para(`Запись номер ${i}`), at: new Date(Date.now() - (40 - i) * 60_000).toISOString() });
    ids.push(r.json<{ id: number }>().id);
  }
  const page = (await portal.client().get(liveUrl)).text;
  // Newest first: the oldest of these is on page 2, reached by its own address.
  assert.doesNotMatch(page, /Запись номер 0</);
  assert.match(page, /Более ранние записи/);
  const entryPage = await portal.client().get(`${liveUrl}entry/${ids[0]}/`);
  assert.equal(entryPage.status, 200);
  assert.match(entryPage.text, /Запись номер 0</);
  assert.match(entryPage.text, /Страница 2 из 2/);
  assert.equal((await portal.client().get(`${liveUrl}entry/99999999/`)).status, 404);
  // JSON-LD.
  assert.match(page, /"@type":"LiveBlogPosting"/);
  assert.match(page, /"coverageStartTime"/);
  assert.doesNotMatch(page, /"coverageEndTime"/);
  assert.match(page, /"liveBlogUpdate":\[\{"@type":"BlogPosting"/);
  // RSS.
  const rss = await portal.client().get(`/live/${liveId}/rss.xml`);
  assert.equal(rss.status, 200);
  assert.match(rss.text, /<item><title>Запись номер 32<\/title>/);
  // The home page marks it.
  await portal.app.pageCache.purge(['*']);
  const home = (await portal.client().get('/')).text;
  assert.match(home, /label--live/);
});

test('ranges: exactly the changes between two heads, the same bytes every time; bad ranges refused', async () => {
  const head0 = await portal.app.live.head(liveId);
  const a = (await editor.api('POST', `/api/admin/live/${liveId}/entries`, { blocks: para('Диапазон А') })).json<{ id: number; seq: number }>();
  const draft = (await editor.api('POST', `/api/admin/live/${liveId}/entries`, { blocks: para('Диапазон черновик'), status: 'draft' })).json<{ seq: number }>();
  const del = (await editor.api('DELETE', `/api/admin/live/${liveId}/entries/${a.id}`)).json<{ seq: number }>();
  const reader = portal.client();
  const res = await reader.get(`/live/${liveId}/entries?after=${head0}&upto=${del.seq}`);
  assert.equal(res.status, 200, res.text);
  const body = res.json<{ items: { seq: number; id: number; status: string; html: string }[] }>();
  assert.deepEqual(body.items.map((i) => [i.seq, i.status]), [[a.seq, 'published'], [del.seq, 'deleted']], 'the draft is not there');
  assert.match(body.items[0]!.html, /Диапазон А/);
  assert.ok(draft.seq > a.seq);
  const again = await reader.get(`/live/${liveId}/entries?after=${head0}&upto=${del.seq}`);
  assert.equal(again.headers.get('x-cache'), 'hit');
  assert.equal(again.text, res.text);
  // Beyond the head, backwards, not numbers.
  assert.equal((await reader.get(`/live/${liveId}/entries?after=${del.seq}&upto=${del.seq + 1000}`)).status, 400);
  assert.equal((await reader.get(`/live/${liveId}/entries?after=5&upto=2`)).status, 400);
  assert.equal((await reader.get(`/live/${liveId}/entries?after=x&upto=2`)).status, 400);
  // The head.
  const head = await reader.get(`/live/${liveId}/head`);
  assert.equal(head.json<{ head: number }>().head, draft.seq > del.seq ? draft.seq : del.seq);
});

test('the stream: a tick with retry on connect and on each write; Last-Event-ID gets exactly what was missed; bad ids refused', async () => {
  const head = await portal.app.live.head(liveId);
  const s = openStream(portal.url, `/live/${liveId}/stream`);
  await s.ready;
  assert.equal(s.status, 200);
  const first = await s.until(head);
  assert.ok(first, 'the current head at once');
  assert.equal(first!.id, String(head));
  assert.match(first!.retry ?? '', /^\d+$/);
  const e = (await editor.api('POST', `/api/admin/live/${liveId}/entries`, { blocks: para('В поток') })).json<{ seq: number }>();
  const tick = await s.until(e.seq);
  assert.ok(tick, 'the write ticks the stream');
  assert.equal(tick!.data, String(e.seq));
  s.close();

  // Missed while away: two entries; the reconnect's tick and the range give exactly them.
  const x = (await editor.api('POST', `/api/admin/live/${liveId}/entries`, { blocks: para('Пропущено 1') })).json<{ seq: number }>();
  const y = (await editor.api('POST', `/api/admin/live/${liveId}/entries`, { blocks: para('Пропущено 2') })).json<{ seq: number }>();
  const back = openStream(portal.url, `/live/${liveId}/stream`, { 'last-event-id': String(e.seq) });
  await back.ready;
  assert.equal(back.status, 200);
  const caught = await back.until(y.seq);
  assert.equal(caught?.data, String(y.seq));
  const missed = (await portal.client().get(`/live/${liveId}/entries?after=${e.seq}&upto=${caught!.data}`)).json<{ items: { seq: number }[] }>();
  assert.deepEqual(missed.items.map((i) => i.seq), [x.seq, y.seq]);
  back.close();

  for (const bad of ['abc', '-1', '1e5', String(y.seq + 1_000_000)]) {
    const res = await fetch(`${portal.url}/live/${liveId}/stream`, { headers: { 'last-event-id': bad } });
    assert.equal(res.status, 400, bad);
    await res.body?.cancel();
  }
  // Not a live article.
  const plain = (await portal.app.content.latest({ limit: 5 })).find((c) => c.id !== liveId && c.id !== otherLiveId)!;
  const res = await fetch(`${portal.url}/live/${plain.id}/stream`);
  assert.equal(res.status, 404);
  await res.body?.cancel();
});

test('ceilings: per address (429) and per instance (503 with the poll interval)', async () => {
  await portal.app.settings.set(LIVE_SETTINGS.maxStreamsPerAddress, 3);
  const streams = [];
  for (let i = 0; i < 3; i++) {
    const s = openStream(portal.url, `/live/${liveId}/stream`, { 'x-forwarded-for': '203.0.113.9' });
    await s.ready;
    assert.equal(s.status, 200);
    streams.push(s);
  }
  const fourth = await fetch(`${portal.url}/live/${liveId}/stream`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
  assert.equal(fourth.status, 429);
  await fourth.body?.cancel();
  // Another address still may.
  const other = openStream(portal.url, `/live/${liveId}/stream`, { 'x-forwarded-for': '203.0.113.10' });
  await other.ready;
  assert.equal(other.status, 200);
  // The instance's ceiling: everyone polls.
  await portal.app.settings.set(LIVE_SETTINGS.maxStreams, 0);
  const refused = await fetch(`${portal.url}/live/${liveId}/stream`, { headers: { 'x-forwarded-for': '203.0.113.11' } });
  assert.equal(refused.status, 503);
  const body = (await refused.json()) as { head: number; poll: number };
  assert.ok(body.poll >= 2000 && body.head > 0);
  for (const s of [...streams, other]) s.close();
  await portal.app.settings.set(LIVE_SETTINGS.maxStreams, 20_000);
  await portal.app.settings.set(LIVE_SETTINGS.maxStreamsPerAddress, 20);
  // Closed streams free their places.
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(portal.app.liveStreams.count, 0);
});

test('two instances sharing Redis: an entry published on A arrives on a stream opened on B', { skip: !process.env.DATABASE_URL || !process.env.REDIS_URL ? 'needs DATABASE_URL and REDIS_URL (CI runs it)' : false }, async () => {
  const b = await startPortal({ shareWith: portal, config: { trustProxy: '127.0.0.1' } });
  try {
    const s = openStream(b.url, `/live/${liveId}/stream`);
    await s.ready;
    assert.equal(s.status, 200);
    await s.until(await portal.app.live.head(liveId));
    const started = Date.now();
    const e = (await editor.api('POST', `/api/admin/live/${liveId}/entries`, { blocks: para('С экземпляра А') })).json<{ seq: number }>();
    const tick = await s.until(e.seq, 2000);
    assert.ok(tick, 'B ticks');
    assert.ok(Date.now() - started < 1500, 'within a second or so');
    const range = await b.client().get(`/live/${liveId}/entries?after=${e.seq - 1}&upto=${e.seq}`);
    assert.match(range.text, /С экземпляра А/);
    s.close();
  } finally {
    await b.close();
  }
});

test('reactions on each entry: the live_entry subject, published entries only; the page shows the count', async () => {
  const e = (await editor.api('POST', `/api/admin/live/${liveId}/entries`, { blocks: para('Запись для лайков') })).json<{ id: number }>();
  const draft = (await editor.api('POST', `/api/admin/live/${liveId}/entries`, { blocks: para('Черновик для лайков'), status: 'draft' })).json<{ id: number }>();
  const reader = portal.client({ 'x-forwarded-for': '198.51.100.60' });
  await reader.get('/api/reader-state');
  const liked = await reader.api('PUT', `/api/subjects/live_entry/${e.id}/reaction`, { kind: 'LIKE' });
  assert.equal(liked.status, 200, liked.text);
  assert.equal(liked.json<{ counts: { LIKE: number } }>().counts.LIKE, 1);
  assert.equal((await reader.api('PUT', `/api/subjects/live_entry/${draft.id}/reaction`, { kind: 'LIKE' })).status, 404);
  const info = await portal.app.subjects.describe({ kind: 'live_entry', id: e.id });
  assert.match(info!.url, new RegExp(`/entry/${e.id}/#entry-${e.id}$`));
  await portal.app.pageCache.purge([`article:${liveId}`]);
  const page = (await portal.client().get(liveUrl)).text;
  const i = page.indexOf(`data-live-like="${e.id}"`);
  assert.ok(i > 0, 'the entry is on the page');
  assert.match(page.slice(i, i + 400), /<span data-like-count>1<\/span>/, page.slice(i, i + 400));
});

test('an entry’s «Нравится» works without JavaScript: the form, one more press for a new browser, then back to the entry', async () => {
  const e = (await editor.api('POST', `/api/admin/live/${liveId}/entries`, { blocks: para('Запись для лайка без скриптов') })).json<{ id: number }>();
  await portal.app.pageCache.purge([`article:${liveId}`]);
  const page = (await portal.client().get(liveUrl)).text;
  assert.match(page, new RegExp(`<form class="live-like-form" method="post" action="/subjects/live_entry/${e.id}/reaction">`));
  const reader = portal.client({ 'x-forwarded-for': '198.51.100.61', origin: portal.url });
  // A browser without a reader cookie: a page with one more button, nothing counted yet.
  const first = await reader.request('POST', `/subjects/live_entry/${e.id}/reaction`, { form: { kind: 'LIKE' } });
  assert.equal(first.status, 200, first.text.slice(0, 300));
  assert.match(first.text, new RegExp(`action="/subjects/live_entry/${e.id}/reaction"`));
  const second = await reader.request('POST', `/subjects/live_entry/${e.id}/reaction`, { form: { kind: 'LIKE' } });
  assert.equal(second.status, 303, second.text.slice(0, 300));
  assert.match(second.location!, new RegExp(`/entry/${e.id}/#entry-${e.id}$`));
  const state = await reader.get(`/api/subjects/live_entry/${e.id}/reaction`);
  assert.equal(state.json<{ counts: { LIKE: number }; mine: string | null }>().counts.LIKE, 1);
  // Pressed again: withdrawn. Another site's form: refused.
  assert.equal((await reader.request('POST', `/subjects/live_entry/${e.id}/reaction`, { form: { kind: 'LIKE' } })).status, 303);
  assert.equal((await reader.get(`/api/subjects/live_entry/${e.id}/reaction`)).json<{ counts: { LIKE: number } }>().counts.LIKE, 0);
  const forged = await portal.client({ 'x-forwarded-for': '198.51.100.62', origin: 'https://evil.example' }).request('POST', `/subjects/live_entry/${e.id}/reaction`, { form: { kind: 'LIKE' } });
  assert.equal(forged.status, 403);
  assert.equal((await reader.request('POST', `/subjects/live_entry/999999/reaction`, { form: { kind: 'LIKE' } })).status, 404);
});

test('the demo: a finished snowstorm day of 40 entries; `gorod demo live` adds entries by itself', async () => {
  const lives = await portal.app.live.list();
  const cards = await portal.app.content.cards(lives.map((l) => l.articleId));
  const snow = cards.find((c) => c.title.startsWith('Снегопад в городе'));
  assert.ok(snow, 'the seed has the snowstorm');
  const info = lives.find((l) => l.articleId === snow!.id)!;
  assert.ok(info.endsAt && info.endsAt < new Date(), 'over');
  const entries = await portal.app.live.current(snow!.id, { published: true });
  assert.equal(entries.length, 40);
  assert.ok(entries.filter((e) => e.keyEvent).length >= 8);
  assert.equal(entries.filter((e) => e.pinned).length, 1);
  // Pictures of our own in several entries, stored by the media module, shown as the article's images are.
  const pictured = entries.filter((e) => e.blocks.some((b) => b.type === 'image'));
  assert.ok(pictured.length >= 5, `${pictured.length} entries with pictures`);
  const ids = pictured.map((e) => (e.blocks.find((b) => b.type === 'image')!.data as { file: { imageId: number } }).file.imageId);
  assert.equal((await portal.app.media.get(ids)).size, ids.length);
  const page = (await portal.client().get(snow!.url)).text;
  const first = pictured.sort((a, b) => b.at.getTime() - a.at.getTime())[0]!;
  assert.match(new RegExp(`id="entry-${first.id}"[\\s\\S]*?</article>`).exec(page)?.[0] ?? '', /<picture>[\s\S]*srcset="\/uploads\//);
  assert.match(page, /"coverageEndTime"/);
  assert.match(page, /Трансляция завершена/);

  const { startDemoLive } = await import('../../../demo/live.js');
  const demo = await startDemoLive(portal.app, 100);
  try {
    const id = Number(/\/(\d+)\/$/.exec(demo.url)![1]);
    const s = openStream(portal.url, `/live/${id}/stream`);
    await s.ready;
    assert.ok(await s.until(1, 3000), 'entries arrive on the stream by themselves');
    s.close();
    assert.ok((await portal.app.live.current(id)).length >= 1);
  } finally {
    demo.stop();
  }
});
