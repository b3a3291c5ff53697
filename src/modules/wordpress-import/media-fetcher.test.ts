import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fetchRemote, FetchError, isPrivateAddress, mediaKey, readLocal } from './media-fetcher.js';

test('private, loopback and link-local addresses are told from public ones, in IPv4 and IPv6', () => {
  for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', 'not-an-ip']) assert.equal(isPrivateAddress(a), true, a);
  for (const a of ['93.184.216.34', '2a00:1450:4010::64', '8.8.8.8']) assert.equal(isPrivateAddress(a), false, a);
});

test('nothing is fetched from a private address, directly, by a name or through a redirect', async () => {
  const server = http.createServer((req, res) => {
    if (req.url === '/go') res.writeHead(302, { location: 'http://127.0.0.1:1/secret' }).end();
    else res.end('private data');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const limits = { maxBytes: 1000, timeoutMs: 2000 };
  for (const url of [`http://127.0.0.1:${port}/x.jpg`, `http://localhost:${port}/x.jpg`, `http://[::1]:${port}/x.jpg`]) {
    await assert.rejects(fetchRemote(url, limits), (err: FetchError) => err.code === 'private_address', url);
  }
  await assert.rejects(fetchRemote('file:///etc/passwd', limits), (err: FetchError) => err.code === 'bad_url');
  server.close();
});

test('a local uploads copy is read by the URL’s path, and nothing outside it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uploads-'));
  fs.mkdirSync(path.join(dir, '2024/05'), { recursive: true });
  fs.writeFileSync(path.join(dir, '2024/05/фото.jpg'), 'x');
  fs.writeFileSync(path.join(os.tmpdir(), 'outside-secret.txt'), 'secret');
  assert.equal((await readLocal(dir, 'https://old.example/wp-content/uploads/2024/05/%D1%84%D0%BE%D1%82%D0%BE.jpg', 10)).toString(), 'x');
  await assert.rejects(readLocal(dir, 'https://old.example/wp-content/uploads/../../outside-secret.txt', 10), (e: FetchError) => e.code === 'outside_uploads' || e.code === 'not_found');
  await assert.rejects(readLocal(dir, 'https://old.example/wp-content/uploads/%2e%2e/%2e%2e/outside-secret.txt', 10), (e: FetchError) => e.code === 'outside_uploads' || e.code === 'not_found');
  await assert.rejects(readLocal(dir, 'wp-content/uploads/..%2F..%2Foutside-secret.txt', 10), (e: FetchError) => e.code === 'outside_uploads');
  await assert.rejects(readLocal(dir, 'https://old.example/wp-content/uploads/2024/05/фото.jpg', 0), (e: FetchError) => e.code === 'too_large');
  fs.rmSync(dir, { recursive: true });
});

test('resized variants and the big-image copy share their original’s key', () => {
  assert.equal(mediaKey('https://old.example/wp-content/uploads/2024/05/Most-300x200.PNG'), '2024/05/most.png');
  assert.equal(mediaKey('https://old.example/wp-content/uploads/2024/05/most-scaled.png'), '2024/05/most.png');
});
