// The newsroom: who may do what to an article, and the audit log of every
// editorial action. Articles and structure are written by the content service,
// which purges the cached pages and emits `article.changed` itself; this module
// owns only the audit log.
import type { Kysely } from 'kysely';
import type { ArticleStatus, DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { HttpError, forbidden, notFound } from '../../platform/errors.js';
import { isEditor } from '../../platform/roles.js';
import type { SessionUser } from '../../platform/sessions.js';
import type { Accounts } from '../accounts/index.js';
import { slugify, type ArticleFields, type Content, type Transition } from '../content/index.js';
import './schema.js';

export interface ArticleInput extends Omit<ArticleFields, 'tagIds'> {
  /** Tag titles; new ones are created. */
  tags: string[];
}

export { isEditor };
/** What an author may still change in their own article; the rest is the editors'. */
const AUTHOR_EDITABLE: ArticleStatus[] = ['draft', 'review', 'unpublished'];

export function createNewsroom({ db, clock, content, accounts }: { db: Kysely<DB>; clock: Clock; content: Content; accounts: Pick<Accounts, 'displayNames'> }) {
  /** One entry of the audit log; `executor` is a transaction when the entry must commit with the change. */
  async function audit(userId: number | null, action: string, entity: string, entityId: number | null, summary = '', executor: Kysely<DB> = db) {
    await executor.insertInto('audit_log').values({ user_id: userId, action, entity, entity_id: entityId, summary: summary.slice(0, 300), created_at: clock.now() }).execute();
  }

  async function article(id: number) {
    const a = await content.editable(id);
    if (!a) throw notFound('Статья не найдена');
    return a;
  }

  /** Throws 403 unless the user may open and edit this article. */
  async function assertCanEdit(user: SessionUser, id: number) {
    const a = await article(id);
    if (isEditor(user)) return a;
    if (user.role !== 'author' || !(await content.isOwnedBy(id, user.id))) throw forbidden('Это не ваша статья');
    if (!AUTHOR_EDITABLE.includes(a.status)) throw forbidden('Опубликованную или запланированную статью правит редактор');
    return a;
  }

  async function assertCanView(user: SessionUser, id: number) {
    const a = await article(id);
    if (!isEditor(user) && !(user.role === 'author' && (await content.isOwnedBy(id, user.id)))) throw forbidden('Это не ваша статья');
    return a;
  }

  async function fields(input: ArticleInput): Promise<ArticleFields> {
    const titles = [...new Set(input.tags.map((t) => t.trim().toLowerCase()).filter(Boolean))];
    if (titles.length > 30) throw new HttpError(400, 'invalid', 'Не больше 30 тегов', { field: 'tags' });
    const tagIds: number[] = [];
    for (const t of titles) {
      if (t.length > 60 || !slugify(t)) throw new HttpError(400, 'invalid', `Неверный тег «${t.slice(0, 60)}»`, { field: 'tags' });
      tagIds.push(await content.ensureTag(t));
    }
    const { tags: _tags, ...rest } = input;
    return { ...rest, tagIds };
  }

  return {
    audit,
    assertCanEdit,
    assertCanView,

    async createArticle(user: SessionUser, input: ArticleInput): Promise<number> {
      const f = await fields(input);
      if (!f.authorIds.length) {
        const own = await content.authorOfUser(user.id);
        if (own) f.authorIds = [own.id];
      }
      const id = await content.createDraft(f, user.id);
      await audit(user.id, 'created', 'article', id, f.title);
      return id;
    },

    async saveArticle(user: SessionUser, id: number, input: ArticleInput, baseRevision: number): Promise<{ revision: number }> {
      await assertCanEdit(user, id);
      const result = await content.updateArticle(id, await fields(input), { baseRevision, userId: user.id });
      await audit(user.id, 'updated', 'article', id, `${input.title} (ревизия ${result.revision})`);
      return result;
    },

    async transition(user: SessionUser, id: number, step: Transition, at?: Date): Promise<{ status: ArticleStatus }> {
      if (step === 'submit') await assertCanEdit(user, id);
      else if (!isEditor(user)) throw forbidden('Публикует, планирует и снимает статьи редактор');
      else await article(id);
      const { to } = await content.transition(id, step, { at });
      await audit(user.id, step === 'publish' ? 'published' : step === 'unpublish' ? 'unpublished' : step === 'schedule' ? 'scheduled' : step === 'submit' ? 'submitted' : 'sent_back', 'article', id, at ? at.toISOString() : '');
      return { status: to };
    },

    /** The periodic job: scheduled articles whose time has come go live. */
    async publishDue(): Promise<number[]> {
      const ids = await content.publishDue();
      for (const id of ids) await audit(null, 'published', 'article', id, 'по расписанию');
      return ids;
    },

    async restore(user: SessionUser, id: number, revision: number, baseRevision: number): Promise<number> {
      if (!isEditor(user)) throw forbidden('Восстанавливает ревизии редактор');
      await article(id);
      const next = await content.restoreRevision(id, revision, { baseRevision, userId: user.id });
      await audit(user.id, 'restored', 'article', id, `ревизия ${revision} → ${next}`);
      return next;
    },

    async deleteArticle(user: SessionUser, id: number): Promise<void> {
      if (!isEditor(user)) throw forbidden('Удаляет статьи редактор');
      const a = await article(id);
      await content.deleteArticle(id);
      await audit(user.id, 'deleted', 'article', id, a.title);
    },

    /**
     * The home page slots ('lead', 'latest', 'section:<id>') as the form sent them.
     * Every number is checked before any slot is written, so a bad one in one block
     * leaves all blocks as they were; only the slots that changed are written and audited.
     */
    async setHomeSlots(user: SessionUser, wanted: Map<string, number[]>) {
      for (const [slot, ids] of wanted) {
        for (const id of ids) {
          const a = await content.editable(id);
          if (!a) throw new HttpError(400, 'invalid', `Статьи №${id} нет`, { field: slot });
          if (a.status !== 'published' && a.status !== 'scheduled') throw new HttpError(400, 'invalid', `Статья №${id} не опубликована и не запланирована — на главную её не поставить`, { field: slot });
        }
      }
      const current = await content.homeSlots();
      for (const [slot, ids] of wanted) {
        if ((current.get(slot) ?? []).join(',') === ids.join(',')) continue;
        await content.setHomeSlot(slot, ids);
        await audit(user.id, 'updated', 'home', null, `${slot}: ${ids.join(', ') || '—'}`);
      }
    },

    /** A change of structure (sections, tags, stories, authors, roles), for the log; content purged the pages. */
    async structureChanged(user: SessionUser, action: string, entity: string, id: number | null, summary: string) {
      await audit(user.id, action, entity, id, summary);
    },

    async auditLog(page: number, size = 50) {
      const rows = await db
        .selectFrom('audit_log as l')
        .select(['l.id', 'l.action', 'l.entity', 'l.entity_id', 'l.summary', 'l.created_at', 'l.user_id'])
        .orderBy('l.created_at', 'desc')
        .orderBy('l.id', 'desc')
        .limit(size + 1)
        .offset((page - 1) * size)
        .execute();
      // Who did it: the names are the accounts module's.
      const names = await accounts.displayNames(rows.flatMap((r) => (r.user_id === null ? [] : [r.user_id])));
      const items = rows.slice(0, size).map(({ user_id, ...r }) => ({ ...r, display_name: user_id === null ? null : (names.get(user_id) ?? null) }));
      return { items, more: rows.length > size };
    },
  };
}
export type Newsroom = ReturnType<typeof createNewsroom>;
