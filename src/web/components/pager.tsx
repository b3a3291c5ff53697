// «← Назад · Страница N · Далее →» under a list: page 1 is the bare address, the
// others add ?page=N (the address the route answers and the canonical link names);
// a page with a query of its own (search) gives `href`.
import type { I18n } from '../../platform/i18n/index.js';

export function Pager({ page, pages, base = '', href: hrefOf, i18n }: { page: number; pages: number; base?: string; href?: (page: number) => string; i18n: I18n }) {
  if (pages <= 1) return null;
  const href = hrefOf ?? ((p: number) => (p === 1 ? base : `${base}?page=${p}`));
  return (
    <nav class="pager" aria-label={i18n.t('pager.label')}>
      {page > 1 ? <a href={href(page - 1)} rel="prev">{i18n.t('pager.prev')}</a> : <span />}
      <span>{i18n.t('pager.page', { page })}</span>
      {page < pages ? <a href={href(page + 1)} rel="next">{i18n.t('pager.next')}</a> : <span />}
    </nav>
  );
}
