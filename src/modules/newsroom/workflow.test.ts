// The newsroom over HTTP: an author writes and submits, an editor publishes,
// schedules (with a clock the test moves), sends back and unpublishes; every save
// is a revision that can be compared and restored; a stale save is a 409; bad
// blocks are a 400 naming the block; every change purges the pages it is on.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import { ManualClock } from '../../platform/clock.js';
import type { Client } from '../../../test/support/client.js';
import { articlePayload, firstSectionId, staffClient } from '../../../test/support/newsroom.js';

let portal: Portal;
let clock: ManualClock;
let author: Client;
let authorId: number;
let editor: Client;
let sectionId: number;
const events: { articleId: number; action: string }[] = [];

before(async () => {
  clock = new ManualClock(new Date());
  portal = await startPortal({ clock, config: { trustProxy: '127.0.0.1' } });
  portal.app.events.on('article.changed', (e) => void events.push(e));
  ({ client: author, userId: authorId } = await staffClient(portal, 'author'));
  ({ client: editor } = await staffClient(portal, 'editor'));
  sectionId = await firstSectionId(portal);
});
after(() => portal.close());

async function createDraft(client: Client, title = 'Черновик для проверки'): Promise<number> {
  const res = await client.submit('/admin/articles', { title, sectionId: String(sectionId), type: 'news' });
  assert.equal(res.status, 303, res.text);
  const id = Number(/\/admin\/articles\/(\d+)$/.exec(res.location!)![1]);
  assert.ok(id > 0);
  return id;
}

const revisionOf = async (id: number) => (await portal.database.db.selectFrom('articles').select(['revision', 'status', 'title', 'published_at']).where('id', '=', id).executeTakeFirstOrThrow());

describe('workflow', () => {
  test('an author writes and submits; an editor publishes, the pages show it, then unpublishes', async () => {
    const id = await createDraft(author, 'Черновик автора');
    const row = await portal.database.db.selectFrom('articles').select(['status', 'created_by']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'draft', created_by: authorId });

    const editorPage = await author.get(`/admin/articles/${id}`);
    assert.equal(editorPage.status, 200);
    assert.match(editorPage.text, /id="newsroom-data"/);
    assert.match(editorPage.text, /<script type="module" src="\/admin\/assets\/editor\.[0-9a-f]+\.js">/);
    assert.match(editorPage.headers.get('content-security-policy')!, /style-src 'self' 'unsafe-inline'/);
    assert.match(editorPage.headers.get('content-security-policy')!, /script-src 'self'(;|$)/);

    const title = 'Мэрия открыла сквер у реки после ремонта';
    const saved = await author.api('PUT', `/api/admin/articles/${id}`, { baseRevision: 1, ...articlePayload(sectionId, { title }) });
    assert.equal(saved.status, 200, saved.text);
    assert.equal(saved.json().revision, 2);
    assert.equal((await revisionOf(id)).title, title);

    // Authors may not publish; the article stays a draft.
    const denied = await author.api('POST', `/api/admin/articles/${id}/transition`, { action: 'publish' });
    assert.equal(denied.status, 403);
    assert.equal((await revisionOf(id)).status, 'draft');

    const submitted = await author.api('POST', `/api/admin/articles/${id}/transition`, { action: 'submit' });
    assert.equal(submitted.status, 200, submitted.text);
    assert.equal((await revisionOf(id)).status, 'review');

    // The editor sees it in the list filtered by status, with the review badge.
    const list = await editor.get('/admin/articles?status=review');
    assert.equal(list.status, 200);
    assert.ok(list.text.includes(title));
    assert.match(list.text, /На проверке/);

    // Cache the home and section pages first: publishing must purge them.
    const anon = portal.client();
    const section = (await portal.app.content.sections()).get(sectionId)!;
    await anon.get('/');
    await anon.get(`/text/${section.slug}/`);
    assert.equal((await anon.get('/')).headers.get('x-cache'), 'hit');

    events.length = 0;
    const published = await editor.api('POST', `/api/admin/articles/${id}/transition`, { action: 'publish' });
    assert.equal(published.status, 200, published.text);
    assert.deepEqual(events, [{ articleId: id, action: 'published' }]);
    const home = await anon.get('/');
    assert.notEqual(home.headers.get('x-cache'), 'hit');
    assert.ok(home.text.includes(title), 'on the home page');
    assert.ok((await anon.get(`/text/${section.slug}/`)).text.includes(title), 'on its section page');
    const url = (await portal.app.content.article(id))!.url;
    const page = await anon.get(url);
    assert.equal(page.status, 200);
    assert.match(page.text, /<blockquote><p>Мы ждали этого десять лет<\/p><footer><span>Жительница района<\/span>/);
    assert.ok((await anon.get('/rss.xml')).text.includes(title), 'in the feed');

    // An author may no longer change a published article.
    assert.equal((await author.api('PUT', `/api/admin/articles/${id}`, { baseRevision: 2, ...articlePayload(sectionId) })).status, 403);

    // An editor's edit of the published text shows at once (the article page is purged).
    await anon.get(url);
    const edited = await editor.api('PUT', `/api/admin/articles/${id}`, { baseRevision: 2, ...articlePayload(sectionId, { title: title + ' — обновлено' }) });
    assert.equal(edited.status, 200);
    assert.ok((await anon.get(url)).text.includes('обновлено'));

    const unpublished = await editor.api('POST', `/api/admin/articles/${id}/transition`, { action: 'unpublish' });
    assert.equal(unpublished.status, 200);
    assert.equal((await anon.get(url)).status, 404);
    assert.ok(!(await anon.get('/')).text.includes(title));
    assert.ok(!(await anon.get('/rss.xml')).text.includes(title));

    // The audit log has each step, by whom.
    const audit = await portal.database.db.selectFrom('audit_log').select(['action', 'user_id']).where('entity', '=', 'article').where('entity_id', '=', id).orderBy('id').execute();
    assert.deepEqual(audit.map((a) => a.action), ['created', 'updated', 'submitted', 'published', 'updated', 'unpublished']);
    assert.equal(audit[0]!.user_id, authorId);
  });

  test('an editor sends an article back; a bad step is a 409 and changes nothing', async () => {
    const id = await createDraft(author);
    await author.api('POST', `/api/admin/articles/${id}/transition`, { action: 'submit' });
    const back = await editor.api('POST', `/api/admin/articles/${id}/transition`, { action: 'sendBack' });
    assert.equal(back.status, 200);
    assert.equal((await revisionOf(id)).status, 'draft');
    const bad = await editor.api('POST', `/api/admin/articles/${id}/transition`, { action: 'unpublish' });
    assert.equal(bad.status, 409);
    assert.match(bad.json().error.message, /Нельзя/);
    assert.equal((await revisionOf(id)).status, 'draft');
  });

  test('another author cannot open or change someone else’s draft', async () => {
    const id = await createDraft(author);
    const { client: other } = await staffClient(portal, 'author', 'other');
    assert.equal((await other.get(`/admin/articles/${id}`)).status, 403);
    assert.equal((await other.api('PUT', `/api/admin/articles/${id}`, { baseRevision: 1, ...articlePayload(sectionId) })).status, 403);
    assert.equal((await other.api('POST', `/api/admin/articles/${id}/transition`, { action: 'submit' })).status, 403);
    // Their list shows only their own articles.
    const list = await other.get('/admin/articles');
    assert.ok(!list.text.includes(`data-article-id="${id}"`));
    assert.ok((await author.get('/admin/articles')).text.includes(`data-article-id="${id}"`));
  });
});

describe('scheduling', () => {
  test('a scheduled article goes live when its time comes, by the periodic job', async () => {
    const id = await createDraft(editor, 'Запланированная новость про мост');
    await editor.api('PUT', `/api/admin/articles/${id}`, { baseRevision: 1, ...articlePayload(sectionId, { title: 'Запланированная новость про мост' }) });
    const past = await editor.api('POST', `/api/admin/articles/${id}/transition`, { action: 'schedule', at: new Date(clock.now().getTime() - 60_000).toISOString() });
    assert.equal(past.status, 400);
    const at = new Date(clock.now().getTime() + 30 * 60_000);
    const scheduled = await editor.api('POST', `/api/admin/articles/${id}/transition`, { action: 'schedule', at: at.toISOString() });
    assert.equal(scheduled.status, 200, scheduled.text);
    assert.equal((await revisionOf(id)).status, 'scheduled');

    const anon = portal.client();
    assert.ok(!(await anon.get('/')).text.includes('Запланированная новость про мост'));
    // Not yet: the job leaves it alone.
    clock.advance(29 * 60_000);
    await portal.app.jobs.run('newsroom.publishScheduled');
    assert.equal((await revisionOf(id)).status, 'scheduled');
    assert.ok(!(await anon.get('/')).text.includes('Запланированная новость про мост'));

    events.length = 0;
    clock.advance(61_000);
    assert.equal(await portal.app.jobs.run('newsroom.publishScheduled'), true);
    const row = await revisionOf(id);
    assert.equal(row.status, 'published');
    assert.equal(row.published_at!.getTime(), at.getTime(), 'dated by its schedule');
    assert.deepEqual(events, [{ articleId: id, action: 'published' }]);
    assert.ok((await anon.get('/')).text.includes('Запланированная новость про мост'));
  });
});

describe('revisions and conflicts', () => {
  test('two editors on one article: the stale save is a 409 and neither text is lost', async () => {
    const id = await createDraft(editor, 'Статья для двоих');
    const { client: second } = await staffClient(portal, 'editor', 'second');
    const first = await editor.api('PUT', `/api/admin/articles/${id}`, { baseRevision: 1, ...articlePayload(sectionId, { title: 'Версия первого редактора' }) });
    assert.equal(first.status, 200);
    const stale = await second.api('PUT', `/api/admin/articles/${id}`, { baseRevision: 1, ...articlePayload(sectionId, { title: 'Версия второго редактора' }) });
    assert.equal(stale.status, 409);
    assert.equal(stale.json().error.code, 'stale_revision');
    assert.equal(stale.json().error.details.currentRevision, 2);
    assert.match(stale.json().error.message, /уже изменили/);
    assert.equal((await revisionOf(id)).title, 'Версия первого редактора');
    // Having seen the conflict, the second editor saves on top of the current revision.
    const retry = await second.api('PUT', `/api/admin/articles/${id}`, { baseRevision: 2, ...articlePayload(sectionId, { title: 'Версия второго редактора' }) });
    assert.equal(retry.status, 200);
    const titles = (await portal.app.content.revisions(id)).map((r) => r.title);
    assert.deepEqual(titles, ['Версия второго редактора', 'Версия первого редактора', 'Статья для двоих']);
  });

  test('an editor compares a revision with the current text and restores it', async () => {
    const id = await createDraft(editor, 'Исходный заголовок');
    const body = (text: string) => ({ blocks: [{ type: 'paragraph', data: { text } }] });
    await editor.api('PUT', `/api/admin/articles/${id}`, { baseRevision: 1, ...articlePayload(sectionId, { title: 'Исходный заголовок', body: body('Старый абзац про трамвай.') }) });
    await editor.api('PUT', `/api/admin/articles/${id}`, { baseRevision: 2, ...articlePayload(sectionId, { title: 'Новый заголовок', body: body('Новый абзац про автобус.') }) });

    const list = await editor.get(`/admin/articles/${id}/revisions`);
    assert.equal(list.status, 200);
    assert.match(list.text, /Ревизия 3 \(текущая\)/);
    assert.ok(list.text.includes(`/admin/articles/${id}/revisions/2`));

    const diff = await editor.get(`/admin/articles/${id}/revisions/2`);
    assert.equal(diff.status, 200);
    assert.match(diff.text, /<del>[^<]*(Исходный|трамвай)[^<]*<\/del>/);
    assert.match(diff.text, /<ins>[^<]*(Новый|автобус)[^<]*<\/ins>/);

    // An author may look but not restore.
    const restoreByAuthor = await author.submit(`/admin/articles/${id}/revisions/2/restore`, { baseRevision: '3' });
    assert.equal(restoreByAuthor.status, 403);
    // A restore based on an old revision is a conflict too.
    assert.equal((await editor.submit(`/admin/articles/${id}/revisions/2/restore`, { baseRevision: '2' })).status, 409);

    const restored = await editor.submit(`/admin/articles/${id}/revisions/2/restore`, { baseRevision: '3' });
    assert.equal(restored.status, 303);
    const row = await portal.app.content.editable(id);
    assert.equal(row!.revision, 4);
    assert.equal(row!.title, 'Исходный заголовок');
    assert.match(JSON.stringify(row!.body), /трамвай/);
    assert.equal((await portal.app.content.revisions(id)).length, 4, 'the restore is itself a revision');
  });
});

describe('bad input', () => {
  test('an invalid block is a 400 naming its index and field; nothing is written', async () => {
    const id = await createDraft(editor);
    const bad = articlePayload(sectionId, { body: { blocks: [{ type: 'paragraph', data: { text: 'ok' } }, { type: 'header', data: { text: 'x', level: 9 } }] } });
    const res = await editor.api('PUT', `/api/admin/articles/${id}`, { baseRevision: 1, ...bad });
    assert.equal(res.status, 400);
    assert.equal(res.json().error.code, 'invalid_block');
    assert.deepEqual(res.json().error.details, { index: 1, field: 'level' });
    assert.match(res.json().error.message, /Блок №2, поле «level»/);
    const row = await revisionOf(id);
    assert.equal(row.revision, 1);
    assert.equal((await portal.app.content.revisions(id)).length, 1);

    const embed = await editor.api('PUT', `/api/admin/articles/${id}`, { baseRevision: 1, ...articlePayload(sectionId, { body: { blocks: [{ type: 'embed', data: { service: 'youtube', source: 'https://evil.example/x' } }] } }) });
    assert.equal(embed.status, 400);
    assert.deepEqual(embed.json().error.details, { index: 0, field: 'source' });
  });

  test('unknown section, empty title and malformed JSON are 400 in Russian', async () => {
    const id = await createDraft(editor);
    const noSection = await editor.api('PUT', `/api/admin/articles/${id}`, { baseRevision: 1, ...articlePayload(999999) });
    assert.equal(noSection.status, 400);
    assert.match(noSection.json().error.message, /рубрики/);
    const noTitle = await editor.api('PUT', `/api/admin/articles/${id}`, { baseRevision: 1, ...articlePayload(sectionId, { title: '   ' }) });
    assert.equal(noTitle.status, 400);
    assert.match(noTitle.json().error.message, /Заголовок/);
    const raw = await editor.request('PUT', `/api/admin/articles/${id}`, { raw: '{"baseRevision":', headers: { 'content-type': 'application/json', 'x-csrf-token': await editor.csrf() } });
    assert.equal(raw.status, 400);
    const form = await editor.submit('/admin/articles', { title: '', sectionId: String(sectionId) });
    assert.equal(form.status, 400);
    assert.match(form.text, /Заполните поле «Заголовок»/);
  });

  test('writes without the CSRF token are refused', async () => {
    const id = await createDraft(editor);
    const res = await editor.request('PUT', `/api/admin/articles/${id}`, { body: { baseRevision: 1, ...articlePayload(sectionId) }, headers: { accept: 'application/json' } });
    assert.equal(res.status, 403);
    assert.equal(res.json().error.code, 'csrf');
  });
});

describe('home page control and structure', () => {
  test('an editor picks the lead story and pins an item to «Последние новости»', async () => {
    const cards = await portal.app.content.latest({ limit: 30 });
    const lead = cards.at(-1)!;
    const pinned = cards.at(-2)!;
    await portal.client().get('/');
    const res = await editor.submit('/admin/home', { 'slot:lead': String(lead.id), 'slot:latest': String(pinned.id) });
    assert.equal(res.status, 303);
    const html = (await portal.client().get('/')).text;
    const leadBlock = /<article class="lead-story">([\s\S]*?)<\/article>/.exec(html)![1]!;
    assert.ok(leadBlock.includes(lead.title.replace(/"/g, '&quot;')) || leadBlock.includes(lead.title));
    const latestBlock = /id="latest-title"[\s\S]*?<ul class="news-list[^"]*">([\s\S]*?)<\/ul>/.exec(html)![1]!;
    const firstItem = /<li>([\s\S]*?)<\/li>/.exec(latestBlock)![1]!;
    assert.ok(firstItem.includes(`href="${pinned.url}"`), 'the pinned item leads the list');
    // Bad ids: a 400 and the slots stay as they were.
    const bad = await editor.submit('/admin/home', { 'slot:lead': '999999' });
    assert.equal(bad.status, 400);
    assert.deepEqual((await portal.app.content.homeSlots()).get('lead'), [lead.id]);
    await editor.submit('/admin/home', { 'slot:lead': '', 'slot:latest': '' });
  });

  test('sections: create, rename with a redirect from the old address, refuse to delete a used one', async () => {
    const created = await editor.submit('/admin/sections', { title: 'Экология', slug: '', parentId: '', position: '9', description: 'Природа' });
    assert.equal(created.status, 303);
    const tree = await portal.app.content.sections();
    const eco = tree.bySlugOf('ekologiya')!;
    assert.ok(eco, 'slug made from the title');
    assert.ok((await portal.client().get('/')).text.includes('href="/text/ekologiya/"'), 'in the navigation at once');
    const renamed = await editor.submit(`/admin/sections/${eco.id}`, { title: 'Экология и природа', slug: 'priroda', parentId: '', position: '9', description: '' });
    assert.equal(renamed.status, 303);
    const old = await portal.client().get('/text/ekologiya/');
    assert.equal(old.status, 301);
    assert.equal(old.location, '/text/priroda/');
    // A section cannot become its own child.
    assert.equal((await editor.submit(`/admin/sections/${eco.id}`, { title: 'x', slug: 'priroda', parentId: String(eco.id), position: '0' })).status, 400);
    // Taken slug: 400, not 500.
    assert.equal((await editor.submit('/admin/sections', { title: 'Дубль', slug: 'priroda' })).status, 400);
    assert.equal((await editor.submit(`/admin/sections/${sectionId}/delete`, {})).status, 409);
    assert.equal((await editor.submit(`/admin/sections/${eco.id}/delete`, {})).status, 303);
    assert.equal((await portal.app.content.sections()).get(eco.id), undefined);
  });

  test('tags, stories and author profiles are managed by editors', async () => {
    assert.equal((await editor.submit('/admin/stories', { title: 'Ремонт моста', description: 'Всё о ремонте' })).status, 303);
    const story = (await portal.app.content.listStories()).find((s) => s.title === 'Ремонт моста')!;
    assert.equal(story.slug, 'remont-mosta');
    assert.equal((await editor.submit('/admin/tags', { title: 'Мосты' })).status, 303);
    assert.ok((await portal.app.content.listTags()).some((t) => t.title === 'мосты'));
    const { userId } = await staffClient(portal, 'author', 'profiled');
    assert.equal((await editor.submit('/admin/authors', { name: 'Ирина Волкова', position: 'Корреспондент', bio: 'Пишет о транспорте', userId: String(userId) })).status, 303);
    const profile = (await portal.app.content.listAuthors()).find((a) => a.name === 'Ирина Волкова')!;
    assert.equal(profile.user_id, userId);
    assert.equal((await portal.client().get('/authors/irina-volkova/')).status, 200);
    assert.equal((await author.submit('/admin/tags', { title: 'Чужой тег' })).status, 403);
  });

  test('an admin changes roles; the last admin cannot be demoted', async () => {
    const { client: admin, userId: adminId } = await staffClient(portal, 'admin');
    const { userId } = await staffClient(portal, 'reader', 'promoted');
    assert.equal((await admin.submit(`/admin/users/${userId}`, { role: 'author' })).status, 303);
    assert.equal((await portal.app.accounts.byId(userId))!.role, 'author');
    assert.equal((await admin.submit(`/admin/users/${adminId}`, { role: 'reader' })).status, 409);
    assert.equal((await admin.submit(`/admin/users/${userId}`, { role: 'overlord' })).status, 400);
    assert.equal((await editor.submit(`/admin/users/${userId}`, { role: 'admin' })).status, 403);
    const audit = await admin.get('/admin/audit');
    assert.equal(audit.status, 200);
    assert.match(audit.text, /data-action="role_changed" data-entity="user">сменил\(а\) роль · пользователь #\d+/);
    assert.match(audit.text, /reader → author/);
  });
});
