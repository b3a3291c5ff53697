// Reading one uploaded file from a multipart form, for every upload route (the
// reader's avatar, the newsroom's images): whatever is wrong with the body is the
// sender's, so it is a 4xx with words — a file over the limit 413, a body that is
// not multipart 415, and a body cut off or malformed (busboy's «Unexpected end of
// form», «Malformed part header», …, plain errors without a status) 400. Before,
// those plain errors reached the error handler as 500s.
import type { FastifyRequest } from 'fastify';
import { HttpError } from '../../platform/errors.js';

/** The file's bytes, or null when the form holds no file (or an empty one). */
export async function readUpload(req: FastifyRequest, maxBytes: number): Promise<Buffer | null> {
  const t = req.i18n.t;
  const tooLarge = () => new HttpError(413, 'too_large', t('media.upload.tooLarge', { mb: Math.round(maxBytes / 1048576) }));
  if (!req.isMultipart()) throw new HttpError(415, 'not_multipart', t('media.upload.notMultipart'));
  let file: Awaited<ReturnType<typeof req.file>>;
  let bytes: Buffer;
  try {
    file = await req.file();
    if (!file) return null;
    bytes = await file.toBuffer();
  } catch (err) {
    const { code, statusCode } = err as { code?: string; statusCode?: number };
    // Over the limit the parser may end the file stream before toBuffer() throws
    // its own error, so a truncated file is a 413 whatever the error says.
    if (code === 'FST_REQ_FILE_TOO_LARGE' || (file! as { file?: { truncated?: boolean } } | undefined)?.file?.truncated) throw tooLarge();
    if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') throw new HttpError(415, 'not_multipart', t('media.upload.notMultipart'));
    // @fastify/multipart's own limits (parts, fields) carry their 4xx already.
    if (statusCode && statusCode >= 400 && statusCode < 500) throw err;
    if (err instanceof HttpError) throw err;
    throw new HttpError(400, 'broken_upload', t('media.upload.broken'));
  }
  if (file.file.truncated) throw tooLarge();
  return bytes.length ? bytes : null;
}
