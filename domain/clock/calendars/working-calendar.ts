import { CalendarDataMissing, InvalidCalendarData } from '../errors';
import { dayOfWeek, type PlainDate, yearOf } from '../plain-date';
import type { CalendarId, CalendarYear, WorkingCalendar } from './types';

export const WEEKEND_REST_DAY = 'weekend';

interface YearIndex {
  holidayNames: Map<PlainDate, string>;
  makeUpWorkdays: Set<PlainDate>;
}

function isWeekend(date: PlainDate): boolean {
  const weekday = dayOfWeek(date);
  return weekday === 0 || weekday === 6;
}

/** Rejects data that would silently mis-answer: a date filed under the wrong year, or a day listed twice. */
function indexYear(id: CalendarId, data: CalendarYear): YearIndex {
  const holidayNames = new Map<PlainDate, string>();
  const makeUpWorkdays = new Set<PlainDate>();
  const checkDay = (date: PlainDate, name: string) => {
    // A date filed under another year would never be consulted: lookups go by the date's own year.
    if (yearOf(date) !== data.year) {
      throw new InvalidCalendarData(id, `${date} (${name}) is listed under ${data.year}`);
    }
    if (holidayNames.has(date) || makeUpWorkdays.has(date)) {
      throw new InvalidCalendarData(id, `${date} is listed more than once in ${data.year}`);
    }
  };
  for (const { date, name } of data.holidays) {
    checkDay(date, name);
    holidayNames.set(date, name);
  }
  for (const { date, name } of data.makeUpWorkdays) {
    checkDay(date, name);
    // Only a weekend day can be "made" a workday; a weekday listed here would mean the data is misread.
    if (!isWeekend(date)) throw new InvalidCalendarData(id, `make-up workday ${date} is not a weekend day`);
    makeUpWorkdays.add(date);
  }
  return { holidayNames, makeUpWorkdays };
}

/**
 * A calendar where Saturdays and Sundays are rest days, listed holidays are rest days, and listed
 * make-up workdays are working days; any date in a year without data raises CalendarDataMissing.
 */
export function buildWorkingCalendar(
  id: CalendarId,
  name: string,
  years: readonly CalendarYear[],
): WorkingCalendar {
  const index = new Map<number, YearIndex>();
  for (const data of years) {
    if (index.has(data.year)) throw new InvalidCalendarData(id, `year ${data.year} appears twice`);
    index.set(data.year, indexYear(id, data));
  }
  const sortedYears = Object.freeze([...years].sort((a, b) => a.year - b.year));

  function restDayName(date: PlainDate): string | undefined {
    const year = yearOf(date);
    const data = index.get(year);
    if (!data) throw new CalendarDataMissing(id, year);
    if (data.makeUpWorkdays.has(date)) return undefined;
    const holiday = data.holidayNames.get(date);
    if (holiday !== undefined) return holiday;
    return isWeekend(date) ? WEEKEND_REST_DAY : undefined;
  }

  return Object.freeze({
    id,
    name,
    years: sortedYears,
    restDayName,
    isWorkingDay: (date: PlainDate) => restDayName(date) === undefined,
  });
}
