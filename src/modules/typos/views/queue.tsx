// The editors' typo queue: each report shows the fragment highlighted in the text
// around it, the reader's comment (as text: Preact escapes it), a link that opens
// the article in the editor at that place, and the two decisions.
import type { PageContext } from '../../../web/context.js';
import { AdminLayout, type AdminNavItem } from '../../../web/admin.js';
import type { TypoStatus } from '../schema.js';
import type { TypoReport } from '../service.js';

export interface QueueItem extends TypoReport {
  article: { title: string; url: string } | null;
}

const TABS: TypoStatus[] = ['open', 'fixed', 'rejected'];

export const editorLink = (articleId: number, reportId: number) => `/admin/articles/${articleId}/edit?typo=${reportId}#typo-${reportId}`;

export function TypoQueue({ ctx, nav, status, items, total, page, pages, csrf, done }: { ctx: PageContext; nav: AdminNavItem[]; status: TypoStatus; items: QueueItem[]; total: number; page: number; pages: number; csrf: string; done?: string }) {
  const { i18n } = ctx;
  const pageHref = (n: number) => `/admin/typos?status=${status}&page=${n}`;
  return (
    <AdminLayout ctx={ctx} title={i18n.t('typos.admin.title')} nav={nav}>
      <nav class="typo-tabs" aria-label={i18n.t('typos.admin.title')}>
        {TABS.map((tab) => (
          <a href={`/admin/typos?status=${tab}`} aria-current={tab === status ? 'page' : undefined}>
            {i18n.t(`typos.admin.${tab}`)}
            {tab === status && <span class="badge">{total}</span>}
          </a>
        ))}
      </nav>
      {done && (
        <p class="notice" role="status">
          {done}
        </p>
      )}
      {items.length === 0 ? (
        <p class="typo-queue__empty">{i18n.t('typos.admin.empty')}</p>
      ) : (
        <ol class="typo-queue">
          {items.map((r) => (
            <li class="typo-report" id={`typo-report-${r.id}`} data-report-id={r.id}>
              <p class="typo-report__head">
                <a class="typo-report__edit" href={editorLink(r.articleId, r.id)}>
                  {r.article?.title ?? `#${r.articleId}`}
                </a>
                <span class="typo-report__meta">
                  {r.article && (
                    <a href={r.article.url} target="_blank" rel="noopener">
                      {i18n.t('typos.admin.view')}
                    </a>
                  )}
                  <span>{i18n.t('typos.admin.revision', { n: r.revision })}</span>
                  <span class="typo-report__count">{i18n.plural('typos.admin.reports', r.reports)}</span>
                  <time dateTime={r.lastReportedAt.toISOString()}>{i18n.relative(r.lastReportedAt, ctx.now)}</time>
                </span>
              </p>
              <p class="typo-report__part">{i18n.t(`typos.admin.part.${r.part}`)}</p>
              <blockquote class="typo-report__context" data-part={r.part}>
                {r.before && '…'}
                {r.before}
                <mark>{r.fragment}</mark>
                {r.after}
                {r.after && '…'}
              </blockquote>
              {r.comment && (
                <p class="typo-report__comment">
                  <strong>{i18n.t('typos.admin.comment')}:</strong> <span class="typo-report__comment-text">{r.comment}</span>
                </p>
              )}
              {status === 'open' && (
                <form class="typo-report__actions" method="post" action={`/admin/typos/${r.id}/status`}>
                  <input type="hidden" name="_csrf" value={csrf} />
                  <a class="button" href={editorLink(r.articleId, r.id)}>
                    {i18n.t('typos.admin.edit')}
                  </a>
                  <button type="submit" class="button" name="status" value="fixed">
                    {i18n.t('typos.admin.markFixed')}
                  </button>
                  <button type="submit" class="button button--secondary" name="status" value="rejected">
                    {i18n.t('typos.admin.markRejected')}
                  </button>
                </form>
              )}
            </li>
          ))}
        </ol>
      )}
      {pages > 1 && (
        <nav class="pager" aria-label={i18n.t('pager.label')}>
          {page > 1 && <a href={pageHref(page - 1)}>{i18n.t('pager.prev')}</a>}
          <span>{i18n.t('pager.page', { page })}</span>
          {page < pages && <a href={pageHref(page + 1)}>{i18n.t('pager.next')}</a>}
        </nav>
      )}
    </AdminLayout>
  );
}
