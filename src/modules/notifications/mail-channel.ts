// The mail channel: a periodic job (one instance at a time, platform/jobs.ts) sends
// what waited out its kind's window unread — several notifications of one kind in
// one mail — within the account's daily cap across every kind. Each mail is claimed
// in the database before it goes out (service.claimMail), so a job that stops
// half-way, or runs again, never sends the same notifications twice; the price is
// that a crash between the claim and the transport loses that one mail.
import type { FastifyBaseLogger } from 'fastify';
import type { Mailer } from '../../platform/mail.js';
import type { I18n } from '../../platform/i18n/index.js';
import type { NotificationsService, ClaimedMail } from './service.js';

export interface Contact {
  email: string;
  displayName: string;
  /** Mail goes only to a confirmed address. */
  confirmed: boolean;
}

export interface MailChannelDeps {
  service: NotificationsService;
  mailer: Mailer;
  contact: (userId: number) => Promise<Contact | null>;
  i18n: I18n;
  siteName: string;
  publicUrl: string;
  dailyCap: number;
  log: FastifyBaseLogger;
}

/** «2 новых ответа»: the kind's plural forms, whose key is only known at run time. */
function countText(t: I18n, key: string, n: number): string {
  return (t.plural as (key: string, n: number) => string)(key, n);
}

/** The mail's words: a subject with the count, then each notification with its link. */
export function mailText(t: I18n, kind: string, to: Contact, mail: ClaimedMail, site: { name: string; url: string }) {
  const key = (part: string) => `notifications.mail.${kind}.${part}`;
  const count = mail.items.length;
  const subject = t.lookup(key('subject'), { site: site.name, count }) ?? kind;
  const lines = mail.items.map((n) => t.lookup(key('item'), { author: n.actorName, excerpt: n.excerpt, link: site.url + n.url }) ?? site.url + n.url);
  const text = t.lookup('notifications.mail.body', { name: to.displayName, count: countText(t, key('count'), count), items: lines.join('\n\n'), settings: `${site.url}/account#notification-preferences` }) ?? lines.join('\n\n');
  return { subject, text };
}

export function createMailChannel(deps: MailChannelDeps) {
  const { service, mailer, log } = deps;
  return {
    /** One pass: every reader and kind whose mail is due. Returns how many mails went out. */
    async run(): Promise<number> {
      let sent = 0;
      for (const { userId, kind } of await service.dueMail()) {
        const to = await deps.contact(userId);
        if (!to?.confirmed) {
          await service.dropMail(userId, kind);
          continue;
        }
        const mail = await service.claimMail(userId, kind, deps.dailyCap);
        if (!mail || mail.state === 'capped') continue;
        const { subject, text } = mailText(deps.i18n, kind, to, mail, { name: deps.siteName, url: deps.publicUrl });
        try {
          await mailer.send({ to: to.email, subject, text });
          await service.finishMail(mail.mailId, 'sent');
          sent++;
        } catch (err) {
          // The notifications stay on the site; one failed mail is not retried, so
          // a transport that fails after delivering never makes a second copy.
          await service.finishMail(mail.mailId, 'failed');
          log.warn({ err, mailId: mail.mailId }, 'notification mail failed');
        }
      }
      return sent;
    },
  };
}
