// The HTTP platform's validation: what Fastify's validator lets through is still
// refused with a 400 before a route's work (found by test/fuzz).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type Portal } from '../../test/support/portal.js';

let portal: Portal;
before(async () => {
  portal = await startPortal();
});
after(() => portal.close());

test('text with a NUL character is a 400, not a database error', async () => {
  const c = portal.client({ 'x-forwarded-for': '10.80.0.1' });
  await portal.app.accounts.createUser({ email: 'nul-admin@example.ru', password: 'пароль-админа', displayName: 'Админ', role: 'admin' });
  await c.signIn('nul-admin@example.ru', 'пароль-админа');
  for (const res of [await c.get('/api/admin/articles/search?q=%00'), await c.get('/api/search?q=' + encodeURIComponent('город\u0000'))]) {
    assert.equal(res.status, 400, res.text.slice(0, 200));
    assert.match(res.json().error.message, /^Неверные данные: querystring: a NUL character/);
  }
  const form = await c.submit('/forgot', { email: 'a\u0000@example.ru' });
  assert.equal(form.status, 400);
  assert.match(form.text, /Неверные данные/);
});

test('a number that is not finite ("Infinity", 1e400) is a 400, not a database error', async () => {
  const c = portal.client({ 'x-forwarded-for': '10.80.0.2' });
  const article = (await portal.app.content.latest({ limit: 1 }))[0]!;
  const refused = [
    await c.get('/api/articles/Infinity/comments'),
    await c.get(`/api/articles/${article.id}/comments?page=Infinity`),
    await c.request('POST', '/api/comments', { raw: `{"articleId":1e400,"body":"Хороший текст"}`, headers: { 'content-type': 'application/json', 'x-csrf-token': await c.csrf() } }),
    await c.api('PUT', '/api/comments/-Infinity/vote', { value: 1 }),
  ];
  for (const res of refused) {
    assert.equal(res.status, 400, res.text.slice(0, 200));
    assert.equal(res.json().error.code, 'validation');
    assert.match(res.json().error.message, /^Неверные данные/);
  }
  const page = await c.get('/comments/Infinity', { accept: 'text/html' });
  assert.equal(page.status, 400);
  assert.match(page.text, /Неверные данные/);
});
