import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import { articlePayload, firstSectionId, staffClient } from '../../../test/support/newsroom.js';
import { startOfDay } from './overview.js';

let portal: Portal;
before(async () => {
  portal = await startPortal({ config: { trustProxy: '127.0.0.1' } });
});
after(() => portal.close());

test('«today» starts at midnight in the portal’s zone', () => {
  assert.equal(startOfDay(new Date('2026-03-10T20:30:00Z'), 'Asia/Novosibirsk').toISOString(), '2026-03-10T17:00:00.000Z');
  assert.equal(startOfDay(new Date('2026-03-10T16:30:00Z'), 'Asia/Novosibirsk').toISOString(), '2026-03-09T17:00:00.000Z');
});

test('the overview shows today’s views, the most read, open typos, held comments and scheduled articles, with links', async () => {
  const { client: editor } = await staffClient(portal, 'editor');
  const sectionId = await firstSectionId(portal);
  const made = await editor.api('POST', '/api/admin/articles', articlePayload(sectionId, { title: 'Запланированная статья об обзоре' }));
  assert.equal(made.status, 201);
  const id = made.json().id as number;
  const at = new Date(Date.now() + 86_400_000).toISOString();
  assert.equal((await editor.api('POST', `/api/admin/articles/${id}/transition`, { action: 'schedule', at })).status, 200);
  const page = await editor.get('/admin');
  assert.equal(page.status, 200);
  for (const href of ['/admin/stats', '/admin/typos', '/admin/comments', '/admin/articles?status=review', '/admin/articles?status=scheduled']) assert.ok(page.text.includes(`href="${href}"`), href);
  assert.match(page.text, /просмотров сегодня/);
  assert.match(page.text, /Самое читаемое сегодня/);
  assert.match(page.text, new RegExp(`<a href="/admin/articles/${id}">Запланированная статья об обзоре</a>`));
  const { client: author } = await staffClient(portal, 'author');
  assert.doesNotMatch((await author.get('/admin')).text, /просмотров сегодня/, 'authors keep the plain menu');
});

test('the article list keeps a space between the title and the type label', async () => {
  const { client: editor } = await staffClient(portal, 'editor');
  const html = (await editor.get('/admin/articles?type=opinion')).text;
  assert.match(html, /<\/a> <span class="label admin-table__type">Мнение<\/span>/);
});
