// «Статистика»: lead counters per day, week or month as an SVG chart (readable
// without JavaScript: a title, a description and a table of the same figures),
// per ad and per member, with a CSV export.
import type { PageContext } from '../../../web/context.js';
import { Layout } from '../../../web/layout.js';
import type { Grouping, Row } from '../leads.js';

export interface StatsView {
  title: string;
  base: string;
  grouping: Grouping;
  days: number;
  series: Row[];
  perAd: { ad_id: number; title: string; url: string; views: number; uniques: number; reveals: number; conversations: number; favourites: number }[];
  perMember: { name: string; shop: string; answers: number; meanMs: number }[];
  /** An operator's storefronts: the last lead, «нет обращений 30 дней». */
  shops: { name: string; href: string; lastLead: string | null; quiet: boolean }[];
  switcher?: { id: number; name: string }[];
}

const COUNTERS = ['views', 'uniques', 'reveals', 'conversations', 'favourites'] as const;

/** A period as a reader says it: «6 декабря 2026 г.», «неделя с 12 октября 2026 г.», «октябрь 2026 г.» (the CSV keeps the ISO form). */
function periodLabel(i18n: PageContext['i18n'], grouping: Grouping, period: string): string {
  if (grouping === 'day') return i18n.day(period);
  if (grouping === 'week') return i18n.t('ads.weekOf', { day: i18n.day(period) });
  return new Intl.DateTimeFormat(i18n.locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${period}-01T00:00:00Z`));
}

export function Chart({ ctx, rows }: { ctx: PageContext; rows: Row[] }) {
  const { i18n } = ctx;
  const W = 640;
  const H = 200;
  const TOP = 8; // headroom: the highest bar and the line's stroke stay inside the frame
  const max = Math.max(1, ...rows.map((r) => r.views));
  const step = rows.length ? W / rows.length : W;
  const bar = Math.max(2, step * 0.7);
  const leadsMax = Math.max(1, ...rows.map((r) => r.reveals + r.conversations));
  return (
    <figure class="ad-chart">
      <svg viewBox={`0 0 ${W} ${H + 20}`} role="img" aria-labelledby="chart-title chart-desc" preserveAspectRatio="none">
        <title id="chart-title">{i18n.t('ads.chartTitle')}</title>
        <desc id="chart-desc">{i18n.t('ads.chartDesc', { views: rows.reduce((s, r) => s + r.views, 0), leads: rows.reduce((s, r) => s + r.reveals + r.conversations, 0) })}</desc>
        {rows.map((r, i) => {
          const h = (r.views / max) * (H - TOP);
          return <rect x={i * step + (step - bar) / 2} y={H - h} width={bar} height={h} fill="#9db7d9" />;
        })}
        {rows.length > 1 && <polyline fill="none" stroke="#c0392b" stroke-width="2" points={rows.map((r, i) => `${i * step + step / 2},${H - ((r.reveals + r.conversations) / leadsMax) * (H - TOP)}`).join(' ')} />}
        <line x1="0" y1={H} x2={W} y2={H} stroke="#555" />
      </svg>
      <figcaption class="muted">
        <span class="ad-chart__key ad-chart__key--views" /> {i18n.t('ads.counter.views')} · <span class="ad-chart__key ad-chart__key--leads" /> {i18n.t('ads.chartLeads')}
      </figcaption>
    </figure>
  );
}

export function StatsPage({ ctx, view }: { ctx: PageContext; view: StatsView }) {
  const { i18n } = ctx;
  const q = (over: Record<string, string>) => {
    const p = new URLSearchParams({ by: view.grouping, days: String(view.days), ...over });
    return `${view.base}?${p}`;
  };
  const sec = (ms: number) => (ms < 3600_000 ? i18n.plural('ads.minutes', Math.max(1, Math.round(ms / 60_000))) : i18n.plural('ads.hours', Math.round(ms / 3600_000)));
  return (
    <Layout ctx={ctx} meta={{ title: view.title, noindex: true }}>
      <section class="ads ad-stats">
        <h1>{view.title}</h1>
        {view.switcher && view.switcher.length > 0 && (
          <nav class="ad-tabs" aria-label={i18n.t('ads.switchShop')}>
            <a href="/ads/my/stats">{i18n.t('ads.allMine')}</a>
            {view.switcher.map((s) => (
              <a href={`/ads/my/stats?shop=${s.id}`}>{s.name}</a>
            ))}
          </nav>
        )}
        <p class="ad-tabs">
          {(['day', 'week', 'month'] as const).map((g) => (
            <a href={q({ by: g })} aria-current={g === view.grouping ? 'page' : undefined}>
              {i18n.t(`ads.by.${g}`)}
            </a>
          ))}
          {[30, 90].map((d) => (
            <a href={q({ days: String(d) })} aria-current={d === view.days ? 'page' : undefined}>
              {i18n.plural('ads.days', d)}
            </a>
          ))}
          <a href={q({ format: 'csv' })}>{i18n.t('ads.csv')}</a>
        </p>
        {view.shops.length > 0 && (
          <table class="ad-table">
            <caption>{i18n.t('ads.shopsLeads')}</caption>
            <thead>
              <tr>
                <th scope="col">{i18n.t('ads.storefront')}</th>
                <th scope="col">{i18n.t('ads.lastLead')}</th>
              </tr>
            </thead>
            <tbody>
              {view.shops.map((s) => (
                <tr class={s.quiet ? 'ad-quiet' : undefined}>
                  <td>
                    <a href={s.href}>{s.name}</a>
                  </td>
                  <td>
                    {s.lastLead ? i18n.day(s.lastLead) : '—'}
                    {s.quiet && <strong class="ad-badge ad-badge--warn"> {i18n.t('ads.noLead30')}</strong>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Chart ctx={ctx} rows={view.series} />
        <table class="ad-table">
          <caption>{i18n.t('ads.byPeriod')}</caption>
          <thead>
            <tr>
              <th scope="col">{i18n.t('ads.period')}</th>
              {COUNTERS.map((c) => (
                <th scope="col">{i18n.t(`ads.counter.${c}`)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {view.series.map((r) => (
              <tr>
                <th scope="row">{periodLabel(i18n, view.grouping, r.period)}</th>
                {COUNTERS.map((c) => (
                  <td>{r[c]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {view.perAd.length > 0 && (
          <table class="ad-table">
            <caption>{i18n.t('ads.byAd')}</caption>
            <thead>
              <tr>
                <th scope="col">{i18n.t('ads.adTitle')}</th>
                {COUNTERS.map((c) => (
                  <th scope="col">{i18n.t(`ads.counter.${c}`)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {view.perAd.map((r) => (
                <tr>
                  <th scope="row">
                    <a href={r.url}>{r.title}</a>
                  </th>
                  {COUNTERS.map((c) => (
                    <td>{r[c]}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {view.perMember.length > 0 && (
          <table class="ad-table">
            <caption>{i18n.t('ads.byMember')}</caption>
            <thead>
              <tr>
                <th scope="col">{i18n.t('ads.member')}</th>
                <th scope="col">{i18n.t('ads.storefront')}</th>
                <th scope="col">{i18n.t('ads.answers')}</th>
                <th scope="col">{i18n.t('ads.firstResponse')}</th>
              </tr>
            </thead>
            <tbody>
              {view.perMember.map((m) => (
                <tr>
                  <th scope="row">{m.name}</th>
                  <td>{m.shop}</td>
                  <td>{m.answers}</td>
                  <td>{sec(m.meanMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Layout>
  );
}

export function statsCsv(view: StatsView): string {
  const lines = [['period', ...COUNTERS].join(',')];
  for (const r of view.series) lines.push([r.period, ...COUNTERS.map((c) => r[c])].join(','));
  lines.push('');
  lines.push(['ad_id', 'title', ...COUNTERS].join(','));
  for (const r of view.perAd) lines.push([r.ad_id, `"${(/^[=+\-@]/.test(r.title) ? "'" : '') + r.title.replace(/"/g, '""')}"`, ...COUNTERS.map((c) => r[c])].join(','));
  return lines.join('\n') + '\n';
}
