// Section, author, tag and story pages: a heading, an optional intro, cards, a pager.
import type { ComponentChildren } from 'preact';
import type { PageContext } from '../../../web/context.js';
import { Layout } from '../../../web/layout.js';
import type { ArticleCard, Page } from '../types.js';
import { Pager } from '../../../web/components/pager.js';
import { CardGrid } from './cards.js';

export function ListPage(props: {
  ctx: PageContext;
  title: string;
  description?: string;
  canonicalPath: string;
  page: Page<ArticleCard>;
  intro?: ComponentChildren;
  feeds?: { title: string; href: string }[];
  breadcrumb?: { title: string; href: string }[];
  aside?: ComponentChildren;
}) {
  const { ctx, page } = props;
  const pageSuffix = page.page > 1 ? ` · ${ctx.i18n.t('pager.page', { page: page.page })}` : '';
  return (
    <Layout
      ctx={ctx}
      meta={{
        title: props.title + pageSuffix,
        description: props.description,
        canonical: ctx.publicUrl + props.canonicalPath + (page.page > 1 ? `?page=${page.page}` : ''),
        feeds: props.feeds,
      }}
    >
      <div class="layout">
        <div>
          {props.breadcrumb && props.breadcrumb.length > 0 && (
            <nav class="breadcrumb" aria-label={ctx.i18n.t('article.breadcrumb')}>
              <ol>
                {props.breadcrumb.map((b) => (
                  <li>
                    <a href={b.href}>{b.title}</a>
                  </li>
                ))}
              </ol>
            </nav>
          )}
          <h1>{props.title}</h1>
          {props.intro}
          <p class="card__meta">{ctx.i18n.plural('articles.count', page.total)}</p>
          {/* The cards' headings come right under the page's h1. */}
          <CardGrid cards={page.items} i18n={ctx.i18n} now={ctx.now} headingLevel={2} />
          <Pager page={page.page} pages={page.pages} base={props.canonicalPath} i18n={ctx.i18n} />
        </div>
        {props.aside && <aside>{props.aside}</aside>}
      </div>
    </Layout>
  );
}
