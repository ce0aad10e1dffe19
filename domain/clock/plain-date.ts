/**
 * A calendar date with no time of day and no time zone, written 'YYYY-MM-DD'.
 *
 * Legal periods count calendar days in the place whose law applies, so a deadline is a PlainDate, never
 * an instant. All arithmetic converts to an integer "epoch day" (days since 1970-01-01) through UTC-only
 * Date methods: local-time getters would make the result depend on the server's TZ (a date parsed at
 * local midnight in Asia/Shanghai is the previous day in UTC, which is how several npm Chinese-holiday
 * packages end up reporting the wrong weekday).
 */
import { InvalidInstant, InvalidPeriodLength, InvalidPlainDate, InvalidTimeZone } from './errors';

export type PlainDate = string & { readonly __brand: 'PlainDate' };
export type DayOfWeek = 0 | 1 | 2 | 3 | 4 | 5 | 6;

const MS_PER_DAY = 86_400_000;
const PLAIN_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
// Four-digit years only, so that every PlainDate sorts and compares correctly as text.
const MIN_YEAR = 1;
const MAX_YEAR = 9999;

interface Civil {
  year: number;
  month: number; // 1-12
  day: number; // 1-31
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function toCivil(date: PlainDate): Civil {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

function format({ year, month, day }: Civil): PlainDate {
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw new InvalidPlainDate(`${year}-${month}-${day}`, `year outside ${MIN_YEAR}-${MAX_YEAR}`);
  }
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` as PlainDate;
}

function toEpochDay(date: PlainDate): number {
  const { year, month, day } = toCivil(date);
  // setUTCFullYear rather than Date.UTC: Date.UTC maps years 0-99 to 1900-1999.
  return new Date(0).setUTCFullYear(year, month - 1, day) / MS_PER_DAY;
}

function fromEpochDay(epochDay: number): PlainDate {
  const instant = new Date(epochDay * MS_PER_DAY);
  if (Number.isNaN(instant.getTime())) {
    throw new InvalidPlainDate(String(epochDay), 'epoch day outside the representable range');
  }
  return format({
    year: instant.getUTCFullYear(),
    month: instant.getUTCMonth() + 1,
    day: instant.getUTCDate(),
  });
}

function requireWholeDays(days: number): void {
  if (!Number.isSafeInteger(days)) throw new InvalidPeriodLength(days);
}

export function isPlainDate(text: string): text is PlainDate {
  const match = PLAIN_DATE_PATTERN.exec(text);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return year >= MIN_YEAR && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Accepts exactly 'YYYY-MM-DD' naming a real day: rejects '2025-02-30', '2025-1-5', '2025-01-05T00:00'. */
export function parsePlainDate(text: string): PlainDate {
  if (!isPlainDate(text)) throw new InvalidPlainDate(text);
  return text;
}

/** The date `days` calendar days after `date` (before it when negative). */
export function addDays(date: PlainDate, days: number): PlainDate {
  requireWholeDays(days);
  return fromEpochDay(toEpochDay(date) + days);
}

/** Calendar days from `from` to `to`: positive when `to` is later. */
export function daysBetween(from: PlainDate, to: PlainDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** Negative when a is earlier, 0 when equal, positive when a is later. */
export function compareDates(a: PlainDate, b: PlainDate): number {
  return daysBetween(b, a);
}

/** 0 = Sunday ... 6 = Saturday. */
export function dayOfWeek(date: PlainDate): DayOfWeek {
  // Epoch day 0, 1970-01-01, was a Thursday.
  return ((((toEpochDay(date) + 4) % 7) + 7) % 7) as DayOfWeek;
}

export function yearOf(date: PlainDate): number {
  return toCivil(date).year;
}

/**
 * Adds calendar months, keeping the day of month, or the month's last day when the target month is
 * shorter: 2025-01-31 + 1 month = 2025-02-28. This is how a period "expressed in months" ends under
 * Regulation (EEC, Euratom) No 1182/71 art. 3(2)(c) ("if the day ... does not occur in the last month,
 * the period shall end with the expiry of the last hour of the last day of that month"), which governs
 * GDPR art. 12(3)'s "one month".
 */
export function addCalendarMonthsClamped(date: PlainDate, months: number): PlainDate {
  if (!Number.isSafeInteger(months)) throw new InvalidPeriodLength(months, 'a whole number of months');
  const { year, month, day } = toCivil(date);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  return format({
    year: targetYear,
    month: targetMonth,
    day: Math.min(day, daysInMonth(targetYear, targetMonth)),
  });
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        calendar: 'gregory',
        numberingSystem: 'latn',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
    } catch (error) {
      if (error instanceof RangeError) throw new InvalidTimeZone(timeZone);
      throw error;
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The calendar date that the wall clocks of `timeZone` (an IANA name) show at `instant`. */
export function plainDateInZone(instant: Date, timeZone: string): PlainDate {
  const formatter = formatterFor(timeZone);
  if (Number.isNaN(instant.getTime())) throw new InvalidInstant();
  const parts = formatter.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return format({ year: part('year'), month: part('month'), day: part('day') });
}
