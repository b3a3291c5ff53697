// The newsroom back office under /admin: articles (list, editor, workflow,
// revisions, preview), image uploads, the home page slots, structure (sections,
// tags, stories, authors), users and roles, the audit log. Every route states the
// roles it needs; article-level rules (an author edits only their own drafts) are
// the newsroom service's. Writes carry the CSRF token (forms: `_csrf`, API:
// `x-csrf-token`).
import fp from 'fastify-plugin';
import multipart from '@fastify/multipart';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { App } from '../../types.js';
import type { Role } from '../../db/schema.js';
import { HttpError } from '../../platform/errors.js';
import { CONTENT_SECURITY_POLICY } from '../../platform/security-headers.js';
import type { MessageKey } from '../../platform/i18n/index.js';
import { AdminLayout, adminNav } from '../../web/admin.js';
import { ArticlePage } from '../content/views/article.js';
import { TRANSITIONS, type Transition } from '../content/editing.js';
import { slugify } from '../content/urls.js';
import { bodyText } from '../content/blocks.js';
import { ROLES } from '../accounts/service.js';
import { createNewsroom, createStaff, isEditor, type ArticleInput, type Newsroom } from './service.js';
import { editorBundle } from './assets.js';
import { ArticlesList, NewArticleForm, TYPES } from './views/articles.js';
import { EditorPage } from './views/editor.js';
import { RevisionDiff, RevisionsList, revisionText } from './views/revisions.js';
import { EntityAdmin, type EntityRow, type Field } from './views/entities.js';
import { AuditTable, HomeSlotsForm } from './views/misc.js';

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

const Id = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
const IdRev = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }), rev: Type.Integer({ minimum: 1, maximum: 1000000 }) });
const Form = Type.Record(Type.String(), Type.String({ maxLength: 10000 }));
type FormT = Static<typeof Form>;
const IdArray = (max: number) => Type.Array(Type.Integer({ minimum: 1, maximum: 2147483647 }), { maxItems: max });
const NullableId = Type.Union([Type.Integer({ minimum: 1, maximum: 2147483647 }), Type.Null()]);

const ArticleFieldsSchema = {
  type: Type.Union([Type.Literal('news'), Type.Literal('opinion'), Type.Literal('feature')]),
  sectionId: Type.Integer({ minimum: 1 }),
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
const SaveArticle = Type.Object({ baseRevision: Type.Integer({ minimum: 1 }), ...ArticleFieldsSchema });
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
const RestoreBody = Type.Object({ revision: Type.Integer({ minimum: 1 }), baseRevision: Type.Integer({ minimum: 1 }) });
const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  status: Type.Optional(Type.Union([Type.Literal(''), Type.Literal('draft'), Type.Literal('review'), Type.Literal('scheduled'), Type.Literal('published'), Type.Literal('unpublished')])),
  type: Type.Optional(Type.Union([Type.Literal(''), Type.Literal('news'), Type.Literal('opinion'), Type.Literal('feature')])),
  sectionId: Type.Optional(Type.Union([Type.Literal(''), Type.Integer({ minimum: 1 })])),
  authorId: Type.Optional(Type.Union([Type.Literal(''), Type.Integer({ minimum: 1 })])),
  sort: Type.Optional(Type.Union([Type.Literal('updated'), Type.Literal('published'), Type.Literal('created'), Type.Literal('title')])),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});
const PageQuery = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), saved: Type.Optional(Type.String({ maxLength: 10 })) });
const SearchQuery = Type.Object({ q: Type.String({ maxLength: 200 }), published: Type.Optional(Type.Boolean()) });

const hidden = { hide: true };
const writeLimit = { max: 120, timeWindow: '1 minute' };

/** A form field as text: 400 with a Russian message when a required one is missing or too long. */
function text(form: FormT, name: string, label: string, opts: { required?: boolean; max?: number } = {}): string {
  const value = (form[name] ?? '').trim();
  if (opts.required && !value) throw new HttpError(400, 'invalid', `Заполните поле «${label}»`, { field: name });
  if (value.length > (opts.max ?? 300)) throw new HttpError(400, 'invalid', `Поле «${label}» не длиннее ${opts.max ?? 300} символов`, { field: name });
  return value;
}
function optionalId(form: FormT, name: string, label: string): number | null {
  const value = (form[name] ?? '').trim();
  if (!value) return null;
  if (!/^[1-9]\d{0,8}$/.test(value)) throw new HttpError(400, 'invalid', `В поле «${label}» нужен номер`, { field: name });
  return Number(value);
}
function slugOf(form: FormT, fallback: string): string {
  const raw = (form.slug ?? '').trim();
  const slug = raw ? raw.toLowerCase() : slugify(fallback);
  if (!/^[a-z0-9-]{1,80}$/.test(slug)) throw new HttpError(400, 'invalid', 'Адрес — латинские буквы, цифры и дефис, до 80 символов', { field: 'slug' });
  return slug;
}
/** A unique-constraint violation (a slug taken meanwhile) is the visitor's 400, not our 500. */
async function unique<T>(work: () => Promise<T>, message: string): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new HttpError(400, 'taken', message);
    throw err;
  }
}

async function newsroomModule(app: App) {
  const { content } = app;
  const newsroom = createNewsroom({ db: app.database.db, clock: app.clock, content, events: app.events, purge: (tags) => app.pageCache.purge(tags) });
  const staff = createStaff({ db: app.database.db });
  app.decorate('newsroom', newsroom);
  const bundle = await editorBundle();
  const bundleUrl = `/admin/assets/${bundle.name}`;

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

  app.get('/admin/assets/:name', { schema: hidden }, async (req, reply) => {
    if ((req.params as { name: string }).name !== bundle.name) return reply.callNotFound();
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

  app.post('/api/admin/articles', { config: { roles: WRITERS, rateLimit: writeLimit }, schema: { tags: ['newsroom'], summary: 'Create a draft article', body: CreateArticle } }, async (req, reply) => {
    const b = req.body;
    const id = await newsroom.createArticle(req.user!, blankInput({ ...Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)), title: b.title, sectionId: b.sectionId, type: b.type } as ArticleInput));
    const a = (await content.editable(id))!;
    return reply.status(201).send({ id, revision: a.revision, status: a.status });
  });

  app.get('/admin/articles/:id', { config: { roles: WRITERS, editorCsp: true }, schema: { ...hidden, params: Id } }, async (req, reply) => {
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
      />,
      { scripts: [bundleUrl] },
    );
  });

  app.put('/api/admin/articles/:id', { config: { roles: WRITERS, rateLimit: writeLimit }, schema: { tags: ['newsroom'], summary: 'Save an article on top of a revision (409 if it is stale)', params: Id, body: SaveArticle } }, async (req) => {
    const { baseRevision, ...input } = req.body;
    return newsroom.saveArticle(req.user!, req.params.id, input as ArticleInput, baseRevision);
  });

  app.post('/api/admin/articles/:id/transition', { config: { roles: WRITERS, rateLimit: writeLimit }, schema: { tags: ['newsroom'], summary: 'Submit, publish, schedule, send back or unpublish', params: Id, body: TransitionBody } }, async (req) =>
    newsroom.transition(req.user!, req.params.id, req.body.action, req.body.at ? new Date(req.body.at) : undefined),
  );

  app.delete('/api/admin/articles/:id', { config: { roles: EDITORS, rateLimit: writeLimit }, schema: { tags: ['newsroom'], summary: 'Delete an article', params: Id } }, async (req) => {
    await newsroom.deleteArticle(req.user!, req.params.id);
    return { ok: true };
  });

  app.get('/api/admin/articles/search', { config: { roles: WRITERS }, schema: { tags: ['newsroom'], summary: 'Find articles by title or id (pickers)', querystring: SearchQuery } }, async (req) => {
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

  app.post('/api/admin/articles/:id/restore', { config: { roles: EDITORS, rateLimit: writeLimit }, schema: { tags: ['newsroom'], summary: 'Restore a revision as a new one', params: Id, body: RestoreBody } }, async (req) => ({
    revision: await newsroom.restore(req.user!, req.params.id, req.body.revision, req.body.baseRevision),
  }));

  // ---------- images (multipart, in its own scope so the parser stays ours) ----------

  await app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: app.config.maxUploadBytes, files: 1, fields: 5, parts: 6 } });
    scope.post('/api/admin/images', { config: { roles: WRITERS, rateLimit: { max: 60, timeWindow: '1 minute' } }, schema: { tags: ['newsroom'], summary: 'Upload an image (Editor.js image tool format)' } }, async (req, reply) => {
      const mb = Math.round(app.config.maxUploadBytes / 1048576);
      let bytes: Buffer;
      let file: Awaited<ReturnType<typeof req.file>>;
      try {
        file = await req.file();
        if (!file) throw new HttpError(400, 'no_file', 'Выберите файл изображения');
        bytes = await file.toBuffer();
      } catch (err) {
        // Over the limit the multipart parser may end the file stream before
        // toBuffer() throws its own error, so a truncated file is a 413 whatever the
        // error says (it was a rare 500 otherwise).
        const truncated = (file! as { file?: { truncated?: boolean } } | undefined)?.file?.truncated;
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE' || truncated) throw new HttpError(413, 'too_large', `Файл больше ${mb} МБ — уменьшите его и загрузите снова`);
        if ((err as { code?: string }).code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') throw new HttpError(415, 'not_multipart', 'Загрузите файл формой (multipart/form-data)');
        throw err;
      }
      const image = await app.media.store(bytes, { createdBy: req.user!.id });
      await newsroom.audit(req.user!.id, 'uploaded', 'image', image.id);
      const jpegs = image.variants.filter((v) => v.format === 'jpeg').sort((a, b) => a.width - b.width);
      const shown = jpegs.find((v) => v.width >= 960) ?? jpegs.at(-1)!;
      return reply.status(201).send({ success: 1, file: { url: image.base + shown.file, imageId: image.id, width: image.width, height: image.height } });
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
    const ids = [...new Set([...slots.values()].flat())];
    const titles = new Map((await content.cards(ids)).map((c) => [c.id, c.title]));
    return { defs, slots, titles };
  }

  app.get('/admin/home', { config: { roles: EDITORS }, schema: { ...hidden, querystring: PageQuery } }, async (req, reply) => {
    const { defs, slots, titles } = await homeFields();
    const fields = defs.map((d) => ({
      slot: d.slot,
      label: d.slot === 'lead' ? req.i18n.t('newsroom.home.lead') : d.slot === 'latest' ? req.i18n.t('newsroom.home.latest') : req.i18n.t('newsroom.home.section', { section: d.label }),
      ids: slots.get(d.slot) ?? [],
      titles: (slots.get(d.slot) ?? []).map((id) => titles.get(id) ?? `#${id}`),
    }));
    return page(req, reply, req.i18n.t('newsroom.home'), <HomeSlotsForm i18n={req.i18n} csrf={req.csrfToken()} fields={fields} notice={req.query.saved ? req.i18n.t('newsroom.saved') : undefined} />);
  });

  app.post('/admin/home', { config: { roles: EDITORS, rateLimit: writeLimit }, schema: { ...hidden, body: Form } }, async (req, reply) => {
    const { defs } = await homeFields();
    const wanted = new Map<string, number[]>();
    for (const d of defs) {
      const raw = (req.body[`slot:${d.slot}`] ?? '').trim();
      if (!/^[\d,\s]*$/.test(raw)) throw new HttpError(400, 'invalid', 'Укажите номера статей через запятую', { field: d.slot });
      const ids = raw.split(/[\s,]+/).filter(Boolean).map(Number);
      if (d.slot === 'lead' && ids.length > 1) throw new HttpError(400, 'invalid', 'Главная новость — одна статья', { field: 'lead' });
      if (ids.length > 12) throw new HttpError(400, 'invalid', 'Не больше 12 закреплённых статей в блоке', { field: d.slot });
      wanted.set(d.slot, ids);
    }
    for (const [slot, ids] of wanted) await newsroom.setHomeSlot(req.user!, slot, ids);
    return reply.redirect('/admin/home?saved=1', 303);
  });

  // ---------- structure: sections, tags, stories, authors ----------

  function structureRoutes(opts: {
    base: string;
    title: MessageKey;
    fields: (req: FastifyRequest) => Promise<Field[]>;
    rows: () => Promise<EntityRow[]>;
    create: (form: FormT, req: FastifyRequest) => Promise<{ id: number; summary: string }>;
    update: (id: number, form: FormT, req: FastifyRequest) => Promise<string>;
    remove?: (id: number) => Promise<void>;
    entity: string;
  }) {
    app.get(opts.base, { config: { roles: EDITORS }, schema: { ...hidden, querystring: PageQuery } }, async (req, reply) =>
      page(
        req,
        reply,
        req.i18n.t(opts.title as never),
        <EntityAdmin i18n={req.i18n} csrf={req.csrfToken()} base={opts.base} fields={await opts.fields(req)} rows={await opts.rows()} canDelete={!!opts.remove} notice={req.query.saved ? req.i18n.t('newsroom.saved') : undefined} />,
      ),
    );
    app.post(opts.base, { config: { roles: EDITORS, rateLimit: writeLimit }, schema: { ...hidden, body: Form } }, async (req, reply) => {
      const { id, summary } = await opts.create(req.body, req);
      await newsroom.structureChanged(req.user!, 'created', opts.entity, id, summary);
      return reply.redirect(`${opts.base}?saved=1`, 303);
    });
    app.post(`${opts.base}/:id`, { config: { roles: EDITORS, rateLimit: writeLimit }, schema: { ...hidden, params: Id, body: Form } }, async (req, reply) => {
      const summary = await opts.update(req.params.id, req.body, req);
      await newsroom.structureChanged(req.user!, 'updated', opts.entity, req.params.id, summary);
      return reply.redirect(`${opts.base}?saved=1`, 303);
    });
    if (opts.remove) {
      const remove = opts.remove;
      app.post(`${opts.base}/:id/delete`, { config: { roles: EDITORS, rateLimit: writeLimit }, schema: { ...hidden, params: Id, body: Form } }, async (req, reply) => {
        await remove(req.params.id);
        await newsroom.structureChanged(req.user!, 'deleted', opts.entity, req.params.id, '');
        return reply.redirect(`${opts.base}?saved=1`, 303);
      });
    }
  }

  const L = (req: FastifyRequest, key: MessageKey) => req.i18n.t(key as never);

  structureRoutes({
    base: '/admin/sections',
    title: 'newsroom.sections',
    entity: 'section',
    fields: async (req) => [
      { name: 'title', label: L(req, 'newsroom.field.title'), required: true },
      { name: 'slug', label: L(req, 'newsroom.field.slug'), hint: L(req, 'newsroom.slugHint') },
      { name: 'parentId', label: L(req, 'newsroom.field.parent'), kind: 'select', options: [{ value: '', label: L(req, 'newsroom.none') }, ...(await sectionOptions()).map((s) => ({ value: String(s.id), label: s.title }))] },
      { name: 'position', label: L(req, 'newsroom.field.position'), kind: 'number' },
      { name: 'description', label: L(req, 'newsroom.field.description'), kind: 'textarea' },
    ],
    rows: async () => {
      const tree = await content.sections();
      return (await sectionOptions()).map((o) => {
        const s = tree.get(o.id)!;
        return { id: s.id, label: o.title, depth: o.depth, values: { title: s.title, slug: s.slug, parentId: s.parentId ? String(s.parentId) : '', position: String(s.position), description: s.description } };
      });
    },
    create: async (form, req) => {
      const title = text(form, 'title', L(req, 'newsroom.field.title'), { required: true, max: 100 });
      const parentId = optionalId(form, 'parentId', L(req, 'newsroom.field.parent'));
      if (parentId && !(await content.sections()).get(parentId)) throw new HttpError(400, 'invalid', 'Такой родительской рубрики нет', { field: 'parentId' });
      const id = await unique(
        () => content.createSection({ title, slug: slugOf(form, title), parentId, position: Number(form.position) || 0, description: text(form, 'description', L(req, 'newsroom.field.description'), { max: 1000 }) }),
        'Такой адрес рубрики уже занят',
      );
      return { id, summary: title };
    },
    update: async (id, form, req) => {
      const title = text(form, 'title', L(req, 'newsroom.field.title'), { required: true, max: 100 });
      await unique(
        () =>
          content.updateSection(id, {
            title,
            slug: slugOf(form, title),
            parentId: optionalId(form, 'parentId', L(req, 'newsroom.field.parent')),
            position: Number(form.position) || 0,
            description: text(form, 'description', L(req, 'newsroom.field.description'), { max: 1000 }),
          }),
        'Такой адрес рубрики уже занят',
      );
      return title;
    },
    remove: (id) => content.deleteSection(id),
  });

  structureRoutes({
    base: '/admin/tags',
    title: 'newsroom.tags',
    entity: 'tag',
    fields: async (req) => [
      { name: 'title', label: L(req, 'newsroom.field.title'), required: true },
      { name: 'slug', label: L(req, 'newsroom.field.slug'), hint: L(req, 'newsroom.slugHint') },
    ],
    rows: async () => (await content.listTags()).map((x) => ({ id: x.id, label: x.title, values: { title: x.title, slug: x.slug } })),
    create: async (form, req) => {
      const title = text(form, 'title', L(req, 'newsroom.field.title'), { required: true, max: 60 });
      return { id: await content.ensureTag(title), summary: title };
    },
    update: async (id, form, req) => {
      const title = text(form, 'title', L(req, 'newsroom.field.title'), { required: true, max: 60 }).toLowerCase();
      await unique(() => content.renameTag(id, title, slugOf(form, title)), 'Такой адрес тега уже занят');
      return title;
    },
    remove: (id) => content.deleteTag(id),
  });

  structureRoutes({
    base: '/admin/stories',
    title: 'newsroom.stories',
    entity: 'story',
    fields: async (req) => [
      { name: 'title', label: L(req, 'newsroom.field.title'), required: true },
      { name: 'slug', label: L(req, 'newsroom.field.slug'), hint: L(req, 'newsroom.slugHint') },
      { name: 'description', label: L(req, 'newsroom.field.description'), kind: 'textarea' },
    ],
    rows: async () => (await content.listStories()).map((x) => ({ id: x.id, label: x.title, values: { title: x.title, slug: x.slug, description: x.description } })),
    create: async (form, req) => {
      const title = text(form, 'title', L(req, 'newsroom.field.title'), { required: true, max: 200 });
      const id = await unique(() => content.createStory({ title, slug: slugOf(form, title), description: text(form, 'description', L(req, 'newsroom.field.description'), { max: 2000 }) }), 'Такой адрес сюжета уже занят');
      return { id, summary: title };
    },
    update: async (id, form, req) => {
      const title = text(form, 'title', L(req, 'newsroom.field.title'), { required: true, max: 200 });
      await unique(() => content.updateStory(id, { title, slug: slugOf(form, title), description: text(form, 'description', L(req, 'newsroom.field.description'), { max: 2000 }) }), 'Такой адрес сюжета уже занят');
      return title;
    },
    remove: (id) => content.deleteStory(id),
  });

  const authorFields = (form: FormT, req: FastifyRequest) => {
    const name = text(form, 'name', L(req, 'newsroom.field.name'), { required: true, max: 100 });
    return {
      name,
      slug: slugOf(form, name),
      position: text(form, 'position', L(req, 'newsroom.field.jobTitle'), { max: 200 }),
      bio: text(form, 'bio', L(req, 'newsroom.field.bio'), { max: 2000 }),
      photoId: optionalId(form, 'photoId', L(req, 'newsroom.field.photo')),
      userId: optionalId(form, 'userId', L(req, 'newsroom.field.user')),
    };
  };
  structureRoutes({
    base: '/admin/authors',
    title: 'newsroom.authors',
    entity: 'author',
    fields: async (req) => [
      { name: 'name', label: L(req, 'newsroom.field.name'), required: true },
      { name: 'slug', label: L(req, 'newsroom.field.slug'), hint: L(req, 'newsroom.slugHint') },
      { name: 'position', label: L(req, 'newsroom.field.jobTitle') },
      { name: 'bio', label: L(req, 'newsroom.field.bio'), kind: 'textarea' },
      { name: 'photoId', label: L(req, 'newsroom.field.photo'), kind: 'number' },
      { name: 'userId', label: L(req, 'newsroom.field.user'), kind: 'number' },
    ],
    rows: async () =>
      (await content.listAuthors()).map((x) => ({
        id: x.id,
        label: `${x.name}${x.position ? `, ${x.position}` : ''}`,
        values: { name: x.name, slug: x.slug, position: x.position, bio: x.bio, photoId: x.photo_id ? String(x.photo_id) : '', userId: x.user_id ? String(x.user_id) : '' },
      })),
    create: async (form, req) => {
      const f = authorFields(form, req);
      const id = await unique(() => content.createAuthor(f), 'Такой адрес автора уже занят или учётная запись уже связана с автором');
      return { id, summary: f.name };
    },
    update: async (id, form, req) => {
      const f = authorFields(form, req);
      await unique(() => content.updateAuthor(id, f), 'Такой адрес автора уже занят');
      return f.name;
    },
  });

  // ---------- users and roles (admin only) ----------

  app.get('/admin/users', { config: { roles: ADMINS }, schema: { ...hidden, querystring: PageQuery } }, async (req, reply) => {
    const roleOptions = ROLES.map((r) => ({ value: r, label: L(req, `role.${r}` as MessageKey) }));
    const fields: Field[] = [
      { name: 'displayName', label: L(req, 'auth.displayName'), required: true, createOnly: true },
      { name: 'email', label: L(req, 'newsroom.field.email'), kind: 'email', required: true, createOnly: true },
      { name: 'password', label: L(req, 'newsroom.field.password'), kind: 'password', required: true, createOnly: true },
      { name: 'role', label: L(req, 'newsroom.field.role'), kind: 'select', options: roleOptions },
    ];
    const rows = (await staff.list()).map((u) => ({ id: u.id, label: `${u.display_name} <${u.email}> — ${L(req, `role.${u.role}` as MessageKey)}`, values: { role: u.role } }));
    return page(req, reply, req.i18n.t('newsroom.users'), <EntityAdmin i18n={req.i18n} csrf={req.csrfToken()} base="/admin/users" fields={fields} rows={rows} canDelete={false} notice={req.query.saved ? req.i18n.t('newsroom.saved') : undefined} />);
  });

  const roleOf = (form: FormT): Role => {
    if (!ROLES.includes(form.role as Role)) throw new HttpError(400, 'invalid', 'Неизвестная роль', { field: 'role' });
    return form.role as Role;
  };

  app.post('/admin/users', { config: { roles: ADMINS, rateLimit: writeLimit }, schema: { ...hidden, body: Form } }, async (req, reply) => {
    const role = roleOf(req.body);
    try {
      const user = await app.accounts.createUser({ email: req.body.email ?? '', password: req.body.password ?? '', displayName: req.body.displayName ?? '', role });
      await newsroom.audit(req.user!.id, 'created', 'user', user.id, `${user.email}: ${role}`);
    } catch (err) {
      // The accounts service names its problems by i18n key.
      if (err instanceof HttpError && err.message.startsWith('auth.')) throw new HttpError(err.statusCode, err.code, req.i18n.t(err.message as never));
      throw err;
    }
    return reply.redirect('/admin/users?saved=1', 303);
  });

  app.post('/admin/users/:id', { config: { roles: ADMINS, rateLimit: writeLimit }, schema: { ...hidden, params: Id, body: Form } }, async (req, reply) => {
    const role = roleOf(req.body);
    const { before } = await staff.setRole(req.user!, req.params.id, role);
    await newsroom.audit(req.user!.id, 'role_changed', 'user', req.params.id, `${before} → ${role}`);
    return reply.redirect('/admin/users?saved=1', 303);
  });

  // ---------- audit log (admin only) ----------

  app.get('/admin/audit', { config: { roles: ADMINS }, schema: { ...hidden, querystring: PageQuery } }, async (req, reply) => {
    const p = req.query.page ?? 1;
    const { items, more } = await newsroom.auditLog(p);
    return page(req, reply, req.i18n.t('newsroom.audit'), <AuditTable i18n={req.i18n} items={items} page={p} more={more} />);
  });
}

export default fp(newsroomModule, { name: 'newsroom', dependencies: ['content', 'media', 'accounts', 'admin-shell'] });
