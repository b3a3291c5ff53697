// What other modules may use of dating: the service's type (`app.dating`) and the
// plugin. Nothing else: the dating tables hold special personal data and are in
// no other module's export or query (test/architecture/boundaries.test.ts).
// Dating registers the `profile` subject (describing nothing to anyone), the
// `profile` conversation policy of messages, the `profile` kind of the
// moderators' queue and the `dating_match` notification kind.
export type { Dating } from './routes.js';
export { DATING_SETTINGS, DEFAULT_DISTRICTS } from './settings.js';
/** The field cipher, for the benchmark's generated rows (bench/dating.ts): ciphertexts as the module writes them. */
export { fieldCipher } from './crypto.js';
export { default } from './routes.js';

/** The tables dating owns; no other module queries them. */
export const tables = ['dating_profiles', 'dating_photos', 'dating_pairs', 'dating_blocks', 'dating_reports', 'dating_verifications', 'dating_daily'] as const;
