import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import { staffClient } from '../../../test/support/newsroom.js';
import { addFooterSection } from '../../web/components/footer.js';

let portal: Portal;
before(async () => {
  portal = await startPortal({ config: { trustProxy: '127.0.0.1' } });
});
after(() => portal.close());

const footerOf = (html: string) => /<footer class="site-footer">([\s\S]*?)<\/footer>\s*<\/body>/.exec(html)?.[1] ?? '';

test('the footer of every page has each top rubric, the four info pages, 18+, the imprint and RSS', async () => {
  const home = footerOf((await portal.client().get('/')).text);
  for (const root of (await portal.app.content.sections()).roots()) assert.ok(home.includes(`>${root.title}</a>`), `rubric ${root.title}`);
  for (const [slug, title] of [['about', 'О проекте'], ['contacts', 'Контакты редакции'], ['advertising', 'Реклама'], ['rules', 'Правила']]) {
    assert.ok(home.includes(`<a href="/info/${slug}">${title}</a>`), title);
  }
  assert.match(home, />18\+</);
  assert.match(home, /<a href="\/rss.xml">RSS<\/a>/);
  assert.match(home, /Учредитель: [^<.]+\. Главный редактор: [^<.]+\. Регистрационный номер СМИ: /, 'the demo imprint');
  const article = (await portal.app.content.latest({ limit: 1 }))[0]!;
  assert.equal(footerOf((await portal.client().get(article.url)).text), home, 'the same footer on an article');
});

test('an info page shows the newsroom’s text as paragraphs, escaped; an unknown one is 404', async () => {
  const res = await portal.client().get('/info/contacts');
  assert.equal(res.status, 200);
  assert.match(res.text, /<h1>Контакты редакции<\/h1>/);
  assert.match(res.text, /<a href="mailto:[^"]+@[^"]+">/, 'an e-mail address is a link');
  assert.equal((await portal.client().get('/info/nothing-here')).status, 404);
});

test('an editor changes a page and the imprint in the back office: the footer and the page change at once, readers cannot', async () => {
  const anonymous = portal.client();
  assert.ok(footerOf((await anonymous.get('/')).text).includes('>О проекте</a>'), 'the home page is cached with the old footer');
  await anonymous.get('/info/about');

  const reader = portal.client({ 'x-forwarded-for': '10.60.0.1' });
  await portal.app.accounts.createUser({ email: 'info-reader@example.ru', password: 'пароль-читателя', displayName: 'Читатель', role: 'reader' });
  await reader.signIn('info-reader@example.ru', 'пароль-читателя');
  assert.equal((await reader.submit('/admin/info/about', { title: 'Взлом', body: '' })).status, 403);

  const { client: editor } = await staffClient(portal, 'editor');
  const list = await editor.get('/admin/info');
  assert.equal(list.status, 200);
  assert.match(list.text, /href="\/admin\/info\/about"/);
  const saved = await editor.submit('/admin/info/about', { title: 'Об издании', body: 'Первый абзац <script>alert(1)</script>.\n\nВторой абзац.' });
  assert.equal(saved.status, 303);
  const page = await anonymous.get('/info/about');
  assert.match(page.text, /<h1>Об издании<\/h1>/);
  assert.match(page.text, /<p>Первый абзац &lt;script>alert\(1\)&lt;\/script>.<\/p><p>Второй абзац.<\/p>/);
  assert.ok(footerOf((await anonymous.get('/')).text).includes('<a href="/info/about">Об издании</a>'), 'the cached home page was purged');

  assert.equal((await editor.submit('/admin/info/imprint', { founder: 'ООО «Городские новости»', editorInChief: 'Анна Смирнова', registration: 'Эл № ФС77-00001' })).status, 303);
  assert.match(footerOf((await anonymous.get('/')).text), /Учредитель: ООО «Городские новости»\. Главный редактор: Анна Смирнова\. Регистрационный номер СМИ: Эл № ФС77-00001\./);
});

test('bad input is a 400 with the reason and changes nothing', async () => {
  const { client: editor } = await staffClient(portal, 'editor');
  const before = await portal.app.infoPages.get('rules');
  const empty = await editor.submit('/admin/info/rules', { title: '   ', body: 'Текст' });
  assert.equal(empty.status, 400);
  assert.match(empty.text, /Заголовок: от 1 до 120 символов/);
  assert.match(empty.text, /<textarea[^>]*>Текст<\/textarea>/, 'what was typed is still there');
  const long = await editor.submit('/admin/info/imprint', { founder: 'я'.repeat(301), editorInChief: '', registration: '' });
  assert.equal(long.status, 400);
  assert.match(long.text, /не длиннее 300 символов/);
  assert.deepEqual(await portal.app.infoPages.get('rules'), before);
  assert.equal((await editor.submit('/admin/info/nothing-here', { title: 'x', body: '' })).status, 404);
});

test('a module adds its section to the footer (forums, classifieds and dating use this once they exist)', async () => {
  addFooterSection(portal.app.pages.footer, { href: '/forum', label: 'footer.forums', order: 10 });
  await portal.app.pageCache.purge(['*']);
  assert.match(footerOf((await portal.client().get('/')).text), /<a href="\/forum">Форумы<\/a>/);
});
