// The SMTP side of the mailer, in a worker thread of its own (platform/mail.ts
// starts it with the first mail). nodemailer's pool speaks SMTP here: its streams,
// its dot-stuffing of every message (a byte loop over the whole mail) and the
// garbage they make cost a newsletter send some 0.3 ms a mail, which on the portal's
// own thread came between its page answers. The portal's thread only hands each
// message over and waits for the answer.
import { parentPort, workerData } from 'node:worker_threads';
import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';

export interface MailThreadOptions {
  smtpUrl: string;
  poolConnections: number;
  /** Mails a second across the pool; 0: no limit. */
  ratePerSecond: number;
}
export type ToThread = { id: number; message: SendMailOptions } | { close: true };
export type FromThread = { id: number; error?: string };

const opts = workerData as MailThreadOptions;
const transport = nodemailer.createTransport({
  url: opts.smtpUrl,
  pool: true,
  maxConnections: opts.poolConnections,
  maxMessages: 1000,
  ...(opts.ratePerSecond > 0 ? { rateDelta: 1000, rateLimit: opts.ratePerSecond } : {}),
});
const port = parentPort!;
port.on('message', (m: ToThread) => {
  if ('close' in m) {
    transport.close();
    port.close();
    return;
  }
  transport.sendMail(m.message).then(
    () => port.postMessage({ id: m.id } satisfies FromThread),
    (err: unknown) => port.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) } satisfies FromThread),
  );
});
