import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addCalendarMonthsClamped,
  addDays,
  compareDates,
  dayOfWeek,
  daysBetween,
  InvalidInstant,
  InvalidPeriodLength,
  InvalidPlainDate,
  InvalidTimeZone,
  isPlainDate,
  parsePlainDate,
  plainDateInZone,
  yearOf,
} from '../../../domain/clock';

const d = parsePlainDate;

/** Any date from 1900 to 2100, as an offset from 1900-01-01. */
const plainDates = fc.integer({ min: 0, max: 73_000 }).map((offset) => addDays(d('1900-01-01'), offset));

describe('parsePlainDate', () => {
  it.each(['2025-01-05', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31'])(
    'accepts the real date %s',
    (text) => {
      expect(parsePlainDate(text)).toBe(text);
      expect(isPlainDate(text)).toBe(true);
    },
  );

  it.each([
    '2025-02-30', // no such day
    '2025-02-29', // 2025 is not a leap year
    '1900-02-29', // century years are leap years only when divisible by 400
    '2025-13-01',
    '2025-00-10',
    '2025-04-31',
    '2025-1-5', // unpadded
    '25-01-05',
    '2025-01-05T00:00:00Z', // an instant, not a date
    ' 2025-01-05',
    '2025/01/05',
    '0000-01-01',
    '',
  ])('rejects %j, which is not a real date written YYYY-MM-DD', (text) => {
    expect(isPlainDate(text)).toBe(false);
    expect(() => parsePlainDate(text)).toThrow(InvalidPlainDate);
  });

  it('names the failure InvalidPlainDate so that ASL Catch can match it', () => {
    expect(() => parsePlainDate('2025-02-30')).toThrow(expect.objectContaining({ name: 'InvalidPlainDate' }));
  });
});

describe('day arithmetic', () => {
  it.each([
    ['2025-12-31', 1, '2026-01-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2025-03-01', -1, '2025-02-28'],
    ['2025-03-30', 1, '2025-03-31'], // a DST change in Europe: still exactly one calendar day
    ['2025-11-02', 1, '2025-11-03'], // a DST change in the US
    ['2025-09-26', 0, '2025-09-26'],
  ])('%s + %i days is %s', (start, days, expected) => {
    expect(addDays(d(start), days)).toBe(expected);
  });

  it('counts calendar days from one date to another', () => {
    expect(daysBetween(d('2025-01-01'), d('2026-01-01'))).toBe(365);
    expect(daysBetween(d('2024-01-01'), d('2025-01-01'))).toBe(366);
    expect(daysBetween(d('2025-10-08'), d('2025-10-01'))).toBe(-7);
  });

  it('rejects a fractional number of days', () => {
    expect(() => addDays(d('2025-01-01'), 1.5)).toThrow(InvalidPeriodLength);
  });

  it('rejects arithmetic that leaves four-digit years', () => {
    expect(() => addDays(d('9999-12-31'), 1)).toThrow(InvalidPlainDate);
  });

  it.each([
    ['1970-01-01', 4],
    ['2025-09-26', 5],
    ['2025-09-28', 0],
    ['2025-10-11', 6],
    ['2000-01-01', 6],
    ['1900-01-01', 1],
  ] as const)('knows %s falls on weekday %i (0 = Sunday)', (date, weekday) => {
    expect(dayOfWeek(d(date))).toBe(weekday);
  });

  it('reads the year of a date', () => {
    expect(yearOf(d('2026-12-31'))).toBe(2026);
  });

  it('round-trips addDays and daysBetween for any dates', () => {
    fc.assert(
      fc.property(plainDates, fc.integer({ min: -20_000, max: 20_000 }), (start, days) => {
        expect(daysBetween(start, addDays(start, days))).toBe(days);
        expect(addDays(addDays(start, days), -days)).toBe(start);
      }),
    );
  });

  it('orders dates the same way as their text, and the same way as daysBetween', () => {
    fc.assert(
      fc.property(plainDates, plainDates, (a, b) => {
        expect(Math.sign(compareDates(a, b))).toBe(Math.sign(a.localeCompare(b)));
        expect(Math.sign(compareDates(a, b))).toBe(Math.sign(daysBetween(b, a)));
      }),
    );
  });

  it('advances the weekday by one for each day added', () => {
    fc.assert(
      fc.property(plainDates, fc.integer({ min: 0, max: 1000 }), (start, days) => {
        expect(dayOfWeek(addDays(start, days))).toBe((dayOfWeek(start) + days) % 7);
      }),
    );
  });
});

describe('addCalendarMonthsClamped (Reg. 1182/71 art. 3(2)(c): a month period ends on the last day of a shorter month)', () => {
  it.each([
    ['2025-01-31', 1, '2025-02-28'], // GDPR art. 12(3) "one month" from 31 January in a common year
    ['2024-01-31', 1, '2024-02-29'], // ...and in a leap year
    ['2025-03-31', 1, '2025-04-30'],
    ['2025-01-15', 1, '2025-02-15'], // the same day of month when it exists
    ['2025-12-15', 1, '2026-01-15'], // December rolls into January of the next year
    ['2025-12-31', 2, '2026-02-28'],
    ['2025-08-31', 3, '2025-11-30'], // GDPR art. 12(3) extension "by two further months" cases
    ['2025-05-31', -1, '2025-04-30'],
    ['2025-01-31', -1, '2024-12-31'],
    ['2025-06-10', 0, '2025-06-10'],
    ['2024-02-29', 12, '2025-02-28'],
  ])('%s + %i months is %s', (start, months, expected) => {
    expect(addCalendarMonthsClamped(d(start), months)).toBe(expected);
  });

  it('never leaves the target month and never moves past the start day of month', () => {
    fc.assert(
      fc.property(plainDates, fc.integer({ min: -120, max: 120 }), (start, months) => {
        const result = addCalendarMonthsClamped(start, months);
        const monthIndex = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
        expect(monthIndex(result) - monthIndex(start)).toBe(months);
        expect(Number(result.slice(8, 10))).toBeLessThanOrEqual(Number(start.slice(8, 10)));
      }),
    );
  });

  it('rejects a fractional number of months', () => {
    expect(() => addCalendarMonthsClamped(d('2025-01-31'), 0.5)).toThrow(InvalidPeriodLength);
  });
});

describe('plainDateInZone (legal dates are read in the policy time zone, never the server one)', () => {
  it.each([
    ['2025-09-30T17:30:00Z', 'Asia/Shanghai', '2025-10-01'],
    ['2025-09-30T17:30:00Z', 'America/Los_Angeles', '2025-09-30'],
    ['2025-09-30T15:59:59Z', 'Asia/Shanghai', '2025-09-30'],
    ['2025-09-30T16:00:00Z', 'Asia/Shanghai', '2025-10-01'],
    ['2025-12-31T23:30:00Z', 'Europe/London', '2025-12-31'],
    ['2025-06-30T23:30:00Z', 'Europe/London', '2025-07-01'], // BST, UTC+1
    ['2025-01-01T09:59:00Z', 'Pacific/Kiritimati', '2025-01-01'], // UTC+14
    ['2024-12-31T10:00:00Z', 'Pacific/Kiritimati', '2025-01-01'],
    ['2025-03-09T10:30:00Z', 'America/New_York', '2025-03-09'], // the morning the clocks go forward
    ['2025-01-01T00:00:00Z', 'UTC', '2025-01-01'],
  ])('reads %s as %s in %s', (instant, zone, expected) => {
    expect(plainDateInZone(new Date(instant), zone)).toBe(expected);
  });

  it.each(['Mars/Olympus_Mons', 'Asia/Peking', '', 'GMT+25'])('rejects the unknown time zone %j', (zone) => {
    expect(() => plainDateInZone(new Date('2025-01-01T00:00:00Z'), zone)).toThrow(InvalidTimeZone);
  });

  it('rejects a Date that holds no instant', () => {
    expect(() => plainDateInZone(new Date('not a date'), 'Asia/Shanghai')).toThrow(InvalidInstant);
  });
});
