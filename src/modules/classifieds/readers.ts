// What readers keep: favourites (with the price when saved, for the price-drop
// notice), saved searches (a category page's address, re-run for alerts), and
// phone reveals (each one a lead).
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { DomainError } from '../../platform/errors.js';
import './schema.js';

export const MAX_SAVED_SEARCHES = 20;

export function createReaderLists({ db, clock }: { db: Kysely<DB>; clock: Clock }) {
  return {
    /** Saves or forgets a favourite; true when it was added now. */
    async favourite(userId: number, ad: { id: number; price: number | null }, on: boolean): Promise<boolean> {
      if (!on) {
        await db.deleteFrom('ad_favourites').where('user_id', '=', userId).where('ad_id', '=', ad.id).execute();
        return false;
      }
      const row = await db.insertInto('ad_favourites').values({ user_id: userId, ad_id: ad.id, price: ad.price, created_at: clock.now() }).onConflict((oc) => oc.doNothing()).returning('ad_id').executeTakeFirst();
      return !!row;
    },
    favourites: (userId: number) => db.selectFrom('ad_favourites').select(['ad_id', 'price', 'created_at']).where('user_id', '=', userId).orderBy('created_at', 'desc').limit(500).execute(),
    async isFavourite(userId: number, adId: number) {
      return !!(await db.selectFrom('ad_favourites').select('ad_id').where('user_id', '=', userId).where('ad_id', '=', adId).executeTakeFirst());
    },

    /** Who saved the ad at a higher price than `price` now; their saved price follows the drop (one notice per drop). */
    async priceDropped(adId: number, price: number): Promise<number[]> {
      const rows = await db.updateTable('ad_favourites').set({ price }).where('ad_id', '=', adId).where('price', '>', price).returning('user_id').execute();
      return rows.map((r) => r.user_id);
    },

    async saveSearch(userId: number, query: string, label: string): Promise<number> {
      if (!query.startsWith('/ads/') || query.length > 1000) throw new DomainError('ad.bad_search', {}, 400);
      const count = await db.selectFrom('ad_saved_searches').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow();
      if (Number(count.n) >= MAX_SAVED_SEARCHES) throw new DomainError('ad.too_many_searches', { max: MAX_SAVED_SEARCHES }, 409);
      const row = await db
        .insertInto('ad_saved_searches')
        .values({ user_id: userId, query, label: label.replace(/\s+/g, ' ').trim().slice(0, 200) || query, seen_until: clock.now(), token: crypto.randomBytes(16).toString('base64url'), created_at: clock.now() })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },
    /** The saved searches of several accounts, each account's newest first (a digest's batch of readers). */
    searchesOf: (userIds: number[]) =>
      userIds.length ? db.selectFrom('ad_saved_searches').select(['id', 'user_id', 'query', 'label', 'created_at']).where('user_id', 'in', [...new Set(userIds)]).orderBy('user_id').orderBy('created_at', 'desc').execute() : Promise.resolve([]),
    searches: (userId: number) => db.selectFrom('ad_saved_searches').select(['id', 'query', 'label', 'created_at', 'token']).where('user_id', '=', userId).orderBy('created_at', 'desc').execute(),
    async removeSearch(userId: number, id: number) {
      await db.deleteFrom('ad_saved_searches').where('user_id', '=', userId).where('id', '=', id).execute();
    },
    /** One-click unsubscribe from an alert's link (no sign-in needed: the token is the proof). */
    async unsubscribe(token: string): Promise<boolean> {
      const res = await db.deleteFrom('ad_saved_searches').where('token', '=', token).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
    allSearches: (limit: number) => db.selectFrom('ad_saved_searches').selectAll().orderBy('seen_until').limit(limit).execute(),
    async seen(id: number, until: Date) {
      await db.updateTable('ad_saved_searches').set({ seen_until: until }).where('id', '=', id).execute();
    },

    async reveal(adId: number, reader: string, ipHash: string) {
      await db.insertInto('ad_reveals').values({ ad_id: adId, reader, ip_hash: ipHash, created_at: clock.now() }).execute();
    },
  };
}
export type ReaderLists = ReturnType<typeof createReaderLists>;
