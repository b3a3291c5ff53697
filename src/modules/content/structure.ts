// The structure articles hang on: the section tree (with redirects from old
// addresses), authors, tags, stories, and the home page slots the editors fill.
// Structure shows on many pages (the navigation is on all of them), so a change
// purges every cached page ('*') and the data under them; a home slot purges 'home'.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { conflict, notFound } from '../../platform/errors.js';
import type { Media } from '../media/index.js';
import { SectionTree, type Section } from './sections.js';
import { slugify } from './urls.js';
import { badField } from './fields.js';
import './schema.js';

export function createStructure({ db, media, purge }: { db: Kysely<DB>; media: Media; purge: (tags: string[]) => Promise<void> }) {
  let tree: SectionTree | undefined;

  async function sections(): Promise<SectionTree> {
    tree ??= await SectionTree.load(db);
    return tree;
  }
  function invalidateSections() {
    tree = undefined;
  }
  /** After a change of structure: every page shows the navigation, so all go. */
  async function changed() {
    invalidateSections();
    await purge(['*']);
  }

  return {
    sections,
    invalidateSections,

    // ---------- sections ----------

    async createSection(input: { slug?: string; title: string; parentId?: number | null; description?: string; position?: number }) {
      const row = await db
        .insertInto('sections')
        .values({ slug: input.slug ?? slugify(input.title), title: input.title, parent_id: input.parentId ?? null, description: input.description ?? '', position: input.position ?? 0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      await changed();
      return row.id;
    },

    async sectionRedirect(oldSlug: string): Promise<Section | undefined> {
      const row = await db.selectFrom('section_redirects').select('section_id').where('old_slug', '=', oldSlug).executeTakeFirst();
      return row ? (await sections()).get(row.section_id) : undefined;
    },


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
      await changed();
    },

    async deleteSection(id: number) {
      const used = await db.selectFrom('articles').select('id').where('section_id', '=', id).limit(1).executeTakeFirst();
      if (used) throw conflict('В рубрике есть статьи: сначала перенесите их', 'section_in_use');
      const child = await db.selectFrom('sections').select('id').where('parent_id', '=', id).limit(1).executeTakeFirst();
      if (child) throw conflict('У рубрики есть подрубрики', 'section_in_use');
      await db.deleteFrom('sections').where('id', '=', id).execute();
      await changed();
    },


    // ---------- authors ----------

    async author(slug: string) {
      const row = await db.selectFrom('authors').selectAll().where('slug', '=', slug).executeTakeFirst();
      if (!row) return null;
      const photo = row.photo_id ? ((await media.get([row.photo_id])).get(row.photo_id) ?? null) : null;
      return { id: row.id, slug: row.slug, name: row.name, position: row.position, bio: row.bio, photo };
    },
    async createAuthor(input: { slug?: string; name: string; position?: string; bio?: string; photoId?: number | null; userId?: number | null }) {
      const row = await db
        .insertInto('authors')
        .values({ slug: input.slug ?? slugify(input.name), name: input.name, position: input.position ?? '', bio: input.bio ?? '', photo_id: input.photoId ?? null, user_id: input.userId ?? null })
        .returning('id')
        .executeTakeFirstOrThrow();
      await changed();
      return row.id;
    },

    allAuthors: () => db.selectFrom('authors').select(['slug', 'name']).orderBy('name').execute(),
    listAuthors: () => db.selectFrom('authors').selectAll().orderBy('name').execute(),
    async updateAuthor(id: number, input: { name: string; slug: string; position: string; bio: string; photoId: number | null; userId: number | null }) {
      const taken = await db.selectFrom('authors').select('id').where('slug', '=', input.slug).where('id', '<>', id).executeTakeFirst();
      if (taken) throw badField('slug', 'Такой адрес автора уже занят');
      if (input.userId !== null) {
        const linked = await db.selectFrom('authors').select('id').where('user_id', '=', input.userId).where('id', '<>', id).executeTakeFirst();
        if (linked) throw badField('userId', 'Эта учётная запись уже связана с другим автором');
      }
      await db.updateTable('authors').set({ name: input.name, slug: input.slug, position: input.position, bio: input.bio, photo_id: input.photoId, user_id: input.userId }).where('id', '=', id).execute();
      await changed();
    },
    /** The author profile linked to a user account, if any. */
    authorOfUser: (userId: number) => db.selectFrom('authors').select(['id', 'name']).where('user_id', '=', userId).executeTakeFirst(),

    // ---------- tags ----------

    tag: (slug: string) => db.selectFrom('tags').selectAll().where('slug', '=', slug).executeTakeFirst(),
    /** The tag of a title, made when new (no page shows a tag before an article has it, so nothing is purged). */
    async ensureTag(title: string, trx: Kysely<DB> = db): Promise<number> {
      const slug = slugify(title);
      await trx.insertInto('tags').values({ slug, title: title.trim().toLowerCase() }).onConflict((oc) => oc.column('slug').doNothing()).execute();
      return (await trx.selectFrom('tags').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
    },

    allTags: () => db.selectFrom('tags').select(['slug', 'title']).orderBy('title').execute(),
    listTags: () => db.selectFrom('tags').selectAll().orderBy('title').execute(),
    async renameTag(id: number, title: string, slug: string) {
      const taken = await db.selectFrom('tags').select('id').where('slug', '=', slug).where('id', '<>', id).executeTakeFirst();
      if (taken) throw badField('slug', 'Такой адрес тега уже занят');
      await db.updateTable('tags').set({ title, slug }).where('id', '=', id).execute();
      await changed();
    },
    async deleteTag(id: number) {
      await db.deleteFrom('tags').where('id', '=', id).execute();
      await changed();
    },

    // ---------- stories ----------

    story: (slug: string) => db.selectFrom('stories').selectAll().where('slug', '=', slug).executeTakeFirst(),
    async createStory(input: { slug?: string; title: string; description?: string }) {
      const row = await db.insertInto('stories').values({ slug: input.slug ?? slugify(input.title), title: input.title, description: input.description ?? '' }).returning('id').executeTakeFirstOrThrow();
      await changed();
      return row.id;
    },

    allStories: () => db.selectFrom('stories').select(['slug', 'title']).orderBy('title').execute(),
    listStories: () => db.selectFrom('stories').selectAll().orderBy('title').execute(),
    async updateStory(id: number, input: { title: string; slug: string; description: string }) {
      const taken = await db.selectFrom('stories').select('id').where('slug', '=', input.slug).where('id', '<>', id).executeTakeFirst();
      if (taken) throw badField('slug', 'Такой адрес сюжета уже занят');
      await db.updateTable('stories').set(input).where('id', '=', id).execute();
      await changed();
    },
    async deleteStory(id: number) {
      await db.deleteFrom('stories').where('id', '=', id).execute();
      await changed();
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
      await purge(['home']);
    },

  };
}
export type Structure = ReturnType<typeof createStructure>;
