// The messages module's figures a site may change at run time (platform settings:
// every instance reads the same). Flood limits are counted in the database, so every
// instance sees the same numbers.
import { integerSetting } from '../../platform/settings.js';

export const MESSAGE_SETTINGS = {
  /** The longest message, in characters, unless the subject's policy says less (dating: 1,000). */
  maxLength: integerSetting('messages.maxLength', 2000, { min: 100, max: 20_000 }),
  /** Conversations an account may open in a day. */
  conversationsPerDay: integerSetting('messages.conversationsPerDay', 30, { min: 0, max: 100_000 }),
  /** Conversations one address may open in a day (every account behind it together). */
  conversationsPerDayPerIp: integerSetting('messages.conversationsPerDayPerIp', 100, { min: 0, max: 1_000_000 }),
  /** Messages an account may send in an hour as itself (a storefront's members are not counted: an operator answers many). */
  messagesPerHour: integerSetting('messages.messagesPerHour', 200, { min: 0, max: 100_000 }),
  /** Messages one address may send in an hour. */
  messagesPerHourPerIp: integerSetting('messages.messagesPerHourPerIp', 1000, { min: 0, max: 1_000_000 }),
  /** Messages are kept this many days (0: until the account is deleted). */
  retentionDays: integerSetting('messages.retentionDays', 0, { min: 0, max: 36_500 }),
  /** A removed (unmatched) conversation is kept this many days for the moderators, then deleted. */
  removedKeepDays: integerSetting('messages.removedKeepDays', 30, { min: 0, max: 3650 }),
  /** Open event streams per instance (0: nobody streams; the page still works by reloading). */
  maxStreams: integerSetting('messages.maxStreams', 20_000, { min: 0, max: 1_000_000 }),
  /** Open event streams per account on one instance (tabs). */
  maxStreamsPerUser: integerSetting('messages.maxStreamsPerUser', 8, { min: 0, max: 1000 }),
  /** A stream ends after about this long (±20 %) and the browser reconnects. */
  streamMinutes: integerSetting('messages.streamMinutes', 10, { min: 1, max: 24 * 60 }),
} as const;
