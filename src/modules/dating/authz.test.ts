// The dating authorization matrix: every dating route, HTML and JSON, called by
// each kind of reader — anonymous, signed in without a profile, with a profile
// (compatible with the target), blocked by the target, staff (a moderator without
// a profile) — must answer the status in its row, and nobody but the reader with
// a profile may get a word of the target profile (its name, its «about me»). The
// first test reads the routes the app registered: a dating route without a row
// fails it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import { dater, person, profileForm, type Person } from '../../../test/support/dating.js';
import type { App } from '../../types.js';
import { DATING_SETTINGS } from './settings.js';

type Kind = 'anonymous' | 'noProfile' | 'withProfile' | 'blocked' | 'staff';
const KINDS: Kind[] = ['anonymous', 'noProfile', 'withProfile', 'blocked', 'staff'];
const SECRET_NAME = 'Таисия Тайная';
const SECRET_ABOUT = 'секретное-описание-анкеты';

interface Row {
  route: string;
  path: () => string;
  body?: () => Record<string, string> | Record<string, unknown>;
  upload?: boolean;
  /** One status per kind, in KINDS order. */
  expect: string;
}

let portal: Portal;
let target: Person;
let photoId: number;
const readers = new Map<Kind, Person | null>();

const T = () => target.id;
const valid = () => profileForm(portal, { gender: 'm', seek: 'f', age: 30, intention: 'marriage', district: 'Пригородный' }, {});

const ROWS: Row[] = [
  { route: 'GET /dating/', path: () => '/dating/', expect: '200 200 200 200 200' },
  { route: 'GET /dating/search', path: () => '/dating/search', expect: '303 303 200 200 303' },
  { route: 'GET /dating/likes', path: () => '/dating/likes', expect: '303 303 200 200 303' },
  { route: 'GET /dating/matches', path: () => '/dating/matches', expect: '303 303 200 200 303' },
  { route: 'GET /dating/p/:id', path: () => `/dating/p/${T()}`, expect: '303 303 200 404 303' },
  { route: 'GET /dating/p/:id/report', path: () => `/dating/p/${T()}/report`, expect: '303 303 200 200 303' },
  { route: 'GET /dating/me', path: () => '/dating/me', expect: '303 303 200 200 303' },
  { route: 'GET /api/dating/search', path: () => '/api/dating/search', expect: '401 403 200 200 403' },
  { route: 'GET /api/dating/stream', path: () => '/api/dating/stream', expect: '401 403 200 200 403' },
  { route: 'GET /api/dating/likes', path: () => '/api/dating/likes', expect: '401 403 200 200 403' },
  { route: 'GET /api/dating/matches', path: () => '/api/dating/matches', expect: '401 403 200 200 403' },
  { route: 'GET /api/dating/profiles/:id', path: () => `/api/dating/profiles/${T()}`, expect: '401 403 200 404 403' },
  { route: 'POST /dating/profile', path: () => '/dating/profile', body: () => ({ ...valid(), birthDate: '2001-02-30', consent: '1', rules: '1' }), expect: '303 400 400 400 400' },
  { route: 'POST /dating/me', path: () => '/dating/me', body: valid, expect: '303 403 303 303 403' },
  { route: 'POST /dating/me/delete', path: () => '/dating/me/delete', body: () => ({}), expect: '303 400 400 400 400' },
  { route: 'POST /dating/p/:id/like', path: () => `/dating/p/${T()}/like`, body: () => ({}), expect: '303 403 303 404 403' },
  { route: 'POST /dating/p/:id/skip', path: () => `/dating/p/${T()}/skip`, body: () => ({}), expect: '303 403 303 404 403' },
  { route: 'POST /dating/p/:id/unmatch', path: () => `/dating/p/${T()}/unmatch`, body: () => ({}), expect: '303 403 404 404 403' },
  { route: 'POST /dating/p/:id/block', path: () => `/dating/p/${T()}/block`, body: () => ({}), expect: '303 403 303 303 403' },
  { route: 'POST /dating/p/:id/unblock', path: () => `/dating/p/${T()}/unblock`, body: () => ({}), expect: '303 303 303 303 303' },
  { route: 'POST /dating/p/:id/report', path: () => `/dating/p/${T()}/report`, body: () => ({ reason: 'spam' }), expect: '303 403 303 303 403' },
  { route: 'POST /dating/undo', path: () => '/dating/undo', body: () => ({}), expect: '303 403 303 303 403' },
  { route: 'POST /dating/me/photos', path: () => '/dating/me/photos', upload: true, expect: '303 403 303 303 403' },
  { route: 'POST /dating/me/photos/:id/delete', path: () => `/dating/me/photos/${photoId}/delete`, body: () => ({}), expect: '303 303 303 303 303' },
  { route: 'POST /dating/me/verification/pose', path: () => '/dating/me/verification/pose', body: () => ({}), expect: '303 403 303 303 403' },
  // The blocked reader asked for a pose in the row above; the fresh one never did.
  { route: 'POST /dating/me/verification', path: () => '/dating/me/verification', upload: true, expect: '303 403 409 303 403' },
  { route: 'POST /api/dating/likes', path: () => '/api/dating/likes', body: () => ({ id: T() }), expect: '401 403 200 404 403' },
  { route: 'POST /api/dating/skips', path: () => '/api/dating/skips', body: () => ({ id: T() }), expect: '401 403 200 404 403' },
  { route: 'DELETE /api/dating/skips/last', path: () => '/api/dating/skips/last', expect: '401 403 200 200 403' },
  { route: 'POST /api/dating/blocks', path: () => '/api/dating/blocks', body: () => ({ id: T() }), expect: '401 403 200 200 403' },
  { route: 'POST /api/dating/reports', path: () => '/api/dating/reports', body: () => ({ id: T(), reason: 'fake' }), expect: '401 403 200 200 403' },
];

/** Every method and path the app registered (Fastify's printRoutes tree, as newsroom/authz.test.ts reads it). */
function registeredRoutes(app: App): string[] {
  const routes: string[] = [];
  const prefixes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:│ {3}| {4})*)[├└]── (\S+?)(?: \(([^)]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    const path = (depth ? prefixes[depth - 1]! : '') + m[2]!;
    prefixes[depth] = path;
    for (const method of m[3]?.split(', ') ?? []) if (method !== 'HEAD') routes.push(`${method} ${path}`);
  }
  return routes;
}

let png: Buffer;
before(async () => {
  portal = await startPortal({ demo: false, config: { trustProxy: '127.0.0.1' } });
  for (const s of [DATING_SETTINGS.likesPerIpPerDay, DATING_SETTINGS.searchesPerIpPer30s, DATING_SETTINGS.searchesPer30s, DATING_SETTINGS.likesPer10s]) await portal.app.settings.set(s, 10_000);
  png = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#c8a' } }).png().toBuffer();
  target = await dater(portal, { displayName: SECRET_NAME, about: SECRET_ABOUT, gender: 'f', seek: 'm', age: 27, intention: 'marriage', district: 'Пригородный' });
  const image = await portal.app.media.store(png, { createdBy: target.id });
  photoId = await portal.app.dating.photos.add(target.id, image.id);
  await portal.app.dating.photos.decide(photoId, true);
  readers.set('anonymous', null);
  readers.set('noProfile', await person(portal, 'Без анкеты'));
  readers.set('staff', await person(portal, 'Модератор без анкеты', 'moderator'));
  const blocked = await dater(portal, { displayName: 'Заблокированный', gender: 'm', seek: 'f', age: 30, intention: 'marriage', district: 'Пригородный' });
  assert.equal((await target.c.api('POST', '/api/dating/likes', { id: blocked.id })).status, 200);
  assert.equal((await target.c.api('POST', '/api/dating/blocks', { id: blocked.id })).status, 200);
  readers.set('blocked', blocked);
});
after(() => portal.close());

/** A new compatible reader with a profile for each call, so one row's write never changes another's answer; the target likes them. */
async function withProfile(): Promise<Person> {
  const p = await dater(portal, { displayName: 'Читатель с анкетой', gender: 'm', seek: 'f', age: 30, intention: 'marriage', district: 'Пригородный' });
  assert.equal((await target.c.api('POST', '/api/dating/likes', { id: p.id })).status, 200);
  return p;
}

async function call(kind: Kind, row: Row) {
  const who = kind === 'withProfile' ? await withProfile() : readers.get(kind)!;
  const c = who?.c ?? portal.client({ 'x-forwarded-for': '10.9.0.1', origin: portal.url });
  const [method] = row.route.split(' ');
  const path = row.path();
  if (row.upload) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'photo.png');
    const res = await fetch(portal.url + path, { method: 'POST', body: form, redirect: 'manual', headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '), origin: portal.url, 'x-forwarded-for': c.defaults['x-forwarded-for']! } });
    return { status: res.status, text: await res.text(), cache: res.headers.get('cache-control') };
  }
  const res = path.startsWith('/api/')
    ? method === 'GET'
      ? await c.request('GET', path, { headers: { accept: 'application/json' } })
      : await c.api(method!, path, row.body?.())
    : method === 'GET'
      ? await c.get(path)
      : await c.submit(path, (row.body?.() ?? {}) as Record<string, string>);
  return { status: res.status, text: res.text, cache: res.headers.get('cache-control') };
}

test('every dating route has a row in the matrix', () => {
  const registered = registeredRoutes(portal.app).filter((r) => /^\S+ \/(api\/)?dating(\/|$)/.test(r));
  const rows = new Set(ROWS.map((r) => r.route));
  assert.deepEqual(registered.filter((r) => !rows.has(r)), [], 'routes without a row');
  assert.deepEqual([...rows].filter((r) => !registered.includes(r)), [], 'rows for routes that are not registered');
});

test('each route × each kind of reader: the status of its row, private no-store, and no word of the target but to a reader with a profile', async () => {
  const wrong: string[] = [];
  for (const row of ROWS) {
    const expected = row.expect.split(' ');
    for (const [i, kind] of KINDS.entries()) {
      const res = await call(kind, row);
      if (String(res.status) !== expected[i]) wrong.push(`${row.route} as ${kind}: ${res.status}, expected ${expected[i]} — ${res.text.slice(0, 160)}`);
      if (res.cache !== 'private, no-store') wrong.push(`${row.route} as ${kind}: cache-control ${res.cache}`);
      if (kind !== 'withProfile' && (res.text.includes(SECRET_NAME) || res.text.includes(SECRET_ABOUT))) wrong.push(`${row.route} as ${kind}: the target leaks`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('the reader with a profile does see the target: search, «Вы понравились», the profile', async () => {
  const p = await withProfile();
  for (const path of ['/dating/search', '/dating/likes', `/dating/p/${T()}`, '/api/dating/search', `/api/dating/profiles/${T()}`]) {
    const res = path.startsWith('/api/') ? await p.c.request('GET', path, { headers: { accept: 'application/json' } }) : await p.c.get(path);
    assert.ok(res.text.includes(SECRET_NAME), path);
  }
});
