// The event stream of a signed-in reader's messages (GET /me/messages/stream):
// server-sent events carrying only «something changed» ticks; the open page then
// asks the JSON API for what is new (the thread after its last message, the unread
// count). The instance's streams are held by account in the platform's EventStreams
// (platform/event-streams.ts: ceilings, slow clients, lifetimes, heartbeat), as live
// coverage's are. A send, a read mark, a block or a removal purges the page-cache tag
// `messages:u:<id>` of every account behind both parties; the purge reaches every
// instance through Redis (platform/cache.ts) and each instance ticks that account's
// streams.
import type { ServerResponse } from 'node:http';
import { EventStreams, type EventStream } from '../../platform/event-streams.js';

export const TAG_PREFIX = 'messages:u:';
export const userTag = (userId: number) => `${TAG_PREFIX}${userId}`;

export class MessageStreams {
  private readonly streams: EventStreams<number>;
  private seq = 0;

  constructor(private readonly retryMs = 3000) {
    this.streams = new EventStreams<number>((userIds) => {
      for (const id of userIds) for (const s of this.streams.of(id)) this.tick(s);
    });
  }

  get count(): number {
    return this.streams.count;
  }

  get stats(): EventStreams<number>['stats'] {
    return this.streams.stats;
  }

  /** Whether a new stream of this account may open now: 'ok', or which ceiling it meets (its tabs: 'owner'). */
  admit(userId: number, o: { maxStreams: number; maxPerUser: number }): 'ok' | 'instance' | 'owner' {
    return this.streams.admit(userId, { maxStreams: o.maxStreams, maxPerOwner: o.maxPerUser });
  }

  /** Takes over a response whose head was written: sends the retry and a first tick at once. */
  open(res: ServerResponse, userId: number, lifetimeMs: number): void {
    this.tick(this.streams.open(res, userId, userId, lifetimeMs));
  }

  /** These accounts' messages changed: tick their streams. */
  notify(userIds: number[]): void {
    this.streams.notify(userIds);
  }

  /** Every open stream (a purge of everything). */
  notifyAll(): void {
    this.streams.notifyAll();
  }

  private tick(s: EventStream<number>): void {
    this.streams.tick(s, `retry: ${this.retryMs}\ndata: ${++this.seq}\n\n`);
  }

  /** Ends every stream (the app is closing). */
  closeAll(): void {
    this.streams.closeAll();
  }
}
