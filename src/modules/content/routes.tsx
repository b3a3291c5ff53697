// Public reading pages: home, sections, articles, authors, tags, stories. Each
// page is cached with the tags of what it shows; the back office purges them.
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import { HttpError } from '../../platform/errors.js';
import { html, redirect } from '../../platform/openapi.js';
import { createContent, type Content } from './service.js';
import { sectionPath, authorPath, tagPath, storyPath } from './urls.js';
import { HomePage } from './views/home.js';
import { ArticlePage } from './views/article.js';
import { ListPage } from './views/list-page.js';
import { Top5 } from './views/cards.js';
import type { NavItem } from '../../web/context.js';
import { articleSubject } from './subject.js';

declare module 'fastify' {
  interface FastifyInstance {
    content: Content;
  }
}

const PageQuery = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }, { additionalProperties: true });
type PageQueryT = { page?: number };
const Slug = Type.Object({ slug: Type.String({ pattern: '^[a-z0-9-]{1,80}$' }) });
const cached = { pageCache: true } as const;
const tags = ['pages'];
const ArticlePath = Type.Object({ section: Type.String(), yyyy: Type.String(), mm: Type.String(), dd: Type.String(), id: Type.String() });
const IdOrSlug = Type.Object({ id: Type.String({ description: 'an article number, or a section slug' }) });
const moved = redirect('Moved: to the canonical address');

const ID = /^[1-9]\d{0,8}$/;

async function contentModule(app: App) {
  const content = createContent({ db: app.database.db, media: app.media, clock: app.clock, timezone: app.config.timezone, memo: app.memo, events: app.events, purge: (tags) => app.pageCache.purge(tags), extensions: app.extensions });
  app.decorate('content', content);
  app.subjects.register(articleSubject(content));

  async function refreshNav() {
    const tree = await content.sections();
    app.pages.nav = tree.roots().map<NavItem>((s) => ({ title: s.title, href: sectionPath(s.slug), children: tree.children(s.id).map((c) => ({ title: c.title, href: sectionPath(c.slug) })) }));
  }
  app.addHook('onReady', refreshNav);
  // Sections show on every page (the navigation), so a change of them purges
  // everything ('*') on every instance: rebuild the tree then. The purge may come
  // from another instance while our database is away: keep the old navigation and
  // try again until it answers (an unhandled rejection would end the process).
  let closed = false;
  app.addHook('onClose', async () => {
    closed = true;
  });
  function refreshNavSoon() {
    refreshNav().catch((err: Error) => {
      if (closed) return;
      app.log.warn({ err: err.message }, 'navigation not rebuilt; trying again in 5 s');
      setTimeout(refreshNavSoon, 5000).unref();
    });
  }
  app.pageCache.onPurge((tags) => {
    if (tags.includes('*')) {
      content.invalidateSections();
      refreshNavSoon();
    }
  });

  const pageOf = (req: FastifyRequest) => (req.query as PageQueryT).page ?? 1;
  const ctx = (req: FastifyRequest) => app.pages.context(req);
  const notFound = () => new HttpError(404, 'not_found', 'Страница не найдена');

  // ТОП 5 until the audience module counts views: the freshest pieces.
  app.widgets.add('home.aside', 50, async ({ req }) => <Top5 cards={await content.latest({ limit: 5 })} i18n={req.i18n} />, 'top5');
  app.widgets.add('article.aside', 50, async ({ req }) => <Top5 cards={await content.latest({ limit: 5 })} i18n={req.i18n} />, 'top5');
  app.widgets.lists('top5', () => content.latestIds({ limit: 5 }));

  app.get('/', { config: cached, schema: { tags, summary: 'The home page', response: { 200: html('The home page') } } }, async (req, reply) => {
    const tree = await content.sections();
    const opinionSection = tree.all().find((s) => s.slug === 'mnenie');
    const opinions = await content.latest({ type: 'opinion', limit: 4 });
    // The editors' choices (back office «Главная») come first; the freshest fill the rest.
    const slots = await content.homeSlots();
    const chosenLead = (await content.slotCards(slots, 'lead'))[0];
    const latestFeatureOrCover = chosenLead ?? (await content.latest({ limit: 10 })).find((c) => c.cover) ?? null;
    const exclude = latestFeatureOrCover ? [latestFeatureOrCover.id] : [];
    const pinned = (await content.slotCards(slots, 'latest')).filter((c) => !exclude.includes(c.id));
    const latest = [...pinned, ...(await content.cards(await content.latestIds({ limit: 12 - pinned.length, exclude: [...exclude, ...pinned.map((c) => c.id)], notType: 'opinion' })))];
    const sections = [];
    for (const root of tree.roots()) {
      if (root.id === opinionSection?.id) continue;
      const pins = (await content.slotCards(slots, `section:${root.id}`)).filter((c) => !exclude.includes(c.id)).slice(0, 4);
      const rest = pins.length < 4 ? await content.latest({ sectionIds: tree.subtreeIds(root.id), limit: 4 - pins.length, exclude: [...exclude, ...pins.map((c) => c.id)] }) : [];
      const cards = [...pins, ...rest];
      if (cards.length) sections.push({ title: root.title, href: sectionPath(root.slug), cards });
    }
    const onPage = latestFeatureOrCover ? [latestFeatureOrCover.id] : [];
    const [aside, main] = await Promise.all([app.widgets.render('home.aside', { req, onPage }), app.widgets.render('home.main', { req, onPage })]);
    const data = { lead: latestFeatureOrCover, latest, sections, opinions, opinionsHref: sectionPath(opinionSection?.slug ?? opinions[0]?.section.slug ?? '') };
    return app.pages.send(req, reply, <HomePage ctx={ctx(req)} data={data} aside={aside} main={main} />, { tags: ['home'] });
  });

  // ---------- articles ----------

  async function serveArticle(req: FastifyRequest, reply: FastifyReply, id: string) {
    if (!ID.test(id)) throw notFound();
    // The article and its «По теме» are the same for every reader: kept in the data
    // cache (platform/memo.ts) until a change purges them, or for a minute.
    const article = await content.readerArticle(Number(id));
    if (!article || !content.isPublished(article)) throw notFound();
    if (req.url.split('?')[0] !== article.url) return reply.redirect(article.url, 301);
    // «По теме» leaves out what the aside lists (ТОП 5), and «Рекомендуем» what the
    // page shows: more related candidates are kept than shown for that.
    const [candidates, listed] = await Promise.all([
      app.memo.get(`related:${id}`, { ttlMs: 60_000, tags: (cards) => [`article:${id}`, ...cards.map((c) => `article:${c.id}`)] }, () => content.related(article, 12)),
      app.widgets.listed('article.aside', { req, article }),
    ]);
    const related = candidates.filter((c) => !listed.includes(c.id)).slice(0, 5);
    const args = { req, article, onPage: [article.id, ...related.map((r) => r.id)] };
    const [afterBody, aside] = await Promise.all([app.widgets.render('article.afterBody', args), app.widgets.render('article.aside', args)]);
    const tags = [`article:${article.id}`, ...related.map((r) => `article:${r.id}`)];
    return app.pages.send(req, reply, <ArticlePage ctx={ctx(req)} article={article} related={related} afterBody={afterBody} aside={aside} />, { tags });
  }

  app.get('/text/:section/:yyyy/:mm/:dd/:id/', { config: cached, schema: { tags, summary: 'An article at its canonical address', params: ArticlePath, response: { 200: html('The article'), 301: moved } } }, async (req, reply) => serveArticle(req, reply, req.params.id));
  // Any other path to an article redirects to its canonical URL.
  app.get('/text/:section/:yyyy/:mm/:dd/:id', { schema: { tags, summary: 'An article without the final slash', params: ArticlePath, response: { 301: moved } } }, async (req, reply) => serveArticle(req, reply, req.params.id));
  // Cached: on a breaking story readers open its section as often as the article.
  app.get('/text/:id/', { config: cached, schema: { tags, summary: 'A section page (slug), or a short link to an article (number)', params: IdOrSlug, querystring: PageQuery, response: { 200: html('The section’s articles'), 301: moved } } }, async (req, reply) => {
    const { id } = req.params;
    if (ID.test(id)) return serveArticle(req, reply, id);
    return serveSection(req, reply, id);
  });
  app.get('/text/:id', { schema: { tags, summary: 'A section or short article link without the final slash', params: IdOrSlug, response: { 301: moved } } }, async (req, reply) => {
    const { id } = req.params;
    if (ID.test(id)) return serveArticle(req, reply, id);
    return reply.redirect(`/text/${encodeURIComponent(id)}/${req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''}`, 301);
  });

  // ---------- sections ----------

  async function serveSection(req: FastifyRequest, reply: FastifyReply, slug: string) {
    const tree = await content.sections();
    const section = tree.bySlugOf(slug);
    if (!section) {
      const moved = await content.sectionRedirect(slug);
      if (moved) return reply.redirect(sectionPath(moved.slug), 301);
      throw notFound();
    }
    const query = req.query as PageQueryT;
    const page = await content.sectionPage(section, query.page ?? 1);
    if (page.page > page.pages) throw notFound();
    const [aside] = await Promise.all([app.widgets.render('home.aside', { req })]);
    const path = tree.path(section.id);
    return app.pages.send(
      req,
      reply,
      <ListPage
        ctx={ctx(req)}
        title={section.title}
        description={section.description || undefined}
        canonicalPath={sectionPath(section.slug)}
        page={page}
        breadcrumb={path.slice(0, -1).map((s) => ({ title: s.title, href: sectionPath(s.slug) }))}
        intro={section.description ? <p>{section.description}</p> : undefined}
        feeds={[{ title: section.title, href: `/rss/${section.slug}.xml` }]}
        aside={aside}
      />,
      { tags: [`section:${section.id}`] },
    );
  }

  // The section page shares /text/:id/ with short article links; its schema validates paging.
  app.addHook('preValidation', async (req) => {
    if (req.routeOptions.url === '/text/:id/' && req.query && typeof req.query === 'object') {
      const raw = (req.query as Record<string, unknown>).page;
      if (raw !== undefined && !(typeof raw === 'string' && /^[1-9]\d{0,3}$/.test(raw) && Number(raw) <= 1000)) {
        throw new HttpError(400, 'bad_page', req.i18n.t('error.badPage'));
      }
      if (raw !== undefined) (req.query as Record<string, unknown>).page = Number(raw);
    }
  });

  // ---------- authors, tags, stories ----------

  const listRoute = (summary: string) => ({ config: cached, schema: { tags, summary, params: Slug, querystring: PageQuery, response: { 200: html('A page of the list') } } });

  app.get('/authors/:slug/', listRoute('An author’s page and articles'), async (req, reply) => {
    const author = await content.author(req.params.slug);
    if (!author) throw notFound();
    const page = await content.authorPage(author.id, pageOf(req));
    if (page.page > page.pages) throw notFound();
    const intro = (
      <div class="author-box">
        {author.photo ? <img src={author.photo.base + (author.photo.variants.find((v) => v.format === 'jpeg')?.file ?? '')} alt={author.name} width={96} height={96} /> : <span />}
        <div>
          {author.position && <p class="opinion-card__position">{author.position}</p>}
          <p>{author.bio}</p>
        </div>
      </div>
    );
    return app.pages.send(req, reply, <ListPage ctx={ctx(req)} title={author.name} description={author.bio || undefined} canonicalPath={authorPath(author.slug)} page={page} intro={intro} />, {
      tags: [`author:${author.id}`],
    });
  });

  app.get('/tags/:slug/', listRoute('The articles with a tag'), async (req, reply) => {
    const tag = await content.tag(req.params.slug);
    if (!tag) throw notFound();
    const page = await content.tagPage(tag.id, pageOf(req));
    if (page.page > page.pages) throw notFound();
    return app.pages.send(req, reply, <ListPage ctx={ctx(req)} title={req.i18n.t('tag.title', { tag: tag.title })} canonicalPath={tagPath(tag.slug)} page={page} />, { tags: [`tag:${tag.id}`] });
  });

  app.get('/story/:slug/', listRoute('The articles of a story'), async (req, reply) => {
    const story = await content.story(req.params.slug);
    if (!story) throw notFound();
    const page = await content.storyPage(story.id, pageOf(req));
    if (page.page > page.pages) throw notFound();
    return app.pages.send(
      req,
      reply,
      <ListPage ctx={ctx(req)} title={req.i18n.t('story.title', { story: story.title })} description={story.description || undefined} canonicalPath={storyPath(story.slug)} page={page} intro={story.description ? <p>{story.description}</p> : undefined} />,
      { tags: [`story:${story.id}`] },
    );
  });

  for (const prefix of ['authors', 'tags', 'story']) {
    app.get(`/${prefix}/:slug`, { schema: { tags, summary: `/${prefix}/… without the final slash`, params: Type.Object({ slug: Type.String() }), response: { 301: moved } } }, async (req, reply) => reply.redirect(`/${prefix}/${encodeURIComponent(req.params.slug)}/`, 301));
  }
}

export default fp(contentModule, { name: 'content', dependencies: ['media'], decorators: { fastify: ['media', 'pageCache', 'memo', 'events', 'widgets', 'extensions', 'pages'] } });
