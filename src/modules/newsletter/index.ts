// What other modules may use of the newsletter: the service's type (`app.newsletter`)
// and the plugin. Other modules put their readers' alerts into the digest through the
// extension points below (the forums answer `newsletter.watchedTopics`).
export type { Newsletter } from './routes.js';
export type { NewsletterList } from './service.js';
export { default } from './routes.js';
/** The digest's mail from article cards (the benchmark renders one without the content module). */
export { renderDigest } from './mail-template.js';

/** The tables the newsletter owns; no other module queries them. */
export const tables = ['newsletter_lists', 'newsletter_subscribers', 'newsletter_subscriptions', 'newsletter_confirmations', 'newsletter_consents', 'newsletter_sends', 'newsletter_queue', 'newsletter_events'] as const;

/** One thing a reader follows that has news, for the personal part of their digest. */
export interface PersonalItem {
  title: string;
  /** Absolute, or a path on the portal. */
  url: string;
  /** How many new posts (or ads, …) since the reader last looked. */
  count: number;
}

declare module '../../platform/extensions.js' {
  interface ExtensionPoints {
    /** Forum topics each of these accounts follows that have posts they have not read, newest first, at most five each (the forums module answers). */
    'newsletter.watchedTopics': (userIds: number[]) => Promise<Map<number, PersonalItem[]>>;
  }
}
