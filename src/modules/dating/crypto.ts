// Encryption at rest of the special personal data of a profile (intention, whom the
// person looks for, «about me»): AES-256-GCM with a key derived from the portal's
// secret by HKDF. Two fields are hard search filters, so beside each ciphertext a
// keyed hash (HMAC-SHA-256 with a second derived key) is stored: a blind index that
// the search compares for equality. What it shows without the secret: only which
// profiles share a value (the values have four or three choices, so the hash is
// never reversible without the key); with the database alone, nobody learns whose
// intention is which. A changed SECRET makes the stored fields unreadable: rotate
// by reading with the old key and writing with the new (not automated yet).
import crypto from 'node:crypto';

const VERSION = 'v1';

export interface FieldCipher {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  /** The blind index of a filter value: a field name and the value, keyed. */
  blindIndex(field: 'seek' | 'intention', value: string): string;
}

export function fieldCipher(secret: string): FieldCipher {
  const derive = (info: string) => Buffer.from(crypto.hkdfSync('sha256', Buffer.from(secret), Buffer.from('gorod-dating'), Buffer.from(info), 32));
  const key = derive('dating-fields-v1');
  const indexKey = derive('dating-blind-index-v1');
  return {
    encrypt(plain) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    decrypt(stored) {
      const [version, data] = stored.split(':');
      if (version !== VERSION || !data) throw new Error('dating field: unknown format');
      const raw = Buffer.from(data, 'base64');
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
    blindIndex(field, value) {
      return crypto.createHmac('sha256', indexKey).update(`${field}:${value}`).digest('base64url').slice(0, 22);
    },
  };
}
