// Ages from birth dates, on the portal's calendar (its time zone), and the birth
// date bounds an age range means — so the search compares a date column, never
// computes an age per row.
export const ADULT = 18;
export const OLDEST = 99;

const formats = new Map<string, Intl.DateTimeFormat>();
/** Today as YYYY-MM-DD in the time zone (a formatter is costly to make: one per zone, kept). */
export function today(now: Date, timezone: string): string {
  let format = formats.get(timezone);
  if (!format) formats.set(timezone, (format = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return format.format(now);
}

const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** The same calendar day `years` earlier (29 February → 28 February in a common year). */
export function yearsBefore(day: string, years: number): string {
  const y = Number(day.slice(0, 4)) - years;
  let md = day.slice(5);
  if (md === '02-29' && !leap(y)) md = '02-28';
  return `${String(y).padStart(4, '0')}-${md}`;
}

export function ageOn(birth: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birth.slice(0, 4));
  return day.slice(5) < birth.slice(5) ? years - 1 : years;
}

/** A real calendar date in YYYY-MM-DD, or null (31 February, 2000-13-01, text). */
export function parseBirthDate(text: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** Birth dates of ages min..max on `day`: birth ≤ latest and birth > earliestExclusive. */
export function birthBounds(day: string, min: number, max: number) {
  return { latest: yearsBefore(day, min), earliestExclusive: yearsBefore(day, max + 1) };
}

/** A `date` column as the driver gave it (text on node-postgres, maybe a Date on PGlite). */
export const dateText = (v: unknown): string => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));
