// The streams an instance holds, over a real node:http server and real sockets:
// ceilings, ticks coalesced per turn, a client that never reads closed before its
// bytes pile up, a stream's end freeing its place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import Fastify from 'fastify';
import { EventStreams, MAX_BUFFERED, openEventStream } from './event-streams.js';

/** A server whose every request becomes a stream of key `?k=` owned by `?o=`. */
async function serve(streams: EventStreams<number>, lifetimeMs = 60_000) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const s = streams.open(res, Number(url.searchParams.get('k')), url.searchParams.get('o')!, lifetimeMs);
    streams.tick(s, 'data: hello\n\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { port, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

/** A client that reads: the events it got, as text. */
function reader(port: number, path: string) {
  let text = '';
  let req!: http.ClientRequest;
  const ready = new Promise<void>((resolve) => {
    req = http.get({ port, host: '127.0.0.1', path }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      resolve();
    });
  });
  const until = async (check: (t: string) => boolean) => {
    for (let i = 0; i < 200 && !check(text); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(check(text), `got: ${text}`);
  };
  return { ready, until, text: () => text, close: () => req.destroy() };
}

test('ticks go to the streams of a changed key only, once per turn however many notifies', async () => {
  const calls: number[][] = [];
  const streams: EventStreams<number> = new EventStreams<number>((keys) => {
    calls.push(keys);
    for (const k of keys) for (const s of streams.of(k)) streams.tick(s, `data: ${k}\n\n`);
  });
  const server = await serve(streams);
  const one = reader(server.port, '/?k=1&o=a');
  const two = reader(server.port, '/?k=2&o=b');
  await Promise.all([one.ready, two.ready]);
  await one.until((t) => t.includes('hello'));
  await two.until((t) => t.includes('hello'));
  streams.notify([1]);
  streams.notify([1, 3]);
  await one.until((t) => t.includes('data: 1'));
  assert.deepEqual(calls, [[1]], 'one pass, only keys with open streams');
  assert.doesNotMatch(two.text(), /data: 1/);
  one.close();
  two.close();
  for (let i = 0; i < 100 && streams.count; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(streams.count, 0, 'closed streams free their places');
  streams.closeAll();
  await server.close();
});

test('ceilings per instance and per owner', async () => {
  const streams = new EventStreams<number>(() => {});
  const server = await serve(streams);
  const a = [reader(server.port, '/?k=1&o=x'), reader(server.port, '/?k=1&o=x')];
  await Promise.all(a.map((r) => r.ready));
  assert.equal(streams.admit('x', { maxStreams: 10, maxPerOwner: 2 }), 'owner');
  assert.equal(streams.admit('y', { maxStreams: 10, maxPerOwner: 2 }), 'ok');
  assert.equal(streams.admit('y', { maxStreams: 2, maxPerOwner: 2 }), 'instance');
  assert.deepEqual({ instance: streams.stats.refusedInstance, owner: streams.stats.refusedOwner }, { instance: 1, owner: 1 });
  streams.closeAll();
  await server.close();
});

test('a client that never reads is closed, not buffered', async () => {
  const streams = new EventStreams<number>(() => {});
  const server = await serve(streams);
  // A raw socket that sends the request and never reads: ticks pile up in the kernel, then in our buffer.
  const socket = net.connect(server.port, '127.0.0.1');
  socket.pause();
  await new Promise<void>((r) => socket.once('connect', () => r()));
  socket.write('GET /?k=7&o=slow HTTP/1.1\r\nHost: x\r\n\r\n');
  for (let i = 0; i < 100 && !streams.count; i++) await new Promise((r) => setTimeout(r, 10));
  const [s] = [...streams.of(7)];
  assert.ok(s, 'the stream is open');
  const big = 'x'.repeat(8000);
  for (let i = 0; i < 2000 && !s.res.destroyed; i++) {
    streams.tick(s, `: ${big}\n\n`);
    await new Promise((r) => setImmediate(r));
  }
  assert.ok(s.res.destroyed, 'closed');
  assert.equal(streams.stats.slow, 1);
  assert.ok(s.res.writableLength <= MAX_BUFFERED + 9000, 'never buffered beyond the ceiling');
  socket.destroy();
  streams.closeAll();
  await server.close();
});

test('a stream ends after its lifetime and leaves the hub', async () => {
  const streams = new EventStreams<number>(() => {});
  const server = await serve(streams, 100);
  const r = reader(server.port, '/?k=5&o=z');
  await r.ready;
  for (let i = 0; i < 300 && streams.count; i++) await new Promise((res) => setTimeout(res, 10));
  assert.equal(streams.count, 0);
  assert.equal([...streams.of(5)].length, 0);
  streams.closeAll();
  await server.close();
});

test('an open stream lets go of Fastify’s request and reply (a stream holds only its socket and response)', async () => {
  // A collection on demand: the test runner's process has no --expose-gc of its own.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const app = Fastify();
  // As the portal's: a hook that times each response (Fastify then listens for its end).
  app.addHook('onResponse', async () => {});
  const streams = new EventStreams<number>(() => {});
  let held: WeakRef<object> | undefined;
  app.get('/s', async (req, reply) => {
    held = new WeakRef(reply);
    streams.tick(streams.open(openEventStream(req, reply, 'no-store'), 1, 'o', 60_000), 'data: hello\n\n');
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const r = reader((app.server.address() as AddressInfo).port, '/s');
  await r.ready;
  await r.until((t) => t.includes('hello'));
  assert.equal(streams.count, 1);
  for (let i = 0; i < 20 && held?.deref(); i++) {
    await new Promise((res) => setTimeout(res, 10));
    gc();
  }
  assert.equal(held?.deref(), undefined, 'the reply is collected while its stream stays open');
  assert.equal(streams.count, 1);
  r.close();
  streams.closeAll();
  await app.close();
});
