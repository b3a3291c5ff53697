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

/** Every old address of the file and what answers it now, then the report's lines. */
export function reportCsv(r: ImportReport, i18n: Pick<I18n, 't'>): string {
  const rows = ['old_url,target', ...r.redirects.map((x) => `${csvCell(x.old)},${csvCell(x.target)}`)];
  if (r.redirectsLeftOut) rows.push(`# ${r.redirectsLeftOut} more,`);
  rows.push('', 'item,note', ...r.lines.map((l) => `${csvCell(`${itemName(l.item, i18n)}${l.title ? ` «${l.title}»` : ''}`)},${csvCell(lineText({ ...l, title: undefined, item: '' }, i18n).replace(/^: /, ''))}`));
  return `${rows.join('\n')}\n`;
}
