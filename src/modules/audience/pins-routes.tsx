// Back office pages of the audience module: the editors' pins in «Рекомендуем»
// and the statistics with charts.
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { App } from '../../types.js';
import { AdminLayout, adminNav } from '../../web/admin.js';
import { html, pageResponses, redirect, RowId } from '../../platform/openapi.js';
import statsRoutes from './stats-routes.js';

const UNTIL = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/;
const PinForm = Type.Object({ _csrf: Type.Optional(Type.String()), article: Type.String({ maxLength: 500 }), until: Type.Optional(Type.String({ maxLength: 30 })) });
const UnpinForm = Type.Object({ _csrf: Type.Optional(Type.String()), articleId: RowId() });

/** An article number, or a URL ending in /<number>/. */
export function articleIdFrom(input: string): number | null {
  const m = /(?:^|\/)(\d{1,9})\/?\s*$/.exec(input.trim());
  return m ? Number(m[1]) : null;
}

async function audienceAdmin(app: App) {
  const editors = { roles: ['editor' as const] };
  const tags = ['audience'];
  app.admin.add({ href: '/admin/recommended', label: (req) => req.i18n.t('audience.pins.title'), roles: ['editor'], order: 60 });

  async function pinsPage(req: FastifyRequest, error?: string) {
    const ids = await app.audience.pins();
    const cards = await app.content.cards(ids);
    const ctx = app.pages.context(req);
    const t = req.i18n.t;
    const csrf = req.csrfToken();
    return (
      <AdminLayout ctx={ctx} title={t('audience.pins.title')} nav={await adminNav(req, app.admin)}>
        {error && (
          <p class="notice notice--error" role="alert">
            {error}
          </p>
        )}
        {cards.length ? (
          <table class="table">
            <tbody>
              {cards.map((c) => (
                <tr>
                  <td>
                    <a href={c.url}>{c.title}</a>
                  </td>
                  <td>
                    <form method="post" action="/admin/recommended/unpin">
                      <input type="hidden" name="_csrf" value={csrf} />
                      <input type="hidden" name="articleId" value={String(c.id)} />
                      <button class="button" type="submit">
                        {t('audience.pins.remove')}
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>{t('audience.pins.empty')}</p>
        )}
        <form class="filters" method="post" action="/admin/recommended">
          <input type="hidden" name="_csrf" value={csrf} />
          <label>
            {t('audience.pins.articleId')}
            <input name="article" required maxLength={500} />
          </label>
          <label>
            {t('audience.pins.until')}
            <input name="until" type="datetime-local" />
          </label>
          <button class="button" type="submit">
            {t('audience.pins.add')}
          </button>
        </form>
      </AdminLayout>
    );
  }

  app.get('/admin/recommended', { config: editors, schema: { tags, summary: 'The editors’ pins in «Рекомендуем»', response: { 200: html('The pins and the form to add one') } } }, async (req, reply) => app.pages.send(req, reply, await pinsPage(req)));

  app.post('/admin/recommended', { config: editors, schema: { tags, summary: 'Pin an article (its number or address), optionally until a date', body: PinForm, response: pageResponses({ 303: redirect('Back to the pins'), 400: html('The pins again: no such published article') }) } }, async (req, reply) => {
    const id = articleIdFrom(req.body.article);
    const meta = id ? await app.audience.meta(id) : null;
    if (!meta?.published) return app.pages.send(req, reply.status(400), await pinsPage(req, req.i18n.t('audience.pins.notFound')), { status: 400 });
    // A four-digit year only: new Date('12345-01-01') is a valid date whose ISO form
    // (+012345-…) PostgreSQL refuses, which was a 500.
    const until = req.body.until && UNTIL.test(req.body.until) ? new Date(req.body.until) : null;
    if (req.body.until && (!until || Number.isNaN(until.getTime()))) {
      return app.pages.send(req, reply.status(400), await pinsPage(req, req.i18n.t('error.badDate', { value: req.body.until })), { status: 400 });
    }
    await app.audience.pin(meta.id, req.user!.id, until);
    await app.pageCache.purge(['home', 'recommended']);
    return reply.redirect('/admin/recommended', 303);
  });

  app.post('/admin/recommended/unpin', { config: editors, schema: { tags, summary: 'Unpin an article', body: UnpinForm, response: { 303: redirect('Back to the pins') } } }, async (req, reply) => {
    await app.audience.unpin(req.body.articleId);
    await app.pageCache.purge(['home', 'recommended']);
    return reply.redirect('/admin/recommended', 303);
  });

  await app.register(statsRoutes);
}

export default fp(audienceAdmin, { name: 'audience-admin' });
