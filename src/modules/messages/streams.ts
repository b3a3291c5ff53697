// The event stream of a signed-in reader's messages (GET /me/messages/stream):
// server-sent events carrying only «something changed» ticks; the open page then
// asks the JSON API for what is new (the thread after its last message, the unread
// count). One hub per instance holds the open streams by account. A send, a read
// mark, a block or a removal purges the page-cache tag `messages:u:<id>` of every
// account behind both parties; the purge reaches every instance through Redis
// (platform/cache.ts) and each instance's hub ticks that account's streams. The
// same approach as live coverage's streams (modules/live/streams.ts).
//
// Bounded by design: a ceiling of streams per instance and per account (tabs); a
// stream whose client does not read (its socket's buffer above MAX_BUFFERED) is
// closed, never buffered without bound; every stream ends after its lifetime (with
// jitter) so reconnects spread over instances; a heartbeat keeps proxies from
// closing an idle one.
import type { ServerResponse } from 'node:http';

export const MAX_BUFFERED = 16 * 1024;
export const HEARTBEAT_MS = 20_000;
export const TAG_PREFIX = 'messages:u:';
export const userTag = (userId: number) => `${TAG_PREFIX}${userId}`;

interface Stream {
  res: ServerResponse;
  userId: number;
  timer: NodeJS.Timeout;
}

export class MessageStreams {
  private byUser = new Map<number, Set<Stream>>();
  private pending = new Set<number>();
  private scheduled = false;
  private heartbeat: NodeJS.Timeout;
  private seq = 0;
  count = 0;
  stats = { ticks: 0, slow: 0, refusedInstance: 0, refusedUser: 0 };

  constructor(private retryMs = 3000) {
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Whether a new stream of this account may open now: 'ok', or which ceiling it meets. */
  admit(userId: number, o: { maxStreams: number; maxPerUser: number }): 'ok' | 'instance' | 'user' {
    if (this.count >= o.maxStreams) {
      this.stats.refusedInstance++;
      return 'instance';
    }
    if ((this.byUser.get(userId)?.size ?? 0) >= o.maxPerUser) {
      this.stats.refusedUser++;
      return 'user';
    }
    return 'ok';
  }

  /** Takes over a response whose head was written: sends the retry and a first tick at once. */
  open(res: ServerResponse, userId: number, lifetimeMs: number): void {
    const stream: Stream = { res, userId, timer: setTimeout(() => this.close(stream), lifetimeMs * (0.8 + Math.random() * 0.4)) };
    stream.timer.unref();
    let set = this.byUser.get(userId);
    if (!set) this.byUser.set(userId, (set = new Set()));
    set.add(stream);
    this.count++;
    const gone = () => this.forget(stream);
    res.once('close', gone);
    res.once('error', gone);
    this.tick(stream);
  }

  /** These accounts' messages changed: tick their streams. Coalesced per turn of the event loop. */
  notify(userIds: number[]): void {
    for (const id of userIds) if (this.byUser.has(id)) this.pending.add(id);
    if (!this.pending.size || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const ids = [...this.pending];
      this.pending.clear();
      for (const id of ids) for (const s of this.byUser.get(id) ?? []) this.tick(s);
    });
  }

  /** Every open stream (a purge of everything). */
  notifyAll(): void {
    this.notify([...this.byUser.keys()]);
  }

  private write(s: Stream, text: string): void {
    if (s.res.destroyed || s.res.writableEnded) return;
    // A client that does not read: close it rather than hold its bytes; a browser reconnects and catches up.
    if (s.res.writableLength > MAX_BUFFERED) {
      this.stats.slow++;
      s.res.destroy();
      return;
    }
    s.res.write(text);
  }

  private tick(s: Stream): void {
    this.stats.ticks++;
    this.seq++;
    this.write(s, `retry: ${this.retryMs}\ndata: ${this.seq}\n\n`);
  }

  private beat(): void {
    for (const set of this.byUser.values()) for (const s of set) this.write(s, ': \n\n');
  }

  private close(s: Stream): void {
    if (!s.res.writableEnded) s.res.end();
    this.forget(s);
  }

  private forget(s: Stream): void {
    const set = this.byUser.get(s.userId);
    if (!set?.delete(s)) return;
    clearTimeout(s.timer);
    if (!set.size) this.byUser.delete(s.userId);
    this.count--;
  }

  /** Ends every stream (the app is closing). */
  closeAll(): void {
    clearInterval(this.heartbeat);
    for (const set of [...this.byUser.values()]) for (const s of [...set]) this.close(s);
  }
}
