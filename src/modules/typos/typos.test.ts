import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import type { Client } from '../../../test/support/client.js';
import { locate } from './text.js';
import { anonymousReader } from '../../platform/reader.js';

let portal: Portal;
let ipCounter = 0;
let article: { id: number; url: string };

const PARAGRAPHS = [
  'Мэрия объявила о ремонте моста через реку Обь. Работы начнутся весной и продлятся до конца осени, движение по мосту ограничат.',
  'Подрядчик обещает закончить ремонт досрочно. В мэрии напомнили, что в прошлом году ремонт моста сорвался из-за поздней поставки металла.',
  'Жителям левого берега советуют заранее планировать маршруты: автобусы пойдут в объезд через Димитровский мост, а часть рейсов сократят.',
];

before(async () => {
  portal = await startPortal({ config: { trustProxy: '127.0.0.1' } });
  const sectionId = (await portal.app.content.latest({ limit: 1 }))[0]!.section.id;
  const id = await portal.app.content.createArticle({
    type: 'news',
    status: 'published',
    sectionId,
    title: 'Мост закроют на ремонт',
    lead: 'Ремонт продлится полгода',
    body: { blocks: PARAGRAPHS.map((text) => ({ type: 'paragraph', data: { text } })) },
    authorIds: [],
    publishedAt: new Date(Date.now() - 60_000),
  });
  article = { id, url: (await portal.app.content.article(id))!.url };
});
after(() => portal.close());

const reader = (): Client => portal.client({ 'x-forwarded-for': `10.2.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}` });
const report = (c: Client, body: Record<string, unknown>, id = article.id) => c.api('POST', `/api/articles/${id}/typos`, { revision: 1, ...body });
const rows = () => portal.database.db.selectFrom('typo_reports').selectAll().where('article_id', '=', article.id).orderBy('id').execute();
const clear = () => portal.database.db.deleteFrom('typo_reports').execute();

describe('finding the fragment in the article text', () => {
  const text = PARAGRAPHS.join('\n\n');
  test('ignores whitespace differences, including a selection across paragraphs', () => {
    const found = locate(text, 'ограничат.Подрядчик   обещает');
    assert.equal(found?.fragment, 'ограничат. Подрядчик обещает');
    assert.equal(locate(text, 'реку\u00a0Обь')?.fragment, 'реку Обь');
  });
  test('tells repeated words apart by the text the reader saw around them', () => {
    const second = locate(text, 'ремонт', 'Подрядчик обещает закончить ', ' досрочно.');
    assert.ok(second!.before.endsWith('Подрядчик обещает закончить '));
    assert.ok(second!.after.startsWith(' досрочно.'));
    const third = locate(text, 'ремонт', 'в прошлом году ', ' моста сорвался');
    assert.ok(third!.before.endsWith('в прошлом году '));
    assert.notEqual(second!.mergeKey, third!.mergeKey);
    assert.equal(locate(text, 'ремонт', 'в прошлом году ', ' моста сорвался')!.mergeKey, third!.mergeKey, 'the same place gives the same key');
  });
  test('takes 60–140 characters of context, cut at a sentence or a word', () => {
    const found = locate(text, 'Димитровский')!;
    assert.ok(found.before.length >= 60 && found.before.length <= 140, `before: ${found.before.length}`);
    const flat = PARAGRAPHS.join(' ');
    const at = flat.indexOf(found.before + found.fragment);
    assert.ok(at > 0 && flat[at - 1] === ' ', 'starts at a word or a sentence');
    assert.ok(found.after.length <= 140);
    assert.equal(locate(text, 'Мэрия')!.before, '', 'nothing before the first word');
  });
  test('a fragment that is not in the text is not found', () => {
    assert.equal(locate(text, 'Новосибирск'), null);
    assert.equal(locate(text, '   '), null);
  });
});

describe('a reader reports a typo', () => {
  test('the hint is under the article', async () => {
    const html = (await portal.client().get(article.url)).text;
    assert.ok(html.includes('Увидели опечатку? Выделите фрагмент и нажмите Ctrl+Enter'));
    assert.match(html, /<div class="article__body" data-typo-scope/);
  });

  test('the report is stored with the article, revision, fragment, its context, comment, reader and time', async () => {
    await clear();
    const c = reader();
    const res = await report(c, { fragment: 'движение по мосту', before: 'продлятся до конца осени, ', after: ' ограничат.', comment: 'Тут всё верно, проверка' });
    assert.equal(res.status, 201);
    assert.equal(res.json().merged, false);
    assert.equal(res.json().reports, 1);
    assert.match(res.json().message, /Спасибо/);
    const [row] = await rows();
    assert.equal(row!.fragment, 'движение по мосту');
    assert.equal(row!.revision, 1);
    assert.ok(row!.before.endsWith('до конца осени, '));
    assert.ok(row!.after.startsWith(' ограничат.'));
    assert.equal(row!.comment, 'Тут всё верно, проверка');
    assert.equal(row!.status, 'open');
    assert.match(row!.reader ?? '', /^a:[0-9a-f-]{36}$/, 'the anonymous reader is kept by their cookie id');
    assert.ok(row!.ip_hash && !row!.ip_hash.includes('10.2.'), 'the IP only as a keyed hash');
    assert.ok(Date.now() - row!.created_at.getTime() < 60_000);
  });

  test('the context is taken from the article, not from the request', async () => {
    await clear();
    await report(reader(), { fragment: 'Обь', before: '<script>alert(1)</script>', after: '<img src=x onerror=alert(1)>' });
    const [row] = await rows();
    assert.ok(!row!.before.includes('<script>'));
    assert.ok(row!.before.endsWith('моста через реку '));
    assert.ok(!row!.after.includes('onerror'));
  });

  test('a fragment of the headline or the lead is found there, with that text as its context, and listed with its part', async () => {
    await clear();
    assert.equal((await report(reader(), { fragment: 'закроют', part: 'title' })).status, 201);
    assert.equal((await report(reader(), { fragment: 'полгода', part: 'lead' })).status, 201);
    const [title, lead] = await rows();
    assert.deepEqual([title!.before, title!.fragment, title!.after], ['Мост ', 'закроют', ' на ремонт']);
    assert.deepEqual([lead!.before, lead!.fragment, lead!.after], ['Ремонт продлится ', 'полгода', '']);
    // Not in the body: refused there, as before parts existed.
    const wrong = await report(reader(), { fragment: 'полгода' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.json().error.message, /Этого фрагмента нет в тексте статьи/);
    assert.equal((await report(reader(), { fragment: 'полгода', part: 'footer' })).status, 400);
    const editor = portal.client();
    await portal.app.accounts.createUser({ email: 'parts-editor@example.ru', password: 'пароль-редактора', displayName: 'Ред', role: 'editor' });
    await editor.signIn('parts-editor@example.ru', 'пароль-редактора');
    const listed = (await editor.get(`/api/typos?articleId=${article.id}`)).json() as { items: { fragment: string; part: string }[] };
    assert.deepEqual(listed.items.map((i) => [i.fragment, i.part]).sort(), [['закроют', 'title'], ['полгода', 'lead']]);
    // The same word in two parts is two places.
    assert.equal((await report(reader(), { fragment: 'Ремонт', part: 'lead' })).json().merged, false);
  });

  test('reports of the same fragment merge into the first with a count; another place is another report', async () => {
    await clear();
    const a = await report(reader(), { fragment: 'ремонт', before: 'Подрядчик обещает закончить ', after: ' досрочно.' });
    const b = await report(reader(), { fragment: ' ремонт ', before: 'обещает закончить ', after: ' досрочно. В мэрии', comment: 'второй' });
    assert.equal(b.status, 201);
    assert.equal(b.json().id, a.json().id);
    assert.equal(b.json().merged, true);
    assert.equal(b.json().reports, 2);
    const other = await report(reader(), { fragment: 'ремонт', before: 'в прошлом году ', after: ' моста сорвался' });
    assert.notEqual(other.json().id, a.json().id);
    const all = await rows();
    assert.equal(all.length, 2);
    assert.equal(all[0]!.reports, 2);
    assert.equal(all[0]!.comment, 'второй', 'a later comment fills an empty one');
    // Once handled, the same place starts a new report.
    await portal.app.typos.resolve(a.json().id, 'fixed', (await editor()).id);
    const again = await report(reader(), { fragment: 'ремонт', before: 'Подрядчик обещает закончить ', after: ' досрочно.' });
    assert.notEqual(again.json().id, a.json().id);
    assert.equal(again.json().reports, 1);
  });

  test('a cached page of an older revision may report; a newer revision than the article’s may not', async () => {
    await clear();
    const bad = await report(reader(), { fragment: 'Обь', revision: 2 });
    assert.equal(bad.status, 400);
    assert.match(bad.json().error.message, /Неизвестная версия статьи/);
    assert.equal((await rows()).length, 0);
  });

  test('bad input gets a clear 4xx in Russian and stores nothing', async () => {
    await clear();
    const c = reader();
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ fragment: '' }, 400, /от 1 до 300 символов/],
      [{ fragment: '   \n ' }, 400, /от 1 до 300 символов/],
      [{ fragment: 'а'.repeat(301) }, 400, /от 1 до 300 символов/],
      [{ fragment: 'а'.repeat(20_000) }, 400, /Неверные данные/],
      [{ fragment: 'Обь', comment: 'к'.repeat(501) }, 400, /не длиннее 500 символов/],
      [{ fragment: 'Новосибирск' }, 400, /нет в тексте статьи/],
      [{ fragment: 'Обь', revision: 0 }, 400, /Неверные данные/],
      [{ fragment: 'Обь', revision: 'один' }, 400, /Неверные данные/],
      // Fastify coerces a number to a string; it is then simply not in the text.
      [{ fragment: 42 }, 400, /нет в тексте статьи/],
      [{ fragment: { text: 'Обь' } }, 400, /Неверные данные/],
    ];
    for (const [body, status, message] of cases) {
      // Each from a new reader: failed attempts count against the flood limits too.
      const res = await report(reader(), body);
      assert.equal(res.status, status, JSON.stringify(body).slice(0, 80));
      assert.match(res.json().error.message, message);
    }
    for (const id of ['999999999', 'abc', '0']) {
      const res = await c.api('POST', `/api/articles/${id}/typos`, { fragment: 'Обь', revision: 1 });
      assert.equal(res.status, 404);
      assert.equal(res.json().error.message, 'Статья не найдена');
    }
    const noCsrf = await c.request('POST', `/api/articles/${article.id}/typos`, { body: { fragment: 'Обь', revision: 1 } });
    assert.equal(noCsrf.status, 403);
    assert.equal((await rows()).length, 0);
  });

  test('a comment of exactly 500 characters and a fragment of 300 are accepted', async () => {
    await clear();
    const long = PARAGRAPHS.join(' ').slice(0, 300);
    const res = await report(reader(), { fragment: long, comment: 'ю'.repeat(500) });
    assert.equal(res.status, 201);
    assert.equal((await rows())[0]!.comment.length, 500);
  });
});

describe('flood limits on typo reports', () => {
  test('one reader: 5 in 5 minutes, then 429 in Russian', async () => {
    const c = reader();
    for (let i = 0; i < 5; i++) assert.equal((await report(c, { fragment: 'Обь' })).status, 201);
    const refused = await report(c, { fragment: 'Обь' });
    assert.equal(refused.status, 429);
    assert.match(refused.json().error.message, /^Слишком много запросов\. Попробуйте снова через \d+ (минут|минуты|минуту)\.$/);
  });

  // The test moves Date past the 5-minute windows; Redis keeps its own time for
  // expiry, so it runs on the in-process store only (the embedded-database run).
  test('one reader: 30 a day, however they are spread', { skip: process.env.REDIS_URL ? 'moves Date, which Redis expiry does not follow' : false }, async (t) => {
    // The limiter keeps time with Date.now(): move it in this process only for this test.
    t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
    const c = reader();
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 5; i++) assert.equal((await report(c, { fragment: 'Обь' })).status, 201, `round ${round}, report ${i + 1}`);
      t.mock.timers.tick(5 * 60_000 + 1000);
    }
    const refused = await report(c, { fragment: 'Обь' });
    assert.equal(refused.status, 429);
    assert.match(refused.json().error.message, /Попробуйте снова через \d+ (час|часа|часов)\.$/);
  });

  test('one IP: dropping cookies does not help past 10 in 5 minutes', async () => {
    const ip = { 'x-forwarded-for': '10.3.0.1' };
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await report(portal.client(ip), { fragment: 'Обь' })).status);
    assert.deepEqual(statuses, [...Array(10).fill(201), 429]);
  });

  test('an IPv6 client stepping through its /64 counts as one address', async () => {
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await report(portal.client({ 'x-forwarded-for': `2001:db8:7:1::${(i + 1).toString(16)}` }), { fragment: 'Обь' })).status);
    assert.deepEqual(statuses, [...Array(10).fill(201), 429]);
    // Another /64 is another client.
    assert.equal((await report(portal.client({ 'x-forwarded-for': '2001:db8:7:2::1' }), { fragment: 'Обь' })).status, 201);
  });

  test('without a trusted proxy, a forged X-Forwarded-For does not buy a fresh allowance', async () => {
    const direct = await startPortal({ demo: false });
    try {
      const sectionId = await direct.app.content.createSection({ title: 'Город', slug: 'gorod' });
      const id = await direct.app.content.createArticle({ type: 'news', status: 'published', sectionId, title: 'Заголовок', lead: '', body: { blocks: [{ type: 'paragraph', data: { text: 'Простой текст статьи.' } }] }, authorIds: [], publishedAt: new Date(Date.now() - 1000) });
      const statuses = [];
      for (let i = 0; i < 11; i++) {
        const c = direct.client({ 'x-forwarded-for': `203.0.113.${i + 1}`, 'x-real-ip': `198.51.100.${i + 1}` });
        statuses.push((await c.api('POST', `/api/articles/${id}/typos`, { fragment: 'текст', revision: 1 })).status);
      }
      assert.deepEqual(statuses, [...Array(10).fill(201), 429]);
    } finally {
      await direct.close();
    }
  });
});

let editorUser: { id: number; client: Client } | undefined;
async function editor() {
  if (!editorUser) {
    const u = await portal.app.accounts.createUser({ email: 'editor-typos@example.ru', password: 'пароль-редактора', displayName: 'Редактор', role: 'editor' });
    const client = reader();
    await client.signIn('editor-typos@example.ru', 'пароль-редактора');
    editorUser = { id: u.id, client };
  }
  return editorUser;
}

describe('the editors’ queue', () => {
  test('only editors (and admins) may open it', async () => {
    const anon = await reader().get('/admin/typos');
    assert.equal(anon.status, 303);
    assert.match(anon.location!, /^\/login\?next=/);
    await portal.app.accounts.createUser({ email: 'plain@example.ru', password: 'пароль-читателя', displayName: 'Читатель', role: 'reader' });
    const plain = reader();
    await plain.signIn('plain@example.ru', 'пароль-читателя');
    assert.equal((await plain.get('/admin/typos')).status, 403);
    assert.equal((await plain.get('/api/typos')).status, 403);
    assert.equal((await reader().get('/api/typos')).status, 401);
  });

  test('shows the fragment highlighted in context, the comment, the editor link and a badge; «исправлено» closes it', async () => {
    await clear();
    const sent = await report(reader(), { fragment: 'Димитровский', before: 'автобусы пойдут в объезд через ', after: ' мост', comment: 'Дмитровский?' });
    await report(reader(), { fragment: 'Димитровский', before: 'автобусы пойдут в объезд через ', after: ' мост' });
    const reportId = sent.json().id as number;
    const { client } = await editor();
    const dashboard = await client.get('/admin');
    assert.match(dashboard.text, /href="\/admin\/typos"[^>]*>Опечатки<span class="badge"[^>]*>1<\/span>/);
    const page = await client.get('/admin/typos');
    assert.equal(page.status, 200);
    assert.match(page.text, /через <mark>Димитровский<\/mark> мост/);
    assert.ok(page.text.includes('Дмитровский?'));
    assert.ok(page.text.includes('2 сообщения'));
    assert.ok(page.text.includes(`href="/admin/articles/${article.id}/edit?typo=${reportId}#typo-${reportId}"`));
    assert.ok(page.text.includes('Мост закроют на ремонт'));

    const api = await client.get(`/api/typos?articleId=${article.id}`);
    assert.equal(api.json().total, 1);
    assert.equal(api.json().items[0].fragment, 'Димитровский');
    // An id beyond the table's integer key is bad input, not a database error.
    const huge = await client.get('/api/typos?articleId=99999999999');
    assert.equal(huge.status, 400, huge.text);
    assert.equal(huge.json().error.code, 'validation');

    const forged = await client.request('POST', `/admin/typos/${reportId}/status`, { form: { status: 'fixed' } });
    assert.equal(forged.status, 403, 'no CSRF token, no decision');
    const done = await client.submit(`/admin/typos/${reportId}/status`, { status: 'fixed' });
    assert.equal(done.status, 303);
    assert.equal(done.location, '/admin/typos?done=fixed');
    const [row] = await rows();
    assert.equal(row!.status, 'fixed');
    assert.equal(row!.resolved_by, (await editor()).id);
    assert.ok(row!.resolved_at);
    assert.ok(!(await client.get('/admin/typos')).text.includes('<mark>Димитровский</mark>'));
    assert.ok((await client.get('/admin/typos?status=fixed')).text.includes('<mark>Димитровский</mark>'));
    const twice = await client.submit(`/admin/typos/${reportId}/status`, { status: 'rejected' });
    assert.equal(twice.status, 409);
    assert.match(twice.text, /уже разобрано/);
    assert.equal((await client.submit('/admin/typos/999999/status', { status: 'fixed' })).status, 404);
    assert.equal((await client.submit(`/admin/typos/${reportId}/status`, { status: 'deleted' })).status, 400);
  });

  test('«отклонено» through the JSON API', async () => {
    await clear();
    const sent = await report(reader(), { fragment: 'левого берега' });
    const { client } = await editor();
    const res = await client.api('PATCH', `/api/typos/${sent.json().id}`, { status: 'rejected' });
    assert.equal(res.status, 200);
    assert.equal((await rows())[0]!.status, 'rejected');
  });

  test('a long queue is paged, 50 to a page', async () => {
    await clear();
    for (let i = 0; i < 51; i++) {
      await portal.app.typos.report({ articleId: article.id, revision: 1, fragment: `Обь ${i}`, before: '', after: '', mergeKey: `k${i}`, comment: '', reader: anonymousReader('00000000-0000-4000-8000-000000000002'), ipHash: 'test' });
    }
    const { client } = await editor();
    const first = await client.get('/admin/typos');
    assert.equal((first.text.match(/class="typo-report"/g) ?? []).length, 50);
    assert.ok(first.text.includes('href="/admin/typos?status=open&amp;page=2"'));
    const second = await client.get('/admin/typos?status=open&page=2');
    assert.equal((second.text.match(/class="typo-report"/g) ?? []).length, 1);
    assert.equal((await client.get('/admin/typos?status=unknown')).status, 400);
  });
});
