// The event stream of live articles: server-sent events carrying only «changed up
// to N» ticks (N: the article's highest version id); the entries themselves come
// from the cacheable range URLs. The instance's streams are held by article in the
// platform's EventStreams (platform/event-streams.ts: ceilings, slow clients,
// lifetimes, heartbeat). A write anywhere purges the page-cache tag `live:<id>`; the
// purge reaches every instance through Redis (platform/cache.ts), and each
// instance's hub then reads the article's head once and ticks all its streams.
// Without Redis the purge is in process. A slow check of the heads (every CHECK_MS)
// covers a purge lost while Redis was away.
import type { ServerResponse } from 'node:http';
import { EventStreams, type EventStream } from '../../platform/event-streams.js';

export const CHECK_MS = 15_000;

export interface OpenOptions {
  head: number;
  retryMs: number;
  lifetimeMs: number;
}

export class StreamHub {
  private readonly streams: EventStreams<number>;
  private check: NodeJS.Timeout;
  private retryMs = 5000;

  constructor(heads: (ids: number[]) => Promise<Map<number, number>>, onError: (err: Error) => void) {
    this.streams = new EventStreams<number>((ids) => {
      heads(ids).then((found) => {
        for (const id of ids) {
          const head = found.get(id) ?? 0;
          for (const s of this.streams.of(id)) if (head > s.last) this.tick(s, head);
        }
      }, onError);
    });
    this.check = setInterval(() => this.streams.notifyAll(), CHECK_MS);
    this.check.unref();
  }

  get count(): number {
    return this.streams.count;
  }

  get stats(): EventStreams<number>['stats'] {
    return this.streams.stats;
  }

  /** Whether a new stream from this address may open now: 'ok', or which ceiling it meets. */
  admit(address: string, o: { maxStreams: number; maxPerAddress: number }): 'ok' | 'instance' | 'owner' {
    return this.streams.admit(address, { maxStreams: o.maxStreams, maxPerOwner: o.maxPerAddress });
  }

  /** Takes over a response whose head was written: sends the retry and the current head at once. */
  open(res: ServerResponse, articleId: number, address: string, o: OpenOptions): void {
    this.retryMs = o.retryMs;
    this.tick(this.streams.open(res, articleId, address, o.lifetimeMs), o.head);
  }

  /** Articles changed (a purge of `live:<id>`): tick their streams once their heads are read. */
  notify(articleIds: number[]): void {
    this.streams.notify(articleIds);
  }

  /** Every open article (a purge of everything). */
  notifyAll(): void {
    this.streams.notifyAll();
  }

  setRetry(ms: number): void {
    this.retryMs = ms;
  }

  private tick(s: EventStream<number>, head: number): void {
    s.last = head;
    // `retry:` in every message: the server's kill switch for reconnect pressure.
    this.streams.tick(s, `retry: ${this.retryMs}\nid: ${head}\ndata: ${head}\n\n`);
  }

  /** Ends every stream (the app is closing). */
  closeAll(): void {
    clearInterval(this.check);
    this.streams.closeAll();
  }
}
