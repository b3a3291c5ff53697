// The article page, top to bottom as PRODUCT.md orders it: rubric path, headline,
// date and authors, cover, body, «По теме», then the widgets other modules add
// (reactions, typo hint, comments) and the aside (ТОП 5, …).
import type { VNode } from 'preact';
import type { PageContext } from '../../../web/context.js';
import { Layout } from '../../../web/layout.js';
import { Picture } from '../../../web/components/picture.js';
import { largestJpeg } from '../../media/index.js';
import { articleBodyHtml } from '../blocks.js';
import type { ArticleCard, ArticleFull } from '../types.js';
import { articleJsonLd } from '../seo.js';
import { authorPath, sectionPath, storyPath, tagPath } from '../urls.js';
import { TypeLabel, When } from './cards.js';

export function ArticlePage({ ctx, article: a, related, afterBody, aside, preview }: { ctx: PageContext; article: ArticleFull; related: ArticleCard[]; afterBody: VNode[]; aside: VNode[]; preview?: boolean }) {
  const { i18n } = ctx;
  const site = { name: ctx.siteName, url: ctx.publicUrl };
  const modified = a.updatedAt.getTime() - a.publishedAt.getTime() > 5 * 60_000;
  return (
    <Layout
      ctx={ctx}
      meta={{
        title: a.seoTitle || a.title,
        description: a.seoDescription || a.lead,
        canonical: site.url + a.url,
        noindex: preview,
        og: {
          type: 'article',
          image: a.cover ? site.url + largestJpeg(a.cover) : undefined,
          publishedTime: a.publishedAt.toISOString(),
          modifiedTime: a.updatedAt.toISOString(),
          section: a.section.title,
        },
        jsonLd: preview ? [] : articleJsonLd(a, site),
      }}
    >
      <div class="layout">
        <div>
          {preview && <p class="notice">{i18n.t('article.draftNotice')}</p>}
          <nav class="breadcrumb" aria-label={i18n.t('article.breadcrumb')}>
            <ol>
              {a.sectionPath.map((s) => (
                <li>
                  <a href={sectionPath(s.slug)}>{s.title}</a>
                </li>
              ))}
            </ol>
          </nav>
          <article class="article" data-article-id={a.id} data-revision={a.revision}>
            <header>
              <TypeLabel card={a} i18n={i18n} />
              <h1 class="article__title" data-typo-scope="title">
                {a.title}
              </h1>
              <p class="article__meta">
                <When at={a.publishedAt} i18n={i18n} now={ctx.now} />
                {modified && (
                  <span>
                    {i18n.t('article.updated')}: <When at={a.updatedAt} i18n={i18n} now={ctx.now} />
                  </span>
                )}
                {a.story && (
                  <span>
                    {i18n.t('article.story')}: <a href={storyPath(a.story.slug)}>{a.story.title}</a>
                  </span>
                )}
              </p>
              {a.authors.length > 0 && (
                <p class="article__authors">
                  {a.authors.map((au, i) => (
                    <>
                      {i > 0 && ', '}
                      <a href={authorPath(au.slug)} rel="author">
                        {au.name}
                      </a>
                      {au.position && <span class="byline__position">, {au.position}</span>}
                    </>
                  ))}
                </p>
              )}
              {a.lead && (
                <p class="article__lead" data-typo-scope="lead">
                  {a.lead}
                </p>
              )}
              {a.cover && (
                <figure>
                  <Picture image={a.cover} alt={a.coverCaption || a.title} sizes="(min-width: 800px) 760px, 100vw" eager />
                  {(a.coverCaption || a.coverCredit) && (
                    <figcaption data-typo-scope="caption">
                      {a.coverCaption && <span>{a.coverCaption}</span>}
                      {a.coverCredit && <small class="credit">{a.coverCredit}</small>}
                    </figcaption>
                  )}
                </figure>
              )}
            </header>
            <div
              class="article__body"
              data-typo-scope="body"
              dangerouslySetInnerHTML={{ __html: articleBodyHtml({ body: a.body, images: a.bodyImages, photoLabel: i18n.t('article.photo'), videoLabel: i18n.t('article.embedLink') }) }}
            />
            {a.tags.length > 0 && (
              <ul class="tags" aria-label={i18n.t('article.tags')}>
                {a.tags.map((t) => (
                  <li>
                    <a href={tagPath(t.slug)} rel="tag">
                      {t.title}
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </article>
          {related.length > 0 && (
            <section class="block related" aria-labelledby="related-title">
              <h2 class="block__title" id="related-title">
                {i18n.t('widget.related')}
              </h2>
              <ul class="news-list">
                {related.map((r) => (
                  <li>
                    <TypeLabel card={r} i18n={i18n} /> <a href={r.url}>{r.title}</a>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {afterBody}
        </div>
        <aside>{aside}</aside>
      </div>
    </Layout>
  );
}
