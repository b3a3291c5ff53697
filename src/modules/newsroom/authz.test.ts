// The authorization matrix: every newsroom back office route and action, called by
// an anonymous visitor and by each role, must answer the status in this table. One
// row per route: adding a route means adding a row. Each call acts on fresh
// fixtures (a new draft, tag, section…), so the order of calls does not matter.
// "L" is the sign-in answer: 303 to /login for pages and forms, 401 for the API.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { Role } from '../../db/schema.js';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import type { Client } from '../../../test/support/client.js';
import type { SessionUser } from '../../platform/sessions.js';
import { articlePayload, firstSectionId, staffClient, upload } from './test-helpers.js';

type Who = 'anonymous' | Role;
const WHO: Who[] = ['anonymous', 'reader', 'author', 'editor', 'moderator', 'admin'];

interface Fixtures {
  /** A new draft whose author is the matrix's author account. */
  draft(): Promise<number>;
  tag(): Promise<number>;
  story(): Promise<number>;
  section(): Promise<number>;
  authorProfile(): Promise<number>;
  reader(): Promise<number>;
  unique(): string;
  sectionId: number;
}

interface Row {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'UPLOAD';
  path: (f: Fixtures) => Promise<string> | string;
  /** JSON for /api routes, form fields otherwise. */
  body?: (f: Fixtures) => Record<string, unknown>;
  /** anonymous, reader, author, editor, moderator, admin */
  expect: string;
}

const draftPath = (suffix = '') => async (f: Fixtures) => `/admin/articles/${await f.draft()}${suffix}`;
const apiDraftPath = (suffix = '') => async (f: Fixtures) => `/api/admin/articles/${await f.draft()}${suffix}`;

const MATRIX: Row[] = [
  { method: 'GET', path: () => '/admin', expect: 'L 403 200 200 200 200' },
  { method: 'GET', path: () => '/admin/articles', expect: 'L 403 200 200 403 200' },
  { method: 'GET', path: () => '/admin/articles?status=review&sort=title&q=мост', expect: 'L 403 200 200 403 200' },
  // The filter form as a browser submits it: every field, most of them empty.
  { method: 'GET', path: () => '/admin/articles?q=&status=&sectionId=&authorId=&type=&sort=updated', expect: 'L 403 200 200 403 200' },
  { method: 'GET', path: () => '/admin/articles/new', expect: 'L 403 200 200 403 200' },
  { method: 'POST', path: () => '/admin/articles', body: (f) => ({ title: `Матрица ${f.unique()}`, sectionId: String(f.sectionId), type: 'news' }), expect: 'L 403 303 303 403 303' },
  { method: 'POST', path: () => '/api/admin/articles', body: (f) => ({ title: `Матрица ${f.unique()}`, sectionId: f.sectionId, type: 'news' }), expect: 'L 403 201 201 403 201' },
  { method: 'GET', path: draftPath(), expect: 'L 403 200 200 403 200' },
  { method: 'PUT', path: apiDraftPath(), body: (f) => ({ baseRevision: 1, ...articlePayload(f.sectionId) }), expect: 'L 403 200 200 403 200' },
  { method: 'POST', path: apiDraftPath('/transition'), body: () => ({ action: 'submit' }), expect: 'L 403 200 200 403 200' },
  { method: 'POST', path: apiDraftPath('/transition'), body: () => ({ action: 'publish' }), expect: 'L 403 403 200 403 200' },
  { method: 'POST', path: apiDraftPath('/transition'), body: () => ({ action: 'schedule', at: new Date(Date.now() + 86400_000).toISOString() }), expect: 'L 403 403 200 403 200' },
  { method: 'DELETE', path: apiDraftPath(), expect: 'L 403 403 200 403 200' },
  { method: 'GET', path: () => '/api/admin/articles/search?q=мост', expect: 'L 403 200 200 403 200' },
  { method: 'GET', path: draftPath('/preview'), expect: 'L 403 200 200 403 200' },
  { method: 'GET', path: draftPath('/revisions'), expect: 'L 403 200 200 403 200' },
  { method: 'GET', path: draftPath('/revisions/1'), expect: 'L 403 200 200 403 200' },
  { method: 'POST', path: draftPath('/revisions/1/restore'), body: () => ({ baseRevision: '1' }), expect: 'L 403 403 303 403 303' },
  { method: 'POST', path: apiDraftPath('/restore'), body: () => ({ revision: 1, baseRevision: 1 }), expect: 'L 403 403 200 403 200' },
  { method: 'UPLOAD', path: () => '/api/admin/images', expect: 'L 403 201 201 403 201' },
  { method: 'GET', path: () => '/admin/home', expect: 'L 403 403 200 403 200' },
  { method: 'POST', path: () => '/admin/home', body: () => ({ 'slot:lead': '' }), expect: 'L 403 403 303 403 303' },
  { method: 'GET', path: () => '/admin/sections', expect: 'L 403 403 200 403 200' },
  { method: 'POST', path: () => '/admin/sections', body: (f) => ({ title: `Рубрика ${f.unique()}`, slug: `r-${f.unique()}` }), expect: 'L 403 403 303 403 303' },
  { method: 'POST', path: async (f) => `/admin/sections/${await f.section()}`, body: (f) => ({ title: 'Переименована', slug: `p-${f.unique()}`, position: '3' }), expect: 'L 403 403 303 403 303' },
  { method: 'POST', path: async (f) => `/admin/sections/${await f.section()}/delete`, expect: 'L 403 403 303 403 303' },
  { method: 'GET', path: () => '/admin/tags', expect: 'L 403 403 200 403 200' },
  { method: 'POST', path: () => '/admin/tags', body: (f) => ({ title: `тег ${f.unique()}` }), expect: 'L 403 403 303 403 303' },
  { method: 'POST', path: async (f) => `/admin/tags/${await f.tag()}`, body: (f) => ({ title: `тег ${f.unique()}` }), expect: 'L 403 403 303 403 303' },
  { method: 'POST', path: async (f) => `/admin/tags/${await f.tag()}/delete`, expect: 'L 403 403 303 403 303' },
  { method: 'GET', path: () => '/admin/stories', expect: 'L 403 403 200 403 200' },
  { method: 'POST', path: () => '/admin/stories', body: (f) => ({ title: `Сюжет ${f.unique()}` }), expect: 'L 403 403 303 403 303' },
  { method: 'POST', path: async (f) => `/admin/stories/${await f.story()}`, body: (f) => ({ title: `Сюжет ${f.unique()}` }), expect: 'L 403 403 303 403 303' },
  { method: 'POST', path: async (f) => `/admin/stories/${await f.story()}/delete`, expect: 'L 403 403 303 403 303' },
  { method: 'GET', path: () => '/admin/authors', expect: 'L 403 403 200 403 200' },
  { method: 'POST', path: () => '/admin/authors', body: (f) => ({ name: `Автор ${f.unique()}` }), expect: 'L 403 403 303 403 303' },
  { method: 'POST', path: async (f) => `/admin/authors/${await f.authorProfile()}`, body: (f) => ({ name: `Автор ${f.unique()}`, position: 'Обозреватель' }), expect: 'L 403 403 303 403 303' },
  { method: 'GET', path: () => '/admin/users', expect: 'L 403 403 403 403 200' },
  { method: 'POST', path: () => '/admin/users', body: (f) => ({ displayName: 'Новый автор', email: `new-${f.unique()}@example.ru`, password: 'длинный-пароль', role: 'author' }), expect: 'L 403 403 403 403 303' },
  { method: 'POST', path: async (f) => `/admin/users/${await f.reader()}`, body: () => ({ role: 'author' }), expect: 'L 403 403 403 403 303' },
  { method: 'GET', path: () => '/admin/audit', expect: 'L 403 403 403 403 200' },
];

let portal: Portal;
let fixtures: Fixtures;
let jpeg: Buffer;
const clients = new Map<Who, Client>();

before(async () => {
  portal = await startPortal({ config: { trustProxy: '127.0.0.1' } });
  for (const who of WHO) {
    if (who === 'anonymous') {
      clients.set(who, portal.client({ 'x-forwarded-for': '10.8.0.1' }));
      continue;
    }
    clients.set(who, (await staffClient(portal, who)).client);
  }
  const authorUser = (await portal.database.db.selectFrom('users').select(['id', 'email', 'display_name', 'role']).where('role', '=', 'author').executeTakeFirstOrThrow());
  const asSession: SessionUser = { id: authorUser.id, email: authorUser.email, displayName: authorUser.display_name, role: 'author' };
  const sectionId = await firstSectionId(portal);
  let n = 0;
  const unique = () => `${Date.now().toString(36)}${(n++).toString(36)}`;
  const { content } = portal.app;
  fixtures = {
    sectionId,
    unique,
    draft: () => portal.app.newsroom.createArticle(asSession, { ...articlePayload(sectionId, { title: `Черновик ${unique()}` }), type: 'news' } as never),
    tag: () => content.ensureTag(`фикстура ${unique()}`),
    story: () => content.createStory({ title: `Сюжет ${unique()}`, slug: `s-${unique()}` }),
    section: () => content.createSection({ title: `Пустая ${unique()}`, slug: `e-${unique()}` }),
    authorProfile: () => content.createAuthor({ name: `Профиль ${unique()}`, slug: `a-${unique()}` }),
    reader: async () => (await portal.app.accounts.createUser({ email: `r-${unique()}@example.ru`, password: 'пароль-читателя', displayName: 'Читатель', role: 'reader' })).id,
  };
  jpeg = await sharp({ create: { width: 600, height: 400, channels: 3, background: '#3a7' } }).jpeg().toBuffer();
});
after(() => portal.close());

async function call(client: Client, row: Row): Promise<{ status: number; location: string | null; body: string }> {
  const path = await row.path(fixtures);
  if (row.method === 'UPLOAD') {
    const res = await upload(portal, client, jpeg, 'photo.jpg', 'image/jpeg');
    return { status: res.status, location: null, body: res.text };
  }
  const body = row.body?.(fixtures);
  if (path.startsWith('/api/')) {
    const res = row.method === 'GET' ? await client.request('GET', path, { headers: { accept: 'application/json' } }) : await client.api(row.method, path, body);
    return { status: res.status, location: res.location, body: res.text };
  }
  const res = row.method === 'GET' ? await client.get(path) : await client.submit(path, (body ?? {}) as Record<string, string>);
  return { status: res.status, location: res.location, body: res.text };
}

// Test names show the paths with placeholders for the fixtures.
const placeholder = async () => ':id' as unknown as number;
const names: Fixtures = { draft: placeholder, tag: placeholder, story: placeholder, section: placeholder, authorProfile: placeholder, reader: placeholder, unique: () => 'x', sectionId: 0 };
const labels = await Promise.all(MATRIX.map(async (row) => `${row.method} ${await row.path(names)}`));

for (const [n, row] of MATRIX.entries()) {
  test(`authorization: ${labels[n]} → ${row.expect}`, async () => {
    const expected = row.expect.split(' ');
    assert.equal(expected.length, WHO.length, 'one expectation per role');
    for (const [i, who] of WHO.entries()) {
      const res = await call(clients.get(who)!, row);
      const want = expected[i]!;
      if (want === 'L') {
        const path = await row.path(fixtures);
        if (path.startsWith('/api/')) assert.equal(res.status, 401, `${who}: ${res.body.slice(0, 200)}`);
        else {
          assert.equal(res.status, 303, `${who}: ${res.body.slice(0, 200)}`);
          assert.match(res.location ?? '', /^\/login\?next=/, who);
        }
      } else {
        assert.equal(res.status, Number(want), `${who}: ${res.body.slice(0, 300)}`);
        if (want === '303' && row.method === 'POST') assert.doesNotMatch(res.location ?? '', /^\/login/, who);
      }
    }
  });
}
