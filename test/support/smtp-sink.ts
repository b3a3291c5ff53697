// A real SMTP server on 127.0.0.1 (smtp-server) that keeps every message it takes:
// the envelope's recipients and the raw message, for tests (parse with mailparser)
// and the benchmark. No TLS, no authentication: a local sink.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SinkMessage {
  rcpt: string[];
  raw: Buffer;
}

export interface SmtpSink {
  url: string;
  messages: SinkMessage[];
  /** Messages to one address. */
  to(address: string): SinkMessage[];
  /** Waits until `check` holds (polling), or fails after `ms`. */
  until(check: () => boolean, ms?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtpSink(opts: { keep?: boolean } = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const keep = opts.keep ?? true;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => keep && chunks.push(c));
      stream.on('end', () => {
        messages.push({ rcpt: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), raw: Buffer.concat(chunks) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    to: (address) => messages.filter((m) => m.rcpt.includes(address.toLowerCase())),
    async until(check, ms = 15_000) {
      const end = Date.now() + ms;
      while (!check()) {
        if (Date.now() > end) throw new Error('timed out waiting for mail');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
