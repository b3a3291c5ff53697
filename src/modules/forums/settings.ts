// The forums' figures a site may change, in the platform's typed settings store
// (every instance sees the same). Defaults after Discourse's (docs/ANCHORS.md).
import { integerSetting } from '../../platform/settings.js';

export const FORUM_SETTINGS = {
  /** An author may edit a post this long after writing it; later, staff only. */
  editWindowMinutes: integerSetting('forum.editWindowMinutes', 30, { min: 0, max: 60 * 24 * 30 }),
  /** Trust level 0 (a new account): topics and replies a day, and one post per this many seconds. */
  newTopicsPerDay: integerSetting('forum.newTopicsPerDay', 3, { min: 0, max: 1000 }),
  newRepliesPerDay: integerSetting('forum.newRepliesPerDay', 10, { min: 0, max: 10_000 }),
  newPostIntervalSeconds: integerSetting('forum.newPostIntervalSeconds', 30, { min: 0, max: 3600 }),
  /** Everyone else: a post per this many seconds, a topic per that many. */
  postIntervalSeconds: integerSetting('forum.postIntervalSeconds', 5, { min: 0, max: 3600 }),
  topicIntervalSeconds: integerSetting('forum.topicIntervalSeconds', 15, { min: 0, max: 3600 }),
  /** The same text from the same author again within this many minutes is refused. */
  repeatWindowMinutes: integerSetting('forum.repeatWindowMinutes', 5, { min: 0, max: 24 * 60 }),
  /** Mentions that notify, per post: new accounts (trust level 0) and the rest. */
  newMentions: integerSetting('forum.newMentions', 2, { min: 0, max: 50 }),
  mentions: integerSetting('forum.mentions', 10, { min: 0, max: 50 }),
  /** Reading a topic this long (seconds, summed) makes a normal topic tracked. */
  trackAfterSeconds: integerSetting('forum.trackAfterSeconds', 120, { min: 0, max: 3600 }),
} as const;

export type ForumSettingName = keyof typeof FORUM_SETTINGS;
