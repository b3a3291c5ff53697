// The dating section's figures a site may change (the platform's typed settings):
// the city's districts, the flood limits per account and per IP (after Alovoa's
// buckets, docs ANCHORS §3), how long after a match links and images wait, what
// «online recently» means.
import { integerSetting, textSetting } from '../../platform/settings.js';

/** The demo city's districts; a site sets its own list, one per line. */
export const DEFAULT_DISTRICTS = ['Центральный', 'Северный', 'Заречный', 'Ленинский', 'Октябрьский', 'Советский', 'Кировский', 'Промышленный', 'Набережный', 'Пригородный'];

export const DATING_SETTINGS = {
  districts: textSetting('dating.districts', DEFAULT_DISTRICTS.join('\n'), { maxLength: 4000 }),
  likesPerDay: integerSetting('dating.likesPerDay', 100, { min: 1, max: 100_000 }),
  likesPer10s: integerSetting('dating.likesPer10s', 10, { min: 1, max: 100_000 }),
  likesPerIpPerDay: integerSetting('dating.likesPerIpPerDay', 300, { min: 1, max: 100_000 }),
  conversationsPerDay: integerSetting('dating.conversationsPerDay', 30, { min: 1, max: 1000 }),
  reportsPerDay: integerSetting('dating.reportsPerDay', 10, { min: 1, max: 1000 }),
  reportsPer30s: integerSetting('dating.reportsPer30s', 5, { min: 1, max: 100 }),
  searchesPer30s: integerSetting('dating.searchesPer30s', 15, { min: 1, max: 100_000 }),
  searchesPerIpPer30s: integerSetting('dating.searchesPerIpPer30s', 40, { min: 1, max: 100_000 }),
  /** New profiles per IP a day (registration flood). */
  profilesPerIpPerDay: integerSetting('dating.profilesPerIpPerDay', 5, { min: 1, max: 1000 }),
  /** For this long after a match, messages may hold no links and no images. */
  quietHours: integerSetting('dating.quietHours', 24, { min: 0, max: 24 * 30 }),
  /** «Был(а) недавно»: seen within this many minutes. */
  onlineMinutes: integerSetting('dating.onlineMinutes', 30, { min: 1, max: 24 * 60 }),
} as const;

export const districtsOf = (text: string) =>
  text
    .split('\n')
    .map((d) => d.trim())
    .filter(Boolean);

/** The consent a profile is made with: its version is stored with the text shown. */
export const CONSENT_VERSION = '2026-12-1';

/** Every dating answer (pages, JSON, errors): this reader's only, kept nowhere. */
export const NO_STORE = 'private, no-store';
