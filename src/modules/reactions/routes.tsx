// Reactions under articles: the bar (a widget of the article page), the JSON API
// the island uses (read counts and mine, set, withdraw) and the no-JS form post.
// Writes: CSRF (header for the API, same-origin proof for the form on the cached
// page), flood limits per reader and per IP, and only for published articles.
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import { DomainError } from '../../platform/errors.js';
import { html, redirect } from '../../platform/openapi.js';
import type { SubjectInfo, SubjectRef } from '../../platform/subjects.js';
import { isReactionKind, type ReactionKind } from './kinds.js';
import { createReactions, type Reactions } from './service.js';
import { DAY, limiter, MINUTE } from '../../platform/limits.js';
import { newReaderCap } from '../../platform/reader-cap.js';
import { markWrote, mayHaveWritten, type Reader } from '../../platform/reader.js';
import { ReactionBar } from './views/bar.js';
import { FormPage, PostButton } from '../../web/components/forms.js';

declare module 'fastify' {
  interface FastifyInstance {
    reactions: Reactions;
  }
}

const ArticleParams = Type.Object({ id: Type.String({ maxLength: 12 }) });
const SubjectParams = Type.Object({ kind: Type.String({ maxLength: 40, description: 'a subject kind: article, forum_post, …' }), id: Type.String({ maxLength: 12 }) });
// The kind is checked by hand, so an unknown one gets a Russian message naming the valid ones.
const SetBody = Type.Object({ kind: Type.String({ maxLength: 40 }) });
const FormBody = Type.Object({ kind: Type.String({ maxLength: 40 }), _csrf: Type.Optional(Type.String({ maxLength: 200 })) });
const Count = Type.Integer({ minimum: 0 });
const Counts = Type.Object({ LIKE: Count, HAPPY: Count, SURPRISED: Count, ANGRY: Count, SAD: Count });
const Kind = Type.Union([Type.Literal('LIKE'), Type.Literal('HAPPY'), Type.Literal('SURPRISED'), Type.Literal('ANGRY'), Type.Literal('SAD')]);
const State = Type.Object({ counts: Counts, mine: Type.Union([Kind, Type.Null()]) });
const api = { tags: ['reactions'], params: ArticleParams, response: { 200: State } };

// A cached page's counts are refreshed at most this often after reactions change:
// a purge per reaction would re-render a popular article for every click.
const PURGE_DELAY_MS = 15_000;
// How stale the counts a reader without reactions gets in the reader state may be on
// another instance; the instance that takes a reaction forgets its kept counts at
// once, and the reader who reacts gets exact counts in the write's answer.
const COUNTS_KEPT_MS = 2_000;
const countsKey = (subject: SubjectRef) => `reactions:counts:${subject.kind}:${subject.id}`;

async function reactionsModule(app: App) {
  // PGlite is one connection: one batch at a time gathers the most per batch.
  const reactions = createReactions({ db: app.database.db, clock: app.clock, concurrency: app.database.kind === 'pglite' ? 1 : 4 });
  app.decorate('reactions', reactions);
  // What statistics ask of reactions (audience/index.ts names the points).
  app.extensions.provide('article.reactionTotals', (ids) => reactions.totals(ids), 'reactions');
  app.extensions.provide('subject.reactionTotals', (kind, ids) => reactions.totals(ids, kind), 'reactions');
  app.extensions.provide('subject.readerReactions', (kind, ids, reader) => reactions.minesOf(kind, ids, reader), 'reactions');
  app.extensions.provide('article.reactionCounts', (id) => reactions.counts({ kind: 'article', id }), 'reactions');

  // A reader clicks a few times a minute at most; an office or a mobile carrier
  // puts many readers behind one IP, hence the wider per-IP allowance.
  const limits = limiter(app, 'reaction', [
    { per: 'reader', max: 30, window: MINUTE },
    { per: 'reader', max: 500, window: DAY },
    { per: 'ip', max: 120, window: MINUTE },
    { per: 'ip', max: 5000, window: DAY },
  ]);

  // The subject from the registry (an article: content's, from the data cache, so a
  // burst of reactions to a hot article does not load it each time).
  async function visibleSubject(kind: string, rawId: string): Promise<SubjectInfo> {
    if (!app.subjects.has(kind)) throw new DomainError('subject.unknown_kind', { kind }, 404);
    const subject = /^[1-9]\d{0,8}$/.test(rawId) ? await app.subjects.describe({ kind, id: Number(rawId) }) : null;
    if (!subject) throw new DomainError(kind === 'article' ? 'reactions.no_article' : 'subject.not_found', {}, 404);
    return subject;
  }

  function kindOf(value: string): ReactionKind {
    if (!isReactionKind(value)) throw new DomainError('reactions.unknown_kind');
    return value;
  }

  // Only readers known from an earlier request count, and only so many new ones per
  // address and subject an hour (platform/reader-cap.ts). Asked before the write; a
  // withdrawal is never refused.
  const cap = newReaderCap(app, 'reaction');
  async function mayCount(req: FastifyRequest, subject: SubjectRef) {
    const verdict = await cap({ standing: req.readerStanding(), ip: req.ip, subject: `${subject.kind}:${subject.id}` });
    if (verdict === 'unproven') throw new DomainError('reader.unproven', {}, 403);
    if (verdict === 'capped') throw new DomainError('reader.too_many_new', {}, 429);
  }

  // The page-cache tags come from the subject's owner (an article: `article:<id>`).
  const pendingPurges = new Map<string, NodeJS.Timeout>();
  function schedulePurge(subject: SubjectInfo) {
    const key = `${subject.kind}:${subject.id}`;
    if (pendingPurges.has(key)) return;
    const timer = setTimeout(() => {
      pendingPurges.delete(key);
      void app.pageCache.purge(subject.tags);
    }, PURGE_DELAY_MS);
    timer.unref();
    pendingPurges.set(key, timer);
  }
  /** After a reader's reaction changed: the hint that they have one, this instance's kept counts, the page later. */
  function changed(req: FastifyRequest, reply: FastifyReply, subject: SubjectInfo) {
    markWrote(req, reply);
    app.memo.forget(countsKey(subject));
    schedulePurge(subject);
  }
  app.addHook('onClose', async () => {
    for (const timer of pendingPurges.values()) clearTimeout(timer);
    pendingPurges.clear();
  });

  app.widgets.add(
    'article.afterBody',
    10,
    async ({ req, article }) => (article ? <ReactionBar articleId={article.id} counts={await reactions.counts({ kind: 'article', id: article.id })} i18n={req.i18n} /> : null),
    'reactions',
    { ttlMs: 60_000 },
  );

  // The page's reader state (platform/reader-state.ts): the bar's counts and mine, null without a published article.
  app.readerState.add('reactions', State, async (ctx) => {
    const subject = ctx.articleId ? await app.subjects.describe({ kind: 'article', id: ctx.articleId }) : null;
    if (!subject) return null;
    return stateFor(subject, ctx.reader, ctx.wrote);
  });

  async function stateFor(subject: SubjectInfo, reader: Reader, wrote: boolean) {
    if (wrote) return reactions.state(subject, reader);
    // A browser that never reacted: the counts every such reader shares, kept for a
    // moment (and purged with the article's page), so a busy article's views ask the
    // database once per COUNTS_KEPT_MS instead of once each.
    return { counts: await app.memo.get(countsKey(subject), { ttlMs: COUNTS_KEPT_MS, tags: subject.tags }, () => reactions.counts(subject)), mine: null };
  }

  // A reader asking for the bar's state gets a reader cookie, so that a reaction
  // later on the page comes from a known reader (the anti-stuffing rule).
  async function readState(req: FastifyRequest, reply: FastifyReply, subject: SubjectInfo) {
    reply.header('cache-control', 'no-store');
    return stateFor(subject, req.reader(reply), mayHaveWritten(req.cookies, app.secret, !!req.user));
  }
  async function setReaction(req: FastifyRequest, reply: FastifyReply, subject: SubjectInfo, raw: string) {
    const kind = kindOf(raw);
    const reader = req.reader(reply);
    await mayCount(req, subject);
    const state = await reactions.set(subject, reader, kind);
    changed(req, reply, subject);
    return reply.header('cache-control', 'no-store').send(state);
  }
  async function withdrawReaction(req: FastifyRequest, reply: FastifyReply, subject: SubjectInfo) {
    const state = await reactions.withdraw(subject, req.reader(reply));
    changed(req, reply, subject);
    return reply.header('cache-control', 'no-store').send(state);
  }

  app.get('/api/articles/:id/reaction', { schema: { ...api, summary: 'Reaction counts of an article and the reader’s own reaction' } }, async (req, reply) =>
    readState(req, reply, await visibleSubject('article', req.params.id)),
  );
  app.put('/api/articles/:id/reaction', { schema: { ...api, summary: 'Set (or switch) the reader’s reaction', body: SetBody }, preHandler: limits }, async (req, reply) =>
    setReaction(req, reply, await visibleSubject('article', req.params.id), req.body.kind),
  );
  app.delete('/api/articles/:id/reaction', { schema: { ...api, summary: 'Withdraw the reader’s reaction' }, preHandler: limits }, async (req, reply) =>
    withdrawReaction(req, reply, await visibleSubject('article', req.params.id)),
  );

  // The same for any subject kind of the registry (forum posts, ads, … as they come).
  const subjectApi = { tags: ['reactions'], params: SubjectParams, response: { 200: State } };
  app.get('/api/subjects/:kind/:id/reaction', { schema: { ...subjectApi, summary: 'Reaction counts of a subject (article, forum post, …) and the reader’s own reaction' } }, async (req, reply) =>
    readState(req, reply, await visibleSubject(req.params.kind, req.params.id)),
  );
  app.put('/api/subjects/:kind/:id/reaction', { schema: { ...subjectApi, summary: 'Set (or switch) the reader’s reaction to a subject', body: SetBody }, preHandler: limits }, async (req, reply) =>
    setReaction(req, reply, await visibleSubject(req.params.kind, req.params.id), req.body.kind),
  );
  app.delete('/api/subjects/:kind/:id/reaction', { schema: { ...subjectApi, summary: 'Withdraw the reader’s reaction to a subject' }, preHandler: limits }, async (req, reply) =>
    withdrawReaction(req, reply, await visibleSubject(req.params.kind, req.params.id)),
  );

  // The bar without JavaScript: the same kind again withdraws, another switches.
  // `action` is where the form posts, `back` where the reader returns to.
  async function formReaction(req: FastifyRequest, reply: FastifyReply, subject: SubjectInfo, raw: string, action: string, back: string) {
    const kind = kindOf(raw);
    // A browser without scripts met no island call before this click, so it comes
    // without a reader cookie: it gets one now and one more button to press, whose
    // post then comes from a reader issued before it (the anti-stuffing rule).
    const unproven = req.readerStanding().kind === 'unproven';
    const reader = req.reader(reply);
    if (unproven) {
      const title = req.i18n.t('reactions.title');
      const notice = req.i18n.t('reactions.confirm', { kind: req.i18n.t(`reactions.${kind}`) });
      const form = <PostButton action={action} csrf={req.csrfToken()} label={req.i18n.t('reactions.confirmButton')} hidden={{ kind }} />;
      return app.pages.send(req, reply.header('cache-control', 'no-store'), <FormPage ctx={app.pages.context(req)} title={title} notice={notice}>{form}<p><a href={back}>{req.i18n.t('reactions.back')}</a></p></FormPage>);
    }
    if ((await reactions.mine(subject, reader)) !== kind) await mayCount(req, subject);
    await reactions.toggle(subject, reader, kind);
    changed(req, reply, subject);
    return reply.redirect(back, 303);
  }
  const formResponses = { 200: html('A browser that came without a reader cookie: one more button to press, which then counts'), 303: redirect('Back to where the reaction was given') };
  app.post(
    '/articles/:id/reaction',
    {
      schema: { tags: ['reactions'], summary: 'The bar without JavaScript: set a reaction, switch it, or withdraw it by choosing it again', params: ArticleParams, body: FormBody, response: formResponses },
      config: { csrf: 'origin' },
      preHandler: limits,
    },
    async (req, reply) => {
      const subject = await visibleSubject('article', req.params.id);
      return formReaction(req, reply, subject, req.body.kind, `/articles/${subject.id}/reaction`, `${subject.url}#reactions`);
    },
  );
  // The same for any subject kind (a live entry's «Нравится» without JavaScript).
  app.post(
    '/subjects/:kind/:id/reaction',
    {
      schema: { tags: ['reactions'], summary: 'A reaction to a subject (live entry, forum post, …) from a form without JavaScript: set, switch, or withdraw by choosing it again', params: SubjectParams, body: FormBody, response: formResponses },
      config: { csrf: 'origin' },
      preHandler: limits,
    },
    async (req, reply) => {
      const subject = await visibleSubject(req.params.kind, req.params.id);
      return formReaction(req, reply, subject, req.body.kind, `/subjects/${subject.kind}/${subject.id}/reaction`, subject.url);
    },
  );

  // No foreign key holds reactions to their article: content says when one is gone.
  app.events.on('article.changed', async ({ articleId, action }) => {
    if (action === 'deleted') await reactions.forgetSubject({ kind: 'article', id: articleId });
  });
  app.readerRows.add(reactions.readerRows);
}

export default fp(reactionsModule, { name: 'reactions', dependencies: ['content'], decorators: { fastify: ['content', 'events', 'extensions', 'widgets', 'subjects', 'readerRows', 'readerState'] } });
