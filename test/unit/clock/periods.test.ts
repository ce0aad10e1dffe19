import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addWorkingDays,
  CALENDAR_IDS,
  compareDates,
  daysBetween,
  getCalendar,
  InvalidPeriodLength,
  type PlainDate,
  parsePlainDate,
  rollForwardToWorkingDay,
  type WorkingCalendar,
  workingDaysBetween,
} from '../../../domain/clock';

const d = parsePlainDate;
const cn = getCalendar('cn-state-council');

/**
 * Start dates from 1 January of the first covered year up to `marginDays` before the last covered day,
 * so that generated periods stay inside the official data.
 */
function startsWithin(calendar: WorkingCalendar, marginDays: number): fc.Arbitrary<PlainDate> {
  const first = d(`${calendar.years[0]!.year}-01-01`);
  const last = d(`${calendar.years.at(-1)!.year}-12-31`);
  return fc
    .integer({ min: 0, max: daysBetween(first, last) - marginDays })
    .map((offset) => addDays(first, offset));
}

// 100 working days never take more than 200 calendar days, even across the Spring Festival.
const MAX_COUNT = 100;
const MARGIN = 200;
const calendars = CALENDAR_IDS.map((id) => [id, getCalendar(id)] as const);

describe('addWorkingDays on the State Council calendar (Civil Code art. 201: the start day is not counted)', () => {
  it('puts 20 working days after Friday 2025-09-26 on 2025-10-30, counting make-up Sunday 9/28 and Saturday 10/11 and skipping 10/1-10/8', () => {
    expect(addWorkingDays(cn, d('2025-09-26'), 20)).toBe('2025-10-30');
    expect(workingDaysBetween(cn, d('2025-09-26'), d('2025-10-30'))).toBe(20);
  });

  it.each([
    ['2025-09-26', 1, '2025-09-28'], // the make-up Sunday is the first working day
    ['2025-09-30', 1, '2025-10-09'], // the whole merged holiday is skipped
    ['2025-10-10', 1, '2025-10-11'], // the make-up Saturday
    ['2025-10-11', 1, '2025-10-13'], // the Sunday after it is a rest day
    ['2026-02-13', 1, '2026-02-14'], // make-up Saturday before the 2026 Spring Festival
    ['2026-02-14', 1, '2026-02-24'], // then nine days off
    ['2024-12-31', 1, '2025-01-02'], // across the new year: 元旦 is off
    ['2025-09-26', 0, '2025-09-26'], // a zero-day period ends on its start
  ])('counts %s + %i working days as %s', (start, count, expected) => {
    expect(addWorkingDays(cn, d(start), count)).toBe(expected);
  });

  it('rejects a negative or fractional count', () => {
    expect(() => addWorkingDays(cn, d('2025-01-02'), -1)).toThrow(InvalidPeriodLength);
    expect(() => addWorkingDays(cn, d('2025-01-02'), 1.5)).toThrow(InvalidPeriodLength);
  });

  it('counts a period past the last State Council notice on the statutory baseline, never failing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 91 }).map((offset) => addDays(d('2026-10-01'), offset)),
        fc.integer({ min: 70, max: 400 }),
        (start, count) => {
          const end = addWorkingDays(cn, start, count);
          expect(cn.dayStatus(end)).toMatchObject({ working: true, provisionalYear: expect.any(Number) });
        },
      ),
    );
  });

  it('rolls forward and counts across a year without a notice, flagging the answers provisional', () => {
    // 国庆节 2027 is Friday 1 to Sunday 3 October under the statutory rules; Monday the 4th is worked.
    expect(rollForwardToWorkingDay(cn, d('2027-10-01'))).toBe('2027-10-04');
    expect(cn.dayStatus(d('2027-03-03'))).toEqual({
      working: true,
      restDayName: undefined,
      provisionalYear: 2027,
    });
    expect(workingDaysBetween(cn, d('2026-12-30'), d('2027-01-05'))).toBeGreaterThan(0);
  });
});

describe.each(calendars)('working-day periods on %s (properties)', (_id, calendar) => {
  const starts = startsWithin(calendar, MARGIN);
  const counts = fc.integer({ min: 0, max: MAX_COUNT / 2 });

  it('ends a period of n >= 1 working days strictly after its start day, on a working day', () => {
    fc.assert(
      fc.property(starts, fc.integer({ min: 1, max: MAX_COUNT }), (start, count) => {
        const end = addWorkingDays(calendar, start, count);
        expect(compareDates(end, start)).toBeGreaterThan(0);
        expect(calendar.isWorkingDay(end)).toBe(true);
      }),
    );
  });

  it('composes: n working days then m more is n + m working days', () => {
    fc.assert(
      fc.property(starts, counts, counts, (start, n, m) => {
        expect(addWorkingDays(calendar, addWorkingDays(calendar, start, n), m)).toBe(
          addWorkingDays(calendar, start, n + m),
        );
      }),
    );
  });

  it('counts back exactly n working days between a start and the end of its n-day period', () => {
    fc.assert(
      fc.property(starts, fc.integer({ min: 0, max: MAX_COUNT }), (start, count) => {
        expect(workingDaysBetween(calendar, start, addWorkingDays(calendar, start, count))).toBe(count);
      }),
    );
  });

  it('counts no working days when the end is not after the start', () => {
    fc.assert(
      fc.property(starts, fc.integer({ min: 0, max: 30 }), (end, back) => {
        expect(workingDaysBetween(calendar, addDays(end, back), end)).toBe(0);
      }),
    );
  });

  it('rolls a rest day forward to the next working day and leaves a working day alone (Civil Code art. 203)', () => {
    fc.assert(
      fc.property(starts, (date) => {
        const rolled = rollForwardToWorkingDay(calendar, date);
        expect(compareDates(rolled, date)).toBeGreaterThanOrEqual(0);
        expect(calendar.isWorkingDay(rolled)).toBe(true);
        expect(rollForwardToWorkingDay(calendar, rolled)).toBe(rolled);
        if (calendar.isWorkingDay(date)) expect(rolled).toBe(date);
        // Every day skipped on the way was a rest day.
        for (let day = date; compareDates(day, rolled) < 0; day = addDays(day, 1)) {
          expect(calendar.isWorkingDay(day)).toBe(false);
        }
      }),
    );
  });

  it('agrees with rolling forward: one working day after the day before a date is that date rolled forward', () => {
    fc.assert(
      fc.property(starts, (date) => {
        expect(addWorkingDays(calendar, addDays(date, -1), 1)).toBe(rollForwardToWorkingDay(calendar, date));
      }),
    );
  });
});
