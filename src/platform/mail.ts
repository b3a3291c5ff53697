// Outgoing mail: SMTP through nodemailer when SMTP_URL is set — pooled connections
// (SMTP_POOL_CONNECTIONS) at a configurable rate (SMTP_RATE mails per second, 0:
// as fast as the server takes them); otherwise each message is written to
// DATA_DIR/outbox as an .eml file and logged, so a newcomer can still confirm an
// e-mail address without a mail server.
//
// A plain mail (text only, no headers of its own: account confirmations,
// notifications) is written to the outbox as before, headers and a UTF-8 body; a
// mail with an HTML part or headers of its own (the newsletter) is built by
// nodemailer exactly as SMTP would get it: multipart/alternative with every header.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Transporter } from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import { randomToken } from './secrets.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** An HTML alternative to the text. */
  html?: string;
  /** Extra headers (List-Id, List-Unsubscribe, Feedback-ID, …); `prepared` values go out as they are (already encoded), folded at their spaces with `foldLines`. */
  headers?: Record<string, string | { prepared: true; foldLines?: boolean; value: string }>;
  /** The Message-ID, without angle brackets (a queue row's own, so a bounce finds it). */
  messageId?: string;
  /** The envelope sender (bounces go there), when not the From address. */
  returnPath?: string;
}
/** A message built already (the newsletter's compiled mails): handed to SMTP as it is. */
export interface PreparedMail {
  to: string;
  /** For the log. */
  subject: string;
  /** The whole message, headers and body, CRLF line ends (a string goes out as UTF-8). */
  raw: string | Buffer;
}
export interface Mailer {
  send(mail: Mail | PreparedMail): Promise<void>;
  /** The From address mails go out with ("Site <noreply@host>"). */
  readonly from: string;
  /** Closes pooled connections (app close). */
  close(): void;
}

export interface MailerOptions {
  smtpUrl?: string;
  outboxDir: string;
  from: string;
  log: FastifyBaseLogger;
  /** Simultaneous SMTP connections (default 5). */
  poolConnections?: number;
  /** At most this many mails a second across the pool; 0 or unset: no limit. */
  ratePerSecond?: number;
}

const outboxName = () => `${Date.now()}-${randomToken(6)}.eml`;

// nodemailer (3 MB of heap with its code) loads with the first mail, not with every
// instance: most of an instance's life sends none (docs/capacity.md, «Memory»).
let library: Promise<typeof import('nodemailer')> | undefined;
const nodemailer = () => (library ??= import('nodemailer'));

/** A transport made on first use and closed only if it was made. */
function lazyTransport(make: (lib: typeof import('nodemailer')) => Transporter) {
  let made: Promise<Transporter> | undefined;
  return {
    get: () => (made ??= nodemailer().then((lib) => make(lib))),
    close: () => void made?.then((t) => t.close()),
  };
}

/** The address of a From value ("Site <noreply@host>" → noreply@host). */
export const fromAddress = (from: string) => /<([^>]+)>/.exec(from)?.[1] ?? from;

export function createMailer(opts: MailerOptions): Mailer {
  const envelope = (mail: Mail | PreparedMail) =>
    'raw' in mail ? { envelope: { from: fromAddress(opts.from), to: mail.to }, raw: mail.raw } : composed(mail);
  const composed = (mail: Mail) => ({
    from: opts.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    ...(mail.html ? { html: mail.html } : {}),
    ...(mail.headers ? { headers: mail.headers } : {}),
    ...(mail.messageId ? { messageId: `<${mail.messageId}>` } : {}),
    ...(mail.returnPath ? { envelope: { from: mail.returnPath, to: mail.to } } : {}),
  });
  if (opts.smtpUrl) {
    const rate = opts.ratePerSecond ?? 0;
    const transport = lazyTransport((lib) =>
      lib.default.createTransport({
        url: opts.smtpUrl,
        pool: true,
        maxConnections: opts.poolConnections ?? 5,
        maxMessages: 1000,
        ...(rate > 0 ? { rateDelta: 1000, rateLimit: rate } : {}),
      }),
    );
    return {
      from: opts.from,
      async send(mail) {
        await (await transport.get()).sendMail(envelope(mail));
      },
      close: transport.close,
    };
  }
  // The outbox: nodemailer's stream transport builds the same message SMTP would get.
  const builder = lazyTransport((lib) => lib.default.createTransport({ streamTransport: true, buffer: true, newline: 'windows' }));
  return {
    from: opts.from,
    async send(mail) {
      await fs.mkdir(opts.outboxDir, { recursive: true });
      const file = path.join(opts.outboxDir, outboxName());
      if ('raw' in mail || mail.html || mail.headers || mail.messageId) {
        const info = (await (await builder.get()).sendMail(envelope(mail))) as unknown as { message: Buffer };
        await fs.writeFile(file, info.message);
        opts.log.info({ to: mail.to, subject: mail.subject, file }, 'mail written to outbox (SMTP_URL is not set)');
        return;
      }
      const headers = [`From: ${opts.from}`, `To: ${mail.to}`, `Subject: =?UTF-8?B?${Buffer.from(mail.subject).toString('base64')}?=`, 'Content-Type: text/plain; charset=utf-8'];
      await fs.writeFile(file, `${headers.join('\r\n')}\r\n\r\n${mail.text}\r\n`);
      opts.log.info({ to: mail.to, subject: mail.subject, file, text: mail.text }, 'mail written to outbox (SMTP_URL is not set)');
    },
    close: builder.close,
  };
}
