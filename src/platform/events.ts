// In-process domain events, so modules react to each other without importing each
// other's tables: accounts says a reader signed in, reactions moves their
// anonymous reactions to the account; content says an article changed, the cache
// purges it.
import { EventEmitter } from 'node:events';

export interface DomainEvents {
  /** A reader signed in; `anonymousId` is the browser's reader cookie id, if any. */
  'reader.signedIn': { userId: number; anonymousId: string | null };
  /** An article was created, changed, published or unpublished. */
  'article.changed': { articleId: number; action: 'created' | 'updated' | 'published' | 'unpublished' | 'deleted' };
  /** An account is being deleted (listeners anonymise what they own). */
  'user.deleting': { userId: number };
}

export class Events {
  private emitter = new EventEmitter();

  on<K extends keyof DomainEvents>(name: K, listener: (payload: DomainEvents[K]) => Promise<void> | void): void {
    this.emitter.on(name, listener);
  }

  /** Runs every listener and waits for them; a failing listener fails the caller. */
  async emit<K extends keyof DomainEvents>(name: K, payload: DomainEvents[K]): Promise<void> {
    await Promise.all(this.emitter.listeners(name).map((l) => (l as (p: DomainEvents[K]) => unknown)(payload)));
  }
}
