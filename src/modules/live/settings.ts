// Live coverage's figures a site may change at run time (platform settings: every
// instance reads the same, a change reaches all at once). The stream's kill
// switches are here: `retryMs` goes out in every stream message, `pollMs` in every
// head answer, and `maxStreams` 0 sends every client to polling.
import { integerSetting } from '../../platform/settings.js';

export const LIVE_SETTINGS = {
  /** The reconnect delay the stream tells clients (SSE `retry:`), in every message. */
  retryMs: integerSetting('live.retryMs', 3000, { min: 500, max: 3_600_000 }),
  /** How often a client that may not stream asks the head URL. */
  pollMs: integerSetting('live.pollMs', 15_000, { min: 2000, max: 3_600_000 }),
  /** Open streams per instance; past it clients poll (0: nobody streams). */
  maxStreams: integerSetting('live.maxStreams', 20_000, { min: 0, max: 1_000_000 }),
  /** Open streams per client address on one instance. */
  maxStreamsPerAddress: integerSetting('live.maxStreamsPerAddress', 20, { min: 0, max: 100_000 }),
  /** A stream ends after about this long (±20 %) and the client reconnects: connections spread over instances. */
  streamMinutes: integerSetting('live.streamMinutes', 10, { min: 1, max: 24 * 60 }),
} as const;
