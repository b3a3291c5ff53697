// What other modules may use of accounts: the service's type (sign-up, roles, the
// names accounts show under, the staff list, export and deletion), the checks of a
// name and a password, and the events it emits.
export type { Accounts } from './routes.js';
export { checkName, checkPassword, type Exporter } from './self-service.js';

/** The tables accounts owns; no other module queries them (sessions are the platform's). */
export const tables = ['users', 'email_tokens'] as const;

/** Events accounts emits (platform/events.ts). */
export const events = ['reader.signedIn', 'user.deleting'] as const;

/** The account pages' navigation, for modules that add a page under /me or /account. */
export { AccountNav } from './views/account.js';
