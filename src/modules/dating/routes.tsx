// The dating section: its pages (/dating/…) and JSON (/api/dating/…), every answer
// per reader with `Cache-Control: private, no-store` and never page-cached. Who
// may see what (service.view): nobody without a profile of their own sees any
// profile; a profile is seen by its matches and by mutually compatible readers;
// a block hides both from each other everywhere here. The chat is the messages
// module's, under this module's policy (chat.ts); the back office is
// admin-routes.tsx, the teaser on news pages teaser.tsx.
import fp from 'fastify-plugin';
import multipart from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import { DomainError } from '../../platform/errors.js';
import { domainMessage } from '../../platform/i18n/index.js';
import { html, pageResponses, redirect, RowId } from '../../platform/openapi.js';
import { ipHash } from '../../platform/reader.js';
import { ROLES } from '../../platform/roles.js';
import { DAY } from '../../platform/limits.js';
import { addFooterSection } from '../../web/components/footer.js';
import { readUpload, type ImageRef } from '../media/index.js';
import { threadPath, startPath } from '../messages/index.js';
import { createDating, REPORT_MESSAGES_MAX, type Card, type DatingService, type SearchFilters } from './service.js';
import { createPhotos, type DatingPhotos } from './photos.js';
import { createDatingAdmin, type DatingAdmin } from './admin.js';
import { fieldCipher, keyringOf } from './crypto.js';
import { createKeyRotation, type KeyRotation } from './rotate.js';
import { DATING_SETTINGS, districtsOf, NO_STORE } from './settings.js';
import { datingLimiter } from './limits.js';
import { datingPolicy } from './chat.js';
import { profileQueue } from './queue.js';
import { installTeaser } from './teaser.js';
import { GENDERS, INTENTIONS, type Gender, type Intention, type ReportedMessage } from './schema.js';
import { CreatePage, HeldPage, Landing, ListPage, MatchesPage, MePage, ProfilePage, ReportPage, SearchPage, StreamPage, type FormValues } from './views/pages.js';
import type { Photos } from './views/parts.js';
import adminRoutes from './admin-routes.js';
import './schema.js';

export interface Dating {
  service: DatingService;
  photos: DatingPhotos;
  admin: DatingAdmin;
  /** Moves the encrypted fields to the newest key (`gorod dating rotate-key`). */
  rotation: KeyRotation;
  /** Deletes a profile with everything of it, and tells messages (its conversations show «Профиль удалён»). */
  deleteProfile(userId: number): Promise<boolean>;
}

declare module 'fastify' {
  interface FastifyInstance {
    dating: Dating;
  }
}

const tags = ['dating'];
const SIGNED_IN = [...ROLES];
const Csrf = Type.Optional(Type.String({ maxLength: 200 }));
const Id = Type.Object({ id: RowId() });
const Num = Type.String({ pattern: '^[0-9]{0,3}$' });
const ProfileForm = Type.Object({
  _csrf: Csrf,
  displayName: Type.String({ maxLength: 200 }),
  gender: Type.String({ maxLength: 20 }),
  seek: Type.String({ maxLength: 20 }),
  ageMin: Num,
  ageMax: Num,
  intention: Type.String({ maxLength: 40 }),
  district: Type.String({ maxLength: 200 }),
  about: Type.Optional(Type.String({ maxLength: 5000 })),
  interests: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Array(Type.String({ maxLength: 40 }), { maxItems: 30 })])),
  visibility: Type.Optional(Type.String({ maxLength: 20 })),
  teaser: Type.Optional(Type.Literal('1')),
});
const CreateForm = Type.Composite([ProfileForm, Type.Object({ birthDate: Type.String({ maxLength: 40 }), consent: Type.Optional(Type.Literal('1')), rules: Type.Optional(Type.Literal('1')) })]);
const SearchQuery = Type.Object({
  gender: Type.Optional(Type.Union([Type.Literal(''), ...GENDERS.map((g) => Type.Literal(g))])),
  ageMin: Type.Optional(Num),
  ageMax: Type.Optional(Num),
  intention: Type.Optional(Type.Union([Type.Literal(''), ...INTENTIONS.map((g) => Type.Literal(g))])),
  district: Type.Optional(Type.String({ maxLength: 200 })),
  photo: Type.Optional(Type.Literal('1')),
  online: Type.Optional(Type.Literal('1')),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});
const DONE = ['created', 'saved', 'liked', 'matched', 'undone', 'blocked', 'unblocked', 'reported', 'unmatched', 'deleted', 'photo', 'verify'] as const;
const DoneQuery = Type.Object({ done: Type.Optional(Type.Union(DONE.map((d) => Type.Literal(d)))) });
const MessageIdText = Type.String({ pattern: '^[1-9][0-9]{0,9}$' });
const ReportForm = Type.Object({
  _csrf: Csrf,
  reason: Type.String({ maxLength: 40 }),
  text: Type.Optional(Type.String({ maxLength: 5000 })),
  // The messages from the reported person to attach (checkboxes), or «the last 20».
  messages: Type.Optional(Type.Union([MessageIdText, Type.Array(MessageIdText, { maxItems: 100 })])),
  attachLast: Type.Optional(Type.Literal('1')),
});
const MatchesQuery = Type.Composite([DoneQuery, Type.Object({ about: Type.Optional(RowId()) })]);
const Back = Type.Object({ _csrf: Csrf, back: Type.Optional(Type.Literal('stream')) });
const ErrorBody = Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String() }) });
const CardJson = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  age: Type.Integer(),
  gender: Type.String(),
  district: Type.String(),
  interests: Type.Array(Type.String()),
  intention: Type.String(),
  about: Type.String(),
  verified: Type.Boolean(),
  online: Type.Boolean(),
  photos: Type.Array(Type.String({ description: 'an approved photo’s URL' })),
  url: Type.String(),
});
const json = (schema: ReturnType<typeof Type.Object> | ReturnType<typeof Type.Array>) => ({ 200: schema, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 429: ErrorBody });

const doneText: Record<(typeof DONE)[number], `dating.${string}`> = {
  created: 'dating.created',
  saved: 'dating.saved',
  liked: 'dating.liked',
  matched: 'dating.matched',
  undone: 'dating.undone',
  blocked: 'dating.blocked',
  unblocked: 'dating.saved',
  reported: 'dating.report.sent',
  unmatched: 'dating.unmatched',
  deleted: 'dating.deleted',
  photo: 'dating.photo.added',
  verify: 'dating.verify.sent',
};

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const int = (v: string | undefined, fallback: number) => (v === undefined || v === '' ? fallback : Number(v));
const firstJpeg = (image: ImageRef) => {
  const jpeg = image.variants.filter((v) => v.format === 'jpeg').sort((a, b) => a.width - b.width)[0];
  return image.base + (jpeg?.file ?? image.variants[0]?.file ?? '');
};

async function datingModule(app: App) {
  const db = app.database.db;
  const districts = async () => districtsOf(await app.settings.get(DATING_SETTINGS.districts));
  const cipher = fieldCipher(keyringOf(app.secret, app.config.datingKeys));
  const service = createDating({ db, clock: app.clock, cipher, timezone: app.config.timezone, districts, onlineMinutes: () => app.settings.get(DATING_SETTINGS.onlineMinutes) });
  const photos = createPhotos({ db, clock: app.clock });
  const admin = createDatingAdmin({ db, clock: app.clock, timezone: app.config.timezone });
  const me = (u: number) => ({ kind: 'user' as const, id: u });

  /** The conversations of a pair end (unmatch, block): messages removes them for both. */
  async function endChats(a: number, b: number) {
    for (const id of await app.messages.between(me(a), me(b), 'profile')) await app.messages.remove(id);
  }
  async function deleteProfile(userId: number): Promise<boolean> {
    const gone = await service.remove(userId);
    if (!gone) return false;
    // The photos' files go too, at once (not left unreachable on disk).
    await app.media.remove(gone.imageIds);
    // The conversations are about either side's profile: the deleted side is gone in both kinds.
    for (const subject of [userId, ...gone.matchedWith]) await app.messages.partyGone(me(userId), { kind: 'profile', id: subject });
    return true;
  }
  app.decorate('dating', { service, photos, admin, rotation: createKeyRotation({ db, cipher }), deleteProfile });

  /**
   * The messages a report carries, copied now: those the reporter received from the
   * reported person in their own dating conversations (removed ones too, while
   * messages keeps them). `attachLast` takes the newest ${REPORT_MESSAGES_MAX}; ids
   * that are not such messages refuse the whole report (403), nothing stored.
   */
  async function evidence(reporterId: number, targetId: number, ids: number[], attachLast: boolean): Promise<ReportedMessage[]> {
    const wanted = [...new Set(ids)];
    if (wanted.length > REPORT_MESSAGES_MAX) throw new DomainError('dating.report_messages_max', { max: REPORT_MESSAGES_MAX }, 400);
    if (!attachLast && !wanted.length) return [];
    const found = await app.messages.receivedFrom(me(reporterId), me(targetId), 'profile', attachLast ? { limit: REPORT_MESSAGES_MAX } : { ids: wanted, limit: wanted.length });
    if (!attachLast && found.length !== wanted.length) throw new DomainError('dating.report_messages_foreign', {}, 403);
    // Oldest first, as the conversation reads.
    return found.map((m) => ({ id: m.id, text: m.text, at: m.at.toISOString(), senderId: targetId })).reverse();
  }

  // A profile is never a public subject: describe tells an anonymous reader nothing,
  // so comments, reactions and the generic report route cannot attach to it (dating
  // takes its own reports, with its own reasons, and puts them in the queue).
  app.subjects.register({ kind: 'profile', owner: 'dating', describe: async () => new Map() });
  app.moderation.addKind(profileQueue({ admin, deleteProfile }));
  app.messages.policies.add(datingPolicy({ service, settings: app.settings, clock: app.clock, createRateLimit: app.createRateLimit.bind(app), timezone: app.config.timezone }));
  app.notifications.kinds.define({ kind: 'dating_match', defaults: { site: true, mail: true }, mailWindowMs: 10 * 60_000 });
  app.events.on('user.deleting', async ({ userId }) => {
    await deleteProfile(userId);
    await service.forgetAccount(userId);
  });
  addFooterSection(app.pages.footer, { href: '/dating/', label: 'footer.dating', order: 30 });
  // «Export my data»: the own profile decrypted, photos' states, blocks.
  app.accounts.addExport('dating', async (userId) => {
    const own = await service.own(userId);
    if (!own) return null;
    const rows = (await photos.of([userId], true)).get(userId) ?? [];
    return { profile: own, photos: rows.map((p) => ({ status: p.status })), blocked: (await service.blockedBy(userId)).map((b) => b.id) };
  });
  installTeaser(app, service, photos);

  const limits = {
    like: datingLimiter(app, 'like', [
      { per: 'account', max: DATING_SETTINGS.likesPer10s, window: 10_000 },
      { per: 'account', max: DATING_SETTINGS.likesPerDay, window: DAY },
      { per: 'ip', max: DATING_SETTINGS.likesPerIpPerDay, window: DAY },
    ]),
    report: datingLimiter(app, 'report', [
      { per: 'account', max: DATING_SETTINGS.reportsPer30s, window: 30_000 },
      { per: 'account', max: DATING_SETTINGS.reportsPerDay, window: DAY },
      { per: 'ip', max: DATING_SETTINGS.reportsPerDay, window: DAY },
    ]),
    search: datingLimiter(app, 'search', [
      { per: 'account', max: DATING_SETTINGS.searchesPer30s, window: 30_000 },
      { per: 'ip', max: DATING_SETTINGS.searchesPerIpPer30s, window: 30_000 },
    ]),
    create: datingLimiter(app, 'create', [{ per: 'ip', max: DATING_SETTINGS.profilesPerIpPerDay, window: DAY }]),
  };
  const writes = { max: 60, timeWindow: '1 minute' };

  async function photosOf(ids: number[]): Promise<Photos> {
    const rows = await photos.of(ids);
    const images = await app.media.get([...rows.values()].flat().map((p) => p.imageId));
    return new Map([...rows].map(([id, list]) => [id, list.flatMap((p) => (images.has(p.imageId) ? [images.get(p.imageId)!] : []))]));
  }
  const cardJson = (c: Card, p: Photos) => ({ id: c.id, name: c.name, age: c.age, gender: c.gender, district: c.district, interests: c.interests, intention: c.intention, about: c.about, verified: c.verified, online: c.online, photos: (p.get(c.id) ?? []).map(firstJpeg), url: `/dating/p/${c.id}` });

  /** The reader's standing: anonymous, no profile, a held profile, or a profile (with their compatibility side). */
  async function standing(req: FastifyRequest) {
    const user = req.user;
    if (!user) return { kind: 'anonymous' as const };
    const m = await service.me(user.id);
    if (m) {
      await service.touch(user.id);
      return { kind: 'profile' as const, me: m };
    }
    const own = (await service.exists(user.id)) ? await service.own(user.id) : null;
    return own?.held ? { kind: 'held' as const, held: own.held } : { kind: 'none' as const };
  }
  /** The viewer's side, or the refusal: 401 anonymous, 403 no profile (the pages turn both into the entry). */
  async function need(req: FastifyRequest) {
    const s = await standing(req);
    if (s.kind === 'anonymous') throw new DomainError('dating.no_profile', {}, 401);
    if (s.kind !== 'profile') throw new DomainError('dating.no_profile', {}, 403);
    return s.me;
  }
  /** A page for a reader with a profile; anyone else goes to /dating/, which tells them what to do. */
  async function needPage(req: FastifyRequest, reply: FastifyReply) {
    const s = await standing(req);
    if (s.kind !== 'profile') {
      void reply.redirect('/dating/', 303);
      return null;
    }
    return s.me;
  }
  const notice = (req: FastifyRequest, done?: (typeof DONE)[number]) => (done ? req.i18n.t(doneText[done] as never) : undefined);
  const chatPath = async (a: number, b: number) => {
    const [id] = await app.messages.between(me(a), me(b), 'profile');
    return id ? threadPath(id) : startPath({ kind: 'profile', id: b }, me(b));
  };

  async function like(req: FastifyRequest, target: number) {
    const m = await need(req);
    const result = await service.like(m, target);
    if (result.matched) {
      const [mine, theirs] = await Promise.all([service.own(m.id), service.own(target)]);
      const excerpt = req.i18n.t('dating.notify.match');
      await app.notifications.notifyMany([
        { recipientId: target, kind: 'dating_match', subject: { kind: 'profile', id: m.id }, url: `/dating/p/${m.id}`, actorName: mine?.displayName ?? '', excerpt },
        { recipientId: m.id, kind: 'dating_match', subject: { kind: 'profile', id: target }, url: `/dating/p/${target}`, actorName: theirs?.displayName ?? '', excerpt },
      ]);
    }
    return result;
  }

  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    // Every dating answer, pages, JSON and errors alike, is this reader's only.
    scope.addHook('onSend', async (_req, reply, payload) => {
      reply.header('cache-control', NO_STORE);
      return payload;
    });

    // ---------- pages ----------

    scope.get('/dating/', { schema: { tags, summary: 'The section: an invitation (anonymous), the profile form (no profile), or the card stream', querystring: DoneQuery, response: { 200: html('The page') } } }, async (req, reply) => {
      const ctx = app.pages.context(req);
      const s = await standing(req);
      if (s.kind === 'anonymous') return app.pages.send(req, reply, <Landing ctx={ctx} />);
      if (s.kind === 'none') return app.pages.send(req, reply, <CreatePage ctx={ctx} csrf={req.csrfToken()} values={{ ageMin: 18, ageMax: 99 }} districts={await districts()} />);
      if (s.kind === 'held') return app.pages.send(req, reply, <HeldPage ctx={ctx} held={s.held} />);
      const [card] = await service.stream(s.me, 1);
      const p = await photosOf(card ? [card.id] : []);
      return app.pages.send(req, reply, <StreamPage ctx={ctx} csrf={req.csrfToken()} card={card ?? null} photos={p} notice={notice(req, req.query.done)} canUndo={await service.hasSkip(s.me.id)} />);
    });

    scope.post(
      '/dating/profile',
      { config: { roles: SIGNED_IN, rateLimit: writes }, preHandler: limits.create, schema: { tags, summary: 'Create the reader’s profile (birth date 18+, the consent and the rules)', body: CreateForm, response: pageResponses({ 303: redirect('To «Моя анкета»'), 400: html('The form again with the reason'), 409: html('A profile exists') }) } },
      async (req, reply) => {
        const b = req.body;
        try {
          await service.create(req.user!.id, { ...formInput(b), birthDate: b.birthDate, consent: b.consent === '1', consentText: req.i18n.t('dating.consent.text'), rules: b.rules === '1', ipHash: ipHash(app.secret, req.ip) });
        } catch (err) {
          if (!(err instanceof DomainError) || err.statusCode >= 500 || err.code === 'dating.profile_exists') throw err;
          reply.code(err.statusCode);
          const values: FormValues = { ...formInput(b), birthDate: b.birthDate.slice(0, 10) };
          return app.pages.send(req, reply, <CreatePage ctx={app.pages.context(req)} csrf={req.csrfToken()} values={values} districts={await districts()} error={domainMessage(req.i18n, err)} />, { status: err.statusCode });
        }
        return reply.redirect('/dating/me?done=created', 303);
      },
    );

    scope.get('/dating/search', { preHandler: limits.search, schema: { tags, summary: 'Search: only mutually compatible profiles', querystring: SearchQuery, response: pageResponses({ 200: html('Results'), 303: redirect('To /dating/ without a profile'), 400: html('A bad age range') }) } }, async (req, reply) => {
      const m = await needPage(req, reply);
      if (!m) return reply;
      const f = filtersOf(req.query);
      const cards = await service.search(m, f, req.query.page ?? 1);
      return app.pages.send(req, reply, <SearchPage ctx={app.pages.context(req)} filters={f} cards={cards} photos={await photosOf(cards.map((c) => c.id))} districts={await districts()} />);
    });

    scope.get('/dating/likes', { schema: { tags, summary: '«Вы понравились»: who liked me', response: pageResponses({ 200: html('The list'), 303: redirect('To /dating/ without a profile') }) } }, async (req, reply) => {
      const m = await needPage(req, reply);
      if (!m) return reply;
      const cards = await service.likedMe(m);
      return app.pages.send(req, reply, <ListPage ctx={app.pages.context(req)} title={req.i18n.t('dating.likes.title')} cards={cards} photos={await photosOf(cards.map((c) => c.id))} empty={req.i18n.t('dating.likes.empty')} />);
    });

    scope.get('/dating/matches', { schema: { tags, summary: 'My matches, each with its conversation', querystring: MatchesQuery, response: pageResponses({ 200: html('The list'), 303: redirect('To /dating/ without a profile') }) } }, async (req, reply) => {
      const m = await needPage(req, reply);
      if (!m) return reply;
      const matches = await service.matches(m.id);
      const chats = new Map(await Promise.all(matches.map(async (x) => [x.id, await chatPath(m.id, x.id)] as const)));
      // After an unmatch: the way to a report stays open (the profile's page may not be).
      const about = req.query.done === 'unmatched' && req.query.about && (await service.reportTarget(m, req.query.about)) ? req.query.about : undefined;
      return app.pages.send(req, reply, <MatchesPage ctx={app.pages.context(req)} matches={matches} photos={await photosOf(matches.map((x) => x.id))} chats={chats} notice={notice(req, req.query.done)} reportAfter={about} />);
    });

    scope.get('/dating/p/:id', { schema: { tags, summary: 'A profile: to its matches and to mutually compatible readers only', params: Id, querystring: DoneQuery, response: pageResponses({ 200: html('The profile'), 303: redirect('To /dating/ without a profile'), 404: html('Not available') }) } }, async (req, reply) => {
      const m = await needPage(req, reply);
      if (!m) return reply;
      const card = await service.view(m, req.params.id);
      if (!card) throw new DomainError('dating.not_available', {}, 404);
      const p = await photosOf([card.id]);
      const chat = card.matchedAt ? await chatPath(m.id, card.id) : null;
      const received = card.matchedAt ? await app.messages.receivedFrom(me(m.id), me(card.id), 'profile', { limit: REPORT_MESSAGES_MAX }) : [];
      return app.pages.send(req, reply, <ProfilePage ctx={app.pages.context(req)} csrf={req.csrfToken()} card={card} photos={p.get(card.id) ?? []} chat={chat} notice={notice(req, req.query.done)} evidence={received} />);
    });

    scope.get('/dating/p/:id/report', { schema: { tags, summary: 'The report form: reasons, details, and the messages from this person that may go with it (after an unmatch too)', params: Id, response: pageResponses({ 200: html('The form'), 303: redirect('To /dating/ without a profile'), 404: html('Not available') }) } }, async (req, reply) => {
      const m = await needPage(req, reply);
      if (!m) return reply;
      const target = await service.reportTarget(m, req.params.id);
      if (!target) throw new DomainError('dating.not_available', {}, 404);
      const received = await app.messages.receivedFrom(me(m.id), me(target.id), 'profile', { limit: REPORT_MESSAGES_MAX });
      return app.pages.send(req, reply, <ReportPage ctx={app.pages.context(req)} csrf={req.csrfToken()} target={target} evidence={received} />);
    });

    scope.get('/dating/me', { schema: { tags, summary: '«Моя анкета»: edit, photos, verification, visibility, blocks, deletion', querystring: DoneQuery, response: pageResponses({ 200: html('The page'), 303: redirect('To /dating/ without a profile') }) } }, async (req, reply) => {
      if (!req.user) return reply.redirect('/dating/', 303);
      return mePage(req, reply, notice(req, req.query.done));
    });

    async function mePage(req: FastifyRequest, reply: FastifyReply, note?: string, error?: string) {
      const profile = await service.own(req.user!.id);
      if (!profile) return reply.redirect('/dating/', 303);
      const own = (await photos.of([profile.userId], true)).get(profile.userId) ?? [];
      const images = await app.media.get(own.map((p) => p.imageId));
      const verification = await photos.verificationState(profile.userId);
      const pose = verification === 'asked' ? await photos.pose(profile.userId) : null;
      return app.pages.send(
        req,
        reply,
        <MePage ctx={app.pages.context(req)} csrf={req.csrfToken()} profile={profile} photos={own.map((p) => ({ id: p.id, status: p.status, image: images.get(p.imageId) }))} districts={await districts()} verification={verification} pose={pose} blocked={await service.blockedBy(profile.userId)} notice={note} error={error} />,
        { status: reply.statusCode },
      );
    }

    scope.post('/dating/me', { config: { roles: SIGNED_IN, rateLimit: writes }, schema: { tags, summary: 'Save my profile', body: ProfileForm, response: pageResponses({ 303: redirect('Back to «Моя анкета»'), 400: html('The form again with the reason') }) } }, async (req, reply) => {
      try {
        await service.update(req.user!.id, formInput(req.body));
      } catch (err) {
        if (!(err instanceof DomainError) || err.statusCode !== 400) throw err;
        reply.code(400);
        return mePage(req, reply, undefined, domainMessage(req.i18n, err));
      }
      return reply.redirect('/dating/me?done=saved', 303);
    });

    scope.post('/dating/me/delete', { config: { roles: SIGNED_IN, rateLimit: writes }, schema: { tags, summary: 'Delete my profile with its photos, likes, matches and encrypted data, at once', body: Type.Object({ _csrf: Csrf, confirm: Type.Optional(Type.Literal('1')) }), response: pageResponses({ 303: redirect('To /dating/'), 400: html('Not confirmed') }) } }, async (req, reply) => {
      if (req.body.confirm !== '1') throw new DomainError('dating.not_found', {}, 400);
      await deleteProfile(req.user!.id);
      return reply.redirect('/dating/?done=deleted', 303);
    });

    const backTo = (req: FastifyRequest, id: number, done: string) => ((req.body as { back?: string } | undefined)?.back === 'stream' ? `/dating/?done=${done}` : `/dating/p/${id}?done=${done}`);

    scope.post('/dating/p/:id/like', { config: { roles: SIGNED_IN }, preHandler: limits.like, schema: { tags, summary: 'Like a profile; a mutual like is a match (both notified)', params: Id, body: Back, response: pageResponses({ 303: redirect('Back'), 403: html('No profile'), 404: html('Not available'), 429: html('Too many likes') }) } }, async (req, reply) => {
      const r = await like(req, req.params.id);
      return reply.redirect(r.matched ? `/dating/p/${req.params.id}?done=matched` : backTo(req, req.params.id, 'liked'), 303);
    });
    scope.post('/dating/p/:id/skip', { config: { roles: SIGNED_IN }, preHandler: limits.like, schema: { tags, summary: 'Skip a profile in the stream', params: Id, body: Back, response: pageResponses({ 303: redirect('To the stream'), 404: html('Not available') }) } }, async (req, reply) => {
      await service.skip(await need(req), req.params.id);
      return reply.redirect('/dating/', 303);
    });
    scope.post('/dating/undo', { config: { roles: SIGNED_IN, rateLimit: writes }, schema: { tags, summary: 'Bring back the last skipped profile', body: Back, response: pageResponses({ 303: redirect('To the stream') }) } }, async (req, reply) => {
      const m = await need(req);
      await service.undoSkip(m.id);
      return reply.redirect('/dating/?done=undone', 303);
    });
    scope.post('/dating/p/:id/unmatch', { config: { roles: SIGNED_IN, rateLimit: writes }, schema: { tags, summary: 'End a match: the conversation goes for both', params: Id, body: Back, response: pageResponses({ 303: redirect('To matches'), 404: html('No such match') }) } }, async (req, reply) => {
      const m = await need(req);
      if (!(await service.unmatch(m.id, req.params.id))) throw new DomainError('dating.not_available', {}, 404);
      await endChats(m.id, req.params.id);
      return reply.redirect(`/dating/matches?done=unmatched&about=${req.params.id}`, 303);
    });
    scope.post('/dating/p/:id/block', { config: { roles: SIGNED_IN, rateLimit: writes }, schema: { tags, summary: 'Block: the other never sees me again in dating; a match ends', params: Id, body: Back, response: pageResponses({ 303: redirect('To the stream'), 404: html('Not available') }) } }, async (req, reply) => {
      const m = await need(req);
      if (!(await service.view(m, req.params.id)) && !(await service.matchedAt(m.id, req.params.id))) {
        // Only someone the reader could meet here; else nothing tells whether the id exists.
        const met = await service.exists(req.params.id);
        if (!met) throw new DomainError('dating.not_available', {}, 404);
      }
      const { wasMatched } = await service.block(m.id, req.params.id);
      if (wasMatched) await endChats(m.id, req.params.id);
      return reply.redirect('/dating/?done=blocked', 303);
    });
    scope.post('/dating/p/:id/unblock', { config: { roles: SIGNED_IN, rateLimit: writes }, schema: { tags, summary: 'Lift my block', params: Id, body: Back, response: pageResponses({ 303: redirect('To «Моя анкета»') }) } }, async (req, reply) => {
      await service.unblock(req.user!.id, req.params.id);
      return reply.redirect('/dating/me?done=unblocked', 303);
    });
    scope.post('/dating/p/:id/report', { config: { roles: SIGNED_IN }, preHandler: limits.report, schema: { tags, summary: 'Report a profile (fake, underage, spam, offensive, scam) with the messages from it ticked; «underage» hides it at once', params: Id, body: ReportForm, response: pageResponses({ 303: redirect('Back'), 400: html('Too many messages'), 403: html('A message not from this person to me'), 404: html('Not available'), 409: html('Reported already') }) } }, async (req, reply) => {
      const m = await need(req);
      const attached = await evidence(m.id, req.params.id, list(req.body.messages).map(Number), req.body.attachLast === '1');
      await service.report(m, req.params.id, req.body.reason, req.body.text ?? '', attached);
      return reply.redirect('/dating/?done=reported', 303);
    });

    // ---------- photos and verification (multipart: same-origin proof, as a form cannot carry the token before its file) ----------

    await scope.register(async (plainUploads) => {
      const uploads = plainUploads.withTypeProvider<TypeBoxTypeProvider>();
      if (!uploads.hasContentTypeParser('multipart/form-data')) await uploads.register(multipart, { limits: { fileSize: app.config.maxUploadBytes, files: 1, fields: 3 } });
      const store = async (req: FastifyRequest) => {
        const bytes = await readUpload(req, app.config.maxUploadBytes);
        if (!bytes) throw new DomainError('dating.not_found', {}, 400);
        return app.media.store(bytes, { createdBy: req.user!.id });
      };
      uploads.post('/dating/me/photos', { config: { roles: SIGNED_IN, csrf: 'origin', rateLimit: { max: 20, timeWindow: '10 minutes' } }, schema: { tags, summary: 'Add a photo (multipart, one file): it waits for a moderator', consumes: ['multipart/form-data'], response: pageResponses({ 303: redirect('To «Моя анкета»'), 403: html('No profile'), 409: html('Six photos already'), 413: html('Too large'), 415: html('Not an image') }) } }, async (req, reply) => {
        if (!(await service.exists(req.user!.id))) throw new DomainError('dating.no_profile', {}, 403);
        const image = await store(req);
        await photos.add(req.user!.id, image.id);
        return reply.redirect('/dating/me?done=photo#photos', 303);
      });
      uploads.post('/dating/me/verification', { config: { roles: SIGNED_IN, csrf: 'origin', rateLimit: { max: 10, timeWindow: '10 minutes' } }, schema: { tags, summary: 'Send the verification photo in the pose asked', consumes: ['multipart/form-data'], response: pageResponses({ 303: redirect('To «Моя анкета»'), 409: html('No pose asked') }) } }, async (req, reply) => {
        if (!(await service.exists(req.user!.id))) throw new DomainError('dating.no_profile', {}, 403);
        if ((await photos.verificationState(req.user!.id)) !== 'asked') throw new DomainError('dating.no_pose', {}, 409);
        const image = await store(req);
        await photos.submit(req.user!.id, image.id);
        return reply.redirect('/dating/me?done=verify#verify', 303);
      });
    });
    scope.post('/dating/me/photos/:id/delete', { config: { roles: SIGNED_IN, rateLimit: writes }, schema: { tags, summary: 'Remove one of my photos', params: Id, body: Back, response: pageResponses({ 303: redirect('To «Моя анкета»') }) } }, async (req, reply) => {
      const imageId = await photos.remove(req.user!.id, req.params.id);
      if (imageId !== null) await app.media.remove([imageId]);
      return reply.redirect('/dating/me#photos', 303);
    });
    scope.post('/dating/me/verification/pose', { config: { roles: SIGNED_IN, rateLimit: writes }, schema: { tags, summary: 'Ask for a pose to verify my photos', body: Back, response: pageResponses({ 303: redirect('To «Моя анкета»'), 403: html('No profile') }) } }, async (req, reply) => {
      if (!(await service.exists(req.user!.id))) throw new DomainError('dating.no_profile', {}, 403);
      await photos.pose(req.user!.id);
      return reply.redirect('/dating/me#verify', 303);
    });

    // ---------- JSON ----------

    scope.get('/api/dating/search', { preHandler: limits.search, schema: { tags, summary: 'The compatible search', querystring: SearchQuery, response: json(Type.Object({ items: Type.Array(CardJson) })) } }, async (req) => {
      const cards = await service.search(await need(req), filtersOf(req.query), req.query.page ?? 1);
      const p = await photosOf(cards.map((c) => c.id));
      return { items: cards.map((c) => cardJson(c, p)) };
    });
    scope.get('/api/dating/stream', { schema: { tags, summary: 'The next cards of the stream', response: json(Type.Object({ items: Type.Array(CardJson) })) } }, async (req) => {
      const cards = await service.stream(await need(req), 5);
      const p = await photosOf(cards.map((c) => c.id));
      return { items: cards.map((c) => cardJson(c, p)) };
    });
    scope.get('/api/dating/likes', { schema: { tags, summary: '«Вы понравились»', response: json(Type.Object({ items: Type.Array(CardJson) })) } }, async (req) => {
      const cards = await service.likedMe(await need(req));
      const p = await photosOf(cards.map((c) => c.id));
      return { items: cards.map((c) => cardJson(c, p)) };
    });
    scope.get('/api/dating/matches', { schema: { tags, summary: 'My matches with their conversation’s address', response: json(Type.Object({ items: Type.Array(Type.Composite([CardJson, Type.Object({ chat: Type.String() })])) })) } }, async (req) => {
      const m = await need(req);
      const matches = await service.matches(m.id);
      const p = await photosOf(matches.map((c) => c.id));
      return { items: await Promise.all(matches.map(async (c) => ({ ...cardJson(c, p), chat: await chatPath(m.id, c.id) }))) };
    });
    scope.get('/api/dating/profiles/:id', { schema: { tags, summary: 'One profile (its matches and compatible readers only)', params: Id, response: json(Type.Composite([CardJson, Type.Object({ matched: Type.Boolean(), likedByMe: Type.Boolean(), likesMe: Type.Boolean() })])) } }, async (req) => {
      const card = await service.view(await need(req), req.params.id);
      if (!card) throw new DomainError('dating.not_available', {}, 404);
      const p = await photosOf([card.id]);
      return { ...cardJson(card, p), matched: !!card.matchedAt, likedByMe: card.likedByMe, likesMe: card.likesMe };
    });
    scope.post('/api/dating/likes', { config: { roles: SIGNED_IN }, preHandler: limits.like, schema: { tags, summary: 'Like a profile: whether it made a match', body: Type.Object({ id: RowId() }), response: json(Type.Object({ matched: Type.Boolean() })) } }, async (req) => {
      const r = await like(req, req.body.id);
      return { matched: r.matched };
    });
    scope.post('/api/dating/skips', { config: { roles: SIGNED_IN }, preHandler: limits.like, schema: { tags, summary: 'Skip a profile', body: Type.Object({ id: RowId() }), response: json(Type.Object({ ok: Type.Boolean() })) } }, async (req) => {
      await service.skip(await need(req), req.body.id);
      return { ok: true };
    });
    scope.delete('/api/dating/skips/last', { config: { roles: SIGNED_IN, rateLimit: writes }, schema: { tags, summary: 'Undo the last skip', response: json(Type.Object({ id: Type.Union([Type.Integer(), Type.Null()]) })) } }, async (req) => {
      const m = await need(req);
      return { id: await service.undoSkip(m.id) };
    });
    scope.post('/api/dating/blocks', { config: { roles: SIGNED_IN, rateLimit: writes }, schema: { tags, summary: 'Block a profile', body: Type.Object({ id: RowId() }), response: json(Type.Object({ ok: Type.Boolean() })) } }, async (req) => {
      const m = await need(req);
      if (!(await service.exists(req.body.id))) throw new DomainError('dating.not_available', {}, 404);
      const { wasMatched } = await service.block(m.id, req.body.id);
      if (wasMatched) await endChats(m.id, req.body.id);
      return { ok: true };
    });
    scope.post('/api/dating/reports', { config: { roles: SIGNED_IN }, preHandler: limits.report, schema: { tags, summary: 'Report a profile, with messages it wrote to me (ids) or the last 20 of them', body: Type.Object({ id: RowId(), reason: Type.String({ maxLength: 40 }), text: Type.Optional(Type.String({ maxLength: 5000 })), messages: Type.Optional(Type.Array(RowId(), { maxItems: 100 })), attachLast: Type.Optional(Type.Boolean()) }), response: { ...json(Type.Object({ held: Type.Boolean() })), 400: ErrorBody, 409: ErrorBody } } }, async (req) => {
      const m = await need(req);
      const attached = await evidence(m.id, req.body.id, req.body.messages ?? [], req.body.attachLast === true);
      const r = await service.report(m, req.body.id, req.body.reason, req.body.text ?? '', attached);
      return { held: r.held };
    });
  });

  await app.register(adminRoutes);
}

function formInput(b: typeof ProfileForm.static) {
  return {
    displayName: b.displayName,
    gender: b.gender,
    seek: b.seek,
    ageMin: int(b.ageMin, 18),
    ageMax: int(b.ageMax, 99),
    intention: b.intention,
    district: b.district,
    about: b.about ?? '',
    interests: list(b.interests),
    visibility: b.visibility,
    teaser: b.teaser === '1',
  };
}

function filtersOf(q: typeof SearchQuery.static): SearchFilters {
  return {
    gender: q.gender ? (q.gender as Gender) : undefined,
    ageMin: q.ageMin ? Number(q.ageMin) : undefined,
    ageMax: q.ageMax ? Number(q.ageMax) : undefined,
    intention: q.intention ? (q.intention as Intention) : undefined,
    district: q.district || undefined,
    withPhoto: q.photo === '1',
    online: q.online === '1',
  };
}

export default fp(datingModule, {
  name: 'dating',
  dependencies: ['accounts', 'notifications', 'moderation', 'messages', 'newsroom'],
  decorators: { fastify: ['accounts', 'media', 'messages', 'moderation', 'notifications', 'settings', 'widgets', 'readerState', 'admin', 'pages'] },
});
