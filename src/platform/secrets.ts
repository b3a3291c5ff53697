// The signing secret: SECRET from the environment, or one made on first start and
// kept in the database so every instance shares it.
import crypto from 'node:crypto';
import type { Database } from '../db/connection.js';

export async function loadSecret(database: Database, fromEnv: string | undefined): Promise<string> {
  if (fromEnv) return fromEnv;
  const fresh = crypto.randomBytes(32).toString('base64url');
  await database.db.insertInto('settings').values({ key: 'secret', value: fresh }).onConflict((oc) => oc.column('key').doNothing()).execute();
  const row = await database.db.selectFrom('settings').select('value').where('key', '=', 'secret').executeTakeFirstOrThrow();
  return row.value;
}

export function hmac(secret: string, value: string): string {
  return crypto.createHmac('sha256', secret).update(value).digest('base64url');
}

/**
 * A pseudonymous key for a value seen on every request (a beacon's address): the
 * secret and the value hashed once, five times cheaper than the HMAC. Nothing is
 * signed with it; it only keeps the value out of the counters' keys, and without
 * the secret nobody can tell whose key is whose.
 */
export function counterKey(secret: string, value: string): string {
  return crypto.hash('sha256', `${secret}\u0000${value}`, 'base64url').slice(0, 22);
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export const randomToken = (bytes = 24) => crypto.randomBytes(bytes).toString('base64url');
export const sha256 = (value: string) => crypto.createHash('sha256').update(value).digest('base64url');
