// Reads that many requests make at the same moment, made as one statement. Under
// load, fifty forum replies each reading their author's trust, bans and recent texts
// are 150 statements, and on this kind of machine a statement's round trip costs both
// processes far more in system calls than the database's work; batched, they are a
// handful. DataLoader collects the keys; the batch is sent only once the loader's
// previous statement has answered («batch while busy», as a database's group commit
// does), so a quiet portal waits for nothing and a busy one sends what queued up
// meanwhile together. Nothing is cached: every load reads the database.
import DataLoader from 'dataloader';

export interface BatchOptions {
  /** Keys per statement at most (default 200). */
  maxBatch?: number;
}

/**
 * One load per key, answered from `readMany`, which returns one value per key in the
 * keys' order; an `Error` in a key's place rejects that key's load alone (a write
 * batched this way answers each caller with its own failure).
 */
export function batchWhileBusy<K, V>(readMany: (keys: readonly K[]) => Promise<(V | Error)[]>, { maxBatch = 200 }: BatchOptions = {}): (key: K) => Promise<V> {
  let busy: Promise<unknown> = Promise.resolve();
  const loader = new DataLoader<K, V, unknown>(
    (keys) => {
      const done = readMany(keys);
      busy = done.then(
        () => undefined,
        () => undefined,
      );
      return done;
    },
    {
      cache: false,
      maxBatchSize: maxBatch,
      // After the statement in flight (if any), and after this turn's I/O has had its say.
      batchScheduleFn: (run) => void busy.then(() => setImmediate(run)),
    },
  );
  return (key) => loader.load(key);
}

/** `readMany`'s answer from rows: each key's row (by `keyOf`), or `missing`. */
export function inKeyOrder<K, R, V>(keys: readonly K[], rows: R[], keyOf: (row: R) => K, value: (row: R) => V, missing: V): V[] {
  const byKey = new Map(rows.map((r) => [keyOf(r), value(r)]));
  return keys.map((k) => (byKey.has(k) ? byKey.get(k)! : missing));
}
