// The moderation figures a site may change in the back office, kept in the shared
// `settings` table (one row per figure) so every instance sees the same ones.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

export interface ModerationSettings {
  /** The first N posts of an account wait for a moderator (0: off). */
  holdFirst: number;
  /** Open reports from this many distinct readers hold a subject until a moderator decides. */
  reportThreshold: number;
  /** A first post typed faster than this (from opening the form to sending) waits for a moderator. */
  minTypingMs: number;
  /** Links allowed in one text, by trust level 0–3. */
  linksPerText: [number, number, number, number];
  /** The lowest trust level whose texts may carry images (links to pictures). */
  imagesFromLevel: number;
  /** Reports upheld against an account that keep it at trust level 0. */
  maxUpheldReports: number;
}

export const DEFAULT_SETTINGS: ModerationSettings = {
  holdFirst: 0,
  reportThreshold: 5,
  minTypingMs: 3000,
  linksPerText: [2, 5, 10, 20],
  imagesFromLevel: 1,
  maxUpheldReports: 3,
};

const PREFIX = 'moderation.';
type Key = keyof ModerationSettings;
const KEYS = Object.keys(DEFAULT_SETTINGS) as Key[];

export async function loadSettings(db: Kysely<DB>): Promise<ModerationSettings> {
  const rows = await db
    .selectFrom('settings')
    .select(['key', 'value'])
    .where(
      'key',
      'in',
      KEYS.map((k) => PREFIX + k),
    )
    .execute();
  const out: ModerationSettings = { ...DEFAULT_SETTINGS, linksPerText: [...DEFAULT_SETTINGS.linksPerText] };
  for (const r of rows) {
    const key = r.key.slice(PREFIX.length) as Key;
    try {
      const value: unknown = JSON.parse(r.value);
      if (key === 'linksPerText') {
        if (Array.isArray(value) && value.length === 4 && value.every((n) => Number.isInteger(n) && n >= 0)) out.linksPerText = value as ModerationSettings['linksPerText'];
      } else if (Number.isInteger(value) && (value as number) >= 0) out[key] = value as number;
    } catch {
      // A value written by hand that is not JSON: the default stands.
    }
  }
  return out;
}

export async function saveSettings(db: Kysely<DB>, settings: ModerationSettings): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const key of KEYS) {
      const value = JSON.stringify(settings[key]);
      await trx
        .insertInto('settings')
        .values({ key: PREFIX + key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute();
    }
  });
}
