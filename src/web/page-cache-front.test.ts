// Page-cache hits answered before Fastify must look exactly like the route's own
// answers: same body, cache and security headers, 304 on a matching ETag, locale
// kept apart, and never an answer to a write.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type Portal } from '../../test/support/portal.js';

let portal: Portal;
before(async () => {
  portal = await startPortal({ config: { trustProxy: '127.0.0.1' } });
});
after(() => portal.close());

const counted = async () => {
  const metrics = await fetch(`${portal.url}/metrics`).then((r) => r.text());
  return {
    hits: Number(/page_cache_requests_total\{result="hit"\} (\d+)/.exec(metrics)?.[1] ?? 0),
    // Requests that went through Fastify's hooks to the home page route.
    routed: Number(/http_request_duration_seconds_count\{[^}]*route="\/"[^}]*status="200"\} (\d+)/.exec(metrics)?.[1] ?? 0),
  };
};

test('a cached page is answered from the front door with the same body and headers', async () => {
  const first = await fetch(`${portal.url}/`);
  assert.equal(first.headers.get('x-cache'), null);
  const body = await first.text();
  const before = await counted();
  const hit = await fetch(`${portal.url}/`);
  assert.equal(hit.status, 200);
  assert.equal(hit.headers.get('x-cache'), 'hit');
  assert.equal(await hit.text(), body);
  const now = await counted();
  assert.equal(now.hits, before.hits + 1);
  assert.equal(now.routed, before.routed, 'a hit never reaches the router');
  for (const name of ['content-type', 'etag', 'cache-control', 'content-security-policy', 'x-content-type-options', 'referrer-policy', 'x-frame-options']) {
    assert.equal(hit.headers.get(name), first.headers.get(name), name);
  }
  assert.equal(Number(hit.headers.get('content-length')), Buffer.byteLength(body));
  assert.match(hit.headers.get('x-request-id')!, /^[0-9a-f-]{36}$/);
  assert.equal(hit.headers.get('strict-transport-security'), null);

  const notModified = await fetch(`${portal.url}/`, { headers: { 'if-none-match': first.headers.get('etag')! } });
  assert.equal(notModified.status, 304);
  assert.equal(await notModified.text(), '');

  const head = await fetch(`${portal.url}/`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('x-cache'), 'hit');
});

test('the English page and the Russian page of one address are cached apart', async () => {
  await portal.app.pageCache.purge(['*']);
  await fetch(`${portal.url}/`);
  const ru = await fetch(`${portal.url}/`);
  assert.equal(ru.headers.get('x-cache'), 'hit');
  assert.match(await ru.text(), /<html lang="ru">/);
  const en = await fetch(`${portal.url}/`, { headers: { cookie: 'theme=dark; gorod_lang=en' } });
  assert.equal(en.headers.get('x-cache'), null, 'the first English request renders');
  assert.match(await en.text(), /<html lang="en">/);
});

test('a query parameter the page does not read is rendered but never stored (no cache filling)', async () => {
  const sizeBefore = portal.app.pageCache.size;
  for (let i = 0; i < 5; i++) {
    const res = await fetch(`${portal.url}/?utm_source=${i}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
  }
  assert.equal(portal.app.pageCache.size, sizeBefore);
  // A parameter the route reads (the page number of a section) is a page of its own.
  await fetch(`${portal.url}/text/gorod/?page=1`);
  assert.equal((await fetch(`${portal.url}/text/gorod/?page=1`)).headers.get('x-cache'), 'hit');
});

test('a write to a cached address is never answered from the cache', async () => {
  await fetch(`${portal.url}/`);
  const post = await fetch(`${portal.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
  assert.equal(post.headers.get('x-cache'), null);
  assert.notEqual(post.status, 200);
});

test('HSTS on a hit only when a trusted proxy says the reader came over HTTPS', async () => {
  await fetch(`${portal.url}/`);
  const https = await fetch(`${portal.url}/`, { headers: { 'x-forwarded-proto': 'https' } });
  assert.equal(https.headers.get('x-cache'), 'hit');
  assert.match(https.headers.get('strict-transport-security') ?? '', /max-age=\d+/);

  const untrusted = await startPortal({ demo: false });
  try {
    await fetch(`${untrusted.url}/rss.xml`);
    const spoofed = await fetch(`${untrusted.url}/rss.xml`, { headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(spoofed.headers.get('x-cache'), 'hit');
    assert.equal(spoofed.headers.get('strict-transport-security'), null);
  } finally {
    await untrusted.close();
  }
});
