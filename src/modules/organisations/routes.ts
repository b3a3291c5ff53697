// The organisations module as a plugin: the service on `app.organisations`. No pages
// or API yet; classifieds storefronts will be the first to use it.
import fp from 'fastify-plugin';
import type { App } from '../../types.js';
import { createOrganisations, type Organisations } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    organisations: Organisations;
  }
}

async function organisationsModule(app: App) {
  app.decorate('organisations', createOrganisations({ db: app.database.db, clock: app.clock, userExists: async (id) => !!(await app.accounts.byId(id)) }));
}

export default fp(organisationsModule, { name: 'organisations', dependencies: ['accounts'], decorators: { fastify: ['accounts', 'database', 'clock'] } });
