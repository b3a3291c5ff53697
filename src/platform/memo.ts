// Data cache under the page cache. A page-cache miss (a new address, a query string,
// a purge) still needs the article, its «По теме» and its widgets; they are the
// same for every reader, so they are loaded once and kept here for a short while,
// tagged like pages (`article:42`). Purges reach this cache through the page
// cache's purge listener, so a change clears both, here and on every instance.
//
// Concurrent misses of one key share one load (no stampede on a breaking story).

export interface MemoOptions {
  maxEntries?: number;
  now?: () => number;
}

export interface MemoEntryOptions<T> {
  /** How long the value may be served without a purge. */
  ttlMs: number;
  /** Purge tags of the value; may depend on it (e.g. the ids of the cards it holds). */
  tags?: string[] | ((value: T) => string[]);
}

interface Entry {
  value: unknown;
  tags: string[];
  expires: number;
}

export class Memo {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<unknown>>();
  // Purge sequence numbers: a load that began before a purge of one of its tags
  // (or of everything) may hold the old data, so it is returned but not stored.
  private sequence = 0;
  private everythingPurgedAt = 0;
  private readonly tagPurgedAt = new Map<string, number>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: MemoOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  async get<T>(key: string, options: MemoEntryOptions<T>, load: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && entry.expires > this.now()) return entry.value as T;
    const pending = this.loading.get(key);
    if (pending) return pending as Promise<T>;
    const startedAt = this.sequence;
    const promise = load().then(
      (value) => {
        this.loading.delete(key);
        this.store(key, value, options, startedAt);
        return value;
      },
      (err: unknown) => {
        this.loading.delete(key);
        throw err;
      },
    );
    this.loading.set(key, promise);
    return promise;
  }

  /**
   * Several keys at once: those neither held nor being loaded are loaded in one
   * call of `load` (one query for a list's cold cards, not one per card). A key
   * `load` leaves out of its map is kept as `absent`.
   */
  async getMany<T>(keys: string[], options: (key: string) => MemoEntryOptions<T>, load: (missing: string[]) => Promise<Map<string, T>>, absent: T): Promise<T[]> {
    const now = this.now();
    // The usual case on a hot path (a reader's list, every article view): all held.
    const held: T[] = [];
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (!entry || entry.expires <= now) break;
      held.push(entry.value as T);
    }
    if (held.length === keys.length) return held;
    const missing = [...new Set(keys)].filter((key) => !((this.entries.get(key)?.expires ?? 0) > now) && !this.loading.has(key));
    if (missing.length) {
      const startedAt = this.sequence;
      const batch = load(missing);
      for (const key of missing) {
        const promise = batch.then(
          (values) => {
            this.loading.delete(key);
            const value = values.has(key) ? values.get(key)! : absent;
            this.store(key, value, options(key), startedAt);
            return value;
          },
          (err: unknown) => {
            this.loading.delete(key);
            throw err;
          },
        );
        this.loading.set(key, promise);
      }
    }
    // Every key is now held or being loaded, so `get` never calls this loader.
    return Promise.all(keys.map((key) => this.get(key, options(key), () => load([key]).then((values) => values.get(key) ?? absent))));
  }

  private store<T>(key: string, value: T, options: MemoEntryOptions<T>, startedAt: number) {
    const tags = typeof options.tags === 'function' ? options.tags(value) : (options.tags ?? []);
    if (this.everythingPurgedAt > startedAt || tags.some((t) => (this.tagPurgedAt.get(t) ?? 0) > startedAt)) return;
    this.entries.delete(key);
    this.entries.set(key, { value, tags, expires: this.now() + options.ttlMs });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /**
   * Drops one value by its key: a change this instance made and knows the key of
   * (other instances keep theirs until their purge or expiry). Cheaper than a tag
   * purge, which looks at every entry.
   */
  forget(key: string): void {
    this.entries.delete(key);
  }

  /** Drops every value with any of the tags ('*': everything). */
  purge(tags: string[]): void {
    const sequence = ++this.sequence;
    // Forgetting old tag purges is safe only as a purge of everything.
    if (tags.includes('*') || this.tagPurgedAt.size > 50_000) {
      this.everythingPurgedAt = sequence;
      this.tagPurgedAt.clear();
      this.entries.clear();
      return;
    }
    for (const tag of tags) this.tagPurgedAt.set(tag, sequence);
    const wanted = new Set(tags);
    for (const [key, entry] of this.entries) {
      if (entry.tags.some((t) => wanted.has(t))) this.entries.delete(key);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
