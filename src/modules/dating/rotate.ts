// Key rotation of the encrypted profile fields (`gorod dating rotate-key`): every
// row whose `key_version` is not the keyring's newest is read with its own key and
// written with the newest, its blind indexes recomputed, in batches of one
// transaction each (the rows locked: a profile saved meanwhile waits, then is
// already new and is skipped). Interrupted, it resumes where it stopped: the rows
// still to move are exactly those with an older version. The portal keeps reading
// both versions meanwhile (crypto.ts); search compares blind indexes under every
// version of the ring.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { FieldCipher } from './crypto.js';
import './schema.js';

export interface RotationProgress {
  start(total: number): void;
  advance(by: number, step: string): void;
  stop(): void;
}

export function createKeyRotation({ db, cipher }: { db: Kysely<DB>; cipher: FieldCipher }) {
  const rotation = {
    /** Rows still written with an older key than the newest. */
    async pending(): Promise<number> {
      const row = await db.selectFrom('dating_profiles').select((eb) => eb.fn.countAll<string>().as('n')).where('key_version', '<>', cipher.current).executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    /** Moves up to `batch` rows to the newest key in one transaction; how many it moved. */
    async step(batch = 500): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('dating_profiles')
          .select(['user_id', 'seek_enc', 'intention_enc', 'about_enc'])
          .where('key_version', '<>', cipher.current)
          .orderBy('user_id')
          .limit(batch)
          .forUpdate()
          .execute();
        for (const r of rows) {
          const seek = cipher.decrypt(r.seek_enc);
          const intention = cipher.decrypt(r.intention_enc);
          await trx
            .updateTable('dating_profiles')
            .set({
              seek_enc: cipher.encrypt(seek),
              seek_key: cipher.blindIndex('seek', seek),
              intention_enc: cipher.encrypt(intention),
              intention_key: cipher.blindIndex('intention', intention),
              about_enc: cipher.encrypt(cipher.decrypt(r.about_enc)),
              key_version: cipher.current,
            })
            .where('user_id', '=', r.user_id)
            .execute();
        }
        return rows.length;
      });
    },

    /** Every row to the newest key, batch by batch, telling the progress; rows moved. */
    async run({ batch = 500, progress, maxBatches = Infinity }: { batch?: number; progress?: RotationProgress; maxBatches?: number } = {}): Promise<number> {
      const total = await rotation.pending();
      progress?.start(total);
      let moved = 0;
      for (let i = 0; i < maxBatches; i++) {
        const n = await rotation.step(batch);
        if (!n) break;
        moved += n;
        progress?.advance(n, `key v${cipher.current}`);
      }
      progress?.stop();
      return moved;
    },

    /** Rows per key version (the operator's check before dropping an old secret). */
    async versions(): Promise<Record<number, number>> {
      const rows = await sql<{ key_version: number; n: string }>`select key_version, count(*) as n from dating_profiles group by key_version order by key_version`.execute(db);
      return Object.fromEntries(rows.rows.map((r) => [Number(r.key_version), Number(r.n)]));
    },
  };
  return rotation;
}
export type KeyRotation = ReturnType<typeof createKeyRotation>;
