// The readers' part of a live article (the article page's `article.afterBody`
// widget, and the page around an entry at /…/entry/N/): the state of the
// coverage, «Ключевые события», the pinned entry, a page of 30 entries and the
// links to the pages before and after. Complete without JavaScript; the island
// (client/live.ts) adds what arrives later. Entries are staff-written blocks,
// rendered by content's article renderer, never as raw HTML from a request.
import type { I18n } from '../../../platform/i18n/index.js';
import type { ImageRef } from '../../media/index.js';
import { articleBodyHtml } from '../../content/index.js';
import { en, ru } from '../i18n.js';
import { ENTRIES_PER_PAGE, isLiveNow, type EntryVersion, type LiveInfo } from '../service.js';

export const entryPath = (articleUrl: string, entryId: number) => `${articleUrl}entry/${entryId}/`;

/** One entry. `likes`: its reaction count when the page shows counts (a range's HTML, kept for good, shows none). */
export function EntryView({ v, i18n, now, articleUrl, images, likes, tag = 'article' }: { v: EntryVersion; i18n: I18n; now: Date; articleUrl: string; images: Map<number, ImageRef>; likes?: number; tag?: 'article' | 'div' }) {
  const Tag = tag;
  const edited = v.version > 1 && v.firstAt && v.createdAt.getTime() - v.firstAt.getTime() > 60_000;
  return (
    <Tag class={`live-entry${v.keyEvent ? ' live-entry--key' : ''}${v.pinned ? ' live-entry--pinned' : ''}`} id={`entry-${v.id}`} data-entry={v.id} data-seq={v.seq}>
      <header class="live-entry__head">
        <a class="live-entry__time" href={entryPath(articleUrl, v.id)} title={i18n.t('live.link')}>
          <time dateTime={v.at.toISOString()}>{i18n.when(v.at, now)}</time>
        </a>
        {v.pinned && <span class="live-entry__mark live-entry__mark--pin">{i18n.t('live.pinned')}</span>}
        {v.keyEvent && <span class="live-entry__mark">{i18n.t('live.keyEvent')}</span>}
        {edited && <span class="live-entry__edited">{i18n.t('live.updated')}</span>}
      </header>
      {v.title && <h3 class="live-entry__title">{v.title}</h3>}
      <div class="live-entry__body" dangerouslySetInnerHTML={{ __html: articleBodyHtml({ body: { blocks: v.blocks }, images, photoLabel: i18n.t('article.photo'), videoLabel: i18n.t('article.embedLink') }) }} />
      <footer class="live-entry__foot">
        {v.authorName && <span class="live-entry__author">{v.authorName}</span>}
        {/* «Нравится» on the `live_entry` subject: the island sends it through the reactions API; without JavaScript the form does. */}
        <form class="live-like-form" method="post" action={`/subjects/live_entry/${v.id}/reaction`}>
          <input type="hidden" name="kind" value="LIKE" />
          <button type="submit" class="live-like" data-live-like={v.id} aria-pressed="false">
            <span aria-hidden="true">♥</span> <span class="live-like__label">{i18n.t('live.like')}</span> <span data-like-count="">{likes || ''}</span>
          </button>
        </form>
      </footer>
    </Tag>
  );
}

export interface FeedData {
  live: LiveInfo;
  articleId: number;
  articleUrl: string;
  /** Published entries in the article's order, the pinned one left out. */
  entries: EntryVersion[];
  pinned: EntryVersion | null;
  keyEvents: EntryVersion[];
  /** 1-based; pages of ENTRIES_PER_PAGE. */
  page: number;
  /** Reactions per entry shown (when the reactions module is installed). */
  likes: Map<number, number>;
  head: number;
  images: Map<number, ImageRef>;
}

export function pagesOf(count: number) {
  return Math.max(1, Math.ceil(count / ENTRIES_PER_PAGE));
}

export function LiveFeed({ d, i18n, now, rss }: { d: FeedData; i18n: I18n; now: Date; rss: string }) {
  const pages = pagesOf(d.entries.length);
  const slice = d.entries.slice((d.page - 1) * ENTRIES_PER_PAGE, d.page * ENTRIES_PER_PAGE);
  const onPage = new Set(slice.map((e) => e.id));
  if (d.pinned) onPage.add(d.pinned.id);
  // A later page is reached by the address of its first entry (/…/entry/N/): an address that stays valid as entries arrive.
  const pageLink = (p: number) => (p === 1 ? d.articleUrl : entryPath(d.articleUrl, d.entries[(p - 1) * ENTRIES_PER_PAGE]!.id));
  const running = isLiveNow(d.live, now);
  const upcoming = d.live.startsAt > now;
  // The end where new entries arrive is the page the island works on.
  const freshEnd = d.live.order === 'newest' ? d.page === 1 : d.page === pages;
  const labels = { new: (i18n.locale === 'en' ? en : ru)['live.new'] };
  return (
    <section
      class="live"
      aria-labelledby="live-title"
      data-island="live"
      data-stream={running && freshEnd ? '1' : undefined}
      data-article={d.articleId}
      data-order={d.live.order}
      data-head={d.head}
      data-labels={JSON.stringify(labels)}
    >
      <p class={`live__state${running ? ' live__state--on' : ''}`}>
        {running && <span class="live-dot" aria-hidden="true" />}
        {running ? i18n.t('live.running') : upcoming ? i18n.t('live.upcoming', { when: i18n.when(d.live.startsAt, now) }) : i18n.t('live.ended')}
        <a class="live__rss" href={rss}>
          {i18n.t('live.rss')}
        </a>
      </p>
      {d.keyEvents.length > 0 && (
        <nav class="live-key" aria-labelledby="live-key-title">
          <h2 class="block__title" id="live-key-title">
            {i18n.t('live.keyEvents')}
          </h2>
          <ol>
            {d.keyEvents.map((k) => (
              <li>
                {/* the time stays outside the link: underlined, the space between them looked like a stray line */}
                <time dateTime={k.at.toISOString()}>{i18n.when(k.at, now)}</time>{' '}
                <a href={onPage.has(k.id) ? `#entry-${k.id}` : `${entryPath(d.articleUrl, k.id)}#entry-${k.id}`}>{k.title || k.bodyText.slice(0, 120)}</a>
              </li>
            ))}
          </ol>
        </nav>
      )}
      <h2 class="visually-hidden" id="live-title">
        {i18n.t('live.entries')}
      </h2>
      {d.pinned && (
        <div class="live__pinned" data-live-pinned>
          <EntryView v={d.pinned} i18n={i18n} now={now} articleUrl={d.articleUrl} images={d.images} likes={d.likes.get(d.pinned.id)} />
        </div>
      )}
      <button type="button" class="live__new" data-live-new hidden />
      <div class="live__entries" data-live-entries>
        {slice.map((v) => (
          <EntryView v={v} i18n={i18n} now={now} articleUrl={d.articleUrl} images={d.images} likes={d.likes.get(v.id)} />
        ))}
        {!slice.length && !d.pinned && <p class="live__empty">{i18n.t('live.noEntries')}</p>}
      </div>
      {pages > 1 && (
        <nav class="pager live__pager" aria-label={i18n.t('live.pageOf', { page: d.page, pages })}>
          {d.page > 1 && (
            <a href={pageLink(d.page - 1)} rel="prev">
              {d.live.order === 'newest' ? i18n.t('live.newer') : i18n.t('live.older')}
            </a>
          )}
          <span>{i18n.t('live.pageOf', { page: d.page, pages })}</span>
          {d.page < pages && (
            <a href={`${pageLink(d.page + 1)}#entry-${d.entries[d.page * ENTRIES_PER_PAGE]!.id}`} rel="next">
              {d.live.order === 'newest' ? i18n.t('live.older') : i18n.t('live.newer')}
            </a>
          )}
        </nav>
      )}
    </section>
  );
}

/** `LiveBlogPosting` with every published update as a `BlogPosting` (Google's rules for live blogs). */
export function liveJsonLd(a: { title: string; lead: string; url: string; publishedAt: Date }, live: LiveInfo, entries: EntryVersion[], siteUrl: string): object {
  const url = siteUrl + a.url;
  return {
    '@context': 'https://schema.org',
    '@type': 'LiveBlogPosting',
    '@id': url,
    url,
    headline: a.title.slice(0, 110),
    description: a.lead,
    datePublished: a.publishedAt.toISOString(),
    coverageStartTime: live.startsAt.toISOString(),
    ...(live.endsAt ? { coverageEndTime: live.endsAt.toISOString() } : {}),
    liveBlogUpdate: entries.slice(0, 100).map((e) => ({
      '@type': 'BlogPosting',
      headline: (e.title || e.bodyText).slice(0, 110),
      url: `${url}#entry-${e.id}`,
      datePublished: e.at.toISOString(),
      dateModified: e.createdAt.toISOString(),
      articleBody: e.bodyText,
      ...(e.authorName ? { author: { '@type': 'Person', name: e.authorName } } : {}),
    })),
  };
}

export function jsonLdScript(data: object) {
  return <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: JSON.stringify(data).replace(/</g, '\\u003c') }} />;
}
