// Live coverage's pages and API:
//  - the readers' part of a live article (the `article.afterBody` widget) and the
//    page around one entry, /…/entry/N/ (page-cached, tags `article:<id>`);
//  - the event stream GET /live/:id/stream (ticks only, streams.ts), the head
//    GET /live/:id/head and the ranges GET /live/:id/entries?after=&upto= (JSON,
//    page-cached: a range whose upto is at most the head never changes), the RSS of
//    one live article;
//  - the back office: the list at /admin/live, the console /admin/live/:id (forms)
//    and the JSON API under /api/admin/live/:id/entries.
// Every write purges `article:<id>` and `live:<id>` once committed: the article's
// pages and data go, and the purge (through Redis, on every instance) is what
// ticks the streams.
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderToString } from 'preact-render-to-string';
import type { App } from '../../types.js';
import type { Role } from '../../db/schema.js';
import { DomainError } from '../../platform/errors.js';
import { openEventStream } from '../../platform/event-streams.js';
import { html, json, redirect, RowId, xml } from '../../platform/openapi.js';
import { isEditor } from '../../platform/roles.js';
import type { SessionUser } from '../../platform/sessions.js';
import { adminNav, AdminLayout } from '../../web/admin.js';
import { ArticlePage, bodyImageIds, type ArticleFull } from '../content/index.js';
import { createLive, ENTRIES_PER_PAGE, isLiveNow, RANGE_LIMIT, type EntryInput, type EntryVersion, type Live, type LiveInfo } from './service.js';
import { consoleBundle } from './assets.js';
import { LIVE_SETTINGS } from './settings.js';
import { StreamHub } from './streams.js';
import { imageBlocks, parseLocal, textToBlocks } from './text.js';
import { LiveConsole, LiveList } from './views/console.js';
import { entryPath, EntryView, jsonLdScript, LiveFeed, liveJsonLd, type FeedData } from './views/feed.js';
import './schema.js';

declare module 'fastify' {
  interface FastifyInstance {
    live: Live;
  }
}

const tags = ['live'];
const hidden = { tags, hide: true };
const RUNNERS: Role[] = ['author', 'editor'];
const IdParams = Type.Object({ id: RowId() });
const EntryParams = Type.Object({ id: RowId(), entry: RowId() });
const Csrf = Type.Optional(Type.String({ maxLength: 200 }));
const SEQ_MAX = 2_147_483_647;
const EntryForm = Type.Object({
  _csrf: Csrf,
  title: Type.Optional(Type.String({ maxLength: 2000 })),
  text: Type.Optional(Type.String({ maxLength: 100_000 })),
  /** The block editor's output (the console's Editor.js), JSON; when present the text is not read. */
  blocks: Type.Optional(Type.String({ maxLength: 200_000 })),
  keyEvent: Type.Optional(Type.String({ maxLength: 5 })),
  at: Type.Optional(Type.String({ maxLength: 40 })),
  status: Type.Optional(Type.Union([Type.Literal('published'), Type.Literal('draft')])),
  action: Type.Optional(Type.Union([Type.Literal('edit'), Type.Literal('delete'), Type.Literal('pin'), Type.Literal('unpin'), Type.Literal('publish')])),
});
const EntryJson = Type.Object({
  title: Type.Optional(Type.String({ maxLength: 2000 })),
  blocks: Type.Unknown({ description: 'the block editor’s blocks (paragraph, quote, image, embed, list): an array, or { blocks: [...] }' }),
  keyEvent: Type.Optional(Type.Boolean()),
  at: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
  status: Type.Optional(Type.Union([Type.Literal('published'), Type.Literal('draft')])),
});
const EntryOut = Type.Object({ id: Type.Integer(), seq: Type.Integer({ description: 'the version id: the stream’s «changed up to» counts these' }), version: Type.Integer(), status: Type.String(), pinned: Type.Boolean(), url: Type.String() });
const RangeQuery = Type.Object({ after: Type.Integer({ minimum: 0, maximum: SEQ_MAX }), upto: Type.Integer({ minimum: 1, maximum: SEQ_MAX }) });
const RangeOut = Type.Object({
  after: Type.Integer(),
  upto: Type.Integer(),
  next: Type.Union([Type.Integer(), Type.Null()], { description: 'more versions follow: ask again with after=next' }),
  items: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      id: Type.Integer(),
      status: Type.String({ description: 'published or deleted' }),
      pinned: Type.Boolean(),
      keyEvent: Type.Boolean(),
      html: Type.String({ description: 'the entry as the page shows it (empty for a deletion)' }),
    }),
  ),
});
const HeadOut = Type.Object({ head: Type.Integer(), poll: Type.Integer({ description: 'ms until the next ask' }), live: Type.Boolean() });
const EntryPagePath = Type.Object({ section: Type.String({ maxLength: 100 }), yyyy: Type.String({ maxLength: 4 }), mm: Type.String({ maxLength: 2 }), dd: Type.String({ maxLength: 2 }), id: Type.String({ maxLength: 12 }), entry: Type.String({ maxLength: 12 }) });
const ID = /^[1-9]\d{0,8}$/;

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

async function liveModule(app: App) {
  const live = createLive({ db: app.database.db, clock: app.clock });
  app.decorate('live', live);
  const { content, memo } = app;
  const hub = new StreamHub(
    (ids) => live.heads(ids),
    (err) => app.log.warn({ err: err.message }, 'live heads not read'),
  );
  app.addHook('preClose', async () => hub.closeAll());

  // Every purge of `live:<id>`, here or from another instance, ticks that article's streams.
  app.pageCache.onPurge((purged) => {
    if (purged.includes('*')) return hub.notifyAll();
    const ids = purged.flatMap((t) => (t.startsWith('live:') ? [Number(t.slice(5))] : []));
    if (ids.length) hub.notify(ids);
  });

  // ---------- what the pages read, from the data cache ----------

  const info = (id: number) => memo.get(`live:info:${id}`, { ttlMs: 60_000, tags: [`live:${id}`, `article:${id}`] }, () => live.info(id));
  /** The article's head from the data cache; `atLeast`: a figure a client already saw (from a tick of
   * another instance, say, whose purge has not come here yet) is checked against the database. */
  const headOf = async (id: number, atLeast = 0) => {
    const kept = await memo.get(`live:head:${id}`, { ttlMs: 60_000, tags: [`live:${id}`] }, () => live.head(id));
    return kept >= atLeast ? kept : live.head(id);
  };

  interface Feed {
    live: LiveInfo;
    /** Published entries in the article's order, the pinned one apart. */
    entries: EntryVersion[];
    pinned: EntryVersion | null;
    keyEvents: EntryVersion[];
    head: number;
  }
  const feed = (id: number) =>
    memo.get(`live:feed:${id}`, { ttlMs: 60_000, tags: [`live:${id}`, `article:${id}`] }, async (): Promise<Feed | null> => {
      const l = await live.info(id);
      if (!l) return null;
      const [all, head] = await Promise.all([live.current(id, { published: true }), live.head(id)]);
      const sign = l.order === 'newest' ? -1 : 1;
      all.sort((a, b) => sign * (a.at.getTime() - b.at.getTime() || a.id - b.id));
      const pinned = all.find((e) => e.pinned) ?? null;
      return {
        live: l,
        entries: all.filter((e) => e !== pinned),
        pinned,
        keyEvents: all.filter((e) => e.keyEvent).sort((a, b) => b.at.getTime() - a.at.getTime()),
        head,
      };
    });

  const imagesOf = (entries: EntryVersion[]) => app.media.get(entries.flatMap((e) => bodyImageIds({ blocks: e.blocks })));

  // ---------- the lists' mark, the subject, the readers' widget ----------

  // Every card list asks: the articles live now come from the data cache (30 s; a change of a period purges them).
  app.extensions.provide('article.liveNow', async (ids) => {
    const now = await memo.get('live:now', { ttlMs: 30_000, tags: ['live-now'] }, async () => [...(await live.liveNow())]);
    return new Set(ids.filter((id) => now.includes(id)));
  }, 'live');

  app.subjects.register({
    kind: 'live_entry',
    owner: 'live',
    async describe(ids) {
      const found = new Map();
      const entries = await live.published([...new Set(ids)]);
      for (const [id, e] of entries) {
        const article = await content.readerArticle(e.articleId);
        if (!article || !content.isPublished(article)) continue;
        found.set(id, { kind: 'live_entry', id, title: (e.title || e.bodyText).slice(0, 200), url: `${entryPath(article.url, id)}#entry-${id}`, tags: [`article:${article.id}`, `live:${article.id}`], scope: { kind: 'section', id: article.section.id }, authorId: e.authorId });
      }
      return found;
    },
  });

  /** The page of the feed an entry is on (1 for the pinned one); 0 when it is not published. */
  const pageOfEntry = (f: Feed, entryId: number) => {
    if (f.pinned?.id === entryId) return 1;
    const i = f.entries.findIndex((e) => e.id === entryId);
    return i < 0 ? 0 : Math.floor(i / ENTRIES_PER_PAGE) + 1;
  };

  app.widgets.add('article.afterBody', 5, async ({ req, article }) => {
    if (!article) return null;
    const f = await feed(article.id);
    if (!f) return null;
    const a = article as unknown as ArticleFull;
    const entryParam = (req.params as { entry?: string }).entry;
    const page = entryParam && ID.test(entryParam) ? Math.max(1, pageOfEntry(f, Number(entryParam))) : 1;
    const slice = f.entries.slice((page - 1) * ENTRIES_PER_PAGE, page * ENTRIES_PER_PAGE);
    const shown = f.pinned ? [f.pinned, ...slice] : slice;
    const totals = app.extensions.get('subject.reactionTotals');
    const [images, likes] = await Promise.all([imagesOf(shown), totals ? totals('live_entry', shown.map((e) => e.id)) : new Map<number, number>()]);
    const d: FeedData = { ...f, articleId: a.id, articleUrl: a.url, page, images, likes };
    const now = app.clock.now();
    const ld = liveJsonLd(a, f.live, [...(f.pinned ? [f.pinned] : []), ...f.entries].sort((x, y) => y.at.getTime() - x.at.getTime()), app.config.publicUrl);
    return (
      <>
        <LiveFeed d={d} i18n={req.i18n} now={now} rss={`/live/${a.id}/rss.xml`} />
        {jsonLdScript(ld)}
      </>
    );
  });

  // ---------- the page around one entry ----------

  app.get(
    '/text/:section/:yyyy/:mm/:dd/:id/entry/:entry/',
    { config: { pageCache: true }, schema: { tags, summary: 'A live article’s page around one entry (the entry’s stable address)', params: EntryPagePath, response: { 200: html('The article with the page of entries holding this one'), 301: redirect('To the canonical address') } } },
    async (req, reply) => {
      const { id, entry } = req.params;
      const notFound = () => new DomainError('live.entry_not_found', {}, 404);
      if (!ID.test(id) || !ID.test(entry)) throw notFound();
      const article = await content.readerArticle(Number(id));
      if (!article || !content.isPublished(article)) throw notFound();
      const f = await feed(article.id);
      if (!f || !pageOfEntry(f, Number(entry))) throw notFound();
      const canonical = entryPath(article.url, Number(entry));
      if (req.url.split('?')[0] !== canonical) return reply.redirect(canonical, 301);
      const args = { req, article, onPage: [article.id] };
      const [afterBody, aside] = await Promise.all([app.widgets.render('article.afterBody', args), app.widgets.render('article.aside', args)]);
      return app.pages.send(req, reply, <ArticlePage ctx={app.pages.context(req)} article={article} related={[]} afterBody={afterBody} aside={aside} />, { tags: [`article:${article.id}`, `live:${article.id}`] });
    },
  );

  // ---------- the stream, the head, the ranges, the feed ----------

  /** The live article readers may see, or a 404. */
  async function readable(id: number) {
    const article = await content.readerArticle(id);
    const l = article && content.isPublished(article) ? await info(id) : null;
    if (!article || !l) throw new DomainError('live.not_live', {}, 404);
    return { article, live: l };
  }

  app.get(
    '/live/:id/stream',
    {
      schema: {
        tags,
        summary: 'Server-sent events: «changed up to N» ticks of a live article (N: its highest version id); `retry:` in every message. 503 past the instance’s ceiling (poll /live/:id/head), 429 past the address’s.',
        params: IdParams,
        headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ maxLength: 64 })) }),
        response: { 200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, 503: json(HeadOut, 'Too many streams here: poll the head') },
      },
    },
    async (req, reply) => {
      const id = req.params.id;
      // The console streams a live article that is not published yet: the stream carries numbers only.
      const l = await info(id);
      if (!l) throw new DomainError('live.not_live', {}, 404);
      const last = req.headers['last-event-id'];
      // An id this article never had (not a number, or ahead of its head) is refused: the client starts again.
      if (last !== undefined && !/^\d{1,10}$/.test(last)) throw new DomainError('live.bad_event_id', {}, 400);
      const head = await headOf(id, last === undefined ? 0 : Number(last));
      if (last !== undefined && Number(last) > head) throw new DomainError('live.bad_event_id', {}, 400);
      const [retryMs, pollMs, maxStreams, maxPerAddress, minutes] = await Promise.all([
        app.settings.get(LIVE_SETTINGS.retryMs),
        app.settings.get(LIVE_SETTINGS.pollMs),
        app.settings.get(LIVE_SETTINGS.maxStreams),
        app.settings.get(LIVE_SETTINGS.maxStreamsPerAddress),
        app.settings.get(LIVE_SETTINGS.streamMinutes),
      ]);
      const admitted = hub.admit(req.ip, { maxStreams, maxPerAddress });
      if (admitted === 'owner') throw new DomainError('live.too_many_streams', {}, 429);
      if (admitted === 'instance') {
        return reply.code(503).header('retry-after', String(Math.ceil(pollMs / 1000))).header('cache-control', 'no-store').send({ head, poll: pollMs, live: isLiveNow(l, app.clock.now()) });
      }
      hub.open(openEventStream(req, reply, 'no-store, no-transform'), id, req.ip, { head, retryMs, lifetimeMs: minutes * 60_000 });
    },
  );

  app.get(
    '/live/:id/head',
    { config: { pageCache: true }, schema: { tags, summary: 'The highest version id of a live article, for clients that poll instead of streaming (page-cached; purged by each write)', params: IdParams, response: { 200: json(HeadOut, 'The head and the poll interval') } } },
    async (req, reply) => {
      const { live: l } = await readable(req.params.id);
      const [head, poll] = await Promise.all([headOf(req.params.id), app.settings.get(LIVE_SETTINGS.pollMs)]);
      const body = JSON.stringify({ head, poll, live: isLiveNow(l, app.clock.now()) });
      return app.pages.sendText(req, reply, body, 'application/json; charset=utf-8', [`live:${req.params.id}`, `article:${req.params.id}`, 'settings']);
    },
  );

  app.get(
    '/live/:id/entries',
    {
      config: { pageCache: true },
      schema: { tags, summary: `The changes of a live article with version ids in (after, upto], at most ${RANGE_LIMIT}: each entry as the page shows it, or its deletion. Fixed once upto is at most the head, so cacheable.`, params: IdParams, querystring: RangeQuery, response: { 200: json(RangeOut, 'The changes') } },
    },
    async (req, reply) => {
      const { after, upto } = req.query;
      const { article } = await readable(req.params.id);
      const head = await headOf(article.id, upto);
      if (after >= upto || upto > head) throw new DomainError('live.bad_range', {}, 400);
      const versions = await live.range(article.id, after, upto);
      const images = await imagesOf(versions);
      const now = app.clock.now();
      const items = versions.map((v) => ({
        seq: v.seq,
        id: v.id,
        status: v.status,
        pinned: v.pinned,
        keyEvent: v.keyEvent,
        html: v.status === 'published' ? renderToString(<EntryView v={v} i18n={req.i18n} now={now} articleUrl={article.url} images={images} />) : '',
      }));
      const next = versions.length === RANGE_LIMIT ? versions[versions.length - 1]!.seq : null;
      // Not `live:<id>`: a write never changes a range that ends at or before the head. Gone with the article.
      return app.pages.sendText(req, reply, JSON.stringify({ after, upto, next, items }), 'application/json; charset=utf-8', [`live-range:${article.id}`]);
    },
  );

  app.get(
    '/live/:id/rss.xml',
    { config: { pageCache: true }, schema: { tags, summary: 'RSS 2.0 of one live article’s entries, newest first', params: IdParams, response: { 200: xml('application/rss+xml', 'RSS 2.0') } } },
    async (req, reply) => {
      const { article } = await readable(req.params.id);
      const f = (await feed(article.id))!;
      const all = [...(f.pinned ? [f.pinned] : []), ...f.entries].sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, 50);
      const site = app.config.publicUrl;
      const items = all
        .map(
          (e) =>
            `<item><title>${escapeXml((e.title || e.bodyText).slice(0, 200))}</title><link>${escapeXml(site + entryPath(article.url, e.id))}</link><guid isPermaLink="false">${escapeXml(`${site}/live/${article.id}#entry-${e.id}`)}</guid><pubDate>${e.at.toUTCString()}</pubDate><description>${escapeXml(e.bodyText)}</description></item>`,
        )
        .join('');
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>${escapeXml(req.i18n.t('live.rssTitle', { title: article.title }))}</title><link>${escapeXml(site + article.url)}</link><atom:link href="${escapeXml(`${site}/live/${article.id}/rss.xml`)}" rel="self" type="application/rss+xml"/><description>${escapeXml(article.lead)}</description>${items}</channel></rss>`;
      return app.pages.sendText(req, reply, body, 'application/rss+xml; charset=utf-8', [`live:${article.id}`, `article:${article.id}`]);
    },
  );

  // Unpublishing or deleting the article drops its ranges too.
  app.events.on('article.changed', async ({ articleId, action }) => {
    if (action === 'unpublished' || action === 'deleted') await app.pageCache.purge([`live-range:${articleId}`, `live:${articleId}`]);
  });

  // ---------- the back office ----------

  const bundle = await consoleBundle();
  const bundleUrl = `/admin/live/assets/${bundle.name}`;
  // Public like /assets: Editor.js and the console's tools, nothing about any article.
  app.get('/admin/live/assets/:name', { schema: { ...hidden, params: Type.Object({ name: Type.String({ maxLength: 100 }) }) } }, async (req, reply) => {
    if (req.params.name !== bundle.name) return reply.callNotFound();
    return reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=31536000, immutable').send(bundle.body);
  });

  app.admin.add({ href: '/admin/live', label: (req) => req.i18n.t('live.admin'), roles: RUNNERS, order: 15 });

  const writer = (u: SessionUser) => ({ id: u.id, displayName: u.displayName });

  /** The article, if this user may run its coverage: editors, and the article's own authors. */
  async function runnable(user: SessionUser, id: number) {
    const article = await content.article(id);
    if (!article) throw new DomainError('live.article_not_found', {}, 404);
    if (!isEditor(user) && !(user.role === 'author' && (await content.isOwnedBy(id, user.id)))) throw new DomainError('live.not_yours', {}, 403);
    return article;
  }

  async function changed(id: number) {
    await app.pageCache.purge([`article:${id}`, `live:${id}`]);
  }

  async function consolePage(req: FastifyRequest, reply: FastifyReply, id: number) {
    const article = await runnable(req.user!, id);
    const l = await live.info(id);
    if (!l) throw new DomainError('live.not_live', {}, 404);
    const [entries, log, nav] = await Promise.all([live.current(id), live.log(id, 100), adminNav(req, app.admin)]);
    entries.sort((a, b) => b.at.getTime() - a.at.getTime() || b.id - a.id);
    const ctx = app.pages.context(req);
    return app.pages.send(
      req,
      reply,
      <AdminLayout ctx={ctx} title={req.i18n.t('live.admin.console', { title: article.title })} nav={nav} scripts={[bundleUrl]}>
        <LiveConsole
          i18n={req.i18n}
          csrf={req.csrfToken()}
          article={{ id, title: article.title, url: article.url, published: content.isPublished(article) }}
          live={l}
          entries={entries}
          log={log}
          canConfigure={isEditor(req.user!)}
          now={ctx.now}
          timezone={app.config.timezone}
        />
      </AdminLayout>,
    );
  }

  app.get('/admin/live', { config: { roles: RUNNERS }, schema: hidden }, async (req, reply) => {
    const user = req.user!;
    let all = await live.list(200);
    if (!isEditor(user)) {
      const mine = new Set(await content.articleIdsOfUser(user.id));
      all = all.filter((l) => mine.has(l.articleId));
    }
    const cards = new Map((await content.cards(all.map((l) => l.articleId))).map((c) => [c.id, c]));
    const items = all.flatMap((l) => (cards.has(l.articleId) ? [{ live: l, title: cards.get(l.articleId)!.title, url: cards.get(l.articleId)!.url }] : []));
    const nav = await adminNav(req, app.admin);
    const ctx = app.pages.context(req);
    return app.pages.send(
      req,
      reply,
      <AdminLayout ctx={ctx} title={req.i18n.t('live.admin.list')} nav={nav}>
        <LiveList i18n={req.i18n} items={items} csrf={req.csrfToken()} canMake={isEditor(user)} now={ctx.now} />
      </AdminLayout>,
    );
  });

  app.post('/admin/live', { config: { roles: ['editor'] }, schema: { ...hidden, body: Type.Object({ _csrf: Csrf, article: Type.String({ pattern: '^[1-9][0-9]{0,8}$' }) }) } }, async (req, reply) => {
    const id = Number(req.body.article);
    await runnable(req.user!, id);
    if (!(await live.info(id))) await live.configure(id, { startsAt: app.clock.now(), endsAt: null, order: 'newest' });
    await app.pageCache.purge([...(await content.articleCacheTags(id)), `live:${id}`, 'live-now']);
    return reply.redirect(`/admin/live/${id}`, 303);
  });

  // The block editor sets inline styles: the newsroom's editor pages' CSP (style-src 'unsafe-inline').
  app.get('/admin/live/:id', { config: { roles: RUNNERS, editorCsp: true }, schema: { ...hidden, params: IdParams } }, async (req, reply) => consolePage(req, reply, req.params.id));

  app.post(
    '/admin/live/:id/settings',
    { config: { roles: ['editor'] }, schema: { ...hidden, params: IdParams, body: Type.Object({ _csrf: Csrf, startsAt: Type.Optional(Type.String({ maxLength: 40 })), endsAt: Type.Optional(Type.String({ maxLength: 40 })), order: Type.Optional(Type.Union([Type.Literal('newest'), Type.Literal('oldest')])), end: Type.Optional(Type.String({ maxLength: 5 })) }) } },
    async (req, reply) => {
      const id = req.params.id;
      await runnable(req.user!, id);
      const current = await live.info(id);
      if (!current) throw new DomainError('live.not_live', {}, 404);
      const tz = app.config.timezone;
      let next: { startsAt: Date; endsAt: Date | null; order: 'newest' | 'oldest' };
      if (req.body.end) next = { ...current, endsAt: app.clock.now() };
      else {
        const startsAt = parseLocal(req.body.startsAt, tz);
        const endsAt = parseLocal(req.body.endsAt, tz);
        if (startsAt === undefined || endsAt === undefined) throw new DomainError('live.bad_time', {}, 400);
        next = { startsAt: startsAt ?? current.startsAt, endsAt, order: req.body.order ?? current.order };
      }
      await live.configure(id, next);
      await app.pageCache.purge([...(await content.articleCacheTags(id)), `live:${id}`, 'live-now']);
      return reply.redirect(`/admin/live/${id}`, 303);
    },
  );

  /** The blocks a form sent: the block editor's JSON (checked by the service as the API's), or the text (the page without JavaScript). */
  const formBlocks = (body: { text?: string; blocks?: string }, before: EntryVersion | undefined): unknown => {
    if (body.blocks === undefined || body.blocks === '') return textToBlocks(body.text ?? '', before ? imageBlocks(before.blocks) : []);
    try {
      return JSON.parse(body.blocks) as unknown;
    } catch {
      throw new DomainError('live.bad_blocks', { reason: 'JSON' }, 400);
    }
  };
  const formInput = (body: { title?: string; text?: string; blocks?: string; keyEvent?: string; at?: string; status?: 'published' | 'draft' }, before?: EntryVersion): EntryInput => {
    const at = parseLocal(body.at, app.config.timezone);
    if (at === undefined) throw new DomainError('live.bad_time', {}, 400);
    return { title: body.title, blocks: formBlocks(body, before), keyEvent: body.keyEvent === '1', at, status: body.status ?? 'published' };
  };

  app.post('/admin/live/:id/entries', { config: { roles: RUNNERS }, schema: { ...hidden, params: IdParams, body: EntryForm } }, async (req, reply) => {
    const id = req.params.id;
    await runnable(req.user!, id);
    await live.add(id, formInput(req.body), writer(req.user!));
    await changed(id);
    return reply.redirect(`/admin/live/${id}`, 303);
  });

  app.post('/admin/live/:id/entries/:entry', { config: { roles: RUNNERS }, schema: { ...hidden, params: EntryParams, body: EntryForm } }, async (req, reply) => {
    const { id, entry } = req.params;
    await runnable(req.user!, id);
    const by = writer(req.user!);
    switch (req.body.action ?? 'edit') {
      case 'edit': {
        const input = formInput(req.body, (await live.history(id, entry)).at(-1));
        await live.edit(id, entry, { ...input, at: input.at ?? undefined }, by);
        break;
      }
      case 'delete':
        await live.remove(id, entry, by);
        break;
      case 'pin':
        await live.pin(id, entry, true, by);
        break;
      case 'unpin':
        await live.pin(id, entry, false, by);
        break;
      case 'publish':
        await live.publish(id, entry, by);
        break;
    }
    await changed(id);
    return reply.redirect(`/admin/live/${id}#console-entry-${entry}`, 303);
  });

  // ---------- the JSON API (the block editor, other tools) ----------

  const out = async (id: number, v: EntryVersion) => {
    const article = await content.article(id);
    return { id: v.id, seq: v.seq, version: v.version, status: v.status, pinned: v.pinned, url: article ? `${entryPath(article.url, v.id)}#entry-${v.id}` : '' };
  };
  const jsonInput = (b: { title?: string; blocks: unknown; keyEvent?: boolean; at?: string; status?: 'published' | 'draft' }): EntryInput => {
    const at = b.at ? new Date(b.at) : null;
    if (at && (Number.isNaN(at.getTime()) || at.getUTCFullYear() < 2000 || at.getUTCFullYear() > 2100)) throw new DomainError('live.bad_time', {}, 400);
    return { title: b.title, blocks: b.blocks, keyEvent: b.keyEvent, at, status: b.status };
  };
  const api = { roles: RUNNERS };

  app.post('/api/admin/live/:id/entries', { config: api, schema: { tags, summary: 'Add an entry to a live article (editors and the article’s authors)', params: IdParams, body: EntryJson, response: { 201: json(EntryOut, 'The entry') } } }, async (req, reply) => {
    const id = req.params.id;
    await runnable(req.user!, id);
    const v = await live.add(id, jsonInput(req.body), writer(req.user!));
    await changed(id);
    return reply.code(201).send(await out(id, v));
  });

  app.put('/api/admin/live/:id/entries/:entry', { config: api, schema: { tags, summary: 'Edit an entry: a new version', params: EntryParams, body: EntryJson, response: { 200: json(EntryOut, 'The new version') } } }, async (req) => {
    const { id, entry } = req.params;
    await runnable(req.user!, id);
    const input = jsonInput(req.body);
    const v = await live.edit(id, entry, { ...input, at: input.at ?? undefined }, writer(req.user!));
    await changed(id);
    return out(id, v);
  });

  app.delete('/api/admin/live/:id/entries/:entry', { config: api, schema: { tags, summary: 'Delete an entry: a tombstone version', params: EntryParams, response: { 200: json(EntryOut, 'The tombstone') } } }, async (req) => {
    const { id, entry } = req.params;
    await runnable(req.user!, id);
    const v = await live.remove(id, entry, writer(req.user!));
    await changed(id);
    return out(id, v);
  });

  app.post('/api/admin/live/:id/entries/:entry/publish', { config: api, schema: { tags, summary: 'Publish a draft entry', params: EntryParams, response: { 200: json(EntryOut, 'The published version') } } }, async (req) => {
    const { id, entry } = req.params;
    await runnable(req.user!, id);
    const v = await live.publish(id, entry, writer(req.user!));
    await changed(id);
    return out(id, v);
  });

  app.post(
    '/api/admin/live/:id/entries/:entry/pin',
    { config: api, schema: { tags, summary: 'Pin an entry (one per article: the one pinned before is unpinned), or unpin it', params: EntryParams, body: Type.Object({ pinned: Type.Boolean() }), response: { 200: json(Type.Object({ changed: Type.Array(EntryOut) }), 'The versions written') } } },
    async (req) => {
      const { id, entry } = req.params;
      await runnable(req.user!, id);
      const written = await live.pin(id, entry, req.body.pinned, writer(req.user!));
      await changed(id);
      return { changed: await Promise.all(written.map((v) => out(id, v))) };
    },
  );

  // Figures for the tests and the benchmark.
  app.decorate('liveStreams', hub);
}

declare module 'fastify' {
  interface FastifyInstance {
    liveStreams: StreamHub;
  }
}

export default fp(liveModule, { name: 'live', dependencies: ['content'], decorators: { fastify: ['content', 'media', 'memo', 'pageCache', 'widgets', 'extensions', 'subjects', 'settings', 'admin', 'pages', 'events'] } });
