// The page shell: head with SEO tags, header with rubric navigation, main, footer.
import type { ComponentChildren } from 'preact';
import type { PageContext, PageMeta } from './context.js';
import { RubricMenu } from './components/rubric-menu.js';
import { Footer } from './components/footer.js';

function jsonLdText(data: object): string {
  // `<` escaped so a headline can never close the script element.
  return JSON.stringify(data).replace(/</g, '\\u003c');
}

export function Layout({ ctx, meta, children }: { ctx: PageContext; meta: PageMeta; children: ComponentChildren }) {
  const { i18n } = ctx;
  const title = meta.title === ctx.siteName ? meta.title : `${meta.title} — ${ctx.siteName}`;
  const image = meta.og?.image;
  return (
    <html lang={i18n.locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        {meta.description && <meta name="description" content={meta.description} />}
        {meta.noindex && <meta name="robots" content="noindex" />}
        {meta.canonical && <link rel="canonical" href={meta.canonical} />}
        <meta property="og:site_name" content={ctx.siteName} />
        <meta property="og:locale" content={i18n.locale === 'ru' ? 'ru_RU' : 'en_US'} />
        <meta property="og:type" content={meta.og?.type ?? 'website'} />
        <meta property="og:title" content={meta.title} />
        {meta.description && <meta property="og:description" content={meta.description} />}
        {meta.canonical && <meta property="og:url" content={meta.canonical} />}
        {image && <meta property="og:image" content={image} />}
        {meta.og?.publishedTime && <meta property="article:published_time" content={meta.og.publishedTime} />}
        {meta.og?.modifiedTime && <meta property="article:modified_time" content={meta.og.modifiedTime} />}
        {meta.og?.section && <meta property="article:section" content={meta.og.section} />}
        <meta name="twitter:card" content={image ? 'summary_large_image' : 'summary'} />
        <meta name="twitter:title" content={meta.title} />
        {meta.description && <meta name="twitter:description" content={meta.description} />}
        {image && <meta name="twitter:image" content={image} />}
        {(meta.feeds ?? [{ title: ctx.siteName, href: '/rss.xml' }]).map((f) => (
          <link rel="alternate" type="application/rss+xml" title={f.title} href={f.href} />
        ))}
        <link rel="stylesheet" href={ctx.assets.css} />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        {meta.jsonLd?.map((d) => <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLdText(d) }} />)}
        <script type="module" src={ctx.assets.js} />
      </head>
      <body>
        <a class="skip-link" href="#main">{i18n.t('nav.skip')}</a>
        <header class="site-header">
          <div class="site-header__bar">
            {/* Named by its visible text («Город»): a different label would not match
                what a voice-control user reads and says. */}
            <a class="site-logo" href="/">
              <span class="site-logo__mark" aria-hidden="true">Г</span>
              <span class="site-logo__name">{ctx.siteName}</span>
            </a>
            <form class="search-box" method="get" action="/search" role="search" aria-label={i18n.t('nav.siteSearch')}>
              <label class="visually-hidden" for="site-search">
                {i18n.t('nav.search')}
              </label>
              <input id="site-search" type="search" name="q" maxLength={200} placeholder={i18n.t('nav.search')} />
              <button class="button" type="submit">
                {i18n.t('nav.search')}
              </button>
            </form>
            <div class="site-header__account" data-island="account">
              <a href="/login">{i18n.t('nav.signIn')}</a>
            </div>
          </div>
          <RubricMenu ctx={ctx} />
        </header>
        <main id="main" class="site-main" tabIndex={-1}>
          {children}
        </main>
        <Footer ctx={ctx} />
      </body>
    </html>
  );
}
