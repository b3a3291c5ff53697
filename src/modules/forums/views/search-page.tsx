// «Поиск по форуму»: the form (words, board, author, dates) and the topics found,
// each with its best matching post: the title linking to that post, the board, the
// author, the date and the post's snippet with the asked words marked. Text only:
// the snippet's pieces are escaped like any other text of a page.
import type { PageContext } from '../../../web/context.js';
import { Pager } from '../../../web/components/pager.js';
import { Layout } from '../../../web/layout.js';
import type { SnippetPart } from '../../search/index.js';
import type { BoardNode } from '../boards.js';
import type { Author } from '../service.js';
import { MAX_QUERY } from '../search.js';
import { AuthorName, Crumbs } from './parts.js';

export interface ForumSearchForm {
  q: string;
  board: string;
  author: string;
  from: string;
  to: string;
}

export interface ForumSearchView {
  total: number;
  more: boolean;
  commonOnly: boolean;
  page: number;
  pages: number;
  hits: {
    url: string;
    title: SnippetPart[];
    snippet: SnippetPart[];
    number: number;
    board: { title: string; url: string };
    author: Author | undefined;
    createdAt: Date;
    /** Other ranked posts of the topic. */
    others: number;
  }[];
}

const Parts = ({ parts }: { parts: SnippetPart[] }) => <>{parts.map((p) => (p.mark ? <mark>{p.text}</mark> : p.text))}</>;

function pageHref(form: ForumSearchForm, page: number): string {
  const p = new URLSearchParams(Object.entries(form).filter(([, v]) => v));
  if (page > 1) p.set('page', String(page));
  return `/forum/search?${p}`;
}

/** The small form on the forum's own pages: one field and a button. */
export function ForumSearchBox({ ctx, board }: { ctx: PageContext; board?: string }) {
  const t = ctx.i18n.t;
  return (
    <form class="search-box forum-search-box" method="get" action="/forum/search" role="search">
      <input type="search" name="q" maxLength={MAX_QUERY} required placeholder={t('forum.search.placeholder')} aria-label={t('forum.search.placeholder')} />
      {board && <input type="hidden" name="board" value={board} />}
      <button class="button" type="submit">
        {t('forum.search.submit')}
      </button>
    </form>
  );
}

export function ForumSearchPage({ ctx, form, tree, result, error }: { ctx: PageContext; form: ForumSearchForm; tree: BoardNode[]; result: ForumSearchView | null; error?: string }) {
  const { i18n } = ctx;
  const t = i18n.t;
  return (
    <Layout ctx={ctx} meta={{ title: form.q ? t('forum.search.resultsFor', { q: form.q }) : t('forum.search.title'), noindex: true }}>
      <section class="forum forum-search">
        <Crumbs ctx={ctx} trail={[]} />
        <h1>{t('forum.search.title')}</h1>
        <form class="filters search-form" method="get" action="/forum/search" role="search">
          <label>
            {t('forum.search.query')}
            <input type="search" name="q" value={form.q} maxLength={MAX_QUERY} required />
          </label>
          <label>
            {t('forum.search.board')}
            <select name="board">
              <option value="">{t('forum.search.anyBoard')}</option>
              {tree.map((c) => (
                <>
                  <option value={c.slug} selected={c.slug === form.board}>
                    {c.title}
                  </option>
                  {c.children.map((b) => (
                    <option value={b.slug} selected={b.slug === form.board}>
                      {`— ${b.title}`}
                    </option>
                  ))}
                </>
              ))}
            </select>
          </label>
          <label>
            {t('forum.search.author')}
            <input type="text" name="author" value={form.author} maxLength={33} placeholder="@" />
          </label>
          <label>
            {t('forum.search.from')}
            <input type="date" name="from" value={form.from} />
          </label>
          <label>
            {t('forum.search.to')}
            <input type="date" name="to" value={form.to} />
          </label>
          <button class="button" type="submit">
            {t('forum.search.submit')}
          </button>
        </form>
        {error && (
          <p class="notice notice--error" role="alert">
            {error}
          </p>
        )}
        {!form.q && !error && <p class="muted">{t('forum.search.hint')}</p>}
        {result && (
          <section aria-live="polite">
            <p class="card__meta">
              {result.commonOnly ? t('forum.search.commonOnly') : !result.total ? t('forum.search.nothing') : result.more ? t('forum.search.foundMore', { n: result.total }) : i18n.plural('forum.search.found', result.total)}
            </p>
            {result.total > 0 && !result.hits.length && <p>{t('forum.search.noMore')}</p>}
            <ol class="search-results forum-search-results">
              {result.hits.map((h) => (
                <li>
                  <h2 class="card__title">
                    <a href={h.url}>
                      <Parts parts={h.title} />
                    </a>
                  </h2>
                  <p class="search-snippet">
                    <Parts parts={h.snippet} />
                  </p>
                  <p class="card__meta">
                    <a href={h.board.url}>{h.board.title}</a>
                    {' · '}
                    {t('forum.search.post', { n: h.number })}
                    {' · '}
                    <AuthorName ctx={ctx} author={h.author} />
                    {' · '}
                    {i18n.when(h.createdAt, ctx.now)}
                    {h.others > 0 && ` · ${i18n.plural('forum.search.otherPosts', h.others)}`}
                  </p>
                </li>
              ))}
            </ol>
            <Pager page={result.page} pages={result.pages} href={(n) => pageHref(form, n)} i18n={ctx.i18n} />
          </section>
        )}
      </section>
    </Layout>
  );
}
