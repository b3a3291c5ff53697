// The back office's page for the footer: the list of info pages, the editor of one,
// and the imprint form. Plain forms with the CSRF token; a refused one comes back
// with its message and what was typed.
import type { PageContext } from '../../../web/context.js';
import { AdminLayout, type AdminNavItem } from '../../../web/admin.js';
import type { Imprint } from '../../../web/components/footer.js';
import { BODY_MAX, IMPRINT_MAX, TITLE_MAX, type InfoPage } from '../service.js';

type Notice = { saved?: boolean; error?: string };

function Messages({ ctx, notice }: { ctx: PageContext; notice: Notice }) {
  return (
    <>
      {notice.saved && (
        <p class="notice" role="status">
          {ctx.i18n.t('info.admin.saved')}
        </p>
      )}
      {notice.error && (
        <p class="notice notice--error" role="alert">
          {notice.error}
        </p>
      )}
    </>
  );
}

export function InfoAdmin({ ctx, nav, pages, imprint, csrf, notice }: { ctx: PageContext; nav: AdminNavItem[]; pages: InfoPage[]; imprint: Imprint; csrf: string; notice: Notice }) {
  const { i18n } = ctx;
  const field = (name: keyof Imprint, label: string) => (
    <label>
      {label}
      <input name={name} value={imprint[name]} maxLength={IMPRINT_MAX} />
    </label>
  );
  return (
    <AdminLayout ctx={ctx} title={i18n.t('info.admin.title')} nav={nav}>
      <Messages ctx={ctx} notice={notice} />
      <h2>{i18n.t('info.admin.pages')}</h2>
      <ul class="info-admin__pages">
        {pages.map((p) => (
          <li>
            <a href={`/admin/info/${p.slug}`}>{p.title}</a> <span class="muted">/info/{p.slug}</span> · <a href={`/info/${p.slug}`}>{i18n.t('info.admin.view')}</a>
          </li>
        ))}
      </ul>
      <h2>{i18n.t('info.admin.imprint')}</h2>
      <p class="muted">{i18n.t('info.admin.imprintHint')}</p>
      <form class="admin-form" method="post" action="/admin/info/imprint">
        <input type="hidden" name="_csrf" value={csrf} />
        {field('founder', i18n.t('info.admin.founder'))}
        {field('editorInChief', i18n.t('info.admin.editorInChief'))}
        {field('registration', i18n.t('info.admin.registration'))}
        <button type="submit">{i18n.t('info.admin.save')}</button>
      </form>
    </AdminLayout>
  );
}

export function InfoPageEditor({ ctx, nav, page, csrf, notice }: { ctx: PageContext; nav: AdminNavItem[]; page: { slug: string; title: string; body: string }; csrf: string; notice: Notice }) {
  const { i18n } = ctx;
  return (
    <AdminLayout ctx={ctx} title={page.title || page.slug} nav={nav}>
      <p>
        <a href="/admin/info">{i18n.t('info.admin.back')}</a> · <a href={`/info/${page.slug}`}>{i18n.t('info.admin.view')}</a>
      </p>
      <Messages ctx={ctx} notice={notice} />
      <form class="admin-form" method="post" action={`/admin/info/${page.slug}`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <label>
          {i18n.t('info.admin.pageTitle')}
          <input name="title" value={page.title} required maxLength={TITLE_MAX} />
        </label>
        <label>
          {i18n.t('info.admin.body')}
          <textarea name="body" rows={16} maxLength={BODY_MAX}>
            {page.body}
          </textarea>
        </label>
        <p class="muted">{i18n.t('info.admin.bodyHint')}</p>
        <button type="submit">{i18n.t('info.admin.save')}</button>
      </form>
    </AdminLayout>
  );
}
