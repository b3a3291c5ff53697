// Field values checked against their category: every value of the right type and
// within its field's bounds, no field of another category, every required one given.
// What passes becomes the stored values, the filter tokens and the range columns.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { DomainError } from '../../platform/errors.js';
import type { Category, Field } from './catalogue.js';
import type { FieldValue } from './schema.js';

export const MAX_PRICE = 1_000_000_000_000;
const TEXT_MAX = 300;

export interface CheckedFields {
  values: Record<string, FieldValue>;
  tokens: string[];
  numbers: { n1: number | null; n2: number | null; n3: number | null; n4: number | null };
}

const bad = (field: Field, why: string, extra: Record<string, string | number> = {}) => new DomainError(`ad.field_${why}`, { field: field.label, ...extra }, 400);
const present = (v: unknown) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);

/** One field's value, from JSON or a form (strings), or a 400 in words. */
export function checkValue(field: Field, raw: unknown, now: Date): FieldValue {
  switch (field.type) {
    case 'text': {
      if (typeof raw !== 'string' && typeof raw !== 'number') throw bad(field, 'invalid');
      const text = String(raw).replace(/\s+/g, ' ').trim();
      if ([...text].length > TEXT_MAX) throw bad(field, 'too_long', { max: TEXT_MAX });
      return text;
    }
    case 'number':
    case 'year': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*-?\d+([.,]\d+)?\s*$/.test(raw) ? Number(raw.replace(',', '.')) : NaN;
      if (!Number.isFinite(n)) throw bad(field, 'not_number');
      if (field.type === 'year') {
        if (!Number.isInteger(n)) throw bad(field, 'not_number');
        if (n > now.getUTCFullYear()) throw bad(field, 'future_year', { year: n });
      }
      if ((field.min !== null && n < field.min) || (field.max !== null && n > field.max)) throw bad(field, 'out_of_range', { min: field.min ?? '−∞', max: field.max ?? (field.type === 'year' ? now.getUTCFullYear() : '∞') });
      return n;
    }
    case 'enum': {
      if (typeof raw !== 'string' || !field.options.some((o) => o.value === raw)) throw bad(field, 'not_allowed');
      return raw;
    }
    case 'multi': {
      const list = Array.isArray(raw) ? raw : [raw];
      if (!list.every((v) => typeof v === 'string' && field.options.some((o) => o.value === v))) throw bad(field, 'not_allowed');
      return [...new Set(list as string[])];
    }
    case 'boolean': {
      if (raw === true || raw === 'true' || raw === '1' || raw === 'on') return true;
      if (raw === false || raw === 'false' || raw === '0') return false;
      throw bad(field, 'invalid');
    }
    case 'date': {
      if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(raw)) || new Date(raw).toISOString().slice(0, 10) !== raw) throw bad(field, 'not_date');
      return raw;
    }
  }
}

/**
 * The values of an ad in `category`, by field code. A code the category does not
 * have (another category's field) is refused; retired fields keep what the ad
 * already held (`kept`) and take nothing new.
 */
export function checkFields(category: Category, input: Record<string, unknown>, now: Date, kept: Record<string, FieldValue> = {}): CheckedFields {
  const byCode = new Map(category.fields.map((f) => [f.code, f]));
  for (const code of Object.keys(input)) {
    const f = byCode.get(code);
    if (!f || (f.retired && present(input[code]))) throw new DomainError('ad.unknown_field', { field: code.slice(0, 40) }, 400);
  }
  const values: Record<string, FieldValue> = {};
  const tokens: string[] = [];
  const numbers = { n1: null, n2: null, n3: null, n4: null } as CheckedFields['numbers'];
  for (const f of category.fields) {
    const raw = f.retired ? kept[String(f.id)] : input[f.code];
    if (!present(raw)) {
      if (f.required && !f.retired && f.type !== 'boolean') throw new DomainError('ad.field_required', { field: f.label }, 400);
      continue;
    }
    const v = f.retired ? (raw as FieldValue) : checkValue(f, raw, now);
    values[String(f.id)] = v;
    if (f.searchable && (f.type === 'enum' || f.type === 'multi' || f.type === 'boolean')) {
      for (const t of Array.isArray(v) ? v : [v]) tokens.push(fieldToken(f.id, t));
    }
    if (f.slot && typeof v === 'number') numbers[`n${f.slot}` as keyof typeof numbers] = v;
  }
  return { values, tokens, numbers };
}

export const fieldToken = (fieldId: number, value: string | number | boolean) => `f${fieldId}=${value === true ? '1' : value === false ? '0' : String(value)}`;

/** A phone as +7… (E.164), or a 400: Russian numbers may be written 8 912 …, +7 (912) …. */
export function normalisePhone(raw: string): string {
  const parsed = parsePhoneNumberFromString(raw.trim(), 'RU');
  if (!parsed || !parsed.isValid()) throw new DomainError('ad.bad_phone', {}, 400);
  return parsed.number;
}

/** A phone for people: +7 912 345-67-89. */
export function showPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

/** A price in roubles: a whole number from 0 to 10¹². */
export function checkPrice(raw: unknown, code = 'ad.bad_price'): number {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d[\d\s]*\s*$/.test(raw) ? Number(raw.replace(/\s/g, '')) : NaN;
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_PRICE) throw new DomainError(code, { max: '10¹²' }, 400);
  return n;
}
