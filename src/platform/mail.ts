// Outgoing mail: SMTP through nodemailer when SMTP_URL is set — pooled connections
// (SMTP_POOL_CONNECTIONS) at a configurable rate (SMTP_RATE mails per second, 0:
// as fast as the server takes them), in a worker thread (mail-thread.ts); otherwise each message is written to
// DATA_DIR/outbox as an .eml file and logged, so a newcomer can still confirm an
// e-mail address without a mail server.
//
// A plain mail (text only, no headers of its own: account confirmations,
// notifications) is written to the outbox as before, headers and a UTF-8 body; a
// mail with an HTML part or headers of its own (the newsletter) is built by
// nodemailer exactly as SMTP would get it: multipart/alternative with every header.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { SendMailOptions, Transporter } from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import type { FromThread, MailThreadOptions, ToThread } from './mail-thread.js';
import { randomToken } from './secrets.js';
import { sibling, startThread } from './threads.js';

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
  /** The whole message, headers and body, CRLF line ends. */
  raw: Buffer;
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

/**
 * SMTP in a worker thread of its own (mail-thread.ts), started with the first mail:
 * nodemailer's pool and its work per message stay off the thread that answers the
 * portal's pages. Each mail is handed over as nodemailer's options (a prepared
 * mail's bytes copied once) and its answer comes back by id; a thread that dies
 * fails the mails it held and the next mail starts another. The thread keeps the
 * process alive only while mails are in flight.
 */
function smtpThread(options: MailThreadOptions) {
  let current: { worker: Worker; pending: Map<number, { resolve: () => void; reject: (err: Error) => void }> } | null = null;
  let ids = 0;
  function start() {
    const worker = startThread(sibling(import.meta.url, 'mail-thread'), options);
    const pending = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
    const self = { worker, pending };
    worker.on('message', (m: FromThread) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (!pending.size) worker.unref();
      if (m.error === undefined) p.resolve();
      else p.reject(new Error(m.error));
    });
    const fail = (err: Error) => {
      if (current === self) current = null;
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the mail thread stopped (exit code ${code})`)));
    worker.unref();
    return self;
  }
  return {
    send(message: SendMailOptions): Promise<void> {
      const t = (current ??= start());
      const id = ++ids;
      return new Promise<void>((resolve, reject) => {
        t.pending.set(id, { resolve, reject });
        t.worker.ref();
        t.worker.postMessage({ id, message } satisfies ToThread);
      });
    },
    close(): void {
      current?.worker.postMessage({ close: true } satisfies ToThread);
      current = null;
    },
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
    const thread = smtpThread({ smtpUrl: opts.smtpUrl, poolConnections: opts.poolConnections ?? 5, ratePerSecond: opts.ratePerSecond ?? 0 });
    return { from: opts.from, send: (mail) => thread.send(envelope(mail)), close: thread.close };
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
