// The event stream of live articles: server-sent events carrying only «changed up
// to N» ticks (N: the article's highest version id); the entries themselves come
// from the cacheable range URLs. One hub per instance holds the open streams by
// article. A write anywhere purges the page-cache tag `live:<id>`; the purge
// reaches every instance through Redis (platform/cache.ts), and each instance's
// hub then reads the article's head once and ticks all its streams. Without
// Redis the purge is in process. A slow check of the heads (every CHECK_MS)
// covers a purge lost while Redis was away.
//
// Bounded by design: a ceiling of streams per instance (past it clients poll the
// head URL) and per address; a stream whose client does not read (its socket's
// buffer above MAX_BUFFERED) is closed, never buffered without bound; every
// stream ends after its lifetime (with jitter) so reconnects spread over time.
import type { ServerResponse } from 'node:http';

export const MAX_BUFFERED = 16 * 1024;
export const HEARTBEAT_MS = 20_000;
export const CHECK_MS = 15_000;

interface Stream {
  res: ServerResponse;
  articleId: number;
  address: string;
  last: number;
  timer: NodeJS.Timeout;
}

export interface OpenOptions {
  head: number;
  retryMs: number;
  lifetimeMs: number;
  maxStreams: number;
  maxPerAddress: number;
}

export class StreamHub {
  private byArticle = new Map<number, Set<Stream>>();
  private perAddress = new Map<string, number>();
  private pending = new Set<number>();
  private scheduled = false;
  private heartbeat: NodeJS.Timeout;
  private check: NodeJS.Timeout;
  private retryMs = 5000;
  count = 0;
  /** Ticks written, streams closed as slow (for the metrics and the tests). */
  stats = { ticks: 0, slow: 0, refusedInstance: 0, refusedAddress: 0 };

  constructor(private readonly heads: (ids: number[]) => Promise<Map<number, number>>, private readonly onError: (err: Error) => void) {
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
    this.check = setInterval(() => this.notify([...this.byArticle.keys()]), CHECK_MS);
    this.check.unref();
  }

  /** Whether a new stream from this address may open now: 'ok', or which ceiling it meets. */
  admit(address: string, o: Pick<OpenOptions, 'maxStreams' | 'maxPerAddress'>): 'ok' | 'instance' | 'address' {
    if (this.count >= o.maxStreams) {
      this.stats.refusedInstance++;
      return 'instance';
    }
    if ((this.perAddress.get(address) ?? 0) >= o.maxPerAddress) {
      this.stats.refusedAddress++;
      return 'address';
    }
    return 'ok';
  }

  /** Takes over a response whose head was written: sends the retry and the current head at once. */
  open(res: ServerResponse, articleId: number, address: string, o: OpenOptions): void {
    this.retryMs = o.retryMs;
    const stream: Stream = {
      res,
      articleId,
      address,
      last: 0,
      timer: setTimeout(() => this.close(stream), o.lifetimeMs * (0.8 + Math.random() * 0.4)),
    };
    stream.timer.unref();
    let set = this.byArticle.get(articleId);
    if (!set) this.byArticle.set(articleId, (set = new Set()));
    set.add(stream);
    this.count++;
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    const gone = () => this.forget(stream);
    res.once('close', gone);
    res.once('error', gone);
    this.tick(stream, o.head);
  }

  /** An article changed (a purge of `live:<id>`): tick its streams once the head is read. Coalesced per turn. */
  notify(articleIds: number[]): void {
    for (const id of articleIds) if (this.byArticle.has(id)) this.pending.add(id);
    if (!this.pending.size || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const ids = [...this.pending];
      this.pending.clear();
      this.heads(ids).then(
        (heads) => {
          for (const id of ids) {
            const head = heads.get(id) ?? 0;
            for (const s of this.byArticle.get(id) ?? []) if (head > s.last) this.tick(s, head);
          }
        },
        (err: Error) => this.onError(err),
      );
    });
  }

  /** Every open article (a purge of everything). */
  notifyAll(): void {
    this.notify([...this.byArticle.keys()]);
  }

  setRetry(ms: number): void {
    this.retryMs = ms;
  }

  private write(s: Stream, text: string): void {
    if (s.res.destroyed || s.res.writableEnded) return;
    // A client that does not read: its bytes pile up in our buffer. Close it
    // rather than hold them; a real browser reconnects and catches up.
    if (s.res.writableLength > MAX_BUFFERED) {
      this.stats.slow++;
      s.res.destroy();
      return;
    }
    s.res.write(text);
  }

  private tick(s: Stream, head: number): void {
    s.last = head;
    this.stats.ticks++;
    // `retry:` in every message: the server's kill switch for reconnect pressure.
    this.write(s, `retry: ${this.retryMs}\nid: ${head}\ndata: ${head}\n\n`);
  }

  private beat(): void {
    for (const set of this.byArticle.values()) for (const s of set) this.write(s, ': \n\n');
  }

  private close(s: Stream): void {
    if (!s.res.writableEnded) s.res.end();
    this.forget(s);
  }

  private forget(s: Stream): void {
    const set = this.byArticle.get(s.articleId);
    if (!set?.delete(s)) return;
    clearTimeout(s.timer);
    if (!set.size) this.byArticle.delete(s.articleId);
    this.count--;
    const n = (this.perAddress.get(s.address) ?? 1) - 1;
    if (n <= 0) this.perAddress.delete(s.address);
    else this.perAddress.set(s.address, n);
  }

  /** Ends every stream (the app is closing). */
  closeAll(): void {
    clearInterval(this.heartbeat);
    clearInterval(this.check);
    for (const set of [...this.byArticle.values()]) for (const s of [...set]) this.close(s);
  }
}
