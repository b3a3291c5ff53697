// The one moderators' queue at /admin/moderation for every kind of reader text:
// held texts and reported ones, filterable by kind, each shown where it stands, with
// approve / reject / delete and a ban of its author from the row; the bans in force;
// the settings (stop words, holds, report threshold, trust limits). Every action is
// written to the newsroom's audit log by the service.
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import type { I18n } from '../../platform/i18n/index.js';
import { AdminLayout, adminNav } from '../../web/admin.js';
import { html, MAX_ID, redirect, RowId } from '../../platform/openapi.js';
import { DomainError, HttpError } from '../../platform/errors.js';
import type { SubjectKind } from '../../platform/subjects.js';
import type { BanTerm, QueueItem, Scope } from './service.js';
import type { ModerationSettings } from './settings.js';

const roles = ['moderator', 'editor'] as const;
const staff = { roles: [...roles] };
const tags = ['moderation'];
// A subject kind's shape (article, forum_post, …): letters with single underscores between, so a mangled one is a 400 before the role check.
const Kind = Type.String({ pattern: '^[a-z]+(_[a-z]+)*$', maxLength: 40 });
const QueueQuery = Type.Object({ kind: Type.Optional(Kind), done: Type.Optional(Type.String({ maxLength: 20 })) });
const Decide = Type.Object({ _csrf: Type.Optional(Type.String()), action: Type.Union([Type.Literal('approve'), Type.Literal('reject'), Type.Literal('delete')]), back: Type.Optional(Kind) });
const Ban = Type.Object({
  _csrf: Type.Optional(Type.String()),
  userId: Type.String({ pattern: '^[1-9][0-9]{0,9}$' }),
  reason: Type.String({ maxLength: 300 }),
  // `site`, or `section:7` / `board:3`.
  scope: Type.Optional(Type.String({ pattern: '^(site|(section|board):[1-9][0-9]{0,9})$' })),
  term: Type.Optional(Type.Union([Type.Literal('escalate'), Type.Literal('days'), Type.Literal('until'), Type.Literal('forever')])),
  days: Type.Optional(Type.String({ pattern: '^([1-9][0-9]{0,4})?$' })),
  // An <input type="datetime-local"> in the portal's zone, or an ISO time with its zone.
  until: Type.Optional(Type.String({ maxLength: 40 })),
  back: Type.Optional(Kind),
});
const Settings = Type.Object({
  _csrf: Type.Optional(Type.String()),
  stopWords: Type.String({ maxLength: 30000 }),
  holdFirst: Type.String({ pattern: '^[0-9]{1,2}$' }),
  reportThreshold: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$' })),
  minTypingSeconds: Type.Optional(Type.String({ pattern: '^[0-9]{1,2}$' })),
  linksPerText: Type.Optional(Type.String({ maxLength: 40 })),
  imagesFromLevel: Type.Optional(Type.String({ pattern: '^[0-4]$' })),
  maxUpheldReports: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$' })),
});

/** The hold reasons a phase wrote, in words. */
export function reasonText(i18n: I18n, code: string, minTypingMs: number): string {
  if (code.startsWith('stop_word:')) return i18n.t('moderation.reason.stop_word', { word: code.slice('stop_word:'.length) });
  return i18n.lookup(`moderation.reason.${code}`, { seconds: Math.round(minTypingMs / 1000) }) ?? code;
}

const kindLabel = (i18n: I18n, kind: string) => i18n.lookup(`moderation.kind.${kind}`) ?? kind;

/** A datetime-local value ("2026-12-01T18:30") read in the portal's zone; an ISO time with a zone as it is. */
export function parseBanEnd(value: string, timeZone: string): Date | null {
  if (/(Z|[+-]\d\d:\d\d)$/.test(value)) {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/.test(value)) return null;
  const asUtc = new Date(`${value}Z`);
  if (Number.isNaN(asUtc.getTime())) return null;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(asUtc)
      .map((p) => [p.type, p.value]),
  );
  const shown = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  return new Date(asUtc.getTime() - (shown - asUtc.getTime()));
}

async function moderationAdmin(app: App) {
  const moderation = app.moderation;
  app.admin.add({ href: '/admin/moderation', label: (req) => req.i18n.t('moderation.title'), roles: [...roles], order: 30, badge: () => moderation.queueCount() });

  const tabs = (req: FastifyRequest, current: 'queue' | 'bans' | 'settings') => (
    <nav class="admin-tabs">
      {(['queue', 'bans', 'settings'] as const).map((tab) => (
        <a href={tab === 'queue' ? '/admin/moderation' : `/admin/moderation/${tab}`} aria-current={current === tab ? 'page' : undefined}>
          {req.i18n.t(`moderation.${tab}`)}
        </a>
      ))}
    </nav>
  );

  const scopeOptions = async (req: FastifyRequest, item: QueueItem) => {
    const t = req.i18n;
    const out: { value: string; label: string }[] = [{ value: 'site', label: t.t('moderation.scope.site') }];
    if (item.scope) out.push({ value: `${item.scope.kind}:${item.scope.id}`, label: await scopeLabel(t, item.scope) });
    return out;
  };
  const scopeLabel = async (t: I18n, scope: Scope) => {
    if (scope.kind === 'section') {
      const section = (await app.content.sections()).get(scope.id);
      return t.t('moderation.scope.sectionOf', { title: section?.title ?? String(scope.id) });
    }
    return t.t('moderation.scope.boardOf', { id: scope.id });
  };

  app.get('/admin/moderation', { config: staff, schema: { tags, summary: 'The moderators’ queue: held and reported texts of every kind', querystring: QueueQuery, response: { 200: html('The queue') } } }, async (req, reply) => {
    const kind = req.query.kind && moderation.kinds().includes(req.query.kind as SubjectKind) ? (req.query.kind as SubjectKind) : null;
    const [nav, items, settings] = await Promise.all([adminNav(req, app.admin), moderation.queue(kind), moderation.settings()]);
    const t = req.i18n;
    const csrf = req.csrfToken();
    const rows = await Promise.all(items.map(async (item) => ({ item, scopes: await scopeOptions(req, item) })));
    return app.pages.send(
      req,
      reply,
      <AdminLayout ctx={app.pages.context(req)} title={t.t('moderation.title')} nav={nav}>
        {tabs(req, 'queue')}
        <nav class="mod-filter" aria-label={t.t('moderation.in')}>
          <a href="/admin/moderation" aria-current={kind ? undefined : 'page'}>
            {t.t('moderation.all')}
          </a>
          {moderation.kinds().map((k) => (
            <a href={`/admin/moderation?kind=${k}`} aria-current={kind === k ? 'page' : undefined}>
              {kindLabel(t, k)}
            </a>
          ))}
        </nav>
        {req.query.done && (
          <p class="notice" role="status">
            {req.query.done === 'ban' ? t.t('moderation.banned') : t.t('moderation.done')}
          </p>
        )}
        {items.length === 0 && <p>{t.t('moderation.empty')}</p>}
        <ol class="mod-queue">
          {rows.map(({ item, scopes }) => (
            <li class="mod-queue__item" id={`${item.kind}-${item.id}`}>
              <p class="mod-queue__meta">
                <span class="badge">{kindLabel(t, item.kind)}</span> <strong>{item.authorName ?? t.t('moderation.deletedUser')}</strong>
                {item.authorId === null && item.authorName !== null && <> ({t.t('moderation.guest')})</>} · <time dateTime={item.createdAt.toISOString()}>{t.when(item.createdAt)}</time>
                {item.context && (
                  <>
                    {' '}
                    · {t.t('moderation.in')}: <a href={item.context.url}>{item.context.title}</a>
                  </>
                )}
              </p>
              {item.held && (
                <p class="mod-queue__reason">
                  {t.t('moderation.held')}
                  {item.heldReasons.length > 0 && <>: {item.heldReasons.map((r) => reasonText(t, r, settings.minTypingMs)).join('; ')}</>}
                </p>
              )}
              {item.reports.length > 0 && (
                <p class="mod-queue__reason">
                  {t.t('moderation.reported', { n: item.reports.length })}: {item.reports.map((r) => t.t(`moderation.report.${r.reason}`) + (r.text ? ` («${r.text}»)` : '')).join('; ')}
                </p>
              )}
              <div class="mod-queue__body">{item.body}</div>
              <div class="mod-queue__actions">
                {(['approve', 'reject', 'delete'] as const).map((action) => (
                  <form method="post" action={`/admin/moderation/${item.kind}/${item.id}/decide`}>
                    <input type="hidden" name="_csrf" value={csrf} />
                    {kind && <input type="hidden" name="back" value={kind} />}
                    <input type="hidden" name="action" value={action} />
                    <button class={action === 'approve' ? 'button' : 'button button--secondary'} type="submit">
                      {t.t(`moderation.${action}`)}
                    </button>
                  </form>
                ))}
                {item.authorId && (
                  <form method="post" action="/admin/moderation/bans" class="mod-queue__ban">
                    <input type="hidden" name="_csrf" value={csrf} />
                    {kind && <input type="hidden" name="back" value={kind} />}
                    <input type="hidden" name="userId" value={item.authorId} />
                    <label>
                      {t.t('moderation.banScope')}{' '}
                      <select name="scope">
                        {scopes.map((s) => (
                          <option value={s.value}>{s.label}</option>
                        ))}
                      </select>
                    </label>
                    <label>
                      {t.t('moderation.banTerm')}{' '}
                      <select name="term">
                        {(['escalate', 'days', 'until', 'forever'] as const).map((term) => (
                          <option value={term}>{t.t(`moderation.term.${term}`)}</option>
                        ))}
                      </select>
                    </label>
                    <label>
                      {t.t('moderation.banDays')} <input type="number" name="days" min={1} max={99999} size={4} />
                    </label>
                    <label>
                      {t.t('moderation.banUntil')} <input type="datetime-local" name="until" />
                    </label>
                    <label>
                      {t.t('moderation.banReason')} <input type="text" name="reason" required maxLength={300} />
                    </label>
                    <button class="button button--secondary" type="submit">
                      {t.t('moderation.ban')}
                    </button>
                  </form>
                )}
              </div>
            </li>
          ))}
        </ol>
      </AdminLayout>,
    );
  });

  const back = (kind: string | undefined, done: string) => `/admin/moderation?${kind ? `kind=${kind}&` : ''}done=${done}`;

  app.post(
    '/admin/moderation/:kind/:id/decide',
    { config: staff, schema: { tags, summary: 'Approve, reject or delete a held or reported text', params: Type.Object({ kind: Kind, id: RowId() }), body: Decide, response: { 303: redirect('Back to the queue') } } },
    async (req, reply) => {
      await moderation.decide(req.params.kind, req.params.id, req.body.action, req.user!);
      return reply.redirect(back(req.body.back, req.body.action), 303);
    },
  );

  app.post('/admin/moderation/bans', { config: staff, schema: { tags, summary: 'Ban or suspend an author, site-wide or in one section or board', body: Ban, response: { 303: redirect('Back to the queue') } } }, async (req, reply) => {
    const b = req.body;
    // The patterns allow ten digits; more than PostgreSQL's integer was a 500.
    for (const id of [b.userId, b.scope?.split(':')[1]]) if (id && Number(id) > MAX_ID) throw new HttpError(400, 'validation', req.i18n.t('error.noSuchNumber', { id }));
    let term: BanTerm;
    const choice = b.term ?? (b.days ? 'days' : b.until ? 'until' : 'escalate');
    if (choice === 'days') {
      if (!b.days) throw new DomainError('moderation.ban_term');
      term = { kind: 'until', until: new Date(app.clock.now().getTime() + Number(b.days) * 86400_000) };
    } else if (choice === 'until') {
      const until = b.until ? parseBanEnd(b.until, app.config.timezone) : null;
      if (!until) throw new DomainError('moderation.ban_term');
      term = { kind: 'until', until };
    } else term = { kind: choice };
    const [scopeKind, scopeId] = (b.scope ?? 'site').split(':');
    const scope: Scope | null = scopeKind === 'site' ? null : { kind: scopeKind as Scope['kind'], id: Number(scopeId) };
    await moderation.ban({ userId: Number(b.userId), scope, term, reason: b.reason, by: req.user! });
    return reply.redirect(back(b.back, 'ban'), 303);
  });

  app.get('/admin/moderation/bans', { config: staff, schema: { tags, summary: 'Bans and suspensions in force', response: { 200: html('The list of bans') } } }, async (req, reply) => {
    const [nav, bans] = await Promise.all([adminNav(req, app.admin), moderation.activeBans()]);
    const t = req.i18n;
    const csrf = req.csrfToken();
    const names = new Map(await Promise.all([...new Set(bans.map((b) => b.user_id))].map(async (id) => [id, (await app.accounts.byId(id))?.display_name ?? String(id)] as const)));
    const scopes = await Promise.all(bans.map((b) => (b.scope_kind ? scopeLabel(t, { kind: b.scope_kind, id: b.scope_id! }) : t.t('moderation.scope.site'))));
    return app.pages.send(
      req,
      reply,
      <AdminLayout ctx={app.pages.context(req)} title={t.t('moderation.bans')} nav={nav}>
        {tabs(req, 'bans')}
        {bans.length === 0 && <p>{t.t('moderation.noBans')}</p>}
        <ul class="mod-queue">
          {bans.map((b, i) => (
            <li class="mod-queue__item">
              <p>
                <strong>{names.get(b.user_id)}</strong> · {scopes[i]} · {b.ends_at ? t.t('moderation.until', { date: t.when(b.ends_at) }) : t.t('moderation.forever')}
                {b.step > 0 && <> · {t.t('moderation.step', { n: b.step })}</>} · {b.reason}
              </p>
              <form method="post" action={`/admin/moderation/bans/${b.id}/lift`}>
                <input type="hidden" name="_csrf" value={csrf} />
                <button class="button button--secondary" type="submit">
                  {t.t('moderation.lift')}
                </button>
              </form>
            </li>
          ))}
        </ul>
      </AdminLayout>,
    );
  });

  app.post('/admin/moderation/bans/:id/lift', { config: staff, schema: { tags, summary: 'Lift a ban', params: Type.Object({ id: RowId() }), body: Type.Object({ _csrf: Type.Optional(Type.String()) }), response: { 303: redirect('Back to the bans') } } }, async (req, reply) => {
    await moderation.liftBan(req.params.id, req.user!);
    return reply.redirect('/admin/moderation/bans', 303);
  });

  app.get('/admin/moderation/settings', { config: staff, schema: { tags, summary: 'Moderation settings: stop words, holds, reports, trust limits', querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }), response: { 200: html('The settings form') } } }, async (req, reply) => {
    const [nav, words, s] = await Promise.all([adminNav(req, app.admin), moderation.stopWords(), moderation.settings()]);
    const t = req.i18n;
    const number = (name: string, label: string, value: number, min: number, max: number) => (
      <label>
        {label}
        <input type="number" name={name} min={min} max={max} value={value} />
      </label>
    );
    return app.pages.send(
      req,
      reply,
      <AdminLayout ctx={app.pages.context(req)} title={t.t('moderation.settings')} nav={nav}>
        {tabs(req, 'settings')}
        {req.query.done && (
          <p class="notice" role="status">
            {t.t('moderation.settingsSaved')}
          </p>
        )}
        <form class="form" method="post" action="/admin/moderation/settings">
          <input type="hidden" name="_csrf" value={req.csrfToken()} />
          <label>
            {t.t('moderation.stopWords')}
            <textarea name="stopWords" rows={10}>
              {words.join('\n')}
            </textarea>
          </label>
          {number('holdFirst', t.t('moderation.holdFirst'), s.holdFirst, 0, 99)}
          {number('reportThreshold', t.t('moderation.reportThreshold'), s.reportThreshold, 1, 999)}
          {number('minTypingSeconds', t.t('moderation.minTypingSeconds'), Math.round(s.minTypingMs / 1000), 0, 99)}
          <label>
            {t.t('moderation.linksPerText')}
            <input type="text" name="linksPerText" value={s.linksPerText.join(' ')} pattern="\d{1,3}( \d{1,3}){3}" />
          </label>
          {number('imagesFromLevel', t.t('moderation.imagesFromLevel'), s.imagesFromLevel, 0, 4)}
          {number('maxUpheldReports', t.t('moderation.maxUpheldReports'), s.maxUpheldReports, 1, 999)}
          <button class="button" type="submit">
            {t.t('moderation.save')}
          </button>
        </form>
      </AdminLayout>,
    );
  });

  app.post('/admin/moderation/settings', { config: staff, schema: { tags, summary: 'Save the moderation settings', body: Settings, response: { 303: redirect('Back to the settings') } } }, async (req, reply) => {
    const b = req.body;
    const now = await moderation.settings();
    let links = now.linksPerText;
    if (b.linksPerText !== undefined) {
      const parts = b.linksPerText.trim().split(/\s+/);
      if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p))) throw new DomainError('moderation.bad_links');
      links = parts.map(Number) as ModerationSettings['linksPerText'];
    }
    const settings: ModerationSettings = {
      holdFirst: Number(b.holdFirst),
      reportThreshold: b.reportThreshold ? Number(b.reportThreshold) : now.reportThreshold,
      minTypingMs: b.minTypingSeconds !== undefined ? Number(b.minTypingSeconds) * 1000 : now.minTypingMs,
      linksPerText: links,
      imagesFromLevel: b.imagesFromLevel !== undefined ? Number(b.imagesFromLevel) : now.imagesFromLevel,
      maxUpheldReports: b.maxUpheldReports ? Number(b.maxUpheldReports) : now.maxUpheldReports,
    };
    await moderation.saveSettings({ stopWords: b.stopWords.split(/\r?\n/), settings }, req.user!);
    return reply.redirect('/admin/moderation/settings?done=1', 303);
  });
}

export default fp(moderationAdmin, { name: 'moderation-admin' });
