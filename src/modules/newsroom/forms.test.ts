// The back office's plain forms when the input is wrong (a 400 page with the
// message beside the field and the values kept, nothing written), role changes
// through the accounts service, the home page slots, VK video embeds, the typo
// queue's link into the editor, and the JSON routes' documented answers.
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { Value } from '@sinclair/typebox/value';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import type { Client } from '../../../test/support/client.js';
import { articlePayload, firstSectionId, staffClient, upload } from '../../../test/support/newsroom.js';
import { ErrorBody, Found, Saved, Uploaded } from './api-schemas.js';
import { anonymousReader } from '../../platform/reader.js';

let portal: Portal;
let editor: Client;
let admin: Client;
let adminId: number;
let sectionId: number;

before(async () => {
  portal = await startPortal({ config: { trustProxy: '127.0.0.1' } });
  editor = (await staffClient(portal, 'editor')).client;
  ({ client: admin, userId: adminId } = await staffClient(portal, 'admin'));
  sectionId = await firstSectionId(portal);
});
after(() => portal.close());

/** The field that carries an error on the page: its wrapper's HTML (label or group). */
function failedField(html: string): string {
  const m = /<(label|div) class="field has-error"[^>]*>([\s\S]*?)<\/\1>/.exec(html);
  assert.ok(m, 'a field marked with its error');
  return m[2]!;
}

describe('structure forms refuse bad values in place', () => {
  test('sections: an empty title, a malformed or taken address, a section inside itself', async () => {
    const before = (await portal.app.content.sections()).all().length;

    const empty = await editor.submit('/admin/sections', { title: '  ', slug: 'novaya', parentId: '', position: '5', description: 'Про город' });
    assert.equal(empty.status, 400);
    const title = failedField(empty.text);
    assert.match(title, /name="title"/);
    assert.match(title, /<span class="field-error"[^>]*>Заполните поле «Заголовок»<\/span>/);
    // The add form comes back open with what was typed.
    assert.match(empty.text, /<details class="entity entity--new" open[^>]*>/);
    assert.match(empty.text, /name="slug"[^>]*value="novaya"|value="novaya"[^>]*name="slug"/);
    assert.match(empty.text, /<textarea name="description"[^>]*>Про город<\/textarea>/);

    const malformed = await editor.submit('/admin/sections', { title: 'Экология', slug: 'Плохой адрес!' });
    assert.equal(malformed.status, 400);
    const slug = failedField(malformed.text);
    assert.match(slug, /name="slug"/);
    assert.match(slug, /value="Плохой адрес!"/);
    assert.match(slug, /Адрес — латинские буквы, цифры и дефисы/);

    const existing = (await portal.app.content.sections()).roots()[0]!;
    const taken = await editor.submit('/admin/sections', { title: 'Дубль', slug: existing.slug });
    assert.equal(taken.status, 400);
    assert.match(failedField(taken.text), /Такой адрес рубрики уже занят/);

    const position = await editor.submit('/admin/sections', { title: 'Порядок', slug: 'poryadok', position: 'первый' });
    assert.equal(position.status, 400);
    assert.match(failedField(position.text), /name="position"[\s\S]*В поле «Порядок» нужно целое число/);

    // Its own parent: the row's form comes back open, with the message at «Родительская рубрика».
    const own = await editor.submit(`/admin/sections/${existing.id}`, { title: 'Новое имя', slug: existing.slug, parentId: String(existing.id), position: '0', description: '' });
    assert.equal(own.status, 400);
    const row = new RegExp(`<li[^>]*data-id="${existing.id}"[^>]*>\\s*<details class="entity" open`);
    assert.match(own.text, row);
    const parent = failedField(own.text);
    assert.match(parent, /name="parentId"/);
    assert.match(parent, /Рубрику нельзя вложить в саму себя или в её подрубрику/);
    assert.match(own.text, /value="Новое имя"/);

    assert.equal((await portal.app.content.sections()).all().length, before, 'nothing created');
    assert.equal((await portal.app.content.sections()).get(existing.id)!.title, existing.title, 'nothing changed');
  });

  test('tags, stories and authors: duplicates, empty names, a photo or account that does not exist', async () => {
    assert.equal((await editor.submit('/admin/tags', { title: 'Транспорт' })).status, 303);
    const twice = await editor.submit('/admin/tags', { title: 'транспорт' });
    assert.equal(twice.status, 400);
    assert.match(failedField(twice.text), /Такой тег уже есть/);

    const a = await portal.app.content.createStory({ title: 'Выборы', slug: 'vybory' });
    const b = await portal.app.content.createStory({ title: 'Паводок', slug: 'pavodok' });
    const clash = await editor.submit(`/admin/stories/${b}`, { title: 'Паводок весной', slug: 'vybory', description: 'Вода' });
    assert.equal(clash.status, 400);
    assert.match(failedField(clash.text), /name="slug"[\s\S]*Такой адрес сюжета уже занят/);
    assert.match(clash.text, /value="Паводок весной"/);
    assert.equal((await portal.app.content.listStories()).find((s) => s.id === b)!.title, 'Паводок');
    assert.ok(a);

    const nameless = await editor.submit('/admin/authors', { name: '', position: 'Фотограф', bio: 'Снимает город' });
    assert.equal(nameless.status, 400);
    assert.match(failedField(nameless.text), /name="name"[\s\S]*Заполните поле/);
    assert.match(nameless.text, /value="Фотограф"/);
    assert.match(nameless.text, />Снимает город<\/textarea>/);

    const noPhoto = await editor.submit('/admin/authors', { name: 'Пётр Соколов', photoId: '999999' });
    assert.equal(noPhoto.status, 400);
    assert.match(failedField(noPhoto.text), /name="photoId"[\s\S]*Такого изображения нет/);

    const noAccount = await editor.submit('/admin/authors', { name: 'Пётр Соколов', userId: '999999' });
    assert.equal(noAccount.status, 400);
    assert.match(failedField(noAccount.text), /name="userId"[\s\S]*Нет учётной записи с таким номером/);
    assert.ok(!(await portal.app.content.listAuthors()).some((x) => x.name === 'Пётр Соколов'));
  });

  test('an author photo: uploaded image, then shown as a preview on the authors page', async () => {
    const jpeg = await sharp({ create: { width: 800, height: 800, channels: 3, background: '#446' } }).jpeg().toBuffer();
    const uploaded = await upload(portal, editor, jpeg, 'face.jpg', 'image/jpeg');
    assert.equal(uploaded.status, 201);
    const file = uploaded.json().file;
    assert.ok(Value.Check(Uploaded, uploaded.json()), 'the documented upload answer');
    assert.equal((await editor.submit('/admin/authors', { name: 'Мария Лисицына', photoId: String(file.imageId) })).status, 303);
    const profile = (await portal.app.content.listAuthors()).find((x) => x.name === 'Мария Лисицына')!;
    assert.equal(profile.photo_id, file.imageId);
    const page = await editor.get('/admin/authors');
    assert.ok(page.text.includes(`src="${file.thumb}"`), 'the photo’s preview');
    assert.match(page.text, /data-image-picker/);
    assert.match(page.text, /<script type="module" src="\/admin\/assets\/pickers\.[0-9a-f]{10}\.js">/);
    assert.equal((await portal.client().get(/src="(\/admin\/assets\/pickers[^"]+)"/.exec(page.text)![1]!)).status, 200);
  });

  test('users: a bad e-mail or role comes back in the form; the password is never echoed', async () => {
    const res = await admin.submit('/admin/users', { displayName: 'Новый редактор', email: 'не-почта', password: 'секретный-пароль', role: 'editor' });
    assert.equal(res.status, 400);
    assert.match(failedField(res.text), /name="email"/);
    assert.match(res.text, /value="Новый редактор"/);
    assert.ok(!res.text.includes('секретный-пароль'));
    const role = await admin.submit('/admin/users', { displayName: 'Новый редактор', email: 'ed@example.ru', password: 'секретный-пароль', role: 'overlord' });
    assert.equal(role.status, 400);
    assert.match(failedField(role.text), /name="role"[\s\S]*Неизвестная роль/);
    assert.equal(await portal.database.db.selectFrom('users').select('id').where('email', '=', 'ed@example.ru').executeTakeFirst(), undefined);
  });
});

describe('role changes', () => {
  test('an admin’s change is audited and ends the user’s sessions; the admin’s own stays', async () => {
    const { client: promoted, userId } = await staffClient(portal, 'author', 'promoted');
    assert.equal((await promoted.get('/admin/articles')).status, 200);
    const res = await admin.submit(`/admin/users/${userId}`, { role: 'editor' });
    assert.equal(res.status, 303);
    assert.equal((await portal.app.accounts.byId(userId))!.role, 'editor');
    const entry = await portal.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'role_changed').where('entity_id', '=', userId).executeTakeFirstOrThrow();
    assert.equal(entry.user_id, adminId);
    assert.equal(entry.summary, 'author → editor');
    const gone = await promoted.get('/admin/articles');
    assert.equal(gone.status, 303, 'signed out: the session ended');
    assert.match(gone.location!, /^\/login/);
    assert.equal((await admin.get('/admin/users')).status, 200, 'the admin is still signed in');
    // The same role again: nothing to change, nothing audited.
    assert.equal((await admin.submit(`/admin/users/${userId}`, { role: 'editor' })).status, 303);
    assert.equal((await portal.database.db.selectFrom('audit_log').select('id').where('action', '=', 'role_changed').where('entity_id', '=', userId).execute()).length, 1);
  });

  test('the last admin keeps the role; two admins demoting each other at once leave one admin', async () => {
    const { db } = portal.database;
    const { client: first, userId: firstId } = await staffClient(portal, 'admin', 'first');
    const { client: second, userId: secondId } = await staffClient(portal, 'admin', 'second');
    // Leave these two as the only admins.
    for (const other of await db.selectFrom('users').select('id').where('role', '=', 'admin').where('id', 'not in', [firstId, secondId]).execute()) {
      await portal.app.accounts.changeRole({ actorId: firstId, userId: other.id, role: 'editor' });
    }
    const answers = await Promise.all([first.submit(`/admin/users/${secondId}`, { role: 'reader' }), second.submit(`/admin/users/${firstId}`, { role: 'reader' })]);
    const done = answers.filter((r) => r.status === 303 && r.location === '/admin/users?saved=1');
    assert.equal(done.length, 1, `one demotion wins: ${answers.map((r) => `${r.status} ${r.location ?? ''}`).join(', ')}`);
    const admins = await db.selectFrom('users').select('id').where('role', '=', 'admin').execute();
    assert.equal(admins.length, 1);
    // The service refuses the last one whoever asks (the CLI has no admin session).
    await assert.rejects(portal.app.accounts.changeRole({ actorId: 0, userId: admins[0]!.id, role: 'editor' }), (err: { statusCode?: number; code?: string }) => err.statusCode === 409 && err.code === 'last_admin');
    const refused = await (admins[0]!.id === firstId ? first : second).submit(`/admin/users/${admins[0]!.id}`, { role: 'reader' });
    assert.equal(refused.status, 409);
    assert.match(failedField(refused.text), /Свою роль администратора может снять только другой администратор/);
  });
});

describe('home page slots', () => {
  test('a draft in one block: 400 under that block, the numbers kept, no block changed', async () => {
    const cards = await portal.app.content.latest({ limit: 3 });
    const draft = await portal.app.content.createArticle({ type: 'news', status: 'draft', sectionId, title: 'Не готово', lead: '', body: { blocks: [] }, authorIds: [] });
    const beforeSlots = await portal.app.content.homeSlots();
    const res = await editor.submit('/admin/home', { 'slot:lead': String(cards[0]!.id), 'slot:latest': `${cards[1]!.id}, ${draft}` });
    assert.equal(res.status, 400);
    const block = /<div class="slot-field has-error"[\s\S]*?<\/div>/.exec(res.text)![0];
    assert.match(block, /name="slot:latest"[^>]*value="[^"]*"/);
    assert.ok(block.includes(`value="${cards[1]!.id}, ${draft}"`), 'the numbers as typed');
    assert.match(block, new RegExp(`Статья №${draft} не опубликована`));
    assert.ok(res.text.includes(`value="${cards[0]!.id}"`), 'the lead as typed');
    assert.deepEqual(await portal.app.content.homeSlots(), beforeSlots, 'no block written');
  });

  test('the picker’s search answers titles and numbers as documented', async () => {
    const card = (await portal.app.content.latest({ limit: 1 }))[0]!;
    const res = await editor.request('GET', `/api/admin/articles/search?q=${encodeURIComponent(card.title.slice(0, 12))}`, { headers: { accept: 'application/json' } });
    assert.equal(res.status, 200);
    assert.ok(Value.Check(Found, res.json()));
    assert.ok(res.json().items.some((x: { id: number }) => x.id === card.id));
    const page = await editor.get('/admin/home');
    assert.match(page.text, /data-article-picker="true" data-max="1"/);
  });
});

describe('VK video in the body', () => {
  test('a vk.com or vkvideo.ru link is embedded from vk.com; another host is refused naming the block', async () => {
    const id = await portal.app.newsroom.createArticle(
      { id: adminId, email: '', displayName: 'Админ', role: 'admin' },
      { ...articlePayload(sectionId, { title: 'Видео с набережной' }), type: 'news' } as never,
    );
    const body = (source: string) => ({
      blocks: [
        { type: 'paragraph', data: { text: 'Смотрите видео.' } },
        { type: 'embed', data: { service: 'vk', source, embed: 'https://evil.example/player', caption: 'Набережная' } },
      ],
    });
    const save = (source: string, baseRevision: number) => editor.api('PUT', `/api/admin/articles/${id}`, { baseRevision, ...articlePayload(sectionId, { title: 'Видео с набережной', body: body(source) }) });
    const bad = await save('https://vk.com.evil.ru/video-1_2', 1);
    assert.equal(bad.status, 400);
    assert.ok(Value.Check(ErrorBody, bad.json()));
    assert.equal(bad.json().error.details.index, 1);
    assert.equal(bad.json().error.details.field, 'source');
    const ok = await save('https://vkvideo.ru/video-220754053_456243113', 1);
    assert.equal(ok.status, 200);
    assert.ok(Value.Check(Saved, ok.json()));
    assert.equal((await editor.api('POST', `/api/admin/articles/${id}/transition`, { action: 'publish' })).status, 200);
    const article = (await portal.app.content.article(id))!;
    const page = await portal.client().get(article.url);
    assert.match(page.text, /<iframe src="https:\/\/vk\.com\/video_ext\.php\?oid=-220754053&amp;id=456243113&amp;hd=2"/);
    assert.ok(!page.text.includes('evil.example'), 'the stored embed URL is never used');
    assert.match(page.headers.get('content-security-policy')!, /frame-src [^;]*https:\/\/vk\.com/);
  });
});

describe('the typo queue opens the editor at the fragment', () => {
  test('/admin/articles/:id/edit?typo= gives the editor the report of this article only', async () => {
    const card = (await portal.app.content.latest({ limit: 2 }))[1]!;
    const article = (await portal.app.content.article(card.id))!;
    const fragment = article.bodyText.split(/\s+/).slice(2, 4).join(' ');
    const report = await portal.app.typos.report({ fragment, before: '', after: '', mergeKey: crypto.randomUUID(), articleId: article.id, revision: article.revision, comment: '', reader: anonymousReader(crypto.randomUUID()), ipHash: 'x' });
    const queue = await editor.get('/admin/typos');
    const link = `/admin/articles/${article.id}/edit?typo=${report.id}`;
    assert.ok(queue.text.includes(`href="${link}#typo-${report.id}"`), 'the queue links to it');
    const page = await editor.get(link);
    assert.equal(page.status, 200);
    const data = JSON.parse(/<script type="application\/json" id="newsroom-data">([\s\S]*?)<\/script>/.exec(page.text)![1]!);
    assert.deepEqual(data.typo, { id: report.id, fragment, before: '', after: '' });
    assert.ok(page.text.includes(`id="typo-${report.id}"`), 'the anchor the link points at');
    const other = (await portal.app.content.latest({ limit: 1 }))[0]!;
    const elsewhere = await editor.get(`/admin/articles/${other.id}/edit?typo=${report.id}`);
    assert.equal(JSON.parse(/id="newsroom-data">([\s\S]*?)<\/script>/.exec(elsewhere.text)![1]!).typo, null);
  });
});
