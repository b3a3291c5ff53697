// The error of a field the back office sent wrong, shared by the write side and the structure.
import { HttpError } from '../../platform/errors.js';

export function badField(field: string, message: string) {
  return new HttpError(400, 'invalid', message, { field });
}
