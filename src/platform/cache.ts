// Page cache: rendered pages kept in process, each with the tags of what it shows
// (`article:42`, `section:7`, `home`, `feeds`). A change purges its tags on every
// instance: locally at once, and through Redis pub/sub to the others.
import crypto from 'node:crypto';
import type { Redis } from 'ioredis';

export interface CachedPage {
  status: number;
  type: string;
  /** Encoded once when stored, so a hit is a plain write of bytes. */
  body: Buffer;
  etag: string;
  tags: string[];
  storedAt: number;
}

/** When a page last moved to the recent end of the LRU order. */
type StoredPage = CachedPage & { touchedAt: number };
const TOUCH_MS = 1000;

export interface PageCacheOptions {
  maxEntries?: number;
  maxAgeMs?: number;
  now?: () => number;
}

export class PageCache {
  private readonly entries = new Map<string, StoredPage>();
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private publisher: Redis | undefined;
  private channel = 'gorod:purge';
  private readonly instanceId = crypto.randomUUID();
  /** A purge could not be broadcast (Redis away): the others need a full purge. */
  private unsent = false;
  private readonly listeners: ((tags: string[]) => void)[] = [];
  hits = 0;
  misses = 0;

  constructor(options: PageCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 5000;
    this.maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  get(key: string): CachedPage | undefined {
    const page = this.entries.get(key);
    const now = this.now();
    if (!page || now - page.storedAt > this.maxAgeMs) {
      if (page) this.entries.delete(key);
      this.misses++;
      return undefined;
    }
    // Re-insert to keep Map order as recency order (LRU), at most once a second a
    // page: a delete and a set on every hit churned the Map's table on the hottest
    // path (allocation on each hit, the live bench's range row), and a second's
    // recency is all eviction needs.
    if (now - page.touchedAt >= TOUCH_MS) {
      page.touchedAt = now;
      this.entries.delete(key);
      this.entries.set(key, page);
    }
    this.hits++;
    return page;
  }

  set(key: string, page: Omit<CachedPage, 'etag' | 'storedAt' | 'body'> & { body: string | Buffer }): CachedPage {
    const now = this.now();
    const stored: StoredPage = {
      ...page,
      body: Buffer.isBuffer(page.body) ? page.body : Buffer.from(page.body),
      etag: `"${crypto.createHash('sha1').update(page.body).digest('base64url')}"`,
      storedAt: now,
      touchedAt: now,
    };
    this.entries.set(key, stored);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return stored;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Drops every page that shows any of the tags, here and on the other instances. */
  async purge(tags: string[]): Promise<void> {
    this.purgeLocal(tags);
    if (this.publisher) await this.broadcast(tags);
  }

  private async broadcast(tags: string[]): Promise<void> {
    const sent = this.publisher!.status === 'ready' && (await this.publisher!.publish(this.channel, JSON.stringify({ from: this.instanceId, tags })).then(() => true, () => false));
    // The other instances may still be connected to Redis and never learn of this
    // purge: tell them to drop everything as soon as we can reach Redis again.
    if (!sent) this.unsent = true;
  }

  /** Called on every purge, local or from another instance (e.g. to drop in-memory trees). */
  onPurge(listener: (tags: string[]) => void): void {
    this.listeners.push(listener);
  }

  purgeLocal(tags: string[]): void {
    for (const listener of this.listeners) listener(tags);
    if (tags.includes('*')) {
      this.entries.clear();
      return;
    }
    const wanted = new Set(tags);
    for (const [key, page] of this.entries) {
      if (page.tags.some((t) => wanted.has(t))) this.entries.delete(key);
    }
  }

  /**
   * Shares purges through Redis. A subscriber that reconnects after Redis was away
   * may have missed purges, so it drops everything it holds; a publisher that could
   * not send a purge sends a full one when it reconnects, for the instances that
   * never lost Redis.
   */
  connect(publisher: Redis, subscriber: Redis, prefix = 'gorod:'): void {
    this.publisher = publisher;
    this.channel = `${prefix}purge`;
    // Subscribe whenever the connection becomes ready: commands sent before that are
    // refused (no offline queue), and after a reconnect we may have missed purges,
    // so everything held is dropped.
    const subscribe = () => {
      this.entries.clear();
      subscriber.subscribe(this.channel).catch(() => {});
    };
    if (subscriber.status === 'ready') subscribe();
    subscriber.on('ready', subscribe);
    publisher.on('ready', () => {
      if (!this.unsent) return;
      this.unsent = false;
      void this.broadcast(['*']);
    });
    subscriber.on('message', (_channel: string, message: string) => {
      try {
        const { from, tags } = JSON.parse(message) as { from: string; tags: string[] };
        if (from !== this.instanceId) this.purgeLocal(tags);
      } catch {
        // A foreign message on our channel: ignore it.
      }
    });
  }
}
