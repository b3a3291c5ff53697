import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type Portal } from '../../test/support/portal.js';

let portal: Portal;
before(async () => {
  portal = await startPortal({ demo: false });
});
after(() => portal.close());

test('health, readiness and metrics answer for operators', async () => {
  const c = portal.client();
  assert.deepEqual((await c.get('/healthz')).json(), { status: 'ok' });
  const ready = await c.get('/readyz');
  assert.equal(ready.status, 200);
  assert.equal(ready.json().status, 'ready');
  await c.get('/');
  const metrics = await c.get('/metrics');
  assert.equal(metrics.status, 200);
  assert.match(metrics.text, /http_request_duration_seconds_bucket\{[^}]*route="\/"/);
  assert.match(metrics.text, /process_cpu_user_seconds_total/);
});

test('readiness reports a database that went away', async () => {
  const extra = await startPortal({ demo: false });
  await extra.database.close();
  const res = await extra.client().get('/readyz');
  assert.equal(res.status, 503);
  assert.equal(res.json().status, 'not ready');
  await extra.close();
});

test('every response carries a request id', async () => {
  const res = await portal.client().get('/healthz');
  assert.match(res.headers.get('x-request-id')!, /^[0-9a-f-]{36}$/);
});

test('the English locale is a cookie away', async () => {
  const c = portal.client();
  const switched = await c.get('/lang/en');
  assert.equal(switched.status, 303);
  const page = await c.get('/nope');
  assert.match(page.text, /<html lang="en">/);
  assert.match(page.text, /Page not found/);
});

test('a request while the database is away is a 503 with Retry-After, not a 500', async () => {
  const extra = await startPortal({ demo: false });
  await extra.database.close();
  const res = await extra.client().get('/text/gorod/', { accept: 'application/json' });
  assert.equal(res.status, 503, res.text);
  assert.equal(res.headers.get('retry-after'), '5');
  assert.equal(res.json().error.code, 'unavailable');
  await extra.close();
});

test('/metrics is not public: without METRICS_TOKEN only this machine reads it, with one only its bearer', async () => {
  const proxied = await startPortal({ demo: false, config: { trustProxy: '127.0.0.1' } });
  try {
    // A reader on the internet, through the trusted proxy.
    const outside = await proxied.client({ 'x-forwarded-for': '203.0.113.50' }).get('/metrics');
    assert.equal(outside.status, 404);
    assert.doesNotMatch(outside.text, /process_cpu/);
    assert.equal((await proxied.client().get('/metrics')).status, 200, 'from this machine');
  } finally {
    await proxied.close();
  }
  const token = 'scraper-token-0123456789';
  const guarded = await startPortal({ demo: false, config: { metricsToken: token } });
  try {
    const c = guarded.client();
    assert.equal((await c.get('/metrics')).status, 404, 'a token is set: no exception for this machine');
    assert.equal((await c.get('/metrics', { authorization: 'Bearer wrong-token-0123456789' })).status, 404);
    const ok = await c.get('/metrics', { authorization: `Bearer ${token}` });
    assert.equal(ok.status, 200);
    assert.match(ok.text, /process_cpu_user_seconds_total/);
  } finally {
    await guarded.close();
  }
});
