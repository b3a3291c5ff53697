// The write side of content for the back office: saving an article on top of the
// revision the editor started from (an older base is a 409, nothing lost), the
// workflow transitions, revisions and their restore, and the page cache tags an
// article appears under. Every multi-step write is one transaction.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ArticleBody, ArticleStatus, ArticleType, DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { HttpError, conflict, notFound } from '../../platform/errors.js';
import { BlockError, bodyText, validateBody } from './blocks.js';
import type { SectionTree } from './sections.js';
import type { ArticleCard, NewArticle } from './articles-read.js';
import { articlePath } from './urls.js';

export interface ArticleFields {
  type: ArticleType;
  sectionId: number;
  storyId: number | null;
  title: string;
  lead: string;
  body: unknown;
  authorIds: number[];
  tagIds: number[];
  relatedIds: number[];
  coverImageId: number | null;
  coverCaption: string;
  coverCredit: string;
  seoTitle: string;
  seoDescription: string;
}

/** What the editor page loads: the stored fields, not the rendered article. */
export interface EditableArticle extends Omit<ArticleFields, 'body'> {
  id: number;
  status: ArticleStatus;
  revision: number;
  body: ArticleBody;
  createdBy: number | null;
  publishedAt: Date | null;
  scheduledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  url: string;
}

export type Transition = 'submit' | 'publish' | 'schedule' | 'sendBack' | 'unpublish';

/** From which statuses each transition may start, and where it leads. */
export const TRANSITIONS: Record<Transition, { from: ArticleStatus[]; to: ArticleStatus }> = {
  submit: { from: ['draft', 'unpublished'], to: 'review' },
  publish: { from: ['draft', 'review', 'scheduled', 'unpublished'], to: 'published' },
  schedule: { from: ['draft', 'review', 'unpublished', 'scheduled'], to: 'scheduled' },
  sendBack: { from: ['review', 'scheduled'], to: 'draft' },
  unpublish: { from: ['published', 'scheduled'], to: 'unpublished' },
};

export interface AdminListFilter {
  status?: ArticleStatus;
  sectionId?: number;
  authorId?: number;
  type?: ArticleType;
  q?: string;
  sort?: 'updated' | 'published' | 'created' | 'title';
  /** Only articles this user started or is an author of (the author role). */
  ownerUserId?: number;
  page: number;
  size?: number;
}

export interface AdminListItem {
  id: number;
  title: string;
  type: ArticleType;
  status: ArticleStatus;
  sectionTitle: string;
  authors: string[];
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
  scheduledAt: Date | null;
  url: string;
}

const MAX_TEXT = { title: 300, lead: 1000, seoTitle: 200, seoDescription: 400, caption: 1000, credit: 300 };

function badField(field: string, message: string) {
  return new HttpError(400, 'invalid', message, { field });
}

export function createEditing({ db, clock, timezone, sections, invalidateSections, cards }: { db: Kysely<DB>; clock: Clock; timezone: string; sections: () => Promise<SectionTree>; invalidateSections: () => void; cards: (ids: number[]) => Promise<ArticleCard[]> }) {
  /** Checks the fields that are not the body; the body has its own validator. */
  async function checkFields(f: ArticleFields, trx: Kysely<DB>): Promise<ArticleBody> {
    const title = f.title.trim();
    if (!title) throw badField('title', 'Заголовок не может быть пустым');
    for (const [field, max] of Object.entries(MAX_TEXT) as [keyof typeof MAX_TEXT, number][]) {
      const value = field === 'caption' ? f.coverCaption : field === 'credit' ? f.coverCredit : f[field];
      if (value.length > max) throw badField(field, `Поле «${field}» не длиннее ${max} символов`);
    }
    if (!(await sections()).get(f.sectionId)) throw badField('sectionId', 'Такой рубрики нет');
    if (f.storyId !== null && !(await trx.selectFrom('stories').select('id').where('id', '=', f.storyId).executeTakeFirst())) throw badField('storyId', 'Такого сюжета нет');
    const exists = async (table: 'authors' | 'tags' | 'articles' | 'images', ids: number[], field: string, message: string) => {
      const unique = [...new Set(ids)];
      if (!unique.length) return;
      const found = await trx.selectFrom(table).select('id').where('id', 'in', unique).execute();
      if (found.length !== unique.length) throw badField(field, message);
    };
    await exists('authors', f.authorIds, 'authorIds', 'Такого автора нет');
    await exists('tags', f.tagIds, 'tagIds', 'Такого тега нет');
    await exists('articles', f.relatedIds, 'relatedIds', 'В «По теме» выбрана несуществующая статья');
    await exists('images', f.coverImageId ? [f.coverImageId] : [], 'coverImageId', 'Такой обложки нет');
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

  return {
    /** Cache tags of every page an article appears on: itself, home, feeds, its section and ancestors, authors, tags, story. */
    async articleCacheTags(id: number): Promise<string[]> {
      const row = await db.selectFrom('articles').select(['section_id', 'story_id']).where('id', '=', id).executeTakeFirst();
      if (!row) return [`article:${id}`];
      const [authors, tags, tree] = await Promise.all([
        db.selectFrom('article_authors').select('author_id').where('article_id', '=', id).execute(),
        db.selectFrom('article_tags').select('tag_id').where('article_id', '=', id).execute(),
        sections(),
      ]);
      return [
        `article:${id}`,
        'home',
        'feeds',
        ...tree.path(row.section_id).map((s) => `section:${s.id}`),
        ...authors.map((a) => `author:${a.author_id}`),
        ...tags.map((t) => `tag:${t.tag_id}`),
        ...(row.story_id ? [`story:${row.story_id}`] : []),
      ];
    },

    async editable(id: number): Promise<EditableArticle | null> {
      const row = await db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return null;
      const [authors, tags, related, tree] = await Promise.all([
        db.selectFrom('article_authors').select('author_id').where('article_id', '=', id).orderBy('position').execute(),
        db.selectFrom('article_tags').select('tag_id').where('article_id', '=', id).execute(),
        db.selectFrom('article_related').select('related_id').where('article_id', '=', id).orderBy('position').execute(),
        sections(),
      ]);
      return {
        id: row.id,
        status: row.status,
        revision: row.revision,
        type: row.type,
        sectionId: row.section_id,
        storyId: row.story_id,
        title: row.title,
        lead: row.lead,
        body: row.body,
        authorIds: authors.map((a) => a.author_id),
        tagIds: tags.map((t) => t.tag_id),
        relatedIds: related.map((r) => r.related_id),
        coverImageId: row.cover_image_id,
        coverCaption: row.cover_caption,
        coverCredit: row.cover_credit,
        seoTitle: row.seo_title,
        seoDescription: row.seo_description,
        createdBy: row.created_by,
        publishedAt: row.published_at,
        scheduledAt: row.scheduled_at,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        url: articlePath({ id: row.id, sectionSlug: tree.get(row.section_id)?.slug ?? 'text', publishedAt: row.published_at ?? row.created_at }, timezone),
      };
    },

    /** Whether a user started the article or is one of its authors (what the author role may edit). */
    async isOwnedBy(articleId: number, userId: number): Promise<boolean> {
      const row = await db
        .selectFrom('articles as a')
        .select('a.id')
        .where('a.id', '=', articleId)
        .where((eb) =>
          eb.or([
            eb('a.created_by', '=', userId),
            eb.exists(eb.selectFrom('article_authors as aa').innerJoin('authors as au', 'au.id', 'aa.author_id').select('aa.article_id').whereRef('aa.article_id', '=', 'a.id').where('au.user_id', '=', userId)),
          ]),
        )
        .executeTakeFirst();
      return !!row;
    },

    /** Every article a user started or is an author of (an author's statistics). */
    async articleIdsOfUser(userId: number): Promise<number[]> {
      const rows = await db
        .selectFrom('articles as a')
        .select('a.id')
        .where((eb) =>
          eb.or([
            eb('a.created_by', '=', userId),
            eb.exists(eb.selectFrom('article_authors as aa').innerJoin('authors as au', 'au.id', 'aa.author_id').select('aa.article_id').whereRef('aa.article_id', '=', 'a.id').where('au.user_id', '=', userId)),
          ]),
        )
        .execute();
      return rows.map((r) => r.id);
    },

    /** The author profile linked to a user account, if any. */
    authorOfUser: (userId: number) => db.selectFrom('authors').select(['id', 'name']).where('user_id', '=', userId).executeTakeFirst(),

    async adminList(f: AdminListFilter): Promise<{ items: AdminListItem[]; total: number; page: number; pages: number }> {
      const size = f.size ?? 30;
      let q = db.selectFrom('articles as a');
      if (f.status) q = q.where('a.status', '=', f.status);
      if (f.type) q = q.where('a.type', '=', f.type);
      if (f.sectionId) q = q.where('a.section_id', 'in', (await sections()).subtreeIds(f.sectionId));
      if (f.authorId) q = q.where('a.id', 'in', db.selectFrom('article_authors').select('article_id').where('author_id', '=', f.authorId));
      if (f.q?.trim()) q = q.where('a.title', 'ilike', `%${f.q.trim().replace(/[\\%_]/g, (m) => '\\' + m)}%`);
      if (f.ownerUserId) {
        const uid = f.ownerUserId;
        q = q.where((eb) =>
          eb.or([
            eb('a.created_by', '=', uid),
            eb('a.id', 'in', eb.selectFrom('article_authors as aa').innerJoin('authors as au', 'au.id', 'aa.author_id').select('aa.article_id').where('au.user_id', '=', uid)),
          ]),
        );
      }
      const { total } = await q.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow();
      let rows = q.select(['a.id', 'a.title', 'a.type', 'a.status', 'a.section_id', 'a.created_at', 'a.updated_at', 'a.published_at', 'a.scheduled_at']);
      if (f.sort === 'title') rows = rows.orderBy('a.title');
      else if (f.sort === 'published') rows = rows.orderBy(sql`a.published_at desc nulls last`);
      else if (f.sort === 'created') rows = rows.orderBy('a.created_at', 'desc');
      else rows = rows.orderBy('a.updated_at', 'desc');
      const list = await rows.orderBy('a.id', 'desc').limit(size).offset((f.page - 1) * size).execute();
      const ids = list.map((r) => r.id);
      const authorRows = ids.length
        ? await db.selectFrom('article_authors as aa').innerJoin('authors as au', 'au.id', 'aa.author_id').select(['aa.article_id', 'au.name']).where('aa.article_id', 'in', ids).orderBy('aa.position').execute()
        : [];
      const tree = await sections();
      const n = Number(total);
      return {
        total: n,
        page: f.page,
        pages: Math.max(1, Math.ceil(n / size)),
        items: list.map((r) => ({
          id: r.id,
          title: r.title,
          type: r.type,
          status: r.status,
          sectionTitle: tree.get(r.section_id)?.title ?? '',
          authors: authorRows.filter((x) => x.article_id === r.id).map((x) => x.name),
          createdAt: r.created_at,
          updatedAt: r.updated_at,
          publishedAt: r.published_at,
          scheduledAt: r.scheduled_at,
          url: articlePath({ id: r.id, sectionSlug: tree.get(r.section_id)?.slug ?? 'text', publishedAt: r.published_at ?? r.created_at }, timezone),
        })),
      };
    },

    /** Titles matching a query, for the «По теме» and home page pickers. */
    async findByTitle(q: string, opts: { publishedOnly?: boolean; limit?: number } = {}) {
      let query = db.selectFrom('articles').select(['id', 'title', 'status', 'published_at']);
      const text = q.trim();
      if (/^\d{1,9}$/.test(text)) query = query.where('id', '=', Number(text));
      else if (text) query = query.where('title', 'ilike', `%${text.replace(/[\\%_]/g, (m) => '\\' + m)}%`);
      if (opts.publishedOnly) query = query.where('status', '=', 'published');
      return query.orderBy(sql`published_at desc nulls last`).orderBy('id', 'desc').limit(opts.limit ?? 10).execute();
    },

    /** A new draft with its first revision. */
    async createDraft(f: ArticleFields, userId: number | null, create: (input: NewArticle) => Promise<number>): Promise<number> {
      await checkFields(f, db);
      return create({ ...f, status: 'draft', createdBy: userId });
    },

    /**
     * Saves the article on top of `baseRevision`. If someone saved in between, 409
     * with the current revision: the caller keeps its text, the other save stays.
     */
    async updateArticle(id: number, f: ArticleFields, opts: { baseRevision: number; userId: number | null }): Promise<{ revision: number }> {
      return db.transaction().execute(async (trx) => {
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
        return { revision };
      });
    },

    /** Moves an article along the workflow; 409 when its status does not allow the step. */
    async transition(id: number, step: Transition, opts: { at?: Date } = {}): Promise<{ from: ArticleStatus; to: ArticleStatus }> {
      return db.transaction().execute(async (trx) => {
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
      return rows.map((r) => r.id);
    },

    async deleteArticle(id: number): Promise<void> {
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
    },

    revisions: (id: number) => db.selectFrom('article_revisions').select(['revision', 'title', 'created_by', 'created_at']).where('article_id', '=', id).orderBy('revision', 'desc').execute(),
    revision: (id: number, revision: number) => db.selectFrom('article_revisions').select(['revision', 'title', 'lead', 'body', 'created_by', 'created_at']).where('article_id', '=', id).where('revision', '=', revision).executeTakeFirst(),

    /** Makes an old revision's title, lead and body the current text, as a new revision. */
    async restoreRevision(id: number, revision: number, opts: { baseRevision: number; userId: number | null }): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const row = await lockArticle(trx, id);
        if (row.revision !== opts.baseRevision) throw staleRevision(row, opts.baseRevision);
        const old = await trx.selectFrom('article_revisions').select(['title', 'lead', 'body']).where('article_id', '=', id).where('revision', '=', revision).executeTakeFirst();
        if (!old) throw notFound('Такой ревизии нет');
        const next = row.revision + 1;
        await trx.updateTable('articles').set({ title: old.title, lead: old.lead, body: JSON.stringify(old.body), body_text: bodyText(old.body), revision: next, updated_at: clock.now() }).where('id', '=', id).execute();
        await nextRevision(trx, id, next, old, opts.userId);
        return next;
      });
    },

    // ---------- home page slots ----------

    async homeSlots(): Promise<Map<string, number[]>> {
      const rows = await db.selectFrom('home_slots').selectAll().orderBy('slot').orderBy('position').execute();
      const out = new Map<string, number[]>();
      for (const r of rows) out.set(r.slot, [...(out.get(r.slot) ?? []), r.article_id]);
      return out;
    },

    /** Replaces what a slot holds ('lead', 'latest', 'section:<id>'). */
    async setHomeSlot(slot: string, articleIds: number[]): Promise<void> {
      const ids = [...new Set(articleIds)];
      await db.transaction().execute(async (trx) => {
        if (ids.length) {
          const found = await trx.selectFrom('articles').select('id').where('id', 'in', ids).where('status', 'in', ['published', 'scheduled']).execute();
          if (found.length !== ids.length) throw badField(slot, 'На главную можно поставить только опубликованную или запланированную статью');
        }
        await trx.deleteFrom('home_slots').where('slot', '=', slot).execute();
        if (ids.length) await trx.insertInto('home_slots').values(ids.map((article_id, position) => ({ slot, position, article_id }))).execute();
      });
    },

    /** Published cards of a slot, in the editor's order (unpublished ones drop out). */
    async slotCards(slots: Map<string, number[]>, slot: string): Promise<ArticleCard[]> {
      const ids = slots.get(slot) ?? [];
      if (!ids.length) return [];
      const live = await db.selectFrom('articles').select('id').where('id', 'in', ids).where('status', '=', 'published').where('published_at', '<=', clock.now()).execute();
      const ok = new Set(live.map((r) => r.id));
      return cards(ids.filter((id) => ok.has(id)));
    },

    // ---------- structure: sections, tags, stories, authors ----------

    async updateSection(id: number, input: { title: string; slug: string; parentId: number | null; position: number; description: string }) {
      const tree = await sections();
      const current = tree.get(id);
      if (!current) throw notFound('Рубрика не найдена');
      if (input.parentId !== null) {
        if (!tree.get(input.parentId)) throw badField('parentId', 'Такой родительской рубрики нет');
        if (tree.subtreeIds(id).includes(input.parentId)) throw badField('parentId', 'Рубрику нельзя вложить в саму себя или в её подрубрику');
      }
      await db.transaction().execute(async (trx) => {
        if (input.slug !== current.slug) {
          const taken = await trx.selectFrom('sections').select('id').where('slug', '=', input.slug).where('id', '<>', id).executeTakeFirst();
          if (taken) throw badField('slug', 'Такой адрес рубрики уже занят');
          // The old address keeps answering with a redirect.
          await trx.deleteFrom('section_redirects').where('old_slug', '=', input.slug).execute();
          await trx.insertInto('section_redirects').values({ old_slug: current.slug, section_id: id }).onConflict((oc) => oc.column('old_slug').doUpdateSet({ section_id: id })).execute();
        }
        await trx.updateTable('sections').set({ title: input.title, slug: input.slug, parent_id: input.parentId, position: input.position, description: input.description }).where('id', '=', id).execute();
      });
      invalidateSections();
    },

    async deleteSection(id: number) {
      const used = await db.selectFrom('articles').select('id').where('section_id', '=', id).limit(1).executeTakeFirst();
      if (used) throw conflict('В рубрике есть статьи: сначала перенесите их', 'section_in_use');
      const child = await db.selectFrom('sections').select('id').where('parent_id', '=', id).limit(1).executeTakeFirst();
      if (child) throw conflict('У рубрики есть подрубрики', 'section_in_use');
      await db.deleteFrom('sections').where('id', '=', id).execute();
      invalidateSections();
    },

    listTags: () => db.selectFrom('tags').selectAll().orderBy('title').execute(),
    async renameTag(id: number, title: string, slug: string) {
      const taken = await db.selectFrom('tags').select('id').where('slug', '=', slug).where('id', '<>', id).executeTakeFirst();
      if (taken) throw badField('slug', 'Такой адрес тега уже занят');
      await db.updateTable('tags').set({ title, slug }).where('id', '=', id).execute();
    },
    deleteTag: async (id: number) => void (await db.deleteFrom('tags').where('id', '=', id).execute()),

    listStories: () => db.selectFrom('stories').selectAll().orderBy('title').execute(),
    async updateStory(id: number, input: { title: string; slug: string; description: string }) {
      const taken = await db.selectFrom('stories').select('id').where('slug', '=', input.slug).where('id', '<>', id).executeTakeFirst();
      if (taken) throw badField('slug', 'Такой адрес сюжета уже занят');
      await db.updateTable('stories').set(input).where('id', '=', id).execute();
    },
    deleteStory: async (id: number) => void (await db.deleteFrom('stories').where('id', '=', id).execute()),

    listAuthors: () => db.selectFrom('authors').selectAll().orderBy('name').execute(),
    async updateAuthor(id: number, input: { name: string; slug: string; position: string; bio: string; photoId: number | null; userId: number | null }) {
      const taken = await db.selectFrom('authors').select('id').where('slug', '=', input.slug).where('id', '<>', id).executeTakeFirst();
      if (taken) throw badField('slug', 'Такой адрес автора уже занят');
      if (input.userId !== null) {
        const linked = await db.selectFrom('authors').select('id').where('user_id', '=', input.userId).where('id', '<>', id).executeTakeFirst();
        if (linked) throw badField('userId', 'Эта учётная запись уже связана с другим автором');
      }
      await db.updateTable('authors').set({ name: input.name, slug: input.slug, position: input.position, bio: input.bio, photo_id: input.photoId, user_id: input.userId }).where('id', '=', id).execute();
    },
  };
}
export type Editing = ReturnType<typeof createEditing>;
