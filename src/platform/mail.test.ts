// The mailer over SMTP (nodemailer's pool): a composed mail and a prepared one
// reach a real SMTP server as sent; a mail the server refuses fails with the
// server's reason; closing the mailer lets the process end.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { simpleParser } from 'mailparser';
import type { FastifyBaseLogger } from 'fastify';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { startSmtpSink, type SmtpSink } from '../../test/support/smtp-sink.js';
import { createMailer } from './mail.js';

let sink: SmtpSink;
before(async () => (sink = await startSmtpSink()));
after(() => sink.close());
const quiet = () => {};
const log = { info: quiet, warn: quiet, error: quiet, debug: quiet, fatal: quiet, trace: quiet, child: () => log, level: 'silent', silent: quiet } as unknown as FastifyBaseLogger;

describe('the SMTP mailer', () => {
  test('a composed mail and a prepared one arrive as sent', async () => {
    const mailer = createMailer({ smtpUrl: sink.url, outboxDir: '/nonexistent', from: 'Портал <noreply@example.ru>', log });
    try {
      await mailer.send({ to: 'one@example.ru', subject: 'Проверка связи', text: 'Текст письма', html: '<p>Письмо</p>', headers: { 'List-Id': 'test <t.example.ru>' } });
      const raw = Buffer.from('From: noreply@example.ru\r\nTo: two@example.ru\r\nSubject: prepared\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n.a line that starts with a dot\r\n');
      await mailer.send({ to: 'two@example.ru', subject: 'prepared', raw });
      const one = await simpleParser(sink.to('one@example.ru')[0]!.raw);
      assert.equal(one.subject, 'Проверка связи');
      assert.equal(one.text?.trim(), 'Текст письма');
      assert.match(sink.to('one@example.ru')[0]!.raw.toString(), /^List-Id: test <t\.example\.ru>\r$/im);
      const two = await simpleParser(sink.to('two@example.ru')[0]!.raw);
      assert.equal(two.text?.trim(), '.a line that starts with a dot', 'dot-stuffed on the way and unstuffed by the server');
    } finally {
      mailer.close();
    }
  });

  test('a mail the server refuses fails with its reason; the next one goes', async () => {
    const picky = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('nobody@')) return callback(Object.assign(new Error('Нет такого ящика'), { responseCode: 550 }));
        callback();
      },
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback());
      },
    });
    await new Promise<void>((resolve) => picky.listen(0, '127.0.0.1', resolve));
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${(picky.server.address() as AddressInfo).port}`, outboxDir: '/nonexistent', from: 'noreply@example.ru', log });
    try {
      await assert.rejects(mailer.send({ to: 'nobody@example.ru', subject: 'x', text: 'x' }), /550|Нет такого ящика/);
      await mailer.send({ to: 'somebody@example.ru', subject: 'x', text: 'x' });
    } finally {
      mailer.close();
      await new Promise<void>((resolve) => picky.close(() => resolve()));
    }
  });

  test('a process that sent a mail and closed the mailer ends (the pool does not hold it)', async () => {
    const code = `
      import { createMailer } from ${JSON.stringify(new URL('./mail.ts', import.meta.url).href)};
      const m = createMailer({ smtpUrl: process.env.SINK, outboxDir: '/nonexistent', from: 'a@example.ru', log: console });
      await m.send({ to: 'ends@example.ru', subject: 'x', text: 'x' });
      m.close();
      console.log('sent');`;
    // It would hang (and be killed at the timeout) if the pool kept it alive.
    const r = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { env: { ...process.env, SINK: sink.url }, encoding: 'utf8', timeout: 30_000 });
    assert.match(r.stdout, /sent/);
    assert.equal(sink.to('ends@example.ru').length, 1);
  });
});
