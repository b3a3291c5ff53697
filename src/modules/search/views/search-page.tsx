import type { PageContext } from '../../../web/context.js';
import { Pager } from '../../../web/components/pager.js';
import { Layout } from '../../../web/layout.js';
import { TypeLabel, When } from '../../content/index.js';
import type { SearchResult } from '../service.js';

export interface SearchForm {
  q: string;
  section: string;
  type: string;
  author: string;
  from: string;
  to: string;
}

function pageHref(params: string, page: number): string {
  const p = new URLSearchParams(params);
  p.set('page', String(page));
  return `/search?${p}`;
}

export function SearchPage({ ctx, form, result, error, sections, authors }: { ctx: PageContext; form: SearchForm; result: SearchResult | null; error?: string; sections: { slug: string; title: string }[]; authors: { slug: string; name: string }[] }) {
  const { i18n } = ctx;
  const t = i18n.t;
  const params = new URLSearchParams(Object.entries(form).filter(([, v]) => v)).toString();
  return (
    <Layout ctx={ctx} meta={{ title: form.q ? t('search.resultsFor', { q: form.q }) : t('search.title'), noindex: true }}>
      <h1>{t('search.title')}</h1>
      <form class="filters search-form" method="get" action="/search" role="search">
        <label>
          {t('search.query')}
          <input type="search" name="q" value={form.q} maxLength={200} required />
        </label>
        <label>
          {t('search.section')}
          <select name="section">
            <option value="">{t('search.any')}</option>
            {sections.map((s) => (
              <option value={s.slug} selected={s.slug === form.section}>
                {s.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('search.type')}
          <select name="type">
            <option value="">{t('search.any')}</option>
            {(['news', 'opinion', 'feature'] as const).map((type) => (
              <option value={type} selected={type === form.type}>
                {t(`type.${type}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('search.author')}
          <select name="author">
            <option value="">{t('search.any')}</option>
            {authors.map((a) => (
              <option value={a.slug} selected={a.slug === form.author}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('search.from')}
          <input type="date" name="from" value={form.from} />
        </label>
        <label>
          {t('search.to')}
          <input type="date" name="to" value={form.to} />
        </label>
        <button class="button" type="submit">
          {t('search.submit')}
        </button>
      </form>
      {error && (
        <p class="notice notice--error" role="alert">
          {error}
        </p>
      )}
      {!form.q && !error && <p>{t('search.hint')}</p>}
      {result && (
        <section aria-live="polite">
          <p class="card__meta">{result.total ? i18n.plural('search.found', result.total) : t('search.nothing')}</p>
          {result.suggestion && (
            <p class="search-suggestion">
              {t('search.didYouMean')}: <a href={`/search?${new URLSearchParams({ ...Object.fromEntries(new URLSearchParams(params)), q: result.suggestion })}`}>{result.suggestion}</a>?
            </p>
          )}
          <ol class="search-results">
            {result.hits.map((h) => (
              <li>
                <TypeLabel card={h.card} i18n={i18n} />
                <h2 class="card__title">
                  <a href={h.card.url}>{h.card.title}</a>
                </h2>
                <p class="search-snippet">{h.snippet.map((p) => (p.mark ? <mark>{p.text}</mark> : p.text))}</p>
                <p class="card__meta">
                  <When at={h.card.publishedAt} i18n={i18n} now={ctx.now} /> · {h.card.section.title}
                </p>
              </li>
            ))}
          </ol>
          <Pager page={result.page} pages={result.pages} href={(n) => pageHref(params, n)} i18n={ctx.i18n} />
        </section>
      )}
    </Layout>
  );
}
