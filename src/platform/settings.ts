// Typed site-wide settings, shared by every instance through the `settings` table.
// A module declares each setting once — its key, its type, its default and its
// bounds — and reads and writes it through the store, so no code handles a raw
// key or parses text itself; a stored value that no longer parses (or is out of
// bounds) reads as the default instead of breaking a page.
//
//   export const HOLD_FIRST = integerSetting('comments.holdFirst', 0, { min: 0, max: 100 });
//   const n = await app.settings.get(HOLD_FIRST);   // a number
//   await app.settings.set(HOLD_FIRST, 3);          // a DomainError 400 when out of bounds
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { DomainError } from './errors.js';
import type { Memo } from './memo.js';

export interface Setting<T> {
  key: string;
  default: T;
  /** The stored text as a value, or undefined when it is not a valid one. */
  parse(text: string): T | undefined;
  format(value: T): string;
  valid(value: T): boolean;
}

/** Keys the platform itself keeps in the table, which no setting may take. */
const RESERVED = new Set(['secret']);

export function integerSetting(key: string, fallback: number, { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER }: { min?: number; max?: number } = {}): Setting<number> {
  const valid = (n: number) => Number.isSafeInteger(n) && n >= min && n <= max;
  return {
    key,
    default: fallback,
    parse: (text) => (/^-?\d{1,16}$/.test(text.trim()) && valid(Number(text)) ? Number(text) : undefined),
    format: String,
    valid,
  };
}

export function booleanSetting(key: string, fallback: boolean): Setting<boolean> {
  return { key, default: fallback, parse: (text) => (text === 'true' ? true : text === 'false' ? false : undefined), format: String, valid: (v) => typeof v === 'boolean' };
}

export function textSetting(key: string, fallback: string, { maxLength = 1000 }: { maxLength?: number } = {}): Setting<string> {
  const valid = (v: string) => typeof v === 'string' && v.length <= maxLength && !v.includes('\0');
  return { key, default: fallback, parse: (text) => (valid(text) ? text : undefined), format: (v) => v, valid };
}

/** How long an instance reads a setting from memory; a change here purges it on every instance at once. */
export const SETTINGS_KEPT_MS = 30_000;
/** The purge tag of every kept setting. */
export const SETTINGS_TAG = 'settings';

/**
 * The store. With `memo` and `purge` (the portal's data cache and the page cache's
 * purge, which reaches every instance), values are read from memory: a reply in
 * the forums asks for a dozen settings, and they change a few times a year.
 */
export function createSettings(db: Kysely<DB>, kept?: { memo: Memo; purge: (tags: string[]) => Promise<void> }) {
  const checkKey = (key: string) => {
    if (RESERVED.has(key)) throw new Error(`setting key ${key} is reserved for the platform`);
  };
  // The stored text (or null), not the value: two declarations of one key may parse it differently.
  const read = async (key: string) => (await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value ?? null;
  const stored = (key: string) => (kept ? kept.memo.get(`setting:${key}`, { ttlMs: SETTINGS_KEPT_MS, tags: [SETTINGS_TAG] }, () => read(key)) : read(key));
  const changed = async () => {
    await kept?.purge([SETTINGS_TAG]);
  };
  return {
    async get<T>(setting: Setting<T>): Promise<T> {
      checkKey(setting.key);
      const text = await stored(setting.key);
      return text === null ? setting.default : (setting.parse(text) ?? setting.default);
    },

    /**
     * Stores a value; `executor` (a transaction) when it must commit with another
     * change — then the caller calls `changed()` once it has committed, as a read
     * between this write and the commit would keep the old value.
     */
    async set<T>(setting: Setting<T>, value: T, executor: Kysely<DB> = db): Promise<void> {
      checkKey(setting.key);
      if (!setting.valid(value)) throw new DomainError('setting.invalid', { key: setting.key }, 400);
      const text = setting.format(value);
      await executor.insertInto('settings').values({ key: setting.key, value: text }).onConflict((oc) => oc.column('key').doUpdateSet({ value: text })).execute();
      if (executor === db) await changed();
    },

    /** Back to the default (the row goes). */
    async reset(setting: Setting<unknown>): Promise<void> {
      checkKey(setting.key);
      await db.deleteFrom('settings').where('key', '=', setting.key).execute();
      await changed();
    },

    /** Every instance reads the settings afresh (after a transaction that set some has committed). */
    changed,
  };
}
export type Settings = ReturnType<typeof createSettings>;
