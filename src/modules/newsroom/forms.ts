// Reading the back office's plain forms: each refusal is an HttpError naming the
// field (`details.field`), so the page can show the message next to it and keep
// what was typed (see FormFailure and views/entities.tsx).
import { Type, type Static } from '@sinclair/typebox';
import { HttpError } from '../../platform/errors.js';
import { slugify } from '../content/index.js';

export const Form = Type.Record(Type.String(), Type.String({ maxLength: 10000 }));
export type FormT = Static<typeof Form>;

/** A form field as text: 400 with a Russian message when a required one is missing or too long. */
export function text(form: FormT, name: string, label: string, opts: { required?: boolean; max?: number } = {}): string {
  const value = (form[name] ?? '').trim();
  if (opts.required && !value) throw new HttpError(400, 'invalid', `Заполните поле «${label}»`, { field: name });
  if (value.length > (opts.max ?? 300)) throw new HttpError(400, 'invalid', `Поле «${label}» не длиннее ${opts.max ?? 300} символов`, { field: name });
  return value;
}

export function optionalId(form: FormT, name: string, label: string): number | null {
  const value = (form[name] ?? '').trim();
  if (!value) return null;
  if (!/^[1-9]\d{0,8}$/.test(value)) throw new HttpError(400, 'invalid', `В поле «${label}» нужен номер`, { field: name });
  return Number(value);
}

/** An order number: empty is 0; anything but a whole number in ±9999 is refused. */
export function position(form: FormT, name: string, label: string): number {
  const value = (form[name] ?? '').trim();
  if (!value) return 0;
  if (!/^-?\d{1,4}$/.test(value)) throw new HttpError(400, 'invalid', `В поле «${label}» нужно целое число`, { field: name });
  return Number(value);
}

/** The `slug` field, or one made from the title; Latin letters, digits and hyphens only. */
export function slugOf(form: FormT, fallback: string): string {
  const raw = (form.slug ?? '').trim();
  const slug = raw ? raw.toLowerCase() : slugify(fallback);
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug) || slug.length > 80) throw new HttpError(400, 'invalid', 'Адрес — латинские буквы, цифры и дефисы между ними, до 80 символов', { field: 'slug' });
  return slug;
}

/**
 * A constraint the database enforced (a slug taken meanwhile, a photo or account
 * that does not exist) is the visitor's 400 on the field it names, not our 500.
 * `messages` maps a column to its message.
 */
export async function constrained<T>(work: () => Promise<T>, messages: Record<string, string>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const e = err as { code?: string; detail?: string };
    if (e.code === '23505' || e.code === '23503') {
      const column = /Key \(([a-z_]+)\)/.exec(e.detail ?? '')?.[1] ?? Object.keys(messages)[0]!;
      const field = column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
      throw new HttpError(400, 'invalid', messages[column] ?? Object.values(messages)[0]!, { field });
    }
    throw err;
  }
}

/** A form sent back: which one (the add form or a row's), what was typed, and the messages by field ('' for the whole form). */
export interface FormFailure {
  /** 400 for a bad value, 409 for a refusal of the current state (the last admin, a section in use). */
  status: number;
  target: 'new' | number;
  values: Record<string, string>;
  errors: Record<string, string>;
}

/** Fields never echoed back into a page. */
const SECRET_FIELDS = new Set(['_csrf', 'password']);

/** The refusal to show inside the form, or null for an error that is not about the input (403, 404, 500…). */
export function formFailure(err: unknown, target: FormFailure['target'], form: FormT): FormFailure | null {
  if (!(err instanceof HttpError) || (err.statusCode !== 400 && err.statusCode !== 409)) return null;
  const field = typeof err.details?.field === 'string' ? err.details.field : '';
  const values = Object.fromEntries(Object.entries(form).filter(([k]) => !SECRET_FIELDS.has(k)));
  return { status: err.statusCode, target, values, errors: { [field]: err.message } };
}
