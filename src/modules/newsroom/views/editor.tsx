// The article editor page: the article's fields as a form and the body as an
// Editor.js block editor (the island in client/editor.ts). The page works as a
// shell without JS too: it says the editor needs it.
import type { I18n } from '../../../platform/i18n/index.js';
import type { EditableArticle } from '../../content/index.js';
import type { ImageRef } from '../../media/index.js';
import { StatusBadge, TYPES, typeLabel } from './articles.js';

type Option = { id: number; title: string };

/** Embedded as JSON data (not a script): `<` escaped so no text can close the element. */
export function jsonData(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c');
}

/** A typo report the editor was opened for (from the typo queue): the island finds and highlights it. */
export interface TypoMark {
  id: number;
  fragment: string;
  before: string;
  after: string;
}

export interface EditorProps {
  i18n: I18n;
  article: EditableArticle;
  sections: Option[];
  stories: Option[];
  authors: Option[];
  tags: string[];
  related: Option[];
  cover: ImageRef | null;
  actions: ('submit' | 'publish' | 'schedule' | 'sendBack' | 'unpublish')[];
  canDelete: boolean;
  maxUploadBytes: number;
  typo: TypoMark | null;
}

export function EditorPage(p: EditorProps) {
  const { i18n, article: a } = p;
  const coverThumb = p.cover ? p.cover.base + (p.cover.variants.find((v) => v.format === 'jpeg')?.file ?? '') : '';
  const labels = {
    saving: i18n.t('newsroom.state.saving'),
    saved: i18n.t('newsroom.state.saved'),
    dirty: i18n.t('newsroom.state.dirty'),
    conflict: i18n.t('newsroom.state.conflict'),
    error: i18n.t('newsroom.state.error'),
    uploading: i18n.t('newsroom.state.uploading'),
    confirmDelete: i18n.t('newsroom.confirmDelete'),
    typoMissing: i18n.t('newsroom.typo.missing'),
  };
  const ed = Object.fromEntries(
    (['text', 'heading', 'list', 'listBulleted', 'listNumbered', 'listChecklist', 'listStart', 'listCounter', 'quote', 'quoteCaption', 'image', 'selectImage', 'caption', 'credit', 'delimiter', 'bold', 'italic', 'link', 'addLink', 'clickToTune', 'dragToMove', 'delete', 'moveUp', 'moveDown', 'convertTo', 'filter', 'nothingFound', 'add'] as const).map((k) => [k, i18n.t(`newsroom.ed.${k}`)]),
  );
  return (
    <div class="editor" data-article-id={a.id}>
      <script type="application/json" id="newsroom-data" dangerouslySetInnerHTML={{ __html: jsonData({ id: a.id, revision: a.revision, body: a.body, labels, ed, maxUploadBytes: p.maxUploadBytes, locale: i18n.locale, typo: p.typo }) }} />
      <div class="editor__bar">
        <StatusBadge status={a.status} i18n={i18n} />
        <span class="muted">{i18n.t('newsroom.revision', { n: a.revision })}</span>
        <p id="save-state" class="save-state" role="status" aria-live="polite" />
        <a href={`/admin/articles/${a.id}/preview`} target="_blank" rel="noopener">
          {i18n.t('newsroom.preview')}
        </a>
        <a href={`/admin/articles/${a.id}/revisions`}>{i18n.t('newsroom.revisions')}</a>
        {a.status === 'published' && <a href={a.url}>{i18n.t('newsroom.onSite')}</a>}
      </div>
      {p.typo && (
        <p class="notice typo-notice" id={`typo-${p.typo.id}`} role="status">
          {i18n.t('newsroom.typo.reported')} «<mark>{p.typo.fragment}</mark>» <a href="/admin/typos">{i18n.t('newsroom.typo.queue')}</a>
        </p>
      )}
      <form id="article-form" class="admin-form editor__form" autocomplete="off">
        <label class="wide">
          {i18n.t('newsroom.field.title')}
          <input name="title" value={a.title} required maxLength={300} class="editor__title" />
        </label>
        <label class="wide">
          {i18n.t('newsroom.field.lead')}
          <textarea name="lead" rows={3} maxLength={1000}>
            {a.lead}
          </textarea>
        </label>
        <div class="wide">
          <span class="field-label">{i18n.t('newsroom.field.body')}</span>
          <div id="editor" class="editor__blocks">
            <noscript>{i18n.t('newsroom.noJs')}</noscript>
          </div>
        </div>
        <label>
          {i18n.t('newsroom.field.type')}
          <select name="type">
            {TYPES.map((t) => (
              <option value={t} selected={a.type === t}>
                {typeLabel(t, i18n)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {i18n.t('newsroom.field.section')}
          <select name="sectionId">
            {p.sections.map((s) => (
              <option value={s.id} selected={a.sectionId === s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          {i18n.t('newsroom.field.story')}
          <select name="storyId">
            <option value="">{i18n.t('newsroom.none')}</option>
            {p.stories.map((s) => (
              <option value={s.id} selected={a.storyId === s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          {i18n.t('newsroom.field.authors')}
          <select name="authorIds" multiple size={5}>
            {p.authors.map((s) => (
              <option value={s.id} selected={a.authorIds.includes(s.id)}>
                {s.title}
              </option>
            ))}
          </select>
        </label>
        <label class="wide">
          {i18n.t('newsroom.field.tags')}
          <input name="tags" value={p.tags.join(', ')} maxLength={2000} />
        </label>
        <fieldset class="wide cover">
          <legend>{i18n.t('newsroom.field.cover')}</legend>
          <input type="hidden" name="coverImageId" value={a.coverImageId ?? ''} />
          <img id="cover-preview" src={coverThumb || undefined} alt="" hidden={!coverThumb} width={240} />
          <label class="button">
            {i18n.t('newsroom.upload')}
            <input type="file" id="cover-file" accept="image/jpeg,image/png,image/webp,image/avif,image/heic,image/heif" class="visually-hidden" />
          </label>
          <button type="button" id="cover-remove">
            {i18n.t('newsroom.removeCover')}
          </button>
          <label>
            {i18n.t('newsroom.field.coverCaption')}
            <input name="coverCaption" value={a.coverCaption} maxLength={1000} />
          </label>
          <label>
            {i18n.t('newsroom.field.coverCredit')}
            <input name="coverCredit" value={a.coverCredit} maxLength={300} />
          </label>
        </fieldset>
        <fieldset class="wide related">
          <legend>{i18n.t('newsroom.field.related')}</legend>
          <ol id="related-list">
            {p.related.map((r) => (
              <li data-id={r.id}>
                <span>{r.title}</span>{' '}
                <button type="button" class="related__remove" aria-label={i18n.t('newsroom.delete')}>
                  ×
                </button>
              </li>
            ))}
          </ol>
          <label>
            {i18n.t('newsroom.field.relatedSearch')}
            <input type="search" id="related-search" maxLength={200} />
          </label>
          <ul id="related-found" class="picker" />
        </fieldset>
        <label>
          {i18n.t('newsroom.field.seoTitle')}
          <input name="seoTitle" value={a.seoTitle} maxLength={200} />
        </label>
        <label>
          {i18n.t('newsroom.field.seoDescription')}
          <textarea name="seoDescription" rows={2} maxLength={400}>
            {a.seoDescription}
          </textarea>
        </label>
      </form>
      <div class="editor__actions">
        <button type="button" id="save-now">
          {i18n.t('newsroom.save')}
        </button>
        {p.actions.includes('submit') && (
          <button type="button" data-action="submit">
            {i18n.t('newsroom.action.submit')}
          </button>
        )}
        {p.actions.includes('publish') && (
          <button type="button" data-action="publish" class="primary">
            {i18n.t('newsroom.action.publish')}
          </button>
        )}
        {p.actions.includes('schedule') && (
          <span class="schedule">
            <label>
              {i18n.t('newsroom.field.at')} <input type="datetime-local" id="schedule-at" />
            </label>
            <button type="button" data-action="schedule">
              {i18n.t('newsroom.action.schedule')}
            </button>
          </span>
        )}
        {p.actions.includes('sendBack') && (
          <button type="button" data-action="sendBack">
            {i18n.t('newsroom.action.sendBack')}
          </button>
        )}
        {p.actions.includes('unpublish') && (
          <button type="button" data-action="unpublish">
            {i18n.t('newsroom.action.unpublish')}
          </button>
        )}
        {p.canDelete && (
          <button type="button" data-action="delete" class="danger">
            {i18n.t('newsroom.delete')}
          </button>
        )}
      </div>
    </div>
  );
}
