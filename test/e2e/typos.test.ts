// Typo reports in Chromium: a reader selects a fragment, presses Ctrl+Enter, sees
// it highlighted in its sentence, sends a comment; an editor finds it in the queue
// and marks it fixed. Classic XSS vectors sent as comments stay literal text in the
// editors' queue and never run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startPortal, type Portal } from '../support/portal.js';
import { browserSkip, launchBrowser, watchErrors } from '../support/browser.js';

const skip = browserSkip();
let portal: Portal;
let browser: Browser;
let article: { id: number; url: string };

const TEXT = [
  'Мэрия объявила о ремонте моста через реку Обь. Работы начнутся весной и продлятся до конца осени, движение по мосту ограничат.',
  'Подрядчик обещает закончить работы досрочно. Жителям левого берега советуют заранее планировать маршруты: автобусы пойдут в объзд.',
  'Часть рейсов сократят, а на остановках у моста повесят новые схемы движения. Городской транспорт будет ходить по временному расписанию до открытия моста.',
];

before(async () => {
  if (skip) return;
  portal = await startPortal({ config: { trustProxy: '127.0.0.1' } });
  browser = await launchBrowser();
  const sectionId = (await portal.app.content.latest({ limit: 1 }))[0]!.section.id;
  const id = await portal.app.content.createArticle({
    type: 'news',
    status: 'published',
    sectionId,
    title: 'Мост закроют на ремонт',
    lead: 'Ремонт продлится полгода',
    body: { blocks: TEXT.map((text) => ({ type: 'paragraph', data: { text } })) },
    authorIds: [],
    publishedAt: new Date(Date.now() - 60_000),
  });
  article = { id, url: (await portal.app.content.article(id))!.url };
  await portal.app.accounts.createUser({ email: 'redaktor@example.ru', password: 'пароль-редактора', displayName: 'Редактор', role: 'editor' });
});
after(async () => {
  await browser?.close();
  await portal?.close();
});

/** Selects `word` in a part of the article (the body unless told) the way a mouse would (a range in its text node). */
async function select(page: Page, word: string, part = '.article__body') {
  await page.evaluate(([w, p]) => {
    const walker = document.createTreeWalker(document.querySelector(p!)!, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent!.indexOf(w);
      if (at === -1) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + w.length);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
      return;
    }
    throw new Error(`no ${w} in the article`);
  }, [word, part]);
}

async function signInEditor(page: Page) {
  await page.goto(portal.url + '/login?next=/admin/typos');
  await page.fill('input[name=email]', 'redaktor@example.ru');
  await page.fill('input[name=password]', 'пароль-редактора');
  await page.click('main form button[type=submit]');
  await page.waitForURL(portal.url + '/admin/typos').catch(async (e) => {
    throw new Error(`${e.message}\n${page.url()}\n${(await page.textContent('main'))?.slice(0, 500)}`);
  });
}

test('a reader selects a fragment, presses Ctrl+Enter and sends a report; an editor finds it in the queue and marks it fixed', { skip }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(portal.url + article.url);
  assert.equal((await page.locator('.typo__hint').textContent())!.trim(), 'Увидели опечатку? Выделите фрагмент и нажмите Ctrl+Enter');
  assert.equal(await page.locator('dialog.typo-dialog').isVisible(), false, 'nothing shows before the reader asks');

  // Esc closes the dialog without sending.
  await select(page, 'объзд');
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('dialog.typo-dialog[open]');
  await page.keyboard.press('Escape');
  await page.waitForSelector('dialog.typo-dialog:not([open])', { state: 'attached' });

  await select(page, 'объзд');
  await page.keyboard.press('Control+Enter');
  const dialog = page.locator('dialog.typo-dialog[open]');
  await dialog.waitFor();
  assert.equal((await dialog.locator('h2').textContent())!.trim(), 'Сообщить об опечатке');
  assert.equal(await dialog.locator('mark').textContent(), 'объзд');
  assert.equal(
    (await dialog.locator('[data-typo-sentence]').textContent())!.trim(),
    'Жителям левого берега советуют заранее планировать маршруты: автобусы пойдут в объзд.',
    'the fragment is shown inside its sentence',
  );
  await dialog.locator('textarea').fill('Должно быть «объезд»');
  const sent = page.waitForResponse((r) => r.url().endsWith('/typos') && r.request().method() === 'POST');
  await dialog.getByRole('button', { name: 'Отправить' }).click();
  assert.equal((await sent).status(), 201);
  await dialog.getByText('Спасибо! Редакция исправит ошибку.').waitFor();
  await dialog.getByRole('button', { name: 'Закрыть' }).click();
  assert.equal(await page.locator('dialog.typo-dialog').isVisible(), false);

  const [row] = await portal.database.db.selectFrom('typo_reports').selectAll().where('article_id', '=', article.id).execute();
  assert.equal(row!.fragment, 'объзд');
  assert.equal(row!.comment, 'Должно быть «объезд»');
  assert.equal(row!.revision, 1);
  assert.deepEqual(errors, [], 'no script errors and nothing blocked by the CSP');

  // Cmd+Enter works as well (a Mac); a long selection gets a hint instead of a dialog.
  await page.evaluate(() => {
    const scope = document.querySelector('[data-typo-scope="body"]')!;
    const range = document.createRange();
    range.selectNodeContents(scope);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
  });
  await page.keyboard.press('Meta+Enter');
  await page.getByText('Выделите не больше 300 символов текста статьи.').waitFor();
  assert.equal(await page.locator('dialog.typo-dialog').isVisible(), false);
  await context.close();

  const editor = await browser.newPage();
  const editorErrors = watchErrors(editor);
  await signInEditor(editor);
  const item = editor.locator('.typo-report').first();
  assert.equal(await item.locator('mark').textContent(), 'объзд');
  assert.match((await item.locator('.typo-report__context').textContent())!, /автобусы пойдут в объзд\. Часть рейсов сократят/);
  assert.equal(await item.locator('.typo-report__comment-text').textContent(), 'Должно быть «объезд»');
  assert.equal(await item.locator('a.typo-report__edit').getAttribute('href'), `/admin/articles/${article.id}/edit?typo=${row!.id}#typo-${row!.id}`);
  assert.equal(await editor.locator('.admin-nav a[href="/admin/typos"] .badge').textContent(), '1');
  await item.getByRole('button', { name: 'Исправлено' }).click();
  await editor.waitForURL(/\/admin\/typos\?done=fixed$/);
  await editor.getByText('Готово: сообщение отмечено как «исправлено».').waitFor();
  assert.equal(await editor.locator('.typo-report').count(), 0);
  assert.equal(await editor.locator('.admin-nav a[href="/admin/typos"] .badge').count(), 0, 'no open reports, no badge');
  assert.equal((await portal.database.db.selectFrom('typo_reports').select('status').where('id', '=', row!.id).executeTakeFirstOrThrow()).status, 'fixed');
  assert.deepEqual(editorErrors, []);
  await editor.close();
});

const XSS = [
  '<script>window.__xss = 1; alert(1)</script>',
  '<img src=x onerror="window.__xss = 2; alert(2)">',
  '<a href="javascript:window.__xss = 3; alert(3)">нажми</a>',
  '<svg onload="window.__xss = 4; alert(4)"><script>alert(5)</script></svg>',
  '<iframe src="javascript:alert(6)"></iframe>',
  '"><script>alert(7)</script>',
  "'><img src=x onerror=alert(8)>",
  '<body onload=alert(9)>',
  '<div style="background:url(javascript:alert(10))">',
  '</textarea><script>alert(11)</script>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(12)>',
  '<<script>script>alert(13)<</script>/script>',
  '&lt;script&gt;alert(14)&lt;/script&gt;',
  '<details open ontoggle=alert(15)>',
];

test('XSS vectors sent as typo comments are literal text in the editors’ queue and never run', { skip }, async () => {
  await portal.database.db.deleteFrom('typo_reports').execute();
  // Each from its own reader and IP, to stay under the flood limits.
  for (const [i, comment] of XSS.entries()) {
    const c = portal.client({ 'x-forwarded-for': `10.9.0.${i + 1}` });
    const fragment = ['Мэрия', 'ремонте', 'моста', 'реку', 'Обь', 'весной', 'осени', 'движение', 'ограничат', 'Подрядчик', 'досрочно', 'левого', 'берега', 'маршруты'][i]!;
    const res = await c.api('POST', `/api/articles/${article.id}/typos`, { fragment, comment, revision: 1 });
    assert.equal(res.status, 201, comment);
  }
  const page = await browser.newPage();
  const dialogs: string[] = [];
  page.on('dialog', async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  const errors = watchErrors(page);
  await signInEditor(page);
  const shown = await page.locator('.typo-report__comment-text').allTextContents();
  assert.deepEqual([...shown].sort(), [...XSS].sort(), 'every vector shows exactly as it was typed');
  await page.waitForTimeout(300);
  assert.deepEqual(dialogs, [], 'no alert ran');
  assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
  assert.equal(await page.locator('.typo-queue script, .typo-queue img, .typo-queue svg, .typo-queue iframe, .typo-queue details, .typo-queue math').count(), 0, 'no markup from a comment became an element');
  assert.deepEqual(errors, []);
  await page.close();
});

test('on a touch screen a button appears by the selection and opens the dialog', { skip }, async () => {
  const context = await browser.newContext({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(portal.url + article.url);
  const touch = page.locator('[data-typo-touch]');
  assert.equal(await touch.isVisible(), false);
  await select(page, 'схемы');
  await touch.waitFor({ state: 'visible' });
  assert.equal((await touch.textContent())!.trim(), 'Сообщить об опечатке');
  await touch.tap();
  const dialog = page.locator('dialog.typo-dialog[open]');
  await dialog.waitFor();
  assert.equal(await dialog.locator('mark').textContent(), 'схемы');
  await dialog.getByRole('button', { name: 'Отмена' }).tap();
  assert.equal(await page.locator('dialog.typo-dialog').isVisible(), false);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a second report opened before the first dialog has finished closing still sends its fragment', { skip }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(portal.url + article.url);
  const dialog = page.locator('dialog.typo-dialog[open]');
  await select(page, 'объзд');
  await page.keyboard.press('Control+Enter');
  await dialog.waitFor();
  // «Отмена», a new selection and Ctrl+Enter in one task: the dialog's close event
  // (queued by close()) fires after the dialog has opened again, as it can when
  // Chromium runs input before queued tasks on a busy machine.
  await page.evaluate(() => {
    document.querySelector<HTMLButtonElement>('[data-typo-cancel]')!.click();
    const node = [...document.querySelectorAll('.article__body p')].map((p) => p.firstChild!).find((n) => n.textContent!.includes('схемы'))!;
    const range = document.createRange();
    range.setStart(node, node.textContent!.indexOf('схемы'));
    range.setEnd(node, node.textContent!.indexOf('схемы') + 'схемы'.length);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }));
  });
  await dialog.waitFor();
  assert.equal(await dialog.locator('mark').textContent(), 'схемы');
  const sent = page.waitForResponse((r) => r.url().endsWith('/typos') && r.request().method() === 'POST', { timeout: 5_000 });
  await dialog.getByRole('button', { name: 'Отправить' }).click();
  assert.equal((await sent).status(), 201);
  assert.deepEqual(errors, []);
  await context.close();
});

test('Ctrl+Enter works in the headline, the lead and a quote too; the queue shows each in its context and says where it is', { skip }, async () => {
  await portal.database.db.deleteFrom('typo_reports').execute();
  const sectionId = (await portal.app.content.latest({ limit: 1 }))[0]!.section.id;
  const id = await portal.app.content.createArticle({
    type: 'news',
    status: 'published',
    sectionId,
    title: 'На Красном проспекте появится выделенная полоса для автобусво',
    lead: 'Полосу разметят к лету, а камеры начнут штрафовать водитилей с сентября.',
    body: {
      blocks: [
        { type: 'paragraph', data: { text: 'Мэрия утвердила схему движения на главной улице города.' } },
        { type: 'quote', data: { text: 'Автобусы станут ходить быстрее на треть, особено в часы пик.', caption: 'Заместитель мэра по транспорту' } },
      ],
    },
    authorIds: [],
    publishedAt: new Date(Date.now() - 60_000),
  });
  const url = (await portal.app.content.article(id))!.url;
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(portal.url + url);
  const dialog = page.locator('dialog.typo-dialog[open]');
  for (const [word, part] of [['автобусво', 'h1.article__title'], ['водитилей', '.article__lead'], ['особено', '.article__body blockquote']] as const) {
    await select(page, word, part);
    await page.keyboard.press('Control+Enter');
    await dialog.waitFor();
    assert.equal(await dialog.locator('mark').textContent(), word);
    const sent = page.waitForResponse((r) => r.url().endsWith('/typos') && r.request().method() === 'POST');
    await dialog.getByRole('button', { name: 'Отправить' }).click();
    assert.equal((await sent).status(), 201, word);
    await dialog.getByRole('button', { name: 'Закрыть' }).click();
  }
  assert.deepEqual(errors, []);
  await context.close();

  const rows = await portal.database.db.selectFrom('typo_reports').select(['fragment', 'before', 'after']).where('article_id', '=', id).orderBy('id').execute();
  assert.deepEqual(rows.map((r) => r.fragment), ['автобусво', 'водитилей', 'особено']);
  assert.equal(rows[0]!.before, 'На Красном проспекте появится выделенная полоса для ', 'the headline is its own text');
  assert.equal(rows[1]!.after, ' с сентября.', 'the lead does not run into the body');

  const editor = await browser.newPage();
  await signInEditor(editor);
  const items = editor.locator('.typo-report');
  assert.equal(await items.count(), 3);
  const seen = new Map<string, { part: string; context: string }>();
  for (const item of await items.all()) {
    seen.set((await item.locator('mark').textContent())!, { part: (await item.locator('.typo-report__part').textContent())!, context: (await item.locator('.typo-report__context').textContent())! });
  }
  assert.deepEqual(seen.get('автобусво'), { part: 'В заголовке', context: '…На Красном проспекте появится выделенная полоса для автобусво' });
  assert.deepEqual(seen.get('водитилей'), { part: 'В лиде', context: '…Полосу разметят к лету, а камеры начнут штрафовать водитилей с сентября.…' });
  assert.equal(seen.get('особено')!.part, 'В тексте');
  assert.match(seen.get('особено')!.context, /быстрее на треть, особено в часы пик\./);
  await editor.close();
});
