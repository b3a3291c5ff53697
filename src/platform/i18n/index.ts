// The i18n layer: every visible text comes from here, with Russian plural rules and
// dates in the portal's time zone.
import { ru, type Messages } from './ru.js';
import { en } from './en.js';

export type Locale = 'ru' | 'en';
export const LOCALES: Locale[] = ['ru', 'en'];
export type MessageKey = keyof typeof ru;
type PluralKey = { [K in MessageKey]: (typeof ru)[K] extends string ? never : K }[MessageKey];
type TextKey = Exclude<MessageKey, PluralKey>;

const catalogs: Record<Locale, Messages> = { ru, en };

export interface I18n {
  locale: Locale;
  timezone: string;
  t(key: TextKey, vars?: Record<string, string | number>): string;
  plural(key: PluralKey, n: number): string;
  /** «27 ноября 2026, 14:05» in the portal's zone. */
  dateTime(d: Date): string;
  date(d: Date): string;
  /** A calendar day given as «2026-12-06» (already a day of the portal's zone): «6 декабря 2026 г.». */
  day(isoDay: string): string;
  time(d: Date): string;
  /** «14:05» today, «26 нояб., 14:05» on other days: for dense news lists. */
  short(d: Date, now?: Date): string;
  /**
   * The one way pages write a moment, as Russian city portals do: «18:32» today,
   * «вчера, 18:32», «30 ноября, 18:32» earlier this year, «30 ноября 2025» before
   * (days and years in the portal's zone).
   */
  when(d: Date, now?: Date): string;
  /** «5 минут назад» within a day, the date after that. */
  relative(d: Date, now?: Date): string;
  /** A text whose key is only known at run time (a domain error's `error.<code>`), or null if the locale has none. */
  lookup(key: string, vars?: Record<string, string | number>): string | null;
}

/**
 * The words for a domain error (platform/errors.ts) in the reader's locale: the text
 * under `error.<code>`, filled with its parameters. A code without words says the
 * generic «bad request» rather than nothing; the i18n test finds such codes.
 */
export function domainMessage(t: I18n, err: { code: string; params: Record<string, string | number> }): string {
  return t.lookup(`error.${err.code}`, err.params) ?? t.lookup('error.badRequest') ?? err.code;
}

function fill(text: string, vars?: Record<string, string | number>): string {
  return vars ? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : text;
}

const cache = new Map<string, I18n>();

export function i18n(locale: Locale, timezone: string): I18n {
  const id = `${locale}|${timezone}`;
  const hit = cache.get(id);
  if (hit) return hit;
  const messages = catalogs[locale];
  const rules = new Intl.PluralRules(locale);
  const dateTimeFmt = new Intl.DateTimeFormat(locale, { timeZone: timezone, day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  const dateFmt = new Intl.DateTimeFormat(locale, { timeZone: timezone, day: 'numeric', month: 'long', year: 'numeric' });
  // A day that is already a calendar day is written in UTC, where its midnight is that day.
  const calendarDayFmt = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
  const timeFmt = new Intl.DateTimeFormat(locale, { timeZone: timezone, hour: '2-digit', minute: '2-digit' });
  const shortFmt = new Intl.DateTimeFormat(locale, { timeZone: timezone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  const dayFmt = new Intl.DateTimeFormat('en-CA', { timeZone: timezone });
  // 24-hour clock in every locale: «18:32», never «06:32 PM» beside a Russian page.
  const clockFmt = new Intl.DateTimeFormat(locale, { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const dayMonthFmt = new Intl.DateTimeFormat(locale, { timeZone: timezone, day: 'numeric', month: 'long' });
  // What `when` needs of a moment, by its minute: a list or a forum topic writes 20–50
  // moments, each costing several Intl formats, and the same moments are written on
  // every render of that page. Zone offsets are whole minutes, so a minute has one answer.
  const moments = new Map<number, { day: number; year: string; clock: string; dayMonth: string; date: string }>();
  const moment = (d: Date) => {
    const minute = Math.floor(d.getTime() / 60_000);
    let m = moments.get(minute);
    if (!m) {
      if (moments.size >= 20_000) moments.clear();
      const day = dayFmt.format(d);
      // The calendar day in the zone as a day number, so «yesterday» survives month ends.
      m = { day: Date.parse(day + 'T00:00:00Z') / 86400_000, year: day.slice(0, 4), clock: clockFmt.format(d), dayMonth: dayMonthFmt.format(d), date: dateFmt.format(d).replace(/\s*г\.$/, '') };
      moments.set(minute, m);
    }
    return m;
  };
  const self: I18n = {
    locale,
    timezone,
    t: (key, vars) => fill(messages[key] as string, vars),
    lookup: (key, vars) => {
      const text = (messages as Record<string, unknown>)[key];
      return typeof text === 'string' ? fill(text, vars) : null;
    },
    plural: (key, n) => {
      const forms = messages[key] as Record<string, string>;
      return fill(forms[rules.select(n)] ?? forms.other!, { n });
    },
    dateTime: (d) => dateTimeFmt.format(d),
    date: (d) => dateFmt.format(d),
    day: (isoDay) => calendarDayFmt.format(new Date(`${isoDay}T00:00:00Z`)),
    time: (d) => timeFmt.format(d),
    short: (d, now = new Date()) => (dayFmt.format(d) === dayFmt.format(now) ? timeFmt.format(d) : shortFmt.format(d)),
    when: (d, now = new Date()) => {
      const at = moment(d);
      const today = moment(now);
      const days = today.day - at.day;
      if (days === 0) return at.clock;
      if (days === 1) return fill(messages['date.yesterday'], { time: at.clock });
      if (at.year === today.year) return `${at.dayMonth}, ${at.clock}`;
      return at.date;
    },
    relative: (d, now = new Date()) => {
      const minutes = Math.floor((now.getTime() - d.getTime()) / 60000);
      if (minutes >= 0 && minutes < 60) return self.plural('minutes.ago', Math.max(1, minutes));
      if (minutes >= 60 && minutes < 24 * 60) return self.plural('hours.ago', Math.floor(minutes / 60));
      return dateTimeFmt.format(d);
    },
  };
  cache.set(id, self);
  return self;
}

const partsFormats = new Map<string, Intl.DateTimeFormat>();

/** Calendar parts of a moment in the portal's zone, for dated URLs. */
export function zonedParts(d: Date, timezone: string): { yyyy: string; mm: string; dd: string } {
  // Building a formatter costs milliseconds; every article URL needs one.
  let format = partsFormats.get(timezone);
  if (!format) partsFormats.set(timezone, (format = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  const parts = format.formatToParts(d);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { yyyy: get('year'), mm: get('month'), dd: get('day') };
}
