// The classifieds' service on `app.classifieds`: the catalogue (kept in the data
// cache), ad writes, finding, storefronts, readers' lists and lead counters. The
// only code that touches the module's tables is under this one.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { Memo } from '../../platform/memo.js';
import type { Moderation } from '../moderation/index.js';
import type { Organisations } from '../organisations/index.js';
import { createAdWrites, type AdEvents } from './ads.js';
import { installDefaults, loadCatalogue, type Catalogue } from './catalogue.js';
import { createAdmin } from './admin-service.js';
import { createFinding } from './finding.js';
import { createLeads } from './leads.js';
import { createReaderLists } from './readers.js';
import { createStorefronts } from './storefronts.js';

export const CATALOGUE_TAG = 'ads-catalogue';

export function createClassifieds({ db, clock, memo, moderation, organisations, events }: { db: Kysely<DB>; clock: Clock; memo: Memo; moderation: Moderation; organisations: Organisations; events: AdEvents }) {
  const catalogue = (): Promise<Catalogue> => memo.get('ads:catalogue', { ttlMs: 5 * 60_000, tags: [CATALOGUE_TAG] }, () => loadCatalogue(db));
  const ads = createAdWrites({ db, clock, moderation, organisations, catalogue, events });
  return {
    catalogue,
    installDefaults: () => installDefaults(db),
    ads,
    finding: createFinding({ db, catalogue, memo }),
    storefronts: createStorefronts({ db, clock, organisations }),
    readers: createReaderLists({ db, clock }),
    leads: createLeads({ db, clock }),
    admin: createAdmin({ db, clock }),

    /** A storefront's feed: its address and the last import's report. */
    feeds: {
      get: async (organisationId: number) => {
        const row = await db.selectFrom('ad_feeds').selectAll().where('organisation_id', '=', organisationId).executeTakeFirst();
        return row ? { url: row.url, lastRunAt: row.last_run_at, report: row.report as { created?: number; updated?: number; closed?: number; refused?: { id: string; reason: string }[] } } : null;
      },
      set: (organisationId: number, url: string, setBy: number) =>
        db
          .insertInto('ad_feeds')
          .values({ organisation_id: organisationId, url: url.trim().slice(0, 500), set_by: setBy })
          .onConflict((oc) => oc.column('organisation_id').doUpdateSet({ url: url.trim().slice(0, 500), set_by: setBy }))
          .execute(),
      /** Feeds not fetched since `before` (never fetched first): the scheduled run's list. */
      due: async (before: Date, limit = 50) =>
        (
          await db
            .selectFrom('ad_feeds')
            .select(['organisation_id', 'set_by'])
            .where((eb) => eb.or([eb('last_run_at', 'is', null), eb('last_run_at', '<', before)]))
            .orderBy('last_run_at', (ob) => ob.asc().nullsFirst())
            .limit(limit)
            .execute()
        ).map((r) => ({ organisationId: r.organisation_id, setBy: r.set_by })),
      saveReport: (organisationId: number, report: unknown) => db.updateTable('ad_feeds').set({ report: JSON.stringify(report), last_run_at: clock.now() }).where('organisation_id', '=', organisationId).execute(),
      all: () => db.selectFrom('ad_feeds').select(['organisation_id', 'url']).execute(),
    },

    /** An ad's photo ids in order (the first is the cover). */
    photosOf: async (adId: number) => (await db.selectFrom('ad_photos').select('image_id').where('ad_id', '=', adId).orderBy('position').execute()).map((r) => r.image_id),
    /** A photo uploaded for a future ad, with its fingerprint (photo-hash.ts). */
    addUpload: (imageId: number, userId: number, hash: string) => db.insertInto('ad_uploads').values({ image_id: imageId, user_id: userId, hash, created_at: clock.now() }).onConflict((oc) => oc.doNothing()).execute(),
  };
}
export type Classifieds = ReturnType<typeof createClassifieds>;
