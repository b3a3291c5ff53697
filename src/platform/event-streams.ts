// Server-sent event streams held open by one instance, grouped by what they follow
// (a live article, an account's messages): the part live coverage's and messages'
// streams share. A module says when its keys changed and what a tick carries; this
// holds the sockets.
//
// Bounded by design: a ceiling of streams per instance and per owner (an address, an
// account); a stream whose client does not read (its socket's buffer above
// MAX_BUFFERED) is closed, never buffered without bound; every stream ends after its
// lifetime (with jitter) so reconnects spread over time and instances; a heartbeat
// keeps proxies from closing an idle one. Changes are coalesced per turn of the event
// loop: a burst of purges is one pass over the streams.
import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const MAX_BUFFERED = 16 * 1024;
export const HEARTBEAT_MS = 20_000;

export interface EventStream<K> {
  res: ServerResponse;
  key: K;
  owner: string | number;
  /** The last id this stream was sent (its module's meaning). */
  last: number;
  timer: NodeJS.Timeout;
}

export class EventStreams<K> {
  private byKey = new Map<K, Set<EventStream<K>>>();
  private perOwner = new Map<string | number, number>();
  private pending = new Set<K>();
  private scheduled = false;
  private heartbeat: NodeJS.Timeout;
  count = 0;
  /** Ticks written, streams closed as slow, opens refused (for the metrics and the tests). */
  stats = { ticks: 0, slow: 0, refusedInstance: 0, refusedOwner: 0 };

  /** `changed`: the keys whose streams have open clients, once per turn after notify(). */
  constructor(private readonly changed: (keys: K[]) => void) {
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Whether a new stream of this owner may open now: 'ok', or which ceiling it meets. */
  admit(owner: string | number, o: { maxStreams: number; maxPerOwner: number }): 'ok' | 'instance' | 'owner' {
    if (this.count >= o.maxStreams) {
      this.stats.refusedInstance++;
      return 'instance';
    }
    if ((this.perOwner.get(owner) ?? 0) >= o.maxPerOwner) {
      this.stats.refusedOwner++;
      return 'owner';
    }
    return 'ok';
  }

  /** Takes over a response whose head was written (openEventStream); the caller sends the first tick. */
  open(res: ServerResponse, key: K, owner: string | number, lifetimeMs: number): EventStream<K> {
    const stream: EventStream<K> = { res, key, owner, last: 0, timer: setTimeout(() => this.close(stream), lifetimeMs * (0.8 + Math.random() * 0.4)) };
    stream.timer.unref();
    let set = this.byKey.get(key);
    if (!set) this.byKey.set(key, (set = new Set()));
    set.add(stream);
    this.count++;
    this.perOwner.set(owner, (this.perOwner.get(owner) ?? 0) + 1);
    const gone = () => this.forget(stream);
    res.once('close', gone);
    res.once('error', gone);
    return stream;
  }

  /** These keys changed: `changed` gets those with open streams, coalesced per turn of the event loop. */
  notify(keys: Iterable<K>): void {
    for (const key of keys) if (this.byKey.has(key)) this.pending.add(key);
    if (!this.pending.size || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const ready = [...this.pending];
      this.pending.clear();
      this.changed(ready);
    });
  }

  /** Every key with an open stream (a purge of everything). */
  notifyAll(): void {
    this.notify(this.byKey.keys());
  }

  /** The open streams of a key. */
  of(key: K): Iterable<EventStream<K>> {
    return this.byKey.get(key) ?? [];
  }

  /** Writes one event to one stream. */
  tick(s: EventStream<K>, event: string): void {
    this.stats.ticks++;
    this.write(s, event);
  }

  private write(s: EventStream<K>, text: string): void {
    if (s.res.destroyed || s.res.writableEnded) return;
    // A client that does not read: its bytes pile up in our buffer. Close it rather
    // than hold them; a browser reconnects and catches up.
    if (s.res.writableLength > MAX_BUFFERED) {
      this.stats.slow++;
      s.res.destroy();
      return;
    }
    s.res.write(text);
  }

  private beat(): void {
    for (const set of this.byKey.values()) for (const s of set) this.write(s, ': \n\n');
  }

  private close(s: EventStream<K>): void {
    if (!s.res.writableEnded) s.res.end();
    this.forget(s);
  }

  private forget(s: EventStream<K>): void {
    const set = this.byKey.get(s.key);
    if (!set?.delete(s)) return;
    clearTimeout(s.timer);
    if (!set.size) this.byKey.delete(s.key);
    this.count--;
    const n = (this.perOwner.get(s.owner) ?? 1) - 1;
    if (n <= 0) this.perOwner.delete(s.owner);
    else this.perOwner.set(s.owner, n);
  }

  /** Ends every stream (the app is closing). */
  closeAll(): void {
    clearInterval(this.heartbeat);
    for (const set of [...this.byKey.values()]) for (const s of [...set]) this.close(s);
  }
}

/**
 * Takes a request's response out of Fastify's hands as an event stream: no socket
 * timeout, no Nagle delay on the small ticks, the stream's head written at once.
 */
export function openEventStream(req: FastifyRequest, reply: FastifyReply, cacheControl: string): ServerResponse {
  reply.hijack();
  req.raw.socket.setTimeout(0);
  req.raw.socket.setNoDelay(true);
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': cacheControl,
    'x-accel-buffering': 'no',
    'x-content-type-options': 'nosniff',
    connection: 'keep-alive',
  });
  return res;
}
