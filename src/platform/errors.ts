// One error type for expected failures. Routes and services throw HttpError; the
// error handler turns it into JSON `{ error: { code, message } }` or a Russian page.
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, code = 'bad_request', details?: Record<string, unknown>) => new HttpError(400, code, message, details);
export const notFound = (message = 'Не найдено', code = 'not_found') => new HttpError(404, code, message);
export const forbidden = (message = 'Доступ запрещён', code = 'forbidden') => new HttpError(403, code, message);
export const conflict = (message: string, code = 'conflict', details?: Record<string, unknown>) => new HttpError(409, code, message, details);
