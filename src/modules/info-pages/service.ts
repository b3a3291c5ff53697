// The info pages and the imprint: the only code that touches `info_pages` and
// `info_imprint`. Pages are fixed (the footer always links to the same four); the
// newsroom edits their titles and texts.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { DomainError } from '../../platform/errors.js';
import type { Imprint } from '../../web/components/footer.js';
import './schema.js';

export const TITLE_MAX = 120;
export const BODY_MAX = 20_000;
export const IMPRINT_MAX = 300;

export interface InfoPage {
  slug: string;
  title: string;
  body: string;
  updatedAt: Date;
}

export function createInfoPages({ db, clock }: { db: Kysely<DB>; clock: Clock }) {
  const columns = ['slug', 'title', 'body', 'updated_at'] as const;
  const toPage = (r: { slug: string; title: string; body: string; updated_at: Date }): InfoPage => ({ slug: r.slug, title: r.title, body: r.body, updatedAt: r.updated_at });

  return {
    async list(): Promise<InfoPage[]> {
      const rows = await db.selectFrom('info_pages').select([...columns]).orderBy('position').execute();
      return rows.map(toPage);
    },

    async get(slug: string): Promise<InfoPage | null> {
      const row = await db.selectFrom('info_pages').select([...columns]).where('slug', '=', slug).executeTakeFirst();
      return row ? toPage(row) : null;
    },

    async update(slug: string, input: { title: string; body: string }, userId: number | null): Promise<InfoPage> {
      const title = input.title.trim();
      const body = input.body.replace(/\r\n?/g, '\n').trim();
      if (title.length < 1 || title.length > TITLE_MAX) throw new DomainError('info.title_length', { max: TITLE_MAX });
      if (body.length > BODY_MAX) throw new DomainError('info.body_length', { max: BODY_MAX });
      const row = await db
        .updateTable('info_pages')
        .set({ title, body, updated_at: clock.now(), updated_by: userId })
        .where('slug', '=', slug)
        .returning([...columns])
        .executeTakeFirst();
      if (!row) throw new DomainError('info.not_found', {}, 404);
      return toPage(row);
    },

    async imprint(): Promise<Imprint> {
      const row = await db.selectFrom('info_imprint').select(['founder', 'editor_in_chief', 'registration']).executeTakeFirst();
      return { founder: row?.founder ?? '', editorInChief: row?.editor_in_chief ?? '', registration: row?.registration ?? '' };
    },

    async setImprint(input: Imprint, userId: number | null): Promise<Imprint> {
      const clean = { founder: input.founder.trim(), editorInChief: input.editorInChief.trim(), registration: input.registration.trim() };
      for (const value of Object.values(clean)) if (value.length > IMPRINT_MAX) throw new DomainError('info.imprint_length', { max: IMPRINT_MAX });
      const values = { founder: clean.founder, editor_in_chief: clean.editorInChief, registration: clean.registration, updated_at: clock.now(), updated_by: userId };
      await db
        .insertInto('info_imprint')
        .values({ ...values })
        .onConflict((oc) => oc.column('id').doUpdateSet(values))
        .execute();
      return clean;
    },
  };
}

export type InfoPages = ReturnType<typeof createInfoPages>;
