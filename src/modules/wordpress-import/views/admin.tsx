// The back office's WordPress import: the upload form, the runs with their
// progress (the page reloads itself while one runs: no script), and one run's report.
import type { PageContext } from '../../../web/context.js';
import { AdminLayout, type AdminNavItem } from '../../../web/admin.js';
import type { RunRow } from '../service.js';
import type { ImportReport } from '../runner.js';
import { countLines, lineText } from '../report.js';

function Progress({ ctx, run }: { ctx: PageContext; run: RunRow }) {
  const { i18n } = ctx;
  const pct = run.total ? Math.min(100, Math.round((run.done / run.total) * 100)) : run.state === 'done' ? 100 : 0;
  return (
    <span class="wp-import__progress">
      <progress max={100} value={pct} aria-label={i18n.t('wpImport.admin.progress', { done: run.done, total: run.total })} />{' '}
      <span>{i18n.t('wpImport.admin.progress', { done: run.done, total: run.total })}</span>
    </span>
  );
}

export function ImportAdmin({ ctx, nav, runs, notice }: { ctx: PageContext; nav: AdminNavItem[]; runs: RunRow[]; notice: { queued?: boolean; error?: string } }) {
  const { i18n } = ctx;
  const active = runs.some((r) => r.state === 'running' || r.state === 'queued');
  return (
    <AdminLayout ctx={ctx} title={i18n.t('wpImport.admin.title')} nav={nav}>
      {active && <meta http-equiv="refresh" content="3" />}
      {notice.queued && (
        <p class="notice" role="status">
          {i18n.t('wpImport.admin.queuedNotice')}
        </p>
      )}
      {notice.error && (
        <p class="notice notice--error" role="alert">
          {notice.error}
        </p>
      )}
      <p>{i18n.t('wpImport.admin.intro')}</p>
      <form class="admin-form" method="post" action="/admin/import" enctype="multipart/form-data">
        <label>
          {i18n.t('wpImport.admin.file')}
          <input type="file" name="file" accept=".xml,application/xml,text/xml" required />
        </label>
        <label>
          {i18n.t('wpImport.admin.map')}
          <textarea name="map" rows={3} maxLength={100_000} placeholder='{"novosti": "gorod"}' />
          <span class="muted">{i18n.t('wpImport.admin.mapHint')}</span>
        </label>
        <label class="checkbox">
          <input type="checkbox" name="dryRun" value="1" /> {i18n.t('wpImport.admin.dryRun')}
        </label>
        <label class="checkbox">
          <input type="checkbox" name="accounts" value="1" /> {i18n.t('wpImport.admin.accounts')}
        </label>
        <button type="submit" class="button">
          {i18n.t('wpImport.admin.submit')}
        </button>
      </form>
      <h2>{i18n.t('wpImport.admin.runs')}</h2>
      {active && <p class="muted">{i18n.t('wpImport.admin.refreshing')}</p>}
      {runs.length ? (
        <ul class="wp-import__runs">
          {runs.map((r) => (
            <li>
              <a href={`/admin/import/${r.id}`}>{i18n.t('wpImport.admin.run', { id: r.id })}</a> · {i18n.t(`wpImport.state.${r.state}`)}
              {r.dryRun && <> · {i18n.t('wpImport.admin.dryRunBadge')}</>} · <span class="muted">{i18n.when(r.startedAt)}</span> <Progress ctx={ctx} run={r} />
              {r.error && <span class="notice--error"> {r.error}</span>}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{i18n.t('wpImport.admin.noRuns')}</p>
      )}
    </AdminLayout>
  );
}

export function ImportRunPage({ ctx, nav, run }: { ctx: PageContext; nav: AdminNavItem[]; run: RunRow }) {
  const { i18n } = ctx;
  const report = (run.report ?? null) as (Partial<ImportReport> & { refusedFile?: { code: string; detail: string } | null }) | null;
  const refusedWhole = report?.refusedFile ?? null;
  const active = run.state === 'running' || run.state === 'queued';
  return (
    <AdminLayout ctx={ctx} title={i18n.t('wpImport.admin.run', { id: run.id })} nav={nav}>
      {active && <meta http-equiv="refresh" content="3" />}
      <p>
        {i18n.t(`wpImport.state.${run.state}`)}
        {run.dryRun && <> · {i18n.t('wpImport.admin.dryRunBadge')}</>} · <Progress ctx={ctx} run={run} />
      </p>
      {(refusedWhole || run.error) && (
        <p class="notice notice--error" role="alert">
          {refusedWhole ? i18n.t(`wpImport.refused.${refusedWhole.code}` as never, { detail: refusedWhole.detail }) : run.error}
        </p>
      )}
      {report && report.created && (
        <>
          <h2>{i18n.t('wpImport.admin.report')}</h2>
          <ul>
            {countLines(report as ImportReport, i18n).map((l) => (
              <li>{l}</li>
            ))}
          </ul>
          {report.lines?.length ? (
            <ul class="wp-import__lines">
              {report.lines.map((l) => (
                <li>{lineText(l, i18n)}</li>
              ))}
              {report.linesLeftOut ? <li class="muted">{i18n.t('wpImport.admin.linesLeftOut', { n: report.linesLeftOut })}</li> : null}
            </ul>
          ) : (
            <p class="muted">{i18n.t('wpImport.admin.noLines')}</p>
          )}
        </>
      )}
    </AdminLayout>
  );
}
