// The newsroom's part of the overview page (/admin): today's views, the most read,
// what waits for an editor (typo reports, held comments, articles in review) and
// what is scheduled, each with a link to where it is handled.
import type { I18n } from '../../../platform/i18n/index.js';

export interface OverviewData {
  viewsToday: number;
  mostRead: { id: number; title: string; url: string; views: number }[];
  openTypos: number;
  heldComments: number;
  inReview: { id: number; title: string }[];
  scheduled: { id: number; title: string; at: Date }[];
}

function Figure({ href, label, value }: { href: string; label: string; value: string }) {
  return (
    <li class="overview__figure">
      <a href={href}>
        <span class="overview__value">{value}</span> <span class="overview__label">{label}</span>
      </a>
    </li>
  );
}

export function NewsroomOverview({ i18n, data }: { i18n: I18n; data: OverviewData }) {
  const n = (v: number) => v.toLocaleString(i18n.locale === 'ru' ? 'ru-RU' : 'en-GB');
  return (
    <section class="overview" aria-label={i18n.t('newsroom.overview.title')}>
      <ul class="overview__figures">
        <Figure href="/admin/stats" label={i18n.t('newsroom.overview.viewsToday')} value={n(data.viewsToday)} />
        <Figure href="/admin/typos" label={i18n.t('newsroom.overview.openTypos')} value={n(data.openTypos)} />
        <Figure href="/admin/comments" label={i18n.t('newsroom.overview.heldComments')} value={n(data.heldComments)} />
        <Figure href="/admin/articles?status=review" label={i18n.t('newsroom.overview.inReview')} value={n(data.inReview.length)} />
        <Figure href="/admin/articles?status=scheduled" label={i18n.t('newsroom.overview.scheduled')} value={n(data.scheduled.length)} />
      </ul>
      <div class="overview__lists">
        <section>
          <h2>{i18n.t('newsroom.overview.mostRead')}</h2>
          {data.mostRead.length === 0 ? (
            <p class="muted">{i18n.t('newsroom.overview.noViews')}</p>
          ) : (
            <ol class="overview__list">
              {data.mostRead.map((a) => (
                <li>
                  <a href={`/admin/articles/${a.id}`}>{a.title}</a> <span class="muted">{i18n.t('newsroom.overview.views', { n: n(a.views) })}</span>
                </li>
              ))}
            </ol>
          )}
        </section>
        <section>
          <h2>{i18n.t('newsroom.overview.scheduledTitle')}</h2>
          {data.scheduled.length === 0 ? (
            <p class="muted">{i18n.t('newsroom.overview.nothingScheduled')}</p>
          ) : (
            <ul class="overview__list">
              {data.scheduled.map((a) => (
                <li>
                  <a href={`/admin/articles/${a.id}`}>{a.title}</a> <span class="muted">{i18n.dateTime(a.at)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </section>
  );
}
