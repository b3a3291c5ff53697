// The rubric tree, held in memory: a handful of rows read on every page (the
// navigation, breadcrumbs, a section's subsections). Reloaded when sections change.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

export interface Section {
  id: number;
  parentId: number | null;
  slug: string;
  title: string;
  description: string;
  position: number;
  commentsMode: 'members' | 'guests' | 'closed';
  premoderation: boolean;
}

export class SectionTree {
  private byId = new Map<number, Section>();
  private bySlug = new Map<string, Section>();

  static async load(db: Kysely<DB>): Promise<SectionTree> {
    const tree = new SectionTree();
    const rows = await db.selectFrom('sections').selectAll().orderBy('position').orderBy('id').execute();
    for (const r of rows) {
      const s: Section = { id: r.id, parentId: r.parent_id, slug: r.slug, title: r.title, description: r.description, position: r.position, commentsMode: r.comments_mode, premoderation: r.premoderation };
      tree.byId.set(s.id, s);
      tree.bySlug.set(s.slug, s);
    }
    return tree;
  }

  get(id: number): Section | undefined {
    return this.byId.get(id);
  }
  bySlugOf(slug: string): Section | undefined {
    return this.bySlug.get(slug);
  }
  all(): Section[] {
    return [...this.byId.values()];
  }
  roots(): Section[] {
    return this.all().filter((s) => s.parentId === null);
  }
  children(id: number): Section[] {
    return this.all().filter((s) => s.parentId === id);
  }
  /** The section and every section below it: a section page lists them all. */
  subtreeIds(id: number): number[] {
    const out = [id];
    for (let i = 0; i < out.length; i++) out.push(...this.children(out[i]!).map((c) => c.id));
    return out;
  }
  /** Root first: «Город» › «Страна и мир». */
  path(id: number): Section[] {
    const out: Section[] = [];
    for (let s = this.byId.get(id); s && out.length < 20; s = s.parentId ? this.byId.get(s.parentId) : undefined) out.unshift(s);
    return out;
  }
}
