// What other modules may use of the newsletter: the service's type (`app.newsletter`)
// and the plugin. Other modules plug alerts in later through this surface.
export type { Newsletter } from './routes.js';
export type { NewsletterList } from './service.js';
export { default } from './routes.js';
/** The digest's mail from article cards (the benchmark renders one without the content module). */
export { renderDigest } from './mail-template.js';

/** The tables the newsletter owns; no other module queries them. */
export const tables = ['newsletter_lists', 'newsletter_subscribers', 'newsletter_subscriptions', 'newsletter_confirmations', 'newsletter_consents', 'newsletter_sends', 'newsletter_queue', 'newsletter_events'] as const;
