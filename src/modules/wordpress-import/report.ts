// The report of a run in words: the summary the command prints and the back office
// shows, and the CSV of every old address with its target.
import type { I18n } from '../../platform/i18n/index.js';
import type { ImportReport, ReportLine } from './runner.js';

const BUCKETS = ['created', 'updated', 'unchanged', 'skipped', 'refused'] as const;

const KINDS = new Set(['authors', 'accounts', 'sections', 'categories', 'tags', 'media', 'posts', 'pages', 'comments', 'pingbacks', 'trashedComments']);
const ITEMS = new Set(['post', 'page', 'comment', 'attachment', 'category', 'author']);

/** A count's name: ours in words; another WordPress post type (nav_menu_items, revisions) as WordPress names it. */
function kindName(kind: string, i18n: Pick<I18n, 't'>): string {
  return KINDS.has(kind) ? i18n.t(`wpImport.kind.${kind}` as never) : kind;
}

/** «Создано: записи 3, комментарии 2» — one line per bucket that has anything. */
export function countLines(r: Pick<ImportReport, (typeof BUCKETS)[number]>, i18n: Pick<I18n, 't'>): string[] {
  return BUCKETS.filter((b) => Object.keys(r[b] ?? {}).length).map(
    (b) =>
      `${i18n.t(`wpImport.count.${b}`)}: ${Object.entries(r[b])
        .map(([k, n]) => `${kindName(k, i18n)} ${n}`)
        .join(', ')}`,
  );
}

/** «запись 15» for the report's 'post 15'. */
export function itemName(item: string, i18n: Pick<I18n, 't'>): string {
  const space = item.indexOf(' ');
  const kind = space > 0 ? item.slice(0, space) : item;
  return ITEMS.has(kind) ? i18n.t(`wpImport.item.${kind}` as never, { id: item.slice(space + 1) }) : item;
}

/** One report line in words: «запись 15 «Заголовок»: у записи нет даты…». */
export function lineText(l: ReportLine, i18n: Pick<I18n, 't'>): string {
  const words = i18n.t(`wpImport.line.${l.code}` as never, { detail: l.detail ?? '' });
  return `${l.item ? itemName(l.item, i18n) : ''}${l.title ? ` «${l.title.slice(0, 80)}»` : ''}: ${words}`;
}

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * Every old address of the file and what answers it now, then the report's lines:
 * the CSV in pieces of a thousand rows, so a file of 200,000 addresses is written
 * without being one string in memory (as one, with the array of its rows, it was
 * the import's peak of resident memory: docs/benchmarks.md, «WordPress import»).
 */
export function* reportCsvChunks(r: ImportReport, i18n: Pick<I18n, 't'>): Generator<string> {
  const CHUNK = 1000;
  yield 'old_url,target\n';
  for (let i = 0; i < r.redirects.length; i += CHUNK) {
    let chunk = '';
    for (const x of r.redirects.slice(i, i + CHUNK)) chunk += `${csvCell(x.old)},${csvCell(x.target)}\n`;
    yield chunk;
  }
  if (r.redirectsLeftOut) yield `# ${r.redirectsLeftOut} more,\n`;
  yield '\nitem,note\n';
  for (let i = 0; i < r.lines.length; i += CHUNK) {
    yield r.lines
      .slice(i, i + CHUNK)
      .map((l) => `${csvCell(`${itemName(l.item, i18n)}${l.title ? ` «${l.title}»` : ''}`)},${csvCell(lineText({ ...l, title: undefined, item: '' }, i18n).replace(/^: /, ''))}\n`)
      .join('');
  }
}

/** The same CSV as one string (a small report: the back office, tests). */
export function reportCsv(r: ImportReport, i18n: Pick<I18n, 't'>): string {
  return [...reportCsvChunks(r, i18n)].join('');
}
