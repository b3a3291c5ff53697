// What other modules may use of organisations: the service's type and the roles an
// account holds in an organisation (owner / manager / member).
export type { Organisation, Organisations } from './service.js';
export { ORGANISATION_ROLES, isOrganisationRole } from './service.js';
export type { OrganisationRole } from './schema.js';

/** The tables organisations owns; no other module queries them. */
export const tables = ['organisations', 'memberships'] as const;
