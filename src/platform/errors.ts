// Expected failures. Services throw DomainError: a code, its parameters and a
// status, no words; the HTTP layer (platform/http.ts) finds the words in the reader's
// locale under `error.<code>` (filled with the parameters) and answers JSON
// `{ error: { code, message } }` or the error page. HttpError, with its message
// already written, is for the HTTP layer itself (routes, hooks).
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

/** Statuses a domain error may carry, by what went wrong. */
export type DomainStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 422 | 429;

/**
 * A rule of a service said no. `code` is also the i18n key's tail (`error.<code>`,
 * e.g. `error.comment.not_found`), so a code without words in both locales fails
 * the i18n test, not a reader.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly params: Record<string, string | number> = {},
    readonly statusCode: DomainStatus = 400,
    readonly details?: Record<string, unknown>,
  ) {
    super(code);
  }
}
