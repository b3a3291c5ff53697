// Security headers on every kind of response a reader, an editor or a crawler gets,
// and HTTPS behind a trusted proxy: HSTS and Secure cookies only when the request
// really came over HTTPS.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startPortal, type Portal } from '../../test/support/portal.js';
import type { Client, Response } from '../../test/support/client.js';

let portal: Portal;
let admin: Client;
before(async () => {
  portal = await startPortal({ config: { trustProxy: '127.0.0.1' } });
  await portal.app.accounts.createUser({ email: 'chief@example.ru', password: 'пароль-главреда', displayName: 'Главред', role: 'admin' });
  admin = portal.client();
  await admin.signIn('chief@example.ru', 'пароль-главреда');
});
after(() => portal.close());

function assertHeaders(res: Response, what: string) {
  const csp = res.headers.get('content-security-policy');
  assert.ok(csp, `${what}: CSP`);
  const scripts = /(?:^|;\s*)script-src ([^;]*)/.exec(csp)?.[1];
  assert.equal(scripts, "'self'", `${what}: scripts only from our origin, never inline`);
  assert.match(csp, /frame-ancestors 'self'/, what);
  assert.match(csp, /object-src 'none'/, what);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', what);
  assert.equal(res.headers.get('referrer-policy'), 'strict-origin-when-cross-origin', what);
  assert.equal(res.headers.get('strict-transport-security'), null, `${what}: no HSTS over plain HTTP`);
}

const one = async (query: string) => ((await sql<{ v: string }>`${sql.raw(query)}`.execute(portal.database.db)).rows[0]!.v);

describe('security headers', () => {
  test('on every page type, both rendered and from the page cache', async () => {
    const article = (await portal.app.content.latest({ limit: 1 }))[0]!;
    const articleId = article.id;
    const pages: Record<string, string> = {
      home: '/',
      section: '/text/gorod/',
      article: article.url,
      author: `/authors/${await one('select slug as v from authors order by id limit 1')}/`,
      tag: `/tags/${await one('select slug as v from tags order by id limit 1')}/`,
      story: `/story/${await one('select slug as v from stories order by id limit 1')}/`,
      search: `/search?q=${encodeURIComponent('город')}`,
      comments: `/comments/${articleId}`,
      'sign-in': '/login',
      register: '/register',
      'not found': '/nope',
      'bad address': '/text/%E0%A4%A/',
      rss: '/rss.xml',
      'yandex feed': '/rss/yandex.xml',
      sitemap: '/sitemap.xml',
      robots: '/robots.txt',
      'JSON API': '/api/me',
      'API docs': '/api/docs',
      'health check': '/healthz',
    };
    for (const [what, path] of Object.entries(pages)) {
      const first = await portal.client().get(path);
      assert.ok(first.status < 500, `${what}: ${first.status}`);
      assertHeaders(first, what);
      // The page cache answers a repeat before Fastify runs: the same headers.
      const again = await portal.client().get(path);
      assertHeaders(again, `${what} (again, ${again.headers.get('x-cache') ?? 'not cached'})`);
    }
    assert.equal((await portal.client().get('/')).headers.get('x-cache'), 'hit', 'the cached path was exercised');
  });

  test('on the reader’s own pages, the back office and the editor', async () => {
    const id = await one('select id::text as v from articles order by id limit 1');
    for (const path of ['/account', '/admin/articles', `/admin/articles/${id}`, '/admin/home', '/admin/moderation', '/admin/users', '/admin/stats']) {
      const res = await admin.get(path);
      assert.equal(res.status, 200, path);
      assertHeaders(res, path);
    }
  });

  test('on error answers and redirects: a forbidden form, a refused JSON write, the sign-in redirect', async () => {
    const forged = await portal.client().request('POST', '/login', { form: { email: 'x@example.ru', password: 'x' } });
    assert.equal(forged.status, 403);
    assertHeaders(forged, 'CSRF error page');
    const json = await portal.client().request('PUT', '/api/articles/999999/reaction', { body: { kind: 'like' } });
    assert.ok(json.status >= 400 && json.status < 500, String(json.status));
    assertHeaders(json, 'JSON error');
    const redirect = await portal.client().get('/admin/articles');
    assert.equal(redirect.status, 303);
    assertHeaders(redirect, 'sign-in redirect');
  });
});

describe('HTTPS behind a trusted proxy', () => {
  const https = { 'x-forwarded-proto': 'https' };

  /** Every cookie the portal sets in a reader's first visits: locale, CSRF, reader, session, device. */
  async function cookiesOf(p: Portal, headers: Record<string, string>): Promise<Map<string, string>> {
    const c = p.client({ ...headers, 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36' });
    const seen = new Map<string, string>();
    const keep = (res: Response) => res.headers.getSetCookie().forEach((line) => seen.set(line.slice(0, line.indexOf('=')), line));
    keep(await c.get('/lang/ru'));
    keep(await c.get('/api/me'));
    const article = (await p.app.content.latest({ limit: 1 }))[0]!;
    const beacon = await c.api('POST', '/api/views', { articleId: article.id });
    assert.equal(beacon.status, 204);
    keep(beacon);
    const email = `reader${Math.random().toString(36).slice(2, 8)}@example.ru`;
    await p.app.accounts.createUser({ email, password: 'пароль-читателя', displayName: 'Читатель', role: 'reader' });
    keep(await c.signIn(email, 'пароль-читателя'));
    assert.deepEqual([...seen.keys()].sort(), ['gorod_csrf', 'gorod_device', 'gorod_lang', 'gorod_reader', 'gorod_session']);
    return seen;
  }

  test('X-Forwarded-Proto: https from the trusted proxy: HSTS on every answer and every cookie Secure', async () => {
    for (const path of ['/', '/', '/login', '/nope', '/api/me']) {
      const res = await portal.client(https).get(path);
      assert.equal(res.headers.get('strict-transport-security'), 'max-age=31536000; includeSubDomains', `${path} ${res.headers.get('x-cache') ?? ''}`);
    }
    for (const [name, line] of await cookiesOf(portal, https)) assert.match(line, /;\s*Secure/i, name);
  });

  test('plain HTTP: no HSTS and no Secure cookie', async () => {
    for (const [name, line] of await cookiesOf(portal, {})) assert.doesNotMatch(line, /;\s*Secure/i, name);
    assert.equal((await portal.client().get('/')).headers.get('strict-transport-security'), null);
  });

  test('a client talking to us directly cannot claim HTTPS with the header', async () => {
    const direct = await startPortal({ config: { trustProxy: false } });
    try {
      for (const path of ['/', '/', '/login']) assert.equal((await direct.client(https).get(path)).headers.get('strict-transport-security'), null, path);
      for (const [name, line] of await cookiesOf(direct, https)) assert.doesNotMatch(line, /;\s*Secure/i, name);
    } finally {
      await direct.close();
    }
  });
});
