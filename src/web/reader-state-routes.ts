// GET /api/reader-state: the reader's state for a page in one answer, every
// module's part (platform/reader-state.ts). Registered after every module, so its
// schema holds all the parts. Anonymous readers are answered by the front door
// (reader-state-door.ts) with the same bytes; this route answers the rest (a
// signed-in reader, another query) and is what the door is compared with.
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import type { App } from '../types.js';
import { RowId } from '../platform/openapi.js';
import { mayHaveWritten } from '../platform/reader.js';
import { readerStateDoor } from './reader-state-door.js';

export const READER_STATE_PATH = '/api/reader-state';

async function readerStateRoutes(app: App) {
  const schema = app.readerState.seal();
  app.get(
    READER_STATE_PATH,
    {
      schema: {
        tags: ['reader'],
        summary: 'Everything that differs per reader on a page, one part per module (null: nothing for this page); the islands share this one call',
        querystring: Type.Object({ article: Type.Optional(RowId()) }),
        response: { 200: schema },
      },
    },
    async (req, reply) => {
      const body = await app.readerState.body({
        user: req.user,
        wrote: mayHaveWritten(req.cookies, app.secret, !!req.user),
        reader: req.reader(reply),
        i18n: req.i18n,
        csrfToken: req.csrfToken(),
        articleId: req.query.article ?? null,
      });
      // Already JSON: the door sends the same string, so both answer byte for byte alike.
      return reply.header('cache-control', 'no-store').type('application/json; charset=utf-8').send(body as never);
    },
  );
  app.frontDoors.add(readerStateDoor(app));
}

export default fp(readerStateRoutes, { name: 'reader-state', dependencies: ['accounts', 'reactions', 'comments', 'audience'] });
