import type { VNode } from 'preact';
import type { PageContext } from '../../../web/context.js';
import { Layout } from '../../../web/layout.js';
import { Picture } from '../../../web/components/picture.js';
import type { ArticleCard } from '../types.js';
import { CardGrid, NewsList, OpinionCard, TypeLabel } from './cards.js';

export interface HomeData {
  lead: ArticleCard | null;
  latest: ArticleCard[];
  sections: { title: string; href: string; cards: ArticleCard[] }[];
  opinions: ArticleCard[];
  opinionsHref: string;
}

export function HomePage({ ctx, data, aside, main }: { ctx: PageContext; data: HomeData; aside: VNode[]; main: VNode[] }) {
  const { i18n } = ctx;
  const lead = data.lead;
  return (
    <Layout
      ctx={ctx}
      meta={{
        title: ctx.siteName,
        description: `${ctx.siteName}: ${i18n.t('site.tagline')}`,
        canonical: ctx.publicUrl + '/',
        jsonLd: [{ '@context': 'https://schema.org', '@type': 'WebSite', name: ctx.siteName, url: ctx.publicUrl + '/' }],
      }}
    >
      <h1 class="visually-hidden">{`${ctx.siteName}: ${i18n.t('home.title')}`}</h1>
      {lead && (
        <article class="lead-story">
          {lead.cover && (
            <a href={lead.url} tabIndex={-1} aria-hidden="true">
              <Picture image={lead.cover} alt="" sizes="(min-width: 720px) 60vw, 100vw" eager />
            </a>
          )}
          <div>
            <TypeLabel card={lead} i18n={i18n} />
            <h2 class="lead-story__title">
              <a href={lead.url}>{lead.title}</a>
            </h2>
            <p>{lead.lead}</p>
          </div>
        </article>
      )}
      {/* One grid, in the order a reader scans a city portal on a phone: the lead,
          a few latest, ТОП 5, opinions, then the rubrics. On a desktop the aside
          (ТОП 5, opinions, …) stands beside the latest news and the rubrics. */}
      <div class="home">
        <section class="block home__latest" aria-labelledby="latest-title">
          <h2 class="block__title" id="latest-title">
            {i18n.t('home.latest')}
          </h2>
          <NewsList cards={data.latest} i18n={i18n} now={ctx.now} className="news-list--latest" />
          {main}
        </section>
        <aside class="home__aside">
          {aside.filter((n) => n.key === 'top5')}
          {data.opinions.length > 0 && (
            <section class="block home__opinions" aria-labelledby="opinions-title">
              <h2 class="block__title" id="opinions-title">
                <a href={data.opinionsHref}>{i18n.t('home.opinions')}</a>
              </h2>
              <ul class="opinion-list">
                {data.opinions.map((c) => (
                  <li>
                    <OpinionCard card={c} i18n={i18n} />
                  </li>
                ))}
              </ul>
            </section>
          )}
          {aside.filter((n) => n.key !== 'top5')}
        </aside>
        <div class="home__rubrics">
          {data.sections.map((s, i) => (
            <section class="block" aria-labelledby={`section-${i}`}>
              <h2 class="block__title" id={`section-${i}`}>
                <a href={s.href}>{s.title}</a>
              </h2>
              <CardGrid cards={s.cards} i18n={i18n} now={ctx.now} variant="rubric" />
            </section>
          ))}
        </div>
      </div>
    </Layout>
  );
}
