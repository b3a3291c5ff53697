// The moderation figures a site may change in the back office, kept in the shared
// settings store so every instance sees the same ones.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { integerSetting, type Setting, type Settings } from '../../platform/settings.js';

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

// Each figure is a typed setting of the platform's store (platform/settings.ts),
// under `moderation.<name>`; a value that no longer parses reads as its default.
const count = (name: keyof ModerationSettings, max: number) => integerSetting(`moderation.${name}`, DEFAULT_SETTINGS[name] as number, { min: 0, max });
const links: Setting<ModerationSettings['linksPerText']> = {
  key: 'moderation.linksPerText',
  default: DEFAULT_SETTINGS.linksPerText,
  parse(text) {
    try {
      const value: unknown = JSON.parse(text);
      return Array.isArray(value) && value.length === 4 && value.every((n) => Number.isInteger(n) && n >= 0 && n <= 1000) ? (value as ModerationSettings['linksPerText']) : undefined;
    } catch {
      return undefined;
    }
  },
  format: (v) => JSON.stringify(v),
  valid: (v) => Array.isArray(v) && v.length === 4 && v.every((n) => Number.isInteger(n) && n >= 0 && n <= 1000),
};
const SETTINGS = {
  holdFirst: count('holdFirst', 100),
  reportThreshold: count('reportThreshold', 1000),
  minTypingMs: count('minTypingMs', 600_000),
  imagesFromLevel: count('imagesFromLevel', 4),
  maxUpheldReports: count('maxUpheldReports', 1000),
} as const;

export async function loadSettings(store: Settings): Promise<ModerationSettings> {
  const [holdFirst, reportThreshold, minTypingMs, imagesFromLevel, maxUpheldReports, linksPerText] = await Promise.all([
    store.get(SETTINGS.holdFirst),
    store.get(SETTINGS.reportThreshold),
    store.get(SETTINGS.minTypingMs),
    store.get(SETTINGS.imagesFromLevel),
    store.get(SETTINGS.maxUpheldReports),
    store.get(links),
  ]);
  return { holdFirst, reportThreshold, minTypingMs, imagesFromLevel, maxUpheldReports, linksPerText: [...linksPerText] };
}

/** Every figure at once, in one transaction (`trx`), so a half-saved form never shows. */
export async function saveSettings(store: Settings, trx: Kysely<DB>, settings: ModerationSettings): Promise<void> {
  for (const key of Object.keys(SETTINGS) as (keyof typeof SETTINGS)[]) await store.set(SETTINGS[key], settings[key], trx);
  await store.set(links, settings.linksPerText, trx);
}
