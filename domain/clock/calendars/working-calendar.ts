import { InvalidCalendarData } from '../errors';
import { dayOfWeek, type PlainDate, yearOf } from '../plain-date';
import {
  type CalendarId,
  type CalendarSource,
  type CalendarYear,
  type DayStatus,
  type ProvisionalBaseline,
  WEEKEND_REST_DAY,
  type WorkingCalendar,
} from './types';

export { WEEKEND_REST_DAY } from './types';

interface Listed {
  name: string;
  working: boolean;
}

function isWeekend(date: PlainDate): boolean {
  const weekday = dayOfWeek(date);
  return weekday === 0 || weekday === 6;
}

/** A date is filed under its notice's year, or the December before it (a New Year span). */
function belongsTo(date: PlainDate, year: number): boolean {
  return yearOf(date) === year || (yearOf(date) === year - 1 && date.slice(5) >= '12-20');
}

/** Rejects data that would silently mis-answer: a date filed under the wrong year, or a day listed twice. */
function indexYears(id: CalendarId, years: readonly CalendarYear[]): Map<PlainDate, Listed> {
  const listed = new Map<PlainDate, Listed>();
  const add = (date: PlainDate, entry: Listed, year: number) => {
    if (!belongsTo(date, year))
      throw new InvalidCalendarData(id, `${date} (${entry.name}) is listed under ${year}`);
    if (listed.has(date)) throw new InvalidCalendarData(id, `${date} is listed more than once`);
    listed.set(date, entry);
  };
  for (const data of years) {
    for (const { date, name } of data.holidays) add(date, { name, working: false }, data.year);
    for (const { date, name } of data.makeUpWorkdays) {
      // Only a weekend day can be "made" a workday; a weekday listed here would mean the data is misread.
      if (!isWeekend(date)) throw new InvalidCalendarData(id, `make-up workday ${date} is not a weekend day`);
      add(date, { name, working: true }, data.year);
    }
  }
  return listed;
}

export interface CalendarDefinition {
  id: CalendarId;
  name: string;
  /** Official data per year (packaged and imported). */
  years: readonly CalendarYear[];
  /** How a year without official data is counted (provisional). */
  baseline: ProvisionalBaseline;
  /** Official data arrives one year at a time (China's annual notice). */
  annualNotice: boolean;
}

/**
 * A calendar where Saturdays and Sundays are rest days, listed holidays are rest days, and listed
 * make-up workdays are working days. A year without official data is answered by the provisional
 * baseline and says so (DayStatus.provisionalYear); nothing here ever throws for a missing year.
 */
export function buildWorkingCalendar(definition: CalendarDefinition): WorkingCalendar {
  const { id, name, baseline, annualNotice } = definition;
  const byYear = new Map<number, CalendarYear>();
  for (const data of definition.years) {
    if (byYear.has(data.year)) throw new InvalidCalendarData(id, `year ${data.year} appears twice`);
    byYear.set(data.year, data);
  }
  const listed = indexYears(id, definition.years);
  const sortedYears = Object.freeze([...definition.years].sort((a, b) => a.year - b.year));

  function dayStatus(date: PlainDate): DayStatus {
    const year = yearOf(date);
    const entry = listed.get(date);
    if (entry !== undefined)
      return { working: entry.working, restDayName: entry.working ? undefined : entry.name };
    if (!byYear.has(year)) {
      const restDayName = baseline.restDayName(date);
      return { working: restDayName === undefined, restDayName, provisionalYear: year };
    }
    if (!isWeekend(date)) return { working: true, restDayName: undefined };
    // A late-December weekend may still become a make-up workday in next year's notice (2018-12-29
    // was one): until that notice is in, the baseline's answer stands, flagged with next year.
    if (annualNotice && !byYear.has(year + 1) && belongsTo(date, year + 1)) {
      const restDayName = baseline.restDayName(date);
      if (restDayName === undefined) return { working: true, restDayName, provisionalYear: year + 1 };
    }
    return { working: false, restDayName: WEEKEND_REST_DAY };
  }

  const sourceFor = (year: number): CalendarSource => byYear.get(year)?.source ?? baseline.source(year);
  return Object.freeze({
    id,
    name,
    years: sortedYears,
    annualNotice,
    dayStatus,
    isWorkingDay: (date: PlainDate) => dayStatus(date).working,
    restDayName: (date: PlainDate) => dayStatus(date).restDayName,
    isOfficial: (year: number) => byYear.has(year),
    sourceFor,
  });
}

/**
 * The baseline of a calendar without make-up workdays (England and Wales, US federal): weekends only.
 * Holidays can only make the official date later, so leaving them out can only make a date earlier.
 */
export function weekendsOnlyBaseline(source: CalendarSource): ProvisionalBaseline {
  return {
    source: () => source,
    restDayName: (date) => (isWeekend(date) ? WEEKEND_REST_DAY : undefined),
  };
}
