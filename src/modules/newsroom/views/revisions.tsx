// Revisions of an article and one revision's differences from the current text,
// word by word (the `diff` library), with a restore button for editors.
import { diffWords } from 'diff';
import type { I18n } from '../../../platform/i18n/index.js';

export interface RevisionRow {
  revision: number;
  title: string;
  author: string;
  createdAt: Date;
}

export function RevisionsList({ i18n, articleId, current, rows }: { i18n: I18n; articleId: number; current: number; rows: RevisionRow[] }) {
  return (
    <>
      <p>
        <a href={`/admin/articles/${articleId}`}>← {i18n.t('newsroom.articles')}</a>
      </p>
      <table class="admin-table">
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>
                {r.revision === current ? (
                  <strong>
                    {i18n.t('newsroom.revision', { n: r.revision })} ({i18n.t('newsroom.current')})
                  </strong>
                ) : (
                  <a href={`/admin/articles/${articleId}/revisions/${r.revision}`}>{i18n.t('newsroom.revision', { n: r.revision })}</a>
                )}
              </td>
              <td>{r.title}</td>
              <td>{r.author}</td>
              <td>{i18n.when(r.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** Title, lead and body as one plain text, the way an editor compares them. */
export const revisionText = (r: { title: string; lead: string; bodyText: string }) => `${r.title}\n\n${r.lead}\n\n${r.bodyText}`;

export function RevisionDiff({ i18n, articleId, revision, oldText, newText, csrf, currentRevision, canRestore }: { i18n: I18n; articleId: number; revision: number; oldText: string; newText: string; csrf: string; currentRevision: number; canRestore: boolean }) {
  // Word boundaries by Intl: the library's own tokenizer splits Cyrillic words into letters.
  const parts = diffWords(oldText, newText, { intlSegmenter: new Intl.Segmenter(i18n.locale, { granularity: 'word' }) });
  const same = parts.every((p) => !p.added && !p.removed);
  return (
    <>
      <p>
        <a href={`/admin/articles/${articleId}/revisions`}>← {i18n.t('newsroom.revisions')}</a>
      </p>
      <p class="diff-legend">
        <del>{i18n.t('newsroom.diff.removed')}</del> <ins>{i18n.t('newsroom.diff.added')}</ins>
      </p>
      {same ? (
        <p>{i18n.t('newsroom.diff.same')}</p>
      ) : (
        <div class="diff">{parts.map((p) => (p.removed ? <del>{p.value}</del> : p.added ? <ins>{p.value}</ins> : <span>{p.value}</span>))}</div>
      )}
      {canRestore && (
        <form method="post" action={`/admin/articles/${articleId}/revisions/${revision}/restore`}>
          <input type="hidden" name="_csrf" value={csrf} />
          <input type="hidden" name="baseRevision" value={String(currentRevision)} />
          <button type="submit">{i18n.t('newsroom.restore')}</button>
        </form>
      )}
    </>
  );
}
