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

export function createSettings(db: Kysely<DB>) {
  const checkKey = (key: string) => {
    if (RESERVED.has(key)) throw new Error(`setting key ${key} is reserved for the platform`);
  };
  return {
    async get<T>(setting: Setting<T>): Promise<T> {
      checkKey(setting.key);
      const row = await db.selectFrom('settings').select('value').where('key', '=', setting.key).executeTakeFirst();
      return row ? (setting.parse(row.value) ?? setting.default) : setting.default;
    },

    /** Stores a value; `executor` (a transaction) when it must commit with another change. */
    async set<T>(setting: Setting<T>, value: T, executor: Kysely<DB> = db): Promise<void> {
      checkKey(setting.key);
      if (!setting.valid(value)) throw new DomainError('setting.invalid', { key: setting.key }, 400);
      const text = setting.format(value);
      await executor.insertInto('settings').values({ key: setting.key, value: text }).onConflict((oc) => oc.column('key').doUpdateSet({ value: text })).execute();
    },

    /** Back to the default (the row goes). */
    async reset(setting: Setting<unknown>): Promise<void> {
      checkKey(setting.key);
      await db.deleteFrom('settings').where('key', '=', setting.key).execute();
    },
  };
}
export type Settings = ReturnType<typeof createSettings>;
