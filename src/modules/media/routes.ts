// Serves uploaded image variants with a year-long cache: a new upload gets a new
// storage key, so a URL's bytes never change.
import fs from 'node:fs';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import type { App } from '../../types.js';
import { createMedia, type Media } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    media: Media;
  }
}

async function mediaModule(app: App) {
  const media = createMedia({ db: app.database.db, uploadsDir: `${app.config.dataDir}/uploads`, maxBytes: app.config.maxUploadBytes });
  fs.mkdirSync(media.uploadsDir, { recursive: true });
  app.decorate('media', media);
  await app.register(fastifyStatic, {
    root: media.uploadsDir,
    prefix: '/uploads/',
    decorateReply: false,
    index: false,
    list: false,
    immutable: true,
    maxAge: '365d',
    schemaHide: true,
  });
}

export default fp(mediaModule, { name: 'media', decorators: { fastify: ['database', 'config'] } });
