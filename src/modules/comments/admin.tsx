// The moderators' queue: held comments and those readers complained about, with
// approve / reject / delete and a ban of the author; and the moderation settings
// (stop words, how many first comments of a new account are held).
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import type { I18n } from '../../platform/i18n/index.js';
import { AdminLayout, adminNav } from '../../web/admin.js';
import { html, redirect, RowId } from '../../platform/openapi.js';
import { CommentText } from './views/thread.js';

const roles = ['moderator', 'editor'] as const;
const staff = { roles: [...roles] };
const tags = ['comments'];
const Tab = Type.Object({ tab: Type.Optional(Type.Union([Type.Literal('held'), Type.Literal('complained')])), done: Type.Optional(Type.String({ maxLength: 20 })) });
const Decide = Type.Object({ _csrf: Type.Optional(Type.String()), action: Type.Union([Type.Literal('approve'), Type.Literal('reject'), Type.Literal('delete')]), tab: Type.Optional(Type.String({ maxLength: 20 })) });
const Ban = Type.Object({ _csrf: Type.Optional(Type.String()), userId: Type.String({ pattern: '^[1-9][0-9]{0,9}$' }), days: Type.Optional(Type.String({ pattern: '^([1-9][0-9]{0,4})?$' })), reason: Type.String({ maxLength: 300 }), tab: Type.Optional(Type.String({ maxLength: 20 })) });
const Settings = Type.Object({ _csrf: Type.Optional(Type.String()), stopWords: Type.String({ maxLength: 30000 }), holdFirst: Type.String({ pattern: '^[0-9]{1,2}$' }) });

function reasonText(i18n: I18n, code: string): string {
  if (code.startsWith('stop_word:')) return i18n.t('comments.admin.reason.stop_word', { word: code.slice('stop_word:'.length) });
  if (code === 'first_comments') return i18n.t('comments.admin.reason.first_comments');
  if (code === 'premoderation') return i18n.t('comments.admin.reason.premoderation');
  return code;
}

async function commentsAdmin(app: App) {
  const comments = app.comments;
  app.admin.add({
    href: '/admin/comments',
    label: (req) => req.i18n.t('comments.admin.title'),
    roles: [...roles],
    order: 30,
    badge: async () => {
      const q = await comments.queueCounts();
      return q.held + q.complained;
    },
  });

  const tabs = (req: FastifyRequest, current: string, counts: { held: number; complained: number }) => (
    <nav class="admin-tabs">
      <a href="/admin/comments?tab=held" aria-current={current === 'held' ? 'page' : undefined}>
        {req.i18n.t('comments.admin.held')} ({counts.held})
      </a>{' '}
      <a href="/admin/comments?tab=complained" aria-current={current === 'complained' ? 'page' : undefined}>
        {req.i18n.t('comments.admin.complained')} ({counts.complained})
      </a>{' '}
      <a href="/admin/comments/bans" aria-current={current === 'bans' ? 'page' : undefined}>
        {req.i18n.t('comments.admin.bans')}
      </a>{' '}
      <a href="/admin/comments/settings" aria-current={current === 'settings' ? 'page' : undefined}>
        {req.i18n.t('comments.admin.settings')}
      </a>
    </nav>
  );

  app.get('/admin/comments', { config: staff, schema: { tags, summary: 'The moderation queue: held comments, or those readers complained about', querystring: Tab, response: { 200: html('The queue') } } }, async (req, reply) => {
    const tab = req.query.tab ?? 'held';
    const [nav, counts, items] = await Promise.all([adminNav(req, app.admin), comments.queueCounts(), comments.queue(tab)]);
    const articles = new Map(await Promise.all([...new Set(items.map((i) => i.article_id))].map(async (id) => [id, await app.content.article(id)] as const)));
    const csrf = req.csrfToken();
    const t = req.i18n;
    return app.pages.send(
      req,
      reply,
      <AdminLayout ctx={app.pages.context(req)} title={t.t('comments.admin.title')} nav={nav}>
        {tabs(req, tab, counts)}
        {req.query.done && (
          <p class="notice" role="status">
            {req.query.done === 'ban' ? t.t('comments.admin.banned') : t.t('comments.admin.done')}
          </p>
        )}
        {items.length === 0 && <p>{t.t('comments.admin.empty')}</p>}
        <ol class="mod-queue">
          {items.map((c) => {
            const article = articles.get(c.article_id);
            return (
              <li class="mod-queue__item" id={`c${c.id}`}>
                <p class="mod-queue__meta">
                  <strong>{c.display_name ?? c.guest_name ?? t.t('comments.deletedUser')}</strong> · <time dateTime={c.created_at.toISOString()}>{t.when(c.created_at)}</time> · {t.t('comments.admin.article')}:{' '}
                  {article ? <a href={`${article.url}#comment-${c.id}`}>{article.title}</a> : c.article_id}
                </p>
                {c.held_reason && <p class="mod-queue__reason">{c.held_reason.split(' ').map((r) => reasonText(t, r)).join('; ')}</p>}
                {c.reasons.length > 0 && (
                  <p class="mod-queue__reason">
                    {t.t('comments.admin.complaints', { n: c.complaints })}: {c.reasons.map((r) => t.t(`comments.reason.${r.reason}`) + (r.note ? ` («${r.note}»)` : '')).join('; ')}
                  </p>
                )}
                <div class="mod-queue__body">
                  <CommentText text={c.body} />
                </div>
                <div class="mod-queue__actions">
                  {(['approve', 'reject', 'delete'] as const).map((action) => (
                    <form method="post" action={`/admin/comments/${c.id}/decide`}>
                      <input type="hidden" name="_csrf" value={csrf} />
                      <input type="hidden" name="tab" value={tab} />
                      <input type="hidden" name="action" value={action} />
                      <button class={action === 'approve' ? 'button' : 'button button--secondary'} type="submit">
                        {t.t(`comments.admin.${action}`)}
                      </button>
                    </form>
                  ))}
                  {c.author_id && (
                    <form method="post" action="/admin/comments/bans" class="mod-queue__ban">
                      <input type="hidden" name="_csrf" value={csrf} />
                      <input type="hidden" name="tab" value={tab} />
                      <input type="hidden" name="userId" value={c.author_id} />
                      <label>
                        {t.t('comments.admin.banDays')} <input type="number" name="days" min={1} max={99999} size={5} />
                      </label>
                      <label>
                        {t.t('comments.admin.banReason')} <input type="text" name="reason" required maxLength={300} />
                      </label>
                      <button class="button button--secondary" type="submit">
                        {t.t('comments.admin.ban')}
                      </button>
                    </form>
                  )}
                </div>
              </li>
            );
          })}
        </ol>
      </AdminLayout>,
    );
  });

  const back = (tab: string | undefined, done: string) => `/admin/comments?tab=${tab === 'complained' ? 'complained' : 'held'}&done=${done}`;

  app.post('/admin/comments/:id/decide', { config: staff, schema: { tags, summary: 'Approve, reject or delete a comment', params: Type.Object({ id: RowId() }), body: Decide, response: { 303: redirect('Back to the queue') } } }, async (req, reply) => {
    const done = await comments.decide(req.params.id, req.body.action);
    if (done.wasVisible) await app.pageCache.purge([`article:${done.articleId}`]);
    return reply.redirect(back(req.body.tab, req.body.action), 303);
  });

  app.post('/admin/comments/bans', { config: staff, schema: { tags, summary: 'Ban a comment author (for some days, or for good)', body: Ban, response: { 303: redirect('Back to the queue') } } }, async (req, reply) => {
    await comments.ban({ userId: Number(req.body.userId), days: req.body.days ? Number(req.body.days) : null, reason: req.body.reason, by: req.user!.id });
    return reply.redirect(back(req.body.tab, 'ban'), 303);
  });

  app.get('/admin/comments/bans', { config: staff, schema: { tags, summary: 'Active bans', response: { 200: html('The list of bans') } } }, async (req, reply) => {
    const [nav, counts, bans] = await Promise.all([adminNav(req, app.admin), comments.queueCounts(), comments.activeBans()]);
    const t = req.i18n;
    const csrf = req.csrfToken();
    return app.pages.send(
      req,
      reply,
      <AdminLayout ctx={app.pages.context(req)} title={t.t('comments.admin.bans')} nav={nav}>
        {tabs(req, 'bans', counts)}
        {bans.length === 0 && <p>{t.t('comments.admin.noBans')}</p>}
        <ul class="mod-queue">
          {bans.map((b) => (
            <li class="mod-queue__item">
              <p>
                <strong>{b.display_name}</strong> · {b.until ? t.t('comments.admin.until', { date: t.when(b.until) }) : t.t('comments.admin.forever')} · {b.reason}
              </p>
              <form method="post" action={`/admin/comments/bans/${b.id}/lift`}>
                <input type="hidden" name="_csrf" value={csrf} />
                <button class="button button--secondary" type="submit">
                  {t.t('comments.admin.lift')}
                </button>
              </form>
            </li>
          ))}
        </ul>
      </AdminLayout>,
    );
  });

  app.post('/admin/comments/bans/:id/lift', { config: staff, schema: { tags, summary: 'Lift a ban', params: Type.Object({ id: RowId() }), body: Type.Object({ _csrf: Type.Optional(Type.String()) }), response: { 303: redirect('Back to the bans') } } }, async (req, reply) => {
    await comments.liftBan(req.params.id);
    return reply.redirect('/admin/comments/bans', 303);
  });

  app.get('/admin/comments/settings', { config: staff, schema: { tags, summary: 'Moderation settings: stop words, first comments of a new account held', response: { 200: html('The settings form') } } }, async (req, reply) => {
    const [nav, counts, words, holdFirst] = await Promise.all([adminNav(req, app.admin), comments.queueCounts(), comments.stopWords(), comments.holdFirst()]);
    const t = req.i18n;
    return app.pages.send(
      req,
      reply,
      <AdminLayout ctx={app.pages.context(req)} title={t.t('comments.admin.settings')} nav={nav}>
        {tabs(req, 'settings', counts)}
        <form class="form" method="post" action="/admin/comments/settings">
          <input type="hidden" name="_csrf" value={req.csrfToken()} />
          <label>
            {t.t('comments.admin.stopWords')}
            <textarea name="stopWords" rows={10}>
              {words.join('\n')}
            </textarea>
          </label>
          <label>
            {t.t('comments.admin.holdFirst')}
            <input type="number" name="holdFirst" min={0} max={99} value={holdFirst} />
          </label>
          <button class="button" type="submit">
            {t.t('comments.admin.save')}
          </button>
        </form>
      </AdminLayout>,
    );
  });

  app.post('/admin/comments/settings', { config: staff, schema: { tags, summary: 'Save the moderation settings', body: Settings, response: { 303: redirect('Back to the settings') } } }, async (req, reply) => {
    await comments.setStopWords(req.body.stopWords.split(/\r?\n/));
    await comments.setHoldFirst(Number(req.body.holdFirst));
    return reply.redirect('/admin/comments/settings', 303);
  });
}

export default fp(commentsAdmin, { name: 'comments-admin' });
