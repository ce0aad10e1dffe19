/**
 * Periods counted in working days. The day on which the period starts is never counted (PRC Civil Code
 * art. 201: a period counted in days begins on the next day), and a period that would end on a rest day
 * ends on the next working day (art. 203).
 *
 * Each function walks day by day and asks the calendar, so a period that runs into a year without
 * official data throws CalendarDataMissing instead of guessing from weekdays.
 */
import type { WorkingCalendar } from './calendars/types';
import { InvalidPeriodLength } from './errors';
import { addDays, compareDates, type PlainDate } from './plain-date';

/** The `count`-th working day after `start` (`start` itself when count is 0). */
export function addWorkingDays(calendar: WorkingCalendar, start: PlainDate, count: number): PlainDate {
  if (!Number.isSafeInteger(count) || count < 0)
    throw new InvalidPeriodLength(count, 'a whole number of days >= 0');
  let date = start;
  for (let remaining = count; remaining > 0; ) {
    date = addDays(date, 1);
    if (calendar.isWorkingDay(date)) remaining--;
  }
  return date;
}

/** The number of working days in (from, to]: `from` excluded, `to` included; 0 when `to` is not later. */
export function workingDaysBetween(calendar: WorkingCalendar, from: PlainDate, to: PlainDate): number {
  let count = 0;
  for (let date = addDays(from, 1); compareDates(date, to) <= 0; date = addDays(date, 1)) {
    if (calendar.isWorkingDay(date)) count++;
  }
  return count;
}

/** `date` itself when it is a working day, otherwise the first working day after it (art. 203). */
export function rollForwardToWorkingDay(calendar: WorkingCalendar, date: PlainDate): PlainDate {
  let candidate = date;
  while (!calendar.isWorkingDay(candidate)) candidate = addDays(candidate, 1);
  return candidate;
}
