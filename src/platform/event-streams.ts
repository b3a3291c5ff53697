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
//
// Small by design too: an instance holds tens of thousands of these, so a stream is
// the socket and its response plus one small record — no timer of its own (one sweep
// a second ends the streams whose lifetime is over), no closure of its own (one
// listener shared by all), and not Fastify's request and reply (openEventStream lets
// them go). Every byte here is multiplied by the streams an instance holds, and a
// heap grown by them makes V8 collect more often for every other request
// (docs/benchmarks.md, «Live coverage»).
import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const MAX_BUFFERED = 16 * 1024;
export const HEARTBEAT_MS = 20_000;
/** How often streams past their lifetime are ended: a lifetime is minutes, give or take a fifth. */
export const SWEEP_MS = 1000;

export interface EventStream<K> {
  res: ServerResponse;
  key: K;
  owner: string | number;
  /** The last id this stream was sent (its module's meaning). */
  last: number;
  /** When it ends (ms since the epoch), its lifetime with jitter. */
  endsAt: number;
}

/** The stream each open response belongs to, for the listener all responses share. */
const STREAM = Symbol('eventStream');
type StreamResponse<K> = ServerResponse & { [STREAM]?: EventStream<K> };

export class EventStreams<K> {
  private byKey = new Map<K, Set<EventStream<K>>>();
  private perOwner = new Map<string | number, number>();
  private pending = new Set<K>();
  private scheduled = false;
  private heartbeat: NodeJS.Timeout;
  private sweep: NodeJS.Timeout;
  /** Shared by every response: a closed or failed one leaves the hub. */
  private readonly gone: (this: StreamResponse<K>) => void;
  count = 0;
  /** Ticks written, streams closed as slow, opens refused (for the metrics and the tests). */
  stats = { ticks: 0, slow: 0, refusedInstance: 0, refusedOwner: 0 };

  /** `changed`: the keys whose streams have open clients, once per turn after notify(). */
  constructor(private readonly changed: (keys: K[]) => void) {
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
    this.sweep = setInterval(() => this.endExpired(), SWEEP_MS);
    this.sweep.unref();
    const forget = (s: EventStream<K>) => this.forget(s);
    this.gone = function (this: StreamResponse<K>) {
      const s = this[STREAM];
      if (s) forget(s);
    };
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
    const stream: EventStream<K> = { res, key, owner, last: 0, endsAt: Date.now() + lifetimeMs * (0.8 + Math.random() * 0.4) };
    let set = this.byKey.get(key);
    if (!set) this.byKey.set(key, (set = new Set()));
    set.add(stream);
    this.count++;
    this.perOwner.set(owner, (this.perOwner.get(owner) ?? 0) + 1);
    (res as StreamResponse<K>)[STREAM] = stream;
    res.on('close', this.gone);
    res.on('error', this.gone);
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

  private endExpired(): void {
    if (!this.count) return;
    const now = Date.now();
    const over: EventStream<K>[] = [];
    for (const set of this.byKey.values()) for (const s of set) if (s.endsAt <= now) over.push(s);
    for (const s of over) this.close(s);
  }

  private close(s: EventStream<K>): void {
    if (!s.res.writableEnded) s.res.end();
    this.forget(s);
  }

  private forget(s: EventStream<K>): void {
    const set = this.byKey.get(s.key);
    if (!set?.delete(s)) return;
    if (!set.size) this.byKey.delete(s.key);
    this.count--;
    const n = (this.perOwner.get(s.owner) ?? 1) - 1;
    if (n <= 0) this.perOwner.delete(s.owner);
    else this.perOwner.set(s.owner, n);
  }

  /** Ends every stream (the app is closing). */
  closeAll(): void {
    clearInterval(this.heartbeat);
    clearInterval(this.sweep);
    for (const set of [...this.byKey.values()]) for (const s of [...set]) this.close(s);
  }
}

/**
 * Takes a request's response out of Fastify's hands as an event stream: no socket
 * timeout, no Nagle delay on the small ticks, the stream's head sent at once.
 */
export function openEventStream(req: FastifyRequest, reply: FastifyReply, cacheControl: string): ServerResponse {
  reply.hijack();
  releaseFastify(reply.raw);
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
  // Sent now, the head is written out as one string, and the thirty small strings
  // node:http joined it from are let go (kept until the stream's end otherwise).
  res.flushHeaders();
  return res;
}

/**
 * Fastify listens for a response's end to time it and run the onResponse hooks; its
 * listener holds its request and reply (with their logger) until then — for a
 * stream, its whole life, about a kilobyte each. A stream's minutes are no sample of
 * response time, so the listener goes: the stream is neither timed nor logged at its
 * end (event-streams.test.ts checks that the reply is then collected).
 */
function releaseFastify(res: ServerResponse): void {
  for (const event of ['finish', 'error'] as const) {
    for (const listener of res.listeners(event)) if (listener.name === 'onResFinished') res.removeListener(event, listener as () => void);
  }
}
