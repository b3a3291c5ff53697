// The authorization matrix: every back office route and action — the newsroom's
// and every other module's under /admin and /api/admin (typo queue, comment
// moderation, «Рекомендуем», statistics), plus the editors' typo API — called by an
// anonymous visitor and by each role, must answer the status in this table. One row
// per call; several rows may call one route. The first test reads the routes the
// app really registered: one under /admin without a row here fails it. Each call
// acts on fresh fixtures (a new draft, tag, comment, typo report…), so the order of
// calls does not matter.
// "L" is the sign-in answer: 303 to /login for pages and forms, 401 for the API.
import crypto from 'node:crypto';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { Role } from '../../db/schema.js';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import type { Client } from '../../../test/support/client.js';
import type { SessionUser } from '../../platform/sessions.js';
import type { App } from '../../types.js';
import { articlePayload, firstSectionId, staffClient, upload } from '../../../test/support/newsroom.js';
import { newsroomBundles } from './assets.js';
import { consoleBundle } from '../live/index.js';
import { anonymousReader } from '../../platform/reader.js';

type Who = 'anonymous' | Role;
const WHO: Who[] = ['anonymous', 'reader', 'author', 'editor', 'moderator', 'admin'];

/** Paths of the back office: every route under them must have a row. */
const GUARDED = [/^\/admin(\/|$)/, /^\/api\/admin\//, /^\/api\/typos(\/|$)/];

interface Fixtures {
  /** A new draft whose author is the matrix's author account. */
  draft(): Promise<number>;
  tag(): Promise<number>;
  story(): Promise<number>;
  section(): Promise<number>;
  authorProfile(): Promise<number>;
  reader(): Promise<number>;
  /** An open typo report on a published article. */
  typo(): Promise<number>;
  /** A reader's comment on a published article. */
  comment(): Promise<number>;
  /** An active comment ban of a new reader. */
  ban(): Promise<number>;
  /** A new forum board. */
  board(): Promise<number>;
  /** A new newsletter list (a digest that always has items, or a breaking list): a fresh one per call, so «once per issue» never answers 409. */
  newsletterList(kind?: 'daily' | 'breaking'): Promise<number>;
  /** Dating: a new profile's account id (banned, if asked), or a pending photo's or verification's id of a new profile. */
  dating(what: 'profile' | 'banned' | 'photo' | 'verification'): Promise<number>;
  unique(): string;
  sectionId: number;
  /** A published article. */
  published: number;
  /** The file name of the editor's bundle. */
  bundle: string;
}

interface Row {
  /** The registered route this row calls: method and path as Fastify knows them. */
  route: string;
  path: (f: Fixtures) => Promise<string> | string;
  /** JSON for /api routes, form fields otherwise. */
  body?: (f: Fixtures) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Multipart upload of an image instead of a body. */
  upload?: true;
  /** anonymous, reader, author, editor, moderator, admin */
  expect: string;
}

const draftPath = (suffix = '') => async (f: Fixtures) => `/admin/articles/${await f.draft()}${suffix}`;
const apiDraftPath = (suffix = '') => async (f: Fixtures) => `/api/admin/articles/${await f.draft()}${suffix}`;

/** A live article (a new draft of the matrix's author made live), optionally with an entry (a draft one for `publish`). */
const liveDraft =
  (suffix: '' | '/settings' | '/entries' | 'entry' | 'draftEntry' = '', api = false) =>
  async (f: Fixtures) => {
    const id = await f.draft();
    let tail = suffix === 'entry' || suffix === 'draftEntry' ? '/entries/:entry' : suffix;
    if (typeof id === 'number') {
      await portal.app.live.configure(id, { startsAt: new Date(Date.now() - 60_000), endsAt: null, order: 'newest' });
      if (suffix === 'entry' || suffix === 'draftEntry') {
        const e = await portal.app.live.add(id, { blocks: [{ type: 'paragraph', data: { text: 'Запись матрицы' } }], status: suffix === 'draftEntry' ? 'draft' : 'published' }, { id: 1, displayName: 'Матрица' });
        tail = `/entries/${e.id}`;
      }
    }
    return `${api ? '/api' : ''}/admin/live/${id}${tail}`;
  };

const MATRIX: Row[] = [
  { route: 'GET /admin', path: () => '/admin', expect: 'L 403 200 200 200 200' },
  // The editor's script is a static file like /assets: nothing in it is the newsroom's to guard.
  { route: 'GET /admin/assets/:name', path: (f) => `/admin/assets/${f.bundle}`, expect: '200 200 200 200 200 200' },

  // ---- newsroom: articles ----
  { route: 'GET /admin/articles', path: () => '/admin/articles', expect: 'L 403 200 200 403 200' },
  { route: 'GET /admin/articles', path: () => '/admin/articles?status=review&sort=title&q=мост', expect: 'L 403 200 200 403 200' },
  // The filter form as a browser submits it: every field, most of them empty.
  { route: 'GET /admin/articles', path: () => '/admin/articles?q=&status=&sectionId=&authorId=&type=&sort=updated', expect: 'L 403 200 200 403 200' },
  { route: 'GET /admin/articles/new', path: () => '/admin/articles/new', expect: 'L 403 200 200 403 200' },
  { route: 'POST /admin/articles', path: () => '/admin/articles', body: (f) => ({ title: `Матрица ${f.unique()}`, sectionId: String(f.sectionId), type: 'news' }), expect: 'L 403 303 303 403 303' },
  { route: 'POST /api/admin/articles', path: () => '/api/admin/articles', body: (f) => ({ title: `Матрица ${f.unique()}`, sectionId: f.sectionId, type: 'news' }), expect: 'L 403 201 201 403 201' },
  { route: 'GET /admin/articles/:id', path: draftPath(), expect: 'L 403 200 200 403 200' },
  { route: 'GET /admin/articles/:id/edit', path: async (f) => `/admin/articles/${await f.draft()}/edit?typo=${await f.typo()}`, expect: 'L 403 200 200 403 200' },
  { route: 'PUT /api/admin/articles/:id', path: apiDraftPath(), body: (f) => ({ baseRevision: 1, ...articlePayload(f.sectionId) }), expect: 'L 403 200 200 403 200' },
  { route: 'POST /api/admin/articles/:id/transition', path: apiDraftPath('/transition'), body: () => ({ action: 'submit' }), expect: 'L 403 200 200 403 200' },
  { route: 'POST /api/admin/articles/:id/transition', path: apiDraftPath('/transition'), body: () => ({ action: 'publish' }), expect: 'L 403 403 200 403 200' },
  { route: 'POST /api/admin/articles/:id/transition', path: apiDraftPath('/transition'), body: () => ({ action: 'schedule', at: new Date(Date.now() + 86400_000).toISOString() }), expect: 'L 403 403 200 403 200' },
  { route: 'DELETE /api/admin/articles/:id', path: apiDraftPath(), expect: 'L 403 403 200 403 200' },
  { route: 'GET /api/admin/articles/search', path: () => '/api/admin/articles/search?q=мост', expect: 'L 403 200 200 403 200' },
  { route: 'GET /admin/articles/:id/preview', path: draftPath('/preview'), expect: 'L 403 200 200 403 200' },
  { route: 'GET /admin/articles/:id/revisions', path: draftPath('/revisions'), expect: 'L 403 200 200 403 200' },
  { route: 'GET /admin/articles/:id/revisions/:rev', path: draftPath('/revisions/1'), expect: 'L 403 200 200 403 200' },
  { route: 'POST /admin/articles/:id/revisions/:rev/restore', path: draftPath('/revisions/1/restore'), body: () => ({ baseRevision: '1' }), expect: 'L 403 403 303 403 303' },
  { route: 'POST /api/admin/articles/:id/restore', path: apiDraftPath('/restore'), body: () => ({ revision: 1, baseRevision: 1 }), expect: 'L 403 403 200 403 200' },
  { route: 'POST /api/admin/images', path: () => '/api/admin/images', upload: true, expect: 'L 403 201 201 403 201' },

  // ---- newsroom: home page, structure, people, audit ----
  { route: 'GET /admin/home', path: () => '/admin/home', expect: 'L 403 403 200 403 200' },
  { route: 'POST /admin/home', path: () => '/admin/home', body: () => ({ 'slot:lead': '' }), expect: 'L 403 403 303 403 303' },
  { route: 'GET /admin/sections', path: () => '/admin/sections', expect: 'L 403 403 200 403 200' },
  { route: 'POST /admin/sections', path: () => '/admin/sections', body: (f) => ({ title: `Рубрика ${f.unique()}`, slug: `r-${f.unique()}` }), expect: 'L 403 403 303 403 303' },
  { route: 'POST /admin/sections/:id', path: async (f) => `/admin/sections/${await f.section()}`, body: (f) => ({ title: 'Переименована', slug: `p-${f.unique()}`, position: '3' }), expect: 'L 403 403 303 403 303' },
  { route: 'POST /admin/sections/:id/delete', path: async (f) => `/admin/sections/${await f.section()}/delete`, expect: 'L 403 403 303 403 303' },
  { route: 'GET /admin/tags', path: () => '/admin/tags', expect: 'L 403 403 200 403 200' },
  { route: 'POST /admin/tags', path: () => '/admin/tags', body: (f) => ({ title: `тег ${f.unique()}` }), expect: 'L 403 403 303 403 303' },
  { route: 'POST /admin/tags/:id', path: async (f) => `/admin/tags/${await f.tag()}`, body: (f) => ({ title: `тег ${f.unique()}` }), expect: 'L 403 403 303 403 303' },
  { route: 'POST /admin/tags/:id/delete', path: async (f) => `/admin/tags/${await f.tag()}/delete`, expect: 'L 403 403 303 403 303' },
  { route: 'GET /admin/stories', path: () => '/admin/stories', expect: 'L 403 403 200 403 200' },
  { route: 'POST /admin/stories', path: () => '/admin/stories', body: (f) => ({ title: `Сюжет ${f.unique()}` }), expect: 'L 403 403 303 403 303' },
  { route: 'POST /admin/stories/:id', path: async (f) => `/admin/stories/${await f.story()}`, body: (f) => ({ title: `Сюжет ${f.unique()}` }), expect: 'L 403 403 303 403 303' },
  { route: 'POST /admin/stories/:id/delete', path: async (f) => `/admin/stories/${await f.story()}/delete`, expect: 'L 403 403 303 403 303' },
  { route: 'GET /admin/authors', path: () => '/admin/authors', expect: 'L 403 403 200 403 200' },
  { route: 'POST /admin/authors', path: () => '/admin/authors', body: (f) => ({ name: `Автор ${f.unique()}` }), expect: 'L 403 403 303 403 303' },
  { route: 'POST /admin/authors/:id', path: async (f) => `/admin/authors/${await f.authorProfile()}`, body: (f) => ({ name: `Автор ${f.unique()}`, position: 'Обозреватель' }), expect: 'L 403 403 303 403 303' },
  { route: 'GET /admin/users', path: () => '/admin/users', expect: 'L 403 403 403 403 200' },
  { route: 'POST /admin/users', path: () => '/admin/users', body: (f) => ({ displayName: 'Новый автор', email: `new-${f.unique()}@example.ru`, password: 'длинный-пароль', role: 'author' }), expect: 'L 403 403 403 403 303' },
  { route: 'POST /admin/users/:id', path: async (f) => `/admin/users/${await f.reader()}`, body: () => ({ role: 'author' }), expect: 'L 403 403 403 403 303' },
  // The WordPress import: admins only. A form that is not multipart is refused (400); an unknown run is 404.
  { route: 'GET /admin/import', path: () => '/admin/import', expect: 'L 403 403 403 403 200' },
  { route: 'POST /admin/import', path: () => '/admin/import', body: () => ({ dryRun: '1' }), expect: 'L 403 403 403 403 400' },
  { route: 'GET /admin/import/:id', path: () => '/admin/import/999999', expect: 'L 403 403 403 403 404' },
  { route: 'GET /admin/audit', path: () => '/admin/audit', expect: 'L 403 403 403 403 200' },

  // ---- typos: the editors' queue and its API ----
  { route: 'GET /admin/typos', path: () => '/admin/typos', expect: 'L 403 403 200 403 200' },
  { route: 'GET /admin/typos', path: () => '/admin/typos?status=fixed&page=1', expect: 'L 403 403 200 403 200' },
  { route: 'POST /admin/typos/:id/status', path: async (f) => `/admin/typos/${await f.typo()}/status`, body: () => ({ status: 'fixed' }), expect: 'L 403 403 303 403 303' },
  { route: 'POST /admin/typos/:id/status', path: async (f) => `/admin/typos/${await f.typo()}/status`, body: () => ({ status: 'rejected' }), expect: 'L 403 403 303 403 303' },
  { route: 'GET /api/typos', path: () => '/api/typos', expect: 'L 403 403 200 403 200' },
  { route: 'PATCH /api/typos/:id', path: async (f) => `/api/typos/${await f.typo()}`, body: () => ({ status: 'fixed' }), expect: 'L 403 403 200 403 200' },

  // ---- moderation: the queue of every kind, bans, settings (moderators and editors) ----
  { route: 'GET /admin/comments', path: () => '/admin/comments', expect: 'L 403 403 301 301 301' },
  { route: 'GET /admin/moderation', path: () => '/admin/moderation', expect: 'L 403 403 200 200 200' },
  { route: 'GET /admin/moderation', path: () => '/admin/moderation?kind=comment', expect: 'L 403 403 200 200 200' },
  { route: 'POST /admin/moderation/:kind/:id/decide', path: async (f) => `/admin/moderation/comment/${await f.comment()}/decide`, body: () => ({ action: 'approve' }), expect: 'L 403 403 303 303 303' },
  { route: 'POST /admin/moderation/:kind/:id/decide', path: async (f) => `/admin/moderation/comment/${await f.comment()}/decide`, body: () => ({ action: 'delete', back: 'comment' }), expect: 'L 403 403 303 303 303' },
  { route: 'GET /admin/moderation/bans', path: () => '/admin/moderation/bans', expect: 'L 403 403 200 200 200' },
  { route: 'POST /admin/moderation/bans', path: () => '/admin/moderation/bans', body: async (f) => ({ userId: String(await f.reader()), days: '3', reason: 'Оскорбления' }), expect: 'L 403 403 303 303 303' },
  { route: 'POST /admin/moderation/bans/:id/lift', path: async (f) => `/admin/moderation/bans/${await f.ban()}/lift`, expect: 'L 403 403 303 303 303' },
  { route: 'GET /admin/moderation/settings', path: () => '/admin/moderation/settings', expect: 'L 403 403 200 200 200' },
  { route: 'POST /admin/moderation/settings', path: () => '/admin/moderation/settings', body: () => ({ stopWords: 'спам', holdFirst: '0' }), expect: 'L 403 403 303 303 303' },

  // ---- audience: «Рекомендуем» pins and statistics ----
  { route: 'GET /admin/recommended', path: () => '/admin/recommended', expect: 'L 403 403 200 403 200' },
  { route: 'POST /admin/recommended', path: () => '/admin/recommended', body: (f) => ({ article: String(f.published) }), expect: 'L 403 403 303 403 303' },
  { route: 'POST /admin/recommended/unpin', path: () => '/admin/recommended/unpin', body: (f) => ({ articleId: String(f.published) }), expect: 'L 403 403 303 403 303' },
  { route: 'GET /admin/stats', path: () => '/admin/stats', expect: 'L 403 200 200 403 200' },
  { route: 'GET /admin/info', path: () => '/admin/info', expect: 'L 403 403 200 403 200' },
  { route: 'POST /admin/info/imprint', path: () => '/admin/info/imprint', body: () => ({ founder: 'ООО «Городские новости»', editorInChief: 'Главный редактор', registration: 'ЭЛ № ФС 77-00000' }), expect: 'L 403 403 303 403 303' },
  { route: 'GET /admin/info/:slug', path: () => '/admin/info/about', expect: 'L 403 403 200 403 200' },
  { route: 'POST /admin/info/:slug', path: () => '/admin/info/about', body: () => ({ title: 'О проекте', body: 'Городской портал.' }), expect: 'L 403 403 303 403 303' },
  { route: 'GET /admin/stats', path: (f) => `/admin/stats?from=2026-01-01&to=2026-01-31&article=${f.published}`, expect: 'L 403 200 200 403 200' },
  // Live coverage: editors, and the article's own authors.
  { route: 'GET /admin/live', path: () => '/admin/live', expect: 'L 403 200 200 403 200' },
  { route: 'POST /admin/live', path: () => '/admin/live', body: (f) => ({ article: String(f.published) }), expect: 'L 403 403 303 403 303' },
  { route: 'GET /admin/live/:id', path: liveDraft(), expect: 'L 403 200 200 403 200' },
  { route: 'GET /admin/live/assets/:name', path: async () => `/admin/live/assets/${(await consoleBundle()).name}`, expect: '200 200 200 200 200 200' },
  { route: 'POST /admin/live/:id/settings', path: liveDraft('/settings'), body: () => ({ order: 'oldest' }), expect: 'L 403 403 303 403 303' },
  { route: 'POST /admin/live/:id/entries', path: liveDraft('/entries'), body: () => ({ text: 'Запись из матрицы' }), expect: 'L 403 303 303 403 303' },
  { route: 'POST /admin/live/:id/entries/:entry', path: liveDraft('entry'), body: () => ({ action: 'pin' }), expect: 'L 403 303 303 403 303' },
  { route: 'POST /api/admin/live/:id/entries', path: liveDraft('/entries', true), body: () => ({ blocks: [{ type: 'paragraph', data: { text: 'Запись из матрицы' } }] }), expect: 'L 403 201 201 403 201' },
  { route: 'PUT /api/admin/live/:id/entries/:entry', path: liveDraft('entry', true), body: () => ({ blocks: [{ type: 'paragraph', data: { text: 'Правка из матрицы' } }] }), expect: 'L 403 200 200 403 200' },
  { route: 'DELETE /api/admin/live/:id/entries/:entry', path: liveDraft('entry', true), expect: 'L 403 200 200 403 200' },
  { route: 'POST /api/admin/live/:id/entries/:entry/publish', path: async (f) => `${await liveDraft('draftEntry', true)(f)}/publish`, expect: 'L 403 200 200 403 200' },
  { route: 'POST /api/admin/live/:id/entries/:entry/pin', path: async (f) => `${await liveDraft('entry', true)(f)}/pin`, body: () => ({ pinned: true }), expect: 'L 403 200 200 403 200' },
  // The forums' boards: moderators and editors.
  { route: 'GET /admin/forums', path: () => '/admin/forums', expect: 'L 403 403 200 200 200' },
  { route: 'POST /admin/forums', path: () => '/admin/forums', body: () => ({ title: 'Новый раздел', slug: `matrix-${crypto.randomUUID().slice(0, 8)}`, startRole: 'reader', replyRole: 'reader' }), expect: 'L 403 403 303 303 303' },
  { route: 'GET /admin/forums/:id', path: async (f) => `/admin/forums/${await f.board()}`, expect: 'L 403 403 200 200 200' },
  { route: 'POST /admin/forums/:id', path: async (f) => `/admin/forums/${await f.board()}`, body: () => ({ title: 'Переименованный раздел', slug: `matrix-${crypto.randomUUID().slice(0, 8)}`, startRole: 'reader', replyRole: 'trusted' }), expect: 'L 403 403 303 303 303' },
  // An address nobody has: the staff get the form again with the reason, the others no further than the door.
  { route: 'POST /admin/forums/:id/moderators', path: async (f) => `/admin/forums/${await f.board()}/moderators`, body: () => ({ email: 'nobody-matrix@example.ru' }), expect: 'L 403 403 400 400 400' },
  { route: 'POST /admin/forums/:id/moderators/:userId/remove', path: async (f) => `/admin/forums/${await f.board()}/moderators/${await f.reader()}/remove`, expect: 'L 403 403 303 303 303' },
  { route: 'POST /admin/forums/:id/merge', path: async (f) => `/admin/forums/${await f.board()}/merge`, body: async (f) => ({ into: String(await f.board()) }), expect: 'L 403 403 303 303 303' },
  { route: 'POST /admin/forums/:id/archive', path: async (f) => `/admin/forums/${await f.board()}/archive`, body: () => ({ archived: '1' }), expect: 'L 403 403 303 303 303' },
  // The newsletter's back office: editors and admins.
  { route: 'GET /admin/newsletter', path: () => '/admin/newsletter', expect: 'L 403 403 200 403 200' },
  { route: 'POST /admin/newsletter/lists', path: () => '/admin/newsletter/lists', body: () => ({ name: 'Рассылка матрицы', slug: `matrix-${crypto.randomUUID().slice(0, 8)}`, kind: 'daily', sendTime: '07:00', maxItems: '5', minNewItems: '0' }), expect: 'L 403 403 303 403 303' },
  { route: 'GET /admin/newsletter/lists/:id', path: async (f) => `/admin/newsletter/lists/${await f.newsletterList()}`, expect: 'L 403 403 200 403 200' },
  { route: 'POST /admin/newsletter/lists/:id', path: async (f) => `/admin/newsletter/lists/${await f.newsletterList()}`, body: () => ({ name: 'Переименованная', slug: `matrix-${crypto.randomUUID().slice(0, 8)}`, kind: 'weekly', weekday: '7', sendTime: '10:00', maxItems: '5', minNewItems: '0' }), expect: 'L 403 403 303 403 303' },
  { route: 'GET /admin/newsletter/lists/:id/preview', path: async (f) => `/admin/newsletter/lists/${await f.newsletterList()}/preview`, expect: 'L 403 403 200 403 200' },
  { route: 'POST /admin/newsletter/lists/:id/test', path: async (f) => `/admin/newsletter/lists/${await f.newsletterList()}/test`, body: () => ({ email: 'matrix-test@example.ru' }), expect: 'L 403 403 303 403 303' },
  { route: 'POST /admin/newsletter/lists/:id/send', path: async (f) => `/admin/newsletter/lists/${await f.newsletterList()}/send`, expect: 'L 403 403 303 403 303' },
  { route: 'POST /admin/newsletter/breaking', path: () => '/admin/newsletter/breaking', body: async (f) => ({ listId: String(await f.newsletterList('breaking')), articleId: String(f.published) }), expect: 'L 403 403 303 403 303' },
  { route: 'GET /admin/newsletter/settings', path: () => '/admin/newsletter/settings', expect: 'L 403 403 200 403 200' },
  { route: 'POST /admin/newsletter/settings', path: () => '/admin/newsletter/settings', body: () => ({ recheckDays: '14' }), expect: 'L 403 403 303 403 303' },
  { route: 'GET /admin/newsletter/stats', path: () => '/admin/newsletter/stats', expect: 'L 403 403 200 403 200' },
  { route: 'GET /admin/newsletter/subscribers', path: () => '/admin/newsletter/subscribers?email=matrix%40example.ru', expect: 'L 403 403 200 403 200' },
  { route: 'GET /admin/newsletter/subscribers/export', path: () => '/admin/newsletter/subscribers/export?email=matrix%40example.ru', expect: 'L 403 403 200 403 200' },
  { route: 'POST /admin/newsletter/subscribers/erase', path: () => '/admin/newsletter/subscribers/erase', body: () => ({ email: 'matrix@example.ru' }), expect: 'L 403 403 303 403 303' },
  // Dating's back office: moderators, editors and admins.
  { route: 'GET /admin/dating', path: () => '/admin/dating', expect: 'L 403 403 200 200 200' },
  { route: 'GET /admin/dating/profiles/:id', path: async (f) => `/admin/dating/profiles/${await f.dating('profile')}`, expect: 'L 403 403 200 200 200' },
  { route: 'POST /admin/dating/photos/:id', path: async (f) => `/admin/dating/photos/${await f.dating('photo')}`, body: () => ({ decision: 'approve' }), expect: 'L 403 403 303 303 303' },
  { route: 'POST /admin/dating/verifications/:id', path: async (f) => `/admin/dating/verifications/${await f.dating('verification')}`, body: () => ({ decision: 'reject' }), expect: 'L 403 403 303 303 303' },
  { route: 'POST /admin/dating/profiles/:id/dismiss', path: async (f) => `/admin/dating/profiles/${await f.dating('profile')}/dismiss`, expect: 'L 403 403 303 303 303' },
  { route: 'POST /admin/dating/profiles/:id/ban', path: async (f) => `/admin/dating/profiles/${await f.dating('profile')}/ban`, expect: 'L 403 403 303 303 303' },
  { route: 'POST /admin/dating/profiles/:id/unban', path: async (f) => `/admin/dating/profiles/${await f.dating('banned')}/unban`, expect: 'L 403 403 303 303 303' },
  { route: 'POST /admin/dating/profiles/:id/delete', path: async (f) => `/admin/dating/profiles/${await f.dating('profile')}/delete`, expect: 'L 403 403 303 303 303' },
  // The classifieds' back office: moderators, editors and admins (category 1 and field 1 come with every portal).
  { route: 'GET /admin/ads', path: () => '/admin/ads', expect: 'L 403 403 200 200 200' },
  { route: 'GET /admin/ads/stats', path: () => '/admin/ads/stats', expect: 'L 403 403 200 200 200' },
  { route: 'POST /admin/ads/categories/:id', path: () => '/admin/ads/categories/1', body: () => ({ title: 'Транспорт', maxPhotos: '10', lifetimeDays: '30' }), expect: 'L 403 403 303 303 303' },
  { route: 'POST /admin/ads/categories/:id/fields', path: () => '/admin/ads/categories/1/fields', body: () => ({ code: 'matrix', label: 'Поле матрицы', type: 'nonsense' }), expect: 'L 403 403 400 400 400' },
  { route: 'POST /admin/ads/fields/:id', path: () => '/admin/ads/fields/1', body: () => ({ retired: '0' }), expect: 'L 403 403 303 303 303' },
  { route: 'POST /admin/ads/storefronts/:id/verify', path: () => '/admin/ads/storefronts/999999/verify', body: () => ({ ok: '1' }), expect: 'L 403 403 404 404 404' },
  { route: 'POST /admin/ads/districts', path: () => '/admin/ads/districts', body: () => {
      const mark = crypto.randomUUID().slice(0, 8);
      return { slug: `matrix-${mark}`, title: `Район матрицы ${mark}` };
    }, expect: 'L 403 403 303 303 303' },
  { route: 'POST /admin/ads/districts/:id', path: () => '/admin/ads/districts/999999', body: () => ({ title: 'Нет такого' }), expect: 'L 403 403 404 404 404' },
  { route: 'POST /admin/ads/promote', path: () => '/admin/ads/promote', body: () => ({ id: '999999', days: '7' }), expect: 'L 403 403 404 404 404' },
];

/**
 * Every method and path the app registered, read from Fastify's printRoutes tree:
 * one node a line, four characters of indent a level, each node's label the rest
 * of its path after its parent's.
 */
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
  const { db } = portal.database;
  const session = async (role: Role): Promise<SessionUser> => {
    const u = await db.selectFrom('users').select(['id', 'email', 'display_name', 'role']).where('role', '=', role).orderBy('id', 'desc').executeTakeFirstOrThrow();
    return { id: u.id, email: u.email, displayName: u.display_name, role };
  };
  const asAuthor = await session('author');
  const asAdmin = await session('admin');
  const sectionId = await firstSectionId(portal);
  let n = 0;
  const unique = () => `${Date.now().toString(36)}${(n++).toString(36)}`;
  const { content, typos, comments, accounts } = portal.app;
  const published = (await content.latest({ limit: 1 }))[0]!;
  const article = (await content.article(published.id))!;
  const reader = async () => (await accounts.createUser({ email: `r-${unique()}@example.ru`, password: 'пароль-читателя', displayName: 'Читатель', role: 'reader' })).id;
  fixtures = {
    sectionId,
    published: published.id,
    bundle: (await newsroomBundles()).editor.name,
    unique,
    draft: () => portal.app.newsroom.createArticle(asAuthor, { ...articlePayload(sectionId, { title: `Черновик ${unique()}` }), type: 'news' } as never),
    tag: () => content.ensureTag(`фикстура ${unique()}`),
    story: () => content.createStory({ title: `Сюжет ${unique()}`, slug: `s-${unique()}` }),
    section: () => content.createSection({ title: `Пустая ${unique()}`, slug: `e-${unique()}` }),
    authorProfile: () => content.createAuthor({ name: `Профиль ${unique()}`, slug: `a-${unique()}` }),
    reader,
    typo: async () => {
      const key = unique();
      const fragment = article.bodyText.slice(0, 12);
      return (await typos.report({ fragment, before: '', after: '', mergeKey: key, articleId: article.id, revision: article.revision, comment: '', reader: anonymousReader(crypto.randomUUID()), ipHash: key })).id;
    },
    comment: async () => {
      const user: SessionUser = { id: await reader(), email: '', displayName: 'Читатель', role: 'reader' };
      return (await comments.create({ articleId: article.id, user, body: `Комментарий для матрицы ${unique()}`, ipHash: unique() })).id;
    },
    ban: async () => {
      const userId = await reader();
      return (await portal.app.moderation.ban({ userId, scope: null, term: { kind: 'escalate' }, reason: 'Матрица', by: asAdmin })).id;
    },
    newsletterList: async (kind = 'daily') =>
      (await portal.app.newsletter.service.createList({ slug: `matrix-${crypto.randomUUID().slice(0, 8)}`, name: 'Рассылка матрицы', description: '', kind, sendTime: '07:00', weekday: null, sectionIds: [], maxItems: 5, minNewItems: 0, active: true, position: 99 })).id,
    dating: async (what) => {
      const userId = await reader();
      const { dating } = portal.app;
      await dating.service.create(userId, { displayName: 'Анкета матрицы', birthDate: '1990-05-05', gender: 'f', seek: 'm', ageMin: 18, ageMax: 99, intention: 'friendship', district: 'Центральный', about: '', interests: [], consent: true, consentText: 'Согласие', rules: true, ipHash: 'matrix' });
      if (what === 'banned') await dating.admin.ban(userId);
      if (what === 'profile' || what === 'banned') return userId;
      const image = await portal.app.media.store(jpeg, { createdBy: userId });
      if (what === 'photo') return dating.photos.add(userId, image.id);
      await dating.photos.pose(userId);
      await dating.photos.submit(userId, image.id);
      return (await dating.photos.waitingVerifications(500)).find((v) => v.user_id === userId)!.id;
    },
    board: async () => (await portal.app.forums.boards.create({ parentId: null, slug: `matrix-${crypto.randomUUID().slice(0, 8)}`, title: 'Раздел матрицы', description: '', position: 99, startRole: 'reader', replyRole: 'reader', premoderation: false })).id,
  };
  jpeg = await sharp({ create: { width: 600, height: 400, channels: 3, background: '#3a7' } }).jpeg().toBuffer();
});
after(() => portal.close());

async function call(client: Client, row: Row): Promise<{ status: number; location: string | null; body: string }> {
  const path = await row.path(fixtures);
  if (row.upload) {
    const res = await upload(portal, client, jpeg, 'photo.jpg', 'image/jpeg');
    return { status: res.status, location: null, body: res.text };
  }
  const method = row.route.split(' ')[0]!;
  const body = await row.body?.(fixtures);
  if (path.startsWith('/api/')) {
    const res = method === 'GET' ? await client.request('GET', path, { headers: { accept: 'application/json' } }) : await client.api(method, path, body);
    return { status: res.status, location: res.location, body: res.text };
  }
  const res = method === 'GET' ? await client.get(path) : await client.submit(path, (body ?? {}) as Record<string, string>);
  return { status: res.status, location: res.location, body: res.text };
}

test('the matrix has a row for every back office route the app registers, and no row for a route it does not', () => {
  const registered = registeredRoutes(portal.app);
  // The reading of the tree itself: a route known to be deep in it is found whole.
  assert.ok(registered.includes('POST /admin/articles/:id/revisions/:rev/restore'), registered.join('\n'));
  assert.ok(registered.includes('GET /healthz'));
  const guarded = registered.filter((r) => GUARDED.some((re) => re.test(r.split(' ')[1]!)));
  const inMatrix = new Set(MATRIX.map((row) => row.route));
  assert.deepEqual(
    guarded.filter((r) => !inMatrix.has(r)),
    [],
    'routes without a row in the authorization matrix: add one per route, with the status each role must get',
  );
  assert.deepEqual(
    [...inMatrix].filter((r) => !registered.includes(r)),
    [],
    'rows for routes that are not registered',
  );
});

// Test names show the paths with placeholders for the fixtures.
const placeholder = async () => ':id' as unknown as number;
const names: Fixtures = {
  draft: placeholder,
  tag: placeholder,
  story: placeholder,
  section: placeholder,
  authorProfile: placeholder,
  reader: placeholder,
  typo: placeholder,
  comment: placeholder,
  ban: placeholder,
  board: placeholder,
  newsletterList: placeholder,
  dating: placeholder,
  unique: () => 'x',
  sectionId: 0,
  published: 0,
  bundle: ':name',
};
const labels = await Promise.all(MATRIX.map(async (row) => `${row.route.split(' ')[0]} ${await row.path(names)}`));

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
        if (want === '303' && !row.route.startsWith('GET')) assert.doesNotMatch(res.location ?? '', /^\/login/, who);
      }
    }
  });
}
