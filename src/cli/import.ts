// `gorod import wordpress FILE.xml` and `gorod import verify FILE.xml --old-base URL`:
// the WordPress import from the command line, with a progress bar on a terminal
// (items done, items per second, time left; plain lines in a pipe or a log) and the
// summary at the end. Ctrl+C stops after the post being written: `--resume` goes on.
import fs from 'node:fs';
import cliProgress from 'cli-progress';
import type { App } from '../types.js';
import { i18n as makeI18n } from '../platform/i18n/index.js';
import { countLines, ImportRefused, lineText, oldAddresses, reportCsvChunks, verify, type Progress, type SectionMap } from '../modules/wordpress-import/index.js';

export interface ImportArgs {
  file: string;
  dryRun: boolean;
  map?: string;
  uploads?: string;
  resume: boolean;
  fetch: boolean;
  accounts?: boolean;
  report?: string;
}

type Out = NodeJS.WriteStream;

function progressDisplay(stream: Out) {
  const phases: Record<Progress['phase'], string> = { scan: 'reading', structure: 'structure', media: 'media', posts: 'posts', finish: 'finishing' };
  let phase = '';
  let bar: cliProgress.SingleBar | null = null;
  let quarter = 0;
  let last = 0;
  let started = Date.now();
  return {
    update(raw: Progress) {
      // The scan counts bytes: shown in MB.
      const p = raw.phase === 'scan' ? { ...raw, done: Math.round(raw.done / 1048576), total: Math.max(1, Math.round(raw.total / 1048576)) } : raw;
      const unit = raw.phase === 'scan' ? ' MB' : '';
      const name = phases[p.phase];
      if (name !== phase) {
        bar?.stop();
        phase = name;
        quarter = 0;
        started = Date.now();
        if (stream.isTTY && p.phase !== 'finish') {
          bar = new cliProgress.SingleBar(
            { stream, format: `${name.padEnd(9)} [{bar}] {value}/{total}${unit} | {rate}${unit}/s | ETA {eta_formatted}`, hideCursor: true, etaBuffer: 200, fps: 5 },
            cliProgress.Presets.shades_classic,
          );
          bar.start(p.total, p.done, { rate: '0' });
        } else if (!stream.isTTY) stream.write(`import: ${name} (${p.total}${unit})\n`);
        return;
      }
      const rate = (p.done / Math.max(0.001, (Date.now() - started) / 1000)).toFixed(1);
      if (bar) {
        const now = Date.now();
        if (now - last > 100 || p.done >= p.total) {
          bar.setTotal(p.total);
          bar.update(p.done, { rate });
          last = now;
        }
      } else {
        const reached = p.total ? Math.floor((p.done / p.total) * 4) : 0;
        if (reached > quarter && reached < 4) stream.write(`import: ${name} ${reached * 25}% (${p.done} of ${p.total}, ${rate}/s)\n`);
        quarter = Math.max(quarter, reached);
      }
    },
    stop() {
      bar?.stop();
    },
  };
}

/** Exit code: 0 done, 1 refused or failed. */
export async function importWordpress(app: App, args: ImportArgs, out: Out, err: Out): Promise<number> {
  const t = makeI18n('ru', app.config.timezone);
  let map: SectionMap | undefined;
  if (args.map) {
    try {
      const parsed = JSON.parse(fs.readFileSync(args.map, 'utf8')) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === 'string')) throw new Error('not an object of strings');
      map = parsed as SectionMap;
    } catch (e) {
      err.write(`gorod: ${t.t('wpImport.admin.badMap')} (${args.map}: ${(e as Error).message})\n`);
      return 1;
    }
  }
  if (args.uploads && !fs.existsSync(args.uploads)) {
    err.write(`gorod: --uploads ${args.uploads}: no such folder\n`);
    return 1;
  }
  const display = progressDisplay(err);
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const report = await app.wordpressImport.run({ file: args.file, dryRun: args.dryRun, map, uploadsDir: args.uploads, fetch: args.fetch || !args.uploads, resume: args.resume, accounts: args.accounts, progress: (p) => display.update(p), signal: abort.signal });
    display.stop();
    out.write(`${t.t('wpImport.cli.summary', { site: report.site, version: report.version, seconds: (report.ms / 1000).toFixed(1) })}\n`);
    if (report.dryRun) out.write(`${t.t('wpImport.cli.dryRun')}\n`);
    if (report.resumedFrom) out.write(`${t.t('wpImport.cli.resumed', { n: report.resumedFrom })}\n`);
    if (report.created.accounts && !report.dryRun) out.write(`${t.t('wpImport.cli.accounts')}\n`);
    for (const l of countLines(report, t)) out.write(`${l}\n`);
    for (const l of report.lines.slice(0, 50)) out.write(`  ${lineText(l, t)}\n`);
    if (report.lines.length > 50 || report.linesLeftOut) out.write(`  … ${t.t('wpImport.admin.linesLeftOut', { n: report.lines.length - 50 + report.linesLeftOut })}\n`);
    if (report.sticky.length) out.write(`${t.t('wpImport.cli.sticky', { ids: report.sticky.join(', ') })}\n`);
    const reportFile = args.report ?? `${args.file.replace(/\.xml$/i, '')}.import-report.csv`;
    try {
      // Written piece by piece: as one string the CSV of 200,000 addresses was the run's peak of memory.
      const fd = fs.openSync(reportFile, 'w');
      try {
        for (const chunk of reportCsvChunks(report, t)) fs.writeSync(fd, chunk);
      } finally {
        fs.closeSync(fd);
      }
      out.write(`${t.t('wpImport.cli.report', { file: reportFile })}\n`);
    } catch (e) {
      err.write(`gorod: report not written: ${(e as Error).message}\n`);
    }
    return 0;
  } catch (e) {
    display.stop();
    if (e instanceof ImportRefused) {
      err.write(`gorod: ${t.t(`wpImport.refused.${e.code}` as never, { detail: e.message.slice(0, 300) })}\n`);
      return 1;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export async function verifyImport(file: string, oldBase: string, portalUrl: string, out: Out, err: Out, timezone: string): Promise<number> {
  const t = makeI18n('ru', timezone);
  let paths: string[];
  try {
    paths = await oldAddresses(file, oldBase);
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'not_xml';
    err.write(`gorod: ${t.t(`wpImport.refused.${code}` as never, { detail: (e as Error).message.slice(0, 300) })}\n`);
    return 1;
  }
  const result = await verify(paths, portalUrl);
  if (!result.bad.length) {
    out.write(`${t.t('wpImport.cli.verifyOk', { n: result.checked })}\n`);
    return 0;
  }
  out.write(`${t.t('wpImport.cli.verifyBad', { bad: result.bad.length, n: result.checked })}\n`);
  for (const b of result.bad) out.write(`  ${b.path}  ${b.status || 'no answer'}${b.location ? ` → ${b.location} ${b.finalStatus || ''}` : ''}\n`);
  return 1;
}
