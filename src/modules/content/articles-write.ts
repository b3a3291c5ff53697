// The one write path for articles: create (checked for the back office, trusted
// for the demo loader and importers), save on top of the revision the editor
// started from (an older base is a 409, nothing lost), the workflow transitions,
// revisions and their restore, «По теме» picks, deletion. Every multi-step write is
// one transaction; after it commits, this file — and no caller — purges the cached
// pages and data the article shows on (before and after the change) and emits
// `article.changed`, so a new writer of articles cannot forget either.
import type { Kysely, Transaction } from 'kysely';
import type { ArticleBody, ArticleStatus, DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { DomainEvents, Events } from '../../platform/events.js';
import { HttpError, conflict, notFound } from '../../platform/errors.js';
import type { Media } from '../media/index.js';
import { BlockError, bodyText, validateBody } from './blocks.js';
import { badField } from './fields.js';
import type { SectionTree } from './sections.js';
import type { ArticleFields, NewArticle } from './types.js';
import { TRANSITIONS, type Transition } from './workflow.js';
import './schema.js';

const MAX_TEXT = { title: 300, lead: 1000, seoTitle: 200, seoDescription: 400, caption: 1000, credit: 300 };

type ChangeAction = DomainEvents['article.changed']['action'];

export interface ArticleWriteDeps {
  db: Kysely<DB>;
  clock: Clock;
  media: Media;
  sections: () => Promise<SectionTree>;
  /** The cache tags of the pages an article shows on (articles-read.ts). */
  articleCacheTags: (id: number) => Promise<string[]>;
  /** Purges pages and, under them, the data cache, on every instance. */
  purge: (tags: string[]) => Promise<void>;
  events: Events;
}

export function createArticleWrites({ db, clock, media, sections, articleCacheTags, purge, events }: ArticleWriteDeps) {
  /** Checks the fields that are not the body; the body has its own validator. */
  /**
   * The checks that ask others (the section tree, media for the cover), made before a
   * transaction opens: they use their own connection, which on the embedded database
   * (one connection) would wait for the transaction forever.
   */
  async function checkReferences(f: ArticleFields): Promise<void> {
    if (!(await sections()).get(f.sectionId)) throw badField('sectionId', 'Такой рубрики нет');
    // Images belong to media: ask it rather than read its table.
    if (f.coverImageId && !(await media.get([f.coverImageId])).has(f.coverImageId)) throw badField('coverImageId', 'Такой обложки нет');
  }

  async function checkFields(f: ArticleFields, trx: Kysely<DB>): Promise<ArticleBody> {
    const title = f.title.trim();
    if (!title) throw badField('title', 'Заголовок не может быть пустым');
    for (const [field, max] of Object.entries(MAX_TEXT) as [keyof typeof MAX_TEXT, number][]) {
      const value = field === 'caption' ? f.coverCaption : field === 'credit' ? f.coverCredit : f[field];
      if (value.length > max) throw badField(field, `Поле «${field}» не длиннее ${max} символов`);
    }
    if (f.storyId !== null && !(await trx.selectFrom('stories').select('id').where('id', '=', f.storyId).executeTakeFirst())) throw badField('storyId', 'Такого сюжета нет');
    const exists = async (table: 'authors' | 'tags' | 'articles', ids: number[], field: string, message: string) => {
      const unique = [...new Set(ids)];
      if (!unique.length) return;
      const found = await trx.selectFrom(table).select('id').where('id', 'in', unique).execute();
      if (found.length !== unique.length) throw badField(field, message);
    };
    await exists('authors', f.authorIds, 'authorIds', 'Такого автора нет');
    await exists('tags', f.tagIds, 'tagIds', 'Такого тега нет');
    await exists('articles', f.relatedIds, 'relatedIds', 'В «По теме» выбрана несуществующая статья');
    try {
      return validateBody(f.body);
    } catch (err) {
      if (err instanceof BlockError) throw new HttpError(400, 'invalid_block', err.message, { index: err.index, field: err.field });
      throw err;
    }
  }

  async function replaceLinks(trx: Transaction<DB>, id: number, f: ArticleFields) {
    await trx.deleteFrom('article_authors').where('article_id', '=', id).execute();
    await trx.deleteFrom('article_tags').where('article_id', '=', id).execute();
    await trx.deleteFrom('article_related').where('article_id', '=', id).execute();
    const authorIds = [...new Set(f.authorIds)];
    if (authorIds.length) await trx.insertInto('article_authors').values(authorIds.map((author_id, position) => ({ article_id: id, author_id, position }))).execute();
    const tagIds = [...new Set(f.tagIds)];
    if (tagIds.length) await trx.insertInto('article_tags').values(tagIds.map((tag_id) => ({ article_id: id, tag_id }))).execute();
    const relatedIds = [...new Set(f.relatedIds)].filter((r) => r !== id);
    if (relatedIds.length) await trx.insertInto('article_related').values(relatedIds.map((related_id, position) => ({ article_id: id, related_id, position }))).execute();
  }

  /** Locks the row for the rest of the transaction, so two saves queue up. */
  async function lockArticle(trx: Transaction<DB>, id: number) {
    const row = await trx.selectFrom('articles').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw notFound('Статья не найдена');
    return row;
  }

  function staleRevision(current: { revision: number; updated_at: Date }, base: number) {
    return conflict(`Статью уже изменили: вы правили ревизию ${base}, а сейчас сохранена ${current.revision}. Ваш текст не потерян — скопируйте его и обновите страницу.`, 'stale_revision', {
      currentRevision: current.revision,
      baseRevision: base,
      updatedAt: current.updated_at.toISOString(),
    });
  }

  async function nextRevision(trx: Transaction<DB>, id: number, rev: number, content: { title: string; lead: string; body: ArticleBody }, userId: number | null) {
    await trx.insertInto('article_revisions').values({ article_id: id, revision: rev, title: content.title, lead: content.lead, body: JSON.stringify(content.body), created_by: userId, created_at: clock.now() }).execute();
  }

  /**
   * What follows every committed change: the pages that showed the article before
   * (`before`) and show it now are purged when a reader could see it (`visible`),
   * and the other modules hear of it.
   */
  async function changed(id: number, action: ChangeAction, { visible, before = [], batched = false }: { visible: boolean; before?: string[]; batched?: boolean }) {
    if (visible) await purge([...new Set([...before, ...(await articleCacheTags(id))])]);
    await events.emit('article.changed', batched ? { articleId: id, action, batched } : { articleId: id, action });
  }

  /** An article's own columns as a new article (or an import's newer version) gives them. */
  const storedFields = (input: NewArticle, body: ArticleBody) => ({
    type: input.type,
    status: input.status,
    section_id: input.sectionId,
    title: input.title,
    lead: input.lead,
    body: JSON.stringify(body),
    body_text: bodyText(body),
    cover_image_id: input.coverImageId ?? null,
    cover_caption: input.coverCaption ?? '',
    cover_credit: input.coverCredit ?? '',
    seo_title: input.seoTitle ?? '',
    seo_description: input.seoDescription ?? '',
    scheduled_at: input.scheduledAt ?? null,
  });

  /** Creates an article with its authors, tags, picks and first revision, in one transaction. Trusted input: the back office checks first (createDraft). */
  async function createArticle(input: NewArticle): Promise<number> {
    const body = validateBody(input.body);
    const id = await db.transaction().execute(async (trx: Transaction<DB>) => {
      const now = clock.now();
      const { id } = await trx
        .insertInto('articles')
        .values({
          ...storedFields(input, body),
          story_id: input.storyId ?? null,
          published_at: input.publishedAt ?? (input.status === 'published' ? now : null),
          created_by: input.createdBy ?? null,
          created_at: now,
          updated_at: input.publishedAt ?? now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (input.authorIds.length) await trx.insertInto('article_authors').values(input.authorIds.map((author_id, position) => ({ article_id: id, author_id, position }))).execute();
      if (input.tagIds?.length) await trx.insertInto('article_tags').values([...new Set(input.tagIds)].map((tag_id) => ({ article_id: id, tag_id }))).execute();
      if (input.relatedIds?.length) await trx.insertInto('article_related').values(input.relatedIds.map((related_id, position) => ({ article_id: id, related_id, position }))).execute();
      await trx.insertInto('article_revisions').values({ article_id: id, revision: 1, title: input.title, lead: input.lead, body: JSON.stringify(body), created_by: input.createdBy ?? null, created_at: now }).execute();
      return id;
    });
    await changed(id, 'created', { visible: input.status === 'published' });
    return id;
  }

  /**
   * An article from an importer (the WordPress import), which keys it on its own ids:
   * made new, or — with `id` — given the import's newer text, status and dates as a
   * new revision (the editors' «По теме» picks stay). Trusted input, the body
   * validated. `alongside` writes the importer's own rows (its key, the comments) in
   * the same transaction, so a post comes in whole or not at all; it must use the
   * transaction it is given, never another connection. With `purge: false` the pages
   * are left to one `purgeAll()` at the end of the run (thousands of posts, one
   * purge); the `article.changed` event goes out either way. With `batched` the event
   * says so, and the caller must announce the articles with `changedTogether` (search
   * indexes them then, many per statement, not one by one).
   */
  async function saveImported(
    input: NewArticle,
    opts: { id?: number | null; alongside?: (trx: Transaction<DB>, id: number) => Promise<void>; purge?: boolean; batched?: boolean } = {},
  ): Promise<{ id: number; created: boolean }> {
    const { alongside } = opts;
    const [saved] = await saveImportedMany([{ input, id: opts.id }], { ...opts, alongside: alongside && ((trx, ids) => alongside(trx, ids[0]!)) });
    return saved!;
  }

  /**
   * Several importer's articles in one transaction — saveImported's own path, its
   * rows for all of them in one statement each (the new articles, their authors,
   * tags and revisions): on the embedded database every statement costs the one
   * thread its fixed part, and an import writes thousands. All or nothing; the
   * results and `alongside`'s ids are in the order given.
   */
  async function saveImportedMany(
    articles: { input: NewArticle; id?: number | null }[],
    opts: { alongside?: (trx: Transaction<DB>, ids: number[]) => Promise<void>; purge?: boolean; batched?: boolean } = {},
  ): Promise<{ id: number; created: boolean }[]> {
    const bodies = articles.map((a) => validateBody(a.input.body));
    const purging = opts.purge !== false;
    const before = new Map<number, string[]>();
    if (purging) for (const a of articles) if (a.id) before.set(a.id, await articleCacheTags(a.id));
    const results = await db.transaction().execute(async (trx: Transaction<DB>) => {
      const now = clock.now();
      const askedIds = articles.flatMap((a) => (a.id ? [a.id] : []));
      const rows = new Map(
        (askedIds.length ? await trx.selectFrom('articles').select(['id', 'revision', 'status']).where('id', 'in', askedIds).forUpdate().execute() : []).map((r) => [r.id, r]),
      );
      const fields = (i: number) => ({ ...storedFields(articles[i]!.input, bodies[i]!), published_at: articles[i]!.input.publishedAt ?? null });
      const out = articles.map((a) => {
        const row = a.id ? rows.get(a.id) : undefined;
        return { id: row?.id ?? 0, revision: row ? row.revision + 1 : 1, created: !row, wasPublished: row?.status === 'published' };
      });
      const updated = out.flatMap((o, i) => (o.created ? [] : [i]));
      for (const i of updated) await trx.updateTable('articles').set({ ...fields(i), revision: out[i]!.revision, updated_at: now }).where('id', '=', out[i]!.id).execute();
      if (updated.length) {
        const ids = updated.map((i) => out[i]!.id);
        await trx.deleteFrom('article_authors').where('article_id', 'in', ids).execute();
        await trx.deleteFrom('article_tags').where('article_id', 'in', ids).execute();
      }
      const created = out.flatMap((o, i) => (o.created ? [i] : []));
      if (created.length) {
        // A multi-row insert returns its rows in the order of its values (PostgreSQL
        // inserts them in that order; Django's bulk_create relies on the same).
        const made = await trx
          .insertInto('articles')
          .values(created.map((i) => ({ ...fields(i), story_id: articles[i]!.input.storyId ?? null, created_by: articles[i]!.input.createdBy ?? null, created_at: now, updated_at: articles[i]!.input.publishedAt ?? now })))
          .returning('id')
          .execute();
        created.forEach((i, k) => (out[i]!.id = made[k]!.id));
      }
      const authorRows = articles.flatMap((a, i) => [...new Set(a.input.authorIds)].map((author_id, position) => ({ article_id: out[i]!.id, author_id, position })));
      if (authorRows.length) await trx.insertInto('article_authors').values(authorRows).execute();
      const tagRows = articles.flatMap((a, i) => [...new Set(a.input.tagIds ?? [])].map((tag_id) => ({ article_id: out[i]!.id, tag_id })));
      if (tagRows.length) await trx.insertInto('article_tags').values(tagRows).execute();
      await trx
        .insertInto('article_revisions')
        .values(articles.map((a, i) => ({ article_id: out[i]!.id, revision: out[i]!.revision, title: a.input.title, lead: a.input.lead, body: JSON.stringify(bodies[i]), created_by: a.input.createdBy ?? null, created_at: now })))
        .execute();
      if (opts.alongside) await opts.alongside(trx, out.map((o) => o.id));
      return out;
    });
    for (const [i, r] of results.entries()) {
      const input = articles[i]!.input;
      const action: ChangeAction = r.created ? 'created' : input.status === 'published' && !r.wasPublished ? 'published' : r.wasPublished && input.status !== 'published' ? 'unpublished' : 'updated';
      await changed(r.id, action, { visible: purging && (input.status === 'published' || r.wasPublished), before: before.get(r.id) ?? [], batched: opts.batched === true });
    }
    return results.map((r) => ({ id: r.id, created: r.created }));
  }

  /** A bulk write's articles saved with `batched`, announced together (`articles.changed`). */
  async function changedTogether(ids: number[]): Promise<void> {
    if (ids.length) await events.emit('articles.changed', { articleIds: ids });
  }

  return {
    createArticle,
    saveImported,
    saveImportedMany,
    changedTogether,

    /** After a bulk import that saved with `purge: false`: every cached page and the data under them, once. */
    purgeAll: () => purge(['*']),

    /** A new draft from the back office, its fields checked, with its first revision. */
    async createDraft(f: ArticleFields, userId: number | null): Promise<number> {
      await checkReferences(f);
      await checkFields(f, db);
      return createArticle({ ...f, status: 'draft', createdBy: userId });
    },

    /**
     * Saves the article on top of `baseRevision`. If someone saved in between, 409
     * with the current revision: the caller keeps its text, the other save stays.
     */
    async updateArticle(id: number, f: ArticleFields, opts: { baseRevision: number; userId: number | null }): Promise<{ revision: number }> {
      const before = await articleCacheTags(id);
      await checkReferences(f);
      const { revision, status } = await db.transaction().execute(async (trx) => {
        const row = await lockArticle(trx, id);
        if (row.revision !== opts.baseRevision) throw staleRevision(row, opts.baseRevision);
        const body = await checkFields(f, trx);
        const revision = row.revision + 1;
        const now = clock.now();
        await trx
          .updateTable('articles')
          .set({
            type: f.type,
            section_id: f.sectionId,
            story_id: f.storyId,
            title: f.title.trim(),
            lead: f.lead.trim(),
            body: JSON.stringify(body),
            body_text: bodyText(body),
            cover_image_id: f.coverImageId,
            cover_caption: f.coverCaption.trim(),
            cover_credit: f.coverCredit.trim(),
            seo_title: f.seoTitle.trim(),
            seo_description: f.seoDescription.trim(),
            revision,
            updated_at: now,
          })
          .where('id', '=', id)
          .execute();
        await replaceLinks(trx, id, f);
        await nextRevision(trx, id, revision, { title: f.title.trim(), lead: f.lead.trim(), body }, opts.userId);
        return { revision, status: row.status };
      });
      await changed(id, 'updated', { visible: status === 'published', before });
      return { revision };
    },

    /** Moves an article along the workflow; 409 when its status does not allow the step. */
    async transition(id: number, step: Transition, opts: { at?: Date } = {}): Promise<{ from: ArticleStatus; to: ArticleStatus }> {
      const before = await articleCacheTags(id);
      const result = await db.transaction().execute(async (trx) => {
        const row = await lockArticle(trx, id);
        const rule = TRANSITIONS[step];
        if (!rule.from.includes(row.status)) throw conflict(`Нельзя выполнить это действие со статьёй в статусе «${row.status}»`, 'bad_transition', { status: row.status });
        const now = clock.now();
        const set: Partial<{ status: ArticleStatus; published_at: Date | null; scheduled_at: Date | null; updated_at: Date }> = { status: rule.to };
        if (step === 'publish') {
          // A first publication (or one brought forward from a schedule) is dated now;
          // republishing after an unpublish keeps the original date and URL.
          set.published_at = row.status === 'unpublished' && row.published_at ? row.published_at : now;
          set.scheduled_at = null;
        } else if (step === 'schedule') {
          if (!opts.at || Number.isNaN(opts.at.getTime())) throw badField('at', 'Укажите дату и время публикации');
          if (opts.at.getTime() <= now.getTime()) throw badField('at', 'Время публикации должно быть в будущем');
          set.scheduled_at = opts.at;
          set.published_at = opts.at;
        } else if (step === 'sendBack') {
          set.scheduled_at = null;
          set.published_at = null;
        } else if (step === 'unpublish') {
          set.scheduled_at = null;
          if (row.status === 'scheduled') set.published_at = null;
        }
        await trx.updateTable('articles').set(set).where('id', '=', id).execute();
        return { from: row.status, to: rule.to };
      });
      const { from, to } = result;
      await changed(id, to === 'published' ? 'published' : from === 'published' ? 'unpublished' : 'updated', { visible: from === 'published' || to === 'published', before });
      return result;
    },

    /** Publishes every scheduled article whose time has come; returns their ids. */
    async publishDue(): Promise<number[]> {
      const rows = await db
        .updateTable('articles')
        .set((eb) => ({ status: 'published', published_at: eb.ref('scheduled_at'), scheduled_at: null }))
        .where('status', '=', 'scheduled')
        .where('scheduled_at', '<=', clock.now())
        .returning('id')
        .execute();
      for (const { id } of rows) await changed(id, 'published', { visible: true });
      return rows.map((r) => r.id);
    },

    /** Deletes an article; 409 while another module's rows still point at it. */
    async deleteArticle(id: number): Promise<void> {
      const before = await articleCacheTags(id);
      const res = await db
        .deleteFrom('articles')
        .where('id', '=', id)
        .executeTakeFirst()
        .catch((err: { code?: string }) => {
          // Another module's rows still point at it (and do not cascade).
          if (err.code === '23503') throw conflict('На статью ссылаются другие данные: снимите её с публикации вместо удаления', 'article_in_use');
          throw err;
        });
      if (!Number(res.numDeletedRows)) throw notFound('Статья не найдена');
      await purge(before);
      await events.emit('article.changed', { articleId: id, action: 'deleted' });
    },

    /** Makes an old revision's title, lead and body the current text, as a new revision. */
    async restoreRevision(id: number, revision: number, opts: { baseRevision: number; userId: number | null }): Promise<number> {
      const before = await articleCacheTags(id);
      const { next, status } = await db.transaction().execute(async (trx) => {
        const row = await lockArticle(trx, id);
        if (row.revision !== opts.baseRevision) throw staleRevision(row, opts.baseRevision);
        const old = await trx.selectFrom('article_revisions').select(['title', 'lead', 'body']).where('article_id', '=', id).where('revision', '=', revision).executeTakeFirst();
        if (!old) throw notFound('Такой ревизии нет');
        const next = row.revision + 1;
        await trx.updateTable('articles').set({ title: old.title, lead: old.lead, body: JSON.stringify(old.body), body_text: bodyText(old.body), revision: next, updated_at: clock.now() }).where('id', '=', id).execute();
        await nextRevision(trx, id, next, old, opts.userId);
        return { next, status: row.status };
      });
      await changed(id, 'updated', { visible: status === 'published', before });
      return next;
    },

    /** The editor's «По теме» picks, in their order. */
    async setRelated(articleId: number, relatedIds: number[]) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('article_related').where('article_id', '=', articleId).execute();
        if (relatedIds.length) await trx.insertInto('article_related').values(relatedIds.map((related_id, position) => ({ article_id: articleId, related_id, position }))).execute();
      });
      await purge([`article:${articleId}`]);
    },
  };
}
export type ArticleWrites = ReturnType<typeof createArticleWrites>;
