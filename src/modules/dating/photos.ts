// Profile photos (up to six, stored by the media module, which strips EXIF and
// location; each waits for staff before others see it) and photo verification
// (the reader photographs themself in a pose the site names; staff compare it with
// the profile's photos). The back office's reads and decisions are here too.
import crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { DomainError } from '../../platform/errors.js';
import './schema.js';

export const MAX_PHOTOS = 6;
/** Poses the site asks for; the i18n key `dating.pose.<code>` says it in words. */
export const POSES = ['left-hand-up', 'right-hand-cheek', 'thumbs-up', 'peace-sign', 'hand-on-head', 'point-left'] as const;

export interface PhotoRow {
  id: number;
  userId: number;
  imageId: number;
  status: 'pending' | 'approved' | 'rejected';
}

export function createPhotos({ db, clock }: { db: Kysely<DB>; clock: Clock }) {
  /** The profile's count of approved photos, which the search filters on. */
  const recount = (trx: Kysely<DB>, userId: number) =>
    sql`update dating_profiles set photo_count = (select count(*) from dating_photos where user_id = ${userId} and status = 'approved') where user_id = ${userId}`.execute(trx);

  return {
    /** A reader's photo, waiting for staff; the image must be theirs (media). */
    async add(userId: number, imageId: number): Promise<number> {
      return db.transaction().execute(async (trx) => {
        // Serialises one profile's uploads, so six is never exceeded by two at once.
        const owner = await trx.selectFrom('dating_profiles').select('user_id').where('user_id', '=', userId).forUpdate().executeTakeFirst();
        if (!owner) throw new DomainError('dating.no_profile', {}, 403);
        const { n } = await trx.selectFrom('dating_photos').select((eb) => eb.fn.countAll<string>().as('n')).where('user_id', '=', userId).where('status', '!=', 'rejected').executeTakeFirstOrThrow();
        if (Number(n) >= MAX_PHOTOS) throw new DomainError('dating.too_many_photos', { max: MAX_PHOTOS }, 409);
        const row = await trx.insertInto('dating_photos').values({ user_id: userId, image_id: imageId, position: Number(n), created_at: clock.now() }).returning('id').executeTakeFirstOrThrow();
        return row.id;
      });
    },

    async remove(userId: number, photoId: number): Promise<number | null> {
      return db.transaction().execute(async (trx) => {
        const row = await trx.deleteFrom('dating_photos').where('id', '=', photoId).where('user_id', '=', userId).returning('image_id').executeTakeFirst();
        if (row) await recount(trx, userId);
        return row?.image_id ?? null;
      });
    },

    /** Photos of these profiles: approved ones only, unless `all` (the owner, staff). */
    async of(userIds: number[], all = false): Promise<Map<number, PhotoRow[]>> {
      const out = new Map<number, PhotoRow[]>();
      if (!userIds.length) return out;
      let q = db.selectFrom('dating_photos').select(['id', 'user_id', 'image_id', 'status']).where('user_id', 'in', [...new Set(userIds)]);
      if (!all) q = q.where('status', '=', 'approved');
      for (const r of await q.orderBy('position').orderBy('id').execute()) {
        out.set(r.user_id, [...(out.get(r.user_id) ?? []), { id: r.id, userId: r.user_id, imageId: r.image_id, status: r.status }]);
      }
      return out;
    },

    pending: (limit = 50) =>
      db
        .selectFrom('dating_photos as p')
        .innerJoin('dating_profiles as c', 'c.user_id', 'p.user_id')
        .select(['p.id', 'p.user_id', 'p.image_id', 'p.created_at', 'c.display_name'])
        .where('p.status', '=', 'pending')
        .orderBy('p.created_at')
        .limit(limit)
        .execute(),

    async pendingCount(): Promise<number> {
      const { n } = await db.selectFrom('dating_photos').select((eb) => eb.fn.countAll<string>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow();
      return Number(n);
    },

    async decide(photoId: number, approve: boolean): Promise<{ userId: number } | null> {
      return db.transaction().execute(async (trx) => {
        const row = await trx.updateTable('dating_photos').set({ status: approve ? 'approved' : 'rejected' }).where('id', '=', photoId).returning('user_id').executeTakeFirst();
        if (!row) return null;
        await recount(trx, row.user_id);
        return { userId: row.user_id };
      });
    },

    // ---------- verification ----------

    /** The pose to take, asked once and kept until a photo of it is sent. */
    async pose(userId: number): Promise<string> {
      const open = await db.selectFrom('dating_verifications').select('pose').where('user_id', '=', userId).where('status', '=', 'asked').orderBy('id', 'desc').executeTakeFirst();
      if (open) return open.pose;
      const pose = POSES[crypto.randomInt(POSES.length)]!;
      await db.insertInto('dating_verifications').values({ user_id: userId, pose, image_id: null, created_at: clock.now(), decided_at: null }).execute();
      return pose;
    },

    async submit(userId: number, imageId: number): Promise<void> {
      const row = await db
        .updateTable('dating_verifications')
        .set({ image_id: imageId, status: 'pending', created_at: clock.now() })
        .where('id', '=', (eb) => eb.selectFrom('dating_verifications').select(eb.fn.max('id').as('id')).where('user_id', '=', userId).where('status', '=', 'asked'))
        .returning('id')
        .executeTakeFirst();
      if (!row) throw new DomainError('dating.no_pose', {}, 409);
    },

    async verificationState(userId: number): Promise<'none' | 'asked' | 'pending' | 'rejected' | 'approved'> {
      const row = await db.selectFrom('dating_verifications').select('status').where('user_id', '=', userId).orderBy('id', 'desc').executeTakeFirst();
      return row?.status ?? 'none';
    },

    waitingVerifications: (limit = 50) =>
      db
        .selectFrom('dating_verifications as v')
        .innerJoin('dating_profiles as c', 'c.user_id', 'v.user_id')
        .select(['v.id', 'v.user_id', 'v.pose', 'v.image_id', 'v.created_at', 'c.display_name'])
        .where('v.status', '=', 'pending')
        .orderBy('v.created_at')
        .limit(limit)
        .execute(),

    async decideVerification(id: number, approve: boolean): Promise<{ userId: number } | null> {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const row = await trx.updateTable('dating_verifications').set({ status: approve ? 'approved' : 'rejected', decided_at: now }).where('id', '=', id).where('status', '=', 'pending').returning('user_id').executeTakeFirst();
        if (!row) return null;
        if (approve) await trx.updateTable('dating_profiles').set({ verified_at: now }).where('user_id', '=', row.user_id).execute();
        return { userId: row.user_id };
      });
    },
  };
}
export type DatingPhotos = ReturnType<typeof createPhotos>;
