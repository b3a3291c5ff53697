import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.js';

test('defaults give a portal on port 3000 in Novosibirsk time with demo content', () => {
  const c = loadConfig({});
  assert.equal(c.port, 3000);
  assert.equal(c.timezone, 'Asia/Novosibirsk');
  assert.equal(c.seedDemo, true);
  assert.equal(c.databaseUrl, undefined);
  assert.match(c.dataDir, /data$/);
  assert.equal(c.publicUrl, 'http://localhost:3000');
});

test('every mistake is reported as its own line naming the variable', () => {
  let error: unknown;
  try {
    loadConfig({ PORT: 'abc', SITE_TIMEZONE: 'Mars/Olympus', DATABASE_URL: 'mysql://x', SEED_DEMO: 'maybe', SMTP_URL: 'not a url' });
  } catch (err) {
    error = err;
  }
  assert.ok(error instanceof ConfigError);
  const lines = error.problems;
  assert.equal(lines.length, 5);
  assert.ok(lines.some((l) => l.startsWith('PORT:')));
  assert.ok(lines.some((l) => l.startsWith('SITE_TIMEZONE:')));
  assert.ok(lines.some((l) => l.startsWith('DATABASE_URL:')));
  assert.ok(lines.some((l) => l.startsWith('SEED_DEMO:')));
  assert.ok(lines.some((l) => l.startsWith('SMTP_URL:')));
});

test('PUBLIC_URL loses its trailing slash; SEED_DEMO=false turns the demo off', () => {
  const c = loadConfig({ PUBLIC_URL: 'https://news.example.ru/', SEED_DEMO: 'false', PORT: '8080' });
  assert.equal(c.publicUrl, 'https://news.example.ru');
  assert.equal(c.seedDemo, false);
  assert.equal(c.port, 8080);
});
