// In-process domain events, so modules react to each other without importing each
// other's tables: accounts says a reader signed in, reactions moves their
// anonymous reactions to the account; content says an article changed, the cache
// purges it.
import { EventEmitter } from 'node:events';
import type { SubjectRef } from './subjects.js';

/** One side of a conversation (modules/messages): an account, or an organisation whose members answer. */
export type Party = { kind: 'user'; id: number } | { kind: 'organisation'; id: number };

export interface DomainEvents {
  /** A reader signed in; `anonymousId` is the browser's reader cookie id, if any. */
  'reader.signedIn': { userId: number; anonymousId: string | null };
  /**
   * An article was created, changed, published or unpublished. `batched`: one of a
   * bulk write's many (the WordPress import), whose writer announces them together
   * with `articles.changed` once written; listeners that do the same work for many
   * articles at once (search's index) wait for that.
   */
  'article.changed': { articleId: number; action: 'created' | 'updated' | 'published' | 'unpublished' | 'deleted'; batched?: boolean };
  /** Articles a bulk write changed, each already announced by a `batched` `article.changed`. */
  'articles.changed': { articleIds: number[] };
  /** An account is being deleted (listeners anonymise what they own). */
  'user.deleting': { userId: number };
  /** A message was sent (modules/messages); classifieds keeps its lead counters from it. */
  'message.sent': {
    conversationId: number;
    messageId: number;
    subject: SubjectRef;
    from: Party;
    to: Party;
    senderId: number;
    first: boolean;
    at: Date;
    /** ms since the other side's last unanswered message, when this one answers it (lead analytics' first-response time). */
    answersAfterMs: number | null;
  };
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
