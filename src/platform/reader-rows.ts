// Where a reader's rows follow the reader. An anonymous browser reacts, votes,
// reports typos and reads; when it signs in, all of that becomes the account's, and
// when an account is deleted, what it left is forgotten or given to nobody. Every
// module that remembers readers (`reader` columns, platform/reader.ts) declares here
// how its rows move, once; the platform runs every module's move in ONE transaction
// on `reader.signedIn` and `user.deleting`, so a sign-in never leaves half of a
// reader's state behind, and a new module (forums, classifieds) only adds an entry.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Events } from './events.js';
import { accountReader, anonymousReader, type Reader } from './reader.js';

export interface ReaderRowsOwner {
  /** The module that owns the rows. */
  owner: string;
  /**
   * Makes `from`'s rows `to`'s. Where both have a row for the same thing (a
   * reaction to one article, a vote on one comment) the account's own row wins and
   * `from`'s goes — and any count kept beside the rows loses it too.
   */
  move(trx: Transaction<DB>, from: Reader, to: Reader): Promise<void>;
  /** The account is being deleted: drop its rows, or keep them for nobody (counts stay). */
  forget(trx: Transaction<DB>, account: Reader): Promise<void>;
}

export class ReaderRows {
  private owners: ReaderRowsOwner[] = [];

  constructor(private readonly db: Kysely<DB>) {}

  add(owner: ReaderRowsOwner): void {
    if (this.owners.some((o) => o.owner === owner.owner)) throw new Error(`reader rows declared twice: ${owner.owner}`);
    this.owners.push(owner);
  }

  /** The modules that declared their rows, in the order they run. */
  get names(): string[] {
    return this.owners.map((o) => o.owner);
  }

  /** Everything `anonId` did becomes `userId`'s, in one transaction (all or nothing). */
  async moveToAccount(anonId: string, userId: number): Promise<void> {
    const from = anonymousReader(anonId);
    const to = accountReader(userId);
    // Modules in the order they declared, each in its own fixed row order, so two
    // sign-ins at once take their locks in the same order.
    await this.db.transaction().execute(async (trx) => {
      for (const owner of this.owners) await owner.move(trx, from, to);
    });
  }

  async forgetAccount(userId: number): Promise<void> {
    const account = accountReader(userId);
    await this.db.transaction().execute(async (trx) => {
      for (const owner of this.owners) await owner.forget(trx, account);
    });
  }

  listen(events: Events): void {
    events.on('reader.signedIn', async ({ userId, anonymousId }) => {
      if (anonymousId) await this.moveToAccount(anonymousId, userId);
    });
    events.on('user.deleting', ({ userId }) => this.forgetAccount(userId));
  }
}
