// The «local SMTP sink» of the newsletter benchmark (bench/newsletter.ts), in a
// process of its own: the real SMTP server of the tests (test/support/smtp-sink.ts,
// smtp-server) keeping nothing but a count, so that neither its CPU nor its memory
// is counted as the sending portal's. Talks to the parent over IPC: it first
// answers { url }; { count } answers { received, rss }. BENCH_NEWSLETTER_SINK_NICE:
// the sink's CPU priority, lowered as the worker's is (nice and the idle class) — it
// stands for the mail relay, which in production is another machine's CPU, not the
// web instance's.
import { startSmtpSink } from '../test/support/smtp-sink.js';
import { lowerPriority } from '../src/platform/priority.js';

lowerPriority(Number(process.env.BENCH_NEWSLETTER_SINK_NICE ?? 0), (line) => process.stderr.write(`${line}\n`));

const sink = await startSmtpSink({ keep: false });
process.on('message', (m: { count?: boolean; close?: boolean }) => {
  if (m.count) process.send!({ received: sink.messages.length, rss: process.memoryUsage().rss });
  if (m.close) void sink.close().then(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
process.send!({ url: sink.url });
