// The articles list of the back office: filters, title search, sorting; status,
// dates and authors of each article.
import type { ArticleStatus, ArticleType } from '../../../db/schema.js';
import type { I18n } from '../../../platform/i18n/index.js';
import type { AdminListFilter, AdminListItem } from '../../content/index.js';

export const STATUSES: ArticleStatus[] = ['draft', 'review', 'scheduled', 'published', 'unpublished'];
export const TYPES: ArticleType[] = ['news', 'opinion', 'feature'];

export function StatusBadge({ status, i18n }: { status: ArticleStatus; i18n: I18n }) {
  return <span class={`status status--${status}`}>{i18n.t(`status.${status}`)}</span>;
}

export const typeLabel = (type: ArticleType, i18n: I18n) => i18n.t(type === 'news' ? 'type.news' : type === 'opinion' ? 'type.opinion' : 'type.feature');

type Option = { id: number; title: string };

export function ArticlesList({ i18n, filter, list, sections, authors, canCreate }: { i18n: I18n; filter: AdminListFilter; list: { items: AdminListItem[]; total: number; page: number; pages: number }; sections: Option[]; authors: Option[]; canCreate: boolean }) {
  const query = (page: number) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...filter, page, ownerUserId: undefined })) if (v !== undefined && v !== '' && !(k === 'page' && v === 1)) p.set(k, String(v));
    return `?${p}`;
  };
  return (
    <>
      {canCreate && (
        <p>
          <a class="button" href="/admin/articles/new">
            {i18n.t('newsroom.new')}
          </a>
        </p>
      )}
      <form class="admin-filters" method="get" action="/admin/articles">
        <label>
          {i18n.t('newsroom.search')}
          <input type="search" name="q" value={filter.q ?? ''} maxLength={200} />
        </label>
        <label>
          {i18n.t('newsroom.col.status')}
          <select name="status">
            <option value="">{i18n.t('newsroom.any')}</option>
            {STATUSES.map((s) => (
              <option value={s} selected={filter.status === s}>
                {i18n.t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {i18n.t('newsroom.col.section')}
          <select name="sectionId">
            <option value="">{i18n.t('newsroom.any')}</option>
            {sections.map((s) => (
              <option value={s.id} selected={filter.sectionId === s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          {i18n.t('newsroom.col.authors')}
          <select name="authorId">
            <option value="">{i18n.t('newsroom.any')}</option>
            {authors.map((a) => (
              <option value={a.id} selected={filter.authorId === a.id}>
                {a.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          {i18n.t('newsroom.col.type')}
          <select name="type">
            <option value="">{i18n.t('newsroom.any')}</option>
            {TYPES.map((t) => (
              <option value={t} selected={filter.type === t}>
                {typeLabel(t, i18n)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {i18n.t('newsroom.sort')}
          <select name="sort">
            {(['updated', 'published', 'created', 'title'] as const).map((s) => (
              <option value={s} selected={(filter.sort ?? 'updated') === s}>
                {i18n.t(`newsroom.sort.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{i18n.t('newsroom.filter')}</button>
      </form>
      <p class="muted">{i18n.t('newsroom.found', { n: list.total })}</p>
      {list.items.length === 0 ? (
        <p>{i18n.t('newsroom.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table class="admin-table">
            <thead>
              <tr>
                <th>№</th>
                <th>{i18n.t('newsroom.col.title')}</th>
                <th>{i18n.t('newsroom.col.status')}</th>
                <th>{i18n.t('newsroom.col.section')}</th>
                <th>{i18n.t('newsroom.col.authors')}</th>
                <th>{i18n.t('newsroom.col.dates')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((a) => (
                <tr data-article-id={a.id}>
                  <td>{a.id}</td>
                  <td>
                    <a href={`/admin/articles/${a.id}`}>{a.title}</a>
                    {a.type !== 'news' && (
                      <>
                        {' '}
                        <span class="label admin-table__type">{typeLabel(a.type, i18n)}</span>
                      </>
                    )}
                  </td>
                  <td>
                    <StatusBadge status={a.status} i18n={i18n} />
                  </td>
                  <td>{a.sectionTitle}</td>
                  <td>{a.authors.join(', ')}</td>
                  <td class="dates">
                    {a.publishedAt && a.status === 'published' && <div>{i18n.t('newsroom.publishedAt', { date: i18n.when(a.publishedAt) })}</div>}
                    {a.scheduledAt && a.status === 'scheduled' && <div>{i18n.t('newsroom.scheduledAt', { date: i18n.when(a.scheduledAt) })}</div>}
                    <div>{i18n.t('newsroom.updated', { date: i18n.when(a.updatedAt) })}</div>
                    <div>{i18n.t('newsroom.created', { date: i18n.when(a.createdAt) })}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="pager" aria-label={i18n.t('pager.label')}>
        {list.page > 1 ? <a href={query(list.page - 1)}>{i18n.t('pager.prev')}</a> : <span />}
        <span>{i18n.t('pager.page', { page: list.page })}</span>
        {list.page < list.pages ? <a href={query(list.page + 1)}>{i18n.t('pager.next')}</a> : <span />}
      </nav>
    </>
  );
}

export function NewArticleForm({ i18n, csrf, sections }: { i18n: I18n; csrf: string; sections: Option[] }) {
  return (
    <form class="admin-form" method="post" action="/admin/articles">
      <input type="hidden" name="_csrf" value={csrf} />
      <label>
        {i18n.t('newsroom.field.title')}
        <input name="title" required maxLength={300} />
      </label>
      <label>
        {i18n.t('newsroom.field.section')}
        <select name="sectionId" required>
          {sections.map((s) => (
            <option value={s.id}>{s.title}</option>
          ))}
        </select>
      </label>
      <label>
        {i18n.t('newsroom.field.type')}
        <select name="type">
          {TYPES.map((t) => (
            <option value={t}>{typeLabel(t, i18n)}</option>
          ))}
        </select>
      </label>
      <button type="submit">{i18n.t('newsroom.create')}</button>
    </form>
  );
}
