import { describe, expect, it } from 'vitest';
import { calendarSet, checkNotice, PACKAGED_CALENDARS } from '../../../domain/clock';
import { missingCalendarYear } from '../../../domain/timers/calendar-year-watch';
import notice2027 from '../../fixtures/calendars/cn-state-council-2027.test-fixture.json';

/** The packaged calendars (official to 2026) with the invented 2027 notice (test fixture) imported. */
const WITH_2027 = calendarSet([checkNotice(notice2027).notice]);

describe("warning that next year's State Council notice is missing", () => {
  it.each([
    ['31 October, the last day before a notice is expected', '2026-10-31T12:00:00Z', undefined],
    ['the first minute of 1 November in Shanghai (still 31 October in UTC)', '2026-10-31T16:00:00Z', 2027],
    ['1 November', '2026-11-01T04:00:00Z', 2027],
    ['31 December', '2026-12-31T15:59:59Z', 2027],
    ['1 January, when the missing year has begun', '2026-12-31T16:00:00Z', 2027],
    ['a day in March of a year without a notice', '2027-03-10T04:00:00Z', 2027],
  ] as const)('warns (or not) on %s without the 2027 notice', (_when, now, missing) => {
    expect(missingCalendarYear(new Date(now), PACKAGED_CALENDARS)).toBe(missing);
  });

  it.each([
    ['1 November', '2026-11-01T04:00:00Z'],
    ['31 December', '2026-12-31T12:00:00Z'],
    ['1 January', '2027-01-01T04:00:00Z'],
    ['31 October of the notice year', '2027-10-31T04:00:00Z'],
  ] as const)('stays silent on %s once the 2027 notice is imported', (_when, now) => {
    expect(missingCalendarYear(new Date(now), WITH_2027)).toBeUndefined();
  });

  it('warns again from 1 November of the imported year, for the year after it', () => {
    expect(missingCalendarYear(new Date('2027-11-01T04:00:00Z'), WITH_2027)).toBe(2028);
  });
});
