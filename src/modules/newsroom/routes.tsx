// The newsroom back office under /admin: articles (list, editor, workflow,
// revisions, preview), image uploads, the home page slots, structure (sections,
// tags, stories, authors), users and roles, the audit log. Every route states the
// roles it needs; article-level rules (an author edits only their own drafts) are
// the newsroom service's. Writes carry the CSRF token (forms: `_csrf`, API:
// `x-csrf-token`).
import fp from 'fastify-plugin';
import multipart from '@fastify/multipart';
import { readUpload } from '../media/index.js';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { App } from '../../types.js';
import type { Role } from '../../db/schema.js';
import { HttpError } from '../../platform/errors.js';
import { IdParams, MAX_ID, RowId } from '../../platform/openapi.js';
import { CONTENT_SECURITY_POLICY } from '../../platform/security-headers.js';
import type { MessageKey } from '../../platform/i18n/index.js';
import { AdminLayout, adminNav } from '../../web/admin.js';
import { ArticlePage, bodyText, TRANSITIONS, type Transition } from '../content/index.js';
import { createNewsroom, isEditor, type ArticleInput, type Newsroom } from './service.js';
import { newsroomBundles } from './assets.js';
import { Form, optionalId, text } from './forms.js';
import { Created, Deleted, Found, Moved, Saved, Uploaded, responses } from './api-schemas.js';
import { structureRoutes } from './structure-routes.js';
import { addNewsroomOverview } from './overview.js';
import { ArticlesList, NewArticleForm, TYPES } from './views/articles.js';
import { EditorPage, type TypoMark } from './views/editor.js';
import { RevisionDiff, RevisionsList, revisionText } from './views/revisions.js';
import { AuditTable } from './views/audit-log.js';
import { HomeSlotsForm } from './views/home-slots.js';

declare module 'fastify' {
  interface FastifyInstance {
    newsroom: Newsroom;
  }
  interface FastifyContextConfig {
    /** The block editor page: Editor.js and its tools inject <style> elements. */
    editorCsp?: boolean;
  }
}

const WRITERS: Role[] = ['author', 'editor'];
const EDITORS: Role[] = ['editor'];
const ADMINS: Role[] = ['admin'];

// Only the editor pages relax style-src: Editor.js and its tools add <style>
// elements at run time. Scripts stay 'self' only; the public CSP is untouched.
const EDITOR_CSP = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

const Id = IdParams;
const IdRev = Type.Object({ id: RowId(), rev: Type.Integer({ minimum: 1, maximum: 1000000 }) });
const IdArray = (max: number) => Type.Array(RowId(), { maxItems: max });
const NullableId = Type.Union([RowId(), Type.Null()]);
/** An article's revision number (an `integer` column, like the ids). */
const Revision = Type.Integer({ minimum: 1, maximum: MAX_ID });

const ArticleFieldsSchema = {
  type: Type.Union([Type.Literal('news'), Type.Literal('opinion'), Type.Literal('feature')]),
  sectionId: RowId(),
  storyId: NullableId,
  title: Type.String({ maxLength: 300 }),
  lead: Type.String({ maxLength: 1000 }),
  body: Type.Unknown(),
  authorIds: IdArray(10),
  tags: Type.Array(Type.String({ maxLength: 60 }), { maxItems: 30 }),
  relatedIds: IdArray(20),
  coverImageId: NullableId,
  coverCaption: Type.String({ maxLength: 1000 }),
  coverCredit: Type.String({ maxLength: 300 }),
  seoTitle: Type.String({ maxLength: 200 }),
  seoDescription: Type.String({ maxLength: 400 }),
};
const SaveArticle = Type.Object({ baseRevision: Revision, ...ArticleFieldsSchema });
const CreateArticle = Type.Object({
  ...ArticleFieldsSchema,
  body: Type.Optional(Type.Unknown()),
  storyId: Type.Optional(NullableId),
  lead: Type.Optional(Type.String({ maxLength: 1000 })),
  authorIds: Type.Optional(IdArray(10)),
  tags: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 30 })),
  relatedIds: Type.Optional(IdArray(20)),
  coverImageId: Type.Optional(NullableId),
  coverCaption: Type.Optional(Type.String({ maxLength: 1000 })),
  coverCredit: Type.Optional(Type.String({ maxLength: 300 })),
  seoTitle: Type.Optional(Type.String({ maxLength: 200 })),
  seoDescription: Type.Optional(Type.String({ maxLength: 400 })),
});
const TransitionBody = Type.Object({ action: Type.Union([Type.Literal('submit'), Type.Literal('publish'), Type.Literal('schedule'), Type.Literal('sendBack'), Type.Literal('unpublish')]), at: Type.Optional(Type.String({ format: 'date-time' })) });
const RestoreBody = Type.Object({ revision: Revision, baseRevision: Revision });
const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  status: Type.Optional(Type.Union([Type.Literal(''), Type.Literal('draft'), Type.Literal('review'), Type.Literal('scheduled'), Type.Literal('published'), Type.Literal('unpublished')])),
  type: Type.Optional(Type.Union([Type.Literal(''), Type.Literal('news'), Type.Literal('opinion'), Type.Literal('feature')])),
  sectionId: Type.Optional(Type.Union([Type.Literal(''), RowId()])),
  authorId: Type.Optional(Type.Union([Type.Literal(''), RowId()])),
  sort: Type.Optional(Type.Union([Type.Literal('updated'), Type.Literal('published'), Type.Literal('created'), Type.Literal('title')])),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});
const PageQuery = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), saved: Type.Optional(Type.String({ maxLength: 10 })) });
const SearchQuery = Type.Object({ q: Type.String({ maxLength: 200 }), published: Type.Optional(Type.Boolean()) });

const hidden = { hide: true };
const writeLimit = { max: 120, timeWindow: '1 minute' };
/** Pinned articles in one home page block. */
const HOME_SLOT_MAX = 12;
const EditorQuery = Type.Object({ typo: Type.Optional(RowId()) });

async function newsroomModule(app: App) {
  const { content } = app;
  const newsroom = createNewsroom({ db: app.database.db, clock: app.clock, content, accounts: app.accounts });
  app.decorate('newsroom', newsroom);
  const bundles = await newsroomBundles();
  const bundleUrl = `/admin/assets/${bundles.editor.name}`;
  const pickersUrl = `/admin/assets/${bundles.pickers.name}`;

  app.jobs.define('newsroom.publishScheduled', 15_000, () => newsroom.publishDue());

  app.addHook('onSend', async (req, reply) => {
    if (req.routeOptions.config?.editorCsp) reply.header('content-security-policy', EDITOR_CSP);
  });

  const t = (key: MessageKey) => (req: FastifyRequest) => req.i18n.t(key as never);
  app.admin.add({
    href: '/admin/articles',
    label: t('newsroom.articles'),
    roles: WRITERS,
    order: 10,
    badge: async (req) => (req.user && isEditor(req.user) ? (await content.adminList({ status: 'review', page: 1, size: 1 })).total : 0),
  });
  app.admin.add({ href: '/admin/home', label: t('newsroom.home'), roles: EDITORS, order: 20 });
  addNewsroomOverview(app);
  app.admin.add({ href: '/admin/sections', label: t('newsroom.sections'), roles: EDITORS, order: 60 });
  app.admin.add({ href: '/admin/tags', label: t('newsroom.tags'), roles: EDITORS, order: 61 });
  app.admin.add({ href: '/admin/stories', label: t('newsroom.stories'), roles: EDITORS, order: 62 });
  app.admin.add({ href: '/admin/authors', label: t('newsroom.authors'), roles: EDITORS, order: 63 });
  app.admin.add({ href: '/admin/users', label: t('newsroom.users'), roles: ADMINS, order: 90 });
  app.admin.add({ href: '/admin/audit', label: t('newsroom.audit'), roles: ADMINS, order: 91 });

  async function page(req: FastifyRequest, reply: FastifyReply, title: string, body: ComponentChildren, opts: { scripts?: string[]; status?: number } = {}) {
    const nav = await adminNav(req, app.admin);
    reply.status(opts.status ?? 200);
    return app.pages.send(
      req,
      reply,
      <AdminLayout ctx={app.pages.context(req)} title={title} nav={nav} scripts={opts.scripts}>
        {body}
      </AdminLayout>,
    );
  }

  const sectionOptions = async () => {
    const tree = await content.sections();
    const out: { id: number; title: string; depth: number }[] = [];
    const walk = (parent: number | null, depth: number) => {
      for (const s of tree.all().filter((x) => x.parentId === parent)) {
        out.push({ id: s.id, title: `${'— '.repeat(depth)}${s.title}`, depth });
        walk(s.id, depth + 1);
      }
    };
    walk(null, 0);
    return out;
  };
  const authorOptions = async () => (await content.listAuthors()).map((a) => ({ id: a.id, title: a.name }));

  // ---------- editor bundle ----------

  // Public like /assets: only Editor.js and our pickers, nothing about the newsroom.
  app.get('/admin/assets/:name', { schema: hidden }, async (req, reply) => {
    const name = (req.params as { name: string }).name;
    const bundle = [bundles.editor, bundles.pickers].find((b) => b.name === name);
    if (!bundle) return reply.callNotFound();
    return reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=31536000, immutable').send(bundle.body);
  });

  // ---------- articles ----------

  app.get('/admin/articles', { config: { roles: WRITERS }, schema: { ...hidden, querystring: ListQuery } }, async (req, reply) => {
    const q = req.query;
    const filter = {
      q: q.q || undefined,
      status: q.status || undefined,
      type: q.type || undefined,
      sectionId: q.sectionId || undefined,
      authorId: q.authorId || undefined,
      sort: q.sort,
      page: q.page ?? 1,
      ownerUserId: isEditor(req.user!) ? undefined : req.user!.id,
    };
    const [list, sections, authors] = await Promise.all([content.adminList(filter), sectionOptions(), authorOptions()]);
    return page(req, reply, req.i18n.t('newsroom.articles'), <ArticlesList i18n={req.i18n} filter={filter} list={list} sections={sections} authors={authors} canCreate />);
  });

  app.get('/admin/articles/new', { config: { roles: WRITERS }, schema: hidden }, async (req, reply) =>
    page(req, reply, req.i18n.t('newsroom.new'), <NewArticleForm i18n={req.i18n} csrf={req.csrfToken()} sections={await sectionOptions()} />),
  );

  const blankInput = (over: Partial<ArticleInput> & Pick<ArticleInput, 'title' | 'sectionId' | 'type'>): ArticleInput => ({
    storyId: null,
    lead: '',
    body: { blocks: [] },
    authorIds: [],
    tags: [],
    relatedIds: [],
    coverImageId: null,
    coverCaption: '',
    coverCredit: '',
    seoTitle: '',
    seoDescription: '',
    ...over,
  });

  app.post('/admin/articles', { config: { roles: WRITERS, rateLimit: writeLimit }, schema: { ...hidden, body: Form } }, async (req, reply) => {
    const type = req.body.type ?? 'news';
    if (!TYPES.includes(type as never)) throw new HttpError(400, 'invalid', 'Неизвестный тип материала', { field: 'type' });
    const sectionId = optionalId(req.body, 'sectionId', req.i18n.t('newsroom.field.section'));
    if (!sectionId) throw new HttpError(400, 'invalid', 'Выберите рубрику', { field: 'sectionId' });
    const id = await newsroom.createArticle(req.user!, blankInput({ title: text(req.body, 'title', req.i18n.t('newsroom.field.title'), { required: true }), sectionId, type: type as ArticleInput['type'] }));
    return reply.redirect(`/admin/articles/${id}`, 303);
  });

  app.post('/api/admin/articles', { config: { roles: WRITERS, rateLimit: writeLimit }, schema: { tags: ['newsroom'], summary: 'Create a draft article', body: CreateArticle, response: responses({ 201: Created }) } }, async (req, reply) => {
    const b = req.body;
    const id = await newsroom.createArticle(req.user!, blankInput({ ...Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)), title: b.title, sectionId: b.sectionId, type: b.type } as ArticleInput));
    const a = (await content.editable(id))!;
    return reply.status(201).send({ id, revision: a.revision, status: a.status });
  });

  /** The typo report to point at in the editor: only one about this article. */
  async function typoMark(reportId: number | undefined, articleId: number): Promise<TypoMark | null> {
    const typoReport = app.extensions.get('typos.report');
    if (!reportId || !typoReport) return null;
    const report = await typoReport(reportId);
    return report && report.articleId === articleId ? { id: report.id, fragment: report.fragment, before: report.before, after: report.after } : null;
  }

  const editorPage = async (req: FastifyRequest<{ Params: { id: number }; Querystring: { typo?: number } }>, reply: FastifyReply) => {
    const user = req.user!;
    const a = await newsroom.assertCanView(user, req.params.id);
    const editable = await newsroom
      .assertCanEdit(user, a.id)
      .then(() => true)
      .catch(() => false);
    if (!editable) {
      // An author's published piece: they may look (preview), not change.
      return reply.redirect(`/admin/articles/${a.id}/preview`, 303);
    }
    const [sections, stories, authors, allTags, related, cover] = await Promise.all([
      sectionOptions(),
      content.listStories(),
      authorOptions(),
      content.listTags(),
      content.cards(a.relatedIds),
      a.coverImageId ? app.media.get([a.coverImageId]) : Promise.resolve(new Map()),
    ]);
    const tagTitles = allTags.filter((x) => a.tagIds.includes(x.id)).map((x) => x.title);
    const relatedAll = await Promise.all(a.relatedIds.map(async (rid) => related.find((c) => c.id === rid) ?? (await content.editable(rid))));
    const actions = (Object.keys(TRANSITIONS) as Transition[]).filter((step) => TRANSITIONS[step].from.includes(a.status) && (isEditor(user) || step === 'submit'));
    return page(
      req,
      reply,
      a.title,
      <EditorPage
        i18n={req.i18n}
        article={a}
        sections={sections}
        stories={stories.map((s) => ({ id: s.id, title: s.title }))}
        authors={authors}
        tags={tagTitles}
        related={relatedAll.filter((r) => !!r).map((r) => ({ id: r!.id, title: r!.title }))}
        cover={cover.get(a.coverImageId ?? 0) ?? null}
        actions={actions}
        canDelete={isEditor(user)}
        maxUploadBytes={app.config.maxUploadBytes}
        typo={await typoMark(req.query.typo, a.id)}
      />,
      { scripts: [bundleUrl] },
    );
  };
  const editorOptions = { config: { roles: WRITERS, editorCsp: true }, schema: { ...hidden, params: Id, querystring: EditorQuery } };
  app.get('/admin/articles/:id', editorOptions, editorPage);
  // The typo queue's link: the editor scrolled to the reported fragment (?typo=<report>).
  app.get('/admin/articles/:id/edit', editorOptions, editorPage);

  app.put('/api/admin/articles/:id', { config: { roles: WRITERS, rateLimit: writeLimit }, schema: { tags: ['newsroom'], summary: 'Save an article on top of a revision (409 if it is stale)', params: Id, body: SaveArticle, response: responses({ 200: Saved }, [409]) } }, async (req) => {
    const { baseRevision, ...input } = req.body;
    return newsroom.saveArticle(req.user!, req.params.id, input as ArticleInput, baseRevision);
  });

  app.post('/api/admin/articles/:id/transition', { config: { roles: WRITERS, rateLimit: writeLimit }, schema: { tags: ['newsroom'], summary: 'Submit, publish, schedule, send back or unpublish', params: Id, body: TransitionBody, response: responses({ 200: Moved }, [409]) } }, async (req) =>
    newsroom.transition(req.user!, req.params.id, req.body.action, req.body.at ? new Date(req.body.at) : undefined),
  );

  app.delete('/api/admin/articles/:id', { config: { roles: EDITORS, rateLimit: writeLimit }, schema: { tags: ['newsroom'], summary: 'Delete an article', params: Id, response: responses({ 200: Deleted }, [409]) } }, async (req) => {
    await newsroom.deleteArticle(req.user!, req.params.id);
    return { ok: true };
  });

  app.get('/api/admin/articles/search', { config: { roles: WRITERS }, schema: { tags: ['newsroom'], summary: 'Find articles by title or id (pickers)', querystring: SearchQuery, response: responses({ 200: Found }) } }, async (req) => {
    // Unpublished titles are for editors; an author picks among published pieces.
    const rows = await content.findByTitle(req.query.q, { publishedOnly: !isEditor(req.user!) || (req.query.published ?? true) });
    return { items: rows.map((r) => ({ id: r.id, title: r.title, status: r.status })) };
  });

  app.get('/admin/articles/:id/preview', { config: { roles: WRITERS }, schema: { ...hidden, params: Id } }, async (req, reply) => {
    await newsroom.assertCanView(req.user!, req.params.id);
    const article = (await content.article(req.params.id))!;
    // The public page's own view, so the preview is exactly what readers will get.
    // Widgets of other modules may refuse an unpublished article (comments do): the
    // preview then shows the text without them rather than failing.
    const [related, afterBody, aside] = await Promise.all([
      content.related(article),
      app.widgets.render('article.afterBody', { req, article }).catch(() => []),
      app.widgets.render('article.aside', { req, article }).catch(() => []),
    ]);
    return app.pages.send(req, reply, <ArticlePage ctx={app.pages.context(req)} article={article} related={related} afterBody={afterBody} aside={aside} preview={!content.isPublished(article)} />);
  });

  // ---------- revisions ----------

  app.get('/admin/articles/:id/revisions', { config: { roles: WRITERS }, schema: { ...hidden, params: Id } }, async (req, reply) => {
    const a = await newsroom.assertCanView(req.user!, req.params.id);
    const rows = await content.revisions(a.id);
    const names = new Map<number, string>();
    for (const id of new Set(rows.map((r) => r.created_by).filter((x): x is number => x !== null))) names.set(id, (await app.accounts.byId(id))?.display_name ?? '');
    return page(
      req,
      reply,
      `${req.i18n.t('newsroom.revisions')}: ${a.title}`,
      <RevisionsList i18n={req.i18n} articleId={a.id} current={a.revision} rows={rows.map((r) => ({ revision: r.revision, title: r.title, author: r.created_by ? (names.get(r.created_by) ?? '') : '', createdAt: r.created_at }))} />,
    );
  });

  app.get('/admin/articles/:id/revisions/:rev', { config: { roles: WRITERS }, schema: { ...hidden, params: IdRev } }, async (req, reply) => {
    const a = await newsroom.assertCanView(req.user!, req.params.id);
    const rev = await content.revision(a.id, req.params.rev);
    if (!rev) throw new HttpError(404, 'not_found', 'Такой ревизии нет');
    return page(
      req,
      reply,
      req.i18n.t('newsroom.diff', { n: rev.revision }),
      <RevisionDiff
        i18n={req.i18n}
        articleId={a.id}
        revision={rev.revision}
        oldText={revisionText({ title: rev.title, lead: rev.lead, bodyText: bodyText(rev.body) })}
        newText={revisionText({ title: a.title, lead: a.lead, bodyText: bodyText(a.body) })}
        csrf={req.csrfToken()}
        currentRevision={a.revision}
        canRestore={isEditor(req.user!)}
      />,
    );
  });

  app.post('/admin/articles/:id/revisions/:rev/restore', { config: { roles: EDITORS, rateLimit: writeLimit }, schema: { ...hidden, params: IdRev, body: Form } }, async (req, reply) => {
    const base = optionalId(req.body, 'baseRevision', 'baseRevision');
    if (!base) throw new HttpError(400, 'invalid', 'Не указана ревизия, с которой вы работали');
    await newsroom.restore(req.user!, req.params.id, req.params.rev, base);
    return reply.redirect(`/admin/articles/${req.params.id}`, 303);
  });

  app.post('/api/admin/articles/:id/restore', { config: { roles: EDITORS, rateLimit: writeLimit }, schema: { tags: ['newsroom'], summary: 'Restore a revision as a new one', params: Id, body: RestoreBody, response: responses({ 200: Saved }, [409]) } }, async (req) => ({
    revision: await newsroom.restore(req.user!, req.params.id, req.body.revision, req.body.baseRevision),
  }));

  // ---------- images (multipart, in its own scope so the parser stays ours) ----------

  await app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: app.config.maxUploadBytes, files: 1, fields: 5, parts: 6 } });
    scope.post('/api/admin/images', { config: { roles: WRITERS, rateLimit: { max: 60, timeWindow: '1 minute' } }, schema: { tags: ['newsroom'], summary: 'Upload an image (multipart field `image`; Editor.js image tool format)', consumes: ['multipart/form-data'], response: responses({ 201: Uploaded }, [413, 415]) } }, async (req, reply) => {
      const bytes = await readUpload(req, app.config.maxUploadBytes);
      if (!bytes) throw new HttpError(400, 'no_file', req.i18n.t('media.upload.noFile'));
      const image = await app.media.store(bytes, { createdBy: req.user!.id });
      await newsroom.audit(req.user!.id, 'uploaded', 'image', image.id);
      const jpegs = image.variants.filter((v) => v.format === 'jpeg').sort((a, b) => a.width - b.width);
      const shown = jpegs.find((v) => v.width >= 960) ?? jpegs.at(-1)!;
      return reply.status(201).send({ success: 1, file: { url: image.base + shown.file, thumb: image.base + jpegs[0]!.file, imageId: image.id, width: image.width, height: image.height } });
    });
  });

  // ---------- home page ----------

  async function homeFields() {
    const slots = await content.homeSlots();
    const tree = await content.sections();
    const defs = [
      { slot: 'lead', label: '' },
      { slot: 'latest', label: '' },
      ...tree.roots().map((s) => ({ slot: `section:${s.id}`, label: s.title })),
    ];
    return { defs, slots };
  }

  /** The home page form; after a refusal, with what was sent and the message under its slot. */
  async function homePage(req: FastifyRequest, reply: FastifyReply, failed?: { form: Record<string, string>; slot: string; message: string }) {
    const { defs, slots } = await homeFields();
    const sent = (slot: string) => {
      const raw = failed?.form[`slot:${slot}`];
      return raw === undefined ? (slots.get(slot) ?? []) : raw.split(/[\s,]+/).filter((x) => /^\d{1,9}$/.test(x)).map(Number);
    };
    const shown = new Map(defs.map((d) => [d.slot, sent(d.slot)]));
    const titles = new Map((await content.cards([...new Set([...shown.values()].flat())])).map((c) => [c.id, c.title]));
    const fields = defs.map((d) => {
      const ids = shown.get(d.slot)!;
      return {
        slot: d.slot,
        label: d.slot === 'lead' ? req.i18n.t('newsroom.home.lead') : d.slot === 'latest' ? req.i18n.t('newsroom.home.latest') : req.i18n.t('newsroom.home.section', { section: d.label }),
        max: d.slot === 'lead' ? 1 : HOME_SLOT_MAX,
        ids,
        titles: ids.map((id) => titles.get(id) ?? `#${id}`),
      };
    });
    return page(
      req,
      reply,
      req.i18n.t('newsroom.home'),
      <HomeSlotsForm i18n={req.i18n} csrf={req.csrfToken()} fields={fields} notice={(req.query as { saved?: string }).saved ? req.i18n.t('newsroom.saved') : undefined} error={failed} />,
      { scripts: [pickersUrl], status: failed ? 400 : 200 },
    );
  }

  app.get('/admin/home', { config: { roles: EDITORS }, schema: { ...hidden, querystring: PageQuery } }, async (req, reply) => homePage(req, reply));

  app.post('/admin/home', { config: { roles: EDITORS, rateLimit: writeLimit }, schema: { ...hidden, body: Form } }, async (req, reply) => {
    const { defs } = await homeFields();
    const wanted = new Map<string, number[]>();
    try {
      for (const d of defs) {
        const raw = (req.body[`slot:${d.slot}`] ?? '').trim();
        if (!/^[\d,\s]*$/.test(raw)) throw new HttpError(400, 'invalid', 'Укажите номера статей через запятую', { field: d.slot });
        const ids = raw.split(/[\s,]+/).filter(Boolean).map(Number);
        // More than PostgreSQL's integer is no article (and was a 500 in the query).
        const over = ids.find((id) => id > MAX_ID);
        if (over) throw new HttpError(400, 'invalid', req.i18n.t('error.noSuchNumber', { id: String(over) }), { field: d.slot });
        if (d.slot === 'lead' && ids.length > 1) throw new HttpError(400, 'invalid', 'Главная новость — одна статья', { field: d.slot });
        if (ids.length > HOME_SLOT_MAX) throw new HttpError(400, 'invalid', `Не больше ${HOME_SLOT_MAX} закреплённых статей в блоке`, { field: d.slot });
        wanted.set(d.slot, ids);
      }
      await newsroom.setHomeSlots(req.user!, wanted);
    } catch (err) {
      if (err instanceof HttpError && err.statusCode === 400) return homePage(req, reply, { form: req.body, slot: String(err.details?.field ?? ''), message: err.message });
      throw err;
    }
    return reply.redirect('/admin/home?saved=1', 303);
  });

  structureRoutes(app, { newsroom, page, sectionOptions, pickersUrl });

  // ---------- audit log (admin only) ----------

  app.get('/admin/audit', { config: { roles: ADMINS }, schema: { ...hidden, querystring: PageQuery } }, async (req, reply) => {
    const p = req.query.page ?? 1;
    const { items, more } = await newsroom.auditLog(p);
    return page(req, reply, req.i18n.t('newsroom.audit'), <AuditTable i18n={req.i18n} items={items} page={p} more={more} />);
  });
}

export default fp(newsroomModule, { name: 'newsroom', dependencies: ['content', 'media', 'accounts', 'admin-shell'], decorators: { fastify: ['content', 'media', 'accounts', 'admin', 'extensions', 'jobs'] } });
