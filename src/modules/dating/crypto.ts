// Encryption at rest of the special personal data of a profile (intention, whom the
// person looks for, «about me»): AES-256-GCM with a key derived from a secret by
// HKDF. Two fields are hard search filters, so beside each ciphertext a keyed hash
// (HMAC-SHA-256 with a second derived key) is stored: a blind index that the search
// compares for equality. What it shows without the secret: only which profiles
// share a value (the values have four or three choices, so the hash is never
// reversible without the key); with the database alone, nobody learns whose
// intention is which.
//
// Keys have versions (a keyring): version 1 comes from the portal's SECRET (or
// DATING_KEY_V1 when SECRET was changed since), version N from DATING_KEY_VN. New
// values are written with the newest; every value says its version (`v2:…`), so
// reading works with all of them while `gorod dating rotate-key` moves the rows
// (rotate.ts). A blind index does not say its version: the search compares a row's
// index with the value's index under every version of the ring.
import crypto from 'node:crypto';

/** Secrets by key version: `{ 1: SECRET, 2: DATING_KEY_V2 }`. */
export type Keyring = Record<number, string>;

export interface FieldCipher {
  /** The version new values are written with (the ring's highest). */
  readonly current: number;
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  /** The key version a stored value was written with, or null for an unknown format. */
  versionOf(stored: string): number | null;
  /** The blind index of a filter value under the current key: a field name and the value, keyed. */
  blindIndex(field: 'seek' | 'intention', value: string): string;
  /** The blind indexes of a value under every key of the ring (the search during a rotation). */
  blindIndexes(field: 'seek' | 'intention', value: string): string[];
}

const FORMAT = /^v([1-9][0-9]{0,3}):([A-Za-z0-9+/=]+)$/;

/** The portal's keyring: version 1 from SECRET unless DATING_KEY_V1 says otherwise, and the DATING_KEY_Vn given. */
export function keyringOf(secret: string, keys: Keyring = {}): Keyring {
  return { 1: secret, ...keys };
}

export function fieldCipher(secretOrRing: string | Keyring): FieldCipher {
  const ring: Keyring = typeof secretOrRing === 'string' ? { 1: secretOrRing } : secretOrRing;
  const versions = Object.keys(ring)
    .map(Number)
    .filter((v) => Number.isInteger(v) && v > 0 && ring[v])
    .sort((a, b) => b - a);
  if (!versions.length) throw new Error('dating: an empty keyring');
  const keys = new Map(
    versions.map((v) => {
      const derive = (info: string) => Buffer.from(crypto.hkdfSync('sha256', Buffer.from(ring[v]!), Buffer.from('gorod-dating'), Buffer.from(info), 32));
      // Version 1 keeps the info strings of the first release: its rows stay readable.
      return [v, { field: derive(`dating-fields-v${v}`), index: derive(`dating-blind-index-v${v}`) }] as const;
    }),
  );
  const current = versions[0]!;
  const indexWith = (key: Buffer, field: string, value: string) => crypto.createHmac('sha256', key).update(`${field}:${value}`).digest('base64url').slice(0, 22);
  return {
    current,
    encrypt(plain) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', keys.get(current)!.field, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v${current}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    decrypt(stored) {
      const match = FORMAT.exec(stored);
      const key = match ? keys.get(Number(match[1])) : undefined;
      if (!match || !key) throw new Error(`dating field: unknown key version ${match ? match[1] : '(format)'}`);
      const raw = Buffer.from(match[2]!, 'base64');
      const decipher = crypto.createDecipheriv('aes-256-gcm', key.field, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
    versionOf(stored) {
      const match = FORMAT.exec(stored);
      return match ? Number(match[1]) : null;
    },
    blindIndex(field, value) {
      return indexWith(keys.get(current)!.index, field, value);
    },
    blindIndexes(field, value) {
      return versions.map((v) => indexWith(keys.get(v)!.index, field, value));
    },
  };
}
