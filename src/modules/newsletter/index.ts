// What other modules may use of the newsletter: the service's type (`app.newsletter`)
// and the plugin. Other modules put their readers' alerts into the digest through the
// extension points below (the forums answer `newsletter.watchedTopics`, the
// classifieds `newsletter.savedSearchAds`).
export type { Newsletter } from './routes.js';
export type { NewsletterList } from './service.js';
export { default } from './routes.js';
/** The digest's mail from article cards (the benchmark renders one without the content module). */
export { renderDigest } from './mail-template.js';

/** The tables the newsletter owns; no other module queries them. */
export const tables = ['newsletter_lists', 'newsletter_subscribers', 'newsletter_subscriptions', 'newsletter_confirmations', 'newsletter_consents', 'newsletter_sends', 'newsletter_queue', 'newsletter_events', 'newsletter_direct_mails'] as const;

/** One thing a reader follows that has news, for the personal part of their digest. */
export interface PersonalItem {
  title: string;
  /** Absolute, or a path on the portal. */
  url: string;
  /** How many new posts (or ads, …) since the reader last looked. */
  count: number;
}

/** Saved searches with new ads, for the personal part of a digest (the classifieds answer). */
export interface SavedSearchAds {
  /** For each account, its saved searches with ads published after its `since`, at most five: title the search's name, url its page, count the new ads. */
  find(wants: { userId: number; since: Date }[]): Promise<Map<number, PersonalItem[]>>;
  /** These items went out in the accounts' digests (found at `at`; a sender's batch at a time): the separate alert — its mail, and another notice of the same ads — is not made. */
  carried(entries: { userId: number; items: PersonalItem[] }[], at: Date): Promise<void>;
}

declare module '../../platform/extensions.js' {
  interface ExtensionPoints {
    /** Saved searches of these accounts with new ads (the classifieds module answers). */
    'newsletter.savedSearchAds': SavedSearchAds;
    /** Forum topics each of these accounts follows that have posts they have not read, newest first, at most five each (the forums module answers). */
    'newsletter.watchedTopics': (userIds: number[]) => Promise<Map<number, PersonalItem[]>>;
  }
}
