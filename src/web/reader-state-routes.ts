// GET /api/reader-state: the reader's state for a page in one answer, every
// module's part (platform/reader-state.ts). Registered after every module, so its
// schema holds all the parts. Anonymous readers are answered by the front door
// (reader-state-door.ts) with the same bytes; this route answers the rest (a
// signed-in reader, another query) and is what the door is compared with.
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import type { App } from '../types.js';
import { IdList, MAX_ID, parseIdList, RowId } from '../platform/openapi.js';
import { badRequest } from '../platform/errors.js';
import { READER_STATE_LISTS } from '../platform/reader-state.js';
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
        querystring: Type.Object({
          article: Type.Optional(RowId()),
          topic: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ID, description: 'A forum topic’s page: its id' })),
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ID, description: 'Which page of the topic (1 when absent)' })),
          shown: Type.Optional(IdList(READER_STATE_LISTS.shown, 'The articles the page already shows (a part listing articles leaves them out)')),
          read: Type.Optional(IdList(READER_STATE_LISTS.read, "The articles this browser has read, newest first (absent: it keeps no list; the reader's stored reads are used)")),
        }),
        response: { 200: schema },
      },
    },
    async (req, reply) => {
      const list = (name: keyof typeof READER_STATE_LISTS) => {
        const text = req.query[name];
        if (text === undefined) return null;
        const ids = parseIdList(text, READER_STATE_LISTS[name]);
        if (!ids) throw badRequest(req.i18n.t('error.validation', { details: name }), 'validation', { field: name });
        return ids;
      };
      const known = req.reader();
      const body = await app.readerState.body({
        user: req.user,
        wrote: mayHaveWritten(req.cookies, app.secret, !!req.user),
        reader: req.reader(reply),
        i18n: req.i18n,
        csrfToken: req.csrfToken(),
        articleId: req.query.article ?? null,
        topicId: req.query.topic ?? null,
        topicPage: req.query.page ?? 1,
        shown: list('shown'),
        reads: list('read'),
        fresh: !known,
      });
      // Already JSON: the door sends the same string, so both answer byte for byte alike.
      return reply.header('cache-control', 'no-store').type('application/json; charset=utf-8').send(body as never);
    },
  );
  app.frontDoors.add(readerStateDoor(app));
}

export default fp(readerStateRoutes, { name: 'reader-state', dependencies: ['accounts', 'reactions', 'comments', 'audience'] });
