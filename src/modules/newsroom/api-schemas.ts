// What the newsroom's JSON routes answer, for /api/docs and the API test. Fastify
// serializes with these schemas, so each lists every property a body has.
import { Type, type TSchema } from '@sinclair/typebox';
import { ErrorBody } from '../../platform/openapi.js';

/** The platform's error body: a code, a Russian message, sometimes details (the bad block's index and field, the current revision…). */
export { ErrorBody };

/**
 * Success schemas plus the error statuses every back office API route can give:
 * 400 bad input, 401 not signed in, 403 wrong role or CSRF, 404, 429 too many
 * writes; `extra` adds route-specific ones (409, 413, 415).
 */
export function responses(success: Record<number, TSchema>, extra: number[] = []): Record<number, TSchema> {
  const out: Record<number, TSchema> = { ...success };
  for (const status of [400, 401, 403, 404, 429, ...extra]) out[status] = ErrorBody;
  return out;
}

const Status = Type.Union(['draft', 'review', 'scheduled', 'published', 'unpublished'].map((s) => Type.Literal(s)));

export const Created = Type.Object({ id: Type.Integer(), revision: Type.Integer(), status: Status });
export const Saved = Type.Object({ revision: Type.Integer({ description: 'The new current revision: send it as baseRevision with the next save' }) });
export const Moved = Type.Object({ status: Status });
export const Deleted = Type.Object({ ok: Type.Literal(true) });
export const Found = Type.Object({ items: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String(), status: Status })) });
export const Uploaded = Type.Object({
  success: Type.Literal(1, { description: 'Editor.js image tool format' }),
  file: Type.Object({
    url: Type.String({ description: 'A JPEG variant about 960 px wide, for the editor' }),
    thumb: Type.String({ description: 'The smallest JPEG variant, for previews' }),
    imageId: Type.Integer(),
    width: Type.Integer(),
    height: Type.Integer(),
  }),
});
