// Outgoing mail: SMTP through nodemailer when SMTP_URL is set; otherwise each
// message is written to DATA_DIR/outbox as an .eml file and logged, so a newcomer
// can still confirm an e-mail address without a mail server.
import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import { randomToken } from './secrets.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}
export interface Mailer {
  send(mail: Mail): Promise<void>;
}

export function createMailer(opts: { smtpUrl?: string; outboxDir: string; from: string; log: FastifyBaseLogger }): Mailer {
  if (opts.smtpUrl) {
    const transport = nodemailer.createTransport(opts.smtpUrl);
    return {
      async send(mail) {
        await transport.sendMail({ from: opts.from, ...mail });
      },
    };
  }
  return {
    async send(mail) {
      await fs.mkdir(opts.outboxDir, { recursive: true });
      const file = path.join(opts.outboxDir, `${Date.now()}-${randomToken(6)}.eml`);
      const headers = [`From: ${opts.from}`, `To: ${mail.to}`, `Subject: =?UTF-8?B?${Buffer.from(mail.subject).toString('base64')}?=`, 'Content-Type: text/plain; charset=utf-8'];
      await fs.writeFile(file, `${headers.join('\r\n')}\r\n\r\n${mail.text}\r\n`);
      opts.log.info({ to: mail.to, subject: mail.subject, file, text: mail.text }, 'mail written to outbox (SMTP_URL is not set)');
    },
  };
}
